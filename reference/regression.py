"""Element-wise regression losses: d = input - target, loss per element."""

import autograd.numpy as np

from ._core import closed_form_grad, register, same_shape


@register("l1")
def l1(input, target):
    """L1 (mean absolute error): |x - y|.

    Source: 003_76f20136c8b21606.txt (``np.sum(np.abs(y - yhat))``); torch ``L1Loss``."""
    same_shape(input=input, target=target)
    return np.abs(input - target)


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
