"""Cases for margin_ranking, multilabel_margin, hinge_embedding, cosine_embedding, triplet_margin, center.

Canonical encodings: y in {-1, 1} as float64 (torch takes the input's dtype); class
indices int64; multilabel targets int64 (N, C), -1 terminated. Edge values are exact in
float16, so quantizing to a framework dtype keeps them on the edge. eps = 0 is the pure
definition: torch's defaults (cosine 1e-12 on squared norms, pairwise_distance 1e-6) are
parameters the adapters pass.
"""

import numpy as np

from ._core import Case, cases

I = np.int64  # noqa: E741


def pm1(rng, shape):
    return rng.choice(np.array([-1.0, 1.0]), size=shape)


@cases("margin_ranking")
def _margin_ranking(rng):
    def case(id, x1, x2, y, params=None, tags=("interior",), note="", error=None):
        return Case("margin_ranking", id, {"x1": x1, "x2": x2, "y": y}, params or {}, set(tags), note, error)

    yield case("batch1", np.array([0.3]), np.array([-0.4]), np.array([-1.0]))
    yield case("interior_16", rng.normal(size=16), rng.normal(size=16), pm1(rng, 16))
    yield case("interior_margin_0.5", rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), pm1(rng, (4, 3)),
               {"margin": 0.5})
    yield case("margin_met", np.array([1.0, 0.0, 2.5, -1.0, 0.25]), np.array([1.5, 0.5, 2.0, -1.5, 0.0]),
               np.array([-1.0, -1.0, 1.0, 1.0, 1.0]), {"margin": 0.5}, ("kink",),
               "-y (x1 - x2) + margin = 0 on the first four; the last is active at margin 0.5 only")
    yield case("margin_met_zero", np.array([1.0, -2.0]), np.array([1.0, -2.0]), np.array([1.0, -1.0]),
               tags=("kink",), note="x1 = x2 with the default margin 0")
    yield case("extreme", np.array([1e8, 1e-9, -1e8]), np.array([-1e8, 2e-9, 1e8 - 64]), np.array([1.0, -1.0, 1.0]),
               tags=("extreme",))
    yield case("nonfinite", np.array([np.inf, np.nan, 1.0]), np.array([0.0, 0.0, -np.inf]), np.array([1.0, 1.0, 1.0]),
               tags=("nonfinite",))
    yield case("y_zero", np.array([0.1, 0.2]), np.array([0.3, 0.4]), np.array([1.0, 0.0]), tags=("bad_input",),
               error=("y", r"expected values in \[-1, 1\]"))
    yield case("shape_mismatch", np.array([0.1, 0.2]), np.array([0.3]), np.array([1.0, 1.0]), tags=("bad_input",),
               error=("x2", r"shape mismatch"))


@cases("multilabel_margin")
def _multilabel_margin(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("multilabel_margin", id, {"input": input, "target": np.asarray(target, dtype=I)},
                    tags=set(tags), note=note, error=error)

    t = np.full((6, 5), -1)
    for n in range(6):
        k = 1 + n % 4
        t[n, :k] = rng.permutation(5)[:k]
    yield case("batch1", np.array([[0.1, 0.2, 0.4, 0.8]]), [[3, 0, -1, 1]], note="the torch docs' example: 0.85")
    yield case("interior_6x5", rng.normal(size=(6, 5)), t)
    yield case("junk_after_terminator", rng.normal(size=(2, 4)), [[1, -1, 0, 2], [0, 3, -1, 3]], ("edge",),
               "slots after the first -1 are ignored")
    yield case("no_labels_and_all_labels", rng.normal(size=(2, 3)), [[-1, 0, 1], [2, 0, 1]], ("edge",),
               "no listed label, or every class listed: loss 0")
    yield case("margin_met", np.array([[1.0, 0.0, 2.5, -1.0], [0.5, 0.5, -0.5, 2.0]]), [[0, 2, -1, 0], [3, -1, 0, 0]],
               ("kink",), "x_0 - x_1 = 1 (row 0); x_3 - x_2 = 2.5, x_3 - x_0 = 1.5 (row 1 smooth)")
    yield case("extreme", np.array([[1e8, 1e8 - 1, -1e8], [1e-9, -1e-9, 0.0]]), [[0, -1, 0], [1, 2, -1]],
               ("extreme", "kink"), "row 0: x_0 - x_1 = 1 exactly in float64, the margin met (float32 rounds it to 0)")
    yield case("nonfinite", np.array([[np.inf, 0.0, 1.0], [np.nan, 0.0, 1.0]]), [[1, -1, 0], [0, -1, 0]],
               ("nonfinite",))
    yield case("duplicate_label", np.array([[0.1, 0.2, 0.4]]), [[0, 0, -1]], ("bad_input",),
               "torch counts a repeated label twice; the reference rejects it", error=("target", r"listed twice"))
    yield case("class_out_of_range", np.array([[0.1, 0.2, 0.4]]), [[0, 3, -1]], ("bad_input",),
               error=("target", r"class indices .*must lie in"))


@cases("hinge_embedding")
def _hinge_embedding(rng):
    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("hinge_embedding", id, {"input": input, "target": target}, params or {}, set(tags), note, error)

    yield case("batch1", np.array([0.3]), np.array([-1.0]))
    yield case("interior_4x5", np.abs(rng.normal(size=(4, 5))) * 1.5, pm1(rng, (4, 5)), note="x >= 0, a distance")
    xh, yh = np.abs(rng.normal(size=8)), pm1(rng, 8)
    xh[:3], yh[:3] = [0.6, 0.75, 0.9], -1.0  # 0.5 < x < 1 with y = -1: active at the default margin 1 only
    yield case("margin_0.5", xh, yh, {"margin": 0.5}, note="x in (0.5, 1) with y = -1 on the first three")
    yield case("margin_met_0.5", np.array([0.5, 0.5, 0.8]), np.array([-1.0, 1.0, -1.0]), {"margin": 0.5}, ("kink",),
               "x = margin with y = -1; x = 0.8 is active at the default margin only")
    yield case("margin_met", np.array([1.0, 1.0, 0.0]), np.array([-1.0, 1.0, -1.0]), tags=("kink",),
               note="x = margin with y = -1")
    yield case("negative_input", np.array([-0.5, -2.0, -0.25]), np.array([1.0, -1.0, 1.0]), tags=("edge",),
               note="y = 1 gives x itself, negative here")
    yield case("extreme", np.array([1e8, 1e-9, -1e8]), np.array([-1.0, -1.0, 1.0]), tags=("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan]), np.array([-1.0, 1.0, -1.0]), tags=("nonfinite",))
    yield case("y_zero", np.array([0.1, 0.2]), np.array([1.0, 0.0]), tags=("bad_input",),
               error=("target", r"expected values in \[-1, 1\]"),
               note="torch sums both branches where y is neither 1 nor -1")


@cases("cosine_embedding")
def _cosine_embedding(rng):
    def case(id, x1, x2, y, params=None, tags=("interior",), note="", error=None):
        return Case("cosine_embedding", id, {"x1": x1, "x2": x2, "y": y}, params or {}, set(tags), note, error)

    yield case("batch1", rng.normal(size=(1, 3)), rng.normal(size=(1, 3)), np.array([1.0]))
    yield case("interior_8x5", rng.normal(size=(8, 5)), rng.normal(size=(8, 5)), pm1(rng, 8))
    x = rng.normal(size=(6, 4))
    x2, yc = x + 0.5 * rng.normal(size=(6, 4)), pm1(rng, 6)
    x[:2], x2[:2], yc[:2] = [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0]], [[0.3, 0.95, 0.0, 0.0],
                                                                         [0.2, 0.6, 0.3, 1.2]], -1.0
    yield case("interior_margin_0.5", x, x2, yc, {"margin": 0.5}, note="rows 0, 1: y = -1 and 0 < cos < 0.5")
    yield case("interior_margin_0.4", x, x2, yc, {"margin": 0.4}, note="row 0: y = -1 and 0 < cos = 0.3 < 0.4")
    yield case("cos_equals_margin", np.array([[1.0, 0.0, 2.0], [1.0, 1.0, 0.0]]), np.array([[0.0, 3.0, 0.0],
               [1.0, 0.0, 0.0]]), np.array([-1.0, -1.0]), tags=("kink",), note="cos = 0 = margin (row 0)")
    z, o = np.zeros((3, 3)), np.ones((3, 3))
    yield case("zero_vectors", np.stack([z[0], o[0], z[0]]), np.stack([o[0], z[0], z[0]]), np.array([1.0, -1.0, 1.0]),
               tags=("edge", "kink"), note="eps = 0: cos := 0 (the eps -> 0 limit), gradient 0; with eps > 0, row 1 "
               "(y = -1) has cos = 0 = margin: the hinge's kink")
    tiny = np.array([[1e-7, 0.0, 0.0]]), np.array([[1e-7, 1e-7, 0.0]])  # squared norms ~1e-14: eps shows
    yield case("zero_vectors_torch_eps", np.concatenate([np.stack([z[0], o[0], z[0]]), tiny[0]]),
               np.concatenate([np.stack([o[0], z[0], z[0]]), tiny[1]]),
               np.array([1.0, -1.0, 1.0, 1.0]), {"eps": 1e-12}, ("edge", "reference_only"),
               "torch's EPSILON = 1e-12 on squared norms; reference_only: a convention of torch's binding")
    yield case("parallel_and_opposite", np.array([[1.0, 2.0, -0.5], [0.5, 0.5, 1.0]]), np.array([[2.0, 4.0, -1.0],
               [-1.0, -1.0, -2.0]]), np.array([1.0, -1.0]), tags=("edge",), note="1 - cos = 0; cos = -1")
    yield case("extreme", np.array([[1e8, -2e8, 3e8], [1e-9, 2e-9, -1e-9]]), np.array([[1e-9, 1e-9, 0.0],
               [3e8, 1e8, 2e8]]), np.array([1.0, -1.0]), tags=("extreme",),
               note="float32 squares of 1e-9 are 1e-18: fine; float16 underflows")
    yield case("nonfinite", np.array([[np.inf, 0.0], [np.nan, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]]),
               np.array([1.0, -1.0]), tags=("nonfinite",))
    yield case("y_zero", np.ones((2, 3)), np.ones((2, 3)), np.array([1.0, 0.0]), tags=("bad_input",),
               error=("y", r"expected values in \[-1, 1\]"))
    yield case("shape_mismatch", np.ones((2, 3)), np.ones((2, 2)), np.array([1.0, -1.0]), tags=("bad_input",),
               error=("x2", r"shape mismatch"))


@cases("triplet_margin")
def _triplet_margin(rng):
    def case(id, a, p, n, params=None, tags=("interior",), note="", error=None):
        return Case("triplet_margin", id, {"anchor": a, "positive": p, "negative": n}, params or {}, set(tags), note,
                    error)

    # positives and negatives at similar distances, so the hinge is active on most rows
    # (with far negatives every row meets the margin and the loss is 0: a cell that cannot fail)
    a = rng.normal(size=(8, 4))
    pos, neg = a + 0.5 * rng.normal(size=(8, 4)), a + 0.6 * rng.normal(size=(8, 4))
    yield case("batch1", a[:1], pos[:1], neg[:1])
    yield case("interior_8x4", a, pos, neg)
    yield case("p1", a, pos, neg, {"p": 1.0})
    yield case("p3_margin_0.5", a, pos, neg, {"p": 3.0, "margin": 0.5})
    near = a + 0.3 * rng.normal(size=(8, 4))
    near[:4] = pos[:4] + 0.1 * rng.normal(size=(4, 4))  # negatives beside the positives
    yield case("swap", a, pos, near, {"swap": True}, note="d(p, n) < d(a, n) on rows 0-3")
    small = {"eps": 1e-6, "margin": 1e-4}  # distances and margin ~1e-4, so that eps = 1e-6 shows in the value
    yield case("torch_eps", 1e-4 * a, 1e-4 * pos, 1e-4 * neg, small,
               note="torch's pairwise_distance adds eps to a - b; distances ~1e-4, where it shows")
    yield case("margin_met", np.zeros((2, 2)), np.array([[0.75, 1.0], [0.5, 0.0]]), np.array([[1.5, 2.0], [0.0, 1.0]]),
               {"margin": 1.25}, ("kink",), "row 0: d(a, p) - d(a, n) + margin = 1.25 - 2.5 + 1.25 = 0; row 1: "
               "0.5 - 1 + margin tells 1.25 from the default")
    yield case("swap_tie", np.array([[0.75, 1.0], [0.0, 0.0]]), np.array([[1.25, 0.0], [1.0, 0.0]]),
               np.array([[0.0, 0.0], [1.2, 0.0]]), {"swap": True}, ("kink",),
               "row 0: d(a, n) = d(p, n) = 1.25; row 1: d(p, n) = 0.2 < d(a, n) = 1.2")
    yield case("zero_distance", a[:3], a[:3].copy(), neg[:3], tags=("edge",),
               note="a = p: the norm's gradient at 0 (reference: 0; torch's eps = 1e-6 avoids it)")
    far = 1e-4 * neg[:3]
    far[2] = 1e-4 * a[2] + 0.01  # d(a, n) = 0.02 > margin: inactive at 1e-3, active at the default 1
    yield case("zero_distance_torch_eps", 1e-4 * a[:3], 1e-4 * a[:3], far, {**small, "margin": 1e-3}, ("edge",),
               note="a = p: d(a, p) = ||eps|| = 2e-6 with torch's eps; distances ~1e-4, row 2 beyond the margin")
    yield case("cosine", a, pos, neg, {"distance": "cosine", "margin": 0.2},
               note="d = 1 - cos (torch's documented distance_function); margin 0.2 keeps the hinge active")
    yield case("cosine_swap", a, pos, neg, {"distance": "cosine", "margin": 0.2, "swap": True},
               note="1 - cos(p, n) < 1 - cos(a, n) on rows 6 and 7; row 7 is active, so the swap changes its value")
    yield case("extreme", 1e8 * a[:3], 1e8 * pos[:3], 1e8 * neg[:3], {"margin": 1e8}, ("extreme",))
    yield case("nonfinite", np.array([[np.inf, 0.0], [np.nan, 0.0]]), np.zeros((2, 2)), np.ones((2, 2)),
               tags=("nonfinite",))
    yield case("p_zero", a[:2], pos[:2], neg[:2], {"p": 0.0}, ("bad_input",),
               error=("p", r"expected a norm degree > 0"))


@cases("center")
def _center(rng):
    def case(id, x, t, c, tags=("interior",), note="", error=None):
        return Case("center", id, {"input": x, "target": np.asarray(t, dtype=I), "centers": c}, tags=set(tags),
                    note=note, error=error)

    c = rng.normal(size=(4, 3))
    yield case("batch1", rng.normal(size=(1, 3)), [2], c)
    yield case("interior_8x3", rng.normal(size=(8, 3)), rng.integers(0, 4, 8), c,
               note="several samples share a center: its gradient sums them")
    yield case("at_center", c[[1, 3]].copy(), [1, 3], c, ("edge",), "x = c_y: loss 0, gradient 0")
    yield case("unused_centers", rng.normal(size=(3, 3)), [0, 0, 0], c, ("edge",), "centers 1..3 get gradient 0")
    yield case("extreme", np.array([[1e8, -1e8, 0.0], [1e-9, 0.0, 0.0]]), [0, 1], np.array([[0.0, 0.0, 1.0],
               [2e-9, 1e-9, 0.0]]), ("extreme",))
    yield case("nonfinite", np.array([[np.inf, 0.0, 0.0], [np.nan, 0.0, 0.0]]), [0, 1], c, ("nonfinite",))
    yield case("class_out_of_range", rng.normal(size=(2, 3)), [0, 4], c, ("bad_input",),
               error=("target", r"class indices .*must lie in"))
    yield case("centers_dim_mismatch", rng.normal(size=(2, 3)), [0, 1], c[:, :2], ("bad_input",),
               error=("centers", r"expected shape \(K, 3\)"))


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@cases("ntxent")
def _ntxent(rng):
    def case(id, x, labels, params=None, tags=("interior",), note="", error=None):
        return Case("ntxent", id, {"embeddings": x, "labels": np.asarray(labels, dtype=I)}, params or {}, set(tags),
                    note, error)

    x, y = rng.normal(size=(8, 4)), np.array([0, 0, 1, 1, 2, 2, 3, 3])
    yield case("interior_8x4_pairs", x, y, note="SimCLR's layout: two views per label")
    yield case("interior_groups", rng.normal(size=(9, 3)), [0, 0, 0, 1, 1, 1, 2, 2, 0], note="several positives")
    yield case("temperature_0.5", x, y, {"temperature": 0.5})
    yield case("temperature_1", rng.normal(size=(6, 5)), [0, 1, 0, 1, 2, 2], {"temperature": 1.0})
    yield case("aligned_saturated", np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]),
               [0, 0, 1, 1, 2], tags=("saturation",), note="cos = +-1 at temperature 0.07: logits +-14.3")
    yield case("no_negatives", x[:4], [5, 5, 5, 5], tags=("edge",), note="every pair is its own softmax: loss 0")
    yield case("no_positive_pair", x[:4], [0, 1, 2, 3], tags=("edge",), note="the mean over no pair: NaN")
    zero = x.copy()
    zero[1] = 0.0
    yield case("zero_vector", zero, y, tags=("edge",), note="cos of a zero vector: 0 / 0 (NaN) unless eps clips")
    yield case("extreme", np.array([[1e15, 2e15], [3e15, -1e15], [1e-15, 1e-15], [-2e-15, 1e-15]]), [0, 0, 1, 1],
               tags=("extreme",))
    yield case("nonfinite", np.array([[np.nan, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), [0, 0, 1, 1],
               tags=("nonfinite",))
    yield case("labels_shape", x, y[:5], tags=("bad_input",), error=("labels", r"expected shape"))
    yield case("temperature_0", x, y, {"temperature": 0.0}, tags=("bad_input",),
               error=("temperature", r"expected > 0"))


@cases("circle")
def _circle(rng):
    def case(id, x, labels, params=None, tags=("interior",), note="", error=None):
        return Case("circle", id, {"embeddings": x, "labels": np.asarray(labels, dtype=I)}, params or {}, set(tags),
                    note, error)

    x, y = _unit(rng.normal(size=(8, 3))), np.array([0, 0, 1, 1, 2, 2, 0, 1])
    yield case("interior_unit_8x3", x, y, note="L2-normalized embeddings, as Keras expects")
    yield case("interior_unit_groups", _unit(rng.normal(size=(10, 4))), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    yield case("gamma_10_margin_0.25", x, y, {"gamma": 10.0, "margin": 0.25})
    yield case("gamma_2", x, y, {"gamma": 2.0})
    yield case("margin_0.1", _unit(rng.normal(size=(6, 2))), [0, 0, 1, 1, 2, 2], {"margin": 0.1, "gamma": 2.0})
    twins = _unit(np.repeat(rng.normal(size=(3, 3)), 2, axis=0) + 0.05 * rng.normal(size=(6, 3)))
    yield case("keep_diagonal", np.concatenate([twins, x[:2]]), [0, 0, 1, 1, 2, 2, 3, 4], {"remove_diagonal": False},
               note="the self pair counts as a positive: near-twins double their positive sum, and the singletons "
                    "(labels 3, 4) get a positive")
    yield case("keep_diagonal_gamma_10", np.concatenate([twins, x[:2]]), [0, 0, 1, 1, 2, 2, 3, 4],
               {"remove_diagonal": False, "gamma": 10.0})
    yield case("anchors_without_positives", x[:5], [0, 0, 1, 2, 3], tags=("edge",),
               note="three anchors have loss 0: the pure mean divides by 5, Keras's masked mean by 2")
    yield case("not_unit_norm", 3 * rng.normal(size=(6, 3)), [0, 0, 1, 1, 2, 2], {"gamma": 2.0}, tags=("edge",),
               note="the definition's cosine; Keras takes the dot product as the cosine (unit rows assumed)")
    yield case("saturated", _unit(np.array([[1.0, 0.0], [1.0, 1e-3], [-1.0, 0.0], [-1.0, -1e-3]])), [0, 0, 1, 1],
               tags=("saturation",), note="positives aligned, negatives opposite: loss near 0")
    yield case("nonfinite", np.array([[np.nan, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8]]), [0, 0, 1, 1],
               tags=("nonfinite",))
    yield case("labels_shape", x, y[:, None], tags=("bad_input",), error=("labels", r"expected shape"))
    yield case("gamma_negative", x, y, {"gamma": -1.0}, tags=("bad_input",), error=("gamma", r"expected > 0"))
