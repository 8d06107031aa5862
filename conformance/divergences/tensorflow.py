"""Known divergences of tensorflow from the reference (see conformance/registry.py for the fields).

Versions checked: tensorflow 2.21.0, keras 3.15.1 (the sources under site-packages).  Bindings are named by
their exact ids ("api[variant]"); KERAS_CLASS selects the Keras loss classes, whose reduction is Keras's own.
"""

from ..registry import Cells, Divergence, Raises, Signature, Units, Where, shorthands

KERAS_LOSS = "keras 3.15.1 keras/src/losses/loss.py reduce_values"
KERAS_LOSSES = "keras 3.15.1 keras/src/losses/losses.py"
KERAS_NN = "keras 3.15.1 keras/src/backend/tensorflow/nn.py"
TF_NN_IMPL = "tensorflow 2.21.0 tensorflow/python/ops/nn_impl.py"
TF_CTC = "tensorflow 2.21.0 tensorflow/python/ops/ctc_ops.py"
TF_V1 = "tensorflow 2.21.0 tensorflow/python/ops/losses/losses_impl.py"
TF_XENT = "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h"
TF_FTZ = "tensorflow/core/platform/denormal.cc (ScopedFlushDenormal); https://github.com/tensorflow/tensorflow/pull/11939"
VALUE_GRAD = ("value", "grad")

KERAS_CLASS = Where("the binding is a Keras loss class (keras.losses.CapitalName)",
                    lambda k: k.api.startswith("keras.losses.") and k.api[len("keras.losses."):][:1].isupper())
# keras.ops loss ops (adapters/keras_ops.py) call the same backend functions as the keras.losses function forms
KERAS_OPS_CTC = "keras.ops.ctc_loss"
KERAS_CTC = ("keras.losses.CTC", "keras.losses.ctc", KERAS_OPS_CTC)
CCE_PROBS = ("keras.losses.CategoricalCrossentropy[from_logits=False]",
             "keras.losses.categorical_crossentropy[from_logits=False]",
             "keras.ops.categorical_crossentropy[from_logits=False]")
CCE_LOGITS = ("keras.losses.CategoricalCrossentropy[from_logits=True]",
              "keras.losses.categorical_crossentropy[from_logits=True]",
              "keras.ops.categorical_crossentropy[from_logits=True]")
SPARSE_CE_PROBS = ("keras.losses.SparseCategoricalCrossentropy[from_logits=False, sample_weight=weight[y]]",
                   "keras.losses.SparseCategoricalCrossentropy[from_logits=False]",
                   "keras.losses.sparse_categorical_crossentropy[from_logits=False]",
                   "keras.ops.sparse_categorical_crossentropy[from_logits=False]")
SPARSE_CE_LOGITS = ("keras.losses.SparseCategoricalCrossentropy[from_logits=True, sample_weight=weight[y]]",
                    "keras.losses.SparseCategoricalCrossentropy[from_logits=True]",
                    "keras.losses.sparse_categorical_crossentropy[from_logits=True]",
                    "keras.ops.sparse_categorical_crossentropy[from_logits=True]")
SPARSE_CE_CLASS = SPARSE_CE_PROBS[:2] + SPARSE_CE_LOGITS[:2]
SPARSE_CE_FUNCTION = (SPARSE_CE_PROBS[2], SPARSE_CE_LOGITS[2])
CATEGORICAL_HINGE = ("keras.losses.CategoricalHinge[scores shifted to >= 0]",
                     "keras.losses.categorical_hinge[scores shifted to >= 0]")
BINARY_HINGE = ("keras.losses.Hinge[binary]", "keras.losses.hinge[binary]")
TF_SOFTMAX_CE = "tf.nn.softmax_cross_entropy_with_logits"
V1 = "tf.compat.v1.losses."
V1_SOFTMAX, V1_SPARSE = f"{V1}softmax_cross_entropy", f"{V1}sparse_softmax_cross_entropy"
CE_LOGITS = (*CCE_LOGITS, *SPARSE_CE_LOGITS, TF_SOFTMAX_CE, "tf.nn.sparse_softmax_cross_entropy_with_logits",
             V1_SOFTMAX, V1_SPARSE)
NOT_V1 = Where("the binding is not a tf.compat.v1.losses one", lambda k: not k.api.startswith(V1))
IS_V1 = Where("the binding is a tf.compat.v1.losses one", lambda k: k.api.startswith(V1))


_d, _unchecked = shorthands("tensorflow")


DIVERGENCES: list[Divergence] = [
    # ------------------------------------------------------------ Keras reductions of nothing
    _d("keras-mean-of-nothing-is-zero", "different-definition",
       (Cells(losses=("l1", "mse", "huber", "smooth_l1", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                      "sigmoid_focal", "poisson_nll"),
              checks="value", cases=("empty", "rate_input_empty"), reductions="mean", where=KERAS_CLASS),
        Cells(losses="kl_div", checks="value", cases="empty", reductions="mean", where=KERAS_CLASS),
        Cells(apis=SPARSE_CE_CLASS, cases="all_ignored", reductions="mean")),
       Signature(("0/nan",)),
       "Keras's 'sum_over_batch_size' divides with divide_no_nan, so the mean of an empty (or an all-ignored, "
       "all-masked) batch is 0, not 0 / 0 = NaN; its gradient is 0 as well.", KERAS_LOSS),
    _d("keras-sparse-ce-ignore-class-where-gradient", "different-definition",
       Cells(apis=SPARSE_CE_FUNCTION, checks="grad", cases="all_ignored", reductions="mean"), Signature(("0/nan",)),
       "The function's ignore_class zeroes ignored positions with where(valid, loss, 0), which passes no gradient "
       "to them whatever flows in: with every target ignored the composed mean sum / sum(valid) = 0 / 0 is NaN, as "
       "the reference's, but its gradient is 0, not the reference's (1 / 0) * 0 = NaN.",
       f"{KERAS_LOSSES} sparse_categorical_crossentropy (ignore_class: ops.where(valid_mask, res, 0.0))"),
    _d("keras-empty-batch-unreduced", "bug",
       (Cells(losses=("cross_entropy", "dice"), checks="value", cases=("empty", "probabilities_empty"),
              reductions=("mean", "sum"), where=KERAS_CLASS),
        Cells(losses="kl_div", checks="value", cases="empty", reductions="batchmean", where=KERAS_CLASS)),
       Signature(("shape",)),
       "Keras's reduce_values returns per-sample values of shape (0,) as they are, whatever the reduction: the "
       "'mean' and 'sum' (kl_div's 'batchmean') of an empty batch come back as an empty array, not a scalar.",
       KERAS_LOSS),
    # ------------------------------------------------------------ Keras clipping, beyond the clip convention
    _d("keras-clip-bound-rounding", "precision",
       (Cells(losses="binary_cross_entropy", checks="value", cases="saturation", reductions="none", where=NOT_V1),
        Cells(apis=CCE_PROBS, checks="value", cases="saturation_logits_1e4", dtypes="float32", reductions="none")),
       Units({"float32": 2e6, "float64": 3e6}),
       "Beyond the clip convention (clip_eps=1e-7): Keras forms the bound 1 - 1e-7 in the dtype, which in float32 "
       "rounds to 1 - 2^-23, so p clipped there gives -log(2^-23) = 15.94, not 16.12 (and -log(1 - 2^-23) = "
       "1.19e-7, not 1.0e-7); and it takes log(1 - p), not log1p(-p), so -log(1 - 1e-7) keeps only the digits of "
       "1 - 1e-7 in float64.", f"{KERAS_NN} binary_crossentropy, categorical_crossentropy"),
    _d("tf-clip-nan-gradient-is-zero", "bug",
       Cells(losses="binary_cross_entropy", checks="grad", cases="nonfinite", where=NOT_V1),
       Signature(("0/nan",)),
       "tf.clip_by_value's gradient is 0 at a NaN input (its registered gradient zeroes it), so a NaN probability "
       "gets gradient 0 instead of NaN through Keras's clip.",
       "tensorflow 2.21.0 tensorflow/python/ops/clip_ops.py _clip_by_value_grad"),
    _d("keras-sparse-ce-renormalizes-clipped-probabilities", "different-definition",
       (Cells(apis=SPARSE_CE_PROBS, checks="value", cases=("saturation_logits_1e4", "extreme"), dtypes="float64"),
        Cells(apis=SPARSE_CE_PROBS, checks="value", cases="saturation_logits_1e4", dtypes="float32", reductions="none"),
        Cells(apis=SPARSE_CE_PROBS, checks="value", cases="nonfinite", dtypes="float64", reductions="none")),
       Units({"float32": 2e7, "float64": 5e15}),
       "Fed probabilities, Keras clips them to [1e-7, 1 - 1e-7] and then applies sparse softmax cross entropy to "
       "log(clip(p)): -log clip(p_y) + log sum_c clip(p_c), which is not -log clip(p_y) wherever a probability "
       "was clipped (the sum exceeds 1; a -inf logit gives p = 0, clipped to 1e-7: a 1e-7 relative difference).  In "
       "float32 it shows only in the unreduced saturated values: elsewhere the clip convention accounts for the "
       "cell.", f"{KERAS_NN} sparse_categorical_crossentropy"),
    # ------------------------------------------------------------ precision and non-finite handling
    _d("tf-softmax-ce-log-not-log1p", "precision",
       Cells(apis=CE_LOGITS, checks="value", cases="saturation_logits_1e4", reductions="none"),
       Units({"float32": 3e5, "float64": 2e11}),
       "TF's softmax cross-entropy kernel (which Keras calls on logits) takes log(sum exp(x - max)) with log, not "
       "log1p of the non-max terms, so a loss below the dtype's resolution next to 1 (log(1 + 2e^-30) = 1.9e-13) "
       "comes out 0: all of the value is lost.", f"{TF_XENT} (logsumexp with log)"),
    _d("tf-softmax-ce-zero-times-minus-inf", "bug",
       Cells(apis=(*CCE_LOGITS, TF_SOFTMAX_CE, V1_SOFTMAX), checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/finite",)),
       "A -inf logit of a class with target probability 0 gives 0 * (-inf) = NaN in the dense softmax cross "
       "entropy (labels times log-softmax), where the term is 0.", TF_XENT),
    _d("tf-sigmoid-ce-infinite-logit-nan", "bug",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/inf", "nan/finite")),
       "The stable form max(x, 0) - x z + log1p(exp(-|x|)) (weighted: (1 - z) x + ...) multiplies an infinite "
       "logit by a zero label factor: inf * 0 = NaN where the loss has the limit +inf or 0.",
       f"{TF_NN_IMPL} sigmoid_cross_entropy_with_logits, weighted_cross_entropy_with_logits"),
    _d("tf-weighted-ce-cancellation", "precision",
       Cells(apis="tf.nn.weighted_cross_entropy_with_logits", checks="value", cases=("interior_8x5", "pos_weight"),
             reductions="none"),
       Units({"float32": 400, "float64": 200}),
       "(1 - z) x + (1 + (q - 1) z)(log1p(exp(-|x|)) + relu(-x)) adds x and -x + log1p(e^x) for x < 0, z = 0: the "
       "small loss log1p(e^x) loses the digits of |x| (hundreds of ulps).",
       f"{TF_NN_IMPL} weighted_cross_entropy_with_logits"),
    _d("tf-weighted-ce-zero-slope-at-zero", "bug",
       (Cells(apis="tf.nn.weighted_cross_entropy_with_logits", checks="grad", cases="saturation_logits_1e4"),
        Cells(apis="tf.nn.weighted_cross_entropy_with_logits", checks="grad", cases="extreme", dtypes="float32")),
       Units({"float32": 5e6, "float64": 3e15}),
       "softplus(-x) is written log1p(exp(-|x|)) + relu(-x), and at x = 0 TF takes the slopes of |x| and relu as 0, "
       "so the gradient there misses -1/2 (pos_weight) of the smooth softplus slope (also at x = 1e-38, which is "
       "subnormal in float32 and flushed to 0 by TF's CPU kernels).",
       f"{TF_NN_IMPL} weighted_cross_entropy_with_logits; {TF_FTZ}"),
    _d("tf-cpu-flushes-subnormals", "precision",
       (Cells(losses="l1", checks="value", cases="extreme", dtypes="float32", reductions="none"),
        Cells(losses="l1", checks="grad", cases="extreme", dtypes="float32")),
       Units(1e7),
       "TF runs its CPU kernels with flush-to-zero / denormals-are-zero, so float32 subnormal inputs (3e-39) are "
       "0: |d| is 0 and its slope sign(d) is 0 instead of 1.", TF_FTZ),
    _d("keras-huber-where-nan-gradient", "bug",
       Cells(losses=("huber", "smooth_l1"), checks="grad", cases="nonfinite", where=NOT_V1),
       Signature(("nan/finite",)),
       "Huber is where(|d| <= delta, 0.5 d^2, delta |d| - 0.5 delta^2): at d = +-inf the untaken branch's slope d "
       "is inf and where's gradient multiplies it by 0, giving NaN instead of +-delta (smooth_l1 is Huber(delta="
       "beta) / beta and inherits it).", f"{KERAS_LOSSES} huber; https://github.com/tensorflow/tensorflow/issues/38349"),
    _d("keras-focal-gradient-overflow", "bug",
       Cells(losses="sigmoid_focal", checks="grad", cases="extreme", dtypes="float32", reductions=("none", "sum")),
       Signature(("nan/finite",)),
       "At x = 3e38 (y = 0) the product rule sends cotangent * alpha_t * bce (3e38 times the cotangent: inf in "
       "float32 once |cotangent| > ~1.5) into the focal factor, whose sigmoid slope is 0: inf * 0 = NaN.",
       f"{KERAS_LOSSES} binary_focal_crossentropy"),
    _d("tf-log-poisson-zero-times-minus-inf", "bug",
       Cells(apis="tf.nn.log_poisson_loss", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/finite",)),
       "exp(x) - y x with x = -inf and y = 0 computes 0 * (-inf) = NaN where the loss is 0 (no 0 log 0 = 0 "
       "convention).", f"{TF_NN_IMPL} log_poisson_loss"),
    # ------------------------------------------------------------ CTC
    _d("tf-ctc-float64-raises", "bug", Cells(apis="tf.nn.ctc_loss", checks=VALUE_GRAD, dtypes="float64"),
       Raises("cannot compute Mul"),
       "ctc_loss_dense builds its log-zero constant log(1e-307) as float32 and multiplies it into the state "
       "masks, so float64 logits raise InvalidArgumentError ('cannot compute Mul ... double ... float').",
       f"{TF_CTC} ctc_state_log_probs; https://github.com/tensorflow/tensorflow/issues/53345"),
    _d("tf-ctc-impossible-alignment-finite", "different-definition",
       (Cells(apis="tf.nn.ctc_loss", checks=VALUE_GRAD, cases="impossible_alignment", dtypes="float32"),
        Cells(apis=KERAS_CTC, checks=VALUE_GRAD, cases="impossible_alignment")),
       Signature(("finite/inf",), units={"float32": 1e7, "float64": 5e15}),
       "The dense CTC (which Keras calls) uses log(1e-307) = -706.9 as log 0, so a target that no alignment fits "
       "gets a large finite loss (~707 + ...) with a nonzero gradient instead of inf and the reference's 0.",
       f"{TF_CTC} ctc_state_log_probs (log_0); {KERAS_NN} ctc_loss"),
    _d("keras-ctc-float64-in-float32", "precision",
       Cells(apis=KERAS_CTC, checks=VALUE_GRAD, dtypes="float64",
             cases=("interior_T12_N3_C5", "repeats", "empty_target", "concatenated_targets", "unnormalized_log_probs")),
       Units(2e9),
       "Keras casts float64 inputs to float32 before tf.nn.ctc_loss (which cannot take float64) and casts the loss "
       "back: float64 values and gradients have float32 accuracy (on top of the log_softmax convention).",
       f"{KERAS_NN} ctc_loss"),
    # ------------------------------------------------------------ bad input accepted (error cells)
    _unchecked("keras-bce-no-range-check",
               Cells(losses="binary_cross_entropy", checks="error", cases=("input_outside_0_1", "target_outside_0_1"),
                     where=NOT_V1),
               ("finite",),
               "Probabilities and targets outside [0, 1] are not checked: the input is clipped into [1e-7, 1 - 1e-7] "
               "and the target used as is, so a number comes back.", f"{KERAS_NN} binary_crossentropy"),
    _unchecked("tf-bce-logits-no-target-check",
               Cells(losses="binary_cross_entropy_with_logits", checks="error", cases="target_outside_0_1"),
               ("finite",), "Targets outside [0, 1] are not checked: the formula is evaluated with them.",
               f"{TF_NN_IMPL} sigmoid_cross_entropy_with_logits"),
    _unchecked("tf-one-hot-out-of-range",
               (Cells(apis=(*CCE_PROBS, *CCE_LOGITS, TF_SOFTMAX_CE), checks="error", cases="class_out_of_range"),
                Cells(apis=CATEGORICAL_HINGE, checks="error", cases="class_out_of_range")),
               ("finite",),
               "The binding one-hot encodes index targets with tf.one_hot, which documents an all-zero row for an "
               "index outside [0, depth): such a sample silently gets loss 0 (categorical hinge: its 'true' score is "
               "0).", "https://www.tensorflow.org/api_docs/python/tf/one_hot"),
    _unchecked("keras-cce-no-target-check",
               Cells(apis=(*CCE_PROBS, *CCE_LOGITS), checks="error", cases="prob_target_outside_0_1"), ("finite",),
               "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated with them.",
               f"{KERAS_NN} categorical_crossentropy"),
    _unchecked("tf-softmax-ce-no-target-check",
               Cells(apis=TF_SOFTMAX_CE, checks="error", cases="prob_target_outside_0_1"), ("finite",),
               "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated with them.",
               "https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits"),
    _unchecked("tf-ctc-label-equal-to-blank",
               (Cells(apis="tf.nn.ctc_loss", checks="error", cases="label_is_blank", dtypes="float32"),
                Cells(apis=KERAS_CTC, checks="error", cases="label_is_blank")),
               ("finite",),
               "A label equal to the blank index is not rejected by tf.nn.ctc_loss (Keras, which calls it, counts the "
               "labels != 0 as the label length): a number comes back for a target that has no meaning (tf.nn's "
               "float64 raises, for tf-ctc-float64-raises' reason).",
               f"{TF_CTC} ctc_loss_v3; {KERAS_LOSSES} ctc (label_length)"),
    _unchecked("tf-ctc-logit-length-beyond-t",
               (Cells(apis="tf.nn.ctc_loss", checks="error", cases="input_length_exceeds_T", dtypes="float32"),
                Cells(apis=KERAS_OPS_CTC, checks="error", cases="input_length_exceeds_T")),
               ("finite",),
               "logit_length greater than the number of frames is not checked by the dense implementation: it "
               "computes a loss over the frames there are (float64 raises, for tf-ctc-float64-raises' reason; "
               "keras.ops.ctc_loss, which passes its output_length on, computes float64 in float32).",
               f"{TF_CTC} ctc_loss_dense"),
    _unchecked("keras-dice-no-range-check",
               Cells(losses="dice", checks="error",
                     cases=("probabilities_input_outside_0_1", "probabilities_target_outside_0_1")),
               ("finite",),
               "Probabilities and targets outside [0, 1] are not checked: the ratio is evaluated with them.",
               f"{KERAS_LOSSES} dice"),
    _unchecked("keras-hinge-converts-0-1-labels", Cells(apis=BINARY_HINGE, checks="error", cases="labels_0_1"),
               ("finite",),
               "Keras's Hinge documents that binary {0, 1} labels are converted to {-1, 1}, so {0, 1} labels are "
               "accepted instead of rejected.", f"{KERAS_LOSSES} hinge (docstring)"),
    _unchecked("keras-kl-clips-targets", Cells(losses="kl_div", checks="error", cases="target_outside_0_1"),
               ("finite",),
               "Keras clips y_true into [1e-7, 1] before the formula, so targets outside [0, 1] are clipped, not "
               "rejected.", f"{KERAS_LOSSES} kl_divergence"),
    _unchecked("tf-log-poisson-no-count-check",
               Cells(apis="tf.nn.log_poisson_loss", checks="error", cases="negative_count"), ("finite",),
               "Negative counts are not checked: exp(x) - y x is evaluated with them and returns a number.",
               f"{TF_NN_IMPL} log_poisson_loss"),
    _unchecked("keras-poisson-no-range-check",
               Cells(losses="poisson_nll", checks="error", cases=("negative_rate", "rate_input_negative_count"),
                     apis=("keras.losses.Poisson", "keras.losses.poisson")),
               ("finite", "nan"),
               "Negative rates and counts are not checked: a negative rate gives NaN from the log, a negative count a "
               "number.", f"{KERAS_LOSSES} poisson"),
    _unchecked("keras-focal-no-target-check", Cells(losses="sigmoid_focal", checks="error", cases="target_outside_0_1"),
               ("finite",), "Targets outside [0, 1] are not checked: the focal formula is evaluated with them.",
               f"{KERAS_LOSSES} binary_focal_crossentropy"),
    # ------------------------------------------------------------ tf.compat.v1.losses
    _d("tf-v1-mean-of-nothing-is-zero", "different-definition",
       (Cells(checks="value", cases=("empty", "all_ignored"), reductions="mean", where=IS_V1),
        Cells(apis=(V1_SOFTMAX, V1_SPARSE), checks="grad", cases="all_ignored", reductions="mean")),
       Signature(("0/nan",)),
       "SUM_BY_NONZERO_WEIGHTS divides with _safe_mean (div_no_nan): with no element, or every weight 0 (every "
       "target ignored), the mean is 0, not 0 / 0 = NaN, and its gradient 0.", f"{TF_V1} compute_weighted_loss"),
    _d("tf-v1-mean-over-nonzero-weights", "different-definition",
       Cells(apis=(f"{V1}log_loss", f"{V1}sigmoid_cross_entropy"), checks=VALUE_GRAD, cases="weight",
             reductions="mean"),
       Units({"float32": 3e6}),
       "The default reduction SUM_BY_NONZERO_WEIGHTS divides the weighted sum by the number of non-zero weights, "
       "the reference's (torch's) weighted mean by the number of elements: a weight of 0 on one of five columns "
       "makes it 5/4 of the reference's (0.25 relative, 1e6 float32 units).", f"{TF_V1} compute_weighted_loss"),
    _d("tf-v1-log-loss-eps-rounding", "precision",
       Cells(apis=f"{V1}log_loss", checks="value", cases="saturation", reductions="none"), Units({"float32": 2e6}),
       "Beyond the epsilon convention (log_eps=1e-7): at p = 0, y = 0 (or p = 1, y = 1) the loss is -log(1 + 1e-7), "
       "and 1 + 1e-7 rounds to 1 + 2^-23 in float32, so it is -1.19e-7, not -1.0e-7 (a negative loss either way: "
       "the epsilon is added inside logs that are already 0).", f"{TF_V1} log_loss"),
    _unchecked("tf-v1-log-loss-no-range-check",
               Cells(apis=f"{V1}log_loss", checks="error", cases=("input_outside_0_1", "target_outside_0_1")),
               ("finite", "non-finite"),
               "Probabilities and targets outside [0, 1] are not checked (there is no clip): a probability above 1 "
               "gives NaN from log(1 - p), a target outside [0, 1] a number.", f"{TF_V1} log_loss"),
    _unchecked("tf-v1-hinge-takes-0-1-labels", Cells(apis=f"{V1}hinge_loss[binary]", checks="error",
                                                     cases="labels_0_1"), ("finite",),
               "hinge_loss takes {0, 1} labels and maps them to 2 y - 1 without checking them, so the binding's "
               "(y + 1) / 2 of {0, 1} labels is accepted.", f"{TF_V1} hinge_loss"),
    _unchecked("tf-v1-softmax-ce-no-target-check",
               Cells(apis=V1_SOFTMAX, checks="error", cases=("class_out_of_range", "prob_target_outside_0_1")),
               ("finite",),
               "Neither the one-hot labels (the binding's tf.one_hot gives an all-zero row for an index outside "
               "[0, C): loss 0) nor probability targets outside [0, 1] are checked.",
               f"{TF_V1} softmax_cross_entropy; https://www.tensorflow.org/api_docs/python/tf/one_hot"),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

GCE = ("keras.losses.CategoricalGeneralizedCrossEntropy", "keras.losses.categorical_generalized_cross_entropy")
LOG2_32 = ("log_cosh subtracts log2 = convert_to_tensor(ops.log(2.0), dtype), and ops.log(2.0) is computed in "
           "float32: in float64 every element is off by 0.6931471824645996 - log 2 = 1.9e-9")
LOG2_SRC = f"{KERAS_LOSSES} log_cosh (log2 = ops.convert_to_tensor(ops.log(2.0), dtype=y_pred.dtype))"
ACCEPTS = "the reference rejects it (ValueError); Keras validates nothing of it and returns a finite loss"

DIVERGENCES += [
    _d("keras-mean-of-nothing-is-zero-beyond-the-documents", "different-definition",
       Cells(losses=("log_cosh", "mape", "msle"), checks="value", cases="empty", reductions="mean", where=KERAS_CLASS),
       Signature(("0/nan",)),
       "As keras-mean-of-nothing-is-zero, for the element-wise losses beyond the documents: 'sum_over_batch_size' "
       "divides with divide_no_nan, so the mean of an empty batch is 0, not 0 / 0 = NaN.", KERAS_LOSS),
    _d("keras-empty-batch-unreduced-beyond-the-documents", "bug",
       Cells(losses=("squared_hinge", "softmax_focal", "generalized_cross_entropy", "tversky"), checks="value",
             cases="empty", reductions=("mean", "sum"), where=KERAS_CLASS),
       Signature(("shape",)),
       "As keras-empty-batch-unreduced: reduce_values returns the per-sample values of shape (0,) as they are, so "
       "the 'mean' and 'sum' of an empty batch come back as an empty array, not a scalar.", KERAS_LOSS),
    _d("keras-log-cosh-float32-log-2", "bug",
       (Cells(losses="log_cosh", checks="value", dtypes="float64", cases=("interior_8x5", "interior_batch1",
                                                                          "interior_3d")),
        Cells(losses="log_cosh", checks="value", dtypes="float64", cases="small_d", reductions=("mean", "sum")),
        Cells(losses="log_cosh", checks="value", dtypes="float64", cases="large_d", reductions="none")),
       Units({"float64": 1e9}),
       LOG2_32 + " (up to 5e8 units, on the small losses of ordinary values).", LOG2_SRC),
    _d("keras-log-cosh-float32-log-2-at-zero-loss", "bug",
       Cells(losses="log_cosh", checks="value", dtypes="float64", cases=("small_d", "extreme"), reductions="none"),
       Units({"float64": 32}, absolute={"float64": 2e-9}),
       LOG2_32 + ": where the loss is 0 (d = 0) or tiny (|d| = 1e-30, loss 5e-61) that absolute 1.9e-9 has no "
       "bound in units of the loss (inf, 6e83), and the loss can come out negative; the other elements are within "
       "the normal tolerance.", LOG2_SRC),
    _d("keras-log-cosh-minus-infinity-nan", "bug",
       Cells(losses="log_cosh", checks="value", cases="nonfinite", reductions="none"), Signature(("nan/inf",)),
       "log cosh d is formed as d + softplus(-2 d) - log 2: for d = -inf that is -inf + inf = NaN, where the loss "
       "is +inf.", f"{KERAS_LOSSES} log_cosh (_logcosh(x) = x + softplus(x * -2.0) - log2)"),
    _d("keras-log-cosh-cancels-small-d", "precision",
       Cells(losses="log_cosh", checks="value", cases="small_d", dtypes="float32", reductions="none"),
       Units({"float32": 1e7}),
       "d + softplus(-2 d) - log 2 cancels for small |d|, where log cosh d ~ d^2 / 2: the float32 rounding of the "
       "terms near log 2 (6e-8) is the whole loss (2.8e6 units at d = 1e-5; 0 or negative below).",
       f"{KERAS_LOSSES} log_cosh"),
    _d("tf-cpu-flushes-subnormals-mape", "precision",
       (Cells(losses="mape", checks="value", cases="extreme", dtypes="float32", reductions="none"),
        Cells(losses="mape", checks="grad", cases="extreme", dtypes="float32")),
       Units(1e8),
       "As tf-cpu-flushes-subnormals: the float32 subnormal input 3e-39 is 0 on TF's CPU kernels, so |d| / 1e-7 is 0 "
       "(not 3e-30) and its slope 0 (not 1e9).", TF_FTZ),
    _d("keras-mape-infinite-target-nan-grad", "bug",
       Cells(losses="mape", checks="grad", cases="nonfinite"), Signature(("nan/0",)),
       "Keras forms abs((y - x) / max(|y|, eps)): at y = inf the quotient is inf / inf = NaN and abs's slope there "
       "is NaN, which times the quotient's slope -1 / inf = -0 is NaN; the reference's slope sign(d) / max(|y|, eps) "
       "is -0.", f"{KERAS_LOSSES} mean_absolute_percentage_error"),
    _unchecked("keras-msle-accepts-below-minus-one",
               Cells(losses="msle", checks="error", cases=("input_at_minus_one", "target_below_minus_one")),
               ("finite",),
               "Keras raises x and y to max(., 1e-7) before log(. + 1) (the clip_min convention) and so accepts "
               "values at or below -1, where log1p is undefined: " + ACCEPTS + ".",
               f"{KERAS_LOSSES} mean_squared_logarithmic_error"),
    _d("keras-msle-cancels-near-equal-large", "precision",
       Cells(losses="msle", checks="grad", cases="near_equal_large"), Units({"float32": 1e8, "float64": 1e8}),
       "The slope 2 (log(x + 1) - log(y + 1)) / (x + 1) takes the difference of two rounded logs of large values, "
       "so near-equal x and y (1e8 and 1e8 + 16) lose it (8e6 units); the reference forms "
       "log1p((x - y) / (1 + y)).", f"{KERAS_LOSSES} mean_squared_logarithmic_error (first_log - second_log)"),
    _d("keras-maximum-nan-gradient-zero", "bug",
       (Cells(losses=("msle", "squared_hinge"), checks="grad", cases="nonfinite")), Signature(("0/nan",)),
       "maximum(v, c) (MSLE's max(x, 1e-7), the squared hinge's max(1 - y f, 0)) gives NaN for v = NaN, but its "
       "gradient goes to the constant's branch (v >= c is false), so the slope is 0 where the loss is NaN.",
       f"{KERAS_LOSSES} mean_squared_logarithmic_error, squared_hinge (ops.maximum)"),
    _unchecked("keras-focal-negative-gamma-accepted",
               Cells(losses="softmax_focal", checks="error", cases="negative_gamma"), ("finite",),
               "gamma < 0 makes (1 - p)^gamma a growing weight: " + ACCEPTS + ".",
               f"{KERAS_LOSSES} categorical_focal_crossentropy"),
    _d("keras-focal-clip-bound-rounding", "precision",
       Cells(losses="softmax_focal", checks="value", cases=("extreme", "saturated"), dtypes="float32",
             reductions="none"), Units({"float32": 1e7}),
       "As keras-clip-bound-rounding, beyond the clip convention: Keras forms the bound 1 - 1e-7 in float32, where it "
       "rounds to 1 - 2^-23 (1.19e-7): a probability clipped at the top has -log(1 - 1.19e-7) in its loss, not "
       "-log(1 - 1e-7) (2.9e6 units of the small loss).", f"{KERAS_LOSSES} categorical_focal_crossentropy (ops.clip)"),
    _unchecked("keras-squared-hinge-maps-0-1-labels",
               Cells(losses="squared_hinge", checks="error", cases="labels_0_1"), ("finite",),
               "{0, 1} labels are mapped to {-1, 1} when every label is 0 or 1 (documented), where the reference "
               "takes {-1, 1} only.", f"{KERAS_LOSSES} squared_hinge (convert_binary_labels_to_hinge)"),
    _unchecked("keras-tversky-validates-nothing",
               Cells(losses="tversky", checks="error", cases=("negative_alpha", "probability_above_1",
                                                               "shape_mismatch")), ("finite",),
               "Negative alpha, probabilities above 1, and targets that broadcast against the predictions ((4, 1, "
               "3, 3) against (4, 2, 3, 3)): " + ACCEPTS + ".", f"{KERAS_LOSSES} tversky"),
    _unchecked("keras-gce-validates-nothing",
               (Cells(apis=GCE, checks="error", cases=("class_out_of_range", "probability_above_1")),
                Cells(apis=GCE[1], checks="error", cases="q_above_1")),
               ("finite",),
               "A class index beyond C one-hot encodes to a zero row (p_y = 0, the loss 1 / q), probabilities above "
               "1 pass, and the function takes q > 1 (only the class checks q): " + ACCEPTS + ".",
               f"{KERAS_LOSSES} categorical_generalized_cross_entropy, CategoricalGeneralizedCrossEntropy.__init__"),
    _d("keras-gce-class-rejects-q-1", "different-definition",
       Cells(apis=GCE[0], cases="q_1"), Raises(r"q must be in the interval \(0, 1\)"),
       "The class accepts q in the open interval (0, 1) only (documented), so q = 1, where the loss is 1 - p_y, "
       "raises; the function computes it.", f"{KERAS_LOSSES} CategoricalGeneralizedCrossEntropy.__init__"),
    _d("keras-gce-one-hot-product-nan", "bug",
       (Cells(apis=GCE, checks="grad", cases=("nonfinite", "saturated", "saturated_q_0.7")),
        Cells(apis=GCE, checks="value", cases="nonfinite", reductions="none")),
       Signature(("nan/0", "nan/finite", "nan/inf")),
       "p_y is picked as sum(y_pred * one_hot(y)), so a NaN anywhere in the row makes p_y NaN (the loss NaN where "
       "the target's probability is finite), and the gradient of that product is one_hot * dL/dp_y: at p_y = 0 "
       "(dL/dp_y = -inf) the other columns get 0 * -inf = NaN instead of 0.",
       f"{KERAS_LOSSES} categorical_generalized_cross_entropy (p = ops.sum(y_pred * y_true_one_hot, axis=-1))"),
]
