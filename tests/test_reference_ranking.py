"""The listwise ranking losses (reference/ranking.py: ranking_softmax) against mpmath and finite differences.

Scale: |exact| + sum_i |x_i| |d v / d x_i| u -- the shift by the max is exact, but the log-softmax of a list
of large scores cancels (x_i - logsumexp x), which the scores' own rounding already bounds.
"""

import mpmath
import numpy as np
import pytest
from numerics import check_value
from test_reference_scores import check_grads

from reference import LOSSES

M = mpmath.mpf
RNG = np.random.default_rng(2019)


def ranking_softmax_oracle(x, y, where=None, weights=None):
    """-sum_{valid i} w_i y_i log(e^{x_i} / sum_{valid j} e^{x_j}) per list, and the condition scale."""
    where = np.ones(x.shape, dtype=bool) if where is None else where
    weights = np.ones(x.shape) if weights is None else weights
    vals, scale = [], []
    for xr, yr, vr, wr in zip(x, y, where, weights, strict=True):
        xs = [M(float(a)) for a, v in zip(xr, vr) if v]
        ys = [M(float(a)) * M(float(b)) for a, b, v in zip(yr, wr, vr) if v]
        if not xs:
            vals.append(M(0))
            scale.append(0.0)
            continue
        lse = mpmath.log(mpmath.fsum(mpmath.exp(a) for a in xs))
        vals.append(-mpmath.fsum(b * (a - lse) for a, b in zip(xs, ys)))
        p = [mpmath.exp(a - lse) for a in xs]
        total = mpmath.fsum(ys)
        scale.append(float(abs(vals[-1]) + mpmath.fsum(abs(a) * abs(total * q - b) for a, q, b in zip(xs, p, ys))))
    return vals, np.array(scale)


def arrays():
    x = RNG.normal(size=(22, 5)) * 2
    y = RNG.integers(0, 4, size=(22, 5)).astype(float)
    x[0] = [1e3, -1e3, 0.0, 1e3, 5.0]  # saturated
    x[1] = 3.0  # ties: a uniform softmax
    y[2] = 0.0  # no relevant item: loss 0
    x[3] = [1e8, 1e8 + 1, 1e8 - 1, 1e8, 1e8]  # large scores, a shift
    y[4] = RNG.random(5) * 10  # graded relevance
    x[5] = [-1e-300, 1e-300, 0.0, 0.0, 1e-20]
    return x, y


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_values_ranking_softmax(masked, weighted):
    x, y = arrays()
    params = {}
    if masked:
        where = RNG.random(x.shape) < 0.7
        where[6] = False  # a list without valid items: 0, left out of the mean
        where[7] = [True, False, False, False, False]  # one valid item: its log-softmax is 0
        params["where"] = where
    if weighted:
        params["weights"] = RNG.random(x.shape) * 2
    vals, scale = ranking_softmax_oracle(x, y, **params)
    loss = LOSSES["ranking_softmax"]
    got = loss(x, y, reduction="none", **params)
    assert got.shape == (22,) and got[2] == 0.0
    check_value("ranking_softmax", got, vals, scale)
    lists = 21 if masked else 22
    total = mpmath.fsum(vals)
    mean = loss(x, y, reduction="mean", **params)
    check_value("ranking_softmax", [mean], [total / lists], float(scale.sum()) / lists)
    check_value("ranking_softmax", [loss(x, y, reduction="sum", **params)], [total], float(scale.sum()))


def test_ranking_softmax_edges():
    L = LOSSES["ranking_softmax"]
    x, y = RNG.normal(size=(3, 4)), RNG.random((3, 4))
    assert np.isnan(L(x, y, where=np.zeros((3, 4), dtype=bool)))  # the mean of no list
    assert L(x, y, where=np.zeros((3, 4), dtype=bool), reduction="sum") == 0.0
    assert L(x[:0], y[:0], reduction="none").shape == (0,)
    # one-hot relevance: softmax cross entropy of the relevant item
    y1 = np.eye(4)[[0, 2, 3]]
    ce = LOSSES["cross_entropy"](x, np.array([0, 2, 3]), reduction="none")
    assert np.allclose(L(x, y1, reduction="none"), ce, rtol=1e-15)


@pytest.mark.parametrize("masked", [False, True])
def test_grad_ranking_softmax(masked):
    x, y = RNG.normal(size=(4, 5)), RNG.integers(0, 3, size=(4, 5)).astype(float)
    params = {"weights": RNG.random((4, 5))}
    if masked:
        params["where"] = np.array([[1, 1, 0, 1, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    check_grads("ranking_softmax", [x, y], params)
    g = LOSSES["ranking_softmax"].grad(x, y, reduction="sum", **params)["input"]
    if masked:
        assert np.all(g[~params["where"]] == 0.0)  # a masked item's score does not enter the loss


def test_ranking_softmax_bad_input():
    x, y = RNG.normal(size=(3, 4)), RNG.random((3, 4))
    L = LOSSES["ranking_softmax"]
    for arrays, kwargs, argument in [((x, -y), {}, "target"), ((x, y[:, :2]), {}, "shape"),
                                     ((x, y), {"where": np.ones((3, 2), dtype=bool)}, "where"),
                                     ((x, y), {"weights": -np.ones((3, 4))}, "weights"),
                                     ((x, y), {"weights": np.ones(4)}, "weights"),
                                     ((x.astype(int), y), {}, "input")]:
        with pytest.raises(ValueError, match=argument):
            L(*arrays, **kwargs)
