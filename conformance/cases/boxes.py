"""Cases for the box losses: iou, giou, diou, ciou, eiou, focal_eiou, siou.

Every loss gets the same geometry (random, identical, disjoint, nested, touching,
degenerate, extreme scales, a malformed box) plus a case for its own parameters.
"""

import numpy as np

from ._core import Case, cases

BOX_LOSSES = ("iou", "giou", "diou", "ciou", "eiou", "focal_eiou", "siou")
TORCHVISION_EPS = 1e-7  # torchvision.ops.*_box_iou_loss default


def _random_pairs(rng, n=8):
    """Predictions jittered around their targets: mostly overlapping, no exact ties."""
    xy = rng.uniform(0, 10, size=(n, 2))
    wh = rng.uniform(1, 5, size=(n, 2))
    target = np.concatenate([xy, xy + wh], axis=1)
    xy_p = xy + rng.normal(0, 1, size=(n, 2))
    wh_p = wh * np.exp(rng.normal(0, 0.3, size=(n, 2)))
    return np.concatenate([xy_p, xy_p + wh_p], axis=1), target


def _box_cases(loss, rng, own):
    def case(id, b1, b2, params=None, tags=("interior",), note="", error=None):
        arrays = {"boxes1": np.asarray(b1, dtype=np.float64), "boxes2": np.asarray(b2, dtype=np.float64)}
        return Case(loss, id, arrays, params or {}, frozenset(tags), note, error)

    b1, b2 = _random_pairs(rng)
    yield case("interior_8x4", b1, b2)
    # torchvision.ops.box_iou takes no eps: iou's eps cases check the reference alone
    eps_only = {"reference_only"} if loss == "iou" else set()
    why = "; reference_only: torchvision.ops.box_iou takes no eps" if eps_only else ""
    yield case("interior_eps_1e-7", b1 * 1e-3, b2 * 1e-3, {"eps": TORCHVISION_EPS}, {"interior"} | eps_only,
               note="torchvision's default eps, on boxes of side ~1e-3 (areas ~1e-6), where it shows" + why)
    unit = [0.0, 0.0, 1.0, 1.0]
    yield case("identical", [unit, [1.0, 2.0, 4.0, 3.0]], [unit, [1.0, 2.0, 4.0, 3.0]], tags={"kink"},
               note="loss 0; every min/max of the overlap ties")
    yield case("disjoint_touching_nested",
               [unit, unit, unit, [0.25, 0.25, 0.75, 0.5]],
               [[2.0, 3.0, 3.0, 5.0], [1.0, 0.2, 2.0, 1.5], [0.0, -1.0, 2.0, 2.0], unit], tags={"kink"},
               note="rows: disjoint, touching along x = 1, nested sharing the edge x = 0, strictly nested")
    yield case("degenerate_zero_width",
               [[1.0, 0.0, 1.0, 2.0], [1.0, 0.0, 1.0, 2.0], [0.5, 0.5, 0.5, 0.5], [0.0, 0.0, 2.0, 0.0]],
               [[0.0, 0.0, 2.0, 2.0], [1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]],
               tags={"edge"}, note="zero-area boxes; 0/0 ratios read as 0 (IoU of identical zero-area boxes = 0)")
    yield case("large_1e4", b1 * 1e4, b2 * 1e4, tags={"extreme"})
    yield case("tiny_1e-6", b1 * 1e-6, b2 * 1e-6, tags={"extreme"})
    yield case("tiny_1e-6_eps_1e-7", b1 * 1e-6, b2 * 1e-6, {"eps": TORCHVISION_EPS}, tags={"extreme"} | eps_only,
               note="areas ~1e-11: torchvision's eps dominates the union" + why)
    for id, params, tags, note, scale, *rows in own:
        rows = rows[0] if rows else slice(None)
        yield case(id, b1[rows] * scale, b2[rows] * scale, params, tags, note)
    bad = b1[:2].copy()
    bad[0, 2] = bad[0, 0] - 1.0
    yield case("x2_less_than_x1", bad, b2[:2], tags={"bad_input"}, error=("boxes1", r"expected x1 <= x2 and y1 <= y2"))


TORCHVISION_CIOU = "; reference_only: conventions of torchvision's complete_box_iou_loss, whose cells check them"
OWN = {  # (id, params, tags, note, scale of the boxes)
    "iou": [("log_form", {"form": "log"}, {"edge"}, "-ln IoU; a disjoint pair: inf", 1.0),
            ("log_form_overlapping_1e-3", {"form": "log"}, {"interior"}, "-ln IoU on overlapping boxes of side ~1e-3",
             1e-3, [0, 1, 2, 3, 4, 6])],
    "ciou": [("detach_alpha_torchvision", {"eps": TORCHVISION_EPS, "detach_alpha": True},
              {"interior", "reference_only"},
              "torchvision: alpha under no_grad; its DIoU part always uses eps = 1e-7" + TORCHVISION_CIOU, 1e-3),
             ("torchvision_eps_0", {"eps": 0.0, "diou_eps": TORCHVISION_EPS, "detach_alpha": True},
              {"interior", "reference_only"}, "torchvision complete_box_iou_loss(eps=0): the DIoU part keeps 1e-7"
              + TORCHVISION_CIOU, 1e-3)],
    "focal_eiou": [("gamma_1", {"gamma": 1.0}, {"interior"}, "", 1.0),
                   ("gamma_0.25", {"gamma": 0.25}, {"interior"}, "", 1.0)],
    "siou": [("theta_2", {"theta": 2.0}, {"interior"}, "", 1.0), ("theta_6", {"theta": 6.0}, {"interior"}, "", 1.0)],
}


for _loss in BOX_LOSSES:
    cases(_loss)(lambda rng, _loss=_loss: _box_cases(_loss, rng, OWN.get(_loss, [])))
