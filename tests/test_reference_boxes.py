"""The box losses against an mpmath evaluation of their published formulas, and finite differences.

The mpmath oracle is written from the papers (centers as (x1 + x2) / 2, SIoU's angle
cost in its arcsin form), not from the reference code.  Condition scale: every loss
but -ln IoU contains 1 - IoU, which cancels as IoU -> 1; the computed IoU carries a
few ulp of IoU, so errors are measured in ulps of max(|loss|, IoU) (for -ln IoU:
max(|loss|, 1), the relative error of IoU becoming an absolute one).
"""

import math

import mpmath as mp
import numpy as np
import pytest
from numerics import check_value, directional_fd

from conformance.cases import cases_for
from reference import LOSSES

NAMES = ("iou", "giou", "diou", "ciou", "eiou", "focal_eiou", "siou")


# ---------------------------------------------------------------- the mpmath oracle


def _div(a, b):
    return mp.mpf(0) if b == 0 else a / b  # 0/0 read as 0 (see reference/boxes.py)


def mp_losses(b1, b2, eps=0.0, gamma=0.5, theta=4.0, form="linear", diou_eps=None):
    """Every box loss of one pair, in mpmath, from the papers' formulas."""
    x1, y1, x2, y2 = (mp.mpf(float(v)) for v in b1)
    X1, Y1, X2, Y2 = (mp.mpf(float(v)) for v in b2)
    eps = mp.mpf(eps)
    de = eps if diou_eps is None else mp.mpf(diou_eps)
    w, h, W, H = x2 - x1, y2 - y1, X2 - X1, Y2 - Y1
    inter = max(mp.mpf(0), min(x2, X2) - max(x1, X1)) * max(mp.mpf(0), min(y2, Y2) - max(y1, Y1))
    union = w * h + W * H - inter
    Cw, Ch = max(x2, X2) - min(x1, X1), max(y2, Y2) - min(y1, Y1)
    dx, dy = (X1 + X2) / 2 - (x1 + x2) / 2, (Y1 + Y2) / 2 - (y1 + y2) / 2

    def iou_(e):
        return _div(inter, union + e)

    def dist(e):
        return _div(dx**2 + dy**2, Cw**2 + Ch**2 + e)

    iou = iou_(eps)
    out = {"iou": (1 - iou) if form == "linear" else (-mp.log(iou) if iou > 0 else mp.inf)}
    out["giou"] = 1 - iou + _div(Cw * Ch - union, Cw * Ch + eps)
    out["diou"] = 1 - iou + dist(eps)

    def atan_ratio(a, b):
        return mp.mpf(0) if a == b == 0 else (mp.pi / 2 if b == 0 else mp.atan(a / b))

    v = 4 / mp.pi**2 * (atan_ratio(W, H) - atan_ratio(w, h)) ** 2
    out["ciou"] = 1 - iou_(de) + dist(de) + _div(v, 1 - iou_(de) + v + eps) * v
    eiou = 1 - iou + dist(eps) + _div((w - W) ** 2, Cw**2 + eps) + _div((h - H) ** 2, Ch**2 + eps)
    out["eiou"] = eiou
    out["focal_eiou"] = (iou**gamma if iou > 0 else mp.mpf(0) ** gamma) * eiou
    sigma2 = dx**2 + dy**2
    if sigma2 == 0:
        angle = mp.mpf(0)
    elif eps == 0:  # the paper's form: 1 - 2 sin^2(arcsin(c_h / sigma) - pi / 4)
        angle = 1 - 2 * mp.sin(mp.asin(abs(dy) / mp.sqrt(sigma2)) - mp.pi / 4) ** 2
    else:
        angle = 2 * abs(dx) * abs(dy) / (sigma2 + eps)
    g = 2 - angle
    distance = (1 - mp.exp(-g * _div(dx**2, Cw**2 + eps))) + (1 - mp.exp(-g * _div(dy**2, Ch**2 + eps)))
    ow, oh = _div(abs(w - W), max(w, W) + eps), _div(abs(h - H), max(h, H) + eps)
    shape = (1 - mp.exp(-ow)) ** theta + (1 - mp.exp(-oh)) ** theta
    out["siou"] = 1 - iou + (distance + shape) / 2
    return out, iou


# ---------------------------------------------------------------- the points


def _pairs():
    rng = np.random.default_rng(20240917)
    xy = rng.uniform(-5, 5, size=(10, 2))
    wh = rng.uniform(0.5, 4, size=(10, 2))
    xyp = xy + rng.normal(0, 1.5, size=(10, 2))
    whp = wh * np.exp(rng.normal(0, 0.4, size=(10, 2)))
    b1 = [list(r) for r in np.concatenate([xyp, xyp + whp], axis=1)]
    b2 = [list(r) for r in np.concatenate([xy, xy + wh], axis=1)]
    u = [0.0, 0.0, 1.0, 1.0]
    special = [
        (u, u),  # identical
        ([1.0, 2.0, 4.0, 3.0], [1.0, 2.0, 4.0, 3.0]),  # identical, not square
        (u, [2.0, 3.0, 3.0, 5.0]),  # disjoint (diagonal)
        (u, [3.0, 0.0, 4.0, 1.0]),  # disjoint, same row
        (u, [1.0, 0.2, 2.0, 1.5]),  # touching along an edge
        (u, [1.0, 1.0, 2.0, 3.0]),  # touching at a corner
        ([0.25, 0.25, 0.75, 0.5], u),  # strictly nested
        (u, [0.0, -1.0, 2.0, 2.0]),  # nested, sharing the edge x = 0
        (u, [0.0, 0.0, 1.0, 3.0]),  # nested, sharing three edges
        ([1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 2.0, 2.0]),  # zero width inside a box
        ([1.0, 0.0, 1.0, 2.0], [1.0, 0.0, 1.0, 2.0]),  # identical zero-width boxes
        ([0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]),  # identical point boxes
        ([0.5, 0.5, 0.5, 0.5], u),  # a point inside a box
        ([0.0, 0.0, 2.0, 0.0], u),  # zero height on an edge
        ([0.0, 0.0, 1.0, 1.0 + 1e-12], u),  # IoU = 1 - 1e-12: 1 - IoU cancels
        ([1e-9, 2e-9, 4e-9, 3.5e-9], [2e-9, 1e-9, 3e-9, 4e-9]),  # 1e-9 magnitudes
        ([1e8, 2e8, 3e8, 2.5e8], [1.5e8, 1.8e8, 3.2e8, 2.4e8]),  # 1e8 magnitudes
        ([1e8, 1e8, 1e8 + 2.0, 1e8 + 1.0], [1e8 + 0.5, 1e8 - 0.25, 1e8 + 1.5, 1e8 + 1.5]),  # unit boxes at 1e8
    ]
    return np.array(b1 + [a for a, _ in special]), np.array(b2 + [b for _, b in special])


B1, B2 = _pairs()  # 28 pairs

VALUE_PARAMS = [
    ("iou", {}), ("iou", {"form": "log"}), ("iou", {"eps": 1e-7}),
    ("giou", {}), ("giou", {"eps": 1e-7}),
    ("diou", {}), ("diou", {"eps": 1e-7}),
    ("ciou", {}), ("ciou", {"eps": 1e-7}), ("ciou", {"eps": 0.0, "diou_eps": 1e-7}),
    ("ciou", {"detach_alpha": True}),
    ("eiou", {}), ("eiou", {"eps": 1e-7}),
    ("focal_eiou", {}), ("focal_eiou", {"gamma": 1.0, "eps": 1e-7}), ("focal_eiou", {"gamma": 0.0}),
    ("siou", {}), ("siou", {"eps": 1e-7}), ("siou", {"theta": 2.0}),
]


@pytest.mark.parametrize("name,params", VALUE_PARAMS, ids=[f"{n}-{p}" for n, p in VALUE_PARAMS])
def test_value_vs_mpmath(name, params):
    got = LOSSES[name](B1, B2, reduction="none", **params)
    mp_params = {k: v for k, v in params.items() if k != "detach_alpha"}
    for i in range(len(B1)):
        exact, iou = mp_losses(B1[i], B2[i], **mp_params)
        scale = 1.0 if params.get("form") == "log" else float(iou)
        check_value(name, got[i], exact[name], scale=scale)


def test_definitional_points():
    """Identical boxes give 0; zero-area 0/0 conventions; -ln 0 = inf; disjoint focal = 0."""
    u = np.array([[0.0, 0.0, 1.0, 1.0]])
    for name in NAMES:
        assert LOSSES[name](u, u, reduction="none")[0] == 0.0
    z = np.array([[1.0, 0.0, 1.0, 2.0]])
    assert LOSSES["giou"](z, z, reduction="none")[0] == 1.0  # IoU of zero-area boxes read as 0
    assert LOSSES["iou"](u, u + 2, form="log", reduction="none")[0] == np.inf
    assert LOSSES["focal_eiou"](u, u + 2, reduction="none")[0] == 0.0
    assert LOSSES["focal_eiou"](u, u + 2, gamma=0.0, reduction="none")[0] == LOSSES["eiou"](u, u + 2)


# ---------------------------------------------------------------- gradients


def _smooth_points(rng, n=6):
    """Overlapping pairs with every coordinate gap > 0.1 (no min/max ties within the FD steps)."""
    b1, b2 = [], []
    while len(b1) < n:
        a = np.sort(rng.uniform(0, 4, size=(2, 2)), axis=0).T.ravel()[[0, 2, 1, 3]]
        b = a + rng.normal(0, 0.7, size=4)
        xs, ys = np.r_[a[[0, 2]], b[[0, 2]]], np.r_[a[[1, 3]], b[[1, 3]]]
        gaps = np.r_[np.diff(np.sort(xs)), np.diff(np.sort(ys)), b[2] - b[0], b[3] - b[1]]
        if gaps.min() > 0.1 and abs(a[0] + a[2] - b[0] - b[2]) > 0.1 and abs(a[1] + a[3] - b[1] - b[3]) > 0.1:
            b1.append(a)
            b2.append(b)
    return np.array(b1), np.array(b2)


GRAD_PARAMS = [(n, {}) for n in NAMES] + [
    ("iou", {"form": "log"}), ("ciou", {"eps": 1e-7}), ("focal_eiou", {"gamma": 1.5}), ("siou", {"theta": 2.5})]


@pytest.mark.parametrize("name,params", GRAD_PARAMS, ids=[f"{n}-{p}" for n, p in GRAD_PARAMS])
def test_grad_vs_richardson(name, params):
    rng = np.random.default_rng(7)
    b1, b2 = _smooth_points(rng)
    loss = LOSSES[name]
    assert np.all(loss(b1, b2, reduction="none", **params) > 0)  # IoU > 0: focal and log are smooth here
    cot = rng.normal(size=len(b1))
    g = loss.grad(b1, b2, reduction="none", cotangent=cot, **params)
    for i, key in enumerate(("boxes1", "boxes2")):
        u = rng.normal(size=b1.shape)
        fd = directional_fd(lambda *a: loss(*a, reduction="none", **params), [b1, b2], i, u, cot)
        assert abs(np.sum(g[key] * u) - fd) <= 1e-8 * max(1.0, abs(fd)), (key, np.sum(g[key] * u), fd)


def test_ciou_detach_alpha():
    """detach_alpha: the gradient of DIoU + alpha_0 v with alpha_0 frozen (torchvision's no_grad)."""
    rng = np.random.default_rng(3)
    b1, b2 = _smooth_points(rng, 4)
    cot = rng.normal(size=len(b1))

    def v_of(b1, b2):
        ang = np.arctan((b2[:, 2] - b2[:, 0]) / (b2[:, 3] - b2[:, 1])) - np.arctan(
            (b1[:, 2] - b1[:, 0]) / (b1[:, 3] - b1[:, 1]))
        return 4 / math.pi**2 * ang**2

    iou0 = 1 - LOSSES["iou"](b1, b2, reduction="none")
    alpha0 = v_of(b1, b2) / (1 - iou0 + v_of(b1, b2))
    frozen = lambda a, b: LOSSES["diou"](a, b, reduction="none") + alpha0 * v_of(a, b)  # noqa: E731
    g_det = LOSSES["ciou"].grad(b1, b2, reduction="none", cotangent=cot, detach_alpha=True)
    g_full = LOSSES["ciou"].grad(b1, b2, reduction="none", cotangent=cot)
    for i, key in enumerate(("boxes1", "boxes2")):
        u = rng.normal(size=b1.shape)
        fd = directional_fd(frozen, [b1, b2], i, u, cot)
        assert abs(np.sum(g_det[key] * u) - fd) <= 1e-8 * max(1.0, abs(fd))
        assert abs(np.sum(g_full[key] * u) - fd) > 1e-6  # the flag changes the gradient


def _one_sided_fd(f, h=1e-4):
    """lim_{t -> 0+} (f(t) - f(0)) / t: forward differences, Richardson-extrapolated (error O(h^2))."""
    f0 = f(0.0)
    d1, d2 = (f(h) - f0) / h, (f(h / 2) - f0) / (h / 2)
    return 2 * d2 - d1


KINKS = {  # pairs with one kink (a single tie), away from every other tie
    "touching": ([[0.0, 0.0, 1.0, 1.0]], [[1.0, 0.3, 2.0, 1.5]]),
    "nested_edge": ([[0.0, 0.2, 1.0, 1.0]], [[0.0, -0.5, 2.5, 2.0]]),
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kink", sorted(KINKS))
def test_one_sided_bounds_at_kinks(name, kink):
    """Every one-sided directional derivative lies within the subgradient bounds' range."""
    b1, b2 = (np.array(b) for b in KINKS[kink])
    loss = LOSSES[name]
    # IoU^0.5 has an infinite one-sided slope where the overlap opens: use gamma = 1 there
    params = {"gamma": 1.0} if name == "focal_eiou" and kink == "touching" else {}
    g = loss.grad(b1, b2, reduction="sum", **params)
    rng = np.random.default_rng(11)
    for i, key in enumerate(("boxes1", "boxes2")):
        lo, hi = g.one_sided[key]
        assert np.any(hi - lo > 1e-3)  # the point is a kink: the bounds differ
        for _ in range(3):
            u = rng.normal(size=b1.shape)
            for d in (u, -u):
                def f(t, d=d, i=i):
                    a = [b1, b2]
                    a[i] = a[i] + t * d
                    return loss(*a, reduction="sum", **params)

                fd = _one_sided_fd(f)
                low, high = np.sum(np.minimum(lo * d, hi * d)), np.sum(np.maximum(lo * d, hi * d))
                assert low - 1e-6 <= fd <= high + 1e-6, (key, d, fd, low, high)


def test_no_nan_gradients_at_degenerate_points():
    """Identical, point, zero-area and disjoint boxes: finite gradients (0/0 ratios have gradient 0)."""
    b1 = np.array([[0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    b2 = np.array([[0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 1.0, 1.0], [3.0, 3.0, 4.0, 4.0]])
    for name in NAMES:
        g = LOSSES[name]._grad([b1, b2], "sum", None, dict(LOSSES[name].params))
        assert all(np.all(np.isfinite(v)) for v in g.values()), name


# ---------------------------------------------------------------- reductions, bad input, cases


BAD = [
    ("x2 < x1", lambda b: (b[:, [2, 1, 0, 3]], b), {}, "boxes1"),
    ("y2 < y1", lambda b: (b, b[:, [0, 3, 2, 1]]), {}, "boxes2"),
    ("last dim 3", lambda b: (b[:, :3], b[:, :3]), {}, "boxes1"),
    ("shape mismatch", lambda b: (b, b[:2]), {}, "boxes1"),
    ("integer boxes", lambda b: (b.astype(np.int64), b), {}, "boxes1"),
    ("negative eps", lambda b: (b, b), {"eps": -1.0}, "eps"),
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("what,make,params,arg", BAD, ids=[b[0] for b in BAD])
def test_bad_input(name, what, make, params, arg):
    b = np.array([[0.0, 0.0, 2.0, 1.0], [1.0, 1.0, 3.0, 4.0], [0.0, 1.0, 0.5, 2.0]])
    with pytest.raises(ValueError, match=arg):
        LOSSES[name](*make(b), **params)


def test_bad_parameters():
    b = np.array([[0.0, 0.0, 2.0, 1.0]])
    for name, params, arg in [("iou", {"form": "sqrt"}, "form"), ("focal_eiou", {"gamma": -1.0}, "gamma"),
                              ("siou", {"theta": 0.0}, "theta"), ("ciou", {"diou_eps": -1.0}, "diou_eps")]:
        with pytest.raises(ValueError, match=arg):
            LOSSES[name](b, b, **params)


CASES = [c for n in NAMES for c in cases_for(n)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.loss}-{c.id}" for c in CASES])
def test_cases_accepted(case):
    """Every case runs (value and gradient, no NaN), or raises ValueError iff tagged bad_input."""
    loss = LOSSES[case.loss]
    arrays = [case.arrays[k] for k in loss.inputs]
    if case.bad_input:
        with pytest.raises(ValueError):
            loss(*arrays, **case.params)
        return
    v = loss(*arrays, reduction="none", **case.params)
    assert v.shape == arrays[0].shape[:-1] and not np.any(np.isnan(v))
    g = loss.grad(*arrays, reduction="mean", **case.params)
    assert all(np.all(np.isfinite(x)) for x in g.values())
