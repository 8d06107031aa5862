"""Known divergences of tensorflow from the reference (see conformance/registry.py for the fields).

Versions checked: tensorflow 2.21.0, keras 3.15.1 (the sources under site-packages).  Bindings are named by
their exact ids ("api[variant]").  What Keras does on every backend is in keras.py; what is here is TensorFlow's: its
ops (tf.nn, tf.compat.v1) and Keras's TensorFlow backend (keras/src/backend/tensorflow), or a Keras mechanism that
another backend's op hides (the torch ops check what Keras does not).
"""

from ..registry import Cells, Divergence, Raises, Reproduces, Signature, Units, Where, shorthands
from .keras import ACCEPTS, CIRCLE, GCE, KERAS_LOSSES, SPARSE_CE_LOGITS, SPARSE_CE_PROBS

KERAS_NN = "keras 3.15.1 keras/src/backend/tensorflow/nn.py"
TF_NN_IMPL = "tensorflow 2.21.0 tensorflow/python/ops/nn_impl.py"
TF_CTC = "tensorflow 2.21.0 tensorflow/python/ops/ctc_ops.py"
TF_V1 = "tensorflow 2.21.0 tensorflow/python/ops/losses/losses_impl.py"
TF_XENT = "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h"
TF_FTZ = "tensorflow/core/platform/denormal.cc (ScopedFlushDenormal); https://github.com/tensorflow/tensorflow/pull/11939"
VALUE_GRAD = ("value", "grad")

# keras.ops loss ops (adapters/keras_ops.py) call the same backend functions as the keras.losses function forms
KERAS_OPS_CTC = "keras.ops.ctc_loss"
KERAS_CTC = ("keras.losses.CTC", "keras.losses.ctc", KERAS_OPS_CTC)
CCE_PROBS = ("keras.losses.CategoricalCrossentropy[from_logits=False]",
             "keras.losses.categorical_crossentropy[from_logits=False]",
             "keras.ops.categorical_crossentropy[from_logits=False]")
CCE_LOGITS = ("keras.losses.CategoricalCrossentropy[from_logits=True]",
              "keras.losses.categorical_crossentropy[from_logits=True]",
              "keras.ops.categorical_crossentropy[from_logits=True]")
CATEGORICAL_HINGE = ("keras.losses.CategoricalHinge[scores shifted to >= 0]",
                     "keras.losses.categorical_hinge[scores shifted to >= 0]")
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
       Cells(losses=("binary_cross_entropy", "kl_div"), checks="grad", cases="nonfinite", where=NOT_V1),
       Signature(("0/nan",)),
       "tf.clip_by_value's gradient is 0 at a NaN input (its registered gradient zeroes it), so a NaN probability "
       "gets gradient 0 instead of NaN through Keras's clip, and so does a NaN target of kl_divergence (which clips "
       "y_true to [1e-7, 1] too).",
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
       (Cells(losses="binary_cross_entropy_with_logits", checks="value", cases="nonfinite", reductions="none"),
        Cells(apis="tf.nn.nce_loss", checks="value", cases="nonfinite", reductions="none")),
       Signature(("nan/inf", "nan/finite")),
       "The stable form max(x, 0) - x z + log1p(exp(-|x|)) (weighted: (1 - z) x + ...) multiplies an infinite "
       "logit by a zero label factor: inf * 0 = NaN where the loss has the limit +inf or 0 (nce_loss sums these "
       "terms over its true and sampled logits).",
       f"{TF_NN_IMPL} sigmoid_cross_entropy_with_logits, weighted_cross_entropy_with_logits, nce_loss"),
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
    _unchecked("tf-log-poisson-no-count-check",
               Cells(apis="tf.nn.log_poisson_loss", checks="error", cases="negative_count"), ("finite",),
               "Negative counts are not checked: exp(x) - y x is evaluated with them and returns a number.",
               f"{TF_NN_IMPL} log_poisson_loss"),
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


DIVERGENCES += [
    _d("tf-cpu-flushes-subnormals-mape", "precision",
       (Cells(losses="mape", checks="value", cases="extreme", dtypes="float32", reductions="none"),
        Cells(losses="mape", checks="grad", cases="extreme", dtypes="float32")),
       Units(1e8),
       "As tf-cpu-flushes-subnormals: the float32 subnormal input 3e-39 is 0 on TF's CPU kernels, so |d| / 1e-7 is 0 "
       "(not 3e-30) and its slope 0 (not 1e9).", TF_FTZ),
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
    _unchecked("keras-gce-validates-nothing",
               (Cells(apis=GCE, checks="error", cases=("class_out_of_range", "probability_above_1")),
                Cells(apis=GCE[1], checks="error", cases="q_above_1")),
               ("finite",),
               "A class index beyond C one-hot encodes to a zero row (p_y = 0, the loss 1 / q), probabilities above "
               "1 pass, and the function takes q > 1 (only the class checks q): " + ACCEPTS + ".",
               f"{KERAS_LOSSES} categorical_generalized_cross_entropy, CategoricalGeneralizedCrossEntropy.__init__"),
]

# ---------------------------------------------------------------- pairwise (issue 11, batch NL1)

V1_PAIRWISE = f"{V1}mean_pairwise_squared_error"

DIVERGENCES += [
    _d("tf-v1-pairwise-scalar-weights-count-the-batch", "bug",
       Cells(apis=V1_PAIRWISE, cases=("interior_4x5", "one_element_each")), Reproduces({"count": "batch"}),
       "With the default scalar weights, _num_present takes its eager shortcut (a non-zero scalar weight returns "
       "_num_elements(losses), the whole batch's count M) and ignores per_batch=True: every sample is normalised "
       "as 2 / (M - 1) (sum d^2 - (sum d)^2 / M) instead of by its own element count K, so a batch of more than one "
       "sample is not the documented mean over each sample's pairs (seen: 8.07 for 9.33 on [[1, 2, 4], [0, 3, 1]]; "
       "a sample of one element gets a nonzero loss).  Weights of shape (N, 1) take the per-sample count; graph "
       "mode does too (the shortcut is eager-only).",
       f"{TF_V1} _num_present (the context.executing_eagerly() and weights._rank() == 0 branch), "
       "mean_pairwise_squared_error (num_present_per_batch = _num_present(diffs, weights, per_batch=True)); "
       "https://github.com/tensorflow/tensorflow/pull/16433 (the per-sample normalisation it meant to fix)"),
    _d("tf-v1-pairwise-cancels", "precision",
       Cells(apis=V1_PAIRWISE, cases="common_offset"), Units({"float32": 1e4}),
       "The per-sample loss is formed as 2 sum d^2 / (K - 1) - 2 (sum d)^2 / (K (K - 1)) in float32: where the d_k "
       "share an offset large against their spread the two terms cancel (seen: 547 units on the value, 3.0e3 on "
       "the gradient, whose 4 d_k / (K - 1) - 4 sum d / (K (K - 1)) cancels alike, at d = 100 + 0.01 z).",
       f"{TF_V1} mean_pairwise_squared_error (term1 - term2)"),
]

# ---------------------------------------------------------------- sampled losses (issue 11, batch NL1)

SAMPLED = ("tf.nn.nce_loss", "tf.nn.sampled_softmax_loss")
TF_SAMPLING = "tensorflow 2.21.0 tensorflow/python/ops/candidate_sampling_ops.py"

DIVERGENCES += [
    _d("tf-sampled-accidental-hits-presuppose-unique", "different-definition",
       Cells(apis=SAMPLED, cases="duplicate_sampled_hit"), Units({"float32": 1e7, "float64": 1e16}),
       "compute_accidental_hits reports one position per true class, the last one at which sampled_candidates holds "
       "it (documented: 'We presuppose that the sampled_candidates are unique'), so a class sampled twice that is a "
       "true class keeps its other draw in the loss, where removing accidental hits removes every draw of it.  "
       "TensorFlow's own samplers draw unique candidates by default (unique=True), so only sampled_values with "
       "repeats meet it.",
       f"{TF_SAMPLING} compute_accidental_hits (docstring); {TF_NN_IMPL} _compute_sampled_logits"),
    _unchecked("tf-sampled-validates-no-expected-count",
               Cells(apis=SAMPLED, checks="error", cases="zero_expected_count"), ("nan",),
               "An expected count of 0 is taken as it is: the logit correction -log(0) = +inf makes the loss NaN "
               "instead of an error.", f"{TF_NN_IMPL} _compute_sampled_logits (math_ops.log(sampled_expected_count))"),
]

DIVERGENCES += [
    _d("keras-circle-nan-gradient-dropped", "different-definition",
       Cells(apis=CIRCLE, checks="grad", cases="nonfinite"), Signature(("0/nan",)),
       "A NaN embedding makes its distances NaN, and ops.maximum(d, 0) passes no gradient to a NaN operand (the "
       "maximum's gradient goes to the operand selected by d >= 0, false for NaN): the NaN row's gradient is 0 "
       "where the reference's is NaN (the values agree: NaN); torch's maximum passes it (keras_torch.py).",
       f"{KERAS_LOSSES} circle (ops.maximum(pairwise_cosine_distances, 0.0))"),
    _unchecked("tf-l2-loss-of-difference-broadcasts",
               Cells(apis="tf.nn.l2_loss", checks="error", cases="shape_broadcasts"), ("finite",),
               "tf.nn.l2_loss takes one tensor, so the binding passes x - y, and TensorFlow's subtraction broadcasts "
               "(N, 1) against (N,) to (N, N) before l2_loss sums it: what a user writing 2 * tf.nn.l2_loss(x - y) "
               "gets (tf.compat.v1.losses and the tf.nn cross entropies raise: 'Shapes (8, 1) and (8,) are "
               "incompatible').", "tensorflow 2.21.0 tensorflow/python/ops/nn_ops.py l2_loss; adapters/tf_nn.py"),
]
