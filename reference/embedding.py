"""Embedding and ranking losses (torch's margin losses, the center loss).

Targets y in {-1, 1} may be float or integer arrays (torch takes them in the input's
float dtype); class indices are integer arrays.
"""

import autograd.numpy as np
import numpy
from autograd.tracer import getval

from ._core import in_range, integers, one_of, register, same_shape, shape_is


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
    s1, s2 = _pow2_scale(x1), _pow2_scale(x2)
    u1, u2 = x1 * s1, x2 * s2  # cos(x1, x2) = cos(u1, u2); eps scales with the squared norms
    n1 = np.sum(u1 * u1, axis=1) + (eps * s1[:, 0] ** 2 if eps > 0 else 0.0)
    n2 = np.sum(u2 * u2, axis=1) + (eps * s2[:, 0] ** 2 if eps > 0 else 0.0)
    ok = n1 * n2 != 0  # not `> 0`: a NaN norm must give a NaN cos, not the zero-vector limit
    cos = np.where(ok, np.sum(u1 * u2, axis=1) / np.sqrt(np.where(ok, n1 * n2, 1.0)), 0.0)
    return np.where(y == 1, 1.0 - cos, np.maximum(0.0, cos - margin))


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
def triplet_margin(anchor, positive, negative, margin=1.0, p=2.0, eps=0.0, swap=False):
    """Triplet margin loss: max(0, d(a, p) - d(a, n) + margin), d(u, v) = ||u - v + eps||_p.

    swap: d(a, n) becomes min(d(a, n), d(p, n)) (Balntas et al. 2016). eps = 0 is the pure
    distance (torch's pairwise_distance adds 1e-6). Source: 004_18f5d166812d638a.txt
    (TripletMarginLoss); torch ``F.triplet_margin_loss``."""
    _rows("anchor", anchor)
    same_shape(anchor=anchor, positive=positive, negative=negative)
    if not p > 0:
        raise ValueError(f"p: expected a norm degree > 0, got {p!r}")
    d_pos = _distance(anchor, positive, p, eps)
    d_neg = _distance(anchor, negative, p, eps)
    if swap:
        d_neg = np.minimum(d_neg, _distance(positive, negative, p, eps))
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
