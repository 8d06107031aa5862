"""The overlap losses (reference/overlap.py: tversky) against mpmath, finite differences and dice.

Scale: |exact| -- the loss is formed as a ratio of sums of non-negative terms (no cancellation).
"""

import mpmath
import numpy as np
import pytest
from numerics import check_value, directional_fd

from reference import LOSSES

M = mpmath.mpf
RNG = np.random.default_rng(17)


def tversky_oracle(x, t, alpha=0.5, beta=0.5, smooth=0.0, eps=0.0, from_logits=False, whole_batch=False):
    if whole_batch:
        x, t = x.reshape(1, -1), t.reshape(1, -1)
    vals = []
    for xr, tr in zip(x.reshape(len(x), -1), t.reshape(len(t), -1), strict=True):
        p = [1 / (1 + mpmath.exp(-M(float(v)))) if from_logits else M(float(v)) for v in xr]
        tt = [M(float(v)) for v in tr]
        tp = mpmath.fsum(a * b for a, b in zip(p, tt))
        fp = mpmath.fsum(a * (1 - b) for a, b in zip(p, tt))
        fn = mpmath.fsum((1 - a) * b for a, b in zip(p, tt))
        den = tp + M(alpha) * fp + M(beta) * fn + M(smooth) + M(eps)
        vals.append(mpmath.nan if den == 0 else 1 - (tp + M(smooth)) / den)
    return vals


def check(got, vals):
    got = np.ravel(got)
    finite = np.array([bool(mpmath.isfinite(v)) for v in vals])
    assert np.all(np.isnan(got[~finite]))
    check_value("tversky", got[finite], [v for v, f in zip(vals, finite) if f], 0.0)


def arrays(from_logits):
    x = RNG.normal(size=(22, 2, 3)) * 2
    t = (RNG.random((22, 2, 3)) < 0.4).astype(float)
    x[0, 0] = [1e4, -1e4, 40.0]
    x[1, 0] = [1e-9, -1e-9, 0.0]
    t[2] = 0.0
    t[3] = RNG.random((2, 3))
    if not from_logits:
        x = 0.5 + 0.5 * np.tanh(x / 2)
        x[4] = 0.0
        x[5, 0] = [1e-300, 1.0, 1 - 2.0**-40]
        t[6], x[6] = 1.0, 1.0  # a perfect prediction: loss 0
    return x, t


PARAMS = [{}, {"alpha": 0.3, "beta": 0.7}, {"alpha": 0.7, "beta": 0.3, "eps": 1e-7}, {"smooth": 1.0},
          {"from_logits": True}, {"alpha": 1.0, "beta": 1.0}, {"alpha": 0.0, "beta": 2.0, "smooth": 1e-5}]


@pytest.mark.parametrize("whole_batch", [False, True])
@pytest.mark.parametrize("params", PARAMS)
def test_values_tversky(params, whole_batch):
    x, t = arrays(params.get("from_logits", False))
    params = {**params, "whole_batch": whole_batch}
    vals = tversky_oracle(x, t, **params)
    loss = LOSSES["tversky"]
    got = loss(x, t, reduction="none", **params)
    assert np.shape(got) == (() if whole_batch else (22,))
    check(got, vals)
    assert len(vals) >= 20 or whole_batch
    finite = [v for v in vals if mpmath.isfinite(v)]
    if len(finite) == len(vals):
        total = mpmath.fsum(vals)
        check_value("tversky", [loss(x, t, reduction="sum", **params)], [total], float(abs(total)))
        check_value("tversky", [loss(x, t, reduction="mean", **params)], [total / len(vals)],
                    float(abs(total)) / len(vals))


def test_tversky_degenerate_and_dice_identity():
    z = np.zeros((2, 3))
    assert np.all(np.isnan(LOSSES["tversky"](z, z, reduction="none")))  # 0/0
    assert LOSSES["tversky"](z, z, smooth=1.0, reduction="none").tolist() == [0.0, 0.0]
    x, t = RNG.normal(size=(5, 4)) * 2, RNG.random((5, 4))
    for whole_batch in (False, True):
        for smooth in (0.0, 1.0):  # alpha = beta = 1/2: dice with the smooth term halved
            tv = LOSSES["tversky"](x, t, smooth=smooth / 2, from_logits=True, whole_batch=whole_batch, reduction="none")
            di = LOSSES["dice"](x, t, smooth=smooth, whole_batch=whole_batch, reduction="none")
            assert np.allclose(tv, di, rtol=1e-14, atol=1e-17)


@pytest.mark.parametrize("whole_batch", [False, True])
@pytest.mark.parametrize("params", PARAMS)
def test_grad_fd_tversky(params, whole_batch):
    loss = LOSSES["tversky"]
    x = RNG.normal(size=(3, 2, 2))
    if not params.get("from_logits"):
        x = 0.25 + 0.5 * RNG.random((3, 2, 2))
    t = RNG.random((3, 2, 2))
    params = {**params, "whole_batch": whole_batch}
    _check_input_gradient(loss, x, t, params, np.random.default_rng(3))


def _check_input_gradient(loss, x, t, params, rng):
    """d/d input against central differences along random directions, with random cotangents, per reduction."""
    for reduction in ("none", "mean", "sum"):
        cot = rng.normal(size=np.shape(loss(x, t, reduction=reduction, **params)))
        g = loss.grad(x, t, reduction=reduction, cotangent=cot, **params)["input"]
        for _ in range(3):
            u = rng.normal(size=x.shape)
            fd = directional_fd(lambda *a, r=reduction: loss(*a, reduction=r, **params), (x, t), 0, u, cot, 1e-4)
            an = float(np.sum(g * u))
            assert abs(an - fd) <= 1e-7 * (abs(fd) + np.sum(np.abs(g * u))) + 1e-13, (params, reduction, an, fd)


def test_bad_input():
    x, t = RNG.random((3, 4)), RNG.random((3, 4))
    T = LOSSES["tversky"]
    for kwargs, argument in [({"alpha": -0.1}, "alpha"), ({"beta": -1.0}, "beta"), ({"smooth": -1.0}, "smooth"),
                             ({"eps": -1e-7}, "eps"), ({"bogus": 1}, "unknown parameter")]:
        with pytest.raises(ValueError, match=argument):
            T(x, t, **kwargs)
    for a, b, argument in [(x, t[:, :3], "shape"), (x + 1, t, "input"), (x, t - 1, "target"),
                           (np.arange(12).reshape(3, 4), t, "input")]:
        with pytest.raises(ValueError, match=argument):
            T(a, b)
    T(x + 5, t, from_logits=True)  # logits: any real input


# ---------------------------------------------------------------- generalized_dice.  Scale: |exact| (a ratio of
# sums of non-negative terms; from logits, 1 - p is formed as -expm1(log p)).


def generalized_dice_oracle(x, t, smooth=0.0, eps=0.0, from_logits=False, form="ratio"):
    """Sudre et al. 2017 eq. 2 (form="ratio") or the weighted mean of per-class dice (form="class_mean").
    1 - ratio at a loss near 1e-35 cancels 35 digits: 120 digits here."""
    with mpmath.workdps(120):
        return [+v for v in _generalized_dice_oracle(x, t, smooth, eps, from_logits, form)]


def _generalized_dice_oracle(x, t, smooth, eps, from_logits, form):
    n, c = x.shape[:2]
    x, t = x.reshape(n, c, -1), t.reshape(n, c, -1)
    p = [[[M(float(v)) for v in x[i, k]] for k in range(c)] for i in range(n)]
    if from_logits:
        for i in range(n):
            for j in range(x.shape[2]):
                e = [mpmath.exp(p[i][k][j]) for k in range(c)]
                for k in range(c):
                    p[i][k][j] = e[k] / mpmath.fsum(e)
    tt = [[[M(float(v)) for v in t[i, k]] for k in range(c)] for i in range(n)]
    tp = [[mpmath.fsum(a * b for a, b in zip(p[i][k], tt[i][k])) for k in range(c)] for i in range(n)]
    ps = [[mpmath.fsum(p[i][k]) for k in range(c)] for i in range(n)]
    ts = [[mpmath.fsum(tt[i][k]) for k in range(c)] for i in range(n)]
    s = M(smooth)
    if form == "ratio":
        vals = []
        for i in range(n):
            if eps == 0 and any(v == 0 for v in ts[i]):
                vals.append(mpmath.nan)
                continue
            w = [1 / (v * v + M(eps)) for v in ts[i]]
            num = 2 * mpmath.fsum(a * b for a, b in zip(w, tp[i])) + s
            den = mpmath.fsum(a * (b + d) for a, b, d in zip(w, ps[i], ts[i])) + s
            vals.append(1 - num / den)
        return vals
    f = [mpmath.fsum(ts[i][k] for i in range(n)) for k in range(c)]
    w = [1 / (v * v + M(eps)) for v in f]
    v = [a * c / mpmath.fsum(w) for a in w]
    dice = [[mpmath.nan if ps[i][k] + ts[i][k] + s == 0 else 1 - (2 * tp[i][k] + s) / (ps[i][k] + ts[i][k] + s)
             for k in range(c)] for i in range(n)]  # 0/0 where a class is absent from both p and t, s = 0
    return [mpmath.fsum(v[k] * dice[i][k] for k in range(c)) / c for i in range(n)]


def gd_arrays(from_logits):
    x = RNG.normal(size=(22, 3, 2, 2)) * 2
    t = np.moveaxis(np.eye(3)[RNG.integers(0, 3, size=(22, 2, 2))], -1, 1)
    t[0] = 0.0
    t[0, 1] = 1.0  # classes 0 and 2 empty in this sample: the empty foreground
    t[1] = RNG.random((3, 2, 2))  # soft targets
    x[2] = np.where(t[2] == 1, 40.0, -40.0)  # saturated, near-perfect
    if not from_logits:
        e = np.exp(x)
        x = e / e.sum(axis=1, keepdims=True)
        x[3] = t[3]  # a perfect prediction: loss 0
    return x, t


GD_PARAMS = [{}, {"eps": 1e-7}, {"smooth": 1.0, "eps": 1e-7}, {"from_logits": True, "eps": 1e-3},
             {"form": "class_mean", "eps": 1e-7}, {"form": "class_mean", "eps": 1e-7, "smooth": 2.0,
                                                    "from_logits": True}, {"form": "class_mean"}]


@pytest.mark.parametrize("params", GD_PARAMS)
def test_values_generalized_dice(params):
    x, t = gd_arrays(params.get("from_logits", False))
    vals = generalized_dice_oracle(x, t, **params)
    loss = LOSSES["generalized_dice"]
    got = loss(x, t, reduction="none", **params)
    got, vals = np.ravel(got), list(vals)
    finite = np.array([bool(mpmath.isfinite(v)) for v in vals])
    assert np.all(np.isnan(got[~finite]))
    check_value("generalized_dice", got[finite], [v for v, f in zip(vals, finite) if f], 0.0)
    assert len(vals) >= 20
    assert finite[0] == (params.get("eps", 0.0) > 0 or params.get("form") == "class_mean")  # the empty classes
    if finite.all():
        total = mpmath.fsum(vals)
        check_value("generalized_dice", [loss(x, t, reduction="mean", **params)], [total / len(vals)],
                    float(abs(total)) / len(vals))


def test_generalized_dice_one_class_is_dice():
    # a single class: its weight cancels (smooth = 0), and the loss is dice of the probabilities
    x, t = RNG.random((5, 1, 4)), (RNG.random((5, 1, 4)) < 0.5).astype(float)
    t[:, 0, 0] = 1.0
    gd = LOSSES["generalized_dice"](x, t, reduction="none")
    assert np.allclose(gd, LOSSES["dice"](x, t, smooth=0.0, from_logits=False, reduction="none"), rtol=1e-14)


@pytest.mark.parametrize("params", GD_PARAMS[1:])
def test_grad_fd_generalized_dice(params):
    loss = LOSSES["generalized_dice"]
    x = RNG.normal(size=(3, 3, 4))
    if not params.get("from_logits"):
        e = np.exp(x)
        x = e / e.sum(axis=1, keepdims=True)
    labels = np.concatenate([np.tile([0, 1, 2], (3, 1)), RNG.integers(0, 3, size=(3, 1))], axis=1)
    t = np.moveaxis(np.eye(3)[labels], -1, 1)  # every class in every sample (an absent one is flat: w = 1/eps)
    _check_input_gradient(loss, x, t, params, np.random.default_rng(5))


def test_generalized_dice_bad_input():
    x, t = RNG.random((3, 2, 4)), RNG.random((3, 2, 4))
    G = LOSSES["generalized_dice"]
    for kwargs, argument in [({"smooth": -1.0}, "smooth"), ({"eps": -1e-7}, "eps"), ({"form": "sum"}, "form")]:
        with pytest.raises(ValueError, match=argument):
            G(x, t, **kwargs)
    for a, b, argument in [(x, t[:, :1], "shape"), (x + 1, t, "input"), (x, t - 1, "target"),
                           (x[:, 0, 0], t[:, 0, 0], "input")]:
        with pytest.raises(ValueError, match=argument):
            G(a, b)
