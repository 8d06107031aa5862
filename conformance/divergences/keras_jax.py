"""Known divergences of Keras 3 on its JAX backend (keras-jax) beyond Keras's own (keras.py).

Versions checked: keras 3.15.1 (keras/src/backend/jax, keras/src/backend/common under site-packages), jax 0.10.2,
every call under jax.jit (adapters/optax.py JittedJax).  Where the mechanism is Keras's backend-independent code, or
the same as the torch backend's, the entry takes keras_torch.py's selection of cells (``_torch``); its cells on JAX
are measured: reports/results/keras-jax.json.
"""

import dataclasses

from ..registry import Cells, Signature, Units, Where, shorthands
from . import keras_torch
from .keras import CIRCLE, GCE, KERAS_API, KERAS_CLASS, SPARSE_CE_CLASS, SPARSE_CE_FUNCTION
from .keras_torch import CATEGORICAL_HINGE, KERAS_DTYPES, KERAS_LOSSES, VALUE_GRAD

KERAS_JAX = "keras 3.15.1 keras/src/backend/jax/numpy.py"
KERAS_JAX_NN = "keras 3.15.1 keras/src/backend/jax/nn.py"
JAX_LAX = "jax 0.10.2 jax/_src/lax/lax.py"
PROMOTION = (f"{KERAS_JAX} mean (compute_dtype = dtypes.result_type(x.dtype, 'float32')); "
             f"{KERAS_DTYPES} BIT64_TO_BIT32_DTYPE")
_TORCH = {d.id.removeprefix("keras-torch-"): d for d in keras_torch.DIVERGENCES}


def _torch(name):
    """The cells keras_torch.py's entry ``name`` selects (the same mechanism, selected once)."""
    return _TORCH[name].cells


def _less(cells, text, test):
    """These selections less the cells ``test`` picks; ``text`` says which (shown in the listing)."""
    def less(c):
        w = c.where
        return dataclasses.replace(c, where=Where(f"{w.text}, and not {text}" if w else f"not {text}",
                                                  lambda k, w=w: (w is None or w.test(k)) and not test(k)))
    return tuple(less(c) for c in cells)


def _function_mean(k):
    return not KERAS_CLASS.test(k) and k.reduction in ("mean", "batchmean")


SUM_PER_SAMPLE = ("generalized_cross_entropy", "kl_div", "cosine_embedding", "softmax_focal")
# on JAX only keras.ops.mean casts: a per-sample sum keeps float64 but under the function's mean (ops.mean)
KEEPS_FLOAT64 = ("a loss whose per-sample value is a sum (GCE, KL, cosine, categorical hinge), unless it is the "
                 "function's mean, nor Huber's class 'mean' at the kinks (measured to agree), nor MAPE's gradient at "
                 "d = 0 (keras-jax-abs-slope-at-zero-and-nan)")


def _keeps_float64(k):
    per_sample_sum = k.loss in SUM_PER_SAMPLE or k.api in CATEGORICAL_HINGE
    return ((per_sample_sum and not _function_mean(k))
            or (k.loss in ("huber", "smooth_l1") and k.check == "value" and k.reduction == "mean"
                and KERAS_CLASS.test(k) and k.case in ("kink_at_delta", "kink_at_beta", "kink_at_beta_1"))
            or (k.loss == "mape" and k.check == "grad" and k.case in ("target_zero", "kink_d_zero")))


_d, _unchecked = shorthands("keras-jax")

DIVERGENCES = [
    _d("keras-jax-float64-mean-in-float32", "precision",
       _less(_torch("float64-mean-in-float32"), KEEPS_FLOAT64, _keeps_float64),
       Units({"float64": 1e9}),
       "As keras-torch-float64-mean-in-float32: keras.ops.mean computes in result_type(x.dtype, 'float32'), float32 "
       "for float64 off TensorFlow, and every keras.losses function reduces its last axis with it, so the "
       "element-wise losses' float64 values and gradients have float32 accuracy (up to 5.9e8 units measured).  On "
       "JAX it is the only op that casts: divide_no_nan (the class's 'sum_over_batch_size'), sum and matmul keep "
       "float64, so the losses whose per-sample value is a sum agree but under the function's ops.mean.",
       PROMOTION),
    _d("keras-jax-float64-mean-in-float32-range", "precision",
       _less(_torch("float64-mean-in-float32-range"), "the softmax focal loss's values but the function's mean",
             lambda k: k.loss == "softmax_focal" and not _function_mean(k)),
       Units({"float64": 4.6e15}),
       "As keras-jax-float64-mean-in-float32, on values float32 cannot hold (beyond its range or below its "
       "resolution): they come back 0 or with none of their digits, up to 2^52 units measured.", PROMOTION),
    _d("keras-jax-float64-function-mean-in-float32", "precision",
       (*_less(_torch("float64-batch-mean-in-float32"), "a class (its 'mean' is divide_no_nan, float64 on JAX)",
               KERAS_CLASS.test),
        Cells(apis=CIRCLE[1], checks=VALUE_GRAD, dtypes="float64", reductions="mean",
              where=Where("not the non-finite case (NaN on both sides), nor the gradient at saturation (keras.py's "
                          "keras-circle-distance-rounding)",
                          lambda k: k.case != "nonfinite" and not (k.check == "grad" and k.case == "saturated")))),
       Units({"float64": 1e9}),
       "The losses whose per-sample value is a sum keep float64 on JAX, and the class's mean is divide_no_nan "
       "(no cast on JAX): only the function's 'mean', keras.ops.mean, takes it in float32 (up to 3.8e8 units "
       "measured; on torch these cells lose float64 under the class too, keras-torch-float64-batch-mean-in-float32 "
       "and keras-torch-circle-float64-in-float32).", f"{KERAS_JAX} mean, divide_no_nan; {KERAS_DTYPES} "
       "BIT64_TO_BIT32_DTYPE"),
    _d("keras-jax-ctc-float64-in-float32", "precision", _torch("ctc-float64-in-float32"), Units({"float64": 2e10}),
       "Keras's JAX ctc_loss casts the logits to result_type(dtype, 'float32'), float32 for float64, before its "
       "log_softmax and forward recursion: float64 values and gradients have float32 accuracy.",
       f"{KERAS_JAX_NN} ctc_loss (dtype = backend.result_type(output.dtype, 'float32'); output = cast(output, dtype))"),
    _d("keras-jax-ctc-impossible-alignment-padded", "different-definition", _torch("ctc-impossible-alignment-padded"),
       Signature(("finite/inf",), units={"float32": 2e7, "float64": 1e16}),
       "As keras-torch-ctc-impossible-alignment-padded: keras.losses.ctc takes no input lengths, so the binding "
       "makes the frames past a sample's length certain blanks with logits -1e4 (adapters/keras.py CTC_PAD), and "
       "the JAX recursion finds the alignments a too-long target needs through them: a finite loss of about 1e4 per "
       "frame, where the target fits no alignment (inf, gradient 0).",
       f"{KERAS_JAX_NN} ctc_loss; {KERAS_LOSSES} ctc (input_length = ops.shape(y_pred)[1]); adapters/keras.py _ctc"),
    _d("keras-jax-log-softmax-precision", "precision", _torch("log-softmax-precision"),
       Units({"float32": 3e5, "float64": 2e11}),
       "Fed logits, Keras on JAX takes jax.nn.log_softmax, x - max - log(sum exp(x - max)) with a plain log: a "
       "confident row's loss 2e-13 loses its digits (as keras-torch-log-softmax-precision).",
       f"{KERAS_JAX_NN} categorical_crossentropy, sparse_categorical_crossentropy (jax.nn.log_softmax); jax 0.10.2 "
       "jax/_src/nn/functions.py log_softmax"),
    _d("keras-jax-cce-zero-times-minus-inf", "bug", _torch("cce-zero-times-minus-inf"), Signature(("nan/finite",)),
       "The dense cross entropy is -sum(target * log_prob): a -inf logit of a class with target 0 gives 0 * (-inf) "
       "= NaN, where the term is 0.", f"{KERAS_JAX_NN} categorical_crossentropy (-jnp.sum(target * log_prob))"),
    _d("keras-jax-clip-gradient-at-bound", "bug", _torch("clip-gradient-zero-at-bound"),
       Signature(("0/inf",), units={"float32": 5e6, "float64": 3e15}),
       "Keras clips p with jnp.clip(p, 1e-7, 1 - 1e-7), min(max(p, lo), hi), and JAX's max and min give a tie half "
       "the slope: p = 1 - 1e-7 on the bound gets half its (clip-convention) slope 1 / (1 - p) (2^22 units of "
       "float32 measured; torch's clamp passes 0 there, TensorFlow's all of it), and p = 0 below the bound gets 0 "
       "where the reference's slope is infinite.",
       f"{KERAS_JAX_NN} binary_crossentropy (jnp.clip); {JAX_LAX} max, min (_balanced_eq)"),
    _d("keras-jax-kl-clip-gradient-split-at-bound", "bug", _torch("kl-clip-gradient-split-at-bound"),
       Units({"float32": 1e7, "float64": 2e15}),
       "kl_divergence clips y_pred with ops.clip(p, 1e-7, 1), jnp.clip on JAX; where p = exp(0) = 1 sits on the "
       "upper bound, JAX's min gives the tie half the slope (2^22 units of float32 measured), and y_true's clip "
       "does the same to a one-hot target's 1 (target_zero: 2^21 units of float32, 2^50 of float64).",
       f"{KERAS_LOSSES} kl_divergence (ops.clip(y_pred, backend.epsilon(), 1)); {JAX_LAX} min (_balanced_eq)"),
    _d("keras-jax-focal-logits-through-clipped-probabilities", "precision",
       _torch("focal-logits-through-clipped-probabilities"), Units({"float32": 1e7}),
       "As keras-torch-focal-logits-through-clipped-probabilities: fed logits, the binary focal loss takes p = "
       "ops.sigmoid(x) and the cross entropy of p clipped to [1e-7, 1 - 1e-7]; only TensorFlow's sigmoid keeps the "
       "logits for it, so at |x| = 1e4 or 3e38 the loss is the clip's -log(1.19e-7) times the focal factor instead "
       "of ~|x|, and its slope 0.",
       f"{KERAS_LOSSES} binary_focal_crossentropy (ops.sigmoid, ops.binary_crossentropy(..., from_logits=False)); "
       f"{KERAS_JAX_NN} binary_crossentropy (jnp.clip)"),
    _d("keras-jax-focal-infinite-logit-zero", "bug",
       (Cells(losses="sigmoid_focal", checks="grad", cases="nonfinite", where=KERAS_API),
        Cells(losses="sigmoid_focal", checks="value", cases="nonfinite", reductions="none", where=KERAS_API)),
       Signature(("0/nan",), units={"float64": 1e9}),  # the finite float64 elements: keras-jax-float64-mean-in-float32
       "The same path at x = +-inf: p = sigmoid(x) is exactly 1 or 0, its clipped cross entropy finite and the "
       "focal factor (1 - p_t)^gamma 0, so the loss and its slope are 0 where the reference (and TensorFlow, from "
       "the logits) gives NaN; on torch the NaN logit's probability raises first "
       "(keras-torch-bce-raises-on-nan-probability).",
       f"{KERAS_LOSSES} binary_focal_crossentropy (ops.sigmoid; focal_factor = ops.power(1.0 - p_t, gamma))"),
    _d("keras-jax-clip-bound-rounding", "precision", _torch("clip-bound-rounding"), Units({"float32": 2e6}),
       "As keras-clip-bound-rounding on TensorFlow (Keras's own): the clip bound 1 - 1e-7 is formed in float32, "
       "where it rounds to 1 - 2^-23, so a probability clipped at the top has -log(1 - 2^-23) in its loss.",
       f"{KERAS_JAX_NN} binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy (jnp.clip)"),
    _d("keras-jax-msle-cancels-near-equal-large", "precision", _torch("msle-cancels-near-equal-large"),
       Units({"float32": 1e7}),
       "As keras-msle-cancels-near-equal-large on TensorFlow (Keras's own): the slope takes the difference of two "
       "rounded logs of 1e8 and 1e8 + 16, which float32 cannot tell apart (2^23 units).",
       f"{KERAS_LOSSES} mean_squared_logarithmic_error (first_log - second_log)"),
    _d("keras-jax-abs-slope-at-zero-and-nan", "bug",
       (Cells(losses="l1", checks="grad", cases="nonfinite", where=KERAS_API),
        Cells(losses="mape", checks="grad", cases="target_zero", where=KERAS_API),
        Cells(losses="mape", checks="grad", cases="kink_d_zero", dtypes="float64", where=KERAS_API)),
       Signature(("finite/nan",), units={"float32": 2e7, "float64": 5e15}),
       "JAX's abs slope is select(x >= 0, 1, -1): at d = 0 it is +1, an end of the subgradient interval [-1, 1] "
       "(torch's sgn and the reference give 0), and at NaN it is -1 (NaN >= 0 is false) where the slope is NaN.  "
       "MAE's gradient at a NaN input or target is finite (+-1 times the cotangent); MAPE's at x = y = 0 is "
       "1e9 (1 / max(|y|, 1e-7)) times it, and rounded in float32 (keras-jax-float64-mean-in-float32) a slope at "
       "the interval's end falls outside it: up to 2^52 units of float64 measured.",
       f"{JAX_LAX} _abs_jvp_rule (select(ge(x, 0), g, neg(g))); {KERAS_LOSSES} mean_absolute_error, "
       "mean_absolute_percentage_error (ops.abs)"),
    _d("keras-jax-float32-subnormals-flush", "precision",
       (Cells(losses=("l1", "mape"), checks="grad", dtypes="float32", cases="extreme", where=KERAS_API),
        Cells(losses=("l1", "mape"), checks="value", dtypes="float32", cases="extreme", reductions="none",
              where=KERAS_API)),  # the mean and the sum: the lost 2e-38 is below their resolution
       Units({"float32": 2e7}),
       "XLA's compiled CPU code flushes float32 subnormals to zero: the extreme case's 1e-38 and 3e-39 become 0, so "
       "|x - y| is 0 where it is 2e-38 (4.2e6 units of the value) and the slope at that d = 0 is abs's +1 "
       "(keras-jax-abs-slope-at-zero-and-nan) where it is -1 (1.7e7 units).  Measured: jax.jit(lambda v: "
       "jnp.maximum(v, 0.0))(float32(1e-40)) is 0.0.", f"{KERAS_LOSSES} mean_absolute_error (ops.abs(y_pred - "
       "y_true)); jax 0.10.2 under jax.jit on CPU (measured)"),
    _d("keras-jax-circle-class-nan-embedding-zero", "bug",
       Cells(apis=CIRCLE[0], checks="value", cases="nonfinite", reductions=("none", "sum")), Signature(("0/nan",)),
       "With a NaN embedding the class keras.losses.Circle gives its anchor a loss of 0 on JAX (measured, jitted), "
       "where the reference, the function keras.losses.circle on JAX, and the class on TensorFlow and torch give "
       "NaN; its 'mean' (NaN over the anchors) agrees.  Not traced further than the class's call: the function's "
       "per-anchor values are NaN.", f"{KERAS_LOSSES} Circle, circle; keras 3.15.1 keras/src/losses/loss.py"),
    # ------------------------------------------------------------ bad input accepted (error cells)
    _unchecked("keras-jax-bce-clips-probabilities",
               Cells(losses="binary_cross_entropy", checks="error", cases="input_outside_0_1", where=KERAS_API),
               ("finite",), "Probabilities outside [0, 1] are clipped into [1e-7, 1 - 1e-7] by jnp.clip and used.",
               f"{KERAS_JAX_NN} binary_crossentropy"),
    _unchecked("keras-jax-binary-targets-unchecked",
               (Cells(losses=("binary_cross_entropy", "binary_cross_entropy_with_logits"), checks="error",
                      cases="target_outside_0_1", where=KERAS_API),
                Cells(losses="sigmoid_focal", checks="error", cases="target_outside_0_1", where=KERAS_API)),
               ("finite",),
               "Targets outside [0, 1] are not checked: the JAX backend evaluates y log p + (1 - y) log(1 - p) (and "
               "its log_sigmoid form) with them (on torch F.binary_cross_entropy rejects them).",
               f"{KERAS_JAX_NN} binary_crossentropy"),
    _unchecked("keras-jax-cce-no-target-check", _torch("cce-no-target-check"), ("finite",),
               "-sum(target * log_prob) checks nothing: probability targets outside [0, 1] are used as they are, and "
               "an index beyond C one-hot encodes (the binding's one-hot) to a zero row, loss 0.",
               f"{KERAS_JAX_NN} categorical_crossentropy"),
    _unchecked("keras-jax-class-index-out-of-range",
               (Cells(apis=(*SPARSE_CE_CLASS, *SPARSE_CE_FUNCTION), checks="error", cases="class_out_of_range"),
                Cells(apis=GCE, checks="error", cases="class_out_of_range")),
               ("finite",),
               "jax.nn.one_hot of an index beyond C is a zero row (no check), so the sparse cross entropy and the "
               "generalized cross entropy of that sample are computed from it (torch's one_hot and nll_loss raise).",
               f"{KERAS_JAX_NN} sparse_categorical_crossentropy, one_hot (jax.nn.one_hot)"),
    _unchecked("keras-jax-ctc-label-equal-to-blank", _torch("ctc-label-equal-to-blank"), ("finite",),
               "A label equal to the blank index (mask_index 0) is not rejected: a number comes back for a target "
               "that has no meaning.", f"{KERAS_JAX_NN} ctc_loss"),
    _unchecked("keras-jax-gce-validates-probabilities", _torch("gce-validates-probabilities"), ("finite",),
               "Probabilities above 1 pass and the function takes q > 1 (only the class checks q).",
               f"{KERAS_LOSSES} categorical_generalized_cross_entropy"),
]
