"""Element-wise regression losses: d = input - target, loss per element."""

import autograd.numpy as np
from autograd.tracer import getval

from ._core import closed_form_grad, in_range, nonnegative, register, same_shape


@register("l1")
def l1(input, target):
    """L1 (mean absolute error): |x - y|.

    Source: 003_76f20136c8b21606.txt (``np.sum(np.abs(y - yhat))``); torch ``L1Loss``."""
    same_shape(input=input, target=target)
    return np.abs(input - target)


@closed_form_grad("l1")
def _l1_grad(input, target, cot):
    # sign(d): 0 at the kink d = 0 (torch's choice; any value in [-1, 1] is a subgradient), +-1 at d = +-inf
    return {"input": cot * np.sign(input - target)}


@register("mse")
def mse(input, target):
    """Squared error (L2 / MSE): (x - y)^2.

    Source: 003_76f20136c8b21606.txt (``np.sum(np.power(y - yhat, 2))``); torch ``MSELoss``."""
    same_shape(input=input, target=target)
    return (input - target) ** 2


@closed_form_grad("mse")
def _mse_grad(input, target, cot):
    return {"input": cot * 2.0 * (input - target)}


@register("smooth_l1")
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
    return {"input": cot * np.where(np.abs(d) < beta, inner, np.sign(d))}


@register("huber")
def huber(input, target, delta=1.0):
    """Huber: 0.5 d^2 if |d| <= delta else delta (|d| - 0.5 delta).

    Continuously differentiable (C1) at |d| = delta; equals delta * smooth_l1(beta=delta).
    Source: Huber (1964); torch ``HuberLoss``, Keras ``Huber``."""
    same_shape(input=input, target=target)
    if not delta > 0:
        raise ValueError(f"delta: expected > 0, got {delta!r}")
    n = np.abs(input - target)
    return np.where(n <= delta, 0.5 * n**2, delta * (n - 0.5 * delta))


@closed_form_grad("huber")
def _huber_grad(input, target, cot, delta=1.0):
    # d inside |d| <= delta, delta sign(d) outside: clip(d, -delta, delta) (also at d = +-inf)
    return {"input": cot * np.clip(input - target, -delta, delta)}


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
