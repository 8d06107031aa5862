"""scikit-learn metrics (values only): the public ``sklearn.metrics`` functions that compute a reference loss.

Version read: scikit-learn 1.9.1.  Metrics return one averaged number: "mean" is the
metric's default, "sum" its ``normalize=False`` where it has one; no metric returns the
per-sample losses, so no binding of a loss has "none" (a batch statistic's "none" is its
multioutput='raw_values', one value per output).  Labels are passed explicitly
(``labels=range(C)`` / ``[0, 1]`` / ``[-1, 1]``) so that a batch that lacks a class means
the same as in the reference.  Metrics have no gradient: every binding has differentiable=().
"""

from __future__ import annotations

import numpy as np

from ._core import Binding, Convention, DifferentDefinition, Framework, Unsupported, lazy

metrics = lazy("sklearn.metrics")

SRC = "scikit-learn 1.9.1 sklearn/metrics/_classification.py"


class ScikitLearn(Framework):
    """NumPy arrays in and out, and no vjp: metrics have no gradient."""

    module = "sklearn"

    def to_tensor(self, array, dtype, device="cpu"):
        return np.array(array, dtype=dtype)

    def to_numpy(self, tensor):
        return np.asarray(tensor, dtype=np.float64)


FRAMEWORK = ScikitLearn()


def _metric(loss, api, fn, expression, **kw):
    kw.setdefault("reductions", ("mean",))
    return Binding(loss=loss, api=f"sklearn.metrics.{api}", fn=fn, expression=expression, differentiable=(), **kw)


def _normalize(reduction):
    return {"mean": True, "sum": False}[reduction]


def _rows(a):
    """Regression metrics take (n,) or (n, outputs): flatten the trailing axes."""
    return a.reshape(len(a), -1) if a.ndim > 2 else a


# ---------------------------------------------------------------- regression


def _regression(name):
    def fn(x, y, reduction, weight=None, **kw):
        if weight is not None:  # the reference's weighted mean sum(w v) / sum(w), one weight per sample
            if np.ndim(weight) != 1:
                raise Unsupported("sample_weight is one weight per sample: per-element weights have no sklearn form")
            kw["sample_weight"] = weight
        return getattr(metrics, name)(_rows(y), _rows(x), **kw)

    return fn


REGRESSION_NOTE = "the mean over outputs of the per-output means ('uniform_average') is the mean over all elements."


# ---------------------------------------------------------------- probabilities

def finfo_eps(dtype):
    """sklearn's log_loss clip: the machine epsilon of the dtype it computes in (the input's)."""
    return float(np.finfo(np.dtype(dtype)).eps)


CLIP = Convention(
    {"clip_eps": finfo_eps},
    "y_proba is clipped to [eps, 1 - eps] with eps = finfo(y_proba.dtype).eps, in the input's dtype (check_array "
    "keeps float32): p = 0 or 1 gives -log(eps) (36.04 in float64, 15.94 in float32) instead of inf, and p < eps "
    "counts as eps.  Rows that do not sum to 1 are not renormalized: sklearn only warns (UserWarning 'The y_prob "
    "values do not sum to one', _validate_multiclass_probabilistic_prediction).",
    f"{SRC} _log_loss (eps = xp.finfo(y_proba.dtype).eps; xp.clip)")


def _log_loss(p, target, reduction):
    labels = [0, 1] if p.ndim == 1 else list(range(p.shape[1]))
    return metrics.log_loss(target, p, normalize=_normalize(reduction), labels=labels)


def _bce_log_loss(p, target, reduction):
    if np.any((target < 0) | (target > 1)):
        raise Unsupported("a target outside [0, 1] is no label probability to pass as a sample weight")
    p, y = p.ravel(), target.ravel()
    labels = np.r_[np.ones(len(y), np.int64), np.zeros(len(y), np.int64)]
    return metrics.log_loss(labels, np.r_[p, p], sample_weight=np.r_[y, 1 - y], normalize=_normalize(reduction),
                            labels=[0, 1])


def _brier(p, target, reduction):
    if p.ndim == 1:
        return metrics.brier_score_loss(target, p, pos_label=1)
    return metrics.brier_score_loss(target, p, labels=list(range(p.shape[1])), scale_by_half=False)


# ---------------------------------------------------------------- margins, labels, rankings


HINGE_ONE_CLASS = ("binary: y is binarized by LabelBinarizer(neg_label=-1) fitted on y_true, not on labels, so a "
                   "batch whose targets are all +1 is read as all -1: max(0, 1 + f) instead of max(0, 1 - f) "
                   f"({SRC} hinge_loss; https://github.com/scikit-learn/scikit-learn/issues/6723).  A bug, "
                   "registered as sklearn-hinge-binary-one-class-read-as-negative.")


def _hinge(f, target, reduction):
    labels = [-1, 1] if f.ndim == 1 else list(range(f.shape[1]))
    return metrics.hinge_loss(target, f, labels=labels)


def _predicted(pred):
    """Integer labels as they are; float scores (N, C) -> the first argmax, as a classifier's predict does."""
    return np.argmax(pred, axis=1) if pred.dtype.kind == "f" else pred


def _zero_one(pred, target, reduction):
    return metrics.zero_one_loss(target, _predicted(pred), normalize=_normalize(reduction))


def _hamming(pred, target, reduction):
    return metrics.hamming_loss(target, _predicted(pred))


PREDICTED = "y_hat = the labels, or argmax(f, axis=1) for float scores (N, C)"


def _label_ranking(f, target, reduction):
    return metrics.label_ranking_loss(target, f)


# ---------------------------------------------------------------- the bindings

BINDINGS = [
    _metric("l1", "mean_absolute_error", _regression("mean_absolute_error"),
            "mean_absolute_error(y, x, sample_weight=weight)", params=("weight",), note=REGRESSION_NOTE),
    _metric("mse", "mean_squared_error", _regression("mean_squared_error"),
            "mean_squared_error(y, x, sample_weight=weight)", params=("weight",), note=REGRESSION_NOTE),
    _metric("log_loss", "log_loss", _log_loss,
            "log_loss(y, p, normalize=reduction == 'mean', labels=range(C) or [0, 1])",
            reductions=("mean", "sum"), conventions=(CLIP,)),
    _metric("binary_cross_entropy", "log_loss", _bce_log_loss, "log_loss([1] * n + [0] * n, concat(p, p), "
            "sample_weight=concat(y, 1 - y), normalize=reduction == 'mean', labels=[0, 1]) on p, y flattened",
            kind="composed", variant="binary, flattened", reductions=("mean", "sum"), conventions=(CLIP,),
            note="every element is a sample twice: as class 1 with weight y and as class 0 with weight 1 - y, so "
                 "soft targets are their expected log loss; 'mean' divides by the weight total, sum(y + 1 - y) = n."),
    _metric("brier_score", "brier_score_loss", _brier, "brier_score_loss(y, p, pos_label=1) (binary); "
            "brier_score_loss(y, P, labels=range(C), scale_by_half=False) (multiclass)",
            note="binary: the default scale_by_half='auto' halves the two-column sum, giving (p - y)^2; multiclass "
                 f"needs scale_by_half=False, since 'auto' also halves (N, 2) inputs ({SRC} brier_score_loss)."),
    _metric("hinge", "hinge_loss", _hinge, "hinge_loss(y, f, labels=[-1, 1] or range(C))", note=HINGE_ONE_CLASS),
    _metric("zero_one", "zero_one_loss", _zero_one,
            f"zero_one_loss(y, y_hat, normalize=reduction == 'mean'); {PREDICTED}",
            kind="composed", reductions=("mean", "sum"), note="direct on labels; scores need the argmax first."),
    _metric("zero_one", "hamming_loss", _hamming, f"hamming_loss(y, y_hat); {PREDICTED}", kind="composed",
            note="direct on labels; scores need the argmax first.  On 1-D (binary or multiclass) labels the Hamming "
                 "loss is the error rate; on multilabel indicators it is something else."),
    _metric("label_ranking", "label_ranking_loss", _label_ranking, "label_ranking_loss(y, f)"),
]


# ---------------------------------------------------------------- beyond the documents (issue 11)

REG_SRC = "scikit-learn 1.9.1 sklearn/metrics/_regression.py"

MAPE_EPS = Convention(
    {"eps": float(np.finfo(np.float64).eps)},
    "the divisor is max(|y|, eps) with eps = finfo(float64).eps (in the input's dtype), so y = 0 gives |d| / 2.2e-16 "
    "where the definition gives inf (d != 0) or NaN (d = 0).", f"{REG_SRC} mean_absolute_percentage_error")
FORCE_FINITE = Convention(
    {"force_finite": True},
    "no force_finite argument: a constant target column scores 1 (perfect prediction) or 0 where the definition "
    "gives 1 - num / 0 (-inf, or NaN).", f"{REG_SRC} d2_absolute_error_score, d2_pinball_score (_assemble_r2_"
    "explained_variance(..., force_finite=True))")


def _raveled(name, **fixed):
    """Metrics without multioutput (Tweedie): one mean over every element, as the reference's mean."""
    def fn(x, y, reduction, **kw):
        return getattr(metrics, name)(y.ravel(), x.ravel(), **fixed, **kw)

    return fn


def _statistic(name, one_d=False, **fixed):
    """Batch statistics per output: "none" is multioutput='raw_values' (one value per output), "mean" the
    'uniform_average'.  one_d: the metric takes 1-D inputs only.  ``fixed``: keyword arguments always passed
    (the reference's defaults where sklearn's differ)."""
    def fn(x, y, reduction, **kw):
        kw = {**fixed, **kw}
        if one_d and x.ndim != 1:
            raise Unsupported(f"{name} takes 1-D inputs only")
        if one_d:
            return getattr(metrics, name)(y, x, **kw)
        v = getattr(metrics, name)(_rows(y), _rows(x), multioutput="raw_values" if reduction == "none"
                                   else "uniform_average", **kw)
        return np.reshape(v, x.shape[1:]) if reduction == "none" else v

    return fn


STATISTIC = dict(reductions=("none", "mean"), note="none: multioutput='raw_values' (one value per output); mean: "
                 "'uniform_average'.")
ONE_D = dict(reductions=("none", "mean"), note="1-D inputs only: one value, for both reductions.")

BINDINGS += [
    _metric("mape", "mean_absolute_percentage_error", _regression("mean_absolute_percentage_error"),
            "mean_absolute_percentage_error(y, x)", conventions=(MAPE_EPS,), note=REGRESSION_NOTE),
    _metric("msle", "mean_squared_log_error", _regression("mean_squared_log_error"), "mean_squared_log_error(y, x)",
            note=REGRESSION_NOTE),
    _metric("rmsle", "root_mean_squared_log_error", _statistic("root_mean_squared_log_error"),
            "root_mean_squared_log_error(y, x, multioutput='raw_values' or 'uniform_average')", **STATISTIC),
    _metric("pinball", "mean_pinball_loss", _regression("mean_pinball_loss"), "mean_pinball_loss(y, x, alpha=alpha)",
            params=("alpha",), note=REGRESSION_NOTE),
    _metric("tweedie_deviance", "mean_tweedie_deviance", _raveled("mean_tweedie_deviance"),
            "mean_tweedie_deviance(y.ravel(), x.ravel(), power=power)", kind="composed", params=("power",),
            note="no multioutput: raveled, the mean over every element."),
    _metric("tweedie_deviance", "mean_poisson_deviance", _raveled("mean_poisson_deviance"),
            "mean_poisson_deviance(y.ravel(), x.ravel())", kind="composed", fixed={"power": 1.0},
            note="power 1; raveled."),
    _metric("tweedie_deviance", "mean_gamma_deviance", _raveled("mean_gamma_deviance"),
            "mean_gamma_deviance(y.ravel(), x.ravel())", kind="composed", fixed={"power": 2.0},
            note="power 2; raveled."),
    _metric("max_error", "max_error", _statistic("max_error", one_d=True), "max_error(y, x)", **ONE_D),
    _metric("median_absolute_error", "median_absolute_error", _statistic("median_absolute_error"),
            "median_absolute_error(y, x, multioutput='raw_values' or 'uniform_average')", **STATISTIC),
    _metric("r2", "r2_score", _statistic("r2_score", force_finite=False),
            "r2_score(y, x, multioutput=..., force_finite=force_finite)",
            params=("force_finite",), **STATISTIC),
    _metric("explained_variance", "explained_variance_score",
            _statistic("explained_variance_score", force_finite=False),
            "explained_variance_score(y, x, multioutput=..., force_finite=force_finite)", params=("force_finite",),
            **STATISTIC),
    _metric("d2_score", "d2_absolute_error_score", _statistic("d2_absolute_error_score"),
            "d2_absolute_error_score(y, x, multioutput=...)", fixed={"loss": "absolute_error"},
            conventions=(FORCE_FINITE,), **STATISTIC),
    _metric("d2_score", "d2_pinball_score", _statistic("d2_pinball_score"),
            "d2_pinball_score(y, x, alpha=alpha, multioutput=...)", fixed={"loss": "pinball"}, params=("alpha",),
            conventions=(FORCE_FINITE,), **STATISTIC),
    _metric("d2_score", "d2_tweedie_score", _statistic("d2_tweedie_score", one_d=True),
            "d2_tweedie_score(y, x, power=power)", fixed={"loss": "tweedie"}, params=("power",), **ONE_D),
]


# ---------------------------------------------------------------- not bound, or something else

DIFFERENT_DEFINITIONS = [
    DifferentDefinition(
        "poisson_nll", "sklearn.metrics.mean_poisson_deviance",
        "2 (y log(y / x) - y + x): the Poisson deviance, twice the NLL minus its value at x = y, not x - y log x.",
        "scikit-learn 1.9.1 sklearn/metrics/_regression.py mean_tweedie_deviance (power=1)"),
]

UNBOUND = {
    "sklearn.metrics.root_mean_squared_error": "no reference: the square root of the mse mean is a batch statistic "
                                               "that LOSSES.md does not list (not a reduction of mse)",
    "sklearn.linear_model.SGDClassifier(loss='modified_huber')": "modified_huber is an SGD training loss with no "
                                                                   "public function or metric that returns its value",
}


# ---------------------------------------------------------------- ranking depths, probabilistic d2 (issue 11, NL1)

RANK_SRC = "scikit-learn 1.9.1 sklearn/metrics/_ranking.py"


def _ranking(name):
    def fn(f, target, reduction):
        return getattr(metrics, name)(target, f)

    return fn


def _d2_probabilistic(name):
    """d2_log_loss_score / d2_brier_score: labels=[0, 1] or range(C), so that a batch lacking a class means the
    same as in the reference."""
    def fn(p, target, reduction, **kw):
        labels = [0, 1] if p.ndim == 1 else list(range(p.shape[1]))
        return getattr(metrics, name)(target, p, labels=labels)

    return fn


ONE_VALUE = dict(reductions=("none", "mean"), note="one value for the batch, for both reductions; labels=[0, 1] or "
                 "range(C).")

BINDINGS += [
    _metric("coverage_error", "coverage_error", _ranking("coverage_error"), "coverage_error(y, f)"),
    _metric("lrap", "label_ranking_average_precision_score", _ranking("label_ranking_average_precision_score"),
            "label_ranking_average_precision_score(y, f)"),
    _metric("d2_score", "d2_log_loss_score", _d2_probabilistic("d2_log_loss_score"),
            "d2_log_loss_score(y, p, labels=[0, 1] or range(C))", fixed={"loss": "log_loss"}, conventions=(CLIP,),
            **ONE_VALUE),
    _metric("d2_score", "d2_brier_score", _d2_probabilistic("d2_brier_score"),
            "d2_brier_score(y, p, labels=[0, 1] or range(C))", fixed={"loss": "brier"}, **ONE_VALUE),
]


# Public parameters of bound APIs that no binding sets ("*": of every API here), with why
# (tests/test_adapters_sklearn.py fails on any other parameter no case sets).
UNEXERCISED = {
    "*": {"sample_weight": "bound where the reference has the weighted mean sum(w v) / sum(w) (l1 and mse's weight: "
          "mean_absolute_error, mean_squared_error; bce's log_loss binding uses it for the two-column form); not "
          "bound yet elsewhere (issue 10's remaining work: no reference parameter)"},
    **{f"sklearn.metrics.{m}": {"multioutput": "the binding passes one column per output and 'uniform_average' "
                                "(the default) of the per-output means is the mean over all elements: "
                                "'raw_values' and output weights are per-output views of the same numbers"}
       for m in ("mean_absolute_error", "mean_absolute_percentage_error", "mean_pinball_loss", "mean_squared_error",
                 "mean_squared_log_error")},
    "sklearn.metrics.log_loss": {"y_pred": "deprecated alias of y_proba (scikit-learn 1.9.1 "
                                 "sklearn/metrics/_classification.py log_loss), which the binding passes"},
    "sklearn.metrics.d2_log_loss_score": {"y_pred": "deprecated alias of y_proba (scikit-learn 1.9.1 "
                                          "sklearn/metrics/_classification.py d2_log_loss_score), which the binding "
                                          "passes"},
    "sklearn.metrics.d2_brier_score": {"pos_label": "the positive class of a binary target: labels=[0, 1] makes it "
                                       "1, the reference's; another value only renames the classes"},
}
