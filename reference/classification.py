"""Classification losses on logits, probabilities and log-probabilities.

Stable forms: log-softmax with the max subtracted and log1p of the other terms,
softplus(x) = log(1 + e^x) = logaddexp(0, x) for -log sigmoid(-x), 0 log 0 = 0.
"""

import autograd.numpy as np
import numpy as onp
from autograd.extend import defvjp, primitive
from autograd.tracer import getval

from ._core import (
    choice,
    closed_form_grad,
    floats,
    in_range,
    integers,
    nonnegative,
    one_of,
    probability,
    register,
    same_shape,
    shape_is,
    weights_like,
)

# ---------------------------------------------------------------- helpers


def _softplus(x):
    """log(1 + e^x) = -log sigmoid(-x) = max(x, 0) + log1p(e^-|x|): nothing overflows, and the slope
    is the sigmoid everywhere, x = +-inf included (max and |x| via where, so the slope at 0 is 1/2)."""
    pos = x > 0
    return np.where(pos, x, 0.0) + np.log1p(np.exp(-np.where(pos, x, -x)))


def _sigmoid(x):
    """1 / (1 + e^-x), from e^-|x| so nothing overflows (|x| via where keeps the slope at 0)."""
    e = np.exp(-np.where(x >= 0, x, -x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _np_sigmoid(x):
    e = onp.exp(-onp.abs(x))
    return onp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_softmax(x):
    """log softmax over axis 1: z - log(sum e^z), z = x - max; the log is log1p of the non-max terms,
    so that -log p of the dominant class keeps its relative accuracy when it is tiny."""
    xv = getval(x)
    m = onp.max(xv, axis=1, keepdims=True)
    z = x - m  # the shift is a constant: log softmax does not depend on it
    top = onp.arange(xv.shape[1]).reshape((1, -1) + (1,) * (xv.ndim - 2)) == onp.argmax(xv, axis=1)[:, None]
    # sum e^z - 1: the max's own term is e^0 - 1 = expm1(0) = 0 (kept so that it still has its slope)
    rest = np.sum(np.where(top, np.expm1(z), np.exp(z)), axis=1, keepdims=True)
    return z - np.log1p(rest)


def _softmax(x):
    return np.exp(_log_softmax(x))


def _clip(x, lo, hi):
    """x clipped to [lo, hi], with slope 1 at the bounds themselves (as tf.clip_by_value and torch.clamp;
    autograd's np.clip gives 0 there, which matters where an input sits exactly on a bound)."""
    return np.where(x < lo, lo, np.where(x > hi, hi, x))


def _class_weight(weight, c, ndim):
    """weight (C,) -> shape broadcasting along axis 1 of an ndim-array; None -> ones."""
    if weight is None:
        return onp.ones((1, c) + (1,) * (ndim - 2))
    weight = onp.asarray(weight)
    floats("weight", weight)
    shape_is("weight", weight, (c,), " (one weight per class)")
    return weight.astype(onp.float64).reshape((1, c) + (1,) * (ndim - 2))


def _class_targets(input, target, ignore_index):
    """Index targets (N, d1, ...) -> (one-hot mask of input's shape, non-ignored mask of target's shape)."""
    x = getval(input)
    if x.ndim < 2:
        raise ValueError(f"input: expected (N, C) or (N, C, d1, ...), got shape {x.shape}")
    integers("target", target)
    shape_is("target", target, x.shape[:1] + x.shape[2:], " (class indices)")
    c = x.shape[1]
    t = onp.asarray(target)
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if onp.any(bad):
        raise ValueError(f"target: class indices must lie in [0, {c}) or equal ignore_index={ignore_index}, "
                         f"got {t[bad].ravel()[0]!r}")
    valid = t != ignore_index
    onehot = (onp.arange(c).reshape((1, c) + (1,) * (t.ndim - 1)) == t[:, None]) & valid[:, None]
    return onehot, valid


def _binary_target(target, label_smoothing):
    """(y', 1 - y') with y' = y (1 - ls) + ls / 2; 1 - y' is formed as (1 - y)(1 - ls) + ls / 2,
    not by subtracting y' from 1 (which would cost up to 8 ulp at y = 1, ls = 0.1)."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing: expected a value in [0, 1], got {label_smoothing!r}")
    probability("target", target)
    if label_smoothing == 0:
        return target, 1.0 - target
    keep, half = 1.0 - label_smoothing, 0.5 * label_smoothing
    return target * keep + half, (1.0 - target) * keep + half


# ---------------------------------------------------------------- cross entropy


def _cross_entropy_parts(input, target, weight, ignore_index, label_smoothing, clip_eps, weighting="class"):
    """a = w_c q_nc (weighting "sample": w_{y_n} q_nc; 0 where ignored), the mean's denominator, and the
    log-probabilities."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing: expected a value in [0, 1], got {label_smoothing!r}")
    x = getval(input)
    c = x.shape[1] if x.ndim >= 2 else 0
    w = _class_weight(weight, c, max(x.ndim, 2))
    t = onp.asarray(target)
    choice("weighting", weighting, ("class", "sample"))
    if t.dtype.kind == "f" and weighting == "sample" and weight is not None:
        raise ValueError("weighting: 'sample' weighs each sample by its target class's weight; it needs class-index "
                         "targets, got class probabilities")
    if t.dtype.kind == "f":  # class probabilities
        same_shape(input=input, target=target)
        probability("target", target)
        q = (1.0 - label_smoothing) * t + label_smoothing / c
        a, denominator = w * q, None
    else:
        onehot, valid = _class_targets(input, target, ignore_index)
        q = (1.0 - label_smoothing) * onehot + label_smoothing / c
        if weighting == "sample":  # w_{y_n} times the whole smoothed sum
            w = onp.sum(onp.where(onehot, w, 0.0), axis=1, keepdims=True)
        a = w * q * valid[:, None]
        denominator = onp.sum(onp.where(onehot, w, 0.0))
    logp = _log_softmax(input)
    if clip_eps > 0:  # the bounds' logs where p is clipped, log softmax elsewhere (log of a rounded p ~ 1 loses digits)
        p, lo, hi = np.exp(logp), clip_eps, 1.0 - clip_eps
        logp = np.where(p < lo, np.log(lo), np.where(p > hi, np.log(hi), logp))
    return a, denominator, logp


@register("cross_entropy")
def cross_entropy(input, target, weight=None, ignore_index=-100, label_smoothing=0.0, clip_eps=0.0, weighting="class"):
    """Softmax cross entropy over the class axis 1: l = -sum_c w_c q_c log softmax(x)_c.

    input: logits (N, C) or (N, C, d1, ...).  target: class indices (N, d1, ...) -- q is one-hot,
    ignore_index gives l = 0 and mean = sum / sum of the non-ignored w_{y} -- or class probabilities
    of input's shape (mean = sum / (N d1 ...)).  Label smoothing: q = (1 - eps) q + eps / C.
    clip_eps > 0: log clip(softmax(x), clip_eps, 1 - clip_eps) (Keras fed probabilities).
    weighting (index targets with a weight): "class" (torch) weighs every class term of the smoothed target,
    -sum_c w_c q_c log p_c; "sample" weighs the whole sample by its target's weight, -w_y sum_c q_c log p_c
    (Keras with sample_weight = weight[y]).  Without smoothing they agree.  mean = sum / sum of the
    non-ignored w_y in both (Keras' sum_over_batch_size divides by N instead).

    The documents' hand-written ``CrossEntropyLossWithLabelSmoothing(ls_)`` (004_18f5d166812d638a.txt,
    ls_ is the confidence) is this loss with label_smoothing = 1 - ls_.
    Source: 004_18f5d166812d638a.txt; torch ``CrossEntropyLoss``."""
    a, denominator, logp = _cross_entropy_parts(input, target, weight, ignore_index, label_smoothing, clip_eps,
                                                weighting)
    v = np.sum(np.where(a == 0, 0.0, -a * logp), axis=1)  # q = 0 contributes 0 even where log p = -inf
    return v if denominator is None else (v, denominator)


@closed_form_grad("cross_entropy")
def _cross_entropy_grad(input, target, cot, weight=None, ignore_index=-100, label_smoothing=0.0, clip_eps=0.0,
                        weighting="class"):
    # d/dx_j of -sum_c a_c log p_c = p_j sum_c a_c u_c - a_j u_j, a = w q, u = 1 where the clip is
    # inactive; without weights or clip that is softmax - q.
    a, _, _ = _cross_entropy_parts(input, target, weight, ignore_index, label_smoothing, clip_eps, weighting)
    p = onp.exp(_log_softmax(input))
    u = (p > clip_eps) & (p < 1.0 - clip_eps) if clip_eps > 0 else 1.0
    au = a * u
    return {"input": cot[:, None] * (p * onp.sum(au, axis=1, keepdims=True) - au)}


@register("nll")
def nll(input, target, weight=None, ignore_index=-100):
    """Negative log-likelihood on log-probabilities: l_n = -w_{y_n} x_{n, y_n}; ignored targets give 0.

    input (N, C) or (N, C, d1, ...), target class indices (N, d1, ...); mean = sum / sum of the
    non-ignored w_{y_n}.  Source: 004_18f5d166812d638a.txt (NLLLoss); torch ``NLLLoss``."""
    onehot, _ = _class_targets(input, target, ignore_index)
    w = _class_weight(weight, onp.shape(getval(input))[1], onp.ndim(getval(input)))
    v = np.sum(np.where(onehot, -w * input, 0.0), axis=1)
    return v, onp.sum(onp.where(onehot, w, 0.0))


# ---------------------------------------------------------------- binary


def _clamp_log(log, z, log_min):
    """max(log(z), log_min); at z = 0 the log sees 1 instead, so that the clamped slope is 0, not 0 * inf."""
    if log_min is None:
        return log(z)
    zero = z == 0
    return np.maximum(np.where(zero, -np.inf, log(np.where(zero, 1.0, z))), log_min)


def _log_clamped(q, log_eps, log_min):
    """max(log(q + log_eps), log_min)."""
    return _clamp_log(np.log, q + log_eps, log_min)


def _log1m_clamped(p, log_eps, log_min):
    """max(log(1 - p + log_eps), log_min): log1p(log_eps - p) for p < 1/2, else log((1 - p) + log_eps) (1 - p exact)."""
    small = p < 0.5
    lo = np.log1p(np.where(small, log_eps - p, 0.0))  # 1 - p + log_eps > 1/2 here
    hi = _clamp_log(np.log, np.where(small, 1.0, (1.0 - p) + log_eps), log_min)
    v = np.where(small, lo, hi)
    return v if log_min is None else np.maximum(v, log_min)


def _times(y, logq):
    """y * log q with 0 log 0 = 0 (y = 0 selects 0 for the value and the gradient)."""
    return np.where(y == 0, 0.0, y * logq)


@register("binary_cross_entropy")
def binary_cross_entropy(input, target, weight=None, log_min=None, clip_eps=0.0, log_eps=0.0, label_smoothing=0.0):
    """Binary cross entropy on probabilities: -w [y L(p) + (1 - y) L(1 - p)], 0 log 0 = 0.

    p = clip(x, clip_eps, 1 - clip_eps), y = y (1 - ls) + 0.5 ls, L(q) = max(log(q + log_eps), log_min)
    (log_min=None: no clamp; torch clamps at -100; Keras clips p to [1e-7, 1 - 1e-7]).
    Source: 004_18f5d166812d638a.txt (BCELoss); torch ``BCELoss``, Keras ``BinaryCrossentropy``."""
    same_shape(input=input, target=target)
    probability("input", input)
    y, ybar = _binary_target(target, label_smoothing)
    w = weights_like("weight", weight, input)
    p = _clip(input, clip_eps, 1.0 - clip_eps) if clip_eps > 0 else input
    pos = _times(y, _log_clamped(np.where(y == 0, 0.5, p), log_eps, log_min))
    neg = _times(ybar, _log1m_clamped(np.where(ybar == 0, 0.5, p), log_eps, log_min))
    return np.where(w == 0, 0.0, 0.0 - w * (pos + neg))  # weight 0 masks even an infinite term; +0, not -0


@register("binary_cross_entropy_with_logits")
def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, label_smoothing=0.0):
    """Binary cross entropy on logits: w [pw y softplus(-x) + (1 - y) softplus(x)],
    i.e. -w [pw y log s(x) + (1 - y) log s(-x)] in the stable form; y = y (1 - ls) + 0.5 ls.

    pos_weight broadcasts against input (torch: one per class, the last axis).
    Source: 004_18f5d166812d638a.txt (BCEWithLogitsLoss); torch ``BCEWithLogitsLoss``."""
    same_shape(input=input, target=target)
    y, ybar = _binary_target(target, label_smoothing)
    w = weights_like("weight", weight, input)
    pw = weights_like("pos_weight", pos_weight, input)
    return w * (pw * y * _softplus(-input) + ybar * _softplus(input))


@closed_form_grad("binary_cross_entropy_with_logits")
def _bce_logits_grad(input, target, cot, weight=None, pos_weight=None, label_smoothing=0.0):
    # d/dx = w [(1 - y) s(x) - pw y s(-x)]; with pw = 1 that is w (sigmoid(x) - y).
    y, ybar = _binary_target(target, label_smoothing)
    w = 1.0 if weight is None else onp.asarray(weight, dtype=onp.float64)
    pw = 1.0 if pos_weight is None else onp.asarray(pos_weight, dtype=onp.float64)
    g = w * (ybar * _np_sigmoid(input) - pw * y * _np_sigmoid(-input))
    return {"input": cot * onp.broadcast_to(g, onp.shape(input))}


@register("kl_div", differentiable=("input", "target"), reductions=("none", "mean", "sum", "batchmean"))
def kl_div(input, target, log_target=False, clip_eps=0.0):
    """Kullback-Leibler divergence, element-wise: t (log t - x), x log-probabilities, 0 log 0 = 0.

    log_target: target holds log t, exp(t) (t - x).  batchmean = sum / N (the true KL per sample);
    mean divides by every element.  clip_eps > 0: t = clip(t, eps, 1), q = clip(exp(x), eps, 1),
    t (log t - log q) (Keras ``KLDivergence`` fed exp(input)).  Differentiable in the target too (distillation
    against a teacher that is itself trained): log t + 1 - x, -inf at t = 0.
    Source: 004_18f5d166812d638a.txt (KLDivLoss); torch ``KLDivLoss``."""
    same_shape(input=input, target=target)
    if not log_target:
        probability("target", target)
    if clip_eps > 0:
        t = _clip(np.exp(target) if log_target else target, clip_eps, 1.0)
        return t * (np.log(t) - np.log(_clip(np.exp(input), clip_eps, 1.0)))
    if log_target:  # log t = -inf is t = 0: 0 log 0 = 0, and d/d log t = e^(log t) (log t + 1 - x) -> 0 there
        zero = target == -np.inf
        return np.where(zero, 0.0, np.exp(target) * (np.where(zero, 0.0, target) - input))
    return _xlogx(target) - target * input


@primitive
def _xlogx(t):
    """t log t with 0 log 0 = 0."""
    zero = t == 0
    return onp.where(zero, 0.0, t * onp.log(onp.where(zero, 1.0, t)))


# d/dt t log t = log t + 1: at t = 0 the right derivative, -inf (a teacher's zero probability; nudged up, the
# divergence falls without bound), not the 0 that differentiating the where's constant branch would give.
defvjp(_xlogx, lambda ans, t: lambda g: g * (onp.log(t) + 1.0))


@register("multilabel_soft_margin")
def multilabel_soft_margin(input, target, weight=None):
    """One-versus-all logistic loss per sample: -mean_c w_c [y log s(x) + (1 - y) log s(-x)].

    input (N, C) logits, target (N, C) in [0, 1].
    Source: 004_18f5d166812d638a.txt (MultiLabelSoftMarginLoss); torch ``MultiLabelSoftMarginLoss``."""
    same_shape(input=input, target=target)
    if onp.ndim(getval(input)) != 2:
        raise ValueError(f"input: expected shape (N, C), got {onp.shape(getval(input))}")
    probability("target", target)
    w = weights_like("weight", weight, input)
    return np.mean(w * (target * _softplus(-input) + (1.0 - target) * _softplus(input)), axis=-1)


@register("soft_margin")
def soft_margin(input, target):
    """The logistic loss log(1 + exp(-y x)) = softplus(-y x), y in {-1, 1}.

    Source: 004_18f5d166812d638a.txt (SoftMarginLoss); torch ``SoftMarginLoss``."""
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    return _softplus(-target * input)


@register("sigmoid_focal")
def sigmoid_focal(input, target, alpha=0.25, gamma=2.0):
    """Focal loss on logits: alpha_t (1 - p_t)^gamma ce, p = sigmoid(x), p_t = p y + (1 - p)(1 - y),
    ce = -[y log p + (1 - y) log(1 - p)] (= -log p_t for y in {0, 1}), alpha_t = alpha y + (1 - alpha)(1 - y).

    1 - p_t = y s(-x) + (1 - y) s(x) (no cancellation).  alpha=None: no alpha weighting (torchvision
    alpha < 0, Keras apply_class_balancing=False).
    Source: Lin et al. 2017; torchvision ``ops.sigmoid_focal_loss``, Keras ``BinaryFocalCrossentropy``."""
    same_shape(input=input, target=target)
    probability("target", target)
    if alpha is not None and not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha: expected None or a value in [0, 1], got {alpha!r}")
    if not gamma >= 0:
        raise ValueError(f"gamma: expected >= 0, got {gamma!r}")
    ce = target * _softplus(-input) + (1.0 - target) * _softplus(input)
    v = (target * _sigmoid(-input) + (1.0 - target) * _sigmoid(input)) ** gamma * ce
    return v if alpha is None else (alpha * target + (1.0 - alpha) * (1.0 - target)) * v


# ---------------------------------------------------------------- dice


def _dice_parts(input, target, smooth, eps, from_logits, whole_batch=False):
    same_shape(input=input, target=target)
    probability("target", target)
    if from_logits:
        p, p1 = _sigmoid(input), _sigmoid(-input)
    else:
        probability("input", input)
        p, p1 = input, 1.0 - input
    axes = tuple(range(0 if whole_batch else 1, onp.ndim(getval(input))))
    inter = np.sum(p * target, axis=axes)
    den = np.sum(p, axis=axes) + np.sum(target, axis=axes) + smooth + eps
    # 1 - (2 I + s) / S = (sum [p (1 - t) + t (1 - p)] + eps) / S: every term >= 0, no cancellation
    num = np.sum(p * (1.0 - target) + target * p1, axis=axes) + eps
    return p, inter, den, num


@register("dice")
def dice(input, target, smooth=1.0, eps=0.0, from_logits=True, whole_batch=False):
    """Dice loss per sample, over all non-batch axes: 1 - (2 sum(p t) + smooth) / (sum p + sum t + smooth + eps),
    p = sigmoid(x) if from_logits else x.  p = t = 0 with smooth = eps = 0 is 0/0: NaN (no limit exists).
    whole_batch=True: one dice of the whole batch flattened (the sums run over the batch axis too).

    Keras ``Dice``: smooth=0, eps=1e-7 (backend epsilon), from_logits=False, and its axis=None default
    is whole_batch=True; axis=(1, ...) is the per-sample form.
    Source: 004_18f5d166812d638a.txt (``DiceLoss.forward``, smooth=1, sigmoid inside, which flattens the
    whole batch: whole_batch=True)."""
    _, _, den, num = _dice_parts(input, target, smooth, eps, from_logits, whole_batch)
    return num / den


@closed_form_grad("dice")
def _dice_grad(input, target, cot, smooth=1.0, eps=0.0, from_logits=True, whole_batch=False):
    # L = 1 - D, D = (2 I + s) / S: dL/dp_j = (D - 2 t_j) / S; times p (1 - p) on logits.
    p, inter, den, _ = _dice_parts(input, target, smooth, eps, from_logits, whole_batch)
    expand = (None,) * onp.ndim(input) if whole_batch else (slice(None),) + (None,) * (onp.ndim(input) - 1)
    d = ((2.0 * inter + smooth) / den)[expand]
    g = (d - 2.0 * target) / den[expand]
    if from_logits:
        g = g * p * _np_sigmoid(-input)
    return {"input": cot[expand] * g}


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


def _class_alpha(alpha, c, ndim):
    """alpha: a scalar, or one weight per class (C,) broadcasting along axis 1."""
    a = onp.asarray(alpha, dtype=onp.float64) if onp.ndim(alpha) else alpha
    if onp.ndim(a):
        shape_is("alpha", a, (c,), " (a scalar or one weight per class)")
        a = a.reshape((1, c) + (1,) * (ndim - 2))
    return a


@register("softmax_focal")
def softmax_focal(input, target, alpha=0.25, gamma=2.0, label_smoothing=0.0, clip_eps=0.0):
    """Softmax focal loss over the class axis 1: -sum_c alpha_c (1 - p_c)^gamma q_c log p_c, p = softmax(x).

    input: logits (N, C) or (N, C, d1, ...); target: class probabilities of input's shape, smoothed
    q = (1 - ls) q + ls / C; alpha a scalar or one weight per class.  gamma = 0, alpha = 1 is cross_entropy.
    clip_eps > 0: p = clip(p, eps, 1 - eps) before the log and the modulating factor (Keras clips at its
    epsilon 1e-7, also after from_logits' softmax).
    Source: Lin et al. 2017 (focal loss), its multi-class form in Keras 3.15 ``CategoricalFocalCrossentropy``
    (defaults alpha=0.25, gamma=2.0; class axis -1 there, the adapters move it)."""
    x = getval(input)
    if x.ndim < 2:
        raise ValueError(f"input: expected (N, C) or (N, C, d1, ...), got shape {x.shape}")
    same_shape(input=input, target=target)
    floats("target", target)
    probability("target", target)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing: expected a value in [0, 1], got {label_smoothing!r}")
    if not gamma >= 0:
        raise ValueError(f"gamma: expected >= 0, got {gamma!r}")
    if not 0.0 <= clip_eps < 0.5:
        raise ValueError(f"clip_eps: expected 0 <= clip_eps < 0.5, got {clip_eps!r}")
    c = x.shape[1]
    a = _class_alpha(alpha, c, x.ndim)
    q = (1.0 - label_smoothing) * target + label_smoothing / c
    logp = _log_softmax(input)
    rest = -np.expm1(logp)  # 1 - p from log p: no cancellation where p ~ 1
    if clip_eps > 0:  # the bounds where p is clipped; log p and 1 - p as above elsewhere (log of a rounded p ~ 1
        # would lose digits), 1 - (1 - eps) in floating point at the upper bound, as Keras computes it
        p, lo, hi = np.exp(logp), clip_eps, 1.0 - clip_eps
        logp = np.where(p < lo, np.log(lo), np.where(p > hi, np.log(hi), logp))
        rest = np.where(p < lo, 1.0 - lo, np.where(p > hi, 1.0 - hi, rest))
    return np.sum(np.where(q == 0, 0.0, -a * rest**gamma * q * logp), axis=1)  # q = 0 adds 0, even at log p = -inf


@register("generalized_cross_entropy")
def generalized_cross_entropy(input, target, q=0.5):
    """Generalized cross entropy (the L_q loss): (1 - p_y^q) / q, per sample.

    input: class probabilities (N, C) (rows are not renormalized), target: class indices (N,).
    q in [0, 1]: q -> 0 is cross entropy -log p_y (q = 0 gives that limit), q = 1 is 1 - p_y (MAE on the
    probability simplex, halved).  Formed as -expm1(q log p_y) / q where p_y^q > 1/2.
    Source: Zhang and Sabuncu 2018 (eq. 6); Keras 3.15 ``CategoricalGeneralizedCrossEntropy`` (q required,
    documented in (0, 1))."""
    x = getval(input)
    if x.ndim != 2:
        raise ValueError(f"input: expected probabilities (N, C), got shape {x.shape}")
    probability("input", input)
    _class_targets(input, target, ignore_index=None)
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q: expected a value in [0, 1], got {q!r}")
    p = input[onp.arange(x.shape[0]), onp.asarray(target)]
    if q == 0:
        return -np.log(p)
    # (1 - p^q) / q: where p^q > 1/2 as -expm1(q log p) / q (no cancellation near p = 1), elsewhere directly;
    # both forms keep autograd's derivative accurate too (expm1's VJP 1 + expm1(u) would cancel where p^q ~ 0)
    direct = onp.asarray(getval(p)) ** q <= 0.5
    near_one = np.where(direct, 1.0, p)
    return np.where(direct, (1.0 - p**q) / q, -np.expm1(q * np.log(near_one)) / q)


@closed_form_grad("generalized_cross_entropy")
def _gce_grad(input, target, cot, q=0.5):
    # d/dp_y = -p_y^(q - 1), also at p_y = 0 (-inf; autograd's exp(q log p) q / p would give 0/0 there)
    rows, t = onp.arange(onp.shape(input)[0]), onp.asarray(target)
    g = onp.zeros(onp.shape(input))
    with onp.errstate(divide="ignore"):
        g[rows, t] = -cot * input[rows, t] ** (q - 1.0)
    return {"input": g}


@register("poly1")
def poly1(input, target, epsilon=2.0):
    """Poly-1 loss: softmax cross entropy + epsilon sum_c q_c (1 - p_c) over the class axis 1, p = softmax(x)
    (= CE + epsilon (1 - sum_c q_c p_c) for q summing to 1).

    input: logits (N, C) or (N, C, d1, ...), target: class probabilities of input's shape.  1 - p_c is
    formed as -expm1(log p_c) (no cancellation where p_c ~ 1).
    Source: Leng et al. 2022 (PolyLoss, eq. 3); optax ``poly_loss_cross_entropy`` (epsilon=2.0)."""
    x = getval(input)
    if x.ndim < 2:
        raise ValueError(f"input: expected (N, C) or (N, C, d1, ...), got shape {x.shape}")
    same_shape(input=input, target=target)
    floats("target", target)
    probability("target", target)
    logp = _log_softmax(input)
    terms = np.where(target == 0, 0.0, target * (-logp - epsilon * np.expm1(logp)))  # q = 0 adds 0
    return np.sum(terms, axis=1)


def _expm1_minus(w):
    """e^w - 1 - w: its Taylor series for |w| <= 1/2 (expm1(w) - w cancels there), else expm1(w) - w."""
    small = np.abs(w) <= 0.5
    ws = np.where(small, w, 0.0)
    total, term = 0.0 * ws, ws
    for k in range(2, 24):
        term = term * ws / k  # w^k / k!
        total = total + term
    return np.where(small, total, np.expm1(np.where(small, 0.0, w)) - w)


@register("generalized_kl")
def generalized_kl(input, target):
    """Generalized (unnormalized) Kullback-Leibler divergence, element-wise, on log-predictions x:
    t (log t - x) - t + e^x, t >= 0, 0 log 0 = 0 (t = 0 gives e^x).

    Formed as t (e^w - 1 - w), w = x - log t (the three terms cancel to second order at e^x = t).
    Source: Lee and Seung 2001 (the I-divergence); optax ``convex_kl_divergence`` (log_predictions,
    targets; summed over the last axis there)."""
    same_shape(input=input, target=target)
    nonnegative("target", target)
    pos = target > 0
    ts = np.where(pos, target, 1.0)
    w = input - np.log(ts)
    finite = np.isfinite(w)
    v = ts * _expm1_minus(np.where(finite, w, 0.0))
    limit = np.where(np.isnan(w), np.nan, np.inf)  # w = +-inf (x or t infinite): e^x or t log t dominates
    return np.where(pos, np.where(finite, v, limit), np.exp(input))


# ---------------------------------------------------------------- sparsemax


def _sparsemax_support(z):
    """The support of sparsemax(z) per row (N, C), from raw values: j with 1 + k z_(k) > sum_{i <= k} z_(i)
    for the sorted z (ties in z_(k) pick the same k whichever order the sort leaves them in)."""
    zs = -onp.sort(-z, axis=1)
    k = onp.arange(1, z.shape[1] + 1)
    size = onp.sum(1.0 + k * zs > onp.cumsum(zs, axis=1), axis=1, keepdims=True)
    tau = (onp.take_along_axis(onp.cumsum(zs, axis=1), onp.maximum(size, 1) - 1, axis=1) - 1.0) / size
    return z > tau


@register("sparsemax")
def sparsemax(input, target):
    """Sparsemax loss (Martins and Astudillo 2016, eq. 19; Blondel et al. 2020's Fenchel-Young loss of the
    Gini entropy).

    Multiclass: input (N, C) scores z, target class indices y: 1/2 sum_{j in S} (z_j^2 - tau^2) + 1/2 - z_y, with
    p = sparsemax(z) = max(z - tau, 0), S its support, tau = (sum_{j in S} z_j - 1) / |S|.  Formed without
    cancellation as 1/2 ||p - e_y||^2 + max(tau - z_y, 0) (every term >= 0; the two agree: where y is in S the
    last term is 0), with 1 - p_y = sum_{j != y} p_j, on z - max z (the loss is shift invariant).  Gradient
    p - e_y: continuous (the loss is C1), also at ties and where the support changes.  A score of -inf is a class
    outside the support; a row holding NaN or +inf is NaN (value and gradient).
    Binary: input (N,) scores x, target in {0, 1}: sparse_plus(-x) if y = 1 else sparse_plus(x), sparse_plus(u) =
    0 (u <= -1), (u + 1)^2 / 4 (|u| < 1), u (u >= 1): the multiclass loss of the scores (x, 0) with class 0
    the positive one.  Source: optax 0.2.8 ``sparsemax_loss`` (binary) and ``multiclass_sparsemax_loss``."""
    if onp.ndim(getval(input)) == 1:
        integers("target", target)
        same_shape(input=input, target=target)
        one_of("target", target, [0, 1])
        u = np.where(target == 1, -input, input)
        return np.where(u <= -1.0, 0.0, np.where(u >= 1.0, u, (u + 1.0) ** 2 / 4.0))
    if onp.ndim(getval(input)) != 2 or onp.shape(getval(input))[1] < 2:
        raise ValueError(f"input: expected scores (N,) or (N, C) with C >= 2, got shape {onp.shape(getval(input))}")
    n, c = onp.shape(getval(input))
    integers("target", target)
    shape_is("target", target, (n,), " (one class index per row of input)")
    in_range("target", target, 0, c - 1, "class indices")
    z = input - onp.max(getval(input), axis=1, keepdims=True) if n else input  # a constant shift
    support = _sparsemax_support(getval(z))
    tau = (np.sum(np.where(support, z, 0.0), axis=1) - 1.0) / onp.sum(support, axis=1)
    p = np.where(support, z - tau[:, None], 0.0)
    true = onp.arange(c) == target[:, None]
    rest = np.where(true, 0.0, p)
    z_y = np.sum(np.where(true, z, 0.0), axis=1)
    outside = np.where(tau >= z_y, tau - z_y, 0.0)  # at tau = z_y the active side: its slope is the gradient
    v = 0.5 * (np.sum(rest, axis=1) ** 2 + np.sum(rest * rest, axis=1)) + outside
    undefined = onp.any(onp.isnan(getval(input)) | (getval(input) == onp.inf), axis=1)  # NaN, or inf - inf
    nan_rows = np.sum(np.where(undefined[:, None], input, 0.0), axis=1) * onp.nan  # NaN value and gradient there
    return np.where(undefined, nan_rows, v)
