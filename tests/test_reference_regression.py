"""The regression reference (l1, mse, smooth_l1, huber, poisson_nll, gaussian_nll) against
an mpmath evaluation of each formula, finite differences, and the identities between them.

Condition scales (the ulp unit of each value check, beside max(|exact|, smallest normal)):
- l1, mse, smooth_l1, huber: |exact| -- d = x - y is one rounding, the rest is monotone.
- poisson_nll: |exp(x)| + |y x| (log_input) or |x| + |y| (|log(x + eps)| + 1) (rate input: rounding
  x + eps costs y u), plus |y log y| + |y| + |0.5 log(2 pi y)| when full: the terms have mixed signs
  and the loss cancels near its minimum (x = log y).
- gaussian_nll: 0.5 (|log v| + d^2 / v) (+ 0.5 log 2 pi): log v < 0 for v < 1 cancels d^2 / v.
- reduced (mean / sum) values: the sum of the element scales (divided by the count for mean).
"""

import math

import mpmath
import numpy as np
import pytest
from numerics import check_value, directional_fd, richardson

from reference import LOSSES

NAMES = ("l1", "mse", "smooth_l1", "huber", "poisson_nll", "gaussian_nll")
M = mpmath.mpf

# ---------------------------------------------------------------- mpmath oracles: (value, scale)


def o_l1(x, y):
    v = abs(x - y)
    return v, v


def o_mse(x, y):
    v = (x - y) ** 2
    return v, v


def o_smooth_l1(x, y, beta=1.0):
    n, b = abs(x - y), M(beta)
    v = n if b == 0 else (n**2 / (2 * b) if n < b else n - b / 2)
    return v, v


def o_huber(x, y, delta=1.0):
    n, dl = abs(x - y), M(delta)
    v = n**2 / 2 if n <= dl else dl * (n - dl / 2)
    return v, v


def o_poisson(x, y, log_input=True, full=False, eps=0.0):
    if log_input:
        ex, yx = mpmath.exp(x), (0 if y == 0 else y * x)
        v, s = ex - yx, abs(ex) + abs(yx)
    else:
        ylog = 0 if y == 0 else y * mpmath.log(x + M(eps))
        v, s = x - ylog, abs(x) + abs(ylog) + abs(y)
    if full and y > 1:
        terms = (y * mpmath.log(y), -y, mpmath.log(2 * mpmath.pi * y) / 2)
        v, s = v + sum(terms), s + sum(abs(t) for t in terms)
    return v, s


def o_gaussian(x, y, var, full=False, eps=0.0):
    v = max(var, M(eps))
    a, b = mpmath.log(v), (x - y) ** 2 / v
    c = mpmath.log(2 * mpmath.pi) / 2 if full else 0
    return (a + b) / 2 + c, (abs(a) + b) / 2 + c


ORACLES = {"l1": o_l1, "mse": o_mse, "smooth_l1": o_smooth_l1, "huber": o_huber,
           "poisson_nll": o_poisson, "gaussian_nll": o_gaussian}


def exact(name, arrays, params):
    """Element-wise (value, scale) lists from the oracle, in mpmath."""
    flat = [np.broadcast_to(a, arrays[0].shape).ravel() for a in arrays]
    out = [ORACLES[name](*(M(float(a[i])) for a in flat), **params) for i in range(flat[0].size)]
    return [v for v, _ in out], np.array([float(s) for _, s in out])


def check_elements(name, got, vals, scale):
    """check_value on the finite exact values; infinities and NaNs must match exactly
    (numerics.ulp_error compares whole arrays exactly as soon as one element is not finite)."""
    got = np.ravel(got)
    finite = np.array([mpmath.isfinite(v) for v in vals], dtype=bool)
    assert np.array_equal(got[~finite], np.array([float(v) for v in vals])[~finite], equal_nan=True)
    check_value(name, got[finite], [v for v, f in zip(vals, finite, strict=True) if f], np.asarray(scale)[finite])


def check_all_reductions(name, arrays, params):
    """Elementwise values, then mean and sum against mpmath's fsum of the exact terms."""
    vals, scale = exact(name, arrays, params)
    got = LOSSES[name](*arrays, reduction="none", **params)
    assert got.shape == arrays[0].shape
    check_elements(name, got, vals, scale)
    total = mpmath.fsum(vals)
    check_value(name, LOSSES[name](*arrays, reduction="sum", **params), [total], float(np.sum(scale)))
    n = len(vals)
    check_value(name, LOSSES[name](*arrays, reduction="mean", **params), [total / n], float(np.sum(scale)) / n)
    return len(vals)


RNG = np.random.default_rng(20240611)


def rnd(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale


# ---------------------------------------------------------------- values (>= 20 points each)

X0 = np.array([0.0, 1e-9, -1e-9, 1e8, -1e8, 0.5, -3.0, 2.0, 1e-300, 7.25])
Y0 = np.array([0.0, 0.0, 1e-9, 1e8 - 1, 3e8, 0.5 + 1.0, 0.25, -2.0, 0.0, 7.0])


@pytest.mark.parametrize("name", ["l1", "mse"])
def test_values_l1_mse(name):
    x, y = np.concatenate([X0, rnd(12)]), np.concatenate([Y0, rnd(12)])
    assert check_all_reductions(name, (x, y), {}) >= 20


@pytest.mark.parametrize("beta", [1.0, 1 / 9, 0.5, 0.0, 1e-9, 1e8])
def test_values_smooth_l1(beta):
    t = np.array([0.0, 1.0, -2.0, 5.0, 1e8, -1e-9])
    d = np.array([beta, -beta, beta, beta / 2, 3 * beta, -beta / 3])  # exactly at beta, inside and outside
    x, y = np.concatenate([t + d, rnd(16), X0]), np.concatenate([t, rnd(16), Y0])
    assert (x - y)[0] == beta  # exactly at the kink
    check_all_reductions("smooth_l1", (x, y), {"beta": beta})


@pytest.mark.parametrize("delta", [1.0, 0.5, 1 / 9, 1e-9, 1e8])
def test_values_huber(delta):
    t = np.array([0.0, 1.0, -2.0, 5.0, 1e8, -1e-9])
    d = np.array([delta, -delta, delta, delta / 2, 3 * delta, -delta / 3])
    x, y = np.concatenate([t + d, rnd(16), X0]), np.concatenate([t, rnd(16), Y0])
    check_all_reductions("huber", (x, y), {"delta": delta})


@pytest.mark.parametrize("name,params", [("l1", {}), ("mse", {}), ("huber", {"delta": 0.5})])
def test_weighted_values_are_the_weighted_mean(name, params):
    """weight= (torch 2.14, scikit-learn's sample_weight): w v element-wise, sum(w v), and the mean sum(w v) / sum(w),
    against mpmath; a weight per sample broadcasts over the trailing axis."""
    x, y = np.concatenate([X0, rnd(12)]), np.concatenate([Y0, rnd(12)])
    w = np.abs(rnd(x.size)) * (np.arange(x.size) % 5 != 0)  # zeros among them
    vals, scale = exact(name, (x, y), params)
    wv = [M(float(wi)) * v for wi, v in zip(w, vals, strict=True)]
    check_elements(name, LOSSES[name](x, y, reduction="none", weight=w, **params), wv, w * scale)
    check_value(name, LOSSES[name](x, y, reduction="sum", weight=w, **params), [mpmath.fsum(wv)], float(w @ scale))
    total_w = mpmath.fsum(M(float(wi)) for wi in w)
    check_value(name, LOSSES[name](x, y, reduction="mean", weight=w, **params), [mpmath.fsum(wv) / total_w],
                float(w @ scale) / float(total_w))
    per_sample = LOSSES[name](x.reshape(-1, 2), y.reshape(-1, 2), reduction="mean", weight=w[::2, None], **params)
    assert per_sample == pytest.approx(float(mpmath.fsum(M(float(w[2 * (i // 2)])) * v for i, v in enumerate(vals))
                                             / (2 * mpmath.fsum(M(float(wi)) for wi in w[::2]))), rel=1e-15)


POISSON_Y = np.array([0.0, 1.0, 2.0, 3.0, 0.5, 10.0, 1e8, 1e-9, 1.5, 100.0, 0.0, 7.0])


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("log_input,eps", [(True, 0.0), (True, 1e-8), (False, 0.0), (False, 1e-8), (False, 1e-7)])
def test_values_poisson_nll(log_input, full, eps):
    y = np.concatenate([POISSON_Y, RNG.poisson(3.0, size=10).astype(float)])
    if log_input:
        x = np.concatenate([[0.0, 0.0, np.log(2.0), 1.0, -30.0, 2.3, 18.4, -1e-9, 700.0, 4.6, -1e3, 1e-9],
                            rnd(10)])
    else:
        x = np.concatenate([[0.0, 1.0, 2.0, 1e-9, 0.5, 10.0, 1e8, 1e-300, 2.5, 99.0, 1e8, 0.0], np.exp(rnd(10))])
        x[-1] = 0.0 if eps == 0 and y[-1] > 0 else x[-1]  # rate 0 with count > 0: +inf, exactly
    check_all_reductions("poisson_nll", (x, y), {"log_input": log_input, "full": full, "eps": eps})


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("eps", [0.0, 1e-6])
def test_values_gaussian_nll(full, eps):
    x = np.concatenate([[0.0, 1.0, 1e8, 1e-9, -3.0, 2.0, 0.5, 0.0], rnd(14)])
    y = np.concatenate([[0.0, 1.0, 1e8 + 2, 0.0, 3.0, -2.0, 0.5, 1.0], rnd(14)])
    v = np.concatenate([[1.0, 1e-9, 1e8, 1e-12, 4.0, 0.5, 1e-7, 2.0], np.exp(rnd(14))])
    check_all_reductions("gaussian_nll", (x, y, v), {"full": full, "eps": eps})


def test_gaussian_nll_homoscedastic_shapes():
    x, y = rnd(4, 3), rnd(4, 3)
    v = np.exp(rnd(4))
    full = np.repeat(v[:, None], 3, axis=1)
    ref = LOSSES["gaussian_nll"](x, y, full, reduction="none")
    vals, scale = exact("gaussian_nll", (x, y, full), {})
    check_elements("gaussian_nll", ref, vals, scale)
    for var in (v, v[:, None]):
        assert np.array_equal(LOSSES["gaussian_nll"](x, y, var, reduction="none"), ref)
    g = LOSSES["gaussian_nll"].grad(x, y, v[:, None], reduction="sum")
    assert np.allclose(g["var"][:, 0], LOSSES["gaussian_nll"].grad(x, y, full, reduction="sum")["var"].sum(axis=1))


def test_gradients_at_infinite_differences_are_the_limits():
    x, y = np.array([np.inf, 1.0, -np.inf]), np.array([0.0, np.inf, 0.0])
    assert LOSSES["l1"].grad(x, y, reduction="sum")["input"].tolist() == [1.0, -1.0, -1.0]
    assert LOSSES["huber"].grad(x, y, delta=0.5, reduction="sum")["input"].tolist() == [0.5, -0.5, -0.5]
    assert LOSSES["smooth_l1"].grad(x, y, reduction="sum")["input"].tolist() == [1.0, -1.0, -1.0]


def test_gaussian_nll_zero_variance_limit():
    got = LOSSES["gaussian_nll"](np.array([1.0, 2.0]), np.array([0.0, 2.0]), np.array([0.0, 0.0]), reduction="none")
    assert got.tolist() == [np.inf, -np.inf]
    nan = LOSSES["gaussian_nll"](np.array([0.5, np.nan]), np.array([np.nan, 0.0]), np.array([np.nan, 0.0]),
                                 reduction="none")
    assert np.all(np.isnan(nan))  # NaN in, NaN out (not the zero-variance limit)


def test_poisson_nll_zero_count_zero_rate():
    # 0 log 0 = 0: rate 0 and count 0 is a loss of 0; count 0 at log-rate -inf is exp(-inf) = 0
    assert LOSSES["poisson_nll"](np.array([0.0]), np.array([0.0]), log_input=False, reduction="sum") == 0.0
    assert LOSSES["poisson_nll"](np.array([-np.inf]), np.array([0.0]), reduction="sum") == 0.0
    g = LOSSES["poisson_nll"].grad(np.array([0.0]), np.array([0.0]), log_input=False, reduction="sum")
    assert g["input"].tolist() == [1.0]


# ---------------------------------------------------------------- gradients: Richardson FD


def fd_check(name, arrays, params, reduction, rng, directions=3, h=1e-3, rtol=1e-7):
    loss = LOSSES[name]
    shape = np.shape(loss(*arrays, reduction=reduction, **params))
    for _ in range(directions):
        cot = rng.normal(size=shape)
        g = loss.grad(*arrays, reduction=reduction, cotangent=cot, **params)
        for key in loss.differentiable:
            i = loss.inputs.index(key)
            u = rng.normal(size=np.shape(arrays[i]))
            fd = directional_fd(lambda *a: loss(*a, reduction=reduction, **params), arrays, i, u, cot, h)
            an = float(np.sum(g[key] * u))
            assert abs(an - fd) <= rtol * (abs(fd) + np.sum(np.abs(g[key] * u))) + 1e-12, (name, key, an, fd)


def away_from(x, y, kinks, margin=0.05):
    """Move targets so that |x - y| stays `margin` away from every kink (FD must not cross one)."""
    d = x - y
    for k in kinks:
        close = np.abs(np.abs(d) - k) < margin
        d = np.where(close, np.sign(d + (d == 0)) * (k + 2 * margin), d)
    return x, x - d


SMOOTH = [
    ("l1", {}, (0.0,)), ("mse", {}, ()), ("smooth_l1", {}, (1.0,)), ("smooth_l1", {"beta": 1 / 9}, (1 / 9,)),
    ("smooth_l1", {"beta": 0.0}, (0.0,)), ("huber", {}, (1.0,)), ("huber", {"delta": 0.3}, (0.3,)),
]


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name,params,kinks", SMOOTH)
def test_grad_fd_piecewise(name, params, kinks, reduction):
    rng = np.random.default_rng(1)
    x, y = away_from(rng.normal(size=(3, 4)) * 2, rng.normal(size=(3, 4)), kinks)
    fd_check(name, (x, y), params, reduction, rng, h=1e-3 * 0.02)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("params", [{}, {"full": True}, {"log_input": False}, {"log_input": False, "eps": 1e-8},
                                    {"log_input": False, "full": True}])
def test_grad_fd_poisson(params, reduction):
    rng = np.random.default_rng(2)
    y = np.array([[0.0, 1.0, 2.0, 5.0], [0.5, 3.0, 0.0, 12.0]])
    x = rng.normal(size=y.shape) if params.get("log_input", True) else np.exp(rng.normal(size=y.shape))
    fd_check("poisson_nll", (x, y), params, reduction, rng, h=1e-4)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("var_shape", [(3, 4), (3,), (3, 1), (1, 4)])
@pytest.mark.parametrize("params", [{}, {"full": True, "eps": 1e-6}])
def test_grad_fd_gaussian(params, var_shape, reduction):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    v = np.exp(rng.normal(size=var_shape))
    fd_check("gaussian_nll", (x, y, v), params, reduction, rng, h=1e-4)


def test_gaussian_nll_clamp_gradient_conventions():
    x, y, v = np.array([1.0, 2.0]), np.array([0.0, 1.5]), np.array([1e-9, 2.0])
    g = LOSSES["gaussian_nll"].grad(x, y, v, eps=1e-6, reduction="sum")
    assert g["var"][0] == 0.0  # the clamp is active: var does not move the loss
    g = LOSSES["gaussian_nll"].grad(x, y, v, eps=1e-6, clamp_no_grad=True, reduction="sum")
    assert g["var"][0] == pytest.approx(0.5 * (1 / 1e-6 - 1.0 / 1e-12))
    assert g["var"][1] == pytest.approx(0.5 * (1 / 2.0 - 0.25 / 4.0))
    assert LOSSES["gaussian_nll"](x, y, v, eps=1e-6, clamp_no_grad=True) == LOSSES["gaussian_nll"](x, y, v, eps=1e-6)


def test_grad_huber_at_delta_is_c1():
    # |d| = delta exactly: huber is C1 there, both one-sided slopes equal delta sign(d)
    for delta in (1.0, 0.5, 1 / 9):
        t = np.array([0.0, 1.0, -2.0])
        x, y = t + np.array([delta, -delta, delta]), t
        d = x - y
        rng = np.random.default_rng(4)
        cot = rng.normal(size=3)
        g = LOSSES["huber"].grad(x, y, delta=delta, reduction="none", cotangent=cot)
        def f(*a, delta=delta):
            return LOSSES["huber"](*a, delta=delta, reduction="none")

        fd = [directional_fd(f, (x, y), 0, np.eye(3)[k], cot, h=1e-7) for k in range(3)]
        assert np.allclose(g["input"], fd, rtol=1e-6, atol=0)
        assert np.allclose(g["input"], cot * np.clip(d, -delta, delta), rtol=1e-15)


def one_sided(f, side, h=1e-6):
    """lim t -> 0+ of side * (f(side t) - f(0)) / t, Richardson-extrapolated (f is piecewise smooth)."""
    f0 = f(0.0)
    d = [(f(side * h / 2**k) - f0) / (side * h / 2**k) for k in range(3)]
    return 2 * d[2] - d[1]


@pytest.mark.parametrize("name,params", [("l1", {}), ("smooth_l1", {"beta": 0.0})])
def test_grad_kink_one_sided_bounds(name, params):
    rng = np.random.default_rng(5)
    y = rng.normal(size=6)
    x = y.copy()
    x[3:] += rng.normal(size=3)  # three kinks (d = 0), three smooth points
    cot = rng.normal(size=6)
    loss = LOSSES[name]
    g = loss.grad(x, y, reduction="none", cotangent=cot, **params)
    lo, hi = g.one_sided["input"]
    for k in range(6):
        def f(t, k=k):
            xs = x.copy()
            xs[k] += t
            return float(np.sum(cot * loss(xs, y, reduction="none", **params)))

        for side in (1.0, -1.0):
            s = one_sided(f, side)
            tol = 1e-7 * max(1.0, abs(s))  # forward differences at h = 1e-6 carry ~1e-9 of rounding
            assert lo[k] - tol <= s <= hi[k] + tol, (k, side, s, lo[k], hi[k])
        assert lo[k] <= g["input"][k] <= hi[k]
    assert np.all(hi[:3] - lo[:3] > 1.9 * np.abs(cot[:3]))  # the kinks are seen as kinks


# ---------------------------------------------------------------- bad input


def test_bad_input():
    x, y = rnd(3, 4), rnd(3, 4)
    for name in NAMES:
        extra = (np.ones((3, 4)),) if name == "gaussian_nll" else ()
        yy = np.abs(y) if name == "poisson_nll" else y
        with pytest.raises(ValueError, match="shape mismatch"):
            LOSSES[name](x, yy[:, :3], *extra)
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](np.arange(12).reshape(3, 4), yy, *extra)  # integers where floats are required
        with pytest.raises(ValueError, match="reduction"):
            LOSSES[name](x, yy, *extra, reduction="batchmean")
        with pytest.raises(ValueError, match="unknown parameter"):
            LOSSES[name](x, yy, *extra, bogus=1)
    with pytest.raises(ValueError, match="var"):
        LOSSES["gaussian_nll"](x, y, -np.ones((3, 4)))
    with pytest.raises(ValueError, match="var"):
        LOSSES["gaussian_nll"](x, y, np.ones((3, 2)))
    with pytest.raises(ValueError, match="var"):
        LOSSES["gaussian_nll"](x, y, np.ones((3, 4)).astype(int))
    with pytest.raises(ValueError, match="target"):
        LOSSES["poisson_nll"](x, -np.abs(y))
    with pytest.raises(ValueError, match="input"):
        LOSSES["poisson_nll"](-np.abs(x), np.abs(y), log_input=False)
    with pytest.raises(ValueError, match="beta"):
        LOSSES["smooth_l1"](x, y, beta=-1.0)
    with pytest.raises(ValueError, match="delta"):
        LOSSES["huber"](x, y, delta=0.0)


# ---------------------------------------------------------------- identities


def test_identities():
    x, y = rnd(5, 6), rnd(5, 6) * 2
    L = LOSSES
    for beta in (1.0, 0.5, 1 / 9, 3.0):
        a = L["smooth_l1"](x, y, beta=beta, reduction="none")
        b = L["huber"](x, y, delta=beta, reduction="none") / beta
        assert np.allclose(a, b, rtol=4e-16, atol=0)
    assert np.array_equal(L["smooth_l1"](x, y, beta=0.0, reduction="none"), L["l1"](x, y, reduction="none"))
    ones = np.ones_like(x)
    assert np.allclose(L["gaussian_nll"](x, y, ones, reduction="none"), 0.5 * L["mse"](x, y, reduction="none"))
    # exp(x) - y x at log_input equals x' - y log x' at x' = exp(x)
    yy = np.abs(np.round(y * 3))
    assert np.allclose(L["poisson_nll"](x, yy, reduction="none"),
                       L["poisson_nll"](np.exp(x), yy, log_input=False, reduction="none"), rtol=1e-14)


def test_document_003_l1_l2_sums():
    # 003_76f20136c8b21606.txt: yhat = [.1, .2, .3, .4, .5], y = [1, 1, 0, 1, 1]
    # L1 = .9 + .8 + .3 + .6 + .5 = 3.1 ;  L2 = .81 + .64 + .09 + .36 + .25 = 2.15
    yhat, y = np.array([0.1, 0.2, 0.3, 0.4, 0.5]), np.array([1.0, 1.0, 0.0, 1.0, 1.0])
    assert LOSSES["l1"](yhat, y, reduction="sum") == pytest.approx(3.1, rel=1e-15)
    assert LOSSES["mse"](yhat, y, reduction="sum") == pytest.approx(2.15, rel=1e-15)
    assert LOSSES["mse"](yhat, y, reduction="mean") == pytest.approx(2.15 / 5, rel=1e-15)


@pytest.mark.parametrize("k", [1, 2])
def test_document_001_smooth_l1_moved_kink(k):
    """001_b418a80c32b92aba.txt moves SmoothL1Loss's kink from 1 to 0.1 (0.01) by plotting, on
    x = linspace(-1, 1, 10000), y2 = 1e-k * SmoothL1Loss(reduction='none')(zeros, 1e k * x): that is smooth_l1 with
    beta = 1e-k (the quadratic piece 0.5 s x^2 = 0.5 x^2 / beta, the linear |x| - beta / 2), its kink at 1e-k."""
    x, s = np.linspace(-1, 1, 10000), 10.0**k
    zeros = np.zeros_like(x)
    y = LOSSES["smooth_l1"](zeros, x, reduction="none")
    assert np.array_equal(y, np.where(np.abs(x) < 1, 0.5 * x**2, np.abs(x) - 0.5))  # the documents' first plot
    y2 = LOSSES["smooth_l1"](zeros, s * x, reduction="none") / s
    assert np.allclose(y2, LOSSES["smooth_l1"](zeros, x, beta=1 / s, reduction="none"), rtol=1e-14, atol=0)
    inside, outside = np.abs(x) < 1 / s, np.abs(x) > 1 / s
    assert np.allclose(y2[inside], 0.5 * s * x[inside] ** 2, rtol=1e-14)
    assert np.allclose(y2[outside], np.abs(x[outside]) - 0.5 / s, rtol=1e-14)
    assert y2.max() == pytest.approx(1 - 0.5 / s, rel=1e-15)  # at x = +-1: 1 - beta / 2 (the first plot: 0.5)


# ---------------------------------------------------------------- conformance cases


def test_richardson_sanity():
    assert richardson(math.sin, 1e-2) == pytest.approx(1.0, rel=1e-13)


# ---------------------------------------------------------------- beyond the documents: log_cosh, mape, msle,
# rmsle, pinball, tweedie_deviance, max_error, median_absolute_error
# Condition scales:
# - log_cosh: |v| + |d tanh d| -- rounding d = x - y moves v by tanh(d) times that rounding.
# - mape, pinball: |exact| (one rounding of d, then exact or monotone operations).
# - msle: |v| + sum over x, y of |z| |dv/dz| = |v| + 2 |L| (|x| / (1 + x) + |y| / (1 + y)), L = log1p x - log1p y.
# - tweedie_deviance: |v| + |x| |dv/dx| + |y| |dv/dy| (the deviance vanishes to second order at x = y; the
#   reference's stable forms keep the error at a few ulp of that first-order scale, the plain formula would not).
# - rmsle, max_error, median_absolute_error: per output, computed in the test from the element oracles.


# These tests draw from their own generator: drawing from RNG would change the inputs of the tests above.
RNG_B = np.random.default_rng(1212)


def rnd_b(*shape, scale=1.0):
    return RNG_B.normal(size=shape) * scale


def o_log_cosh(x, y):
    d = x - y
    v = mpmath.log(mpmath.cosh(d))
    return v, abs(v) + abs(d * mpmath.tanh(d))


def o_mape(x, y, scale=1.0, eps=0.0):
    den = max(abs(y), M(eps))
    if den == 0:
        return (mpmath.nan if x == y else mpmath.inf), 0.0
    v = M(scale) * abs(x - y) / den
    return v, v


def _clip_low(z, lo):
    return z if lo is None else max(z, M(lo))


def o_msle(x, y, clip_min=None):
    x, y = _clip_low(x, clip_min), _clip_low(y, clip_min)
    L = mpmath.log1p(x) - mpmath.log1p(y)
    return L**2, L**2 + 2 * abs(L) * (abs(x) / (1 + x) + abs(y) / (1 + y))


def o_pinball(x, y, alpha=0.5):
    a = M(alpha)
    v = a * max(y - x, 0) + (1 - a) * max(x - y, 0)
    return v, v


def o_tweedie(x, y, power=0.0):
    """scikit-learn's formula, evaluated at 80 digits (it cancels to second order at x = y); every unit
    deviance is 0 at x = y exactly (the formula there rounds to about 1e-80 of its terms)."""
    if x == y:
        return M(0), 0.0
    with mpmath.workdps(80):
        p = M(power)
        if p == 0:
            v, vy = (y - x) ** 2, -2 * (x - y)
        elif p == 1:
            v = 2 * ((y * mpmath.log(y / x) if y > 0 else 0) - y + x)
            vy = 2 * mpmath.log(y / x) if y > 0 else 0
        elif p == 2:
            v, vy = 2 * (mpmath.log(x / y) + y / x - 1), 2 * (1 / x - 1 / y)
        else:
            yp = max(y, 0)
            v = 2 * (yp ** (2 - p) / ((1 - p) * (2 - p)) - y * x ** (1 - p) / (1 - p) + x ** (2 - p) / (2 - p))
            vy = 2 * ((yp ** (1 - p) if y > 0 else 0) - x ** (1 - p)) / (1 - p)
        vx = 2 * (x - y) * x ** (-p)
        return +v, abs(v) + abs(x * vx) + abs(y * vy)


ORACLES.update({"log_cosh": o_log_cosh, "mape": o_mape, "msle": o_msle, "pinball": o_pinball,
                "tweedie_deviance": o_tweedie})


def test_values_log_cosh():
    d = np.array([0.0, 1e-300, 1e-9, -1e-5, 0.5, -0.999, 1.0, -1.0, 1.0000001, 3.0, 20.0, -36.0, 1e3, -1e3, 709.0,
                  711.0, 1e8, 5e-324])
    y = np.concatenate([np.zeros(6), [2.0, -3.0, 0.25, 1e3], np.zeros(8)])
    x = np.concatenate([y + d, rnd_b(12)])
    y = np.concatenate([y, rnd_b(12)])
    assert check_all_reductions("log_cosh", (x, y), {}) >= 20
    assert LOSSES["log_cosh"](np.array([np.inf, -np.inf, np.nan]), np.zeros(3), reduction="none").tolist()[:2] == \
        [np.inf, np.inf]


@pytest.mark.parametrize("params", [{}, {"scale": 100.0, "eps": 1e-7}, {"eps": 2.0**-52}])
def test_values_mape(params):
    y = np.array([1.0, -2.0, 1e-9, 1e8, 0.5, -1e-300, 1e-8, 3.0, 0.0, 0.0, 7.0, -1e-7])
    x = np.array([1.0, 2.0, 0.0, 1e8 + 1, 0.25, 1e-300, 1e-8 + 1e-20, -3.0, 1.0, 0.0, 7.5, 1e-7])
    x, y = np.concatenate([x, rnd_b(12)]), np.concatenate([y, rnd_b(12)])
    if not params:  # eps = 0: y = 0 gives inf (x != 0) and NaN (x = 0), the definition as written
        assert LOSSES["mape"](x[8:10], y[8:10], reduction="none").tolist()[0] == np.inf
        assert np.isnan(LOSSES["mape"](x[8:10], y[8:10], reduction="none")[1])
    check_all_reductions("mape", (x, y), params)


@pytest.mark.parametrize("clip_min", [None, 1e-7])
def test_values_msle(clip_min):
    x = np.array([0.0, 1.0, 1e8, 3.0, -0.5, -1 + 2.0**-40, 1e-9, 1e300, 2.5, 5.0, 1e-20, 0.0])
    y = np.array([0.0, 1.0 + 2e-16, 2e8, 3.0, 0.5, 0.0, 0.0, 1.0, 3.0, 5.0 - 1e-12, 0.0, 1e-7])
    x, y = np.concatenate([x, np.exp(rnd_b(12))]), np.concatenate([y, np.exp(rnd_b(12))])
    if clip_min is not None:
        x[-3:], y[-2:] = -5.0, -0.5  # clipped to clip_min: any value is accepted
    check_all_reductions("msle", (x, y), {"clip_min": clip_min})


@pytest.mark.parametrize("alpha", [0.5, 0.1, 0.9, 0.0, 1.0])
def test_values_pinball(alpha):
    x, y = np.concatenate([X0, rnd_b(12)]), np.concatenate([Y0, rnd_b(12)])
    assert check_all_reductions("pinball", (x, y), {"alpha": alpha}) >= 20


@pytest.mark.parametrize("power", [0.0, 1.0, 2.0, 1.5, 3.0, -1.0, -0.5, 1.2, 2.5])
def test_values_tweedie_deviance(power):
    y = np.array([1.0, 1.0, 1.0, 3.0, 1e8, 1e-9, 2.0, 0.5, 5.0, 7.0, 1e-300, 1e300])
    x = np.array([1.0, 1.0 + 2e-16, 1 - 1e-9, 1e-300, 1e8 + 1, 1e-9 * 1.5, 2.0 * 0.6, 0.5 * 2.1, 50.0, 7.0001,
                  1e-150, 1e299])
    x, y = np.concatenate([x, np.exp(rnd_b(12))]), np.concatenate([y, np.exp(rnd_b(12))])
    if 1 <= power < 2:
        y[-1] = y[-2] = 0.0  # counts of zero are in the domain
    if power < 0:
        y[-1], y[-2] = -2.0, 0.0  # any y for the extreme stable family
        x[11], y[11] = 1e99, 1e100  # (1e300)^(2 - p) overflows: the formula's inf - inf is NaN, as scikit-learn's
    check_all_reductions("tweedie_deviance", (x, y), {"power": power})
    # near the minimum the value itself is relatively accurate (scale |exact|), not only to the first-order scale
    rng = np.random.default_rng(int(10 * power) + 100)  # its own draws, whatever else runs
    y = np.exp(rng.normal(size=20)) * np.array([1.0] * 19 + [1e8])
    x = y * (1 + rng.normal(size=20) * 10.0 ** -rng.integers(3, 15, size=20))  # inside the series region
    vals = [o_tweedie(M(float(a)), M(float(b)), power)[0] for a, b in zip(x, y)]
    check_value("tweedie_deviance", LOSSES["tweedie_deviance"](x, y, power=power, reduction="none"), vals)


def per_output(oracle, x, y):
    """[oracle(column of x, column of y)] over the outputs (axis 0 is the samples)."""
    x2, y2 = x.reshape(len(x), -1), y.reshape(len(y), -1)
    return [oracle([M(float(a)) for a in x2[:, j]], [M(float(b)) for b in y2[:, j]]) for j in range(x2.shape[1])]


def o_rmsle(xs, ys):
    v = mpmath.sqrt(mpmath.fsum((mpmath.log1p(a) - mpmath.log1p(b)) ** 2 for a, b in zip(xs, ys)) / len(xs))
    return v, v + mpmath.fsum(o_msle(a, b)[1] for a, b in zip(xs, ys)) / len(xs) / (2 * v if v else 1)


def o_max_error(xs, ys):
    v = max(abs(a - b) for a, b in zip(xs, ys))
    return v, v


def o_median(xs, ys):
    n = sorted(abs(a - b) for a, b in zip(xs, ys))
    v = (n[(len(n) - 1) // 2] + n[len(n) // 2]) / 2
    return v, v


@pytest.mark.parametrize("name,oracle", [("rmsle", o_rmsle), ("max_error", o_max_error),
                                         ("median_absolute_error", o_median)])
@pytest.mark.parametrize("shape", [(21,), (22,), (20, 3), (1,), (7, 2, 2), (30, 4), (15, 5)])
def test_values_batch_statistics(name, oracle, shape):
    x, y = np.exp(rnd_b(*shape)), np.exp(rnd_b(*shape))
    x.ravel()[:4] = [0.0, 1e8, 1e-9, 3.0][: x.size]
    y.ravel()[:4] = [0.0, 2e8, 0.0, 3.0 + 4e-16][: y.size]
    out = per_output(oracle, x, y)
    got = LOSSES[name](x, y, reduction="none")
    assert np.shape(got) == shape[1:]
    check_value(name, np.ravel(got), [v for v, _ in out], np.array([float(s) for _, s in out]))
    mean = mpmath.fsum(v for v, _ in out) / len(out)
    check_value(name, LOSSES[name](x, y, reduction="mean"), [mean], float(sum(s for _, s in out)) / len(out))


def test_batch_statistics_nonfinite_and_ties():
    x, y = np.array([[1.0, np.nan], [3.0, 1.0], [-3.0, 2.0]]), np.zeros((3, 2))
    for name in ("max_error", "median_absolute_error"):
        got = LOSSES[name](x, y, reduction="none")
        assert got[0] == {"max_error": 3.0, "median_absolute_error": 3.0}[name] and np.isnan(got[1])
    g = LOSSES["max_error"].grad(x[:, 0], y[:, 0], reduction="mean")["input"]
    assert g.tolist() == [0.0, 0.5, -0.5]  # a tie shares the gradient
    assert LOSSES["max_error"](np.array([np.inf, 0.0]), np.zeros(2), reduction="mean") == np.inf


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name,params,kinks", [
    ("log_cosh", {}, ()), ("mape", {}, (0.0,)), ("mape", {"scale": 100.0, "eps": 1e-7}, (0.0,)),
    ("pinball", {}, (0.0,)), ("pinball", {"alpha": 0.9}, (0.0,))])
def test_grad_fd_beyond(name, params, kinks, reduction):
    rng = np.random.default_rng(7)
    x, y = away_from(rng.normal(size=(3, 4)) * 2, rng.normal(size=(3, 4)), kinks)
    fd_check(name, (x, y), params, reduction, rng, h=1e-3 * 0.02)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name,params", [("msle", {}), ("msle", {"clip_min": 1e-7}), ("tweedie_deviance", {}),
                                         *[("tweedie_deviance", {"power": p}) for p in (1.0, 2.0, 1.5, 3.0, -1.0)]])
def test_grad_fd_positive_inputs(name, params, reduction):
    rng = np.random.default_rng(8)
    x, y = np.exp(rng.normal(size=(3, 4))), np.exp(rng.normal(size=(3, 4)))
    x[0, 0] = y[0, 0] * (1 + 1e-3)  # near the minimum, where the stable forms are in use
    fd_check(name, (x, y), params, reduction, rng, h=1e-5)


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("name", ["rmsle", "max_error", "median_absolute_error"])
@pytest.mark.parametrize("shape", [(7,), (6, 3)])
def test_grad_fd_batch_statistics(name, shape, reduction):
    rng = np.random.default_rng(9)
    x = np.exp(rng.normal(size=shape))
    y = x + np.reshape(rng.permutation(x.size) + 1.0, shape) * rng.choice([-0.1, 0.1], size=shape)  # distinct |d|
    fd_check(name, (x, y), {}, reduction, rng, h=1e-4)


def kink_bounds(name, x, y, params, at, reduction="none"):
    """The one-sided slopes at the elements `at` lie within Gradient.one_sided, and the gradient too."""
    loss = LOSSES[name]
    rng = np.random.default_rng(10)
    cot = rng.normal(size=np.shape(loss(x, y, reduction=reduction, **params)))
    g = loss.grad(x, y, reduction=reduction, cotangent=cot, **params)
    lo, hi = g.one_sided["input"]
    for k in at:
        def f(t, k=k):
            xs = x.copy()
            xs.flat[k] += t
            return float(np.sum(cot * loss(xs, y, reduction=reduction, **params)))

        for side in (1.0, -1.0):
            s = one_sided(f, side)
            tol = 1e-7 * max(1.0, abs(s))
            assert lo.flat[k] - tol <= s <= hi.flat[k] + tol, (name, k, side, s, lo.flat[k], hi.flat[k])
        assert lo.flat[k] <= g["input"].flat[k] <= hi.flat[k]
    return lo, hi


@pytest.mark.parametrize("name,params", [("mape", {}), ("mape", {"scale": 100.0, "eps": 1e-7}), ("pinball", {}),
                                         ("pinball", {"alpha": 0.9}), ("msle", {"clip_min": 1e-7})])
def test_grad_kinks_beyond(name, params):
    rng = np.random.default_rng(11)
    y = np.exp(rng.normal(size=6))
    x = y + np.concatenate([np.zeros(3), rng.normal(size=3)])
    if name == "msle":
        x[:3] = 1e-7  # on the clip
    lo, hi = kink_bounds(name, x, y, params, range(6))
    assert np.all(hi[:3] - lo[:3] > 0)  # the kinks are seen as kinks


def test_grad_kinks_batch_statistics():
    x, y = np.array([1.0, -3.0, 3.0, 0.5, 2.0]), np.zeros(5)  # |d| ties at the max
    kink_bounds("max_error", x, y, {}, range(5), reduction="mean")
    x = np.array([1.0, -2.0, 2.0, 0.5, 4.0])  # the two middle |d| tie (odd count: the median is one of them)
    kink_bounds("median_absolute_error", x, y, {}, range(5), reduction="mean")
    x = np.array([0.0, 0.0, 2.0])  # d = 0 at the median
    lo, hi = kink_bounds("median_absolute_error", x, np.zeros(3), {}, range(3), reduction="mean")
    assert np.all(hi[:2] - lo[:2] > 0)


def test_bad_input_beyond():
    x, y = rnd_b(3, 4), np.abs(rnd_b(3, 4))
    for name in ("log_cosh", "mape", "msle", "rmsle", "pinball", "tweedie_deviance", "max_error",
                 "median_absolute_error"):
        xx = np.abs(x)
        with pytest.raises(ValueError, match="shape mismatch"):
            LOSSES[name](xx, y[:, :3])
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](np.arange(12).reshape(3, 4), y)
        with pytest.raises(ValueError, match="unknown parameter"):
            LOSSES[name](xx, y, bogus=1)
    for name in ("rmsle", "max_error", "median_absolute_error"):
        with pytest.raises(ValueError, match="reduction"):
            LOSSES[name](np.abs(x), y, reduction="sum")
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](np.zeros((0, 2)), np.zeros((0, 2)))  # a statistic of no samples
    with pytest.raises(ValueError, match="eps"):
        LOSSES["mape"](x, y, eps=-1.0)
    for name in ("msle", "rmsle"):
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](-1.0 - np.abs(x), y)
        with pytest.raises(ValueError, match="target"):
            LOSSES[name](np.abs(x), -1.0 - y)
    with pytest.raises(ValueError, match="clip_min"):
        LOSSES["msle"](x, y, clip_min=-1.0)
    with pytest.raises(ValueError, match="alpha"):
        LOSSES["pinball"](x, y, alpha=1.5)
    T = LOSSES["tweedie_deviance"]
    with pytest.raises(ValueError, match="power"):
        T(np.abs(x), y, power=0.5)
    with pytest.raises(ValueError, match="input"):
        T(-np.abs(x), y, power=1.0)
    with pytest.raises(ValueError, match="input"):
        T(-np.abs(x), y, power=-1.0)
    with pytest.raises(ValueError, match="target"):
        T(np.abs(x), -y, power=1.5)
    with pytest.raises(ValueError, match="target"):
        T(np.abs(x), 0.0 * y, power=2.0)
    T(-np.abs(x), -y, power=0.0)  # power 0 is the squared error: any reals
    T(np.abs(x), -y, power=-1.0)  # the extreme stable family takes any y


def test_identities_beyond():
    x, y = np.exp(rnd_b(5, 6)), np.exp(rnd_b(5, 6))
    L = LOSSES
    assert np.array_equal(L["pinball"](x, y, reduction="none"), 0.5 * L["l1"](x, y, reduction="none"))
    assert np.array_equal(L["tweedie_deviance"](x, y, reduction="none"), L["mse"](x, y, reduction="none"))
    assert np.allclose(L["mape"](x, y, reduction="none") * y, L["l1"](x, y, reduction="none"), rtol=1e-15)
    assert np.allclose(L["msle"](x, y, reduction="none"), L["mse"](np.log1p(x), np.log1p(y), reduction="none"),
                       rtol=1e-12)
    assert np.allclose(L["rmsle"](x, y, reduction="none") ** 2, L["msle"](x, y, reduction="none").mean(axis=0),
                       rtol=1e-14)
    assert np.array_equal(L["max_error"](x, y, reduction="none"), np.max(np.abs(x - y), axis=0))
    assert np.array_equal(L["median_absolute_error"](x, y, reduction="none"), np.median(np.abs(x - y), axis=0))
    # Poisson deviance = 2 (poisson_nll on rates - its value at the rate y), the saturated model
    d = L["tweedie_deviance"](x, y, power=1.0, reduction="none")
    nll = L["poisson_nll"](x, y, log_input=False, reduction="none") - L["poisson_nll"](y, y, log_input=False,
                                                                                     reduction="none")
    assert np.allclose(d, 2 * nll, rtol=1e-9)


# ---------------------------------------------------------------- scores of the batch: r2, explained_variance,
# d2_score.  Scale: |v| + |num / den| -- v = 1 - num / den, and num and den are sums of rounded terms, each
# relatively accurate, so the error of the ratio is absolute in v.


def o_fraction(num, den, force_finite=False):
    if den == 0:
        if force_finite:
            return M(1 if num == 0 else 0), 0.0
        return (mpmath.nan if num == 0 else -mpmath.inf), 0.0
    return 1 - num / den, abs(1 - num / den) + abs(num / den)


def o_r2(xs, ys, force_finite=False):
    m = mpmath.fsum(ys) / len(ys)
    return o_fraction(mpmath.fsum((b - a) ** 2 for a, b in zip(xs, ys)), mpmath.fsum((b - m) ** 2 for b in ys),
                      force_finite)


def o_explained_variance(xs, ys, force_finite=False):
    e = [b - a for a, b in zip(xs, ys)]
    me, my = mpmath.fsum(e) / len(e), mpmath.fsum(ys) / len(ys)
    return o_fraction(mpmath.fsum((v - me) ** 2 for v in e), mpmath.fsum((b - my) ** 2 for b in ys), force_finite)


def o_d2(xs, ys, loss="absolute_error", alpha=0.5, power=0.0, force_finite=False):
    if loss == "tweedie":
        m = mpmath.fsum(ys) / len(ys)
        num = mpmath.fsum(o_tweedie(a, b, power)[0] for a, b in zip(xs, ys))
        den = mpmath.fsum(o_tweedie(m, b, power)[0] for b in ys)
        return o_fraction(num, den, force_finite)
    a = 0.5 if loss == "absolute_error" else alpha
    num = mpmath.fsum(o_pinball(x, y, a)[0] for x, y in zip(xs, ys))
    ys_sorted = sorted(ys)  # the alpha-quantile (inverted CDF): a minimizer of the pinball sum
    q = ys_sorted[max(0, int(mpmath.ceil(M(a) * len(ys))) - 1)]
    den = mpmath.fsum(o_pinball(q, y, a)[0] for y in ys)
    return o_fraction(num, den, force_finite)


SCORE_CASES = [("r2", o_r2, {}), ("r2", o_r2, {"force_finite": True}), ("explained_variance", o_explained_variance, {}),
               ("d2_score", o_d2, {}), ("d2_score", o_d2, {"loss": "pinball", "alpha": 0.9}),
               ("d2_score", o_d2, {"loss": "pinball", "alpha": 0.1}), ("d2_score", o_d2, {"loss": "pinball"}),
               ("d2_score", o_d2, {"loss": "tweedie", "power": 1.5}), ("d2_score", o_d2, {"loss": "tweedie"}),
               ("d2_score", o_d2, {"loss": "tweedie", "power": 2.0})]


@pytest.mark.parametrize("name,oracle,params", SCORE_CASES)
@pytest.mark.parametrize("shape", [(21,), (20, 3), (22, 2), (25, 4), (10, 5)])
def test_values_scores(name, oracle, params, shape):
    x, y = np.exp(rnd_b(*shape)), np.exp(rnd_b(*shape))
    if x.ndim == 2:
        y[:, 0] += 1e8  # a large common offset: the deviations from the mean must not lose it
        x[:, 0] = y[:, 0] + rnd_b(shape[0])
    out = per_output(lambda a, b: oracle(a, b, **params), x, y)
    got = LOSSES[name](x, y, reduction="none", **params)
    assert np.shape(got) == shape[1:]
    check_value(name, np.ravel(got), [v for v, _ in out], np.array([float(s) for _, s in out]))
    mean = mpmath.fsum(v for v, _ in out) / len(out)
    check_value(name, LOSSES[name](x, y, reduction="mean", **params), [mean],
                float(sum(s for _, s in out)) / len(out))


def test_scores_degenerate_columns():
    y = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])  # a constant first column
    x = np.array([[1.0, 2.0], [1.0, 3.0], [2.0, 4.0]])
    for name in ("r2", "explained_variance", "d2_score"):
        assert LOSSES[name](x, y, reduction="none").tolist() == [-np.inf, 1.0]
        assert LOSSES[name](x, y, force_finite=True, reduction="none").tolist() == [0.0, 1.0]
        assert LOSSES[name](y, y, force_finite=True, reduction="none").tolist() == [1.0, 1.0]
        assert np.isnan(LOSSES[name](y, y, reduction="none")[0])  # 0 / 0
        assert LOSSES[name](x[:1], y[:1], force_finite=True, reduction="none").tolist() == [1.0, 1.0]


def test_scores_identities():
    x, y = rnd_b(9, 2), rnd_b(9, 2)
    L = LOSSES
    e = y - x
    assert np.allclose(L["explained_variance"](x + (e.mean(axis=0)), y, reduction="none"),
                       L["r2"](x + e.mean(axis=0), y, reduction="none"), rtol=1e-13)
    # d2 with tweedie power 0 is r2; absolute_error is pinball at 1/2
    assert np.allclose(L["d2_score"](x, y, loss="tweedie", reduction="none"), L["r2"](x, y, reduction="none"),
                       rtol=1e-13)
    assert np.array_equal(L["d2_score"](x, y, reduction="none"),
                          L["d2_score"](x, y, loss="pinball", alpha=0.5, reduction="none"))


def test_bad_input_scores():
    x, y = np.exp(rnd_b(3, 4)), np.exp(rnd_b(3, 4))
    for name in ("r2", "explained_variance", "d2_score"):
        with pytest.raises(ValueError, match="shape mismatch"):
            LOSSES[name](x, y[:, :3])
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](np.arange(12).reshape(3, 4), y)
        with pytest.raises(ValueError, match="target"):
            LOSSES[name](x, np.arange(12).reshape(3, 4))
        with pytest.raises(ValueError, match="input"):
            LOSSES[name](np.zeros((0, 2)), np.zeros((0, 2)))
        with pytest.raises(ValueError, match="reduction"):
            LOSSES[name](x, y, reduction="sum")
    with pytest.raises(ValueError, match="loss"):
        LOSSES["d2_score"](x, y, loss="squared_error")
    with pytest.raises(ValueError, match="alpha"):
        LOSSES["d2_score"](x, y, loss="pinball", alpha=2.0)
    with pytest.raises(ValueError, match="input"):
        LOSSES["d2_score"](-x, y, loss="tweedie", power=1.0)


# ---------------------------------------------------------------- mean_pairwise_squared_error (issue 11, batch NL1)
# Scale: |v| + sum_k (|x_k| + |y_k|) |dv / dd_k|, dv / dd_k = 4 (d_k - mean d) / (K - 1): d = x - y is one rounding
# of each element, and the value is as sensitive to it as this (near d_k = const the value is tiny, the scale not).

RNG_P = np.random.default_rng(4242)


def o_pairwise(xs, ys, count="sample", n_batch=1):
    d = [M(float(a)) - M(float(b)) for a, b in zip(xs, ys)]
    k = len(d)
    if count == "batch":
        m = n_batch * k
        v = 2 * (mpmath.fsum(t**2 for t in d) - mpmath.fsum(d) ** 2 / m) / (m - 1)
        c = mpmath.fsum(d) / m  # dv / dd_k = 4 (d_k - sum d / M) / (M - 1)
        return v, abs(v) + mpmath.fsum(4 * abs(t - c) * (abs(M(float(a))) + abs(M(float(b)))) / (m - 1)
                                       for t, a, b in zip(d, xs, ys))
    v = mpmath.fsum((d[i] - d[j]) ** 2 for i in range(k) for j in range(i + 1, k)) / (k * (k - 1) / 2)
    mean = mpmath.fsum(d) / k
    s = abs(v) + mpmath.fsum(4 * abs(t - mean) * (abs(M(float(a))) + abs(M(float(b)))) / (k - 1)
                             for t, a, b in zip(d, xs, ys))
    return v, s


def test_values_mean_pairwise_squared_error():
    x, y = RNG_P.normal(size=(24, 5)), RNG_P.normal(size=(24, 5))
    x[0], y[0] = 1e8 + RNG_P.normal(size=5), 1e-3 * RNG_P.normal(size=5)  # a large common offset of d
    x[1], y[1] = y[1] + 3.0, y[1]  # d constant: every pair agrees, loss 0
    x[2] = [1e-300, -1e-300, 5e-324, 0.0, 1e-310]
    y[2] = 0.0
    x[3], y[3] = [1e150, -1e150, 0.0, 1.0, 2.0], 0.0  # squares near the float64 top
    x[4] = y[4] + np.array([1.0, 1.0, 1.0, 1.0, 1.0 + 2**-30])  # one deviation of 2^-30 among equal d's
    x[5], y[5] = [1.0, 2.0, 4.0, 0.0, 0.0], 0.0
    got = LOSSES["mean_pairwise_squared_error"](x, y, reduction="none")
    out = [o_pairwise(a, b) for a, b in zip(x, y)]
    check_value("mean_pairwise_squared_error", got, [v for v, _ in out], np.array([float(s) for _, s in out]))
    check_value("mean_pairwise_squared_error", LOSSES["mean_pairwise_squared_error"](x, y, reduction="sum"),
                [mpmath.fsum(v for v, _ in out)], float(sum(s for _, s in out)))
    assert got[1] == 0.0
    # two elements: the one pair; 3-d samples pair across both trailing axes
    two = RNG_P.normal(size=(6, 2))
    check_value("mean_pairwise_squared_error", LOSSES["mean_pairwise_squared_error"](two, 0 * two, reduction="none"),
                [(M(float(a)) - M(float(b))) ** 2 for a, b in two], np.abs(two).sum(axis=1) ** 2 * 4)
    cube, cy = RNG_P.normal(size=(3, 2, 3)), RNG_P.normal(size=(3, 2, 3))
    out = [o_pairwise(a.ravel(), b.ravel()) for a, b in zip(cube, cy)]
    check_value("mean_pairwise_squared_error", LOSSES["mean_pairwise_squared_error"](cube, cy, reduction="none"),
                [v for v, _ in out], np.array([float(s) for _, s in out]))


def test_values_mean_pairwise_count_batch_and_no_pairs():
    x, y = RNG_P.normal(size=(4, 6)), RNG_P.normal(size=(4, 6))
    got = LOSSES["mean_pairwise_squared_error"](x, y, count="batch", reduction="none")
    out = [o_pairwise(a, b, "batch", 4) for a, b in zip(x, y)]
    check_value("mean_pairwise_squared_error", got, [v for v, _ in out], np.array([float(s) for _, s in out]))
    loss = LOSSES["mean_pairwise_squared_error"]
    one = np.array([[0.5], [2.0]])
    assert np.isnan(loss(one, 0 * one, reduction="none")).all()  # no pair: the mean of nothing
    assert loss(one, 0 * one, no_pairs=0.0, reduction="none").tolist() == [0.0, 0.0]
    assert loss(one[:1], 0 * one[:1], count="batch", no_pairs=0.0, reduction="sum") == 0.0
    assert loss(np.zeros((0, 3)), np.zeros((0, 3)), reduction="sum") == 0.0
    # the docstring's example: labels [a, b, c] = [0, 0.5, 1], predictions [1, 1, 1]: (0.25 + 1 + 0.25) / 3
    assert loss(np.array([[1.0, 1.0, 1.0]]), np.array([[0.0, 0.5, 1.0]]), reduction="sum") == 0.5


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("params", [{}, {"count": "batch"}])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 2)])
def test_grad_fd_mean_pairwise(params, reduction, shape):
    rng = np.random.default_rng(11)
    fd_check("mean_pairwise_squared_error", (rng.normal(size=shape), rng.normal(size=shape)), params, reduction, rng)


def test_bad_input_mean_pairwise():
    loss = LOSSES["mean_pairwise_squared_error"]
    x = RNG_P.normal(size=(3, 4))
    with pytest.raises(ValueError, match="shape mismatch"):
        loss(x, x[:, :3])
    with pytest.raises(ValueError, match="count"):
        loss(x, x, count="pairs")
    with pytest.raises(ValueError, match="input"):
        loss(np.float64(1.0), np.float64(0.0))
    with pytest.raises(ValueError, match="input"):
        loss(np.arange(12).reshape(3, 4), x)


# ---------------------------------------------------------------- d2_score of log_loss and brier (issue 11, NL1)
# Scale as o_fraction's: num and den are sums of relatively accurate terms (the class frequencies q = count / N
# are one rounding each).


def o_d2_probabilistic(p, y, loss, clip_eps=0.0):
    n = len(y)
    probs = [[M(float(v)) for v in row] for row in (p if p.ndim == 2 else np.stack([1 - p, p], axis=1))]
    if p.ndim == 1:  # the binary column P(class 1) exactly: 1 - p above is rounded, so rebuild it
        probs = [[1 - M(float(v)), M(float(v))] for v in p]
    c = len(probs[0])
    freq = [M(int(np.sum(y == k))) / n for k in range(c)]

    def term(row, k):
        if loss == "brier":
            return mpmath.fsum((row[j] - (j == k)) ** 2 for j in range(c)) / (2 if p.ndim == 1 else 1)
        q = min(max(row[k], M(clip_eps)), 1 - M(clip_eps)) if clip_eps else row[k]
        return mpmath.inf if q == 0 else -mpmath.log(q)

    num = mpmath.fsum(term(row, int(k)) for row, k in zip(probs, y))
    den = mpmath.fsum(term(freq, int(k)) for k in y)
    return o_fraction(num, den)


@pytest.mark.parametrize("loss", ["log_loss", "brier"])
def test_values_d2_probabilistic(loss):
    rng = np.random.default_rng(77)
    for n, c in ((12, None), (25, None), (10, 3), (30, 4), (20, 5)):
        for clip_eps in ((0.0, 2.0**-52) if loss == "log_loss" else (0.0,)):
            p = rng.uniform(0.01, 0.99, n) if c is None else rng.dirichlet(np.ones(c), size=n)
            y = rng.integers(0, 2 if c is None else c, n)
            y[:2] = [0, 1]
            params = {"loss": loss, "clip_eps": clip_eps} if clip_eps else {"loss": loss}
            v, s = o_d2_probabilistic(p, y, loss, clip_eps)
            check_value("d2_score", [LOSSES["d2_score"](p, y, reduction="none", **params)], [v], float(s))
    # saturated: p = 0 on the true class gives num = inf (-inf) unless clipped (sklearn's finite eps clip)
    p, y = np.array([0.0, 0.7, 0.2]), np.array([1, 1, 0])
    assert LOSSES["d2_score"](p, y, loss="log_loss", reduction="none") == -np.inf
    v, s = o_d2_probabilistic(p, y, "log_loss", 2.0**-52)
    check_value("d2_score", [LOSSES["d2_score"](p, y, loss="log_loss", clip_eps=2.0**-52, reduction="none")], [v],
                float(s))


def test_d2_probabilistic_degenerate_and_identities():
    d2 = LOSSES["d2_score"]
    p, y = np.array([0.2, 0.9, 0.6]), np.ones(3, dtype=int)
    assert d2(p, y, loss="brier", reduction="none") == -np.inf  # one class: den = 0
    assert d2(p, y, loss="brier", force_finite=True, reduction="none") == 0.0
    freq = np.full(3, 1.0)
    assert np.isnan(d2(freq, y, loss="log_loss", reduction="none"))  # the best constant itself: 0 / 0
    # binary (N,) probabilities equal their two-column multiclass form
    rng = np.random.default_rng(78)
    pb, yb = rng.uniform(0.05, 0.95, 9), rng.integers(0, 2, 9)
    for loss in ("log_loss", "brier"):
        assert d2(pb, yb, loss=loss) == pytest.approx(d2(np.stack([1 - pb, pb], 1), yb, loss=loss), rel=1e-13)
    with pytest.raises(ValueError, match="input"):
        d2(np.array([0.5, 1.5]), np.array([1, 0]), loss="log_loss")
    with pytest.raises(ValueError, match="target"):
        d2(np.array([0.5, 0.5]), np.array([1, 2]), loss="brier")
    with pytest.raises(ValueError, match="clip_eps"):
        d2(np.array([0.5, 0.5]), np.array([1, 0]), loss="log_loss", clip_eps=0.7)
    with pytest.raises(ValueError, match="input"):
        d2(np.array([0, 1]), np.array([1, 0]), loss="brier")
