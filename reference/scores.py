"""Margin-based scores (scikit-learn's metrics), per sample (modified_huber, exponential: per element).

"mean" is scikit-learn's default average, "sum" its ``normalize=False`` where it exists.
Targets are integer arrays with canonical labels: class indices 0..C-1, {0, 1} for binary
probabilities and label indicators, {-1, 1} for binary margins; mapping other encodings
(sklearn's arbitrary labels, Keras' {0, 1} hinge targets) is the adapters' job.
"""

import autograd.numpy as np
from autograd.tracer import getval

from ._core import in_range, integers, one_of, probability, register, same_shape, shape_is


def _class_indices(input, target):
    """input (N, C) with C >= 2, target int (N,) in [0, C)."""
    n, c = np.shape(input)
    if c < 2:
        raise ValueError(f"input: expected (N, C) scores with C >= 2 classes, got shape {np.shape(input)}")
    integers("target", target)
    shape_is("target", target, (n,), " (one class index per row of input)")
    in_range("target", target, 0, c - 1, "class indices")


def _ndim(name, a, allowed, what):
    if np.ndim(a) not in allowed:
        raise ValueError(f"{name}: expected {what}, got shape {np.shape(a)}")
    return np.ndim(a)


@register("zero_one", differentiable=())
def zero_one(input, target):
    """0-1 loss: 1 where the predicted label differs from the target, else 0.

    input: integer labels (N,), or float scores (N, C) whose prediction is the first
    argmax (a row holding a NaN has no prediction: its loss is NaN). target: integer
    labels (N,). mean = error rate (sklearn ``zero_one_loss``), sum = error count
    (``normalize=False``). Source: 004_18f5d166812d638a.txt (sklearn example: 0.25, and 1)."""
    integers("target", target)
    kind = np.asarray(input).dtype.kind
    if kind in "iu":
        same_shape(input=input, target=target)
        return (input != target).astype(np.float64)
    if kind != "f" or np.ndim(input) != 2:
        raise ValueError(f"input: expected integer labels (N,) or float scores (N, C), got {np.asarray(input).dtype}"
                         f" of shape {np.shape(input)}")
    _class_indices(input, target)
    wrong = (np.argmax(input, axis=1) != target).astype(np.float64)
    return np.where(np.any(np.isnan(input), axis=1), np.nan, wrong)


@register("log_loss")
def log_loss(input, target, clip_eps=0.0):
    """Log loss (logistic / cross-entropy on probabilities): -log p_y.

    Binary: input (N,) = P(class 1), target in {0, 1}: -log p if y = 1, -log(1 - p) if y = 0.
    Multiclass: input (N, C) probabilities, target class indices: -log p[n, y_n] (rows are
    not renormalized). clip_eps > 0: p = clip(p, eps, 1 - eps) first (sklearn 1.9.1 clips
    with eps = finfo(dtype).eps). Source: 004_18f5d166812d638a.txt (sklearn ``log_loss``, 0.1738...)."""
    probability("input", input)
    if not 0.0 <= clip_eps < 0.5:
        raise ValueError(f"clip_eps: expected 0 <= clip_eps < 0.5, got {clip_eps!r}")
    p = np.clip(input, clip_eps, 1.0 - clip_eps) if clip_eps > 0 else input
    if _ndim("input", input, (1, 2), "probabilities (N,) or (N, C)") == 2:
        _class_indices(input, target)
        return -np.log(p[np.arange(len(target)), target])
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [0, 1])
    pos = target == 1
    # log1p keeps 1 - p exact for small p; each branch sees a harmless value where it is
    # not selected, so no 0 * inf reaches the gradient.
    return np.where(pos, -np.log(np.where(pos, p, 1.0)), -np.log1p(-np.where(pos, 0.0, p)))


@register("hinge")
def hinge(input, target):
    """Hinge loss.

    Binary: input (N,) decision values, target in {-1, 1}: max(0, 1 - y f).
    Multiclass (Crammer-Singer, as sklearn ``hinge_loss``): input (N, C), target class
    indices: max(0, 1 + max_{c != y} f_c - f_y). Source: 004_18f5d166812d638a.txt."""
    if _ndim("input", input, (1, 2), "decision values (N,) or (N, C)") == 1:
        integers("target", target)
        same_shape(input=input, target=target)
        one_of("target", target, [-1, 1])
        return np.maximum(0.0, 1.0 - target * input)
    _class_indices(input, target)
    true = np.arange(np.shape(input)[1]) == target[:, None]
    rival = np.max(np.where(true, -np.inf, input), axis=1)  # ties split the gradient evenly
    return np.maximum(0.0, 1.0 + rival - input[np.arange(len(target)), target])


@register("modified_huber")
def modified_huber(input, target):
    """Modified Huber: z = y f; max(0, 1 - z)^2 if z >= -1 else -4 z (C1 everywhere).

    y in {-1, 1}. Source: 004_18f5d166812d638a.txt; sklearn ``SGDClassifier(loss="modified_huber")``."""
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    z = target * input
    zq = np.where(z >= -1.0, z, -1.0)  # the quadratic branch only sees z >= -1 (finite gradient)
    return np.where(z >= -1.0, np.maximum(0.0, 1.0 - zq) ** 2, -4.0 * z)


@register("exponential")
def exponential(input, target):
    """Exponential (AdaBoost) loss: exp(-y f), y in {-1, 1}. Source: 004_18f5d166812d638a.txt."""
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    return np.exp(-target * input)


@register("brier_score")
def brier_score(input, target):
    """Brier score.

    Binary: input (N,) = P(class 1), target in {0, 1}: (p - y)^2 (sklearn's default,
    ``scale_by_half`` for binary). Multiclass: input (N, C) probabilities, target class
    indices: sum_c (p_c - [c = y])^2 (sklearn with ``scale_by_half=False``).
    Source: 004_18f5d166812d638a.txt (sklearn ``brier_score_loss``, 0.055)."""
    probability("input", input)
    if _ndim("input", input, (1, 2), "probabilities (N,) or (N, C)") == 2:
        _class_indices(input, target)
        onehot = np.arange(np.shape(input)[1]) == target[:, None]
        return np.sum((input - onehot) ** 2, axis=1)
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [0, 1])
    return (input - target) ** 2


@register("label_ranking", differentiable=())
def label_ranking(input, target):
    """Label ranking loss (sklearn ``label_ranking_loss``), per sample.

    input (N, L) scores, target (N, L) in {0, 1}: the fraction of (relevant k, irrelevant l)
    pairs ordered wrongly, f_k <= f_l (ties count as errors); 0 when a row has no relevant or
    no irrelevant label; NaN when a row's scores hold a NaN.
    Source: 004_18f5d166812d638a.txt (0.75 and 0.0)."""
    f, pos = _label_scores(input, target)
    neg = target == 0
    wrong = (f[:, :, None] <= f[:, None, :]) & pos[:, :, None] & neg[:, None, :]
    pairs = pos.sum(axis=1) * neg.sum(axis=1)
    loss = np.where(pairs > 0, wrong.sum(axis=(1, 2)) / np.maximum(pairs, 1), 0.0)
    return np.where(np.any(np.isnan(f), axis=1), np.nan, loss)


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


@register("squared_hinge")
def squared_hinge(input, target):
    """Squared hinge: max(0, 1 - y f)^2, element-wise, y in {-1, 1} (C1: the slope -2 y max(0, 1 - y f) is
    continuous at y f = 1).

    Source: Keras 3.15 ``SquaredHinge`` / ``squared_hinge`` (its mean over the last axis, then over the batch,
    is the mean here; it maps {0, 1} targets to {-1, 1}, the adapters' job)."""
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    return np.maximum(0.0, 1.0 - target * input) ** 2


@register("multi_margin")
def multi_margin(input, target, p=1, margin=1.0, weight=None):
    """Multi-class hinge (Weston and Watkins 1999), per sample:
    sum_{i != y} w_y max(0, margin - f_y + f_i)^p / C.

    input (N, C) scores, target class indices (N,), weight (C,) or None (ones); the weight multiplies the
    p-th power (for p = 2 it is not squared).  p in {1, 2}.  Source: torch 2.14 ``MultiMarginLoss`` (its
    documented formula and its defaults p=1, margin=1)."""
    if p not in (1, 2):
        raise ValueError(f"p: expected 1 or 2, got {p!r}")
    _ndim("input", input, (2,), "scores (N, C)")
    _class_indices(input, target)
    n, c = np.shape(input)
    w = np.ones(c)
    if weight is not None:
        w = np.asarray(weight)
        if w.dtype.kind != "f":
            raise ValueError(f"weight: expected a floating-point array, got dtype kind {w.dtype.kind!r}")
        shape_is("weight", w, (c,), " (one weight per class)")
    rows = np.arange(n)
    true = np.arange(c) == target[:, None]
    z = np.maximum(0.0, margin - input[rows, target][:, None] + input)
    return w[target] * np.sum(np.where(true, 0.0, z**p), axis=1) / c


@register("perceptron")
def perceptron(input, target):
    """Perceptron loss: max(0, -y f), element-wise, y in {-1, 1} (kink at f = 0).

    Source: Rosenblatt (1958); optax ``perceptron_loss``."""
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    return np.maximum(0.0, -target * input)


@register("multiclass_perceptron")
def multiclass_perceptron(input, target):
    """Multi-class perceptron loss per sample: max_c f_c - f_y (>= 0; 0 when y holds the max; ties in
    the max are kinks and share the gradient).

    input (N, C) scores, target class indices (N,).  Source: Collins (2002); optax
    ``multiclass_perceptron_loss``."""
    _ndim("input", input, (2,), "scores (N, C)")
    _class_indices(input, target)
    return np.max(input, axis=1) - input[np.arange(np.shape(input)[0]), target]


# ---------------------------------------------------------------- ranking depths (issue 11, batch NL1)


def _label_scores(input, target):
    """(float scores (N, L), relevance mask (N, L)) of a multilabel ranking metric; target in {0, 1}."""
    f = np.asarray(getval(input))
    if f.dtype.kind != "f":
        raise ValueError(f"input: expected a floating-point array, got dtype kind {f.dtype.kind!r}")
    _ndim("input", f, (2,), "scores (N, L)")
    integers("target", target)
    same_shape(input=input, target=target)
    one_of("target", target, [0, 1])
    return f, target == 1


@register("coverage_error", differentiable=())
def coverage_error(input, target):
    """Coverage error per sample: how far down the ranking by score one must go to cover every relevant label,
    |{l : f_l >= min_{k relevant} f_k}| (ties count against: every label tied with the lowest-scored relevant
    one is counted); 0 for a row with no relevant label; NaN when a row's scores hold a NaN.

    input (N, L) scores, target (N, L) in {0, 1}.  Source: scikit-learn 1.9 ``coverage_error`` (its docstring:
    "ties in y_scores are broken by giving maximal rank"; one more than Tsoumakas et al. (2010)'s, so that a
    row without relevant labels has 0)."""
    f, rel = _label_scores(input, target)
    lowest = np.min(np.where(rel, f, np.inf), axis=1, keepdims=True)
    depth = np.sum(f >= lowest, axis=1).astype(np.float64)
    return np.where(np.any(np.isnan(f), axis=1), np.nan, np.where(np.any(rel, axis=1), depth, 0.0))


@register("lrap", differentiable=())
def lrap(input, target):
    """Label ranking average precision per sample: the mean over relevant labels j of
    |{k relevant : f_k >= f_j}| / |{k : f_k >= f_j}| (the precision at j's rank, ties ranked last);
    1 for a row whose labels are all relevant or all irrelevant; NaN when a row's scores hold a NaN.

    input (N, L) scores, target (N, L) in {0, 1}.  Source: scikit-learn 1.9
    ``label_ranking_average_precision_score`` (its ranks: rankdata(-f, "max"); "mean" is its default average)."""
    f, rel = _label_scores(input, target)
    above = f[:, None, :] >= f[:, :, None]  # [n, j, k]: f_k >= f_j
    precision = np.sum(above & rel[:, None, :], axis=2) / np.sum(above, axis=2)
    n_rel = np.sum(rel, axis=1)
    mean = np.sum(np.where(rel, precision, 0.0), axis=1) / np.maximum(n_rel, 1)
    degenerate = (n_rel == 0) | (n_rel == np.shape(f)[1])
    return np.where(np.any(np.isnan(f), axis=1), np.nan, np.where(degenerate, 1.0, mean))
