"""Embedding and ranking losses (torch's margin losses, the center loss, NT-Xent, circle).

Targets y in {-1, 1} may be float or integer arrays (torch takes them in the input's
float dtype); class indices are integer arrays.
"""

import autograd.numpy as np
import numpy
from autograd.tracer import getval

from ._core import choice, in_range, integers, one_of, register, same_shape, shape_is


def _rows(name, a):
    if np.ndim(a) != 2:
        raise ValueError(f"{name}: expected a batch of vectors (N, D), got shape {np.shape(a)}")
    return np.shape(a)


def _pow2_scale(v):
    """Per-row power of two that brings max|v| into [0.5, 1) (1 for zero or non-finite rows).

    Multiplying by it is exact, so squared norms neither overflow nor underflow; it is a
    constant for autodiff (the scaled-back norm is the same function)."""
    m = numpy.max(numpy.abs(getval(v)), axis=-1, keepdims=True)
    _, e = numpy.frexp(numpy.where(numpy.isfinite(m), m, 0.0))
    return numpy.ldexp(1.0, -e)


@register("margin_ranking", inputs=("x1", "x2", "y"), differentiable=("x1", "x2"))
def margin_ranking(x1, x2, y, margin=0.0):
    """Margin ranking loss: max(0, -y (x1 - x2) + margin), y in {-1, 1}, element-wise.

    Source: 004_18f5d166812d638a.txt (MarginRankingLoss); torch ``F.margin_ranking_loss``."""
    same_shape(x1=x1, x2=x2, y=y)
    one_of("y", y, [-1, 1])
    return np.maximum(0.0, -y * (x1 - x2) + margin)


@register("multilabel_margin")
def multilabel_margin(input, target):
    """Multi-label margin loss (torch ``MultiLabelMarginLoss``), per sample.

    input (N, C); target int (N, C): the sample's class indices, ended by the first -1
    (slots after it are ignored). l_n = sum_{j listed} sum_{i not listed}
    max(0, 1 - (x[y_j] - x[i])) / C. A class listed twice is malformed (ValueError).
    Source: 004_18f5d166812d638a.txt (MultiLabelMarginLoss)."""
    n, c = _rows("input", input)
    integers("target", target)
    same_shape(input=input, target=target)
    in_range("target", target, -1, c - 1, "class indices (or -1 to end the list)")
    listed = numpy.cumprod(target != -1, axis=1).astype(bool)  # slots before the first -1
    labels = numpy.where(listed, target, 0)
    is_target = numpy.any(listed[:, :, None] & (labels[:, :, None] == numpy.arange(c)), axis=1)
    if numpy.any(listed.sum(axis=1) != is_target.sum(axis=1)):
        raise ValueError("target: a class index is listed twice before the terminating -1")
    hinge = np.maximum(0.0, 1.0 - input[numpy.arange(n)[:, None], labels][:, :, None] + input[:, None, :])
    pairs = listed[:, :, None] & ~is_target[:, None, :]  # (sample, listed slot j, class i)
    return np.sum(np.where(pairs, hinge, 0.0), axis=(1, 2)) / c


@register("hinge_embedding")
def hinge_embedding(input, target, margin=1.0):
    """Hinge embedding loss: x if y = 1, max(0, margin - x) if y = -1, element-wise.

    Source: 004_18f5d166812d638a.txt (HingeEmbeddingLoss); torch ``F.hinge_embedding_loss``."""
    same_shape(input=input, target=target)
    one_of("target", target, [-1, 1])
    return np.where(target == 1, input, np.maximum(0.0, margin - input))


@register("cosine_embedding", inputs=("x1", "x2", "y"), differentiable=("x1", "x2"))
def cosine_embedding(x1, x2, y, margin=0.0, eps=0.0):
    """Cosine embedding loss: 1 - cos if y = 1, max(0, cos - margin) if y = -1, per sample.

    cos = <x1, x2> / sqrt((|x1|^2 + eps)(|x2|^2 + eps)) (torch adds eps = 1e-12).
    A zero vector with eps = 0 has cos = 0 (the eps -> 0 limit of the eps form; gradient 0).
    Rows are rescaled by powers of two first, so no squared norm under/overflows.
    Source: 004_18f5d166812d638a.txt (CosineEmbeddingLoss); torch ``F.cosine_embedding_loss``."""
    n, _ = _rows("x1", x1)
    same_shape(x1=x1, x2=x2)
    shape_is("y", y, (n,), " (one label per row)")
    one_of("y", y, [-1, 1])
    if eps < 0:
        raise ValueError(f"eps: expected >= 0, got {eps!r}")
    cos = _cos(x1, x2, eps)
    return np.where(y == 1, 1.0 - cos, np.maximum(0.0, cos - margin))


def _cos(x1, x2, eps=0.0):
    """cos(x1, x2) per row, eps added to each squared norm; 0 where a norm is 0."""
    s1, s2 = _pow2_scale(x1), _pow2_scale(x2)
    u1, u2 = x1 * s1, x2 * s2  # cos(x1, x2) = cos(u1, u2); eps scales with the squared norms
    n1 = np.sum(u1 * u1, axis=1) + (eps * s1[:, 0] ** 2 if eps > 0 else 0.0)
    n2 = np.sum(u2 * u2, axis=1) + (eps * s2[:, 0] ** 2 if eps > 0 else 0.0)
    ok = n1 * n2 != 0  # not `> 0`: a NaN norm must give a NaN cos, not the zero-vector limit
    return np.where(ok, np.sum(u1 * u2, axis=1) / np.sqrt(np.where(ok, n1 * n2, 1.0)), 0.0)


def _distance(a, b, p, eps):
    """||a - b + eps||_p per row (torch ``pairwise_distance``), 0 at 0 with gradient 0."""
    v = a - b + eps
    s = _pow2_scale(v)
    w = np.abs(v * s)
    t = np.sum(w * w if p == 2 else w**p, axis=1)
    ok = t != 0  # a NaN stays NaN
    t = np.where(ok, t, 1.0)
    root = np.sqrt(t) if p == 2 else t if p == 1 else t ** (1.0 / p)
    return np.where(ok, root / s[:, 0], 0.0)


@register("triplet_margin", inputs=("anchor", "positive", "negative"),
          differentiable=("anchor", "positive", "negative"))
def triplet_margin(anchor, positive, negative, margin=1.0, p=2.0, eps=0.0, swap=False, distance="pairwise"):
    """Triplet margin loss: max(0, d(a, p) - d(a, n) + margin), d(u, v) = ||u - v + eps||_p.

    swap: d(a, n) becomes min(d(a, n), d(p, n)) (Balntas et al. 2016). eps = 0 is the pure
    distance (torch's pairwise_distance adds 1e-6).  distance="cosine": d(u, v) = 1 - cos(u, v)
    instead (p and eps unused), the distance_function torch's docs show for
    TripletMarginWithDistanceLoss.  Source: 004_18f5d166812d638a.txt (TripletMarginLoss); torch
    ``F.triplet_margin_loss``, ``F.triplet_margin_with_distance_loss``."""
    _rows("anchor", anchor)
    same_shape(anchor=anchor, positive=positive, negative=negative)
    choice("distance", distance, ("pairwise", "cosine"))
    if not p > 0:
        raise ValueError(f"p: expected a norm degree > 0, got {p!r}")

    def d(u, v):
        return 1.0 - _cos(u, v) if distance == "cosine" else _distance(u, v, p, eps)

    d_pos, d_neg = d(anchor, positive), d(anchor, negative)
    if swap:
        d_neg = np.minimum(d_neg, d(positive, negative))
    return np.maximum(0.0, d_pos - d_neg + margin)


@register("center", inputs=("input", "target", "centers"), differentiable=("input", "centers"))
def center(input, target, centers):
    """Center loss (Wen et al. 2016): 0.5 ||x_i - c_{y_i}||^2 per sample.

    input (N, D) features, target int (N,) class indices, centers (K, D). The gradient for
    the centers is the true one (the paper updates centers by its own rule instead).
    Source: 004_18f5d166812d638a.txt (Center Loss)."""
    n, d = _rows("input", input)
    integers("target", target)
    shape_is("target", target, (n,), " (one class index per row of input)")
    if np.ndim(centers) != 2 or np.shape(centers)[1] != d:
        raise ValueError(f"centers: expected shape (K, {d}), got {np.shape(centers)}")
    in_range("target", target, 0, np.shape(centers)[0] - 1, "class indices")
    return 0.5 * np.sum((input - centers[target]) ** 2, axis=1)


def _labelled_rows(embeddings, labels):
    n, _ = _rows("embeddings", embeddings)
    integers("labels", labels)
    shape_is("labels", labels, (n,), " (one label per row of embeddings)")
    same = getval(labels)[:, None] == getval(labels)[None, :]
    return same & ~numpy.eye(n, dtype=bool), ~same  # positives (no self pairs), negatives


def _cosines(x, eps):
    """cos_ij = <x_i, x_j> / (max(|x_i|^2, eps) max(|x_j|^2, eps))^(1/2), rows rescaled by powers of two first."""
    s = _pow2_scale(x)
    u = x * s
    norm = np.sqrt(np.maximum(np.sum(u * u, axis=1), eps * s[:, 0] ** 2 if eps > 0 else 0.0))
    return np.dot(u, u.T) / (norm[:, None] * norm[None, :])


def _softplus_of_lse(z):
    """log(1 + e^z) for z = a logsumexp, which is -inf over an empty set (loss 0, gradient 0); +inf, NaN stay."""
    finite = numpy.isfinite(getval(z))
    zf = np.where(finite, z, 0.0)
    v = np.where(zf > 0, zf, 0.0) + np.log1p(np.exp(-np.abs(zf)))
    return np.where(finite, v, np.where(getval(z) == -numpy.inf, 0.0, z))


def _logsumexp(a, mask, axis):
    """log sum_{mask} e^a along axis, -inf where the mask is empty (the max is a constant shift)."""
    m = numpy.max(numpy.where(mask, getval(a), -numpy.inf), axis=axis, keepdims=True)
    m = numpy.where(numpy.isfinite(m), m, 0.0)
    some = numpy.any(mask, axis=axis)
    total = np.sum(np.where(mask, np.exp(np.where(mask, a, 0.0) - m), 0.0), axis=axis)
    return np.where(some, np.log(np.where(some, total, 1.0)) + np.squeeze(m, axis), -numpy.inf)


@register("ntxent", inputs=("embeddings", "labels"), differentiable=("embeddings",))
def ntxent(embeddings, labels, temperature=0.07, eps=0.0):
    """NT-Xent (normalized temperature-scaled cross entropy; Chen et al. 2020, SimCLR, eq. 1), one value per
    positive pair (i, j), i != j, l_i = l_j, in row-major order: with s = cos / temperature,
    -log(e^{s_ij} / (e^{s_ij} + sum_{k: l_k != l_i} e^{s_ik})), formed as softplus(logsumexp_k s_ik - s_ij).  The
    denominator holds the pair's positive and the anchor's negatives (pytorch-metric-learning's form; SimCLR's
    two views per label give one positive per anchor, where the two agree).  cos clips each squared norm below at
    eps (a zero vector with eps = 0: NaN).  The mean is over the positive pairs (none: NaN).
    Source: optax 0.2.8 ``ntxent(embeddings, labels, temperature)`` (eps = float eps of the dtype)."""
    positive, negative = _labelled_rows(embeddings, labels)
    if not temperature > 0:
        raise ValueError(f"temperature: expected > 0, got {temperature!r}")
    if not eps >= 0:
        raise ValueError(f"eps: expected >= 0, got {eps!r}")
    s = _cosines(embeddings, eps) / temperature
    i, j = numpy.nonzero(positive)
    return _softplus_of_lse(_logsumexp(s, negative, axis=1)[i] - s[i, j])  # -inf: an anchor without negatives


@register("circle", inputs=("embeddings", "labels"), differentiable=("embeddings",))
def circle(embeddings, labels, gamma=80.0, margin=0.4, remove_diagonal=True, normalize=True,
           mean_over_positive=False):
    """Circle loss (Sun et al. 2020, eq. 6), per anchor i over the batch itself: with similarities s_ij,
    softplus(logsumexp_{j in P_i} -gamma a_p (s_ij - D_p) + logsumexp_{j in N_i} gamma a_n (s_ij - D_n)),
    a_p = max(1 + m - s, 0), a_n = max(s + m, 0), D_p = 1 - m, D_n = m; P_i the same label (not i itself if
    remove_diagonal), N_i the other labels.  An empty P_i or N_i gives logsumexp = -inf: loss 0.
    normalize=True: s = cosine similarity; False: s = min(<x_i, x_j>, 1), the rows taken as unit vectors (Keras
    3.15 ``circle`` forms the distance max(1 - x_i . x_j, 0) and never normalizes).  mean_over_positive: the mean
    divides by the number of anchors with a loss > 0 (Keras masks the zero losses, its mean over the unmasked).
    Source: Sun et al. 2020; keras 3.15.1 keras/src/losses/losses.py ``circle``, ``Circle`` (gamma=80, margin=0.4;
    ref_labels / ref_embeddings default to the batch itself, as here)."""
    positive, negative = _labelled_rows(embeddings, labels)
    if remove_diagonal is False:
        positive = positive | numpy.eye(len(positive), dtype=bool)
    if not gamma > 0:
        raise ValueError(f"gamma: expected > 0, got {gamma!r}")
    s = _cosines(embeddings, 0.0) if normalize else np.minimum(np.dot(embeddings, embeddings.T), 1.0)
    pos = -gamma * np.maximum(1.0 + margin - s, 0.0) * (s - (1.0 - margin))
    neg = gamma * np.maximum(s + margin, 0.0) * (s - margin)
    v = _softplus_of_lse(_logsumexp(pos, positive, axis=1) + _logsumexp(neg, negative, axis=1))
    return (v, numpy.sum(getval(v) > 0)) if mean_over_positive else v
