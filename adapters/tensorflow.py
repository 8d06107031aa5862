"""TensorFlow and Keras 3 (TF backend): tf.nn ops and keras.losses classes and functions.

Versions read: tensorflow 2.21.0, keras 3.15.1 (``tf.keras.losses.X is keras.losses.X``).

Mapping rules used throughout:
- Keras takes ``(y_true, y_pred)`` and the class axis last: ``fn`` swaps and moves axes.
- Keras loss *classes* compute in ``keras.backend.floatx()`` (float32) unless given
  ``dtype``: every class binding passes ``dtype=<the input dtype>``.  Without it a
  float64 input is cast to float32 (``Loss.__call__`` converts both tensors with
  ``dtype=self.dtype``, keras/src/losses/loss.py) and the value has float32 accuracy.
  Loss *functions* (``keras.losses.mean_squared_error``) compute in the input dtype.
- Keras functions average (or sum) over the last axis, and ``"sum_over_batch_size"`` divides
  the sum of those per-sample values by their count.  For element-wise reference losses the
  binding feeds ``x[..., None]`` so that the last-axis mean is over one element: the result
  is element-wise and "none"/"mean"/"sum" map exactly (kind "composed").  Keras reductions:
  none -> "none", mean -> "sum_over_batch_size", sum -> "sum"; a function's result is
  reduced with ``tf.reduce_mean`` / ``tf.reduce_sum``.
- tf.nn ops return the unreduced loss; "mean"/"sum" are ``tf.reduce_mean``/``tf.reduce_sum``
  (the user's ordinary reduction, which does not make a binding "composed").
- ``keras.backend.epsilon()`` is 1e-7; it is the eps of every Keras clip below.
"""

from __future__ import annotations

import numpy as np

from ._core import Binding, DifferentDefinition, Framework, Unsupported, lazy

tf = lazy("tensorflow")
keras = lazy("keras")

KERAS_EPS = 1e-7  # keras.backend.epsilon() default (keras/src/backend/config.py)
KERAS_REDUCTION = {"none": "none", "mean": "sum_over_batch_size", "sum": "sum"}
KERAS_SRC = "keras 3.15.1 keras/src/losses/losses.py"
KERAS_TF_NN = "keras 3.15.1 keras/src/backend/tensorflow/nn.py"


class TensorFlow(Framework):
    name = "tensorflow"
    module = "tensorflow"

    def version(self):
        return {"tensorflow": tf.__version__, "keras": keras.__version__}

    def _call(self, binding, arrays, dtype, reduction, params):
        tensors = [tf.constant(a, dtype=dtype if np.asarray(a).dtype.kind == "f" else tf.int64) for a in arrays]
        params = {k: tf.constant(v, dtype=dtype) if isinstance(v, np.ndarray) else v for k, v in params.items()}
        return tensors, params

    def value(self, binding, arrays, dtype, reduction, params):
        tensors, params = self._call(binding, arrays, dtype, reduction, params)
        return np.asarray(binding.fn(*tensors, reduction=reduction, **params).numpy(), dtype=np.float64)

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        from reference import LOSSES

        loss = LOSSES[binding.loss]
        names = loss.differentiable if binding.differentiable is None else binding.differentiable
        tensors, params = self._call(binding, arrays, dtype, reduction, params)
        watched = [tensors[loss.inputs.index(n)] for n in names]
        with tf.GradientTape() as tape:
            for t in watched:
                tape.watch(t)
            out = binding.fn(*tensors, reduction=reduction, **params)
            total = tf.reduce_sum(tf.constant(cotangent, dtype=out.dtype) * out)
        grads = tape.gradient(total, watched, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return {n: np.asarray(g.numpy(), dtype=np.float64) for n, g in zip(names, grads, strict=True)}


FRAMEWORK = TensorFlow()


# ---------------------------------------------------------------- helpers


def _reduce(v, reduction):
    return {"none": lambda t: t, "mean": tf.reduce_mean, "sum": tf.reduce_sum}[reduction](v)


def _keras(name, y_true, y_pred, reduction, sample_weight=None, keras_reduction=None, **kw):
    """keras.losses.<name>: a class (instantiated with the input dtype) or a function (then reduced)."""
    obj = getattr(keras.losses, name)
    if name[0].isupper():
        loss = obj(reduction=keras_reduction or KERAS_REDUCTION[reduction], dtype=y_pred.dtype.name, **kw)
        return loss(y_true, y_pred, sample_weight=sample_weight)
    v = obj(y_true, y_pred, **kw)
    return _reduce(v if sample_weight is None else v * sample_weight, reduction)


def _last(x):
    return x[..., None]


def _class_last(x):
    """(N, C, d1, ...) -> (N, d1, ..., C)."""
    return tf.experimental.numpy.moveaxis(x, 1, -1) if x.shape.rank > 2 else x


def _index_or_probs(x, target):
    """Probability targets with the class axis last: one-hot of index targets, or the given probabilities.
    An index outside [0, C) (ignore_index = -100) one-hot encodes to a zero row (tf.one_hot's documented
    off-value); the callers zero-weight ignored targets in any case (see _over_valid)."""
    if target.dtype.is_integer:
        return tf.one_hot(target, x.shape[1], axis=-1, dtype=x.dtype)
    return _class_last(target)


def _valid(target, ignore_index, dtype):
    """The zero-weight mask of ignore_index: 1 where the target is a class, 0 where it equals ignore_index."""
    return tf.cast(tf.not_equal(target, ignore_index), dtype)


def _over_valid(loss, valid, reduction):
    """ignore_index by composition, for APIs without it.  ``loss(r)`` is the framework's loss with the ignored
    positions zero-weighted, reduced with ``r``; "mean" is its sum over the number of valid targets (the
    reference's denominator; 0 / 0 = NaN when every target is ignored), not over all positions."""
    return loss("sum") / tf.reduce_sum(valid) if reduction == "mean" else loss(reduction)


BINDINGS: list[Binding] = []


def bind(loss, api, fn, expression, **kw):
    BINDINGS.append(Binding(loss=loss, framework="tensorflow", api=api, fn=fn, expression=expression, **kw))


def bind_keras(loss, cls, func, call, args, kwargs="", wrap="{}", **kw):
    """One binding for ``keras.losses.<cls>`` and one for ``keras.losses.<func>`` (either may be None).

    ``call(name, *tensors, reduction, **params)`` maps the canonical arrays onto the API; the
    expression is ``wrap`` around ``Cls(kwargs, dtype=dtype)(args)`` or ``func(args, kwargs)``."""
    for name in (n for n in (cls, func) if n):
        def fn(*a, _name=name, **p):
            return call(_name, *a, **p)

        if name[0].isupper():
            expr = f"keras.losses.{name}({', '.join(filter(None, [kwargs, 'dtype=dtype']))})({args})"
        else:
            expr = f"keras.losses.{name}({', '.join(filter(None, [args, kwargs]))})"
        bind(loss, f"keras.losses.{name}", fn, wrap.format(expr), **kw)


# ---------------------------------------------------------------- regression


XY = "y[..., None], x[..., None]"


def _elementwise(name, x, y, reduction, **kw):
    return _keras(name, _last(y), _last(x), reduction, **kw)


ELEMENTWISE_NOTE = ("fed x[..., None] so that Keras's mean over the last axis is over one element and the "
                    "result is element-wise; on 2-D inputs the plain call with 'sum_over_batch_size' gives the "
                    "same mean (equal-length rows), but its 'none' is per row and its 'sum' is sum / last dim.")

bind_keras("mse", "MeanSquaredError", "mean_squared_error", _elementwise, XY, kind="composed", note=ELEMENTWISE_NOTE)
bind_keras("l1", "MeanAbsoluteError", "mean_absolute_error", _elementwise, XY, kind="composed", note=ELEMENTWISE_NOTE)
bind_keras("huber", "Huber", "huber", lambda n, x, y, reduction, delta=1.0: _elementwise(n, x, y, reduction,
                                                                                          delta=delta),
           XY, "delta=delta", kind="composed", params=("delta",), note=ELEMENTWISE_NOTE)


def _smooth_l1(name, x, y, reduction, beta=1.0):
    if beta == 0:
        raise Unsupported("beta = 0 (l1): Huber(delta=0) / 0 is undefined")
    return _elementwise(name, x, y, reduction, delta=beta) / tf.constant(beta, x.dtype)


bind_keras("smooth_l1", "Huber", "huber", _smooth_l1, XY, "delta=beta", "{} / beta", kind="composed",
           variant="delta=beta, divided by beta", params=("beta",),
           note="0.5 d^2 / beta inside |d| <= beta, |d| - beta / 2 outside: Huber(delta=beta) / beta. "
                + ELEMENTWISE_NOTE)

bind_keras("poisson_nll", "Poisson", "poisson", _elementwise, XY, kind="composed",
           fixed={"log_input": False}, conventions={"eps": KERAS_EPS},
           note=f"x - y log(x + 1e-7): rates, not log-rates, with eps = keras.backend.epsilon() ({KERAS_SRC} "
                "poisson). " + ELEMENTWISE_NOTE)


def _log_poisson(x, y, reduction, full=False):
    return _reduce(tf.nn.log_poisson_loss(y, x, compute_full_loss=full), reduction)


bind("poisson_nll", "tf.nn.log_poisson_loss", _log_poisson,
     "tf.nn.log_poisson_loss(targets=y, log_input=x, compute_full_loss=full)", params=("full",),
     note="exp(x) - y x; the Stirling term is added where y is outside [0, 1] (the reference: y > 1).")


def _l2_loss(x, y, reduction):
    total = 2 * tf.nn.l2_loss(x - y)
    return total if reduction == "sum" else total / tf.cast(tf.size(x), x.dtype)


bind("mse", "tf.nn.l2_loss", _l2_loss, "2 * tf.nn.l2_loss(x - y)  (mean: / x.size)", kind="composed",
     reductions=("mean", "sum"), note="tf.nn.l2_loss(t) = sum(t^2) / 2: one scalar, so no 'none'.")


# ---------------------------------------------------------------- binary cross entropy


def _weights(weight, x):
    return None if weight is None else tf.broadcast_to(weight, tf.shape(x))


def _bce(from_logits):
    def call(name, x, y, reduction, weight=None, label_smoothing=0.0, **_):
        return _keras(name, _last(y), _last(x), reduction, sample_weight=_weights(weight, x),
                      from_logits=from_logits, label_smoothing=label_smoothing)

    return call


for cls, func in (("BinaryCrossentropy", None), (None, "binary_crossentropy")):
    params = ("weight", "label_smoothing") if cls else ("label_smoothing",)
    weighted = "" if func else ", sample_weight=weight"
    bind_keras("binary_cross_entropy", cls, func, _bce(False),
               XY.replace("x[", "p[") + weighted, "label_smoothing=ls", kind="composed",
               variant="from_logits=False", params=params, conventions={"clip_eps": KERAS_EPS},
               note=f"p clipped to [1e-7, 1 - 1e-7], then y log p + (1 - y) log(1 - p) with no eps inside the log "
                    f"({KERAS_TF_NN} binary_crossentropy; Keras 2 added eps inside the log). In float32 1 - 1e-7 "
                    "rounds to 1 - 2^-23. " + ELEMENTWISE_NOTE)
    bind_keras("binary_cross_entropy_with_logits", cls, func, _bce(True),
               XY + weighted, "from_logits=True, label_smoothing=ls", kind="composed",
               variant="from_logits=True", params=params,
               note="tf.nn.sigmoid_cross_entropy_with_logits inside. " + ELEMENTWISE_NOTE)
# Only the class takes sample_weight; the function binding's "weight" would be a multiplication, so it has none.


def _sigmoid_ce(x, y, reduction):
    return _reduce(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x), reduction)


bind("binary_cross_entropy_with_logits", "tf.nn.sigmoid_cross_entropy_with_logits", _sigmoid_ce,
     "tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)")


def _weighted_ce(x, y, reduction, pos_weight=None):
    pw = tf.constant(1.0, x.dtype) if pos_weight is None else pos_weight
    return _reduce(tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=x, pos_weight=pw), reduction)


bind("binary_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits", _weighted_ce,
     "tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=x, pos_weight=pos_weight)", params=("pos_weight",))


def _focal(name, x, y, reduction, alpha=0.25, gamma=2.0):
    kw = {"apply_class_balancing": alpha is not None, "alpha": 0.25 if alpha is None else alpha, "gamma": gamma}
    return _keras(name, _last(y), _last(x), reduction, from_logits=True, **kw)


bind_keras("sigmoid_focal", "BinaryFocalCrossentropy", "binary_focal_crossentropy", _focal,
           XY, "apply_class_balancing=alpha is not None, alpha=alpha, gamma=gamma, from_logits=True",
           kind="composed", variant="from_logits=True", params=("alpha", "gamma"),
           note="p = sigmoid(x), then log of p clipped to [1e-7, 1 - 1e-7] (the focal factor uses the unclipped p): "
                f"{KERAS_SRC} binary_focal_crossentropy.  The reference has no clip parameter for sigmoid_focal, so "
                "where p_t < 1e-7 or > 1 - 1e-7 (|x| > ~16) Keras differs.  from_logits=False fed sigmoid(x) is "
                "the same computation.  " + ELEMENTWISE_NOTE)


# ---------------------------------------------------------------- cross entropy


def _cce(from_logits):
    def call(name, x, target, reduction, label_smoothing=0.0, ignore_index=-100):
        q = _index_or_probs(x, target)
        z = _class_last(x) if from_logits else tf.nn.softmax(_class_last(x), axis=-1)
        kw = {"from_logits": from_logits, "label_smoothing": label_smoothing}
        if not target.dtype.is_integer:
            return _keras(name, q, z, reduction, **kw)
        m = _valid(target, ignore_index, x.dtype)  # the class zero-weights with sample_weight, the function is * m
        return _over_valid(lambda r: _keras(name, q, z, r, sample_weight=m, **kw), m, reduction)

    return call


IGNORE_NOTE = ("ignore_index by composition: m = (y != ignore_index) zero-weights the ignored positions' losses, "
               "and 'mean' is the masked sum over sum(m), the reference's mean (NaN when every target is ignored).")
CCE_NOTE = ("class axis moved last; index targets one-hot encoded and masked (probability targets: the plain call). "
            + IGNORE_NOTE + "  Label smoothing uses the size of the *last* axis as the class count, so calling with "
            "axis=1 on (N, C, d) inputs would smooth with 1/d.")
CCE_MASK = "  (m = y != ignore_index; mean: {} / sum(m); probability targets: q for onehot(y), no m)"
for logits in (True, False):
    z = "moveaxis(x, 1, -1)" if logits else "softmax(moveaxis(x, 1, -1))"
    kwargs = "from_logits=True, label_smoothing=ls" if logits else "label_smoothing=ls"
    extra = {"conventions": {}} if logits else {"conventions": {"clip_eps": KERAS_EPS}}
    note = "" if logits else f"p / sum(p) then clip to [1e-7, 1 - 1e-7] ({KERAS_TF_NN} categorical_crossentropy). "
    common = dict(kind="composed", variant=f"from_logits={logits}", params=("label_smoothing", "ignore_index"),
                  note=note + CCE_NOTE, **extra)
    bind_keras("cross_entropy", "CategoricalCrossentropy", None, _cce(logits), f"onehot(y), {z}, sample_weight=m",
               kwargs, "{}" + CCE_MASK.format("reduction='sum'"), **common)
    bind_keras("cross_entropy", None, "categorical_crossentropy", _cce(logits), f"onehot(y), {z}", kwargs,
               "{} * m" + CCE_MASK.format("the sum"), **common)


def _scce(from_logits, weighted):
    def call(name, x, target, reduction, ignore_index=-100, weight=None):
        if not target.dtype.is_integer:
            raise Unsupported("probability targets: SparseCategoricalCrossentropy takes class indices")
        z = _class_last(x) if from_logits else tf.nn.softmax(_class_last(x), axis=-1)
        kw = {"from_logits": from_logits, "ignore_class": ignore_index}
        if name[0].islower():  # the function zeroes ignored targets; its mask is for a Loss class, so the mean is ours
            m = _valid(target, ignore_index, x.dtype)
            return _over_valid(lambda r: _keras(name, target, z, r, **kw), m, reduction)
        if not weighted or weight is None:
            return _keras(name, target, z, reduction, **kw)
        valid = tf.not_equal(target, ignore_index)
        sw = tf.gather(weight, tf.where(valid, target, tf.zeros_like(target)))
        kr = {"none": "none", "mean": "mean_with_sample_weight", "sum": "sum"}[reduction]
        return _keras(name, target, z, reduction, sample_weight=sw, keras_reduction=kr, **kw)

    return call


def _scce_weighted(from_logits):
    call = _scce(from_logits, True)
    return lambda *a, **p: call("SparseCategoricalCrossentropy", *a, **p)


SCCE_NOTE = ("class axis moved last; both forms take ignore_class and give ignored targets a zero loss.  The class's "
             "Keras mask makes 'sum_over_batch_size' divide by the number of non-ignored targets, as the reference's "
             "mean; the function's result carries that mask but tf.reduce_mean does not read it, so its mean is "
             "composed: the sum over sum(y != ignore_index) (NaN when every target is ignored).")
for logits in (True, False):
    conv = {} if logits else {"clip_eps": KERAS_EPS}
    extra = "" if logits else (
        f" p is clipped to [1e-7, 1 - 1e-7] and then log-softmaxed again ({KERAS_TF_NN} "
        "sparse_categorical_crossentropy): -log clip(p_y) + log sum_c clip(p_c).  The reference's clip_eps has no "
        "renormalization, so Keras differs from it wherever a probability is clipped.")
    z = "moveaxis(x, 1, -1)" if logits else "softmax(moveaxis(x, 1, -1))"
    kind = "direct" if logits else "composed"
    bind_keras("cross_entropy", "SparseCategoricalCrossentropy", None, _scce(logits, False), f"y, {z}",
               f"from_logits={logits}, ignore_class=ignore_index", kind=kind, variant=f"from_logits={logits}",
               params=("ignore_index",), conventions=conv, note=SCCE_NOTE + extra)
    bind_keras("cross_entropy", None, "sparse_categorical_crossentropy", _scce(logits, False), f"y, {z}",
               f"from_logits={logits}, ignore_class=ignore_index", "{}  (mean: the sum / sum(y != ignore_index))",
               kind="composed", variant=f"from_logits={logits}", params=("ignore_index",), conventions=conv,
               note=SCCE_NOTE + extra)
    bind("cross_entropy", "keras.losses.SparseCategoricalCrossentropy", _scce_weighted(logits),
         f"keras.losses.SparseCategoricalCrossentropy(from_logits={logits}, ignore_class=ignore_index, "
         f"reduction='mean_with_sample_weight', dtype=dtype)(y, {z}, sample_weight=weight[y])", kind="composed",
         variant=f"from_logits={logits}, sample_weight=weight[y]", params=("ignore_index", "weight"),
         conventions=conv, note="class weights as per-sample weights weight[y]; 'mean_with_sample_weight' divides "
                                "by their sum over non-ignored targets, the reference's weighted mean. " + extra)


def _softmax_ce(x, target, reduction, ignore_index=-100):
    if not target.dtype.is_integer:
        return _reduce(tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=x, axis=1), reduction)
    q = tf.one_hot(target, x.shape[1], axis=1, dtype=x.dtype)
    m = _valid(target, ignore_index, x.dtype)
    return _over_valid(lambda r: _reduce(tf.nn.softmax_cross_entropy_with_logits(labels=q, logits=x, axis=1) * m, r),
                       m, reduction)


bind("cross_entropy", "tf.nn.softmax_cross_entropy_with_logits", _softmax_ce,
     "tf.nn.softmax_cross_entropy_with_logits(labels=onehot(y), logits=x, axis=1) * m  (m = y != ignore_index; "
     "mean: the sum / sum(m); probability targets q: labels=q, no m)", kind="composed", params=("ignore_index",),
     note="index targets one-hot encoded. " + IGNORE_NOTE)


def _sparse_softmax_ce(x, target, reduction, ignore_index=-100):
    if not target.dtype.is_integer:
        raise Unsupported("probability targets: the sparse op takes class indices")
    m = _valid(target, ignore_index, x.dtype)
    y = tf.where(m > 0, target, tf.zeros_like(target))  # the op rejects labels outside [0, C) (CPU)
    return _over_valid(lambda r: _reduce(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=_class_last(x)) * m, r), m, reduction)


bind("cross_entropy", "tf.nn.sparse_softmax_cross_entropy_with_logits", _sparse_softmax_ce,
     "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=where(m, y, 0), logits=moveaxis(x, 1, -1)) * m  "
     "(m = y != ignore_index; mean: the sum / sum(m))", kind="composed", params=("ignore_index",),
     note="class axis moved last; ignored labels replaced by class 0 before the op, which rejects labels outside "
          "[0, C) on CPU (and returns NaN for them on GPU), then masked. " + IGNORE_NOTE)


# ---------------------------------------------------------------- kl_div


def _kl(name, x, t, reduction):
    if reduction == "batchmean":  # the natural Keras call: sum over the row, mean over the batch
        n = x.shape[0]
        return _keras(name, tf.reshape(t, (n, -1)), tf.reshape(tf.exp(x), (n, -1)), "mean")
    return _keras(name, _last(t), _last(tf.exp(x)), reduction)


bind_keras("kl_div", "KLDivergence", "kl_divergence", _kl, "t[..., None], exp(x)[..., None]", wrap="{}  (batchmean: "
           "t.reshape(N, -1), exp(x).reshape(N, -1) with reduction='sum_over_batch_size')", kind="composed",
           reductions=("none", "mean", "sum", "batchmean"), conventions={"clip_eps": KERAS_EPS},
           note="Keras takes probabilities: fed exp(input); both clipped to [1e-7, 1], so a zero target "
                f"contributes 1e-7 log(1e-7 / q) ({KERAS_SRC} kl_divergence).")


# ---------------------------------------------------------------- hinge


def _hinge(name, f, y, reduction):
    if f.shape.rank != 1:
        raise Unsupported("multiclass scores: Hinge is one-vs-all per column (see CategoricalHinge)")
    return _keras(name, _last(tf.cast(y, f.dtype)), _last(f), reduction)


bind_keras("hinge", "Hinge", "hinge", _hinge, "y[:, None], f[:, None]", kind="composed", variant="binary",
           note="binary only; y in {-1, 1} (Keras maps {0, 1} labels to {-1, 1} when every label is 0 or 1).")


def _categorical_hinge(name, f, y, reduction):
    if f.shape.rank != 2:
        raise Unsupported("binary scores: see Hinge")
    # shift-invariant, so the shift is a constant (no gradient through a tied min); + 1 keeps every score above
    # the 0 that Keras puts at the true class, so that 0 never ties the rivals' max
    shifted = f - tf.stop_gradient(tf.reduce_min(f, axis=-1, keepdims=True)) + 1
    return _keras(name, tf.one_hot(y, f.shape[1], dtype=f.dtype), shifted, reduction)


bind_keras("hinge", "CategoricalHinge", "categorical_hinge", _categorical_hinge,
           "onehot(y), f - stop_gradient(f.min(axis=-1, keepdims=True)) + 1", kind="composed",
           variant="scores shifted to >= 0",
           note="Keras takes neg = max_c (1 - onehot_c) f_c, which is 0 (the zeroed true class) when every other "
                "score is negative; shifting each row to be >= 1 makes it max_{c != y} f_c, and the hinge is "
                "shift-invariant, so this is Crammer-Singer exactly (up to the rounding of the shift).")


# ---------------------------------------------------------------- embedding, segmentation


def _cosine(name, x1, x2, y, reduction, margin=0.0):
    if np.any(y.numpy() != 1):
        raise Unsupported("y = -1 pairs: 1 + CosineSimilarity is the y = 1 branch only")
    ones = x1.shape[0] if reduction == "sum" else 1  # sum(1 - cos) = N + sum(-cos)
    return ones + _keras(name, x2, x1, reduction)


bind_keras("cosine_embedding", "CosineSimilarity", "cosine_similarity", _cosine, "x2, x1",
           wrap="1 + {}  (y = 1 only; sum: N + the sum)",
           kind="composed", variant="1 + loss, y = 1", params=("margin",),
           note="Keras returns -cos; 1 + it is the y = 1 branch (margin only enters y = -1).  Keras floors each "
                "norm at 1e-7 (keras.ops.normalize), the reference adds eps to each squared norm: they differ only "
                "for ||x|| < ~1e-7.")


def _dice(name, x, t, reduction):
    return _keras(name, t, x, reduction, axis=tuple(range(1, x.shape.rank)))


bind_keras("dice", "Dice", "dice", _dice, "t, p", "axis=(1, ..., ndim - 1)",
           fixed={"from_logits": False}, conventions={"smooth": 0.0, "eps": KERAS_EPS},
           note=f"1 - 2 sum(t p) / (sum t + sum p + 1e-7) per sample ({KERAS_SRC} dice): no smoothing, "
                "probabilities in.  axis=None (the default) pools the whole batch into one value.")


# ---------------------------------------------------------------- ctc


def _padded(targets, target_lengths):
    """(N, S) int32 labels, zero beyond each target length."""
    t, lengths = targets.numpy(), target_lengths.numpy()
    if t.ndim == 1:
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        t = [t[offsets[i]:offsets[i + 1]] for i in range(len(lengths))]
    s = max([int(n) for n in lengths] + [1])
    out = np.zeros((len(lengths), s), dtype=np.int32)
    for i, n in enumerate(lengths):
        out[i, :n] = t[i][:n]
    return tf.constant(out)


def _ctc_mean(v, target_lengths, reduction):
    if reduction == "mean":
        return tf.reduce_mean(v / tf.cast(tf.maximum(target_lengths, 1), v.dtype))
    return _reduce(v, reduction)


def _tf_ctc(lp, targets, input_lengths, target_lengths, reduction, blank=0):
    v = tf.nn.ctc_loss(labels=_padded(targets, target_lengths), logits=lp, label_length=target_lengths,
                       logit_length=input_lengths, logits_time_major=True, blank_index=blank)
    return _ctc_mean(v, target_lengths, reduction)


CTC_LOGITS = ("the op takes logits and applies log_softmax over the classes itself (convention log_softmax=True): "
              "fed normalized log-probabilities the value is the reference's, but the gradient is the one through "
              "that log_softmax (g - softmax(x) sum_c g), not w.r.t. free log_probs; unnormalized rows are "
              "renormalized.")
CTC_FLOAT64 = ("float64 logits raise InvalidArgumentError ('cannot compute Mul as input #1 was expected to be a "
               "double tensor but is a float tensor') in tensorflow 2.21.0 on CPU; Keras's ctc casts float64 to "
               "float32 before calling it.")
bind("ctc", "tf.nn.ctc_loss", _tf_ctc, "tf.nn.ctc_loss(labels=padded(y), logits=log_probs, label_length=S, "
     "logit_length=T, blank_index=blank)  (mean: reduce_mean(loss / max(S, 1)))", params=("blank",),
     conventions={"log_softmax": True},
     note="mean divides each sample by its target length (torch's convention), composed. " + CTC_LOGITS + " "
          + CTC_FLOAT64)

CTC_PAD = -1e4  # exp(-1e4) is 0 in float32 and float64: a padding frame emits the blank with probability 1


def _keras_ctc(name, lp, targets, input_lengths, target_lengths, reduction):
    steps, _, classes = lp.shape
    if np.any(input_lengths.numpy() > steps):
        raise Unsupported("input lengths beyond T: keras CTC takes no input lengths (it uses the full time axis)")
    # Frames past a sample's input length become certain blanks (logits 0 for blank 0, -1e4 elsewhere): every
    # alignment then ends in blanks there with probability 1, so p(target) is the one over the first T_n frames.
    real = tf.range(steps)[:, None, None] < tf.cast(input_lengths, tf.int32)[None, :, None]
    pad = tf.constant([0.0] + [CTC_PAD] * (classes - 1), dtype=lp.dtype)
    logits = tf.transpose(tf.where(real, lp, pad), (1, 0, 2))
    y = _padded(targets, target_lengths)
    if name[0].islower():
        return _ctc_mean(keras.losses.ctc(y, logits), target_lengths, reduction)
    sw = 1 / tf.cast(tf.maximum(target_lengths, 1), lp.dtype) if reduction == "mean" else None
    return _keras(name, y, logits, reduction, sample_weight=sw)


bind_keras("ctc", "CTC", "ctc", _keras_ctc, "padded(y), transpose(where(t < T_n, log_probs, blank_frame), (1, 0, 2))",
           wrap="{}  (mean: sample_weight=1 / max(S, 1), or reduce_mean(loss / max(S, 1)))", kind="composed",
           conventions={"log_softmax": True},
           note="blank = 0 and padding = 0 (mask_index).  Keras CTC takes no input lengths: frames past T_n are "
                "replaced by certain-blank frames (logits 0 for the blank, -1e4 for the rest), which leaves "
                "p(target) unchanged and gives them no gradient.  Float64 inputs are computed in float32 "
                f"({KERAS_TF_NN} ctc_loss casts float64 to float32 and back). " + CTC_LOGITS)


# ---------------------------------------------------------------- not bound, or something else

DIFFERENT_DEFINITIONS = [
    DifferentDefinition(
        "hinge", "tensorflow", "keras.losses.CategoricalHinge",
        "max(0, 1 + neg - pos) with neg = max_c (1 - onehot_c) f_c: when every non-target score is negative neg "
        "is 0, not max_{c != y} f_c, so it is not the Crammer-Singer hinge there (the bound composition shifts the "
        "scores to be >= 0 first).", f"{KERAS_SRC} categorical_hinge"),
    DifferentDefinition(
        "hinge", "tensorflow", "keras.losses.categorical_hinge", "the function form of CategoricalHinge (above).",
        f"{KERAS_SRC} categorical_hinge"),
    DifferentDefinition(
        "cosine_embedding", "tensorflow", "keras.losses.CosineSimilarity",
        "returns -cos(y_true, y_pred), a similarity in [-1, 1], not 1 - cos nor the y = -1 margin branch; "
        "1 + CosineSimilarity is bound for y = 1.", f"{KERAS_SRC} cosine_similarity"),
    DifferentDefinition(
        "hinge", "tensorflow", "keras.losses.Hinge",
        "on (N, C) scores it is the mean over columns of binary hinges max(0, 1 - y_c f_c) (one-vs-all), not "
        "the multiclass Crammer-Singer hinge; the binary (N,) form is bound.", f"{KERAS_SRC} hinge"),
]

_NOT_A_LOSS = "not a loss: the base class / (de)serialization helper of keras.losses"
UNBOUND = {
    "keras.losses.Loss": _NOT_A_LOSS,
    "keras.losses.get": _NOT_A_LOSS,
    "keras.losses.serialize": _NOT_A_LOSS,
    "keras.losses.deserialize": _NOT_A_LOSS,
    "keras.losses.LogCosh": "log(cosh(d)) is not a LOSSES.md loss",
    "keras.losses.log_cosh": "log(cosh(d)) is not a LOSSES.md loss",
    "keras.losses.MeanAbsolutePercentageError": "MAPE is not a LOSSES.md loss",
    "keras.losses.mean_absolute_percentage_error": "MAPE is not a LOSSES.md loss",
    "keras.losses.MeanSquaredLogarithmicError": "MSLE is not a LOSSES.md loss",
    "keras.losses.mean_squared_logarithmic_error": "MSLE is not a LOSSES.md loss",
    "keras.losses.SquaredHinge": "max(0, 1 - y f)^2 is not a LOSSES.md loss (modified_huber is linear below "
                                 "y f = -1)",
    "keras.losses.squared_hinge": "max(0, 1 - y f)^2 is not a LOSSES.md loss",
    "keras.losses.CategoricalFocalCrossentropy": "softmax focal loss is not a LOSSES.md loss (sigmoid_focal is "
                                                 "the binary one)",
    "keras.losses.categorical_focal_crossentropy": "softmax focal loss is not a LOSSES.md loss",
    "keras.losses.Tversky": "not a LOSSES.md loss (with alpha = beta = 0.5 it equals dice with smooth = 0, "
                            "eps = 2e-7, from_logits=False)",
    "keras.losses.tversky": "not a LOSSES.md loss (alpha = beta = 0.5 is dice, see Tversky)",
    "keras.losses.Circle": "circle loss (Sun et al. 2020) is not a LOSSES.md loss",
    "keras.losses.circle": "circle loss is not a LOSSES.md loss",
    "keras.losses.CategoricalGeneralizedCrossEntropy": "generalized cross entropy (1 - p^q) / q is not a LOSSES.md "
                                                       "loss",
    "keras.losses.categorical_generalized_cross_entropy": "generalized cross entropy is not a LOSSES.md loss",
    "tf.nn.nce_loss": "noise-contrastive estimation samples negative classes at random: not a LOSSES.md loss",
    "tf.nn.sampled_softmax_loss": "a sampled (random) approximation of softmax cross entropy over a weight matrix: "
                                  "not the reference's exact loss",
    "tf.nn.compute_average_loss": "a reduction helper (sum / global batch size), not a loss",
    "tf.nn.scale_regularization_loss": "a regularization-loss scaling helper, not a loss",
}
