"""Overlap (region) losses of soft segmentations: Tversky, generalized dice.

Stable form: 1 - (TP + s) / (TP + alpha FP + beta FN + s + eps) is formed as
(alpha FP + beta FN + eps) / (TP + alpha FP + beta FN + s + eps), whose terms are all >= 0.
"""

import autograd.numpy as np
from autograd.tracer import getval

from ._core import choice, probability, register, same_shape
from .classification import _log_softmax, _sigmoid


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


@register("generalized_dice")
def generalized_dice(input, target, smooth=0.0, eps=0.0, from_logits=False, form="ratio"):
    """Generalized dice loss (Sudre et al. 2017, eq. 2), per sample: input (N, C, ...) class probabilities p
    (softmax over axis 1 of logits if from_logits), target (N, C, ...) in [0, 1] (one-hot), sums over i = the
    axes after the class axis, TP_c = sum_i p t, FP_c = sum_i p (1 - t), FN_c = sum_i (1 - p) t:
    form="ratio": 1 - (2 sum_c w_c TP_c + s) / (sum_c w_c (2 TP_c + FP_c + FN_c) + s), w_c = 1 / ((sum_i t)^2 + eps),
    formed as sum_c w_c (FP_c + FN_c) / (sum_c w_c (2 TP_c + FP_c + FN_c) + s) (every term >= 0).  A class absent
    from a sample's target with eps = 0 has w_c = inf: NaN (Sudre's weight is undefined there).
    form="class_mean": mean_c v_c d_c, the dice loss per class d_c = (FP_c + FN_c) / (2 TP_c + FP_c + FN_c + s)
    weighted by v_c = C w_c / sum_c w_c, with w_c = 1 / (F_c^2 + eps) from the whole batch's frequencies
    F_c = sum_{n, i} t: optax 0.2.8 ``multiclass_generalized_dice_loss`` (its eps = 1e-7, its smooth = s / 2
    in the form 1 - (TP + s') / (TP + FP / 2 + FN / 2 + s'), logits in, class axis last; jnp.mean over samples
    and classes: the mean of this loss)."""
    same_shape(input=input, target=target)
    probability("target", target)
    choice("form", form, ("ratio", "class_mean"))
    for name, v in (("smooth", smooth), ("eps", eps)):
        if not v >= 0:
            raise ValueError(f"{name}: expected >= 0, got {v!r}")
    ndim = np.ndim(getval(input))
    if ndim < 2:
        raise ValueError(f"input: expected (N, C, ...) class probabilities, got shape {np.shape(getval(input))}")
    if from_logits:
        log_p = _log_softmax(input)
        p, p1 = np.exp(log_p), -np.expm1(log_p)
    else:
        probability("input", input)
        p, p1 = input, 1.0 - input
    axes = tuple(range(2, ndim))
    tp = np.sum(p * target, axis=axes)
    err = np.sum(p * (1.0 - target), axis=axes) + np.sum(p1 * target, axis=axes)  # FP + FN, (N, C)
    if form == "ratio":
        w = 1.0 / (np.sum(target, axis=axes) ** 2 + eps)
        return np.sum(w * err, axis=1) / (np.sum(w * (2.0 * tp + err), axis=1) + smooth)
    w = 1.0 / (np.sum(target, axis=(0,) + axes) ** 2 + eps)
    v = w * np.shape(getval(w))[0] / np.sum(w)
    return np.mean(v * err / (2.0 * tp + err + smooth), axis=1)
