"""The keras.ops loss-op bindings (adapters/keras_ops.py): each agrees with the reference (under its declared
conventions) on small interior cases, value and gradient, float32 and float64 (tests/smoke.py); every loss op of
keras.ops is accounted for, by introspection; the module is written against keras alone."""

import ast
import inspect

import numpy as np
import pytest

keras = pytest.importorskip("keras")
pytest.importorskip("tensorflow")  # the stack that runs the keras.ops bindings today

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import keras_ops as adapter  # noqa: E402

STACK = "tensorflow"
BINDINGS = [b for b in adapters.bindings(STACK) if b.api.startswith("keras.ops.")]


def _own_cases(rng):
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    soft = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    ctc_lp = rng.normal(size=(6, 2, 4))
    ctc_lp -= np.log(np.exp(ctc_lp).sum(-1, keepdims=True))
    bits = rng.integers(0, 2, size=(3, 4)).astype(float)
    return {
        "binary_cross_entropy": [("probs", {"input": rng.uniform(0.05, 0.95, size=(3, 4)), "target": bits}, {})],
        "binary_cross_entropy_with_logits": [("logits", {"input": rng.normal(size=(3, 4)), "target": bits}, {})],
        "cross_entropy": [
            ("labels", {"input": logits, "target": labels}, {}),
            ("probabilities", {"input": logits, "target": soft}, {}),
            ("k_dim", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 3, size=(2, 4))}, {}),
            ("ignore", {"input": logits, "target": labels}, {"ignore_index": 2})],
        "ctc": [("lengths", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 2], [3, 1, 0]]),
                             "input_lengths": np.array([6, 5]), "target_lengths": np.array([3, 2])}, {})],
    }


OWN = smoke.own("keras_ops", _own_cases(np.random.default_rng(13)))
KNOWN = {("keras.ops.ctc_loss", "float64"): "computes float64 in float32 (keras-ctc-float64-in-float32)"}


def _params(check):
    out = []
    for b in BINDINGS:
        for dtype in b.dtypes:
            reason = KNOWN.get((b.id, dtype))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out += [pytest.param(b, dtype, reduction, marks=marks, id=f"{b.id}-{dtype}-{reduction}")
                    for reduction in smoke.reductions(b)]
    return out


@pytest.mark.parametrize("binding, dtype, reduction", _params("value"))
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


@pytest.mark.parametrize("binding, dtype, reduction", _params("grad"))
def test_grad_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "grad", dtype, reduction, OWN))


def test_every_loss_op_is_accounted_for():
    """The loss ops of keras.ops: every public function whose name says cross entropy, loss or CTC."""
    ops = {f"keras.ops.{n}" for n in dir(keras.ops) if not n.startswith("_") and callable(getattr(keras.ops, n))
           and any(w in n for w in ("entropy", "loss", "ctc"))}
    accounted = {b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND)
    assert ops == accounted, (sorted(ops - accounted), sorted(accounted - ops))


def test_written_against_keras_alone():
    tree = ast.parse(inspect.getsource(adapter))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"tf", "tensorflow", "torch", "jax"}


def test_sparse_op_takes_only_the_last_axis_on_tensorflow():
    """Why the sparse bindings move the class axis last instead of passing axis=1."""
    x, y = np.zeros((2, 3, 4)), np.zeros((2, 4), dtype=np.int64)
    with pytest.raises(ValueError, match="axis=-1"):
        keras.ops.sparse_categorical_crossentropy(y, x, from_logits=True, axis=1)


def test_smoke_cases_cover_every_binding_parameter():
    for b in BINDINGS:
        missing = set(b.params) - smoke.exercised(b, OWN)
        assert not missing, f"{b.id}: parameters never exercised: {missing}"


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("tensorflow", adapter.BINDINGS, adapter.UNEXERCISED)
