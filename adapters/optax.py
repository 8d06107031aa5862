"""JAX and optax: the optax.losses functions, and the JAX primitives (jnp arrays, jax.vjp) the jax stacks run on.

Version read: optax 0.2.8 (optax/losses/*.py) with jax 0.10.2.  Float64 needs x64, which ``Jax.context`` enables
before the first array.  optax's losses return the unreduced loss (per element, or per row where they sum over the
last axis); "mean" / "sum" are ``jnp.mean`` / ``jnp.sum``.  Mapping rules: the class axis last (optax's axis=-1),
{-1, 1} labels as they are; each binding passes the reference's default for a parameter whose optax default
differs (triplet_margin_loss's eps=1e-6 is passed as 0; sigmoid_focal_loss's alpha=None as the reference's 0.25).
The optax stack's calls are eager (``FRAMEWORK``); the optax-jit stack runs the same bindings on ``JITTED``, every call
compiled (JittedJax), as a train step runs them, and so does keras-jax.  On ordinary values jax.jit changes only the
last bits (the rounding of a sum, a few float32 ulps of a value; log_cosh's float32 gradient by up to 8 ulps, its
fused tanh), but at an infinite or NaN score it changes the answer (multiclass_perceptron_loss:
tests/test_adapters_optax.py test_jit_changes_the_answer_at_an_infinite_score; conformance/divergences/optax_jit.py).
"""

from __future__ import annotations

import types

import numpy as np

from . import _mappings
from ._core import Binding, Convention, Framework, Unsupported, grad_inputs, lazy, replaced

jax = lazy("jax")
jnp = lazy("jax.numpy")
losses = lazy("optax.losses")

SRC = "optax 0.2.8 optax/losses/_classification.py"

_initialized = False


def _device(name):
    """The first JAX device of that kind ("cuda" is JAX's "gpu" platform)."""
    return jax.devices("gpu" if name == "cuda" else name)[0]


class Jax(Framework):
    module = "jax"

    def context(self):
        global _initialized
        if not _initialized:
            jax.config.update("jax_enable_x64", True)  # float64 arrays stay float64 (JAX's default is 32-bit)
            _initialized = True
        device = _device(self.device)  # where the arrays a binding makes go (JAX's default costs nothing)
        return super().context() if device == jax.devices()[0] else jax.default_device(device)

    def to_tensor(self, array, dtype, device="cpu"):
        array, device = np.asarray(array, dtype=dtype), _device(device)
        return jnp.asarray(array) if device == jax.devices()[0] else jax.device_put(array, device)

    def devices(self):
        try:
            return ("cpu", "cuda") if jax.devices("gpu") else ("cpu",)
        except RuntimeError:  # no GPU backend in this jaxlib, or no GPU
            return ("cpu",)

    def to_numpy(self, tensor):
        return np.asarray(tensor, dtype=np.float64)

    def vjp(self, fn, primals, cotangent):
        out, pullback = jax.vjp(fn, *primals)
        cot = jnp.ones_like(out) if cotangent is None else jnp.broadcast_to(jnp.asarray(cotangent, out.dtype),
                                                                             out.shape)
        return out, list(pullback(cot))


class JittedJax(Jax):
    """The same primitives with every call under ``jax.jit``, as Keras runs a loss on JAX: ``Model.fit`` compiles
    the loss and its gradient as one train step (``jit_compile="auto"`` is True on JAX, keras 3.15.1
    keras/src/trainers/trainer.py ``_resolve_auto_jit_compile``).

    Compiling is what costs here (~0.3 s a program), so one program serves a case's value and gradient at every
    reduction: it computes the loss at each reduction and the pullback of each through ``jax.vjp`` (separate
    pullbacks: no reduction's gradient reaches another's), and a cell reads its own (a value check passes zero
    cotangents).  The float inputs are traced; the integer ones (labels, lengths) and the parameters are constants,
    as the bindings read them as numbers.  One program per binding, parameters and constants; jax.jit keeps one
    compilation per shape and dtype.  Eager JAX compiles every op apart for each new shape (~10x the cost); a
    binding that reads a float input as a number runs eagerly all the same."""

    def __init__(self):
        self._programs = {}

    def value(self, binding, arrays, dtype, reduction, params):
        out = self._run(binding, arrays, dtype, reduction, params, None)
        return super().value(binding, arrays, dtype, reduction, params) if out is EAGER else self.to_numpy(out[0])

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        out = self._run(binding, arrays, dtype, reduction, params, cotangent)
        if out is EAGER:
            return super().grad(binding, arrays, dtype, reduction, params, cotangent)
        return {n: self.to_numpy(g) for n, g in zip(grad_inputs(binding)[0], out[1], strict=True)}

    def _run(self, binding, arrays, dtype, reduction, params, cotangent):
        """(loss, grads) at ``reduction`` from the binding's compiled program, or EAGER where it cannot be traced."""
        arrays = [np.asarray(a) for a in arrays]
        traced = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
        wrt = [traced.index(i) for i in grad_inputs(binding)[1]]
        key = (binding.id, dtype, tuple(_frozen(a) for i, a in enumerate(arrays) if i not in traced),
               tuple((k, _frozen(v) if isinstance(v, np.ndarray) else repr(v)) for k, v in sorted(params.items())))
        with self.context():
            program = self._programs.get(key)
            if program is None:
                program = self._programs[key] = self._program(binding, arrays, dtype, binding.reductions, params,
                                                              traced, wrt)
            if program is EAGER:
                return EAGER
            given = [self._convert(arrays[i], dtype) for i in traced]
            try:
                shapes = program.shapes(given)
            except (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                    jax.errors.TracerIntegerConversionError):  # the binding reads a traced input as a number
                self._programs[key] = EAGER
                return EAGER
            except Exception:  # a reduction the case cannot take (it raises there): this reduction's own program
                if len(program.reductions) == 1:
                    raise
                if (*key, reduction) not in self._programs:
                    self._programs[(*key, reduction)] = self._program(binding, arrays, dtype, (reduction,), params,
                                                                      traced, wrt)
                program = self._programs[(*key, reduction)]
                shapes = program.shapes(given)
            r = program.reductions.index(reduction)
            cots = [np.zeros(shape, dtype) for shape in shapes]
            if cotangent is not None:
                cots[r] = np.broadcast_to(np.asarray(cotangent, dtype), shapes[r])
            try:
                outs, grads = program.vjp([jnp.asarray(c) for c in cots], *given)
            except Exception:
                if cotangent is not None:
                    raise
                return program.value(*given)[r], None  # no gradient (it raises): the value alone
            return outs[r], grads[r]

    def _program(self, binding, arrays, dtype, reductions, params, traced, wrt):
        """The compiled calls of one binding on one set of constants: ``vjp`` (the losses at ``reductions`` and
        their gradients), ``value`` (the losses alone) and ``shapes`` (the losses' shapes, per input shapes)."""
        tensors, kw = self._tensors(arrays, dtype, params)

        def loss(reduction, *given):
            return binding.fn(*replaced(tensors, traced, given), reduction=reduction, **kw)

        def losses(*given):
            return [loss(r, *given) for r in reductions]

        def vjp(cots, *given):
            outs, grads = [], []
            for reduction, cot in zip(reductions, cots, strict=True):
                out, pullback = jax.vjp(lambda *primals, r=reduction: loss(r, *replaced(given, wrt, primals)),
                                        *[given[i] for i in wrt])
                outs.append(out)
                grads.append(pullback(cot.astype(out.dtype)))
            return outs, grads

        known = {}

        def shapes(given):
            at = tuple(g.shape for g in given)
            if at not in known:  # a trace, no compile
                known[at] = [s.shape for s in jax.eval_shape(losses, *given)]
            return known[at]

        return types.SimpleNamespace(reductions=tuple(reductions), vjp=jax.jit(vjp), value=jax.jit(losses),
                                     shapes=shapes)


EAGER = object()  # JittedJax's mark of a binding that runs eagerly


def _frozen(a):
    return a.dtype.str, a.shape, a.tobytes()


FRAMEWORK = Jax()
JITTED = JittedJax()


# ---------------------------------------------------------------- conventions

CTC_TAKES_LOGITS = Convention(
    {"log_softmax": True},
    "ctc_loss takes logits and applies jax.nn.log_softmax over the classes itself: fed normalized log-probabilities "
    "the value is the reference's, but the gradient is the one through that log_softmax, and unnormalized rows are "
    "renormalized.", f"{SRC} ctc_loss_with_forward_probs (logprobs = jax.nn.log_softmax(logits))")

# ---------------------------------------------------------------- helpers


def _reduce(v, reduction):
    return v if reduction == "none" else jnp.mean(v) if reduction == "mean" else jnp.sum(v)


def _last(x):
    return x[..., None]


def _class_last(x):
    return jnp.moveaxis(x, 1, -1) if x.ndim > 2 else x


def _smooth_l1(x, y, reduction, beta=1.0):
    if beta == 0:
        raise Unsupported("beta = 0 (l1): huber_loss(delta=0) / 0 is undefined")
    return _reduce(losses.huber_loss(x, y, delta=beta), reduction) / beta


def _dense_ce(fn):
    def call(x, target, reduction):
        if "int" in str(target.dtype):
            raise Unsupported("class indices: see softmax_cross_entropy_with_integer_labels")
        return _reduce(fn(_class_last(x), _class_last(target)), reduction)

    return call


def _integer_ce(x, target, reduction, ignore_index=-100):
    if "int" not in str(target.dtype):
        raise Unsupported("probability targets: see softmax_cross_entropy")
    if np.any(np.asarray(target) == ignore_index):
        raise Unsupported("ignored targets: softmax_cross_entropy_with_integer_labels has no ignore index")
    return _reduce(losses.softmax_cross_entropy_with_integer_labels(_class_last(x), target), reduction)


def _kl(fn):
    def call(x, t, reduction):
        if reduction == "batchmean":  # the natural call: the sum over each row, the mean over the batch
            rows = (x.shape[0], int(np.prod(x.shape[1:])))  # not reshape(n, -1): an empty batch has no -1
            return jnp.mean(fn(x.reshape(rows), t.reshape(rows)))
        return _reduce(fn(_last(x), _last(t)), reduction)

    return call


def _hinge(f, y, reduction):
    if f.ndim != 1:
        raise Unsupported("multiclass scores: see multiclass_hinge_loss")
    return _reduce(losses.hinge_loss(f, y.astype(f.dtype)), reduction)


def _multiclass_hinge(f, y, reduction):
    if f.ndim != 2:
        raise Unsupported("binary scores: see hinge_loss")
    return _reduce(losses.multiclass_hinge_loss(f, y), reduction)


def _cosine(x1, x2, y, reduction, margin=0.0):
    if np.any(np.asarray(y) != 1):
        raise Unsupported("y = -1 pairs: cosine_distance is the y = 1 branch only")
    return _reduce(losses.cosine_distance(x1, x2), reduction)


def _triplet(anchor, positive, negative, reduction, margin=1.0, p=2.0):
    return _reduce(losses.triplet_margin_loss(anchor, positive, negative, norm_degree=p, margin=margin, eps=0.0),
                   reduction)


def _ctc(lp, targets, input_lengths, target_lengths, reduction, blank=0):
    steps = lp.shape[0]
    lengths = np.asarray(input_lengths)
    if np.any(lengths > steps):
        raise Unsupported("input lengths beyond T: logit_paddings cover the T frames there are")
    logits = jnp.transpose(lp, (1, 0, 2))
    logit_paddings = jnp.asarray(~_mappings.frames_within(lengths, steps)[:, :, 0].T, dtype=lp.dtype)
    labels = _mappings.padded_labels(targets, target_lengths)
    label_paddings = jnp.asarray(np.arange(labels.shape[1])[None] >= np.asarray(target_lengths)[:, None], lp.dtype)
    v = losses.ctc_loss(logits, logit_paddings, jnp.asarray(labels), label_paddings, blank_id=blank)
    if reduction == "mean":  # the reference's (torch's) mean: each loss over max(S_n, 1), then the batch mean
        return jnp.mean(v / jnp.asarray(_mappings.target_lengths_at_least_1(target_lengths), lp.dtype))
    return _reduce(v, reduction)


def _dice(from_logits):
    def call(x, t, reduction, smooth=1.0):
        return _reduce(losses.binary_dice_loss(x, t, smooth=smooth / 2, apply_sigmoid=from_logits), reduction)

    return call


def _b(loss, name, fn, expression, **kw):
    return Binding(loss, f"optax.losses.{name}", fn, expression, **kw)


ELEMENTWISE = "element-wise; mean / sum: jnp.mean / jnp.sum of it."
ROW_SUM = ("optax sums over the last axis (a row of classes): fed x[..., None], t[..., None] the sum is over one "
           "element and the result is element-wise; 'batchmean' is the natural call on (N, -1) rows, then jnp.mean.")

# ---------------------------------------------------------------- the bindings

BINDINGS = [
    _b("mse", "squared_error", lambda x, y, reduction: _reduce(losses.squared_error(x, y), reduction),
       "optax.losses.squared_error(x, y)", note=ELEMENTWISE),
    _b("mse", "l2_loss", lambda x, y, reduction: 2 * _reduce(losses.l2_loss(x, y), reduction),
       "2 * optax.losses.l2_loss(x, y)", kind="composed",
       note="l2_loss is 0.5 * squared_error (Bishop's convention): times 2 it is the squared error. " + ELEMENTWISE),
    _b("huber", "huber_loss", lambda x, y, reduction, delta=1.0: _reduce(losses.huber_loss(x, y, delta=delta),
                                                                          reduction),
       "optax.losses.huber_loss(x, y, delta=delta)", params=("delta",), note=ELEMENTWISE),
    _b("smooth_l1", "huber_loss", _smooth_l1, "optax.losses.huber_loss(x, y, delta=beta) / beta", kind="composed",
       variant="delta=beta, divided by beta", params=("beta",), note="Huber(delta=beta) / beta. " + ELEMENTWISE),
    _b("binary_cross_entropy_with_logits", "sigmoid_binary_cross_entropy",
       lambda x, y, reduction: _reduce(losses.sigmoid_binary_cross_entropy(x, y), reduction),
       "optax.losses.sigmoid_binary_cross_entropy(x, y)", note=ELEMENTWISE),
    _b("sigmoid_focal", "sigmoid_focal_loss",
       lambda x, y, reduction, alpha=0.25, gamma=2.0: _reduce(
           losses.sigmoid_focal_loss(x, y, alpha=alpha, gamma=gamma), reduction),
       "optax.losses.sigmoid_focal_loss(x, y, alpha=alpha, gamma=gamma)", params=("alpha", "gamma"),
       note="optax's alpha defaults to None (no class balancing), the reference's to 0.25: the binding passes it. "
            + ELEMENTWISE),
    _b("cross_entropy", "softmax_cross_entropy", _dense_ce(lambda x, t: losses.softmax_cross_entropy(x, t)),
       "optax.losses.softmax_cross_entropy(moveaxis(x, 1, -1), moveaxis(q, 1, -1))",
       note="probability targets; the class axis moved last."),
    _b("cross_entropy", "safe_softmax_cross_entropy",
       _dense_ce(lambda x, t: losses.safe_softmax_cross_entropy(x, t)),
       "optax.losses.safe_softmax_cross_entropy(moveaxis(x, 1, -1), moveaxis(q, 1, -1))",
       note="probability targets; the class axis moved last; a -inf logit of a zero-probability class is a zero "
            "term (weighted_logsoftmax), where softmax_cross_entropy gives 0 * -inf = NaN."),
    _b("cross_entropy", "softmax_cross_entropy_with_integer_labels", _integer_ce,
       "optax.losses.softmax_cross_entropy_with_integer_labels(moveaxis(x, 1, -1), y)",
       params=("ignore_index",),
       note="class indices; the class axis moved last.  No ignore index: a target equal to ignore_index is "
            "Unsupported (the default -100 only appears where a case ignores it)."),
    _b("kl_div", "kl_divergence", _kl(lambda x, t: losses.kl_divergence(x, t)),
       "optax.losses.kl_divergence(x[..., None], t[..., None])  (batchmean: mean(kl_divergence(x.reshape(N, -1), "
       "t.reshape(N, -1))))", kind="composed", reductions=("none", "mean", "sum", "batchmean"),
       fixed={"log_target": False}, note=ROW_SUM),
    _b("kl_div", "kl_divergence_with_log_targets", _kl(lambda x, t: losses.kl_divergence_with_log_targets(x, t)),
       "optax.losses.kl_divergence_with_log_targets(x[..., None], t[..., None])  (batchmean: as kl_divergence)",
       kind="composed", reductions=("none", "mean", "sum", "batchmean"), fixed={"log_target": True}, note=ROW_SUM),
    _b("hinge", "hinge_loss", _hinge, "optax.losses.hinge_loss(f, y)", variant="binary",
       note="binary scores (N,), labels in {-1, 1}."),
    _b("hinge", "multiclass_hinge_loss", _multiclass_hinge, "optax.losses.multiclass_hinge_loss(f, y)",
       note="max_c (f_c + 1 - onehot_c) - f_y: the Crammer-Singer hinge (the c = y term is max(f_y) - f_y = 0)."),
    _b("cosine_embedding", "cosine_distance", _cosine, "optax.losses.cosine_distance(x1, x2)  (y = 1 only)",
       variant="y = 1", params=("margin",),
       note="1 - cos: the y = 1 branch (margin only enters y = -1).  epsilon (default 0) clips each squared norm "
            "from below; at 0 it is the pure definition."),
    _b("triplet_margin", "triplet_margin_loss", _triplet,
       "optax.losses.triplet_margin_loss(a, pos, neg, norm_degree=p, margin=margin, eps=0.0)",
       params=("margin", "p"),
       note="norm_degree is the reference's p (optax raises the signed difference to it, the p-norm only for even "
            "p: optax-triplet-norm-degree-without-abs); eps is added to the sum of powers inside the root, not to "
            "the difference, so the binding passes 0 (optax's default 1e-6 is sqrt(d^2 + 1e-6))."),
    _b("ctc", "ctc_loss", _ctc,
       "optax.losses.ctc_loss(transpose(log_probs, (1, 0, 2)), t >= T_n, padded(y), s >= S_n, blank_id=blank)  "
       "(mean: mean(loss / max(S_n, 1)))", kind="composed", params=("blank",), conventions=(CTC_TAKES_LOGITS,),
       note="(B, T, K) logits with logit_paddings 1.0 past each input length, labels padded with label_paddings."),
    _b("dice", "binary_dice_loss", _dice(True), "optax.losses.binary_dice_loss(x, t, smooth=smooth / 2)",
       variant="apply_sigmoid=True", params=("smooth",), fixed={"from_logits": True},
       note="optax's dice is 1 - (I + s) / (0.5 sum p + 0.5 sum t + s) (Tversky with alpha = beta = 0.5), which is "
            "the reference's 1 - (2 I + 2 s) / (sum p + sum t + 2 s): smooth=s there is the reference's smooth 2 s, "
            "so the binding passes smooth / 2.  One dice per sample, over its non-batch axes (its reduction='mean' "
            "is over the one class axis it adds)."),
    _b("dice", "binary_dice_loss", _dice(False),
       "optax.losses.binary_dice_loss(p, t, smooth=smooth / 2, apply_sigmoid=False)", variant="apply_sigmoid=False",
       params=("smooth",), fixed={"from_logits": False},
       note="probabilities in; otherwise as apply_sigmoid=True."),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)


def _poly1(x, t, reduction, epsilon=2.0):
    return _reduce(losses.poly_loss_cross_entropy(_class_last(x), _class_last(t), epsilon=epsilon), reduction)


def _tversky(x, t, reduction, alpha=0.5, beta=0.5, smooth=0.0, whole_batch=False):
    axis = tuple(range(x.ndim)) if whole_batch else None  # None: optax's default, every axis but the first and last
    return _reduce(losses.dice_loss(_last(x), _last(t), smooth=smooth, alpha=alpha, beta=beta, axis=axis), reduction)


BINDINGS += [
    _b("log_cosh", "log_cosh", lambda x, y, reduction: _reduce(losses.log_cosh(x, y), reduction),
       "optax.losses.log_cosh(x, y)", note=ELEMENTWISE),
    _b("poly1", "poly_loss_cross_entropy", _poly1,
       "optax.losses.poly_loss_cross_entropy(moveaxis(x, 1, -1), moveaxis(q, 1, -1), epsilon=epsilon)",
       params=("epsilon",), note="probability targets; the class axis moved last."),
    _b("perceptron", "perceptron_loss",
       lambda f, y, reduction: _reduce(losses.perceptron_loss(f, y.astype(f.dtype)), reduction),
       "optax.losses.perceptron_loss(f, y)", note="labels in {-1, 1}, as floats. " + ELEMENTWISE),
    _b("multiclass_perceptron", "multiclass_perceptron_loss",
       lambda f, y, reduction: _reduce(losses.multiclass_perceptron_loss(f, y), reduction),
       "optax.losses.multiclass_perceptron_loss(f, y)", note="scores (N, C), class indices (N,)."),
    _b("generalized_kl", "generalized_kl_divergence",
       lambda x, t, reduction: _reduce(losses.generalized_kl_divergence(_last(x), _last(t)), reduction),
       "optax.losses.generalized_kl_divergence(x[..., None], t[..., None])", kind="composed",
       note="optax sums over the last axis: fed x[..., None], t[..., None] the sum is over one element and the "
            "result is element-wise."),
    _b("tversky", "dice_loss", _tversky,
       "optax.losses.dice_loss(x[..., None], t[..., None], smooth=smooth, alpha=alpha, beta=beta, "
       "axis=tuple(range(x.ndim)) if whole_batch else None)", kind="composed", variant="one class, apply_softmax",
       params=("alpha", "beta", "smooth", "whole_batch"), fixed={"from_logits": True},
       note="one class axis of size 1, where dice_loss applies a sigmoid (a softmax for more classes): the binary "
            "Tversky loss of Salehi et al., alpha weighing the false positives and beta the false negatives, as the "
            "reference.  Per sample, the sums over every axis but the batch axis (optax's default axis); "
            "whole_batch: over every axis.  optax's smooth defaults to 1, the reference's to 0: the binding passes "
            "it."),
]

DIFFERENT_DEFINITIONS = []

UNBOUND = {
    "optax.losses.cosine_similarity": "a similarity, not a loss: cosine_distance = 1 - cosine_similarity is bound",
    "optax.losses.ctc_loss_with_forward_probs": "ctc_loss plus the forward probabilities: its first output is "
                                                "ctc_loss's value (bound)",
    "optax.losses.smooth_labels": "not a loss: the label-smoothing transform (1 - alpha) y + alpha / C",
    "optax.losses.make_fenchel_young_loss": "not a loss: builds a Fenchel-Young loss from a max function",
    "optax.losses.convex_kl_divergence": "deprecated wrapper that returns generalized_kl_divergence (bound) of its "
                                         "arguments",
}


# ---------------------------------------------------------------- beyond the documents, batch 2 (issue 11): sparsemax,
# generalized dice, NT-Xent, ranking softmax

SRC_SEG = "optax 0.2.8 optax/losses/_segmentation.py"
GENERALIZED_DICE_EPS = Convention(
    {"eps": 1e-7},
    "multiclass_generalized_dice_loss weighs class c by 1 / (F_c^2 + 1e-7): a class absent from every target of the "
    "batch gets the weight 1e7 where Sudre's 1 / F_c^2 is infinite (NaN).", f"{SRC_SEG} "
    "multiclass_generalized_dice_loss (epsilon = 1e-7)")
NTXENT_EPS = Convention(
    {"eps": lambda dtype: float(np.finfo(dtype).eps)},
    "ntxent's cosine_similarity clips each squared norm below at the dtype's machine epsilon: a zero (or tiny) "
    "embedding has cosine 0 (or a shrunken one) where the definition's is 0 / 0.",
    "optax 0.2.8 optax/losses/_self_supervised.py ntxent (epsilon=jnp.finfo(embeddings.dtype).eps)")


def _sparsemax(binary):
    def call(x, y, reduction):
        if (x.ndim == 1) != binary:
            raise Unsupported("multiclass scores: see multiclass_sparsemax_loss" if binary else
                              "binary scores: see sparsemax_loss")
        if binary:
            return _reduce(losses.sparsemax_loss(x, y), reduction)
        return _reduce(losses.multiclass_sparsemax_loss(x, y), reduction)

    return call


def _generalized_dice(from_logits):
    def call(x, t, reduction, smooth=0.0):
        if x.shape[1] == 1:
            raise Unsupported("one class: dice_loss takes the sigmoid of a single channel, not the softmax")
        return losses.multiclass_generalized_dice_loss(jnp.moveaxis(x, 1, -1), jnp.moveaxis(t, 1, -1),
                                                       smooth=smooth / 2, apply_softmax=from_logits)

    return call


def _ntxent(e, labels, reduction, temperature=0.07):
    return losses.ntxent(e, labels, temperature=temperature)


def _ranking_softmax(x, y, reduction, where=None, weights=None):
    reduce_fn = {"none": None, "mean": jnp.mean, "sum": jnp.sum}[reduction]
    where = None if where is None else jnp.asarray(where, dtype=bool)  # the suite hands masks over as integers
    return losses.ranking_softmax_loss(x, y, where=where, weights=weights, reduce_fn=reduce_fn)


BINDINGS += [
    _b("sparsemax", "sparsemax_loss", _sparsemax(True), "optax.losses.sparsemax_loss(x, y)", variant="binary",
       note="binary scores (N,), labels in {0, 1}; " + ELEMENTWISE),
    _b("sparsemax", "multiclass_sparsemax_loss", _sparsemax(False), "optax.losses.multiclass_sparsemax_loss(z, y)",
       note="scores (N, C), class indices; one loss per row."),
    *(_b("generalized_dice", "multiclass_generalized_dice_loss", _generalized_dice(logits),
         "optax.losses.multiclass_generalized_dice_loss(moveaxis(x, 1, -1), moveaxis(t, 1, -1), smooth=smooth / 2, "
         f"apply_softmax={logits})", kind="composed", variant=f"apply_softmax={logits}", reductions=("mean",),
         params=("smooth",), fixed={"form": "class_mean", "from_logits": logits}, conventions=(GENERALIZED_DICE_EPS,),
         note="the weighted mean of per-class dice losses over samples and classes (the reference's form="
              "'class_mean'), not Sudre's one ratio of weighted sums; optax's smooth s' enters as (TP + s') / (TP + "
              "FP / 2 + FN / 2 + s'), the reference's smooth 2 s'.  One scalar: 'mean' only.  Class axis moved last.")
      for logits in (True, False)),
    _b("ntxent", "ntxent", _ntxent, "optax.losses.ntxent(embeddings, labels, temperature=temperature)",
       reductions=("mean",), params=("temperature",), conventions=(NTXENT_EPS,),
       note="the mean over the positive pairs: 'mean' only.  Its denominator holds the pair's positive and the "
            "anchor's negatives (the reference's form)."),
    _b("ranking_softmax", "ranking_softmax_loss", _ranking_softmax,
       "optax.losses.ranking_softmax_loss(x, y, where=where, weights=weights, reduce_fn=None | jnp.mean | jnp.sum)",
       params=("where", "weights"),
       note="one loss per list (the last axis); reduce_fn=None is 'none', jnp.mean over the lists with a valid item "
            "(the reference's mean) and jnp.sum."),
]


# Public parameters of bound APIs that no binding sets, with why (tests/test_adapters_optax.py fails on any other
# parameter no case sets).
_AXIS = ("the class (or feature) axis: the binding moves the reference's axis 1 last, optax's default axis=-1; "
         "another axis is the same computation laid out otherwise")
_WHERE = ("not bound yet (issue 10's remaining work): a mask of the elements to include, a second way to ignore "
          "labels beside the reference's ignore_index")
_BACKGROUND = ("not bound yet (issue 10's remaining work): drops class 0 from the classes, which the reference "
               "expresses as a target without that channel")
UNEXERCISED = {
    **{f"optax.losses.{f}": {"axis": _AXIS, "where": _WHERE} for f in (
        "kl_divergence", "kl_divergence_with_log_targets", "softmax_cross_entropy",
        "softmax_cross_entropy_with_integer_labels", "generalized_kl_divergence", "poly_loss_cross_entropy")},
    "optax.losses.dice_loss": {
        "class_weights": "not bound yet (issue 10's remaining work): per-class weights of the multiclass form; the "
                         "binding is the one-class form, where a weight scales the one term",
        "apply_softmax": "left at its default True: on the binding's one class axis optax applies a sigmoid to the "
                         "logits; its probability form runs binary_dice_loss's check (optax-binary-dice-probabilities-"
                         "raise)",
        "reduction": "left at its default 'mean': over the one class axis that is the per-sample value, which the "
                     "binding reduces",
        "ignore_background": _BACKGROUND},
    "optax.losses.multiclass_generalized_dice_loss": {"ignore_background": _BACKGROUND},
    "optax.losses.cosine_distance": {"axis": _AXIS, "where": _WHERE, "epsilon": "not bound yet (issue 10's "
                                     "remaining work): a floor on the norms, which the reference's eps does not "
                                     "express the same way"},
    "optax.losses.ctc_loss": {"log_epsilon": "the log-probability standing for log 0 in the forward recursion "
                              "(-1e5): a numerical floor, not a parameter of the loss"},
    "optax.losses.triplet_margin_loss": {"axis": _AXIS},
}
