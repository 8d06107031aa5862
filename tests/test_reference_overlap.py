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
    rng = np.random.default_rng(3)
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
