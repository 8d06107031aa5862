"""Known divergences of tf_keras (Keras 2) from the reference (see conformance/registry.py for the fields).

Versions checked: tf-keras 2.21.0 on tensorflow-cpu 2.21.0 (the sources under site-packages).  Bindings are named by
their exact ids ("api[variant]"); CLASS selects the loss classes, whose reduction is Keras 2's own.
"""

from ..registry import Cells, Divergence, Signature, Units, Where, shorthands
from .keras import log_cosh_entries

SRC = "tf-keras 2.21.0 tf_keras/src/losses.py"
BACKEND = "tf-keras 2.21.0 tf_keras/src/backend.py"
LOSSES_UTILS = "tf-keras 2.21.0 tf_keras/src/utils/losses_utils.py"
TF_XENT = "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h"
TF_NN_IMPL = "tensorflow 2.21.0 tensorflow/python/ops/nn_impl.py"
TF_FTZ = "tensorflow/core/platform/denormal.cc (ScopedFlushDenormal); https://github.com/tensorflow/tensorflow/pull/11939"
VALUE_GRAD = ("value", "grad")

P = "tf_keras.losses."
CLASS = Where("the binding is a tf_keras loss class (tf_keras.losses.CapitalName)",
              lambda k: k.api.startswith(P) and k.api[len(P):][:1].isupper())
CCE_PROBS = (f"{P}CategoricalCrossentropy[from_logits=False]", f"{P}categorical_crossentropy[from_logits=False]")
CCE_LOGITS = (f"{P}CategoricalCrossentropy[from_logits=True]", f"{P}categorical_crossentropy[from_logits=True]")
SCCE_PROBS = (f"{P}SparseCategoricalCrossentropy[from_logits=False]",
              f"{P}sparse_categorical_crossentropy[from_logits=False]")
SCCE_LOGITS = (f"{P}SparseCategoricalCrossentropy[from_logits=True]",
               f"{P}sparse_categorical_crossentropy[from_logits=True]")
HUBER_INTERIOR = ("interior_3d", "interior_8x5", "interior_batch1", "interior_delta_0.5", "interior_delta_2",
                  "kink_at_delta_1_9", "interior_beta_0.1111", "interior_beta_0.5", "weight", "weight_8x5")
HUBER_KINKS = ("kink_at_delta", "kink_at_beta", "kink_at_beta_1")  # |d| = delta exactly: float32 holds the values


_d, _unchecked = shorthands("tf_keras")


DIVERGENCES: list[Divergence] = [
    # ------------------------------------------------------------ reductions and masks
    _d("tf-keras-mean-of-nothing-is-zero", "different-definition",
       Cells(losses=("l1", "mse", "huber", "smooth_l1", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                     "sigmoid_focal", "poisson_nll", "kl_div", "log_cosh", "mape", "msle", "squared_hinge",
                     "softmax_focal"),
             checks="value", cases=("empty", "rate_input_empty"), reductions=("mean", "batchmean"), where=CLASS),
       Signature(("0/nan",)),
       "'sum_over_batch_size' (and 'auto') divides with divide_no_nan, so the mean of an empty batch is 0, not "
       "0 / 0 = NaN.", f"{LOSSES_UTILS} _safe_mean"),
    _d("tf-keras-ignore-class-no-gradient", "different-definition",
       Cells(apis=(*SCCE_PROBS, *SCCE_LOGITS), checks="grad", cases="all_ignored", reductions="mean"),
       Signature(("0/nan",)),
       "ignore_class gathers the valid positions and scatters their losses back (tf.scatter_nd), so ignored "
       "positions get no gradient whatever flows in: with every target ignored the composed mean 0 / 0 is NaN, as the "
       "reference's, but its gradient is 0, not (1 / 0) * 0 = NaN.", f"{BACKEND} sparse_categorical_crossentropy"),
    # ------------------------------------------------------------ Huber in float32
    _d("tf-keras-huber-computes-in-float32", "precision",
       (Cells(losses=("huber", "smooth_l1"), checks=VALUE_GRAD, dtypes="float64", cases=HUBER_INTERIOR),
        Cells(losses=("huber", "smooth_l1"), checks="grad", dtypes="float64", cases=HUBER_KINKS),
        Cells(losses=("huber", "smooth_l1"), checks="value", dtypes="float64", cases=HUBER_KINKS, reductions="mean")),
       Units({"float64": 1e9}),
       "huber casts y_true, y_pred and delta to backend.floatx() (float32) whatever the input dtype: float64 values "
       "and gradients have float32 accuracy (2^29 float64 units per float32 rounding).", f"{SRC} huber"),
    _d("tf-keras-huber-float32-range", "precision",
       Cells(losses=("huber", "smooth_l1"), checks=VALUE_GRAD, dtypes="float64", cases="extreme"),
       Units({"float64": 2e15}),
       "The same cast to float32 (tf-keras-huber-computes-in-float32) on inputs beyond float32's range: 1e-300 "
       "becomes 0 and a subnormal is flushed, so the relative error of those elements is total.", f"{SRC} huber"),
    _d("tf-keras-huber-where-nan-gradient", "bug",
       Cells(losses=("huber", "smooth_l1"), checks="grad", cases="nonfinite"), Signature(("nan/finite",)),
       "Huber is tf.where(|d| <= delta, 0.5 d^2, delta |d| - 0.5 delta^2): at d = +-inf the untaken branch's slope is "
       "inf and where's gradient multiplies it by 0, giving NaN instead of +-delta.",
       f"{SRC} huber; https://github.com/tensorflow/tensorflow/issues/38349"),
    # ------------------------------------------------------------ clipping, beyond the clip convention
    _d("tf-keras-bce-clip-bound-rounding", "precision",
       Cells(apis=(f"{P}BinaryCrossentropy[from_logits=False]", f"{P}binary_crossentropy[from_logits=False]"),
             checks="value", cases="saturation", dtypes="float32", reductions="none"),
       Units({"float32": 1e5}),
       "Beyond the clip convention (clip_eps = log_eps = 1e-7): in float32 the bound 1 - 1e-7 rounds to 1 - 2^-23, "
       "so a probability clipped there gives -log(2^-23 + 1e-7) = 15.33, not -log(2e-7) = 15.42.",
       f"{BACKEND} binary_crossentropy"),
    _d("tf-keras-clip-nan-gradient-is-zero", "bug",
       Cells(losses=("binary_cross_entropy", "kl_div"), checks="grad", cases="nonfinite"), Signature(("0/nan",)),
       "tf.clip_by_value's gradient is 0 at a NaN input, so a NaN probability gets gradient 0 instead of NaN through "
       "Keras 2's clip, and so does a NaN target of kl_divergence (which clips y_true to [1e-7, 1] too).",
       "tensorflow 2.21.0 tensorflow/python/ops/clip_ops.py _clip_by_value_grad"),
    _d("tf-keras-cce-clip-bound-rounding", "precision",
       Cells(apis=CCE_PROBS, checks="value", cases="saturation_logits_1e4", dtypes="float32", reductions="none"),
       Units({"float32": 2e6}),
       "Beyond the clip convention: in float32 the bound 1 - 1e-7 rounds to 1 - 2^-23 and -log(1 - 2^-23) = 1.19e-7, "
       "not 1.0e-7.", f"{BACKEND} categorical_crossentropy"),
    _d("tf-keras-sparse-ce-renormalizes-clipped-probabilities", "different-definition",
       (Cells(apis=SCCE_PROBS, checks="value", cases=("saturation_logits_1e4", "extreme"), dtypes="float64"),
        Cells(apis=SCCE_PROBS, checks="value", cases="nonfinite", dtypes="float64", reductions="none"),
        Cells(apis=SCCE_PROBS, checks="value", cases="saturation_logits_1e4", dtypes="float32", reductions="none")),
       Units({"float32": 2e7, "float64": 5e15}),
       "Fed probabilities, Keras 2 clips them to [1e-7, 1 - 1e-7] and applies sparse softmax cross entropy to "
       "log(clip(p)): -log clip(p_y) + log sum_c clip(p_c), which is not -log clip(p_y) wherever a probability was "
       "clipped (the sum exceeds 1).", f"{BACKEND} sparse_categorical_crossentropy"),
    # ------------------------------------------------------------ TensorFlow kernels under Keras 2
    _d("tf-keras-softmax-ce-log-not-log1p", "precision",
       Cells(apis=(*CCE_LOGITS, *SCCE_LOGITS), checks="value", cases="saturation_logits_1e4", reductions="none"),
       Units({"float32": 3e5, "float64": 2e11}),
       "TF's softmax cross-entropy kernel (which Keras 2 calls on logits) takes log(sum exp(x - max)) with log, not "
       "log1p of the non-max terms, so a loss below the dtype's resolution next to 1 comes out 0.",
       f"{TF_XENT} (logsumexp with log)"),
    _d("tf-keras-softmax-ce-zero-times-minus-inf", "bug",
       Cells(apis=CCE_LOGITS, checks="value", cases="nonfinite", reductions="none"), Signature(("nan/finite",)),
       "A -inf logit of a class with target probability 0 gives 0 * (-inf) = NaN in the dense softmax cross "
       "entropy, where the term is 0.", TF_XENT),
    _d("tf-keras-sigmoid-ce-infinite-logit-nan", "bug",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/inf", "nan/finite")),
       "from_logits=True calls tf.nn.sigmoid_cross_entropy_with_logits, whose max(x, 0) - x z + log1p(exp(-|x|)) "
       "gives inf - inf = NaN at an infinite logit.", f"{BACKEND} binary_crossentropy; {TF_NN_IMPL}"),
    _d("tf-keras-cpu-flushes-subnormals", "precision",
       (Cells(losses=("l1", "mape"), checks="value", cases="extreme", dtypes="float32", reductions="none"),
        Cells(losses=("l1", "mape"), checks="grad", cases="extreme", dtypes="float32")),
       Units(1e7),
       "TF runs its CPU kernels with flush-to-zero, so float32 subnormal inputs (3e-39) are 0: |d| is 0 and its slope "
       "0 instead of 1 (MAPE at y = 0: |d| / 1e-7 is 0, not 3e-30, and its slope 0, not 1e9).", TF_FTZ),
    _d("tf-keras-focal-gradient-overflow", "bug",
       Cells(losses="sigmoid_focal", checks="grad", cases="extreme", dtypes="float32", reductions=("none", "sum")),
       Signature(("nan/finite",)),
       "At x = 3e38 (y = 0) the product rule sends cotangent * bce (3e38 times the cotangent: inf in float32) into "
       "the focal factor, whose sigmoid slope is 0: inf * 0 = NaN.", f"{BACKEND} binary_focal_crossentropy"),
    # ------------------------------------------------------------ bad input accepted (error cells)
    _unchecked("tf-keras-bce-no-range-check",
               Cells(losses="binary_cross_entropy", checks="error", cases=("input_outside_0_1", "target_outside_0_1")),
               ("finite",), "Probabilities and targets outside [0, 1] are not checked: the input is clipped, the "
               "target used as is.", f"{BACKEND} binary_crossentropy"),
    _unchecked("tf-keras-bce-logits-no-target-check",
               Cells(losses="binary_cross_entropy_with_logits", checks="error", cases="target_outside_0_1"),
               ("finite",), "Targets outside [0, 1] are not checked: the formula is evaluated with them.",
               f"{BACKEND} binary_crossentropy; {TF_NN_IMPL} sigmoid_cross_entropy_with_logits"),
    _unchecked("tf-keras-one-hot-out-of-range",
               Cells(apis=(*CCE_PROBS, *CCE_LOGITS, f"{P}CategoricalHinge[scores shifted to >= 0]",
                           f"{P}categorical_hinge[scores shifted to >= 0]"),
                     checks="error", cases="class_out_of_range"),
               ("finite",),
               "The binding one-hot encodes index targets (an index outside [0, C) gives a zero row, as tf.one_hot "
               "documents): such a sample silently gets loss 0.", "https://www.tensorflow.org/api_docs/python/tf/one_hot"),
    _unchecked("tf-keras-cce-no-target-check",
               Cells(apis=(*CCE_PROBS, *CCE_LOGITS), checks="error", cases="prob_target_outside_0_1"), ("finite",),
               "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated with them.",
               f"{BACKEND} categorical_crossentropy"),
    _unchecked("tf-keras-hinge-converts-0-1-labels",
               Cells(apis=(f"{P}Hinge[binary]", f"{P}hinge[binary]", f"{P}SquaredHinge", f"{P}squared_hinge"),
                     checks="error", cases="labels_0_1"), ("finite",),
               "hinge and squared_hinge convert binary {0, 1} labels to {-1, 1} (_maybe_convert_labels), so they are "
               "accepted.", f"{SRC} hinge, squared_hinge, _maybe_convert_labels"),
    _unchecked("tf-keras-kl-clips-targets", Cells(losses="kl_div", checks="error", cases="target_outside_0_1"),
               ("finite",), "y_true is clipped into [1e-7, 1] before the formula, not rejected.",
               f"{SRC} kl_divergence"),
    _unchecked("tf-keras-poisson-no-range-check",
               Cells(losses="poisson_nll", checks="error", cases=("negative_rate", "rate_input_negative_count")),
               ("finite", "nan"), "Negative rates and counts are not checked: a negative rate gives NaN from the log, "
               "a negative count a number.", f"{SRC} poisson"),
    _unchecked("tf-keras-focal-no-target-check",
               Cells(losses="sigmoid_focal", checks="error", cases="target_outside_0_1"), ("finite",),
               "Targets outside [0, 1] are not checked: the focal formula is evaluated with them.",
               f"{BACKEND} binary_focal_crossentropy"),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

LOG2_32 = ("log_cosh subtracts tf.cast(tf.math.log(2.0), dtype), and tf.math.log(2.0) is computed in float32: in "
           "float64 every element is off by 0.6931471824645996 - log 2 = 1.9e-9")
LOG2_SRC = f"{SRC} log_cosh (_logcosh(x) = x + tf.math.softplus(-2.0 * x) - tf.cast(tf.math.log(2.0), x.dtype))"
ACCEPTS = "the reference rejects it (ValueError); Keras 2 validates nothing of it and returns a finite loss"

DIVERGENCES += [
    *log_cosh_entries(_d, "tf-keras", LOG2_32, LOG2_SRC, nan_source=LOG2_SRC, cancel_source=LOG2_SRC),
    _d("tf-keras-mape-infinite-target-nan-grad", "bug",
       Cells(losses="mape", checks="grad", cases="nonfinite"), Signature(("nan/0",)),
       "Keras 2 forms abs((y - x) / max(|y|, eps)): at y = inf the quotient is inf / inf = NaN and abs's slope there "
       "is NaN, which times the quotient's slope -1 / inf = -0 is NaN; the reference's slope sign(d) / max(|y|, eps) "
       "is -0.", f"{SRC} mean_absolute_percentage_error"),
    _unchecked("tf-keras-msle-accepts-below-minus-one",
               Cells(losses="msle", checks="error", cases=("input_at_minus_one", "target_below_minus_one")),
               ("finite",),
               "Keras 2 raises x and y to max(., 1e-7) before log(. + 1) (the clip_min convention) and so accepts "
               "values at or below -1, where log1p is undefined: " + ACCEPTS + ".",
               f"{SRC} mean_squared_logarithmic_error"),
    _d("tf-keras-msle-cancels-near-equal-large", "precision",
       Cells(losses="msle", checks="grad", cases="near_equal_large"), Units({"float32": 1e8, "float64": 1e8}),
       "The slope 2 (log(x + 1) - log(y + 1)) / (x + 1) takes the difference of two rounded logs of large values, "
       "so near-equal x and y (1e8 and 1e8 + 16) lose it (1.3e7 units); the reference forms "
       "log1p((x - y) / (1 + y)).", f"{SRC} mean_squared_logarithmic_error (first_log - second_log)"),
    _d("tf-keras-maximum-nan-gradient-zero", "bug",
       Cells(losses=("msle", "squared_hinge"), checks="grad", cases="nonfinite"), Signature(("0/nan",)),
       "tf.maximum(v, c) (MSLE's max(x, 1e-7), the squared hinge's max(1 - y f, 0)) gives NaN for v = NaN, but its "
       "gradient goes to the constant's branch (v >= c is false), so the slope is 0 where the loss is NaN.",
       f"{SRC} mean_squared_logarithmic_error (backend.maximum), squared_hinge (tf.maximum)"),
    _unchecked("tf-keras-focal-negative-gamma-accepted",
               Cells(losses="softmax_focal", checks="error", cases="negative_gamma"), ("finite",),
               "gamma < 0 makes (1 - p)^gamma a growing weight: " + ACCEPTS + ".",
               f"{BACKEND} categorical_focal_crossentropy"),
    _d("tf-keras-focal-clip-bound-rounding", "precision",
       Cells(losses="softmax_focal", checks="value", cases=("extreme", "saturated"), dtypes="float32",
             reductions="none"), Units({"float32": 1e7}),
       "As tf-keras-cce-clip-bound-rounding, beyond the clip convention: in float32 the bound 1 - 1e-7 rounds to "
       "1 - 2^-23 (1.19e-7): a probability clipped at the top has -log(1 - 1.19e-7) in its loss, not -log(1 - 1e-7) "
       "(2.9e6 units of the small loss).", f"{BACKEND} categorical_focal_crossentropy (tf.clip_by_value)"),
    # ------------------------------------------------------------ (N, 1) against (N,) (issue 10)
    _unchecked("tf-keras-classes-squeeze-trailing-one",
               Cells(checks="error", cases="shape_broadcasts", where=CLASS), ("finite",),
               "The classes align the ranks first (squeeze_or_expand_dimensions squeezes the trailing 1): an (N, 1) "
               "prediction against (N,) targets gives the loss of the intended N pairs (measured: shape (8,)).",
               f"{SRC} LossFunctionWrapper.call; {LOSSES_UTILS} squeeze_or_expand_dimensions"),
    _unchecked("tf-keras-functions-broadcast",
               Cells(losses=("l1", "mse", "mape", "msle", "huber", "smooth_l1", "log_cosh", "kl_div",
                             "binary_cross_entropy"), checks="error", cases="shape_broadcasts",
                     where=Where("a tf_keras function (not a class)", lambda k: not CLASS.test(k))),
               ("finite",),
               "The functions do not align the ranks: (N, 1) against (N,) broadcasts to (N, N) pairs (measured: shape "
               "(8, 8)), where the class of the same loss squeezes; the logits forms raise in "
               "tf.nn.sigmoid_cross_entropy_with_logits.", f"{SRC} mean_squared_error, huber, kl_divergence, ..."),
]
