"""Keras 2: the tf_keras.losses classes and functions, on TensorFlow's primitives (adapters/tf_nn.py's FRAMEWORK).

Version read: tf-keras 2.21.0 (tf_keras/src/losses.py, tf_keras/src/backend.py, tf_keras/src/utils/losses_utils.py).
It is a separate implementation from Keras 3 (adapters/keras.py), with its own reductions, clips and dtypes.

Mapping rules used throughout:
- ``(y_true, y_pred)`` and the class axis last: ``fn`` swaps and moves axes.
- The functions average over the last axis; element-wise reference losses are fed ``x[..., None]`` so that this mean
  is over one element (kind "composed").  Reductions: none -> "none", mean -> "sum_over_batch_size" (what the
  default "auto" means outside a tf.distribute strategy), sum -> "sum"; a function's result is reduced with
  ``tf.reduce_mean`` / ``tf.reduce_sum``.  Unlike Keras 3, the classes compute in the input dtype (no ``dtype``
  argument), except Huber, which casts to ``floatx()``.
- ``tf_keras.backend.epsilon()`` is 1e-7: the eps of every clip below.
"""

from __future__ import annotations

import numpy as np

from . import _mappings, keras
from ._core import Binding, Convention, DifferentDefinition, Unsupported, lazy
from .tf_nn import FRAMEWORK  # noqa: F401  (Keras 2 runs on TensorFlow's primitives: tensors, GradientTape)

tf = lazy("tensorflow")
tf_keras = lazy("tf_keras")

EPS = 1e-7  # tf_keras.backend.epsilon() (tf_keras/src/backend_config.py)
REDUCTION = {"none": "none", "mean": "sum_over_batch_size", "sum": "sum"}
SRC = "tf-keras 2.21.0 tf_keras/src/losses.py"
BACKEND = "tf-keras 2.21.0 tf_keras/src/backend.py"

# ---------------------------------------------------------------- conventions

SAMPLE_WEIGHT_MEAN = Convention(
    {"weight_mean": "size"},
    "With sample_weight, SUM_OVER_BATCH_SIZE is sum(w l) / N, the number of per-sample values, not the weighted mean "
    "sum(w l) / sum(w): as Keras 3's (adapters/keras.py SAMPLE_WEIGHT_MEAN).",
    "tf-keras 2.21.0 tf_keras/src/utils/losses_utils.py compute_weighted_loss, reduce_weighted_loss "
    "(_safe_mean(losses, _num_elements(losses)))")
BCE_CLIP = Convention(
    {"clip_eps": EPS, "log_eps": EPS},
    "Keras 2 clips p to [1e-7, 1 - 1e-7] and then adds 1e-7 inside both logs: y log(p + 1e-7) + (1 - y) "
    "log(1 - p + 1e-7) (Keras 3 dropped the added eps).",
    f"{BACKEND} binary_crossentropy")
CCE_CLIP = Convention(
    {"clip_eps": EPS},
    "Fed probabilities, Keras 2 normalizes p / sum(p) and clips to [1e-7, 1 - 1e-7] before the log.",
    f"{BACKEND} categorical_crossentropy")
SCCE_CLIP = Convention(
    {"clip_eps": EPS},
    "Fed probabilities, Keras 2 clips them to [1e-7, 1 - 1e-7], takes their log and applies sparse softmax cross "
    "entropy to it: -log clip(p_y) + log sum_c clip(p_c), which is the reference's clipped value wherever no "
    "probability is clipped.",
    f"{BACKEND} sparse_categorical_crossentropy")
KL_CLIP = Convention(
    {"clip_eps": EPS},
    "Keras 2 clips y_true and y_pred = exp(input) to [1e-7, 1] before y log(y / q).",
    f"{SRC} kl_divergence")
POISSON_EPS = Convention(
    {"eps": EPS},
    "Keras 2's Poisson is y_pred - y_true log(y_pred + 1e-7).",
    f"{SRC} poisson")

# ---------------------------------------------------------------- helpers


def _reduce(v, reduction):
    return v if reduction == "none" else tf.reduce_mean(v) if reduction == "mean" else tf.reduce_sum(v)


def _like(array, x):
    return tf.constant(array, dtype=x.dtype)


def _keras(name, y_true, y_pred, reduction, sample_weight=None, **kw):
    """tf_keras.losses.<name>: a class (instantiated with the reduction) or a function (then reduced)."""
    obj = getattr(tf_keras.losses, name)
    if name[0].isupper():
        return obj(reduction=REDUCTION[reduction], **kw)(y_true, y_pred, sample_weight=sample_weight)
    v = obj(y_true, y_pred, **kw)
    return _reduce(v if sample_weight is None else v * sample_weight, reduction)


def _binding(loss, name, call, args, kwargs="", wrap="{}", **kw):
    """``tf_keras.losses.<name>(kwargs)(args)`` for a class, ``tf_keras.losses.<name>(args, kwargs)`` for a
    function; ``call(name, *tensors, reduction, **params)`` maps the canonical arrays onto it."""
    expression = (f"tf_keras.losses.{name}({kwargs})({args})" if name[0].isupper()
                  else f"tf_keras.losses.{name}({', '.join(filter(None, [args, kwargs]))})")
    return Binding(loss, f"tf_keras.losses.{name}", lambda *a, **p: call(name, *a, **p), wrap.format(expression), **kw)


def _pair(loss, cls, func, call, args, kwargs="", wrap="{}", sample_weight=False, **kw):
    """The class and the function; ``sample_weight``: the class takes the reference's weight (keras.sample_weighted)."""
    cls_args, cls_kw = keras.sample_weighted(args, kw, SAMPLE_WEIGHT_MEAN) if sample_weight else (args, kw)
    return [_binding(loss, cls, call, cls_args, kwargs, wrap, **cls_kw),
            _binding(loss, func, call, args, kwargs, wrap, **kw)]


def _last(x):
    return x[..., None]


def _class_last(x):
    return tf.experimental.numpy.moveaxis(x, 1, -1) if x.shape.rank > 2 else x


def _probabilities(logits):
    """softmax over the last axis (tf.nn.softmax: an eager tensor carries no logits for Keras 2 to read)."""
    return tf.nn.softmax(logits, axis=-1)


XY = "y[..., None], x[..., None]"
ELEMENTWISE_NOTE = ("fed x[..., None] so that Keras's mean over the last axis is over one element and the result is "
                    "element-wise.")

# ---------------------------------------------------------------- regression, binary


def _elementwise(name, x, y, reduction, weight=None, **kw):
    return _keras(name, _last(y), _last(x), reduction, sample_weight=weight, **kw)


def _huber(name, x, y, reduction, delta=1.0, weight=None):
    return _elementwise(name, x, y, reduction, weight=weight, delta=delta)


def _smooth_l1(name, x, y, reduction, beta=1.0):
    if beta == 0:
        raise Unsupported("beta = 0 (l1): Huber(delta=0) / 0 is undefined")
    v = _elementwise(name, x, y, reduction, delta=beta)
    return v / tf.constant(beta, v.dtype)


def _bce(from_logits):
    def call(name, x, y, reduction, weight=None, label_smoothing=0.0):
        sample_weight = None if weight is None else tf.broadcast_to(weight, tf.shape(x))
        return _keras(name, _last(y), _last(x), reduction, sample_weight=sample_weight, from_logits=from_logits,
                      label_smoothing=label_smoothing)

    return call


def _focal(name, x, y, reduction, alpha=0.25, gamma=2.0):
    kw = {"apply_class_balancing": alpha is not None, "alpha": 0.25 if alpha is None else alpha, "gamma": gamma}
    return _keras(name, _last(y), _last(x), reduction, from_logits=True, **kw)


# ---------------------------------------------------------------- cross entropy


def _cce(from_logits):
    def call(name, x, target, reduction, label_smoothing=0.0, ignore_index=-100):
        t = np.asarray(target)
        z = _class_last(x) if from_logits else _probabilities(_class_last(x))
        kw = {"from_logits": from_logits, "label_smoothing": label_smoothing}
        if not target.dtype.is_integer:
            return _keras(name, _like(_mappings.class_last(t), x), z, reduction, **kw)
        q, m = _like(_mappings.one_hot(t, x.shape[1]), x), _mappings.valid(t, ignore_index)
        return _mappings.over_valid(lambda r: _keras(name, q, z, r, sample_weight=_like(m, x), **kw), m, reduction)

    return call


def _scce(from_logits):
    def call(name, x, target, reduction, ignore_index=-100):
        if not target.dtype.is_integer:
            raise Unsupported("probability targets: SparseCategoricalCrossentropy takes class indices")
        z = _class_last(x) if from_logits else _probabilities(_class_last(x))
        m = _mappings.valid(np.asarray(target), ignore_index)
        kw = {"from_logits": from_logits, "ignore_class": ignore_index}
        return _mappings.over_valid(lambda r: _keras(name, target, z, r, **kw), m, reduction)

    return call


IGNORE_NOTE = ("ignore_index by composition: m = (y != ignore_index) zero-weights the ignored positions' losses, "
               "and 'mean' is the masked sum over sum(m), the reference's mean (NaN when every target is ignored).")
CCE_MASK = "  (m = y != ignore_index; mean: the sum / sum(m); probability targets: q for onehot(y), no m)"
CCE = dict(kind="composed", params=("label_smoothing", "ignore_index"),
           note="class axis moved last; index targets one-hot encoded and masked. " + IGNORE_NOTE)
SCCE = dict(kind="composed", params=("ignore_index",),
            note="class axis moved last; ignore_class gives ignored targets a zero loss; 'mean' is the sum over "
                 "sum(y != ignore_index), composed (NaN when every target is ignored).")
SCCE_MEAN = "{}  (mean: the sum / sum(y != ignore_index))"

# ---------------------------------------------------------------- kl_div, hinge, cosine


def _kl(name, x, t, reduction):
    if reduction == "batchmean":
        n = x.shape[0]
        return _keras(name, tf.reshape(t, (n, -1)), tf.reshape(tf.exp(x), (n, -1)), "mean")
    return _keras(name, _last(t), _last(tf.exp(x)), reduction)


def _hinge(name, f, y, reduction):
    if f.shape.rank != 1:
        raise Unsupported("multiclass scores: Hinge is one-vs-all per column (see CategoricalHinge)")
    return _keras(name, _last(tf.cast(y, f.dtype)), _last(f), reduction)


def _categorical_hinge(name, f, y, reduction):
    if f.shape.rank != 2:
        raise Unsupported("binary scores: see Hinge")
    shifted = f - tf.stop_gradient(tf.reduce_min(f, axis=-1, keepdims=True)) + 1
    return _keras(name, _like(_mappings.one_hot(np.asarray(y), f.shape[1]), f), shifted, reduction)


def _cosine(name, x1, x2, y, reduction, margin=0.0):
    if np.any(np.asarray(y) != 1):
        raise Unsupported("y = -1 pairs: 1 + CosineSimilarity is the y = 1 branch only")
    ones = x1.shape[0] if reduction == "sum" else 1
    return ones + _keras(name, x2, x1, reduction)


# ---------------------------------------------------------------- the bindings

BINDINGS = [
    *_pair("mse", "MeanSquaredError", "mean_squared_error", _elementwise, XY, kind="composed", note=ELEMENTWISE_NOTE,
           sample_weight=True),
    *_pair("l1", "MeanAbsoluteError", "mean_absolute_error", _elementwise, XY, kind="composed",
           note=ELEMENTWISE_NOTE, sample_weight=True),
    *_pair("huber", "Huber", "huber", _huber, XY, "delta=delta", kind="composed", params=("delta",),
           note="computed in floatx() (float32) whatever the input dtype. " + ELEMENTWISE_NOTE, sample_weight=True),
    *_pair("smooth_l1", "Huber", "huber", _smooth_l1, XY, "delta=beta", "{} / beta", kind="composed",
           variant="delta=beta, divided by beta", params=("beta",),
           note="Huber(delta=beta) / beta, computed in floatx() (float32). " + ELEMENTWISE_NOTE),
    *_pair("poisson_nll", "Poisson", "poisson", _elementwise, XY, kind="composed", fixed={"log_input": False},
           conventions=(POISSON_EPS,), note="rates, not log-rates (log_input=False). " + ELEMENTWISE_NOTE),
    _binding("binary_cross_entropy", "BinaryCrossentropy", _bce(False), XY.replace("x", "p")
             + ", sample_weight=weight", "label_smoothing=ls", kind="composed", variant="from_logits=False",
             params=("weight", "label_smoothing"), conventions=(BCE_CLIP,), note=ELEMENTWISE_NOTE),
    _binding("binary_cross_entropy", "binary_crossentropy", _bce(False), XY.replace("x", "p"), "label_smoothing=ls",
             kind="composed", variant="from_logits=False", params=("label_smoothing",), conventions=(BCE_CLIP,),
             note=ELEMENTWISE_NOTE),
    _binding("binary_cross_entropy_with_logits", "BinaryCrossentropy", _bce(True),
             XY + ", sample_weight=weight", "from_logits=True, label_smoothing=ls", kind="composed",
             variant="from_logits=True", params=("weight", "label_smoothing"), note=ELEMENTWISE_NOTE),
    _binding("binary_cross_entropy_with_logits", "binary_crossentropy", _bce(True), XY,
             "from_logits=True, label_smoothing=ls", kind="composed", variant="from_logits=True",
             params=("label_smoothing",), note=ELEMENTWISE_NOTE),
    *_pair("sigmoid_focal", "BinaryFocalCrossentropy", "binary_focal_crossentropy", _focal, XY,
           "apply_class_balancing=alpha is not None, alpha=alpha, gamma=gamma, from_logits=True", kind="composed",
           variant="from_logits=True", params=("alpha", "gamma"),
           note="from_logits=True: sigmoid cross entropy with logits times the focal factor, no clip (Keras 3 "
                f"clips; {BACKEND} binary_focal_crossentropy). " + ELEMENTWISE_NOTE),
    _binding("cross_entropy", "CategoricalCrossentropy", _cce(True), "onehot(y), moveaxis(x, 1, -1), sample_weight=m",
             "from_logits=True, label_smoothing=ls", "{}" + CCE_MASK, variant="from_logits=True", **CCE),
    _binding("cross_entropy", "categorical_crossentropy", _cce(True), "onehot(y), moveaxis(x, 1, -1)",
             "from_logits=True, label_smoothing=ls", "{} * m" + CCE_MASK, variant="from_logits=True", **CCE),
    _binding("cross_entropy", "CategoricalCrossentropy", _cce(False),
             "onehot(y), softmax(moveaxis(x, 1, -1)), sample_weight=m", "label_smoothing=ls", "{}" + CCE_MASK,
             variant="from_logits=False", conventions=(CCE_CLIP,), **CCE),
    _binding("cross_entropy", "categorical_crossentropy", _cce(False), "onehot(y), softmax(moveaxis(x, 1, -1))",
             "label_smoothing=ls", "{} * m" + CCE_MASK, variant="from_logits=False", conventions=(CCE_CLIP,), **CCE),
    *_pair("cross_entropy", "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", _scce(True),
           "y, moveaxis(x, 1, -1)", "from_logits=True, ignore_class=ignore_index", SCCE_MEAN,
           variant="from_logits=True", **SCCE),
    *_pair("cross_entropy", "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", _scce(False),
           "y, softmax(moveaxis(x, 1, -1))", "ignore_class=ignore_index", SCCE_MEAN, variant="from_logits=False",
           conventions=(SCCE_CLIP,), **SCCE),
    *_pair("kl_div", "KLDivergence", "kl_divergence", _kl, "t[..., None], exp(x)[..., None]",
           wrap="{}  (batchmean: t.reshape(N, -1), exp(x).reshape(N, -1) with reduction='sum_over_batch_size')",
           kind="composed", reductions=("none", "mean", "sum", "batchmean"), conventions=(KL_CLIP,),
           note="Keras takes probabilities: fed exp(input)."),
    *_pair("hinge", "Hinge", "hinge", _hinge, "y[:, None], f[:, None]", kind="composed", variant="binary",
           note="binary only; y in {-1, 1}."),
    *_pair("hinge", "CategoricalHinge", "categorical_hinge", _categorical_hinge,
           "onehot(y), f - stop_gradient(f.min(axis=-1, keepdims=True)) + 1", kind="composed",
           variant="scores shifted to >= 0",
           note="neg = max_c (1 - onehot_c) f_c is 0 when every rival score is negative; the shift (the hinge is "
                "shift-invariant) makes it max_{c != y} f_c, the Crammer-Singer hinge."),
    *_pair("cosine_embedding", "CosineSimilarity", "cosine_similarity", _cosine, "x2, x1",
           wrap="1 + {}  (y = 1 only; sum: N + the sum)", kind="composed", variant="1 + loss, y = 1",
           params=("margin",),
           note="Keras returns -cos (tf.linalg.l2_normalize floors each squared norm at 1e-12); 1 + it is the "
                "y = 1 branch (margin only enters y = -1)."),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

MAPE_PERCENT = Convention(
    {"scale": 100.0, "eps": EPS},
    "Keras 2's MAPE is a percentage, 100 |d| / max(|y|, 1e-7): scale 100, and the backend epsilon floors the "
    "divisor, so y = 0 gives 1e9 |d| where the definition gives inf (or NaN at d = 0).",
    f"{SRC} mean_absolute_percentage_error")
MSLE_CLIP = Convention(
    {"clip_min": EPS},
    "Keras 2 raises x and y to max(., 1e-7) before log(. + 1): values at or below 0 (and below -1, where log1p is "
    "undefined) count as 1e-7, and their gradient is 0.", f"{SRC} mean_squared_logarithmic_error")
FOCAL_CLIP = Convention(
    {"clip_eps": EPS},
    "Keras 2 normalizes p / sum(p) and clips it to [1e-7, 1 - 1e-7] before the log and the modulating factor (after "
    "its softmax when from_logits): a saturated softmax gives -log(1e-7) and no gradient.",
    f"{BACKEND} categorical_focal_crossentropy")


def _squared_hinge(name, f, y, reduction):
    return _elementwise(name, f, tf.cast(y, f.dtype), reduction)


def _softmax_focal(from_logits):
    def call(name, x, t, reduction, alpha=0.25, gamma=2.0, label_smoothing=0.0):
        z = _class_last(x) if from_logits else _probabilities(_class_last(x))
        return _keras(name, _class_last(t), z, reduction, alpha=alpha, gamma=gamma, from_logits=from_logits,
                      label_smoothing=label_smoothing)

    return call


BINDINGS += [
    *_pair("log_cosh", "LogCosh", "log_cosh", _elementwise, XY, kind="composed", note=ELEMENTWISE_NOTE),
    *_pair("mape", "MeanAbsolutePercentageError", "mean_absolute_percentage_error", _elementwise, XY,
           kind="composed", conventions=(MAPE_PERCENT,), note=ELEMENTWISE_NOTE),
    *_pair("msle", "MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", _elementwise, XY,
           kind="composed", conventions=(MSLE_CLIP,), note=ELEMENTWISE_NOTE),
    *_pair("squared_hinge", "SquaredHinge", "squared_hinge", _squared_hinge, XY, kind="composed",
           note="y in {-1, 1} as floats (Keras 2 maps an all-{0, 1} batch to {-1, 1}). " + ELEMENTWISE_NOTE),
    *(b for logits in (True, False) for b in _pair(
        "softmax_focal", "CategoricalFocalCrossentropy", "categorical_focal_crossentropy", _softmax_focal(logits),
        f"moveaxis(q, 1, -1), {'moveaxis(x, 1, -1)' if logits else 'softmax(moveaxis(x, 1, -1))'}",
        f"alpha=alpha, gamma=gamma, label_smoothing=ls, from_logits={logits}", kind="composed",
        variant=f"from_logits={logits}", params=("alpha", "gamma", "label_smoothing"), conventions=(FOCAL_CLIP,),
        note="class axis moved last; alpha a scalar or one per class.")),
]

# ---------------------------------------------------------------- not bound, or something else

DIFFERENT_DEFINITIONS = [
    DifferentDefinition(
        "hinge", "tf_keras.losses.CategoricalHinge",
        "max(0, 1 + neg - pos) with neg = max_c (1 - onehot_c) f_c: 0, not max_{c != y} f_c, when every rival "
        "score is negative (the bound composition shifts the scores first).", f"{SRC} categorical_hinge"),
    DifferentDefinition(
        "cosine_embedding", "tf_keras.losses.CosineSimilarity",
        "returns -cos(y_true, y_pred), a similarity, not 1 - cos nor the y = -1 margin branch.",
        f"{SRC} cosine_similarity"),
    DifferentDefinition(
        "hinge", "tf_keras.losses.Hinge",
        "on (N, C) scores, the mean over columns of binary hinges (one-vs-all), not the multiclass hinge.",
        f"{SRC} hinge"),
]

# Aliases: the same function object under another name (tests/test_adapters_tf_keras.py checks ``is``).
ALIASES = {"MSE": "mean_squared_error", "mse": "mean_squared_error", "MAE": "mean_absolute_error",
           "mae": "mean_absolute_error", "KLD": "kl_divergence", "kld": "kl_divergence",
           "kullback_leibler_divergence": "kl_divergence", "MAPE": "mean_absolute_percentage_error",
           "mape": "mean_absolute_percentage_error", "MSLE": "mean_squared_logarithmic_error",
           "msle": "mean_squared_logarithmic_error", "logcosh": "log_cosh"}
_NOT_A_LOSS = "not a loss: the base class, reduction enum or (de)serialization helper of tf_keras.losses"
UNBOUND = {
    **{f"tf_keras.losses.{n}": _NOT_A_LOSS for n in ("Loss", "Reduction", "get", "serialize", "deserialize")},
    **{f"tf_keras.losses.{a}": f"alias: the same function object as tf_keras.losses.{f}" for a, f in ALIASES.items()},
}

# Public parameters of bound APIs that no binding sets ("*": of every API here), with why
# (tests/test_adapters_tf_keras.py fails on any other parameter no case sets): Keras 3's reasons.
UNEXERCISED = {
    "*": {"name": keras.NAME, "sample_weight": keras.SAMPLE_WEIGHT},
    **{f"tf_keras.losses.{api}": {"axis": keras.AXIS} for api in (
        "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "CosineSimilarity",
        "binary_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy", "cosine_similarity",
        "sparse_categorical_crossentropy")},
    **{f"tf_keras.losses.{api}": {"axis": keras.AXIS, "label_smoothing": keras.UNEXERCISED[
        f"keras.losses.{api}"]["label_smoothing"]} for api in ("BinaryFocalCrossentropy", "binary_focal_crossentropy")},
}
