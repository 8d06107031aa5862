"""Overlap (region) losses of soft segmentations: Tversky.

Stable form: 1 - (TP + s) / (TP + alpha FP + beta FN + s + eps) is formed as
(alpha FP + beta FN + eps) / (TP + alpha FP + beta FN + s + eps), whose terms are all >= 0.
"""

import autograd.numpy as np
from autograd.tracer import getval

from ._core import probability, register, same_shape
from .classification import _sigmoid


@register("tversky")
def tversky(input, target, alpha=0.5, beta=0.5, smooth=0.0, eps=0.0, from_logits=False, whole_batch=False):
    """Tversky loss: 1 - (TP + s) / (TP + alpha FP + beta FN + s + eps), with TP = sum p t,
    FP = sum p (1 - t), FN = sum (1 - p) t; p = sigmoid(x) if from_logits else x, t in [0, 1].

    Per sample (sums over every axis but the batch axis 0; a 1-D input is a batch of single elements), or
    whole_batch=True: one value for the whole batch (sums over every axis).  alpha = beta = 0.5 is dice.
    TP = FP = FN = 0 with s = eps = 0 is 0/0: NaN.
    Source: Salehi et al. 2017 (alpha weighs the false positives, beta the false negatives).
    Keras 3.15 ``Tversky(alpha, beta)`` (axis=None: whole_batch=True; eps=1e-7, backend epsilon) weighs
    sum((1 - y_pred) y_true) -- the false negatives -- by its alpha and sum(y_pred (1 - y_true)) by its beta:
    Keras' (alpha, beta) is this loss's (beta, alpha)."""
    same_shape(input=input, target=target)
    probability("target", target)
    for name, v in (("alpha", alpha), ("beta", beta), ("smooth", smooth), ("eps", eps)):
        if not v >= 0:
            raise ValueError(f"{name}: expected >= 0, got {v!r}")
    if from_logits:
        p, p1 = _sigmoid(input), _sigmoid(-input)
    else:
        probability("input", input)
        p, p1 = input, 1.0 - input
    ndim = np.ndim(getval(input))
    axes = tuple(range(ndim)) if whole_batch else tuple(range(1, ndim))
    tp = np.sum(p * target, axis=axes)
    err = alpha * np.sum(p * (1.0 - target), axis=axes) + beta * np.sum(p1 * target, axis=axes)
    d = tp + err + smooth + eps
    # (err + eps) / d where the loss is below 1/2 (1 - ratio would cancel); elsewhere 1 - (TP + s) / d, whose
    # ratio is at most 1/2 and whose gradient is exactly 0 where TP = s = 0 (the quotient rule of the other cancels)
    return np.where(getval(tp) + smooth > getval(err) + eps, (err + eps) / d, 1.0 - (tp + smooth) / d)
