"""Known divergences of sklearn from the reference (see conformance/registry.py for the fields).

Version read: scikit-learn 1.9.1 (the installed sources are the citations' authority).
"""

from ..registry import Cells, Divergence, Raises, Signature, Units, shorthands

SK = "scikit-learn 1.9.1"
M = "sklearn.metrics."


_d, _returns = shorthands("sklearn")


def _unchecked(id, cells, explanation, citation):
    """Bad input sklearn accepts: an error cell where it returns a finite value instead of raising."""
    return _returns(id, cells, ("finite",), explanation, citation)


DIVERGENCES: list[Divergence] = [
    _d("sklearn-validation-rejects-nonfinite-and-empty", "different-definition",
       Cells(checks="value", cases=("nonfinite", "nan_probability", "empty")),
       Raises(r"^ValueError: (Input contains (NaN|infinity)|Found array with 0 sample)"),
       "sklearn metrics validate their inputs (check_array) and raise ValueError on NaN/inf inputs and on an "
       "empty batch, where the definition gives NaN/inf (empty: the empty mean or sum): a narrower domain, "
       "deliberate and tested upstream.",
       f"{SK} sklearn/utils/validation.py check_array (ensure_all_finite=True, ensure_min_samples=1); "
       "sklearn/metrics/tests/test_common.py test_continuous_inf_nan_input, test_classification_inf_nan_input, "
       "test_classification_metrics_raise_on_empty_input"),
    _d("sklearn-hinge-binary-one-class-read-as-negative", "bug",
       Cells(apis=f"{M}hinge_loss", checks="value", cases=("binary_batch1", "binary_all_positive")),
       Units({"float32": 1e7, "float64": 5e15}),
       "Binary y_true is encoded by LabelBinarizer(neg_label=-1) fitted on y_true itself (labels= is ignored for "
       "two labels), and LabelBinarizer maps a single class to neg_label: a batch whose targets are all +1 is "
       "scored as all -1, max(0, 1 + f) instead of max(0, 1 - f).",
       "https://github.com/scikit-learn/scikit-learn/issues/6723 (LabelBinarizer single label case, open); "
       f"{SK} sklearn/metrics/_classification.py hinge_loss (lbin.fit_transform(y_true))"),
    _unchecked("sklearn-hinge-binary-any-two-labels", Cells(apis=f"{M}hinge_loss", checks="error", cases="labels_0_1"),
               "Binary y_true may hold any two labels: the smaller is read as -1 and the greater as +1, so {0, 1} "
               "targets are accepted as {-1, 1} instead of rejected.",
               f"{SK} sklearn/metrics/_classification.py hinge_loss (y_true doc; LabelBinarizer(neg_label=-1))"),
    _unchecked("sklearn-label-ranking-nonzero-is-relevant",
               Cells(apis=f"{M}label_ranking_loss", checks="error", cases="indicator_not_0_1"),
               "y_true counts as a label indicator when it holds at most two distinct integer values "
               "(type_of_target), and every nonzero entry is a relevant label (csr_array), so {0, 2} is accepted "
               "as {0, 1}.",
               "https://github.com/scikit-learn/scikit-learn/pull/7951 (maintainers: type_of_target's <= 2 unique "
               f"values rule is the definition); {SK} sklearn/utils/multiclass.py is_multilabel, "
               "sklearn/metrics/_ranking.py label_ranking_loss"),
    _unchecked("sklearn-zero-one-no-class-count", Cells(losses="zero_one", checks="error", cases="class_out_of_range"),
               "zero_one_loss and hamming_loss compare label values and take no class count (no labels= argument), "
               "so a target outside range(C) of the scores is an ordinary mismatch, not an error.",
               f"{SK} sklearn/metrics/_classification.py zero_one_loss, hamming_loss (signatures)"),
    _d("sklearn-zero-one-argmax-nan", "different-definition",
       Cells(losses="zero_one", checks="value", cases="scores_nan"), Signature(("finite/nan",)),
       "The composed binding predicts with np.argmax, which treats NaN as the maximum (as np.max propagates it) and "
       "predicts the first NaN's column, so a row with a NaN scores 0 or 1 where the definition has no prediction "
       "(NaN).", "NumPy 2.4 numpy/_core/fromnumeric.py argmax, amax ('NaN values are propagated')"),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

REG = f"{SK} sklearn/metrics/_regression.py"
TWEEDIE = (f"{M}mean_tweedie_deviance", f"{M}mean_poisson_deviance", f"{M}mean_gamma_deviance")

DIVERGENCES += [
    _d("sklearn-tweedie-deviance-cancels-near-minimum", "precision",
       (Cells(apis=TWEEDIE, checks="value", cases="near_minimum_power_1", dtypes="float64"),
        Cells(apis=TWEEDIE, checks="value", cases=("near_minimum_power_1.5", "near_minimum_power_2"))),
       Units({"float32": 1e4, "float64": 1e7}),
       "The unit deviance is formed as written, 2 (xlogy(y, y / x) - y + x) (power 1), 2 (log(x / y) + y / x - 1) "
       "(power 2), 2 (y^(2-p) / ((1-p)(2-p)) - y x^(1-p) / (1-p) + x^(2-p) / (2-p)) otherwise: near x = y the terms "
       "cancel to a deviance of order (x - y)^2, so its relative error grows as 1 / (x - y)^2 (seen: 4e6 units in "
       "float64 at x / y - 1 = 1e-6).", f"{REG} _mean_tweedie_deviance"),
    _d("sklearn-tweedie-deviance-float32-ratio-overflows", "bug",
       Cells(apis=TWEEDIE[:2], checks="value", cases="extreme_power_1", dtypes="float32"), Signature(("nan/finite",)),
       "In float32 (the input's dtype) y / x overflows to inf for y = 1e30, x = 1e-30 and underflows to 0 for the "
       "reverse, so xlogy gives +inf and -inf, and their mean NaN, where the deviance is a finite 6.9e31 (y (log y - "
       "log x) would not overflow).",
       f"{REG} _mean_tweedie_deviance (xlogy(y_true, y_true / y_pred))"),
    _d("sklearn-r2-one-sample-nan", "different-definition",
       Cells(apis=f"{M}r2_score", checks="value", cases="batch1_force_finite"), Signature(("nan/finite",)),
       "With fewer than two samples r2_score warns and returns NaN, whatever force_finite says; the definition "
       "with force_finite gives 0 (the best constant is perfect, the prediction is not).",
       f"{REG} r2_score ('R^2 score is not well-defined with less than two samples.'; return float('nan'))"),
    _d("sklearn-d2-float32-score-near-zero", "precision",
       Cells(apis=f"{M}d2_absolute_error_score", checks="value", cases="interior_8x3", dtypes="float32",
             reductions="none"), Units({"float32": 256}),
       "In float32 (the input's dtype) 1 - num / den cancels for a score near 0 (seen: -0.0052, 59 units): the "
       "ratio's rounding is absolute, the score's error relative to it is 1 / |score| times larger.",
       f"{REG} d2_absolute_error_score / _assemble_fraction_of_explained_deviance (1 - numerator / denominator)"),
]

# ---------------------------------------------------------------- ranking depths, probabilistic d2 (issue 11, NL1)

RANK = f"{SK} sklearn/metrics/_ranking.py"

DIVERGENCES += [
    _d("sklearn-coverage-error-one-label-raises", "different-definition",
       Cells(apis=f"{M}coverage_error", checks="value", cases="one_label"),
       Raises(r"^ValueError: binary format is not supported"),
       "coverage_error requires type_of_target(y_true) == 'multilabel-indicator', and a single label column is "
       "'binary': it raises where the coverage is defined (the rank of the one label, 1, or 0 without it); "
       "label_ranking_average_precision_score accepts that shape.",
       f"{RANK} coverage_error (if y_type != 'multilabel-indicator': raise ValueError)"),
    _unchecked("sklearn-ranking-depths-nonzero-is-relevant",
               Cells(apis=(f"{M}coverage_error", f"{M}label_ranking_average_precision_score"), checks="error",
                     cases="indicator_not_0_1"),
               "y_true counts as a label indicator when it holds at most two distinct integer values "
               "(type_of_target), and the relevant labels are where it is nonzero (coverage_error's mask "
               "np.logical_not(y_true), lrap's csr_array(y_true).indices), so {0, 2} is accepted as {0, 1}.",
               f"{RANK} coverage_error (np.ma.masked_array(y_score, mask=np.logical_not(y_true))), "
               f"label_ranking_average_precision_score (csr_array(y_true)); {SK} sklearn/utils/multiclass.py "
               "is_multilabel"),
    _d("sklearn-d2-probabilistic-one-sample-nan", "different-definition",
       Cells(apis=(f"{M}d2_log_loss_score", f"{M}d2_brier_score"), checks="value",
             cases=("log_loss_batch1", "brier_batch1")), Signature(("nan/finite", "nan/inf")),
       "With fewer than two samples both scores warn and return NaN before computing anything; the definition "
       "gives 1 - num / den with den = 0 (the best constant is exact): -inf, or a finite value where the log loss "
       "clip makes den positive.",
       f"{SK} sklearn/metrics/_classification.py d2_log_loss_score, d2_brier_score ('D^2 score is not "
       "well-defined with less than two samples.'; return float('nan'))"),
    _d("sklearn-d2-log-loss-null-clipped-at-float64-eps", "bug",
       Cells(apis=f"{M}d2_log_loss_score", checks="value", cases="log_loss_one_class", dtypes="float32"),
       Units({"float32": 1e16}),
       "_log_loss clips at finfo(y_proba.dtype).eps: the numerator's float32 probabilities at 1.2e-7, but the null "
       "model's class frequencies, an average of the (float64) label indicators, at 2.2e-16.  Where the targets are "
       "one class the denominator is that clip alone, N * 2.2e-16 instead of N * 1.2e-7, so the float32 score is "
       "5.4e8 times too negative (seen: -3.0e15 for -5.6e6).",
       f"{SK} sklearn/metrics/_classification.py d2_log_loss_score (y_proba_null = _average(transformed_labels, "
       "...)), _log_loss (eps = xp.finfo(y_proba.dtype).eps)"),
    _unchecked("sklearn-column-target-as-one-output",
               Cells(checks="error", cases="shape_broadcasts"),
               "An (N,) target beside (N, 1) predictions is read as one output: _check_reg_targets reshapes y_true to "
               "(N, 1) (and log_loss flattens), so the metric is that of the intended N pairs, not NumPy's (N, N) "
               "broadcast.", f"{SK} sklearn/metrics/_regression.py _check_reg_targets (y_true.reshape((-1, 1)))"),
]
