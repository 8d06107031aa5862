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


# ---------------------------------------------------------------- conformance cases


def test_richardson_sanity():
    assert richardson(math.sin, 1e-2) == pytest.approx(1.0, rel=1e-13)
