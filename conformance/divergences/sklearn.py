"""Known divergences of sklearn from the reference (see conformance/registry.py for the fields).

Version read: scikit-learn 1.9.1 (the installed sources are the citations' authority).
"""

from ..registry import Divergence

SK = "scikit-learn 1.9.1"
M = "sklearn.metrics."

# ---------------------------------------------------------------- conventions the reference reproduces

CLIP = ("y_proba is clipped to [eps, 1 - eps] with eps = finfo(y_proba.dtype).eps, in the input's dtype, so "
        "p = 0 or 1 gives -log(eps) (36.04 in float64, 15.94 in float32) instead of inf, and p < eps counts as eps.")
CLIP_SOURCE = f"{SK} sklearn/metrics/_classification.py _log_loss (eps = xp.finfo(y_proba.dtype).eps; xp.clip)"

DIVERGENCES: list[Divergence] = [
    Divergence(
        id="sklearn-log-loss-clip-finfo-eps", loss="log_loss", framework="sklearn", api=f"{M}log_loss",
        check="value", cases=("binary_saturated", "multiclass_saturated", "tiny_probabilities"), kind="convention",
        explanation=CLIP + " The binding's clip_eps convention (per dtype) reproduces it.", citation=CLIP_SOURCE),
    Divergence(
        id="sklearn-bce-log-loss-clip-finfo-eps", loss="binary_cross_entropy", framework="sklearn",
        api=f"{M}log_loss[binary, flattened]", check="value", cases=("saturation", "extreme"), kind="convention",
        explanation=CLIP + " The binding's clip_eps convention (per dtype) reproduces it.", citation=CLIP_SOURCE),
]

# ------------------------------------------------ input validation (raises where the definition has a value)

VALIDATION_SOURCE = (f"{SK} sklearn/utils/validation.py check_array (ensure_all_finite=True, ensure_min_samples=1); "
                     "sklearn/metrics/tests/test_common.py test_continuous_inf_nan_input, "
                     "test_classification_inf_nan_input, test_classification_metrics_raise_on_empty_input")


def _validates(loss, api, cases, slug):
    what = " and ".join(("NaN/inf inputs" if c in ("nonfinite", "nan_probability") else "an empty batch")
                        for c in cases)
    return Divergence(
        id=f"sklearn-{slug}-rejects-{'-'.join('empty' if c == 'empty' else 'nonfinite' for c in cases)}",
        loss=loss, framework="sklearn", api=f"{M}{api}", check="value", cases=cases, kind="different-definition",
        explanation=(f"sklearn metrics validate their inputs (check_array) and raise ValueError on {what}, where "
                     "the definition gives NaN/inf (empty: the empty mean or sum): a narrower domain, deliberate "
                     "and tested upstream."),
        citation=VALIDATION_SOURCE)


DIVERGENCES += [
    _validates("l1", "mean_absolute_error", ("nonfinite", "empty"), "mae"),
    _validates("mse", "mean_squared_error", ("nonfinite", "empty"), "mse"),
    _validates("binary_cross_entropy", "log_loss[binary, flattened]", ("nonfinite", "empty"), "bce-log-loss"),
    _validates("log_loss", "log_loss", ("nan_probability",), "log-loss"),
    _validates("brier_score", "brier_score_loss", ("nan_probability",), "brier"),
    _validates("hinge", "hinge_loss", ("nonfinite",), "hinge"),
    _validates("label_ranking", "label_ranking_loss", ("nonfinite",), "label-ranking"),
]

# ---------------------------------------------------------------- labels

DIVERGENCES += [
    Divergence(
        id="sklearn-hinge-binary-one-class-read-as-negative", loss="hinge", framework="sklearn", api=f"{M}hinge_loss",
        check="value", cases=("binary_batch1", "binary_all_positive"), kind="bug",
        explanation=("Binary y_true is encoded by LabelBinarizer(neg_label=-1) fitted on y_true itself (labels= "
                     "is ignored for two labels), and LabelBinarizer maps a single class to neg_label: a batch whose "
                     "targets are all +1 is scored as all -1, max(0, 1 + f) instead of max(0, 1 - f)."),
        citation=("https://github.com/scikit-learn/scikit-learn/issues/6723 (LabelBinarizer single label case, "
                  f"open); {SK} sklearn/metrics/_classification.py hinge_loss (lbin.fit_transform(y_true))")),
    Divergence(
        id="sklearn-hinge-binary-any-two-labels", loss="hinge", framework="sklearn", api=f"{M}hinge_loss",
        check="error", cases=("labels_0_1",), kind="convention",
        explanation=("Binary y_true may hold any two labels: the smaller is read as -1 and the greater as +1, so "
                     "{0, 1} targets are accepted as {-1, 1} instead of rejected."),
        citation=f"{SK} sklearn/metrics/_classification.py hinge_loss (y_true doc; LabelBinarizer(neg_label=-1))"),
    Divergence(
        id="sklearn-label-ranking-nonzero-is-relevant", loss="label_ranking", framework="sklearn",
        api=f"{M}label_ranking_loss", check="error", cases=("indicator_not_0_1",), kind="convention",
        explanation=("y_true counts as a label indicator when it holds at most two distinct integer values "
                     "(type_of_target), and every nonzero entry is a relevant label (csr_array), so {0, 2} is "
                     "accepted as {0, 1}."),
        citation=("https://github.com/scikit-learn/scikit-learn/pull/7951 (maintainers: type_of_target's "
                  f"<= 2 unique values rule is the definition); {SK} sklearn/utils/multiclass.py is_multilabel, "
                  "sklearn/metrics/_ranking.py label_ranking_loss")),
    Divergence(
        id="sklearn-zero-one-no-class-count", loss="zero_one", framework="sklearn", api=f"{M}*", check="error",
        cases=("class_out_of_range",), kind="convention",
        explanation=("zero_one_loss and hamming_loss compare label values and take no class count (no labels= "
                     "argument), so a target outside range(C) of the scores is an ordinary mismatch, not an error."),
        citation=f"{SK} sklearn/metrics/_classification.py zero_one_loss, hamming_loss (signatures)"),
    Divergence(
        id="sklearn-zero-one-argmax-nan", loss="zero_one", framework="sklearn", api=f"{M}*", check="value",
        cases=("scores_nan",), kind="different-definition",
        explanation=("The composed binding predicts with np.argmax, which treats NaN as the maximum (as np.max "
                     "propagates it) and predicts the first NaN's column, so a row with a NaN scores 0 or 1 where "
                     "the definition has no prediction (NaN)."),
        citation="NumPy 2.4 numpy/_core/fromnumeric.py argmax, amax ('NaN values are propagated')"),
]
