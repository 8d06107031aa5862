"""scikit-learn bindings: each agrees with the reference (under its declared conventions) on small interior
cases, float32 and float64 (values only), judged as suite cells (tests/smoke.py); every public *_loss / *_error
metric is accounted for."""

import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

sklearn_metrics = pytest.importorskip("sklearn.metrics")

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import sklearn as adapter  # noqa: E402
from conformance import tolerance  # noqa: E402
from reference import LOSSES  # noqa: E402

STACK = "sklearn"
BINDINGS = adapters.bindings(STACK)


def _own_cases(rng):
    x, y = rng.normal(size=(2, 5, 3))
    p3 = rng.dirichlet(np.ones(3), size=6)
    labels = np.array([0, 2, 1, 2, 0, 1])
    p1 = rng.uniform(0.05, 0.95, size=6)
    bits = np.array([0, 1, 1, 0, 1, 0])
    scores = np.array([[0.5, -0.3, -1.2], [-0.4, -0.8, -0.1], [1.5, 2.0, -0.2],
                       [-2.0, -0.5, -0.7], [0.1, 0.1, 0.3], [0.0, 1.0, 0.5]])
    return {
        "l1": [("xy", {"input": x, "target": y}, {}),
               ("three_dim", {"input": rng.normal(size=(2, 3, 2)), "target": rng.normal(size=(2, 3, 2))}, {})],
        "mse": [("xy", {"input": x, "target": y}, {})],
        "log_loss": [("multiclass", {"input": p3, "target": labels}, {}),
                     ("binary", {"input": p1, "target": bits}, {})],
        "binary_cross_entropy": [
            ("labels", {"input": rng.uniform(0.05, 0.95, (3, 4)), "target": rng.integers(0, 2, (3, 4)).astype(float)},
             {}),
            ("soft", {"input": rng.uniform(0.05, 0.95, (2, 3)), "target": rng.uniform(size=(2, 3))}, {})],
        "brier_score": [("multiclass", {"input": p3, "target": labels}, {}),
                        ("binary", {"input": p1, "target": bits}, {}),
                        ("two_columns", {"input": p3[:, :2] / p3[:, :2].sum(1, keepdims=True), "target": bits}, {})],
        "hinge": [("binary", {"input": rng.normal(size=6), "target": 2 * bits - 1}, {}),
                  ("multiclass", {"input": scores, "target": labels}, {})],
        "zero_one": [("labels", {"input": np.array([0, 2, 2, 1, 0, 0]), "target": labels}, {}),
                     ("scores", {"input": scores, "target": labels}, {})],
        "label_ranking": [("indicators", {"input": scores, "target": np.array(
            [[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 0]])}, {})],
        # beyond the documents (issue 11)
        "tweedie_deviance": [("poisson", {"input": np.exp(x), "target": np.exp(y)}, {"power": 1.0}),
                             ("gamma", {"input": np.exp(x), "target": np.exp(y)}, {"power": 2.0})],
        "max_error": [("one_d", {"input": x[:, 0], "target": y[:, 0]}, {})],
        "d2_score": [("pinball", {"input": x, "target": y}, {"loss": "pinball", "alpha": 0.3}),
                     ("tweedie", {"input": np.exp(x[:, 0]), "target": np.exp(y[:, 0])},
                      {"loss": "tweedie", "power": 1.5}),
                     # probabilities against labels (issue 11, NL1): d2_log_loss_score, d2_brier_score
                     ("log_loss_multiclass", {"input": p3, "target": labels}, {"loss": "log_loss"}),
                     ("log_loss_binary", {"input": p1, "target": bits}, {"loss": "log_loss"}),
                     ("brier_multiclass", {"input": p3, "target": labels}, {"loss": "brier"}),
                     ("brier_binary", {"input": p1, "target": bits}, {"loss": "brier"})],
        "coverage_error": [("indicators", {"input": scores, "target": np.array(
            [[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1], [0, 0, 0], [0, 1, 0]])}, {})],
        "lrap": [("indicators", {"input": scores, "target": np.array(
            [[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1], [0, 1, 0]])}, {})],
    }


OWN = smoke.own("sklearn", _own_cases(np.random.default_rng(5)))


def _params():
    return [pytest.param(b, dtype, reduction, id=f"{b.id}-{dtype}-{reduction}")
            for b in BINDINGS for dtype in b.dtypes for reduction in smoke.reductions(b)]


@pytest.mark.parametrize("binding, dtype, reduction", _params())
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


def test_hinge_loss_reads_an_all_positive_batch_as_negative():
    """The bug behind sklearn-hinge-binary-one-class-read-as-negative, on sklearn alone: an all -1 batch is
    right, an all +1 batch is scored as all -1 (labels= does not help), a mixed batch is right."""
    f = np.array([0.4, -0.2])
    assert sklearn_metrics.hinge_loss([-1, -1], f, labels=[-1, 1]) == pytest.approx(np.mean([1.4, 0.8]))
    assert sklearn_metrics.hinge_loss([1, 1], f, labels=[-1, 1]) == pytest.approx(np.mean([1.4, 0.8]))
    assert sklearn_metrics.hinge_loss([1, -1], f, labels=[-1, 1]) == pytest.approx(np.mean([0.6, 0.8]))
    if "hinge" in LOSSES:
        assert LOSSES["hinge"](f, np.array([1, 1])) == pytest.approx(np.mean([0.6, 1.2]))


def test_grad_is_not_available():
    with pytest.raises(NotImplementedError):
        adapter.FRAMEWORK.grad(BINDINGS[0], [np.zeros(2), np.zeros(2)], "float64", "mean", {}, 1.0)
    assert all(b.differentiable == () for b in BINDINGS)


def _loss_metrics():
    """The public sklearn.metrics callables that score predictions by a loss: every regression metric (each is a
    loss or a skill score 1 - loss / loss of a constant), every *_loss / *_error, the d2_* skill scores and the label
    ranking metrics, found by introspection (classification counts, curves and pairwise kernels are not losses)."""
    return {f"sklearn.metrics.{n}" for n in dir(sklearn_metrics) if not n.startswith("_")
            and callable(obj := getattr(sklearn_metrics, n)) and (
                getattr(obj, "__module__", "") == "sklearn.metrics._regression"
                or n.endswith(("_loss", "_error")) or n.startswith(("d2_", "label_ranking_")))}


def test_every_public_metric_is_accounted_for():
    apis = _loss_metrics()
    accounted = ({b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND)
                 | {d.api for d in adapter.DIFFERENT_DEFINITIONS})
    assert not apis - accounted, f"public metrics neither bound nor listed: {sorted(apis - accounted)}"
    for api in accounted:  # no stale entries
        if api.startswith("sklearn.metrics."):
            assert hasattr(sklearn_metrics, api.rsplit(".", 1)[1]), api


def test_bindings_are_well_formed():
    ids = [b.id for b in BINDINGS]
    assert len(ids) == len(set(ids))
    for b in BINDINGS:
        # "none" only for batch statistics (no "sum"): one value per output, multioutput='raw_values'
        assert b.framework == "sklearn" and ("none" not in b.reductions or "sum" not in LOSSES[b.loss].reductions)


def test_log_loss_clip_is_finfo_eps_and_rows_are_not_renormalized():
    """The declared convention, checked against sklearn itself at the clip and off the simplex."""
    eps64 = np.finfo(np.float64).eps
    got = sklearn_metrics.log_loss([0, 1], np.array([[1.0, 0.0], [1.0, 0.0]]), labels=[0, 1])
    assert got == pytest.approx(-np.log(eps64) / 2, rel=1e-12)
    with pytest.warns(UserWarning, match="do not sum to one"):
        got = sklearn_metrics.log_loss([0, 1], np.array([[0.2, 0.2], [0.3, 0.3]]), labels=[0, 1])
    assert got == pytest.approx(-(np.log(0.2) + np.log(0.3)) / 2, rel=1e-12)  # no renormalization
    if "log_loss" in LOSSES:
        want = LOSSES["log_loss"](np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([0, 1]), clip_eps=eps64)
        assert want == pytest.approx(-np.log(eps64) / 2, rel=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_log_loss_clips_at_the_input_dtype_eps(dtype):
    """sklearn computes in the input's dtype and clips at its eps: p = 0 for the true class costs -log(eps)."""
    eps = adapter.finfo_eps(dtype)
    assert eps == {"float32": 2.0**-23, "float64": 2.0**-52}[dtype]
    p = np.array([0.0, 1.0], dtype=dtype)
    got = sklearn_metrics.log_loss([1, 0], p, labels=[0, 1])
    want = -np.log(eps)  # 23 ln 2 or 52 ln 2, both samples
    assert tolerance.within(abs(got - want) / (tolerance.unit(dtype) * want), "value")


def test_bce_soft_targets_are_weighted_labels():
    """Each element is class 1 with weight y and class 0 with weight 1 - y: the expected log loss."""
    b = next(b for b in BINDINGS if b.id == "sklearn.metrics.log_loss[binary, flattened]")
    p, y = np.array([[0.2, 0.7]]), np.array([[0.25, 1.0]])
    want = -(0.25 * np.log(0.2) + 0.75 * np.log(0.8) + np.log(0.7))
    assert adapter.FRAMEWORK.value(b, [p, y], "float64", "sum", {}) == pytest.approx(want, rel=1e-12)
    assert adapter.FRAMEWORK.value(b, [p, y], "float64", "mean", {}) == pytest.approx(want / 2, rel=1e-12)
    with pytest.raises(adapter.Unsupported):
        adapter.FRAMEWORK.value(b, [p, y - 0.5], "float64", "sum", {})


def test_zero_one_bindings_take_labels_and_scores():
    scores, target = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.3]]), np.array([1, 1, 1])
    for b in (b for b in BINDINGS if b.loss == "zero_one"):
        assert adapter.FRAMEWORK.value(b, [scores, target], "float64", "mean", {}) == pytest.approx(2 / 3)
        assert adapter.FRAMEWORK.value(b, [np.array([1, 0, 0]), target], "float64", "mean", {}) == pytest.approx(2 / 3)


def test_version_and_availability():
    import sklearn

    assert adapter.FRAMEWORK.available() == (True, "")
    assert adapters.STACKS[STACK].version() == {"sklearn": sklearn.__version__}


def test_importing_adapters_does_not_import_sklearn():
    code = "import sys, adapters; assert 'sklearn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("sklearn", adapter.BINDINGS, adapter.UNEXERCISED)
