"""Known divergences of Keras 3 itself (keras/src/losses): what adapters/keras.py's bindings show on every backend.

Version checked: keras 3.15.1 (the sources under site-packages), on the TensorFlow and torch backends.  One entry per
mechanism, written once and given to every stack whose modules include "keras" (adapters/stacks.py): each gets its
copy.  What a backend's own ops do under Keras lives in that stack's module (tensorflow.py, keras_torch.py, ...).
"""

import dataclasses

from adapters.stacks import STACKS

from ..registry import Cells, Raises, Signature, Units, Where, shorthands

KERAS_LOSS = "keras 3.15.1 keras/src/losses/loss.py reduce_values"
KERAS_LOSSES = "keras 3.15.1 keras/src/losses/losses.py"

KERAS_CLASS = Where("the binding is a Keras loss class (keras.losses.CapitalName)",
                    lambda k: k.api.startswith("keras.losses.") and k.api[len("keras.losses."):][:1].isupper())
KERAS_API = Where("the binding is a Keras one (keras.*)", lambda k: k.api.startswith("keras."))
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
BINARY_HINGE = ("keras.losses.Hinge[binary]", "keras.losses.hinge[binary]")
GCE = ("keras.losses.CategoricalGeneralizedCrossEntropy", "keras.losses.categorical_generalized_cross_entropy")
LOG2_32 = ("log_cosh subtracts log2 = convert_to_tensor(ops.log(2.0), dtype), and ops.log(2.0) is computed in "
           "float32: in float64 every element is off by 0.6931471824645996 - log 2 = 1.9e-9")
LOG2_SRC = f"{KERAS_LOSSES} log_cosh (log2 = ops.convert_to_tensor(ops.log(2.0), dtype=y_pred.dtype))"
ACCEPTS = "the reference rejects it (ValueError); Keras validates nothing of it and returns a finite loss"


def log_cosh_entries(entry, prefix, log2_32, source, nan_source, cancel_source):
    """The four log_cosh entries Keras 3 and Keras 2 share (the same formula, d + softplus(-2 d) - log 2, with a
    float32 log 2): ``entry`` a stack's shorthand, ids ``<prefix>-log-cosh-...``, ``log2_32`` the sentence that
    says where that log 2 comes from, the citations of the log 2, the NaN at -inf and the cancellation."""
    return [
        entry(f"{prefix}-log-cosh-float32-log-2", "bug",
              (Cells(losses="log_cosh", checks="value", dtypes="float64",
                     cases=("interior_8x5", "interior_batch1", "interior_3d")),
               Cells(losses="log_cosh", checks="value", dtypes="float64", cases="small_d", reductions=("mean", "sum")),
               Cells(losses="log_cosh", checks="value", dtypes="float64", cases="large_d", reductions="none")),
              Units({"float64": 1e9}),
              log2_32 + " (up to 5e8 units, on the small losses of ordinary values).", source),
        entry(f"{prefix}-log-cosh-float32-log-2-at-zero-loss", "bug",
              Cells(losses="log_cosh", checks="value", dtypes="float64", cases=("small_d", "extreme"),
                    reductions="none"),
              Units({"float64": 32}, absolute={"float64": 2e-9}),
              log2_32 + ": where the loss is 0 (d = 0) or tiny (|d| = 1e-30, loss 5e-61) that absolute 1.9e-9 has no "
              "bound in units of the loss (inf, 6e83), and the loss can come out negative; the other elements are "
              "within the normal tolerance.", source),
        entry(f"{prefix}-log-cosh-minus-infinity-nan", "bug",
              Cells(losses="log_cosh", checks="value", cases="nonfinite", reductions="none"), Signature(("nan/inf",)),
              "log cosh d is formed as d + softplus(-2 d) - log 2: for d = -inf that is -inf + inf = NaN, where the "
              "loss is +inf.", nan_source),
        entry(f"{prefix}-log-cosh-cancels-small-d", "precision",
              Cells(losses="log_cosh", checks="value", cases="small_d", dtypes="float32", reductions="none"),
              Units({"float32": 1e7}),
              "d + softplus(-2 d) - log 2 cancels for small |d|, where log cosh d ~ d^2 / 2: the float32 rounding of "
              "the terms near log 2 (6e-8) is the whole loss (2.8e6 units at d = 1e-5; 0 or negative below).",
              cancel_source),
    ]


_d, _unchecked = shorthands("")  # each Keras stack's copy sets its framework (below)

ENTRIES = [
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
    _d("keras-huber-where-nan-gradient", "bug",
       Cells(losses=("huber", "smooth_l1"), checks="grad", cases="nonfinite", where=KERAS_API),
       Signature(("nan/finite",)),
       "Huber is where(|d| <= delta, 0.5 d^2, delta |d| - 0.5 delta^2): at d = +-inf the untaken branch's slope d "
       "is inf and where's gradient multiplies it by 0, giving NaN instead of +-delta (smooth_l1 is Huber(delta="
       "beta) / beta and inherits it).", f"{KERAS_LOSSES} huber; https://github.com/tensorflow/tensorflow/issues/38349"),
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
    _unchecked("keras-poisson-no-range-check",
               Cells(losses="poisson_nll", checks="error", cases=("negative_rate", "rate_input_negative_count"),
                     apis=("keras.losses.Poisson", "keras.losses.poisson")),
               ("finite", "nan"),
               "Negative rates and counts are not checked: a negative rate gives NaN from the log, a negative count a "
               "number.", f"{KERAS_LOSSES} poisson"),
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
    *log_cosh_entries(_d, "keras", LOG2_32, LOG2_SRC,
                      nan_source=f"{KERAS_LOSSES} log_cosh (_logcosh(x) = x + softplus(x * -2.0) - log2)",
                      cancel_source=f"{KERAS_LOSSES} log_cosh"),
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
    # (N, 1) against (N,) (issue 10: shapes as users pass them)
    _unchecked("keras-squeezes-trailing-one",
               (Cells(checks="error", cases="shape_broadcasts", where=KERAS_CLASS),
                Cells(losses=("l1", "mse", "mape", "msle", "huber", "smooth_l1", "log_cosh"), checks="error",
                      cases="shape_broadcasts", where=KERAS_API)),
               ("finite",),
               "An (N, 1) prediction against (N,) targets is made one rank by squeeze_or_expand_to_same_rank, which "
               "squeezes the trailing 1: the loss of the intended N pairs (measured: shape (8,) for 'none'), not "
               "NumPy's (N, N) broadcast; the reference rejects the shapes.  The functional binary cross entropies "
               "raise ('must have the same rank').",
               f"{KERAS_LOSSES} LossFunctionWrapper.call, mean_squared_error (squeeze_or_expand_to_same_rank); "
               "keras 3.15.1 keras/src/losses/loss.py squeeze_or_expand_to_same_rank"),
    _unchecked("keras-kl-divergence-function-broadcasts",
               Cells(apis="keras.losses.kl_divergence", checks="error", cases="shape_broadcasts"), ("finite",),
               "The function kl_divergence does not align the ranks (the class does): y_true * log(y_true / y_pred) "
               "broadcasts (N, 1) against (N,) to (N, N) pairs (measured: shape (8, 8) for 'none').",
               f"{KERAS_LOSSES} kl_divergence (no squeeze_or_expand_to_same_rank)"),
]

# ---------------------------------------------------------------- circle (issue 11, batch 2)

CIRCLE = ("keras.losses.Circle", "keras.losses.circle")

ENTRIES += [
    _d("keras-circle-distance-rounding", "precision",
       Cells(apis=CIRCLE, checks="grad", cases="saturated"), Units({"float32": 1e6, "float64": 2e6}),
       "circle forms the distance d = 1 - x_i . x_j and works with d (weights m + d, 1 + m - d; offsets m - d, "
       "1 - m - d): where the positives are nearly aligned (s = 1 - 5e-7) d keeps only the absolute accuracy of s, "
       "so the gradient's small components (1e-13 beside 1e-9) carry a relative error near u / 5e-7.",
       f"{KERAS_LOSSES} circle (pairwise_cosine_distances = 1 - matmul(y_pred, ref_embeddings^T))"),
    _unchecked("keras-circle-unchecked", Cells(apis=CIRCLE, checks="error", cases=("labels_shape", "gamma_negative")),
               ("finite",),
               "Neither gamma's sign nor the labels' shape is checked: (N, 1) labels are reshaped to (N,) by "
               "build_pos_neg_masks, and a negative gamma flips the exponents.",
               f"{KERAS_LOSSES} circle; keras 3.15.1 keras/src/utils/numerical_utils.py build_pos_neg_masks"),
]

# Off TensorFlow (Keras on torch) two of these entries see more: the gradients of the one-hot product carry float32's
# error in float64 (Keras's float64-to-float32 promotion, keras_torch.py's keras-torch-float64-mean-in-float32: 3.6e9
# units measured), and the MAPE gradient at a NaN input is torch's abs backward sgn(NaN) = 0 (0/nan) beside the NaN at
# an infinite target (torch 2.14.1 tools/autograd/derivatives.yaml abs: grad * self.sgn())
OFF_TENSORFLOW = {
    "keras-gce-one-hot-product-nan": Signature(("nan/0", "nan/finite", "nan/inf"), units={"float64": 1e10}),
    "keras-mape-infinite-target-nan-grad": Signature(("nan/0", "0/nan"), units={"float64": 1e9}),  # 2.3e8 measured
    # the same promotion: 9.1e-9 absolute at zero loss and 1.8e7 units elsewhere; near alignment 3.3e14 units of the
    # float64 gradient's small components
    "keras-log-cosh-float32-log-2-at-zero-loss": Units({"float64": 1e9}, absolute={"float64": 1e-8}),
    "keras-circle-distance-rounding": Units({"float32": 1e6, "float64": 1e15}),
}


# On JAX (keras-jax, every call jitted) two more: jax's abs slope at NaN is -1 (jax/_src/lax/lax.py _abs_jvp_rule:
# select(x >= 0, g, -g)), so MAPE's gradient at a NaN input is finite (finite/nan) beside the NaN at an infinite target;
# the one-hot product's float32 cells agree (the labels are constants of the compiled program, whose product with them
# XLA folds into a pick: no 0 * inf), its float64 ones keep the promotion's error; circle's saturated float32 gradient
# is off by 1.4e6 units (measured)
ON_JAX = {
    "keras-mape-infinite-target-nan-grad": {"bound": Signature(("nan/0", "finite/nan"), units={"float64": 1e9})},
    "keras-gce-one-hot-product-nan": {"cells": tuple(dataclasses.replace(c, dtypes=("float64",)) for c in next(
        d for d in ENTRIES if d.id == "keras-gce-one-hot-product-nan").cells)},
    "keras-circle-distance-rounding": {"bound": Units({"float32": 2e6, "float64": 1e15})},
}


def _for(stack, d):
    backend = stack.env.get("KERAS_BACKEND")
    changes = {"bound": OFF_TENSORFLOW[d.id]} if backend != "tensorflow" and d.id in OFF_TENSORFLOW else {}
    changes |= ON_JAX.get(d.id, {}) if backend == "jax" else {}
    return dataclasses.replace(d, framework=stack.name, **changes)


DIVERGENCES = [_for(s, d) for s in STACKS.values() if "keras" in s.modules for d in ENTRIES]
