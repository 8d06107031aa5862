"""TensorFlow: the tf.nn loss ops, and the TensorFlow primitives (tensors, GradientTape) the stack runs on.

Version read: tensorflow 2.21.0.  The ops return the unreduced loss; "mean" / "sum" are ``tf.reduce_mean`` /
``tf.reduce_sum`` (the user's ordinary reduction, which does not make a binding "composed").  The Keras
bindings of the same stack are in adapters/keras.py.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from . import _mappings
from ._core import Binding, Convention, Framework, Unsupported, lazy

tf = lazy("tensorflow")

TF_CTC = "tensorflow 2.21.0 tensorflow/python/ops/ctc_ops.py"


class TensorFlow(Framework):
    module = "tensorflow"

    def to_tensor(self, array, dtype, device="cpu"):
        if device == _default():
            return tf.constant(array, dtype=dtype)
        with tf.device(_device(device)):
            return tf.identity(tf.constant(array, dtype=dtype))  # identity: a constant is made on the host

    def devices(self):
        return ("cpu", "cuda") if _default() == "cuda" else ("cpu",)

    def context(self):
        # eager ops go to the GPU where there is one: another device (a CPU run beside a GPU) is pinned
        return contextlib.nullcontext() if self.device == _default() else tf.device(_device(self.device))

    def to_numpy(self, tensor):
        return np.asarray(tensor.numpy(), dtype=np.float64)

    def vjp(self, fn, primals, cotangent):
        with tf.GradientTape() as tape:
            for p in primals:
                tape.watch(p)
            out = fn(*primals)
            cot = tf.ones_like(out) if cotangent is None else tf.constant(cotangent, dtype=out.dtype)
            total = tf.reduce_sum(cot * out)
        grads = tape.gradient(total, primals, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return out, [tf.convert_to_tensor(g) for g in grads]  # a gather's gradient is IndexedSlices: densify


def _device(name):
    """TensorFlow's name of a device: "/CPU:0", "/GPU:0" for "cuda"."""
    return "/GPU:0" if name == "cuda" else f"/{name.upper()}:0"


@functools.cache
def _default():
    """Where TensorFlow places eager tensors and ops unasked: the GPU where there is one."""
    return "cuda" if tf.config.list_physical_devices("GPU") else "cpu"


FRAMEWORK = TensorFlow()

# ---------------------------------------------------------------- conventions

TAKES_LOGITS = Convention(
    {"log_softmax": True},
    "tf.nn.ctc_loss takes logits and applies log_softmax over the classes itself: fed normalized log-probabilities "
    "the value is the reference's, but the gradient is the one through that log_softmax (g - softmax(x) sum_c g), "
    "not w.r.t. free log-probabilities; unnormalized rows are renormalized (the value is the loss of "
    "log_softmax(input)).",
    f"{TF_CTC} ctc_loss_v3 (logits); https://www.tensorflow.org/api_docs/python/tf/nn/ctc_loss")

# ---------------------------------------------------------------- helpers


def _reduce(v, reduction):
    return v if reduction == "none" else tf.reduce_mean(v) if reduction == "mean" else tf.reduce_sum(v)


def _like(array, x):
    """A NumPy mapping's result as a tensor in x's dtype."""
    return tf.constant(array, dtype=x.dtype)


def _log_poisson(x, y, reduction, full=False):
    return _reduce(tf.nn.log_poisson_loss(y, x, compute_full_loss=full), reduction)


def _l2_loss(x, y, reduction):
    total = 2 * tf.nn.l2_loss(x - y)
    return total if reduction == "sum" else total / tf.cast(tf.size(x), x.dtype)


def _sigmoid_ce(x, y, reduction):
    return _reduce(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x), reduction)


def _weighted_ce(x, y, reduction, pos_weight=None):
    pw = tf.constant(1.0, x.dtype) if pos_weight is None else pos_weight
    return _reduce(tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=x, pos_weight=pw), reduction)


def _softmax_ce(x, target, reduction, ignore_index=-100):
    if not target.dtype.is_integer:
        return _reduce(tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=x, axis=1), reduction)
    t = np.asarray(target)
    q, m = _like(_mappings.one_hot(t, x.shape[1], axis=1), x), _mappings.valid(t, ignore_index)
    return _mappings.over_valid(
        lambda r: _reduce(tf.nn.softmax_cross_entropy_with_logits(labels=q, logits=x, axis=1) * _like(m, x), r),
        m, reduction)


def _sparse_softmax_ce(x, target, reduction, ignore_index=-100):
    if not target.dtype.is_integer:
        raise Unsupported("probability targets: the sparse op takes class indices")
    t = np.asarray(target)
    y, m = tf.constant(_mappings.ignored_as(t, ignore_index)), _mappings.valid(t, ignore_index)
    logits = tf.experimental.numpy.moveaxis(x, 1, -1) if x.shape.rank > 2 else x
    return _mappings.over_valid(lambda r: _reduce(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits) * _like(m, x), r), m, reduction)


def _ctc(lp, targets, input_lengths, target_lengths, reduction, blank=0):
    labels = tf.constant(_mappings.padded_labels(targets, target_lengths))
    v = tf.nn.ctc_loss(labels=labels, logits=lp, label_length=target_lengths, logit_length=input_lengths,
                       logits_time_major=True, blank_index=blank)
    if reduction == "mean":  # torch's convention: each sample over its target length, then the batch mean
        return tf.reduce_mean(v / _like(_mappings.target_lengths_at_least_1(target_lengths), v))
    return _reduce(v, reduction)


IGNORE_NOTE = ("ignore_index by composition: m = (y != ignore_index) zero-weights the ignored positions' losses, "
               "and 'mean' is the masked sum over sum(m), the reference's mean (NaN when every target is ignored).")
CTC_FLOAT64 = ("float64 logits raise InvalidArgumentError ('cannot compute Mul as input #1 was expected to be a "
               "double tensor but is a float tensor') in tensorflow 2.21.0 on CPU; Keras's ctc casts float64 to "
               "float32 before calling it.")

# ---------------------------------------------------------------- the bindings

BINDINGS = [
    Binding("poisson_nll", "tf.nn.log_poisson_loss", _log_poisson,
            "tf.nn.log_poisson_loss(targets=y, log_input=x, compute_full_loss=full)", params=("full",),
            note="exp(x) - y x; the Stirling term is added where y is outside [0, 1] (the reference: y > 1)."),
    Binding("mse", "tf.nn.l2_loss", _l2_loss, "2 * tf.nn.l2_loss(x - y)  (mean: / x.size)", kind="composed",
            reductions=("mean", "sum"), note="tf.nn.l2_loss(t) = sum(t^2) / 2: one scalar, so no 'none'."),
    Binding("binary_cross_entropy_with_logits", "tf.nn.sigmoid_cross_entropy_with_logits", _sigmoid_ce,
            "tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)"),
    Binding("binary_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits", _weighted_ce,
            "tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=x, pos_weight=pos_weight)",
            params=("pos_weight",)),
    Binding("cross_entropy", "tf.nn.softmax_cross_entropy_with_logits", _softmax_ce,
            "tf.nn.softmax_cross_entropy_with_logits(labels=onehot(y), logits=x, axis=1) * m  (m = y != ignore_index; "
            "mean: the sum / sum(m); probability targets q: labels=q, no m)", kind="composed", params=("ignore_index",),
            note="index targets one-hot encoded. " + IGNORE_NOTE),
    Binding("cross_entropy", "tf.nn.sparse_softmax_cross_entropy_with_logits", _sparse_softmax_ce,
            "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=where(m, y, 0), logits=moveaxis(x, 1, -1)) * m  "
            "(m = y != ignore_index; mean: the sum / sum(m))", kind="composed", params=("ignore_index",),
            note="class axis moved last; ignored labels replaced by class 0 before the op, which rejects labels "
                 "outside [0, C) on CPU (and returns NaN for them on GPU), then masked. " + IGNORE_NOTE),
    Binding("ctc", "tf.nn.ctc_loss", _ctc, "tf.nn.ctc_loss(labels=padded(y), logits=log_probs, label_length=S, "
            "logit_length=T, blank_index=blank)  (mean: reduce_mean(loss / max(S, 1)))", params=("blank",),
            conventions=(TAKES_LOGITS,),
            note="mean divides each sample by its target length (torch's convention), composed. " + CTC_FLOAT64),
]

DIFFERENT_DEFINITIONS = []

UNBOUND = {
    "tf.nn.compute_average_loss": "a reduction helper (sum / global batch size), not a loss",
    "tf.nn.scale_regularization_loss": "a regularization-loss scaling helper, not a loss",
}


# ---------------------------------------------------------------- sampled losses (issue 11, batch NL1)


def _sampled(name):
    """tf.nn.nce_loss / sampled_softmax_loss made deterministic: the sampled ids and both expected counts are passed
    as sampled_values, num_sampled and num_classes read from their shapes; remove_accidental_hits passed only where a
    case sets it (TensorFlow's defaults are the references')."""
    def fn(x, w, b, labels, sampled, true_count, sampled_count, reduction, **kw):
        v = getattr(tf.nn, name)(weights=w, biases=b, labels=labels, inputs=x, num_sampled=sampled.shape[0],
                                 num_classes=w.shape[0], num_true=labels.shape[1],
                                 sampled_values=(sampled, true_count, sampled_count), **kw)
        return _reduce(v, reduction)

    return fn


SAMPLED = ("tf.nn.{}(weights=w, biases=b, labels=labels, inputs=x, num_sampled=S, num_classes=C, num_true=T, "
           "sampled_values=(sampled, true_expected_count, sampled_expected_count), "
           "remove_accidental_hits=remove_accidental_hits)")
SAMPLED_NOTE = ("sampled_values replaces the sampler (the reference takes the sampled ids and expected counts as "
                "inputs); the gradients w.r.t. weights and biases come back as IndexedSlices, densified.")

BINDINGS += [
    Binding("nce", "tf.nn.nce_loss", _sampled("nce_loss"), SAMPLED.format("nce_loss"),
            params=("remove_accidental_hits",), note=SAMPLED_NOTE),
    Binding("sampled_softmax", "tf.nn.sampled_softmax_loss", _sampled("sampled_softmax_loss"),
            SAMPLED.format("sampled_softmax_loss"), params=("remove_accidental_hits",), note=SAMPLED_NOTE),
]


# Public parameters of bound APIs that no binding sets ("*": of every API here), with why
# (tests/test_adapters_tf_nn.py fails on any other parameter no case sets).
NUM_TRUE = "passed as labels.shape[1]; every case has one true class per example (its default)"
UNEXERCISED = {
    "*": {"name": "the op's name in a graph: no effect on the value"},
    "tf.nn.nce_loss": {"num_true": NUM_TRUE},
    "tf.nn.sampled_softmax_loss": {"num_true": NUM_TRUE, "seed": "the sampler's seed: sampled_values replaces the "
                                   "sampler, so it has no effect"},
    "tf.nn.ctc_loss": {"logits_time_major": "passed as True (its default): the reference's (T, N, C) layout; "
                       "batch-major is a transpose",
                       "unique": "tf.nn.ctc_unique_labels of the labels, precomputed: a speed-up (TPU), the same "
                       "loss"},
}
