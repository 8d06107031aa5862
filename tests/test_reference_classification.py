"""The classification reference against mpmath evaluations of each formula, finite differences,
autograd (for the closed-form gradients), and the identities between the losses.

Condition scales (the ulp unit of each value check, beside max(|exact|, smallest normal)):
- sigmoid_focal: max(1, gamma) |exact|: (1 - p_t)^gamma multiplies the relative error of the
  rounded sigmoid by gamma.
- binary_cross_entropy with log_eps > 0: |exact| + w -- q + log_eps is rounded before the log
  (absolute error u in the log), which the pure form (log_eps = 0, log1p) avoids.
- cross_entropy, nll, binary_cross_entropy(_with_logits), multilabel_soft_margin, soft_margin,
  dice: |exact| -- with nonnegative weights every term is >= 0, so no cancellation
  (the reference computes -log p of the dominant class as log1p of the others, and dice's
  1 - D as sum[p (1 - t) + t (1 - p)] / S).
- kl_div: t (|log t| + |x|) (log_target: e^t (|t| + |x|)): t (log t - x) cancels where x ~ log t,
  which is exactly where the input is a good model of the target.
- clip / smoothing bounds are float64 parameters: the oracle uses the float 1 - clip_eps, as the
  reference and the frameworks do.
- reduced values: the sum of the per-element scales (over the mean's denominator).
"""

import mpmath
import numpy as np
import pytest
from numerics import check_value, directional_fd

from reference import LOSSES

NAMES = ("cross_entropy", "nll", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
         "multilabel_soft_margin", "soft_margin", "sigmoid_focal", "dice")
M = mpmath.mpf
RNG = np.random.default_rng(7)


def mpf_array(a):
    return [M(float(v)) for v in np.ravel(a)]


def check(name, got, vals, scale=None):
    """check_value on the finite exact values; infinities and NaNs must match exactly."""
    got = np.ravel(np.asarray(got, dtype=np.float64))
    vals = list(vals)
    assert got.size == len(vals)
    scale = np.array([float(abs(v)) if mpmath.isfinite(v) else 0.0 for v in vals]) if scale is None else scale
    finite = np.array([bool(mpmath.isfinite(v)) for v in vals], dtype=bool)
    assert np.array_equal(got[~finite], np.array([float(v) for v in vals])[~finite], equal_nan=True), (got, vals)
    if finite.any():
        check_value(name, got[finite], [v for v, f in zip(vals, finite, strict=True) if f], np.asarray(scale)[finite])


def check_reductions(name, arrays, params, vals, denominator=None, scale=None, batch=None):
    """none, sum, mean (and batchmean) against the mpmath values of the unreduced loss."""
    loss = LOSSES[name]
    check(name, loss(*arrays, reduction="none", **params), vals, scale)
    scale = np.array([float(abs(v)) for v in vals]) if scale is None else np.asarray(scale)
    total = mpmath.fsum(vals)
    check(name, [loss(*arrays, reduction="sum", **params)], [total], [float(np.sum(scale))])
    n = len(vals) if denominator is None else denominator
    mean = total / n if n != 0 else mpmath.nan
    check(name, [loss(*arrays, reduction="mean", **params)], [mean], [float(np.sum(scale)) / float(n or 1)])
    if batch is not None:
        check(name, [loss(*arrays, reduction="batchmean", **params)], [total / batch if batch else mpmath.nan],
              [float(np.sum(scale)) / (batch or 1)])


def log_sigmoid(x):
    """log(1 / (1 + e^-x)) in mpmath."""
    return -mpmath.log1p(mpmath.exp(-x))


# ---------------------------------------------------------------- cross entropy / nll

CE_EDGE_X = np.array([[1e3, -1e3, 0.0, 0.0], [1e3, -1e3, 0.0, 0.0], [-1e3, 1e3, 1e3, 0.0],
                      [30.0, 0.0, 0.0, 0.0], [1e8, 1e8 + 1, 1e8, -1e8], [1e-9, 0.0, -1e-9, 2e-9],
                      [0.0, 0.0, 0.0, 0.0], [40.0, 40.0, -5.0, 0.0]])
CE_EDGE_Y = np.array([0, 1, 0, 0, 1, 3, 2, 1])


def ce_oracle(x, target, weight=None, ignore_index=-100, label_smoothing=0.0, clip_eps=0.0):
    """Per-position -sum_c w_c q_c log p_c in mpmath; x (N, C, ...) and index or probability targets."""
    x = np.moveaxis(x, 1, -1)
    c = x.shape[-1]
    rows = x.reshape(-1, c)
    probs = np.issubdtype(np.asarray(target).dtype, np.floating)
    t = np.moveaxis(target, 1, -1).reshape(-1, c) if probs else np.ravel(target)
    w = [M(1)] * c if weight is None else mpf_array(weight)
    ls = M(label_smoothing)
    vals, den = [], M(0)
    for r, row in enumerate(rows):
        xr = mpf_array(row)
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in xr))
        logp = [v - lse for v in xr]
        if clip_eps > 0:
            lo, hi = M(clip_eps), M(float(1 - clip_eps))
            logp = [mpmath.log(min(max(mpmath.exp(v), lo), hi)) for v in logp]
        if probs:
            q = [(1 - ls) * M(float(v)) + ls / c for v in t[r]]
        elif t[r] == ignore_index:
            vals.append(M(0))
            continue
        else:
            q = [(1 - ls) * (k == t[r]) + ls / c for k in range(c)]
            den += w[t[r]]
        vals.append(-mpmath.fsum(w[k] * q[k] * logp[k] for k in range(c) if q[k] * w[k] != 0))
    return vals, (None if probs else den)


CE_VARIANTS = [
    {}, {"weight": np.array([0.5, 0.0, 2.0, 1.0])}, {"ignore_index": 1}, {"ignore_index": -1},
    {"label_smoothing": 0.1}, {"label_smoothing": 0.25, "weight": np.array([0.5, 0.0, 2.0, 1.0])},
    {"label_smoothing": 0.3, "weight": np.array([1.0, 3.0, 2.0, 1.0]), "ignore_index": 2}, {"clip_eps": 1e-7},
]


@pytest.mark.parametrize("params", CE_VARIANTS)
def test_values_cross_entropy_index_targets(params):
    x = np.concatenate([CE_EDGE_X, RNG.normal(size=(16, 4)) * 3])
    y = np.concatenate([CE_EDGE_Y, RNG.integers(0, 4, size=16)])
    y[[9, 13]] = params.get("ignore_index", -100)
    vals, den = ce_oracle(x, y, **params)
    check_reductions("cross_entropy", (x, y), params, vals, den)


@pytest.mark.parametrize("params", [{}, {"weight": np.array([1.0, 0.0, 2.5])}, {"label_smoothing": 0.2},
                                    {"ignore_index": 0, "weight": np.array([1.0, 0.5, 2.5])}])
def test_values_cross_entropy_kdim(params):
    x = RNG.normal(size=(4, 3, 2, 2)) * 2
    y = RNG.integers(0, 3, size=(4, 2, 2))
    y[0, 0, 0] = params.get("ignore_index", -100)
    vals, den = ce_oracle(x, y, **params)
    # the oracle walks positions in (N, d1, d2) order, the reference's unreduced shape
    check_reductions("cross_entropy", (x, y), params, vals, den)
    assert LOSSES["cross_entropy"](x, y, reduction="none", **params).shape == (4, 2, 2)


@pytest.mark.parametrize("params", [{}, {"label_smoothing": 0.1}, {"weight": np.array([0.5, 2.0, 0.0, 1.0])},
                                    {"weight": np.array([0.5, 2.0, 0.0, 1.0]), "label_smoothing": 0.3}])
def test_values_cross_entropy_probability_targets(params):
    x = np.concatenate([CE_EDGE_X, RNG.normal(size=(14, 4))])
    e = np.exp(RNG.normal(size=x.shape) * 2)
    t = e / e.sum(axis=1, keepdims=True)
    t[0] = [1.0, 0.0, 0.0, 0.0]
    t[1] = [0.0, 0.0, 0.5, 0.5]
    vals, _ = ce_oracle(x, t, **params)
    check_reductions("cross_entropy", (x, t), params, vals)
    xk = RNG.normal(size=(2, 4, 3))
    tk = np.exp(RNG.normal(size=(2, 4, 3)))
    tk /= tk.sum(axis=1, keepdims=True)
    vals, _ = ce_oracle(xk, tk, **params)
    check_reductions("cross_entropy", (xk, tk), params, vals)


@pytest.mark.parametrize("name", ["cross_entropy", "nll"])
def test_all_ignored_and_empty_batches(name):
    x = RNG.normal(size=(3, 4))
    for y in (np.full(3, -100), np.array([2, 2, 2])):
        params = {} if y[0] == -100 else {"ignore_index": 2}
        assert np.isnan(LOSSES[name](x, y, **params))
        assert LOSSES[name](x, y, reduction="sum", **params) == 0.0
        assert np.array_equal(LOSSES[name](x, y, reduction="none", **params), np.zeros(3))
        assert np.array_equal(LOSSES[name].grad(x, y, reduction="sum", **params)["input"], np.zeros((3, 4)))
    empty = (np.zeros((0, 4)), np.zeros(0, dtype=np.int64))
    assert np.isnan(LOSSES[name](*empty)) and LOSSES[name](*empty, reduction="sum") == 0.0
    assert LOSSES[name](*empty, reduction="none").shape == (0,)
    assert LOSSES[name].grad(*empty, reduction="mean")["input"].shape == (0, 4)


@pytest.mark.parametrize("params", [{}, {"weight": np.array([0.5, 0.0, 2.0, 1.0, 1.0])}, {"ignore_index": 3},
                                    {"ignore_index": -1, "weight": np.array([0.5, 1.0, 2.0, 1.0, 3.0])}])
def test_values_nll(params):
    x = np.concatenate([[[-1e-300, -np.inf, -1e8, -1e-9, 0.0]], -np.exp(RNG.normal(size=(21, 5)) * 3)])
    y = np.concatenate([[0], RNG.integers(0, 5, size=21)])
    y[[4, 7]] = params.get("ignore_index", -100)
    w = params.get("weight", np.ones(5))
    ig = params.get("ignore_index", -100)
    vals = [M(0) if t == ig else -M(float(w[t])) * M(float(r[t])) for r, t in zip(x, y, strict=True)]
    den = mpmath.fsum(M(float(w[t])) for t in y if t != ig)
    check_reductions("nll", (x, y), params, vals, den)
    # log p = -inf at the target: +inf
    assert LOSSES["nll"](np.array([[-np.inf, 0.0]]), np.array([0]), reduction="sum") == np.inf


# ---------------------------------------------------------------- binary

BCE_P = np.array([0.0, 0.0, 1.0, 1.0, 1e-300, 1e-300, 1 - 2.0**-40, 1 - 2.0**-40, 0.5, 1e-12, 1 - 1e-7, 0.3,
                  1e-9, 0.999, 0.0, 1.0])
BCE_Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0, 0.3, 0.25, 1.0, 0.5, 0.75])


def bce_oracle(p, y, weight=None, log_min=None, clip_eps=0.0, log_eps=0.0, label_smoothing=0.0):
    vals = []
    ls = M(label_smoothing)
    w = np.broadcast_to(1.0 if weight is None else weight, np.shape(p))
    for pi, yi, wi in zip(np.ravel(p), np.ravel(y), np.ravel(w), strict=True):
        q = M(float(pi))
        if clip_eps > 0:
            q = min(max(q, M(clip_eps)), M(float(1 - clip_eps)))
        yy = M(float(yi)) * (1 - ls) + ls / 2

        def clamp(v):
            return v if log_min is None else max(v, M(log_min))

        lp = mpmath.log(q + M(log_eps)) if q + M(log_eps) > 0 else -mpmath.inf
        z = M(log_eps) - q  # log(1 - q + e) = log1p(e - q): 1 - 1e-300 is 1 at 40 digits
        l1p = mpmath.log1p(z) if z > -1 else -mpmath.inf
        terms = [a * clamp(b) for a, b in ((yy, lp), (1 - yy, l1p)) if a != 0]
        vals.append(-M(float(wi)) * mpmath.fsum(terms) if M(float(wi)) != 0 else M(0))
    return vals


@pytest.mark.parametrize("params", [{}, {"log_min": -100.0}, {"clip_eps": 1e-7}, {"clip_eps": 1e-7, "log_eps": 1e-7},
                                    {"label_smoothing": 0.1}, {"log_eps": 1e-12, "log_min": -100.0}])
def test_values_binary_cross_entropy(params):
    p = np.concatenate([BCE_P, 1 / (1 + np.exp(-RNG.normal(size=8) * 3))])
    y = np.concatenate([BCE_Y, RNG.random(8)])
    w = RNG.random(4) * 2
    w[1] = 0.0
    for arrays, prm in (((p, y), params), ((p.reshape(6, 4), y.reshape(6, 4)), {**params, "weight": w})):
        vals = bce_oracle(*arrays, **prm)
        scale = np.array([float(abs(v)) if mpmath.isfinite(v) else 0.0 for v in vals])
        if params.get("log_eps", 0) > 0:
            scale = scale + np.broadcast_to(prm.get("weight", 1.0), arrays[0].shape).ravel()
        check_reductions("binary_cross_entropy", arrays, prm, vals, scale=scale)


BCEL_X = np.array([1e3, -1e3, 1e4, -1e4, 0.0, 1e-9, -1e-9, 1e8, -1e8, 36.0, -36.0, 745.0, -745.0, 20.0])
BCEL_Y = np.array([1.0, 1.0, 0.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.5, 0.25, 0.0, 1.0, 1.0])


def bcel_oracle(x, y, weight=None, pos_weight=None, label_smoothing=0.0):
    ls = M(label_smoothing)
    w = np.broadcast_to(1.0 if weight is None else weight, np.shape(x))
    pw = np.broadcast_to(1.0 if pos_weight is None else pos_weight, np.shape(x))
    vals = []
    for xi, yi, wi, pwi in zip(*(np.ravel(a) for a in (x, y, w, pw)), strict=True):
        xx, yy = M(float(xi)), M(float(yi)) * (1 - ls) + ls / 2
        vals.append(-M(float(wi)) * (M(float(pwi)) * yy * log_sigmoid(xx) + (1 - yy) * log_sigmoid(-xx)))
    return vals


@pytest.mark.parametrize("params", [{}, {"label_smoothing": 0.1}, {"weight": "w"}, {"pos_weight": "pw"},
                                    {"weight": "w", "pos_weight": "pw", "label_smoothing": 0.2}])
def test_values_binary_cross_entropy_with_logits(params):
    x = np.concatenate([BCEL_X, RNG.normal(size=10) * 3]).reshape(6, 4)
    y = np.concatenate([BCEL_Y, RNG.random(10)]).reshape(6, 4)
    extra = {"w": RNG.random((6, 4)) * 2, "pw": np.array([1.0, 3.0, 0.0, 0.5])}
    params = {k: (extra[v] if isinstance(v, str) else v) for k, v in params.items()}
    check_reductions("binary_cross_entropy_with_logits", (x, y), params, bcel_oracle(x, y, **params))


def test_values_multilabel_soft_margin():
    x = np.concatenate([BCEL_X, RNG.normal(size=10) * 3]).reshape(6, 4)
    y = np.concatenate([BCEL_Y, RNG.random(10)]).reshape(6, 4)
    for w in (None, np.array([1.0, 0.0, 2.0, 0.5])):
        terms = bcel_oracle(x, y, weight=None if w is None else np.broadcast_to(w, x.shape))
        vals = [mpmath.fsum(terms[4 * i: 4 * i + 4]) / 4 for i in range(6)]
        check_reductions("multilabel_soft_margin", (x, y), {} if w is None else {"weight": w}, vals)
    x = RNG.normal(size=(22, 3))
    y = (RNG.random((22, 3)) < 0.5).astype(float)
    terms = bcel_oracle(x, y)
    vals = [mpmath.fsum(terms[3 * i: 3 * i + 3]) / 3 for i in range(22)]
    check_reductions("multilabel_soft_margin", (x, y), {}, vals)


def test_values_soft_margin():
    x = np.concatenate([BCEL_X, RNG.normal(size=10) * 3])
    y = np.where(RNG.random(24) < 0.5, -1.0, 1.0)
    vals = [mpmath.log1p(mpmath.exp(-M(float(b)) * M(float(a)))) for a, b in zip(x, y, strict=True)]
    check_reductions("soft_margin", (x, y), {}, vals)


def focal_oracle(x, y, alpha=0.25, gamma=2.0):
    vals = []
    for xi, yi in zip(np.ravel(x), np.ravel(y), strict=True):
        xx, yy = M(float(xi)), M(float(yi))
        p = 1 / (1 + mpmath.exp(-xx))
        pt = p * yy + (1 - p) * (1 - yy)
        ce = -(yy * log_sigmoid(xx) + (1 - yy) * log_sigmoid(-xx))
        v = (1 - pt) ** M(gamma) * ce if gamma != 0 else ce
        if alpha is not None:
            v *= M(alpha) * yy + (1 - M(alpha)) * (1 - yy)
        vals.append(v)
    return vals


@pytest.mark.parametrize("params", [{}, {"alpha": None}, {"gamma": 0.0}, {"alpha": 0.5, "gamma": 0.5},
                                    {"alpha": 0.9, "gamma": 3.0}])
def test_values_sigmoid_focal(params):
    x = np.concatenate([BCEL_X, RNG.normal(size=10) * 3])
    y = np.concatenate([BCEL_Y, (RNG.random(10) < 0.5).astype(float)])
    vals = focal_oracle(x, y, **params)
    # (1 - p_t)^gamma raises the relative error of the rounded sigmoid to the power: scale max(1, gamma) |exact|
    scale = np.array([float(abs(v)) for v in vals]) * max(1.0, params.get("gamma", 2.0))
    check_reductions("sigmoid_focal", (x, y), params, vals, scale=scale)


@pytest.mark.parametrize("log_target", [False, True])
def test_values_kl_div(log_target):
    x = np.concatenate([[-1e4, 0.0, -700.0, -1e-300, -1e-9, -1e8, np.log(0.3), -2.0], -np.exp(RNG.normal(size=16))])
    t = np.concatenate([[0.0, 1.0, 1e-300, 1.0, 1.0 - 2.0**-40, 0.5, 0.3, 0.0], RNG.random(16)])
    if log_target:
        t = np.concatenate([[-1e4, 0.0, -700.0, -1e-300, -1e-9, -1e8, np.log(0.3), -np.inf],
                            -np.exp(RNG.normal(size=16))])
    vals, scale = [], []
    for a, b in zip(x, t, strict=True):
        xx, tt = M(float(a)), M(float(b))
        if log_target:
            e = mpmath.exp(tt) if mpmath.isfinite(tt) else M(0)
            vals.append(e * (tt - xx) if e != 0 else M(0))
            scale.append(float(e * (abs(tt) + abs(xx))) if e != 0 else 0.0)
        else:
            vals.append(tt * (mpmath.log(tt) - xx) if tt != 0 else M(0))
            scale.append(float(tt * (abs(mpmath.log(tt)) + abs(xx))) if tt != 0 else 0.0)
    x2, t2 = x.reshape(6, 4), t.reshape(6, 4)
    check_reductions("kl_div", (x2, t2), {"log_target": log_target}, vals, scale=np.array(scale), batch=6)


def test_values_kl_div_clipped():
    x = np.log(np.concatenate([[1e-12, 1.0, 0.5, 1e-8], RNG.random(20)]))
    t = np.concatenate([[0.0, 1e-9, 0.5, 1.0], RNG.random(20)])
    eps = 1e-7
    vals, scale = [], []
    for a, b in zip(x, t, strict=True):
        q = min(max(mpmath.exp(M(float(a))), M(eps)), M(1))
        tt = min(max(M(float(b)), M(eps)), M(1))
        vals.append(tt * (mpmath.log(tt) - mpmath.log(q)))
        scale.append(float(tt * (abs(mpmath.log(tt)) + abs(mpmath.log(q)))))
    check_reductions("kl_div", (x, t), {"clip_eps": eps}, vals, scale=np.array(scale), batch=24)


def dice_oracle(x, t, smooth=1.0, eps=0.0, from_logits=True):
    vals = []
    for xr, tr in zip(x.reshape(len(x), -1), t.reshape(len(t), -1), strict=True):
        p = [1 / (1 + mpmath.exp(-M(float(v)))) if from_logits else M(float(v)) for v in xr]
        tt = mpf_array(tr)
        inter = mpmath.fsum(a * b for a, b in zip(p, tt, strict=True))
        vals.append(1 - (2 * inter + M(smooth)) / (mpmath.fsum(p) + mpmath.fsum(tt) + M(smooth) + M(eps)))
    return vals


@pytest.mark.parametrize("params", [{}, {"smooth": 0.0}, {"smooth": 0.0, "eps": 1e-7, "from_logits": False},
                                    {"from_logits": False}, {"smooth": 1e-5}])
def test_values_dice(params):
    x = RNG.normal(size=(22, 2, 3)) * 2
    x[0, 0] = [1e4, -1e4, 40.0]
    x[1, 0] = [1e-9, -1e-9, 0.0]
    t = (RNG.random((22, 2, 3)) < 0.4).astype(float)
    t[2] = 0.0
    t[3] = RNG.random((2, 3))
    if not params.get("from_logits", True):
        x = 0.5 + 0.5 * np.tanh(x / 2)  # sigmoid
        x[4] = 0.0
        x[5, 0] = [1e-300, 1.0, 1 - 2.0**-40]
    check_reductions("dice", (x, t), params, dice_oracle(x, t, **params))


def test_dice_degenerate():
    z = np.zeros((1, 3))
    assert LOSSES["dice"](z, z, from_logits=False, reduction="sum") == 0.0  # smooth = 1: (0 + 1) / (0 + 1)
    assert np.isnan(LOSSES["dice"](z, z, smooth=0.0, from_logits=False, reduction="sum"))  # 0 / 0: no limit
    assert LOSSES["dice"](z, z, smooth=0.0, eps=1e-7, from_logits=False, reduction="sum") == 1.0  # Keras: 1 - 0/eps


# ---------------------------------------------------------------- gradients: Richardson FD


def fd_check(name, arrays, params, reductions=("none", "mean", "sum"), directions=3, h=1e-3, rtol=1e-7):
    loss = LOSSES[name]
    rng = np.random.default_rng(11)
    for reduction in reductions:
        shape = np.shape(loss(*arrays, reduction=reduction, **params))
        for _ in range(directions):
            cot = rng.normal(size=shape)
            g = loss.grad(*arrays, reduction=reduction, cotangent=cot, **params)["input"]
            u = rng.normal(size=np.shape(arrays[0]))
            fd = directional_fd(lambda *a, r=reduction: loss(*a, reduction=r, **params), arrays, 0, u, cot, h)
            an = float(np.sum(g * u))
            assert abs(an - fd) <= rtol * (abs(fd) + np.sum(np.abs(g * u))) + 1e-13, (name, params, reduction, an, fd)


def _probs(shape, axis=1):
    e = np.exp(RNG.normal(size=shape))
    return e / e.sum(axis=axis, keepdims=True)


W5 = np.array([0.5, 0.0, 2.0, 1.0, 3.0])
GRAD_POINTS = [
    ("cross_entropy", lambda: (RNG.normal(size=(6, 5)), np.array([0, 4, -100, 2, 2, 1])), {}),
    ("cross_entropy", lambda: (RNG.normal(size=(6, 5)), np.array([0, 4, 3, 2, 2, 1])),
     {"weight": W5, "label_smoothing": 0.1, "ignore_index": 2}),
    ("cross_entropy", lambda: (RNG.normal(size=(3, 4, 2, 2)), RNG.integers(0, 4, size=(3, 2, 2))),
     {"label_smoothing": 0.3}),
    ("cross_entropy", lambda: (RNG.normal(size=(6, 5)), _probs((6, 5))), {"weight": W5, "label_smoothing": 0.2}),
    ("cross_entropy", lambda: (np.array([[3.0, 0.0, -1.0], [0.2, 0.1, 0.0], [20.0, 0.0, 0.0]]),
                               np.array([0, 1, 0])), {"clip_eps": 1e-7}),
    ("nll", lambda: (-np.exp(RNG.normal(size=(6, 5))), np.array([0, 4, -100, 2, 2, 1])), {"weight": W5}),
    ("nll", lambda: (-np.exp(RNG.normal(size=(3, 4, 2))), RNG.integers(0, 4, size=(3, 2))), {"ignore_index": 1}),
    ("binary_cross_entropy", lambda: (RNG.uniform(0.05, 0.95, (4, 5)), RNG.random((4, 5))), {}),
    ("binary_cross_entropy", lambda: (RNG.uniform(0.05, 0.95, (4, 5)), RNG.random((4, 5))),
     {"weight": W5, "label_smoothing": 0.1, "log_eps": 1e-7, "clip_eps": 1e-7, "log_min": -100.0}),
    ("binary_cross_entropy", lambda: (np.array([0.3, 0.7, 1e-3]), np.array([0.0, 1.0, 0.0])), {}),
    ("binary_cross_entropy_with_logits", lambda: (RNG.normal(size=(4, 5)) * 3, RNG.random((4, 5))), {}),
    ("binary_cross_entropy_with_logits", lambda: (RNG.normal(size=(4, 5)) * 3, RNG.random((4, 5))),
     {"weight": RNG.random((4, 5)), "pos_weight": W5, "label_smoothing": 0.2}),
    ("kl_div", lambda: (np.log(_probs((4, 5))), _probs((4, 5))), {}),
    ("kl_div", lambda: (np.log(_probs((4, 5))), np.log(_probs((4, 5)))), {"log_target": True}),
    ("kl_div", lambda: (np.log(_probs((4, 5))) - 0.1, _probs((4, 5))), {"clip_eps": 1e-7}),
    ("multilabel_soft_margin", lambda: (RNG.normal(size=(4, 5)) * 3, RNG.random((4, 5))), {"weight": W5}),
    ("soft_margin", lambda: (RNG.normal(size=(4, 5)) * 3, np.where(RNG.random((4, 5)) < 0.5, -1.0, 1.0)), {}),
    ("sigmoid_focal", lambda: (RNG.normal(size=(4, 5)) * 3, RNG.random((4, 5))), {}),
    ("sigmoid_focal", lambda: (RNG.normal(size=(4, 5)) * 3, (RNG.random((4, 5)) < 0.5) * 1.0),
     {"alpha": None, "gamma": 0.5}),
    ("sigmoid_focal", lambda: (RNG.normal(size=(4, 5)) * 3, RNG.random((4, 5))), {"alpha": 0.7, "gamma": 0.0}),
    ("dice", lambda: (RNG.normal(size=(3, 2, 4)) * 2, (RNG.random((3, 2, 4)) < 0.5) * 1.0), {}),
    ("dice", lambda: (RNG.uniform(0.05, 0.95, (3, 6)), RNG.random((3, 6))),
     {"smooth": 0.0, "eps": 1e-7, "from_logits": False}),
]


@pytest.mark.parametrize("name,make,params", GRAD_POINTS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(GRAD_POINTS)])
def test_grad_fd(name, make, params):
    arrays = make()
    reductions = LOSSES[name].reductions
    fd_check(name, arrays, params, reductions, h=1e-4 if name in ("binary_cross_entropy", "dice") else 1e-3)


def test_cross_entropy_gradient_is_softmax_minus_q():
    x = RNG.normal(size=(5, 4))
    y = np.array([0, 3, 1, 1, 2])
    p = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    q = np.eye(4)[y] * 0.9 + 0.1 / 4
    g = LOSSES["cross_entropy"].grad(x, y, reduction="sum", label_smoothing=0.1)["input"]
    assert np.allclose(g, p - q, rtol=1e-13, atol=1e-16)
    g = LOSSES["binary_cross_entropy_with_logits"].grad(x, p, reduction="sum")["input"]
    assert np.allclose(g, 1 / (1 + np.exp(-x)) - p, rtol=1e-13, atol=1e-16)


def test_saturated_gradients_are_finite():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    g = LOSSES["cross_entropy"].grad(x, np.array([0, 0]), reduction="sum")["input"]
    assert np.array_equal(g, [[0.0, 0.0, 0.0], [-1.0, 1.0, 0.0]])
    for name in ("binary_cross_entropy_with_logits", "sigmoid_focal", "multilabel_soft_margin", "dice"):
        g = LOSSES[name].grad(x, np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), reduction="sum")["input"]
        assert np.all(np.isfinite(g)), name
    # 0 log 0 = 0 on both sides of BCE: p = y in {0, 1} has zero loss and the one-sided slope
    g = LOSSES["binary_cross_entropy"].grad(np.array([0.0, 1.0]), np.array([0.0, 1.0]), reduction="none")
    assert np.array_equal(g["input"], [1.0, -1.0])
    lo, hi = g.one_sided["input"]
    assert np.all(lo <= g["input"]) and np.all(g["input"] <= hi)
    # log(0) where y != 0: -inf slope; clamped at log_min (torch's -100), the slope is 0, never NaN
    p, y = np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.5])
    assert LOSSES["binary_cross_entropy"].grad(p, y, reduction="none")["input"].tolist() == [-np.inf, np.inf, -np.inf]
    g = LOSSES["binary_cross_entropy"].grad(p, y, log_min=-100.0, reduction="none")["input"]
    assert g.tolist() == [0.0, 0.0, 0.5]  # third: -0.5 max(log p, -100) is flat, -0.5 log(1 - p) has slope 0.5
    # logits at +-inf: the limits of the slope, sigmoid(x) - y
    x, y = np.array([np.inf, -np.inf, np.inf]), np.array([1.0, 1.0, 0.25])
    g = LOSSES["binary_cross_entropy_with_logits"].grad(x[None], y[None], reduction="sum")["input"]
    assert np.array_equal(g, [[0.0, -1.0, 0.75]])
    g = LOSSES["multilabel_soft_margin"].grad(x[None], y[None], reduction="sum")["input"]
    assert np.array_equal(3 * g, [[0.0, -1.0, 0.75]])  # the mean over 3 classes
    assert LOSSES["soft_margin"].grad(x, np.array([1.0, 1.0, -1.0]), reduction="sum")["input"].tolist() == [0, -1, 1]


# ---------------------------------------------------------------- bad input


def test_bad_input():
    L = LOSSES
    x, y = RNG.normal(size=(4, 3)), np.array([0, 2, 1, 1])
    p, t = RNG.uniform(0.1, 0.9, (4, 3)), RNG.random((4, 3))
    for name in ("cross_entropy", "nll"):
        with pytest.raises(ValueError, match="target"):
            L[name](x, np.array([0, 3, 1, 1]))  # class index out of range
        with pytest.raises(ValueError, match="target"):
            L[name](x, np.array([0, -1, 1, 1]))  # -1 is not the ignore_index
        with pytest.raises(ValueError, match="target"):
            L[name](x, y[:3])  # shape mismatch
        with pytest.raises(ValueError, match="weight"):
            L[name](x, y, weight=np.ones(4))
        with pytest.raises(ValueError, match="input"):
            L[name](x.astype(int), y)
        with pytest.raises(ValueError, match="reduction"):
            L[name](x, y, reduction="batchmean")
        with pytest.raises(ValueError, match="unknown parameter"):
            L[name](x, y, size_average=True)
    with pytest.raises(ValueError, match="target"):
        L["nll"](x, y.astype(float))
    with pytest.raises(ValueError, match="target"):
        L["cross_entropy"](x, t * 2)  # probabilities outside [0, 1]
    with pytest.raises(ValueError, match="shape mismatch"):
        L["cross_entropy"](x, t[:, :2])
    with pytest.raises(ValueError, match="label_smoothing"):
        L["cross_entropy"](x, y, label_smoothing=1.5)
    prob_inputs = {"binary_cross_entropy": p, "binary_cross_entropy_with_logits": x, "kl_div": np.log(p),
                   "multilabel_soft_margin": x, "sigmoid_focal": x, "dice": x}
    for name, a in prob_inputs.items():
        with pytest.raises(ValueError, match="shape mismatch"):
            L[name](a, t[:, :2])
        with pytest.raises(ValueError, match="target"):
            L[name](a, t + 1.0)  # probability outside [0, 1]
        with pytest.raises(ValueError, match="target"):
            L[name](a, t - 1.0)
        with pytest.raises(ValueError, match="input"):
            L[name](np.zeros((4, 3), dtype=np.int64), t)
        with pytest.raises(ValueError, match="reduction"):
            L[name](a, t, reduction="elementwise_mean")
    with pytest.raises(ValueError, match="input"):
        L["binary_cross_entropy"](p + 1.0, t)
    with pytest.raises(ValueError, match="input"):
        L["dice"](p - 1.0, t, from_logits=False)
    with pytest.raises(ValueError, match="weight"):
        L["binary_cross_entropy"](p, t, weight=np.ones(4))
    with pytest.raises(ValueError, match="pos_weight"):
        L["binary_cross_entropy_with_logits"](x, t, pos_weight=np.ones(2))
    with pytest.raises(ValueError, match="label_smoothing"):
        L["binary_cross_entropy_with_logits"](x, t, label_smoothing=-0.1)
    with pytest.raises(ValueError, match="target"):
        L["soft_margin"](x, (t > 0.5) * 1.0)  # {0, 1} labels
    with pytest.raises(ValueError, match="shape mismatch"):
        L["soft_margin"](x, np.ones((4, 2)))
    with pytest.raises(ValueError, match="alpha"):
        L["sigmoid_focal"](x, t, alpha=-1.0)
    with pytest.raises(ValueError, match="gamma"):
        L["sigmoid_focal"](x, t, gamma=-1.0)
    with pytest.raises(ValueError, match="input"):
        L["multilabel_soft_margin"](x.ravel(), t.ravel())


# ---------------------------------------------------------------- identities


def np_log_softmax(x, axis=1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def test_cross_entropy_is_nll_of_log_softmax():
    for x, y, params in [(RNG.normal(size=(6, 5)), np.array([0, 4, -100, 2, 2, 1]), {}),
                         (RNG.normal(size=(6, 5)), np.array([0, 4, 3, 2, 2, 1]), {"weight": W5, "ignore_index": 2}),
                         (RNG.normal(size=(3, 4, 2, 2)), RNG.integers(0, 4, size=(3, 2, 2)), {})]:
        for reduction in ("none", "mean", "sum"):
            a = LOSSES["cross_entropy"](x, y, reduction=reduction, label_smoothing=0.0, **params)
            b = LOSSES["nll"](np_log_softmax(x), y, reduction=reduction, **params)
            assert np.allclose(a, b, rtol=1e-14, atol=1e-16)


def test_document_004_label_smoothing_cross_entropy():
    # 004_18f5d166812d638a.txt, CrossEntropyLossWithLabelSmoothing(n_dim, ls_): target = one_hot * ls_
    # + (1 - ls_) / n_dim; loss = (-log_softmax(x, -1) * target).sum(-1).mean()  (ls_ is the confidence)
    x, y = RNG.normal(size=(7, 5)), RNG.integers(0, 5, size=7)
    for ls_ in (0.9, 0.75, 1.0):
        target = np.eye(5)[y] * ls_ + (1 - ls_) / 5
        doc = (-np_log_softmax(x, -1) * target).sum(-1)
        got = LOSSES["cross_entropy"](x, y, label_smoothing=1 - ls_, reduction="none")
        assert np.allclose(got, doc, rtol=1e-14)
        assert LOSSES["cross_entropy"](x, y, label_smoothing=1 - ls_) == pytest.approx(doc.mean(), rel=1e-14)


def test_bce_with_logits_is_bce_of_sigmoid():
    x = RNG.normal(size=(5, 4)) * 3
    y = RNG.random((5, 4))
    s = 1 / (1 + np.exp(-x))
    for params in ({}, {"weight": RNG.random(4)}, {"label_smoothing": 0.1}):
        for reduction in ("none", "mean", "sum"):
            a = LOSSES["binary_cross_entropy_with_logits"](x, y, reduction=reduction, **params)
            b = LOSSES["binary_cross_entropy"](s, y, reduction=reduction, **params)
            assert np.allclose(a, b, rtol=1e-12)
    # multilabel soft margin is the per-sample mean of BCE with logits; focal with gamma 0, alpha None is BCE
    assert np.allclose(LOSSES["multilabel_soft_margin"](x, y, reduction="none"),
                       LOSSES["binary_cross_entropy_with_logits"](x, y, reduction="none").mean(axis=1), rtol=1e-15)
    assert np.allclose(LOSSES["sigmoid_focal"](x, y, alpha=None, gamma=0.0, reduction="none"),
                       LOSSES["binary_cross_entropy_with_logits"](x, y, reduction="none"), rtol=1e-15)
    # pos_weight = 1 is no pos_weight; label smoothing is a target transformation
    assert np.array_equal(LOSSES["binary_cross_entropy_with_logits"](x, y, pos_weight=np.ones(4), reduction="none"),
                          LOSSES["binary_cross_entropy_with_logits"](x, y, reduction="none"))
    assert np.allclose(LOSSES["binary_cross_entropy"](s, y, label_smoothing=0.2, reduction="none"),
                       LOSSES["binary_cross_entropy"](s, y * 0.8 + 0.1, reduction="none"), rtol=1e-15)


def test_soft_margin_is_logistic_loss():
    x = RNG.normal(size=(6, 4)) * 3
    y = np.where(RNG.random((6, 4)) < 0.5, -1.0, 1.0)
    assert np.allclose(LOSSES["soft_margin"](x, y, reduction="none"), np.log1p(np.exp(-y * x)), rtol=1e-15)
    # and BCE with logits on {0, 1} labels
    assert np.allclose(LOSSES["soft_margin"](x, y, reduction="none"),
                       LOSSES["binary_cross_entropy_with_logits"](x, (y + 1) / 2, reduction="none"), rtol=1e-15)


def test_kl_div_log_target_and_batchmean():
    x, t = np.log(_probs((4, 5))), _probs((4, 5))
    a = LOSSES["kl_div"](x, t, reduction="none")
    assert np.allclose(a, LOSSES["kl_div"](x, np.log(t), log_target=True, reduction="none"), rtol=1e-13, atol=1e-16)
    assert LOSSES["kl_div"](x, t, reduction="batchmean") == pytest.approx(a.sum() / 4, rel=1e-15)
    assert LOSSES["kl_div"](x, t, reduction="mean") == pytest.approx(a.sum() / 20, rel=1e-15)
    assert np.all(a.sum(axis=1) >= 0)  # KL(t || p) >= 0 per sample
    g = LOSSES["kl_div"].grad(x, t, reduction="batchmean")["input"]
    assert np.allclose(g, -t / 4, rtol=1e-15)


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_target_gradient_vs_mpmath(log_target):
    """d/dt of t (log t - x) is log t + 1 - x (mpmath's numerical derivative), -inf at t = 0; with log targets
    d/dl of e^l (l - x) is e^l (l + 1 - x), 0 at l = -inf."""
    x = np.array([[-0.5, -1.2, -3.0, -1e-9], [-700.0, -2.0, -0.1, -30.0]])
    t = np.array([[0.3, 1e-300, 0.0, 1.0], [0.5, 0.25, 1.0 - 2.0**-40, 1e-12]])
    if log_target:
        t = np.where(t == 0, -np.inf, np.log(np.where(t == 0, 1.0, t)))
    cot = RNG.normal(size=x.shape)
    g = LOSSES["kl_div"].grad(x, t, reduction="none", cotangent=cot, log_target=log_target)["target"]
    for (i, j), gij in np.ndenumerate(g):
        xx, tt = M(float(x[i, j])), M(float(t[i, j]))
        if not log_target and tt == 0:
            assert gij == -np.inf * np.sign(cot[i, j])
            continue
        if log_target and not mpmath.isfinite(tt):
            assert gij == 0
            continue
        if log_target:
            def f(u, xx=xx):
                return mpmath.exp(u) * (u - xx)
        else:
            def f(u, xx=xx):
                return u * (mpmath.log(u) - xx)
        exact = cot[i, j] * mpmath.diff(f, tt, h=max(abs(tt), M(1) if log_target else tt) * M(2) ** -80)
        assert abs(gij - float(exact)) <= 4 * np.finfo(float).eps * float(abs(exact) + abs(cot[i, j] * (xx - 1))), \
            (i, j, gij, exact)


def _arrays_for(name):
    x = RNG.normal(size=(6, 4))
    y = RNG.integers(0, 4, size=6)
    t = RNG.random((6, 4))
    return {"cross_entropy": (x, y), "nll": (np_log_softmax(x), y), "binary_cross_entropy": (1 / (1 + np.exp(-x)), t),
            "binary_cross_entropy_with_logits": (x, t), "kl_div": (np_log_softmax(x), _probs((6, 4))),
            "multilabel_soft_margin": (x, t), "soft_margin": (x, np.where(t < 0.5, -1.0, 1.0)),
            "sigmoid_focal": (x, t), "dice": (x, t)}[name]


@pytest.mark.parametrize("name", ["cross_entropy", "nll"])
def test_weighted_mean_divides_by_the_target_weights(name):
    arrays = _arrays_for(name)
    loss = LOSSES[name]
    w = RNG.random(4) + 0.1
    den = w[arrays[1]].sum()
    assert loss(*arrays, weight=w) == pytest.approx(loss(*arrays, weight=w, reduction="sum") / den, rel=1e-15)


@pytest.mark.parametrize("name", ["cross_entropy", "nll", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                                  "multilabel_soft_margin"])
def test_weights_of_ones_are_no_weights(name):
    arrays = _arrays_for(name)
    for reduction in ("none", "mean", "sum"):
        a = LOSSES[name](*arrays, reduction=reduction)
        b = LOSSES[name](*arrays, weight=np.ones(4), reduction=reduction)
        assert np.allclose(a, b, rtol=1e-15, atol=0)


# ---------------------------------------------------------------- beyond the documents: softmax_focal,
# generalized_cross_entropy.  Scales: generalized_cross_entropy |exact| (every value >= 0, formed without
# cancellation); softmax_focal (1 + gamma) |exact|: (1 - p)^gamma multiplies the relative error of 1 - p,
# a rounded quantity even when correctly rounded, by gamma.  The tests from here on draw from their own
# generator RNG_B: drawing from RNG would change the inputs of the tests above.


RNG_B = np.random.default_rng(1211)


def _probs_b(shape, axis=1):
    e = np.exp(RNG_B.normal(size=shape))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_focal_oracle(x, t, alpha=0.25, gamma=2.0, label_smoothing=0.0, clip_eps=0.0):
    """Per-row -sum_c alpha_c (1 - p_c)^gamma q_c log p_c in mpmath, x and t (N, C)."""
    c = x.shape[1]
    a = [M(float(v)) for v in np.broadcast_to(alpha, (c,))]
    ls, g = M(label_smoothing), M(gamma)
    vals = []
    for xr, tr in zip(x, t):
        xr = mpf_array(xr)
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in xr))
        logp = [v - lse for v in xr]
        p = [mpmath.exp(v) for v in logp]
        if clip_eps > 0:
            p = [min(max(v, M(clip_eps)), M(float(1 - clip_eps))) for v in p]
            logp = [mpmath.log(v) for v in p]
        q = [(1 - ls) * M(float(v)) + ls / c for v in tr]
        vals.append(-mpmath.fsum(a[k] * (1 - p[k]) ** g * q[k] * logp[k] for k in range(c) if q[k] != 0))
    return vals


FOCAL_X = np.concatenate([CE_EDGE_X, RNG_B.normal(size=(14, 4)) * 3])
FOCAL_T = np.concatenate([np.eye(4)[CE_EDGE_Y], _probs_b((7, 4)), np.eye(4)[RNG_B.integers(0, 4, size=7)]])


@pytest.mark.parametrize("params", [{}, {"gamma": 0.0, "alpha": 1.0}, {"gamma": 0.5}, {"gamma": 5.0, "alpha": 0.5},
                                    {"label_smoothing": 0.1}, {"alpha": np.array([0.25, 1.0, 2.0, 0.5])},
                                    {"clip_eps": 1e-7}, {"clip_eps": 1e-7, "label_smoothing": 0.2}])
def test_values_softmax_focal(params):
    vals = softmax_focal_oracle(FOCAL_X, FOCAL_T, **params)
    assert len(vals) >= 20
    scale = [(1 + params.get("gamma", 2.0)) * float(abs(v)) for v in vals]
    check_reductions("softmax_focal", (FOCAL_X, FOCAL_T), params, vals, scale=scale)


def test_softmax_focal_kdim_and_cross_entropy_identity():
    x, t = RNG_B.normal(size=(3, 4, 2, 2)), _probs_b((3, 4, 2, 2))
    got = LOSSES["softmax_focal"](x, t, reduction="none")
    rows = softmax_focal_oracle(np.moveaxis(x, 1, -1).reshape(-1, 4), np.moveaxis(t, 1, -1).reshape(-1, 4))
    check("softmax_focal", got, rows, [3 * float(v) for v in rows])
    # gamma = 0, alpha = 1 is cross entropy on probability targets, with and without smoothing
    for ls in (0.0, 0.3):
        ce = LOSSES["cross_entropy"](x, t, label_smoothing=ls, reduction="none")
        fo = LOSSES["softmax_focal"](x, t, alpha=1.0, gamma=0.0, label_smoothing=ls, reduction="none")
        assert np.allclose(fo, ce, rtol=1e-14, atol=0)


def gce_oracle(p, y, q=0.5):
    q = M(q)
    return [(-mpmath.log(M(float(r[k]))) if q == 0 else (1 - M(float(r[k])) ** q) / q) for r, k in zip(p, y)]


GCE_P = np.concatenate([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1 - 2.0**-40, 2.0**-40, 0.0], [1e-300, 1.0, 0.0],
                         [0.5, 0.25, 0.25], [1 - 1e-9, 1e-9, 0.0], [1e-9, 1 - 1e-9, 0.0]], _probs_b((15, 3))])
GCE_Y = np.concatenate([[0, 0, 0, 0, 2, 0, 0], RNG_B.integers(0, 3, size=15)])


@pytest.mark.parametrize("q", [0.5, 0.7, 1e-3, 1.0, 0.0])
def test_values_generalized_cross_entropy(q):
    check_reductions("generalized_cross_entropy", (GCE_P, GCE_Y), {"q": q}, gce_oracle(GCE_P, GCE_Y, q))


def test_generalized_cross_entropy_limits():
    p, y = _probs_b((6, 3)), RNG_B.integers(0, 3, size=6)
    L = LOSSES["generalized_cross_entropy"]
    ce = -np.log(p[np.arange(6), y])
    assert np.allclose(L(p, y, q=1e-9, reduction="none"), ce, rtol=1e-8)  # q -> 0: cross entropy
    assert np.array_equal(L(p, y, q=0.0, reduction="none"), ce)
    assert np.allclose(L(p, y, q=1.0, reduction="none"), 1 - p[np.arange(6), y], rtol=1e-15)
    g = L.grad(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 0]), reduction="none")["input"]
    assert g.tolist() == [[-np.inf, 0.0], [-1.0, 0.0]]  # -p^(q - 1): -inf at p = 0


@pytest.mark.parametrize("params", [{}, {"gamma": 0.5, "label_smoothing": 0.1}, {"alpha": np.array([0.5, 1.0, 2.0])},
                                    {"clip_eps": 1e-7, "gamma": 3.0}])
def test_grad_fd_softmax_focal(params):
    x, t = RNG_B.normal(size=(4, 3)) * 2, _probs_b((4, 3))
    fd_check("softmax_focal", (x, t), params)
    x, t = RNG_B.normal(size=(2, 3, 2)), _probs_b((2, 3, 2))
    fd_check("softmax_focal", (x, t), params)


@pytest.mark.parametrize("q", [0.5, 0.9, 0.0, 1.0])
def test_grad_fd_generalized_cross_entropy(q, monkeypatch):
    p, y = _probs_b((5, 3)), RNG_B.integers(0, 3, size=5)
    fd_check("generalized_cross_entropy", (p, y), {"q": q}, h=1e-5)
    loss = LOSSES["generalized_cross_entropy"]
    closed = loss.grad(p, y, q=q, reduction="sum")["input"]
    monkeypatch.setattr(loss, "closed_form", None)
    assert np.allclose(closed, loss.grad(p, y, q=q, reduction="sum")["input"], rtol=1e-13, atol=0)


def test_softmax_focal_clip_keeps_the_unclipped_form_inside_the_bounds():
    # p_1 ~ 1 - 1e-4: log of the rounded p_1 would lose ~1e4 ulp; inside [eps, 1 - eps] the clip changes nothing
    x = np.array([[-2.59563923, 9.96899855, 0.67735984, -1.05789238], [0.1, 0.2, 0.3, 0.4]])
    t = np.array([[0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
    for gamma in (0.0, 2.0):
        clipped = LOSSES["softmax_focal"](x, t, gamma=gamma, clip_eps=1e-7, reduction="none")
        assert np.array_equal(clipped, LOSSES["softmax_focal"](x, t, gamma=gamma, reduction="none"))
    # beyond the upper bound: 1 - p is 1 - (1 - eps) in floating point, log p is log(1 - eps)
    v = LOSSES["softmax_focal"](np.array([[40.0, 0.0]]), np.array([[1.0, 0.0]]), clip_eps=1e-7, reduction="none")
    assert v[0] == -0.25 * (1.0 - (1.0 - 1e-7)) ** 2 * np.log(1.0 - 1e-7)


def test_softmax_focal_saturated_gradient_is_finite():
    x, t = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]]), np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5]])
    g = LOSSES["softmax_focal"].grad(x, t, reduction="sum")["input"]
    assert np.all(np.isfinite(g))
    assert LOSSES["softmax_focal"](x, t, reduction="none")[0] == 0.0


def test_bad_input_beyond():
    x, t = RNG_B.normal(size=(3, 4)), _probs_b((3, 4))
    F = LOSSES["softmax_focal"]
    for kwargs, argument in [({"gamma": -1.0}, "gamma"), ({"label_smoothing": 1.5}, "label_smoothing"),
                             ({"clip_eps": 0.5}, "clip_eps"), ({"alpha": np.ones(3)}, "alpha")]:
        with pytest.raises(ValueError, match=argument):
            F(x, t, **kwargs)
    for arrays, argument in [((x[0], t[0]), "input"), ((x, t[:, :3]), "shape"), ((x, t + 1), "target"),
                             ((x, np.array([0, 1, 2])), "target"), ((np.arange(12).reshape(3, 4), t), "input")]:
        with pytest.raises(ValueError, match=argument):
            F(*arrays)
    G = LOSSES["generalized_cross_entropy"]
    y = np.array([0, 1, 3])
    for arrays, kwargs, argument in [((t, y), {"q": 1.5}, "q"), ((t, y), {"q": -0.1}, "q"), ((x, y), {}, "input"),
                                     ((t, np.array([0, 1, 4])), {}, "target"), ((t, y.astype(float)), {}, "target"),
                                     ((t, y[:2]), {}, "target"), ((t[0], y[0]), {}, "input"),
                                     ((t, np.array([0, -100, 1])), {}, "target")]:
        with pytest.raises(ValueError, match=argument):
            G(*arrays, **kwargs)


# ---------------------------------------------------------------- the documents' second forms: whole-batch dice,
# per-sample weighting of the smoothed cross entropy


def documents_dice_loss(inputs, targets, smooth=1):
    """004_18f5d166812d638a.txt's ``DiceLoss.forward``, line by line in NumPy (F.sigmoid, view(-1))."""
    inputs = 1 / (1 + np.exp(-inputs))
    inputs = inputs.reshape(-1)
    targets = targets.reshape(-1)
    intersection = (inputs * targets).sum()
    dice = (2.0 * intersection + smooth) / (inputs.sum() + targets.sum() + smooth)
    return 1 - dice


@pytest.mark.parametrize("shape", [(4, 1, 3, 3), (6, 5), (3,)])
def test_dice_whole_batch_is_the_documents_dice_loss(shape):
    x, t = RNG_B.normal(size=shape) * 2, (RNG_B.random(shape) < 0.4).astype(float)
    assert shape[0] > 1  # a multi-sample batch: here the two forms differ
    got = LOSSES["dice"](x, t, whole_batch=True, reduction="none")
    assert np.shape(got) == ()
    assert got == pytest.approx(documents_dice_loss(x, t), rel=1e-13)
    for reduction in ("mean", "sum"):  # one value: every reduction is that value
        assert LOSSES["dice"](x, t, whole_batch=True, reduction=reduction) == got
    per_sample = LOSSES["dice"](x, t, reduction="none")
    assert not np.allclose(per_sample.mean(), got)
    # mpmath: the whole batch as one sample
    [exact] = dice_oracle(x.reshape(1, -1), t.reshape(1, -1))
    check("dice", [got], [exact])


@pytest.mark.parametrize("params", [{}, {"smooth": 0.0, "eps": 1e-7, "from_logits": False}])
def test_dice_whole_batch_grad(params):
    x, t = RNG_B.normal(size=(3, 2, 2)), RNG_B.random((3, 2, 2))
    if not params.get("from_logits", True):
        x = 0.5 + 0.5 * np.tanh(x / 2)
    fd_check("dice", (x, t), {**params, "whole_batch": True})


def test_dice_whole_batch_closed_form_matches_autograd(monkeypatch):
    x, t = RNG_B.normal(size=(3, 4)), RNG_B.random((3, 4))
    loss = LOSSES["dice"]
    closed = loss.grad(x, t, whole_batch=True, reduction="none", cotangent=np.array(0.7))["input"]
    monkeypatch.setattr(loss, "closed_form", None)
    auto = loss.grad(x, t, whole_batch=True, reduction="none", cotangent=np.array(0.7))["input"]
    assert np.allclose(closed, auto, rtol=1e-12, atol=1e-300)


def sample_weighted_ce_oracle(x, target, weight, label_smoothing=0.0, ignore_index=-100):
    """-w_y sum_c q_c log p_c per sample (q smoothed), and the mean's denominator sum w_y, in mpmath."""
    plain, _ = ce_oracle(x, target, label_smoothing=label_smoothing, ignore_index=ignore_index)
    t = np.ravel(target)
    w = [M(0) if k == ignore_index else M(float(weight[k])) for k in t]
    return [a * b for a, b in zip(w, plain)], mpmath.fsum(w)


@pytest.mark.parametrize("params", [{"label_smoothing": 0.1}, {"label_smoothing": 0.3, "ignore_index": 2}, {}])
def test_values_cross_entropy_sample_weighting(params):
    x = np.concatenate([CE_EDGE_X, RNG_B.normal(size=(14, 4)) * 3])
    y = np.concatenate([CE_EDGE_Y, RNG_B.integers(0, 4, size=14)])
    w = np.array([0.5, 0.0, 2.0, 1.5])
    vals, den = sample_weighted_ce_oracle(x, y, w, **params)
    check_reductions("cross_entropy", (x, y), {**params, "weight": w, "weighting": "sample"}, vals, denominator=den)
    torch_form = LOSSES["cross_entropy"](x, y, weight=w, reduction="none", **params)
    keras_form = LOSSES["cross_entropy"](x, y, weight=w, weighting="sample", reduction="none", **params)
    if params.get("label_smoothing"):  # the weightings differ only where the target is smoothed
        assert not np.allclose(torch_form, keras_form)
    else:
        assert np.allclose(torch_form, keras_form, rtol=1e-15, atol=0)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_grad_cross_entropy_sample_weighting(reduction, monkeypatch):
    x, y = RNG_B.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    params = {"weight": np.array([0.5, 0.0, 2.0, 1.5]), "weighting": "sample", "label_smoothing": 0.2}
    fd_check("cross_entropy", (x, y), params, reductions=(reduction,))
    loss = LOSSES["cross_entropy"]
    closed = loss.grad(x, y, reduction=reduction, **params)["input"]
    monkeypatch.setattr(loss, "closed_form", None)
    assert np.allclose(closed, loss.grad(x, y, reduction=reduction, **params)["input"], rtol=1e-12, atol=1e-300)


def test_cross_entropy_weighting_bad_input():
    x = RNG_B.normal(size=(3, 4))
    with pytest.raises(ValueError, match="weighting"):
        LOSSES["cross_entropy"](x, np.array([0, 1, 2]), weighting="batch")
    with pytest.raises(ValueError, match="weighting"):
        LOSSES["cross_entropy"](x, _probs_b((3, 4)), weight=np.ones(4), weighting="sample")


# ---------------------------------------------------------------- poly1, generalized_kl.  Scales: poly1
# CE + |epsilon| sum_c q_c (1 - p_c), the sum of its terms' magnitudes (epsilon < 0 cancels); generalized_kl
# |v| + |x| |dv/dx| + |t| |dv/dt| = |v| + |x| |e^x - t| + t |x - log t|: it vanishes to second order at
# e^x = t, and rounding log t moves it to first order.


def poly1_oracle(x, t, epsilon=2.0):
    """(values, scales) per row."""
    vals, scales = [], []
    for xr, tr in zip(x, t):
        xr = mpf_array(xr)
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in xr))
        logp = [v - lse for v in xr]
        q = mpf_array(tr)
        ce = mpmath.fsum(-a * b for a, b in zip(q, logp) if a != 0)
        poly = mpmath.fsum(a * (1 - mpmath.exp(b)) for a, b in zip(q, logp))
        vals.append(ce + M(epsilon) * poly)
        scales.append(float(ce + abs(M(epsilon)) * poly))
    return vals, scales


@pytest.mark.parametrize("epsilon", [2.0, 0.0, 1.0, -1.0])
def test_values_poly1(epsilon):
    vals, scale = poly1_oracle(FOCAL_X, FOCAL_T, epsilon)
    check_reductions("poly1", (FOCAL_X, FOCAL_T), {"epsilon": epsilon}, vals, scale=scale)
    x, t = RNG_B.normal(size=(2, 3, 2)), _probs_b((2, 3, 2))
    rows, scale = poly1_oracle(np.moveaxis(x, 1, -1).reshape(-1, 3), np.moveaxis(t, 1, -1).reshape(-1, 3), epsilon)
    check("poly1", LOSSES["poly1"](x, t, epsilon=epsilon, reduction="none"), rows, scale)


def gkl_oracle(x, t):
    if t == 0:
        v = mpmath.exp(x)
        return v, v + abs(x) * v
    v = t * (mpmath.log(t) - x) - t + mpmath.exp(x)
    return v, abs(v) + abs(x) * abs(mpmath.exp(x) - t) + t * abs(x - mpmath.log(t))


def test_values_generalized_kl():
    t = np.concatenate([[1.0, 2.0, 0.0, 0.5, 1e-300, 1e8, 3.0, 1.0, 0.25, 7.0, 0.0, 1.0],
                        np.exp(RNG_B.normal(size=12))])
    x = np.concatenate([[0.0, np.log(2.0) + 1e-9, 1.0, np.log(0.5) - 1e-3, -690.0, np.log(1e8) + 0.3, 5.0, -30.0,
                         np.log(0.25) + 1e-12, 1.0, -745.0, 700.0], RNG_B.normal(size=12)])
    out = [gkl_oracle(M(float(a)), M(float(b))) for a, b in zip(x, t)]
    vals, scale = [v for v, _ in out], [float(s) for _, s in out]
    check_reductions("generalized_kl", (x, t), {}, vals, scale=scale)
    got = LOSSES["generalized_kl"](np.array([np.inf, -np.inf, np.nan, -np.inf]), np.array([1.0, 1.0, 1.0, 0.0]),
                                   reduction="none")
    assert got[:2].tolist() == [np.inf, np.inf] and np.isnan(got[2]) and got[3] == 0.0


@pytest.mark.parametrize("name,make,params", [
    ("poly1", lambda: (RNG_B.normal(size=(4, 3)) * 2, _probs_b((4, 3))), {}),
    ("poly1", lambda: (RNG_B.normal(size=(2, 3, 2)), _probs_b((2, 3, 2))), {"epsilon": -0.5}),
    ("generalized_kl", lambda: (RNG_B.normal(size=(3, 4)), np.exp(RNG_B.normal(size=(3, 4)))), {}),
    ("generalized_kl", lambda: (np.log([[1.0 + 1e-3, 2.0], [0.5, 3.0]]), np.array([[1.0, 0.0], [0.5, 2.0]])), {})])
def test_grad_fd_poly1_generalized_kl(name, make, params):
    fd_check(name, make(), params, h=1e-4)


def test_bad_input_poly1_generalized_kl():
    x, t = RNG_B.normal(size=(3, 4)), _probs_b((3, 4))
    for arrays, argument in [((x[0], t[0]), "input"), ((x, t[:, :3]), "shape"), ((x, t + 1), "target"),
                             ((x, np.array([0, 1, 2])), "target")]:
        with pytest.raises(ValueError, match=argument):
            LOSSES["poly1"](*arrays)
    for arrays, argument in [((x, -t), "target"), ((x, t[:, :3]), "shape"), ((np.arange(3), t[0, :3]), "input")]:
        with pytest.raises(ValueError, match=argument):
            LOSSES["generalized_kl"](*arrays)


# ---------------------------------------------------------------- sparsemax (binary and multiclass).  Scale:
# |exact| (binary: exact arithmetic on one rounded u; multiclass: a sum of squares and a max(., 0) of rounded
# terms); plus the shift's rounding, sum_j |z_j - max z| |p_j - e_y| u, where the scores are large.

RNG_S = np.random.default_rng(2016)


def sparsemax_oracle(z, y):
    """Martins and Astudillo 2016, eq. 19, in mpmath: 1/2 sum_{j in S} (z_j^2 - tau^2) + 1/2 - z_y, and p."""
    z = [M(float(v)) for v in z]
    zs = sorted(z, reverse=True)
    k = max(j for j in range(1, len(z) + 1) if 1 + j * zs[j - 1] > mpmath.fsum(zs[:j]))
    tau = (mpmath.fsum(zs[:k]) - 1) / k
    p = [max(v - tau, M(0)) for v in z]
    return mpmath.fsum((v * v - tau * tau) for v in z if v > tau) / 2 + M(1) / 2 - z[y], p


def sparse_plus_oracle(u):
    u = M(float(u))
    return M(0) if u <= -1 else u if u >= 1 else (u + 1) ** 2 / 4


SPARSEMAX_Z = np.concatenate([
    [[1.0, 1.0, 1.0], [2.0, 2.0, 0.0], [2.0, 2.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, -5.0], [0.5, 0.0, 0.0],
     [100.0, 0.0, 0.0], [0.0, 100.0, 0.0], [1e8, 1e8 - 1, 1e8 - 0.5], [1e-300, 0.0, -1e-300], [3.0, 3.0, 3.0 - 2**-40],
     [-1e8, 0.0, 1e8]],
    RNG_S.normal(size=(12, 3)) * 2])
SPARSEMAX_Y = np.concatenate([[0, 0, 2, 1, 0, 2, 1, 0, 1, 1, 2, 1], RNG_S.integers(0, 3, size=12)])


def test_values_sparsemax_multiclass():
    got = LOSSES["sparsemax"](SPARSEMAX_Z, SPARSEMAX_Y, reduction="none")
    vals, scale = [], []
    for z, y in zip(SPARSEMAX_Z, SPARSEMAX_Y, strict=True):
        v, p = sparsemax_oracle(z, y)
        vals.append(v)
        shift = sum(abs(float(a) - z.max()) * abs(float(q) - (j == y)) for j, (a, q) in enumerate(zip(z, p)))
        scale.append(float(abs(v)) + shift)
    check("sparsemax", got, vals, np.array(scale))
    assert len(vals) >= 20
    assert got[6] == 100.0 and got[0] == pytest.approx(1 / 3, rel=1e-15)  # saturated; a three-way tie
    total = mpmath.fsum(vals)
    check("sparsemax", [LOSSES["sparsemax"](SPARSEMAX_Z, SPARSEMAX_Y, reduction="sum")], [total], [sum(scale)])


def test_values_sparsemax_binary_and_the_two_class_identity():
    x = np.concatenate([[-1.0, 1.0, -1.0 - 2**-52, 1.0 + 2**-52, 0.0, 1e8, -1e8, 1e-300, 0.5, -0.5],
                        RNG_S.normal(size=12) * 2])
    y = np.concatenate([[0, 0, 1, 1, 1, 0, 0, 1, 1, 0], RNG_S.integers(0, 2, size=12)])
    got = LOSSES["sparsemax"](x, y, reduction="none")
    check("sparsemax", got, [sparse_plus_oracle(-a if b == 1 else a) for a, b in zip(x, y, strict=True)])
    # the multiclass loss of the scores (x, 0), class 0 the positive one
    two = LOSSES["sparsemax"](np.stack([x, np.zeros_like(x)], axis=1), 1 - y, reduction="none")
    assert np.allclose(two, got, rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("points", [
    (RNG_S.normal(size=(5, 4)), RNG_S.integers(0, 4, size=5)),
    (np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 0.0], [0.3, 0.3, -2.0]]), np.array([0, 2, 1])),  # ties
    (RNG_S.normal(size=7) * 2, RNG_S.integers(0, 2, size=7)),
])
def test_grad_sparsemax(points):
    x, y = points
    fd_check("sparsemax", (x, y), {})  # C1: central differences hold at ties and where the support changes
    g = LOSSES["sparsemax"].grad(x, y, reduction="sum")["input"]
    if x.ndim == 2:  # p - e_y: each row sums to 0
        assert np.allclose(g.sum(axis=1), 0.0, atol=1e-15)


def test_grad_sparsemax_branch_points():
    # binary at u = +-1 and multiclass where a class leaves the support (z_j = tau): the one-sided
    # derivatives agree (C1), and the gradient is p - e_y there
    x, y = np.array([-1.0, 1.0, 1.0, -1.0]), np.array([0, 0, 1, 1])
    lo, hi = LOSSES["sparsemax"].grad(x, y, reduction="none").one_sided["input"]
    assert np.allclose(lo, hi, atol=1e-8)
    z, t = np.array([[1.0, 0.0, 0.0]]), np.array([1])
    g = LOSSES["sparsemax"].grad(z, t, reduction="sum")
    assert g["input"].tolist() == [[1.0, -1.0, 0.0]]
    lo, hi = g.one_sided["input"]
    assert np.allclose(lo, hi, atol=1e-8)


def test_sparsemax_bad_input():
    S = LOSSES["sparsemax"]
    for arrays, argument in [((np.zeros((2, 3)), np.array([0, 3])), "target"),
                             ((np.zeros((2, 3)), np.array([0.0, 1.0])), "target"),
                             ((np.zeros((2, 3)), np.array([0, 1, 2])), "target"),
                             ((np.zeros((2, 1)), np.array([0, 0])), "input"),
                             ((np.zeros((2, 3, 1)), np.array([0, 0])), "input"),
                             ((np.zeros(3), np.array([0, 2, 1])), "target"),
                             ((np.zeros(3, dtype=int), np.array([0, 1, 1])), "input")]:
        with pytest.raises(ValueError, match=argument):
            S(*arrays)
