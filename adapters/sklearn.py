"""scikit-learn metrics (values only): the public ``sklearn.metrics`` functions that compute a reference loss.

Version read: scikit-learn 1.9.1.  Metrics return one averaged number: "mean" is the
metric's default, "sum" its ``normalize=False`` where it has one; no metric returns the
per-sample losses, so no binding has "none".  Labels are passed explicitly
(``labels=range(C)`` / ``[0, 1]`` / ``[-1, 1]``) so that a batch that lacks a class means
the same as in the reference.  Metrics have no gradient: every binding has differentiable=().
"""

from __future__ import annotations

import numpy as np

from ._core import Binding, DifferentDefinition, Framework, Unsupported, lazy

metrics = lazy("sklearn.metrics")
sklearn = lazy("sklearn")

SRC = "scikit-learn 1.9.1 sklearn/metrics/_classification.py"


class ScikitLearn(Framework):
    name = "sklearn"
    module = "sklearn"

    def version(self):
        return {"sklearn": sklearn.__version__}

    def value(self, binding, arrays, dtype, reduction, params):
        return np.asarray(binding.fn(*arrays, reduction=reduction, **params), dtype=np.float64)

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        raise NotImplementedError("scikit-learn metrics have no gradient")


FRAMEWORK = ScikitLearn()
BINDINGS: list[Binding] = []


def bind(loss, api, fn, expression, **kw):
    kw.setdefault("reductions", ("mean",))
    BINDINGS.append(Binding(loss=loss, framework="sklearn", api=f"sklearn.metrics.{api}", fn=fn,
                            expression=expression, differentiable=(), **kw))


def _normalize(reduction):
    return {"mean": True, "sum": False}[reduction]


def _rows(a):
    """Regression metrics take (n,) or (n, outputs): flatten the trailing axes."""
    return a.reshape(len(a), -1) if a.ndim > 2 else a


# ---------------------------------------------------------------- regression


def _regression(name):
    def fn(x, y, reduction):
        return getattr(metrics, name)(_rows(y), _rows(x))

    return fn


REGRESSION_NOTE = "the mean over outputs of the per-output means ('uniform_average') is the mean over all elements."
bind("l1", "mean_absolute_error", _regression("mean_absolute_error"), "mean_absolute_error(y, x)",
     note=REGRESSION_NOTE)
bind("mse", "mean_squared_error", _regression("mean_squared_error"), "mean_squared_error(y, x)",
     note=REGRESSION_NOTE)


# ---------------------------------------------------------------- probabilities

EPS_NOTE = (f"y_proba clipped to [eps, 1 - eps] with eps = finfo(y_proba.dtype).eps ({SRC} _log_loss): "
            "2.2e-16 for float64 (declared), 1.19e-7 for float32 (a per-dtype convention the binding's "
            "conventions cannot express).  Rows that do not sum to 1 are not renormalized: sklearn only warns "
            "(UserWarning 'The y_prob values do not sum to one', _validate_multiclass_probabilistic_prediction).")
EPS64 = float(np.finfo(np.float64).eps)


def _log_loss(p, target, reduction):
    labels = [0, 1] if p.ndim == 1 else list(range(p.shape[1]))
    return metrics.log_loss(target, p, normalize=_normalize(reduction), labels=labels)


bind("log_loss", "log_loss", _log_loss, "log_loss(y, p, normalize=reduction == 'mean', labels=range(C) or [0, 1])",
     reductions=("mean", "sum"), conventions={"clip_eps": EPS64}, note=EPS_NOTE)


def _bce_log_loss(p, target, reduction):
    if not np.all(np.isin(target, (0.0, 1.0))):
        raise Unsupported("soft targets: log_loss takes class labels")
    return metrics.log_loss(target.ravel().astype(np.int64), p.ravel(), normalize=_normalize(reduction),
                            labels=[0, 1])


bind("binary_cross_entropy", "log_loss", _bce_log_loss, "log_loss(y.ravel().astype(int), p.ravel(), "
     "normalize=reduction == 'mean', labels=[0, 1])", kind="composed", variant="binary, flattened",
     reductions=("mean", "sum"), conventions={"clip_eps": EPS64},
     note="targets must be 0 or 1; every element is one binary sample. " + EPS_NOTE)


def _brier(p, target, reduction):
    if p.ndim == 1:
        return metrics.brier_score_loss(target, p, pos_label=1)
    return metrics.brier_score_loss(target, p, labels=list(range(p.shape[1])), scale_by_half=False)


bind("brier_score", "brier_score_loss", _brier, "brier_score_loss(y, p, pos_label=1) (binary); "
     "brier_score_loss(y, P, labels=range(C), scale_by_half=False) (multiclass)",
     note="binary: the default scale_by_half='auto' halves the two-column sum, giving (p - y)^2; multiclass "
          "needs scale_by_half=False, since 'auto' also halves (N, 2) inputs "
          f"({SRC} brier_score_loss).")


# ---------------------------------------------------------------- margins, labels, rankings


HINGE_ONE_CLASS = ("binary: y is binarized by LabelBinarizer(neg_label=-1) fitted on y_true, not on labels, so a "
                   "batch whose targets are all +1 is read as all -1: max(0, 1 + f) instead of max(0, 1 - f) "
                   f"({SRC} hinge_loss).  Not a convention the reference expresses: a divergence.")


def _hinge(f, target, reduction):
    labels = [-1, 1] if f.ndim == 1 else list(range(f.shape[1]))
    return metrics.hinge_loss(target, f, labels=labels)


bind("hinge", "hinge_loss", _hinge, "hinge_loss(y, f, labels=[-1, 1] or range(C))",
     note=HINGE_ONE_CLASS)


def _labels(fn_name, scores):
    def fn(pred, target, reduction):
        if (pred.dtype.kind == "f") != scores:
            raise Unsupported("float scores: see the argmax variant" if not scores else "integer labels")
        if scores:
            pred = np.argmax(pred, axis=1)
        if fn_name == "hamming_loss":
            return metrics.hamming_loss(target, pred)
        return metrics.zero_one_loss(target, pred, normalize=_normalize(reduction))

    return fn


for scores in (False, True):
    kind, variant, pred = ("composed", "scores: argmax", "argmax(f, axis=1)") if scores else (
        "direct", "labels", "y_hat")
    bind("zero_one", "zero_one_loss", _labels("zero_one_loss", scores),
         f"zero_one_loss(y, {pred}, normalize=reduction == 'mean')", kind=kind, variant=variant,
         reductions=("mean", "sum"))
    bind("zero_one", "hamming_loss", _labels("hamming_loss", scores), f"hamming_loss(y, {pred})", kind=kind,
         variant=variant, note="on 1-D (binary or multiclass) labels the Hamming loss is the error rate; on "
                               "multilabel indicators it is something else.")


def _label_ranking(f, target, reduction):
    return metrics.label_ranking_loss(target, f)


bind("label_ranking", "label_ranking_loss", _label_ranking, "label_ranking_loss(y, f)")


# ---------------------------------------------------------------- not bound, or something else

DIFFERENT_DEFINITIONS = [
    DifferentDefinition(
        "poisson_nll", "sklearn", "sklearn.metrics.mean_poisson_deviance",
        "2 (y log(y / x) - y + x): the Poisson deviance, twice the NLL minus its value at x = y, not x - y log x.",
        "scikit-learn 1.9.1 sklearn/metrics/_regression.py mean_tweedie_deviance (power=1)"),
]

_NOT_IN_LOSSES = "not a LOSSES.md loss"
UNBOUND = {
    "sklearn.metrics.coverage_error": f"{_NOT_IN_LOSSES} (a ranking depth, not label_ranking)",
    "sklearn.metrics.max_error": f"{_NOT_IN_LOSSES} (max |d|)",
    "sklearn.metrics.mean_absolute_percentage_error": f"{_NOT_IN_LOSSES} (MAPE)",
    "sklearn.metrics.mean_pinball_loss": f"{_NOT_IN_LOSSES} (quantile loss; alpha = 0.5 is l1 / 2)",
    "sklearn.metrics.mean_squared_log_error": f"{_NOT_IN_LOSSES} (MSLE)",
    "sklearn.metrics.median_absolute_error": f"{_NOT_IN_LOSSES} (a median, not a mean, of |d|)",
    "sklearn.metrics.root_mean_squared_error": f"{_NOT_IN_LOSSES} (sqrt of the mse mean; not a reduction of mse)",
    "sklearn.metrics.root_mean_squared_log_error": f"{_NOT_IN_LOSSES} (sqrt of MSLE)",
    "sklearn.metrics.mean_gamma_deviance": f"{_NOT_IN_LOSSES} (Tweedie deviance, power 2)",
    "sklearn.metrics.mean_tweedie_deviance": f"{_NOT_IN_LOSSES} (power 1 is the Poisson deviance, see "
                                             "DIFFERENT_DEFINITIONS)",
    "sklearn.linear_model.SGDClassifier(loss='modified_huber')": "modified_huber is an SGD training loss with no "
                                                                   "public function or metric that returns its value",
}
