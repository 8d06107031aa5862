"""Keras 3's loss ops: keras.ops.binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy and
ctc_loss, written only against ``keras.ops`` (no backend named), like adapters/keras.py.

Version read: keras 3.15.1 (keras/src/ops/nn.py, which calls the backend's nn: on TensorFlow
keras/src/backend/tensorflow/nn.py).  The ops return the unreduced loss (no reduction, no sample weight, no label
smoothing); "mean" / "sum" are ``keras.ops.mean`` / ``keras.ops.sum``.  The cross entropies take ``axis``: the
bindings pass ``axis=1`` (the reference's class axis) instead of moving it.  Their clips are the ones the
keras.losses bindings declare (the same backend functions), so the conventions are shared from adapters/keras.py.
"""

from __future__ import annotations

import numpy as np

from . import _mappings
from . import keras as keras_losses
from ._core import Binding, Unsupported, lazy
from .keras import BCE_CLIP, CCE_CLIP, CTC_TAKES_LOGITS, SCCE_CLIP

ops = lazy("keras.ops")
keras = lazy("keras")


def _dtype(x):
    return keras.backend.standardize_dtype(x.dtype)


def _like(array, x):
    return ops.convert_to_tensor(array, dtype=_dtype(x))


def _reduce(v, reduction):
    return v if reduction == "none" else ops.mean(v) if reduction == "mean" else ops.sum(v)


def _probabilities(logits):
    """softmax over the class axis, copied so that Keras reads the probabilities, not the logits it tags on them
    (tests/test_adapters_keras.py: test_softmax_output_carries_its_logits)."""
    return ops.copy(ops.softmax(logits, axis=1))


def _bce(from_logits):
    def fn(x, y, reduction):
        return _reduce(ops.binary_crossentropy(y, x, from_logits=from_logits), reduction)

    return fn


def _cce(from_logits):
    def fn(x, target, reduction, ignore_index=-100):
        z = x if from_logits else _probabilities(x)
        if "int" not in _dtype(target):
            return _reduce(ops.categorical_crossentropy(target, z, from_logits=from_logits, axis=1), reduction)
        t = ops.convert_to_numpy(target)
        q, m = _like(_mappings.one_hot(t, x.shape[1], axis=1), x), _mappings.valid(t, ignore_index)
        return _mappings.over_valid(lambda r: _reduce(
            ops.categorical_crossentropy(q, z, from_logits=from_logits, axis=1) * _like(m, x), r), m, reduction)

    return fn


def _scce(from_logits):
    def fn(x, target, reduction, ignore_index=-100):
        if "int" not in _dtype(target):
            raise Unsupported("probability targets: the sparse op takes class indices")
        x = ops.moveaxis(x, 1, -1) if len(x.shape) > 2 else x  # on TensorFlow, axis must be -1
        z = x if from_logits else ops.copy(ops.softmax(x, axis=-1))
        t = ops.convert_to_numpy(target)
        y, m = ops.convert_to_tensor(_mappings.ignored_as(t, ignore_index)), _mappings.valid(t, ignore_index)
        return _mappings.over_valid(lambda r: _reduce(
            ops.sparse_categorical_crossentropy(y, z, from_logits=from_logits) * _like(m, x), r),
            m, reduction)

    return fn


def _ctc(lp, targets, input_lengths, target_lengths, reduction):
    y = ops.convert_to_tensor(_mappings.padded_labels(targets, target_lengths))
    v = ops.ctc_loss(y, ops.transpose(lp, (1, 0, 2)), ops.convert_to_tensor(np.asarray(target_lengths)),
                     ops.convert_to_tensor(np.asarray(input_lengths)), mask_index=0)
    if reduction == "mean":  # torch's convention: each sample over its target length, then the batch mean
        return ops.mean(v / _like(_mappings.target_lengths_at_least_1(target_lengths), v))
    return _reduce(v, reduction)


MASK = "  (m = y != ignore_index; mean: the sum / sum(m))"
IGNORE_NOTE = ("index targets: ignored positions replaced by class 0 (one-hot encoded for the dense op), their "
               "losses zero-weighted by m = (y != ignore_index); 'mean' is the masked sum over sum(m), the "
               "reference's mean.")
SCCE_NOTE = ("class axis moved last: on TensorFlow the sparse op raises 'Only axis=-1 is currently supported' for "
             "axis=1 on inputs of rank > 2 (keras/src/backend/tensorflow/nn.py sparse_categorical_crossentropy). "
             + IGNORE_NOTE)

BINDINGS = [
    Binding("binary_cross_entropy", "keras.ops.binary_crossentropy", _bce(False), "keras.ops.binary_crossentropy(y, p)",
            variant="from_logits=False", conventions=(BCE_CLIP,)),
    Binding("binary_cross_entropy_with_logits", "keras.ops.binary_crossentropy", _bce(True),
            "keras.ops.binary_crossentropy(y, x, from_logits=True)", variant="from_logits=True"),
    Binding("cross_entropy", "keras.ops.categorical_crossentropy", _cce(True),
            "keras.ops.categorical_crossentropy(onehot(y, axis=1), x, from_logits=True, axis=1) * m" + MASK,
            kind="composed", variant="from_logits=True", params=("ignore_index",),
            note="probability targets: the plain call. " + IGNORE_NOTE),
    Binding("cross_entropy", "keras.ops.categorical_crossentropy", _cce(False),
            "keras.ops.categorical_crossentropy(onehot(y, axis=1), softmax(x, axis=1), axis=1) * m" + MASK,
            kind="composed", variant="from_logits=False", params=("ignore_index",), conventions=(CCE_CLIP,),
            note="probability targets: the plain call. " + IGNORE_NOTE),
    Binding("cross_entropy", "keras.ops.sparse_categorical_crossentropy", _scce(True),
            "keras.ops.sparse_categorical_crossentropy(where(m, y, 0), moveaxis(x, 1, -1), from_logits=True) * m"
            + MASK, kind="composed", variant="from_logits=True", params=("ignore_index",), note=SCCE_NOTE),
    Binding("cross_entropy", "keras.ops.sparse_categorical_crossentropy", _scce(False),
            "keras.ops.sparse_categorical_crossentropy(where(m, y, 0), softmax(moveaxis(x, 1, -1))) * m" + MASK,
            kind="composed", variant="from_logits=False", params=("ignore_index",), conventions=(SCCE_CLIP,),
            note=SCCE_NOTE),
    Binding("ctc", "keras.ops.ctc_loss", _ctc,
            "keras.ops.ctc_loss(padded(y), transpose(log_probs, (1, 0, 2)), S, T, mask_index=0)  "
            "(mean: mean(loss / max(S, 1)))", conventions=(CTC_TAKES_LOGITS,),
            note="blank = mask_index = 0; batch-major logits; mean divides each sample by its target length (torch's "
                 "convention), composed.  On TensorFlow float64 is computed in float32 (keras/src/backend/"
                 "tensorflow/nn.py ctc_loss)."),
]

DIFFERENT_DEFINITIONS = []

UNBOUND = {"keras.ops.ctc_decode": "a decoder (greedy or beam search), not a loss"}

# Public parameters of bound APIs that no binding sets, with why (tests/test_adapters_keras_ops.py fails on any other
# parameter no case sets).
UNEXERCISED = {
    "keras.ops.ctc_loss": {"mask_index": "the blank index, passed as 0 (its default): the suite's CTC cases use "
                           "blank 0"},
    "keras.ops.sparse_categorical_crossentropy": {"axis": keras_losses.AXIS},
}
