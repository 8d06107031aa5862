"""The argument mappings no gradient flows through, written once in NumPy for every adapter.

Each takes ``np.asarray`` of a target (labels, lengths, an ignore index) and returns an ndarray that the
adapter converts to a tensor of its framework; the differentiable inputs never pass through here, so their
gradient stays the framework's own.
"""

from __future__ import annotations

import numpy as np


def one_hot(target, classes, axis=-1):
    """Class indices (...) as a float64 indicator (..., C), the class axis at ``axis``.  An index outside
    [0, C) (ignore_index = -100) gives a zero row, as tf.one_hot documents for its off-value; the callers
    zero-weight ignored targets in any case (``valid``)."""
    out = (np.asarray(target)[..., None] == np.arange(classes)).astype(np.float64)
    return np.moveaxis(out, -1, axis)


def class_last(target):
    """(N, C, d1, ...) -> (N, d1, ..., C): probability targets in the class-last layout."""
    target = np.asarray(target)
    return np.moveaxis(target, 1, -1) if target.ndim > 2 else target


def valid(target, ignore_index):
    """The zero-weight mask of ignore_index: 1.0 where the target is a class, 0.0 where it is ignored.  Its sum is
    the reference's denominator of "mean" (the mean over valid targets; 0 / 0 = NaN when every one is ignored)."""
    return (np.asarray(target) != ignore_index).astype(np.float64)


def over_valid(loss, mask, reduction):
    """ignore_index by composition, for APIs without it.  ``loss(r)`` is the framework's loss with the ignored
    positions zero-weighted by ``mask`` (``valid``), reduced with ``r``; "mean" is its sum over the number of valid
    targets (the reference's denominator; 0 / 0 = NaN when every target is ignored), not over all positions."""
    return loss("sum") / float(np.sum(mask)) if reduction == "mean" else loss(reduction)


def ignored_as(target, ignore_index, cls=0):
    """The targets with ignored positions replaced by a real class (for ops that reject out-of-range labels);
    the caller masks those positions with ``valid``."""
    target = np.asarray(target)
    return np.where(target != ignore_index, target, cls)


def padded_labels(targets, target_lengths):
    """CTC targets, padded (N, S) or concatenated (sum S_n,), as an (N, max S_n) int32 matrix, zero past each
    target length."""
    targets, lengths = np.asarray(targets), np.asarray(target_lengths)
    if targets.ndim == 1:
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        targets = [targets[offsets[i]:offsets[i + 1]] for i in range(len(lengths))]
    out = np.zeros((len(lengths), max([int(n) for n in lengths] + [1])), dtype=np.int32)
    for i, n in enumerate(lengths):
        out[i, :n] = targets[i][:n]
    return out


def frames_within(input_lengths, steps):
    """(T, N, 1) bool: frame t of sample n is within its input length (for APIs that take no input lengths)."""
    return np.arange(steps)[:, None, None] < np.asarray(input_lengths)[None, :, None]


def target_lengths_at_least_1(target_lengths):
    """max(S_n, 1) as float64: torch's CTC "mean" divides each sample's loss by its target length (an empty
    target by 1)."""
    return np.maximum(np.asarray(target_lengths), 1).astype(np.float64)
