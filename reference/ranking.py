"""Listwise ranking losses: scores of the items of a list against their relevance labels."""

import autograd.numpy as np
import numpy
from autograd.tracer import getval

from ._core import nonnegative, register, same_shape


@register("ranking_softmax")
def ranking_softmax(input, target, where=None, weights=None):
    """Listwise softmax cross entropy, per list (the last axis): -sum_i w_i y_i log softmax(x)_i over the valid
    items (where; all by default), with relevance labels y >= 0 taken as they are (not normalized) and item
    weights w (1 by default).  A list without valid items has loss 0; the mean is over the lists with a valid
    item (none: NaN).  log softmax is z - log1p(sum of the non-max e^z), z = x - max over the valid items.
    Source: Cao et al. 2007 (ListNet), Bruch et al. 2019; optax 0.2.8 ``ranking_softmax_loss(logits, labels,
    where, weights)`` (reduce_fn=jnp.mean; its mean of no list is 0)."""
    same_shape(input=input, target=target)
    nonnegative("target", target)
    valid = numpy.ones(numpy.shape(getval(input)), dtype=bool) if where is None else numpy.asarray(where, dtype=bool)
    same_shape(input=input, where=valid)
    if weights is not None:
        same_shape(input=input, weights=weights)
        nonnegative("weights", weights)
    if numpy.ndim(getval(input)) < 1:
        raise ValueError(f"input: expected lists (..., L), got shape {numpy.shape(getval(input))}")
    xv = numpy.where(valid, getval(input), -numpy.inf)
    m = numpy.max(xv, axis=-1, keepdims=True) if xv.shape[-1] else xv[..., :1]
    m = numpy.where(numpy.isfinite(m), m, 0.0)
    top = numpy.arange(xv.shape[-1]) == numpy.argmax(xv, axis=-1)[..., None] if xv.size else valid
    z = np.where(valid, input - m, 0.0)
    rest = np.sum(np.where(valid, np.where(top, np.expm1(z), np.exp(z)), 0.0), axis=-1, keepdims=True)
    y = target if weights is None else target * weights
    v = -np.sum(np.where(valid, y * (z - np.log1p(rest)), 0.0), axis=-1)
    return v, numpy.sum(numpy.any(valid, axis=-1))
