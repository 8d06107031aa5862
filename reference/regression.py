"""Element-wise regression losses: d = input - target, loss per element."""

import autograd.numpy as np
from autograd.tracer import getval

from . import scores
from ._core import (
    accurate_sum,
    choice,
    closed_form_grad,
    floats,
    in_range,
    nonnegative,
    register,
    same_shape,
    weights_like,
)

# Losses of d = input - target where the target may be a network output too (two networks' outputs compared, a
# regression onto a moving target): both are differentiable, d/d target = -d/d input.
DIFFERENCE = ("input", "target")


def _of_difference(g):
    """The gradients of a loss of d = input - target from g = d/d input."""
    return {"input": g, "target": -g}


def _weighted(v, weight, input, weight_mean):
    """The loss times an element weight w: w v, whose mean is the weighted mean sum(w v) / sum(w) (weight_mean=
    "weights": torch 2.14's weight= of l1_loss and mse_loss, scikit-learn's sample_weight) or sum(w v) / v.size
    ("size": torch 2.14's huber_loss); without a weight, v."""
    choice("weight_mean", weight_mean, ("weights", "size"))
    if weight is None:
        return v
    w = weights_like("weight", weight, input)
    return w * v, (accurate_sum(np.broadcast_to(w, np.shape(getval(v)))) if weight_mean == "weights" else None)


@register("l1", differentiable=DIFFERENCE)
def l1(input, target, weight=None, weight_mean="weights"):
    """L1 (mean absolute error): |x - y|; with a weight w, w |x - y| and the mean sum(w |d|) / sum(w) (_weighted).

    Source: 003_76f20136c8b21606.txt (``np.sum(np.abs(y - yhat))``); torch ``L1Loss``."""
    same_shape(input=input, target=target)
    return _weighted(np.abs(input - target), weight, input, weight_mean)


@closed_form_grad("l1")
def _l1_grad(input, target, cot, weight=None, weight_mean="weights"):
    # sign(d): 0 at the kink d = 0 (torch's choice; any value in [-1, 1] is a subgradient), +-1 at d = +-inf
    return _of_difference(cot * weights_like("weight", weight, input) * np.sign(input - target))


@register("mse", differentiable=DIFFERENCE)
def mse(input, target, weight=None, weight_mean="weights"):
    """Squared error (L2 / MSE): (x - y)^2; with a weight w, w (x - y)^2 and the mean sum(w d^2) / sum(w).

    Source: 003_76f20136c8b21606.txt (``np.sum(np.power(y - yhat, 2))``); torch ``MSELoss``."""
    same_shape(input=input, target=target)
    return _weighted((input - target) ** 2, weight, input, weight_mean)


@closed_form_grad("mse")
def _mse_grad(input, target, cot, weight=None, weight_mean="weights"):
    return _of_difference(cot * weights_like("weight", weight, input) * 2.0 * (input - target))


@register("smooth_l1", differentiable=DIFFERENCE)
def smooth_l1(input, target, beta=1.0):
    """Smooth L1: 0.5 d^2 / beta if |d| < beta else |d| - 0.5 beta; beta = 0 is L1.

    Source: 000_70631a638783e53f.txt (Fast R-CNN's form with ``beta``, e.g. 1/9); torch ``SmoothL1Loss``."""
    same_shape(input=input, target=target)
    if beta < 0:
        raise ValueError(f"beta: expected >= 0, got {beta!r}")
    n = np.abs(input - target)
    if beta == 0:
        return n
    return np.where(n < beta, 0.5 * n**2 / beta, n - 0.5 * beta)


@closed_form_grad("smooth_l1")
def _smooth_l1_grad(input, target, cot, beta=1.0):
    # The documents' eq. (6): d/beta inside the quadratic zone, sign(d) outside.
    d = input - target
    inner = d / beta if beta > 0 else 0.0 * d
    return _of_difference(cot * np.where(np.abs(d) < beta, inner, np.sign(d)))


@register("huber", differentiable=DIFFERENCE)
def huber(input, target, delta=1.0, weight=None, weight_mean="weights"):
    """Huber: 0.5 d^2 if |d| <= delta else delta (|d| - 0.5 delta); a weight w as l1's.

    Continuously differentiable (C1) at |d| = delta; equals delta * smooth_l1(beta=delta).
    Source: Huber (1964); torch ``HuberLoss``, Keras ``Huber``."""
    same_shape(input=input, target=target)
    if not delta > 0:
        raise ValueError(f"delta: expected > 0, got {delta!r}")
    n = np.abs(input - target)
    return _weighted(np.where(n <= delta, 0.5 * n**2, delta * (n - 0.5 * delta)), weight, input, weight_mean)


@closed_form_grad("huber")
def _huber_grad(input, target, cot, delta=1.0, weight=None, weight_mean="weights"):
    # d inside |d| <= delta, delta sign(d) outside: clip(d, -delta, delta) (also at d = +-inf)
    return _of_difference(cot * weights_like("weight", weight, input) * np.clip(input - target, -delta, delta))


def _xlogy(y, x):
    """y log x with 0 log 0 = 0, also for the gradient (x is kept away from 0 where y = 0)."""
    zero = y == 0
    return np.where(zero, 0.0, y * np.log(np.where(zero, 1.0, x)))


@register("poisson_nll")
def poisson_nll(input, target, log_input=True, full=False, eps=0.0):
    """Poisson negative log-likelihood of the count y given the rate.

    log_input=True (x is the log-rate): exp(x) - y x;  log_input=False (x is the rate): x - y log(x + eps).
    full adds Stirling's approximation of log(y!): y log y - y + 0.5 log(2 pi y) where y > 1.
    0 log 0 = 0.  Source: 004_18f5d166812d638a.txt (PoissonNLLLoss); torch ``PoissonNLLLoss`` (its
    eps=1e-8), Keras ``Poisson`` = log_input=False, eps=1e-7."""
    same_shape(input=input, target=target)
    nonnegative("target", target)
    if log_input:
        v = np.exp(input) - np.where(target == 0, 0.0, target * input)
    else:
        in_range("input", input + eps, 0.0, np.inf, "rates (input + eps)")
        v = input - _xlogy(target, input + eps)
    if full:
        y = np.where(target > 1, target, 1.0)
        v = v + np.where(target > 1, y * np.log(y) - y + 0.5 * np.log(2 * np.pi * y), 0.0)
    return v


def _var_like(var, input):
    """torch's var shapes: input's, input's without its last dim, or input's with one dim of size 1."""
    vs, xs = np.shape(var), np.shape(input)
    if vs == xs:
        return var
    if vs == xs[:-1]:
        return np.reshape(var, vs + (1,))
    if len(vs) == len(xs):
        differing = [a for a, b in zip(vs, xs, strict=True) if a != b]
        if differing == [1]:
            return var
    raise ValueError(f"var: expected shape {xs}, {xs[:-1]} or {xs} with one dimension 1, got {vs}")


@register("gaussian_nll", inputs=("input", "target", "var"), differentiable=("input", "var"))
def gaussian_nll(input, target, var, full=False, eps=0.0, clamp_no_grad=False):
    """Gaussian negative log-likelihood: 0.5 (log v + (x - y)^2 / v), v = max(var, eps); full adds 0.5 log(2 pi).

    var = 0 (eps = 0) gives the limit: +inf where x != y, -inf where x == y.
    clamp_no_grad=True: the clamp is invisible to the gradient (torch clamps under no_grad, so its
    d/d var is 0.5 (1/v - d^2/v^2) at v = eps even where var < eps).
    Source: 004_18f5d166812d638a.txt (GaussianNLLLoss); torch ``GaussianNLLLoss`` (its eps=1e-6)."""
    same_shape(input=input, target=target)
    nonnegative("var", var)
    var = _var_like(var, input)
    if clamp_no_grad:
        v = var + (np.maximum(getval(var), eps) - getval(var))
    else:
        v = np.maximum(var, eps)
    d2 = (input - target) ** 2
    zero = v == 0
    safe = np.where(zero, 1.0, v)
    limit = np.where(d2 > 0, np.inf, np.where(d2 == 0, -np.inf, np.nan))
    val = np.where(zero, limit, 0.5 * (np.log(safe) + d2 / safe))
    return val + 0.5 * np.log(2 * np.pi) if full else val


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


@register("log_cosh", differentiable=DIFFERENCE)
def log_cosh(input, target):
    """Log-cosh: log cosh(x - y).

    Source: Keras 3.15 ``LogCosh`` / ``log_cosh`` (documented as log(cosh(y_pred - y_true)); it computes
    d + softplus(-2 d) - log 2), optax ``log_cosh``."""
    same_shape(input=input, target=target)
    a = np.abs(input - target)
    small = a < 1.0
    # |d| < 1: log1p(cosh d - 1), cosh d - 1 = 2 sinh(d/2)^2 exactly (|d| + log1p(e^-2|d|) - log 2 cancels
    # to d^2/2 here); |d| >= 1: |d| - log 2 + log1p(e^-2|d|), which never overflows (cosh does at 710).
    near = np.log1p(2.0 * np.sinh(np.where(small, a, 0.0) / 2.0) ** 2)
    far = (a - np.log(2.0)) + np.log1p(np.exp(-2.0 * a))
    return np.where(small, near, far)


@closed_form_grad("log_cosh")
def _log_cosh_grad(input, target, cot):
    return _of_difference(cot * np.tanh(input - target))


@register("mape")
def mape(input, target, scale=1.0, eps=0.0):
    """Absolute percentage error: scale |x - y| / max(|y|, eps).

    The pure definition (scale=1, eps=0) divides by |y| itself: y = 0 gives +inf where x != 0 and NaN where
    x = 0 (0/0: |x - y| / |y| has no limit at x = y = 0), IEEE arithmetic as written, not an error.
    Keras 3.15 ``MeanAbsolutePercentageError``: scale=100, eps=1e-7 (backend epsilon);
    scikit-learn 1.9 ``mean_absolute_percentage_error``: scale=1, eps=finfo(float64).eps."""
    same_shape(input=input, target=target)
    if not eps >= 0:
        raise ValueError(f"eps: expected >= 0, got {eps!r}")
    return scale * np.abs(input - target) / np.maximum(np.abs(target), eps)


@closed_form_grad("mape")
def _mape_grad(input, target, cot, scale=1.0, eps=0.0):
    # sign(d) (0 at the kink d = 0, as l1) over the divisor, which does not depend on the input
    return {"input": cot * scale * np.sign(input - target) / np.maximum(np.abs(target), eps)}


def _log1p_difference(x, y):
    """log1p(x) - log1p(y) = log1p((x - y) / (1 + y)), which does not cancel at x ~ y; the plain difference
    where an input is infinite (the ratio would be inf / inf)."""
    finite = np.isfinite(x) & np.isfinite(y)
    xs, ys = np.where(finite, x, 0.0), np.where(finite, y, 0.0)
    return np.where(finite, np.log1p((xs - ys) / (1.0 + ys)), np.log1p(x) - np.log1p(y))


def _msle_terms(input, target, clip_min):
    same_shape(input=input, target=target)
    if clip_min is None:
        in_range("input", input, np.nextafter(-1.0, 0.0), np.inf, "values (log1p needs > -1)")
        in_range("target", target, np.nextafter(-1.0, 0.0), np.inf, "values (log1p needs > -1)")
        return input, target
    if not clip_min > -1:
        raise ValueError(f"clip_min: expected None or > -1, got {clip_min!r}")
    # max(v, clip_min) with slope 1 at the bound itself, as max(x, eps) in the frameworks' autodiff
    return np.where(input < clip_min, clip_min, input), np.where(target < clip_min, clip_min, target)


@register("msle")
def msle(input, target, clip_min=None):
    """Squared logarithmic error: (log1p(x) - log1p(y))^2; x and y must exceed -1.

    clip_min: x and y are first raised to max(., clip_min) (Keras 3.15 ``MeanSquaredLogarithmicError``
    clips both at its epsilon, clip_min=1e-7, and accepts any value).  scikit-learn 1.9
    ``mean_squared_log_error`` is clip_min=None (it rejects values <= -1).  The root variant is the
    separate loss ``rmsle``: the square root of a mean is not a reduction of element-wise values."""
    x, y = _msle_terms(input, target, clip_min)
    return _log1p_difference(x, y) ** 2


@register("rmsle", reductions=("none", "mean"))
def rmsle(input, target):
    """Root mean squared logarithmic error, per output: sqrt(mean over axis 0 of (log1p x - log1p y)^2).

    A statistic of the whole batch (axis 0 holds the samples, the other axes the outputs), as scikit-learn
    1.9 ``root_mean_squared_log_error``: reduction "none" is its multioutput="raw_values" (one value per
    output; a scalar for 1-D inputs), "mean" its "uniform_average" (the mean over the outputs)."""
    x, y = _msle_terms(input, target, None)
    _samples("input", input)
    return np.sqrt(np.mean(_log1p_difference(x, y) ** 2, axis=0))


@register("pinball")
def pinball(input, target, alpha=0.5):
    """Pinball (quantile) loss: alpha max(y - x, 0) + (1 - alpha) max(x - y, 0).

    alpha = 0.5 is l1 / 2.  Source: Koenker and Bassett (1978); scikit-learn 1.9 ``mean_pinball_loss``
    (its alpha=0.5)."""
    same_shape(input=input, target=target)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha: expected a value in [0, 1], got {alpha!r}")
    d = input - target
    return np.where(d < 0, -alpha * d, (1.0 - alpha) * d)


@closed_form_grad("pinball")
def _pinball_grad(input, target, cot, alpha=0.5):
    # -alpha below the kink, 1 - alpha above; at d = 0 scikit-learn's sign (diff >= 0) picks -alpha
    d = input - target
    return {"input": cot * np.where(d > 0, 1.0 - alpha, np.where(np.isnan(d), np.nan, -alpha))}


def _log_ratio(x, y):
    """log(x / y) for x, y > 0: log1p((x - y) / y) for |x - y| <= y / 2 (no cancellation in the deviances),
    log(x / y) elsewhere, log x - log y where x / y overflows or underflows."""
    near = np.abs(x - y) <= 0.5 * y
    r = x / np.where(near, 1.0, y)
    ratio_ok = ~near & (r < np.inf) & (r >= 2.2250738585072014e-308)
    return np.where(near, np.log1p((x - y) / np.where(near, y, 1.0)),
                    np.where(ratio_ok, np.log(np.where(ratio_ok, r, 1.0)), np.log(x) - np.log(y)))


def _tweedie_domain(input, target, power):
    if 0 < power < 1:
        raise ValueError(f"power: the Tweedie deviance is defined for power <= 0 or power >= 1, got {power!r}")
    if power != 0:
        in_range("input", input, 5e-324, np.inf, "predictions (power != 0 needs > 0)")
    if power >= 2:
        in_range("target", target, 5e-324, np.inf, "targets (power >= 2 needs > 0)")
    elif power >= 1:
        nonnegative("target", target)


@register("tweedie_deviance")
def tweedie_deviance(input, target, power=0.0):
    """Unit Tweedie deviance of the prediction x (the mean) for the observation y:

    power 0: (y - x)^2;  1 (Poisson): 2 (y log(y / x) - y + x);  2 (Gamma): 2 (log(x / y) + y / x - 1);
    else 2 (max(y, 0)^(2-p) / ((1-p)(2-p)) - y x^(1-p) / (1-p) + x^(2-p) / (2-p)).  Undefined for
    0 < p < 1; p != 0 needs x > 0, 1 <= p < 2 needs y >= 0, p >= 2 needs y > 0 (ValueError otherwise).
    Source: Jorgensen (1997); scikit-learn 1.9 ``_mean_tweedie_deviance`` (``mean_tweedie_deviance``,
    ``mean_poisson_deviance`` = power 1, ``mean_gamma_deviance`` = power 2), whose domain checks these are."""
    same_shape(input=input, target=target)
    _tweedie_domain(input, target, power)
    x, y, p = input, target, power
    if p == 0:
        return (x - y) ** 2
    pos = y > 0
    ys = np.where(pos, y, 1.0)
    L = _log_ratio(x, ys)  # log(x / y) where y > 0
    # near the minimum every form below cancels to second order; the series is relatively accurate there
    d = x - y
    u = d / ys
    series = pos & (np.abs(u) * max(1.0, abs(1 - p), abs(2 - p)) <= 0.25)
    near_min = d**2 * ys ** (-p) * (1.0 + 2.0 * _tweedie_series_tail(np.where(series, u, 0.0), p))
    return np.where(series, near_min, _tweedie_far(x, y, p, pos, ys, L))


def _tweedie_series_tail(u, p, terms=40):
    """sum_{k >= 3} u^(k-2) (c_{2-p}(k) - c_{1-p}(k)), c_m(k) = binom(m, k) / m = prod_{0<j<k} (m - j) / k!
    (at m = 0 the limit (-1)^(k-1) / k).

    The unit deviance for y > 0 is 2 y^(2-p) sum_{k >= 2} u^k (c_{2-p}(k) - c_{1-p}(k)), u = (x - y) / y:
    the binomial series of (1 + u)^(2-p) and (1 + u)^(1-p), whose constant and first-order terms cancel in
    the algebra (p = 1: u - log1p(u)); the k = 2 coefficient is exactly 1/2, so it is
    d^2 y^-p (1 + 2 * this tail).  |u| max(1, |1-p|, |2-p|) <= 1/4: 40 terms reach the last bit."""
    total, power = 0.0 * u, 1.0 + 0.0 * u
    ca, cb = (1.0 - p) / 2, -p / 2  # c_m(2) = (m - 1) / 2
    for k in range(3, terms + 3):
        ca, cb = ca * (2.0 - p - k + 1) / k, cb * (1.0 - p - k + 1) / k
        power = power * u
        total = total + power * (ca - cb)
    return total


def _tweedie_far(x, y, p, pos, ys, L):
    """The unit deviance away from the minimum (or where y <= 0)."""
    d = x - y
    if p == 1:
        # y log(y/x) - y + x = d - y log(x/y), from d and log1p(d / y) (both relatively accurate), not from
        # y log(y/x) and x - y separately (where even this cancels, the series is used)
        return 2.0 * np.where(pos, d - ys * L, x)
    if p == 2:
        return 2.0 * (L - d / x)  # log(x/y) + y/x - 1 = log(x/y) - d/x
    # general p, y > 0 and |log(x/y)| <= 1: y^(2-p) [(1-p) B - (2-p) A] / ((1-p)(2-p)), A = (x/y)^(1-p) - 1,
    # B = (x/y)^(2-p) - 1 via expm1 (the three terms of the plain formula cancel to second order at x = y)
    near = pos & (np.abs(L) <= 1.0)
    Ln = np.where(near, L, 0.0)
    a, b = np.expm1((1 - p) * Ln), np.expm1((2 - p) * Ln)
    stable = ys ** (2 - p) * ((1 - p) * b - (2 - p) * a) / ((1 - p) * (2 - p))
    yp = np.where(pos, y, 0.0)
    # y x^(1-p) as (y / x) x^(2-p) for p > 1, where x^(1-p) underflows first (x = 1e299, p = 3)
    yx = (y / x) * x ** (2 - p) if p > 1 else y * x ** (1 - p)
    plain = yp ** (2 - p) / ((1 - p) * (2 - p)) - yx / (1 - p) + x ** (2 - p) / (2 - p)
    return 2.0 * np.where(near, stable, plain)


@closed_form_grad("tweedie_deviance")
def _tweedie_grad(input, target, cot, power=0.0):
    # d/dx of every branch: 2 (x - y) x^-p
    return {"input": cot * 2.0 * (input - target) * input ** (-power)}


def _samples(name, a):
    if np.ndim(getval(a)) < 1 or np.shape(getval(a))[0] == 0:
        raise ValueError(f"{name}: expected at least one sample along axis 0, got shape {np.shape(getval(a))}")


def _abs_errors(input, target):
    same_shape(input=input, target=target)
    _samples("input", input)
    return np.abs(input - target)


@register("max_error", reductions=("none", "mean"))
def max_error(input, target):
    """Maximum absolute error over the batch (axis 0), per output: max_i |x_i - y_i|.

    A statistic of the batch, not a mean of element-wise values: reduction "none" gives one value per
    output (a scalar for 1-D inputs), "mean" the mean over the outputs.  Ties share the gradient evenly.
    Source: scikit-learn 1.9 ``max_error`` (1-D inputs only)."""
    n = _abs_errors(input, target)
    nv = getval(n)
    top = (nv == np.max(nv, axis=0)) | np.isnan(nv)  # a NaN is the max (np.max propagates it)
    w = top / np.sum(top, axis=0)
    return np.where(np.any(np.isnan(nv), axis=0), np.nan, np.sum(np.where(top, w * n, 0.0), axis=0))


@register("median_absolute_error", reductions=("none", "mean"))
def median_absolute_error(input, target):
    """Median absolute error over the batch (axis 0), per output: median_i |x_i - y_i| (the mean of the
    two middle values for an even count).

    Reductions as ``max_error``: "none" is scikit-learn's multioutput="raw_values", "mean" its
    "uniform_average"; NaN anywhere in an output gives NaN.  The gradient follows the middle element(s)
    (a stable sort breaks ties).  Source: scikit-learn 1.9 ``median_absolute_error``."""
    n = _abs_errors(input, target)
    nv = getval(n)
    m = nv.shape[0]
    rank = np.argsort(np.argsort(nv, axis=0, kind="stable"), axis=0, kind="stable")
    w = ((rank == (m - 1) // 2).astype(np.float64) + (rank == m // 2)) / 2.0
    return np.where(np.any(np.isnan(nv), axis=0), np.nan, np.sum(np.where(w > 0, w * n, 0.0), axis=0))


# ---------------------------------------------------------------- scores of the batch (value only): r2,
# explained_variance, d2_score.  Per output (axis 0 holds the samples), reductions as max_error; sums and
# means are correctly rounded (math.fsum), deviations from a mean corrected by a second pass.


def _columns(input, target):
    """float (N, K) views of input and target, N >= 1."""
    floats("input", input)
    floats("target", target)
    _abs_errors(input, target)
    x, y = np.asarray(input, dtype=np.float64), np.asarray(target, dtype=np.float64)
    return x.reshape(len(x), -1), y.reshape(len(y), -1), np.shape(x)[1:]


def _column_sum(a):
    return np.array([accurate_sum(c) for c in a.T])


def _deviations(a):
    """a - mean(a) per column, with the mean's rounding corrected by a second pass."""
    dev = a - _column_sum(a) / len(a)
    return dev - _column_sum(dev) / len(a)


def _fraction_explained(num, den, force_finite):
    """1 - num / den; force_finite (scikit-learn's default): 1 where both are 0, 0 where only den is."""
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 1.0 - num / den
    if force_finite:
        score = np.where(den != 0, score, np.where(num == 0, 1.0, 0.0))
    return score


@register("r2", differentiable=(), reductions=("none", "mean"))
def r2(input, target, force_finite=False):
    """Coefficient of determination per output: 1 - sum (y - x)^2 / sum (y - mean y)^2 (a score: 1 is a
    perfect prediction).  A constant target gives 1 - num / 0: -inf, or NaN where x = y too (the definition
    as written); force_finite=True gives scikit-learn's 1 (perfect) or 0 there.
    Reductions as ``max_error`` ("none" = multioutput="raw_values", "mean" = "uniform_average").
    Source: scikit-learn 1.9 ``r2_score`` (force_finite=True by default)."""
    x, y, shape = _columns(input, target)
    num = _column_sum((y - x) ** 2)
    den = _column_sum(_deviations(y) ** 2)
    return _fraction_explained(num, den, force_finite).reshape(shape)


@register("explained_variance", differentiable=(), reductions=("none", "mean"))
def explained_variance(input, target, force_finite=False):
    """Explained variance per output: 1 - Var(y - x) / Var(y) (population variances); equals r2 when the
    errors have mean 0.  force_finite and reductions as ``r2``.
    Source: scikit-learn 1.9 ``explained_variance_score`` (force_finite=True by default)."""
    x, y, shape = _columns(input, target)
    num = _column_sum(_deviations(y - x) ** 2)
    den = _column_sum(_deviations(y) ** 2)
    return _fraction_explained(num, den, force_finite).reshape(shape)


def _pinball_sum(y, c, alpha):
    """sum_i pinball(y_i, c) per column (c: one constant per column, or predictions of y's shape)."""
    d = c - y
    return _column_sum(np.where(d < 0, -alpha * d, (1.0 - alpha) * d))


@register("d2_score", differentiable=(), reductions=("none", "mean"))
def d2_score(input, target, loss="absolute_error", alpha=0.5, power=0.0, force_finite=False, clip_eps=0.0):
    """Fraction of deviance explained per output: 1 - sum_i L(y_i, x_i) / sum_i L(y_i, c), c the best
    constant prediction of the column: an alpha-quantile of y for L = pinball(alpha) (the minimum over the
    y_j themselves, where a piecewise-linear convex sum attains it: the same for every quantile convention),
    the median for "absolute_error" (pinball at 1/2, halved), mean(y) for L = tweedie_deviance(power).
    force_finite as ``r2``; reductions as ``max_error``.
    Source: scikit-learn 1.9 ``d2_absolute_error_score``, ``d2_pinball_score`` (both force_finite=True,
    fixed), ``d2_tweedie_score`` (force_finite=False, fixed; 1-D only; NaN for fewer than 2 samples).
    L = log_loss (clip_eps as ``log_loss``'s) or brier_score: see ``_d2_probabilistic``."""
    choice("loss", loss, ("absolute_error", "pinball", "tweedie", "log_loss", "brier"))
    if loss in ("log_loss", "brier"):
        return _d2_probabilistic(input, target, loss, clip_eps, force_finite)
    x, y, shape = _columns(input, target)
    if loss == "tweedie":
        num = _column_sum(tweedie_deviance(x, y, power=power))
        mean = np.broadcast_to(_column_sum(y) / len(y), y.shape)
        den = _column_sum(tweedie_deviance(mean, y, power=power))
    else:
        a = 0.5 if loss == "absolute_error" else alpha
        if not 0.0 <= a <= 1.0:
            raise ValueError(f"alpha: expected a value in [0, 1], got {alpha!r}")
        num = _pinball_sum(y, x, a)
        den = np.min([_pinball_sum(y, np.broadcast_to(y[j], y.shape), a) for j in range(len(y))], axis=0)
    return _fraction_explained(num, den, force_finite).reshape(shape)


# ---------------------------------------------------------------- pairwise (issue 11, batch NL1)


@register("mean_pairwise_squared_error")
def mean_pairwise_squared_error(input, target, count="sample", no_pairs=np.nan):
    """Mean pairwise squared error per sample (axis 0 holds the samples; a sample's K elements are the other
    axes, flattened): the mean over its K (K - 1) / 2 pairs i < j of ((x_i - x_j) - (y_i - y_j))^2.

    With d = x - y that is 2 sum_k (d_k - mean d)^2 / (K - 1) (sum_{i<j} (d_i - d_j)^2 = K sum_k (d_k - mean d)^2),
    the form used here: TensorFlow's 2 sum d^2 / (K - 1) - 2 (sum d)^2 / (K (K - 1)) cancels when the d_k share a
    large offset.  A sample with fewer than 2 elements has no pair: ``no_pairs`` (NaN, the mean of nothing;
    TensorFlow's div_no_nan gives 0).  count="batch": K is replaced by the element count M of the whole batch in
    TensorFlow's formula, 2 / (M - 1) (sum d^2 - (sum d)^2 / M) (what tf.compat.v1 computes eagerly with its
    default scalar weights, adapters/tf_compat.py).
    Source: tensorflow 2.21 tf.compat.v1.losses.mean_pairwise_squared_error (its docstring's example
    [((a-b) - (x-y))^2 + ((a-c) - (x-z))^2 + ((b-c) - (y-z))^2] / 3; its sum over the samples is "sum")."""
    same_shape(input=input, target=target)
    choice("count", count, ("sample", "batch"))
    if np.ndim(getval(input)) < 1:
        raise ValueError(f"input: expected samples along axis 0, got shape {np.shape(getval(input))}")
    shape = np.shape(input)
    n, k = shape[0], int(np.prod(shape[1:]))
    d = np.reshape(input - target, (n, k))
    pairs_of = n * k if count == "batch" else k  # the element count the normalisation uses
    if pairs_of < 2:
        return np.full(n, no_pairs) + 0.0 * np.sum(d, axis=1)
    if count == "batch":
        return 2.0 * (np.sum(d**2, axis=1) - np.sum(d, axis=1) ** 2 / pairs_of) / (pairs_of - 1)
    dev = d - np.mean(d, axis=1, keepdims=True)
    dev = dev - np.mean(dev, axis=1, keepdims=True)  # a second pass corrects the mean's rounding
    return 2.0 * np.sum(dev**2, axis=1) / (k - 1)


def _d2_probabilistic(input, target, loss, clip_eps, force_finite):
    """d2_score for L = log_loss or brier_score of probabilities (N,) (binary, target in {0, 1}) or (N, C)
    (target class indices): 1 - sum_i L(p_i, y_i) / sum_i L(q, y_i), q the class frequencies of the batch's
    targets (the best constant prediction of both); one value.  A single class in the targets gives
    den = 0 (q is exact), hence 1 - num / 0.
    Source: scikit-learn 1.9 ``d2_log_loss_score`` (log loss clipped as its ``log_loss``; NaN for fewer than
    2 samples), ``d2_brier_score`` (its two-column binary form doubles num and den alike)."""
    floats("input", input)
    per_sample = (lambda p: scores.log_loss(p, target, clip_eps=clip_eps)) if loss == "log_loss" else (
        lambda p: scores.brier_score(p, target))
    num = accurate_sum(per_sample(input))
    if np.ndim(input) == 1:
        q = np.full(np.shape(input), accurate_sum(target) / max(len(target), 1))
    else:
        counts = np.array([np.sum(target == c) for c in range(np.shape(input)[1])])
        q = np.broadcast_to(counts / max(len(target), 1), np.shape(input))
    return _fraction_explained(num, accurate_sum(per_sample(q)), force_finite)
