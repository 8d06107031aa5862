"""The tf.compat.v1.losses bindings (adapters/tf_compat.py): each agrees with the reference on small interior cases,
value and gradient, float32 (tests/smoke.py); every public tf.compat.v1.losses API is accounted for, by
introspection; the default reduction and the float32 computation are checked on TensorFlow alone."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import tf_compat as adapter  # noqa: E402

STACK = "tensorflow"
BINDINGS = [b for b in adapters.bindings(STACK) if b.api.startswith("tf.compat.v1.")]


def _own_cases(rng):
    x, y = rng.normal(size=(2, 3, 4))
    probs = rng.uniform(0.05, 0.95, size=(3, 4))
    bits = rng.integers(0, 2, size=(3, 4)).astype(float)
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    soft = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    ones = np.ones(3, dtype=np.int64)
    return {
        "l1": [("xy", {"input": x, "target": y}, {})],
        "mse": [("xy", {"input": x, "target": y}, {})],
        "huber": [("delta", {"input": x, "target": y}, {"delta": 0.7})],
        "binary_cross_entropy": [
            ("weight", {"input": probs, "target": bits}, {"weight": rng.uniform(0.5, 2, 4)})],
        "binary_cross_entropy_with_logits": [
            ("weight_smoothing", {"input": x, "target": bits}, {"weight": rng.uniform(0.5, 2, 4),
                                                                "label_smoothing": 0.2})],
        "hinge": [("binary", {"input": x[:, 0], "target": np.array([1, -1, 1])}, {})],
        "cross_entropy": [
            ("labels", {"input": logits, "target": labels}, {}),
            ("probabilities", {"input": logits, "target": soft}, {"label_smoothing": 0.1}),
            ("k_dim", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 3, size=(2, 4))}, {}),
            ("ignore", {"input": logits, "target": labels}, {"ignore_index": 2})],
        "cosine_embedding": [("y_one", {"x1": x, "x2": y, "y": ones}, {}),
                             ("margin", {"x1": x, "x2": y, "y": ones}, {"margin": 0.5})],
        # one sample: the eager scalar-weights count (test below) is then the sample's own
        "mean_pairwise_squared_error": [("one_sample", {"input": x[:1], "target": y[:1]}, {})],
    }


OWN = smoke.own("tf_compat", _own_cases(np.random.default_rng(17)))


def _params():
    return [pytest.param(b, dtype, reduction, id=f"{b.id}-{dtype}-{reduction}")
            for b in BINDINGS for dtype in b.dtypes for reduction in smoke.reductions(b)]


@pytest.mark.parametrize("binding, dtype, reduction", _params())
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


@pytest.mark.parametrize("binding, dtype, reduction", _params())
def test_grad_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "grad", dtype, reduction, OWN))


def test_every_public_api_is_accounted_for():
    losses = tf.compat.v1.losses
    apis = {f"tf.compat.v1.losses.{n}" for n in dir(losses) if not n.startswith("_")}
    accounted = {b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND)
    assert apis == accounted, (sorted(apis - accounted), sorted(accounted - apis))


def test_default_reduction_is_the_sum_over_nonzero_weights():
    """SUM_BY_NONZERO_WEIGHTS: weights 1 give the mean; a zero weight leaves its element out of the count."""
    x, y = tf.constant([1.0, 2.0, 4.0]), tf.zeros(3)
    assert float(tf.compat.v1.losses.absolute_difference(y, x)) == pytest.approx(7 / 3)
    got = float(tf.compat.v1.losses.absolute_difference(y, x, weights=tf.constant([1.0, 0.0, 1.0])))
    assert got == pytest.approx(5 / 2)


def test_computes_in_float32():
    """Why the bindings run float32 cells only: a float64 input is cast to float32 and the loss comes back float32."""
    x = tf.constant([1.0 + 1e-12], dtype=tf.float64)
    got = tf.compat.v1.losses.absolute_difference(tf.zeros(1, tf.float64), x)
    assert got.dtype == tf.float32 and float(got) == 1.0
    assert all(b.dtypes == ("float32",) for b in BINDINGS)


def test_smoke_cases_cover_every_binding_parameter():
    for b in BINDINGS:
        missing = set(b.params) - smoke.exercised(b, OWN)
        assert not missing, f"{b.id}: parameters never exercised: {missing}"


def test_pairwise_default_weights_count_the_whole_batch():
    """The default scalar weights take _num_present's eager shortcut (the total element count M, per_batch
    ignored): each sample is normalised by M, the reference's count="batch", not by its own K (the registered
    bug tf-v1-pairwise-scalar-weights-count-the-batch); weights of shape (N, 1) take the per-sample count."""
    from reference import LOSSES

    x = np.array([[1.0, 2.0, 4.0], [0.0, 3.0, 1.0]], dtype=np.float32)
    y = np.zeros_like(x)
    loss = LOSSES["mean_pairwise_squared_error"]
    pairs = tf.compat.v1.losses.mean_pairwise_squared_error
    assert float(pairs(y, x)) == pytest.approx(loss(x, y, count="batch", reduction="sum"), rel=1e-6)
    assert float(pairs(y, x, weights=np.ones((2, 1), np.float32))) == pytest.approx(loss(x, y, reduction="sum"),
                                                                                     rel=1e-6)
    assert loss(x, y, reduction="sum") != pytest.approx(loss(x, y, count="batch", reduction="sum"), rel=1e-3)


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("tensorflow", adapter.BINDINGS, adapter.UNEXERCISED)
