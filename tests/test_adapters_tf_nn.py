"""The tf.nn bindings (adapters/tf_nn.py) and the TensorFlow primitives: each binding agrees with the reference
(under its declared conventions) on small interior cases, value and gradient, float32 and float64, judged as suite
cells (tests/smoke.py); every public tf.nn loss op is accounted for."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import tf_nn as adapter  # noqa: E402

STACK = "tensorflow"
BINDINGS = [b for b in adapters.bindings(STACK) if b.api.startswith("tf.nn.")]


def _own_cases(rng):
    """Small interior cases for every loss the module binds: {loss: [(id, arrays, params)]}."""
    x, y = rng.normal(size=(2, 3, 4))
    bits = rng.integers(0, 2, size=(3, 4)).astype(float)
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    soft = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    ctc_lp = rng.normal(size=(6, 2, 4))
    ctc_lp -= np.log(np.exp(ctc_lp).sum(-1, keepdims=True))
    counts = np.array([0.0, 1, 2, 5])[None].repeat(3, 0)
    return {
        "mse": [("xy", {"input": x, "target": y}, {})],
        "poisson_nll": [("log_rates", {"input": x, "target": counts}, {}),
                        ("log_rates_full", {"input": x, "target": counts}, {"full": True})],
        "binary_cross_entropy_with_logits": [
            ("logits", {"input": x, "target": bits}, {}),
            ("pos_weight", {"input": x, "target": bits}, {"pos_weight": rng.uniform(0.5, 3, 4)})],
        "cross_entropy": [
            ("labels", {"input": logits, "target": labels}, {}),
            ("probabilities", {"input": logits, "target": soft}, {}),
            ("k_dim", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 3, size=(2, 4))}, {}),
            ("ignore", {"input": logits, "target": labels}, {"ignore_index": 2}),
            ("ignore_default", {"input": logits, "target": np.array([0, -100, 1, -100])}, {})],
        "ctc": [("full_lengths", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 2], [3, 1, 0]]),
                                  "input_lengths": np.array([6, 6]), "target_lengths": np.array([3, 2])}, {}),
                ("blank_last", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 2], [0, 1, 3]]),
                                "input_lengths": np.array([6, 5]), "target_lengths": np.array([3, 2])},
                 {"blank": 3})],
        "nce": _sampled(rng, {"remove_accidental_hits": True}),
        "sampled_softmax": _sampled(rng, {"remove_accidental_hits": False}),
    }


def _sampled(rng, flipped):
    """A layer of 6 classes, sample 0's true class also sampled (an accidental hit), remove_accidental_hits both ways:
    sampled_values given, so the cells are deterministic."""
    arrays = {"inputs": rng.normal(size=(3, 4)), "weights": rng.normal(size=(6, 4)), "biases": rng.normal(size=6),
              "labels": np.array([[1], [4], [0]]), "sampled": np.array([1, 3, 5, 2]),
              "true_expected_count": rng.uniform(0.1, 1.0, size=(3, 1)),
              "sampled_expected_count": rng.uniform(0.1, 1.0, size=4)}
    two = dict(arrays, labels=np.array([[1, 2], [4, 0], [0, 5]]), true_expected_count=rng.uniform(0.1, 1, (3, 2)))
    return [("hit", arrays, {}), ("hit_flipped", arrays, flipped), ("num_true_2", two, {})]


OWN = smoke.own("tf_nn", _own_cases(np.random.default_rng(7)))

# tf.nn.ctc_loss raises on float64 logits (adapter.CTC_FLOAT64): the registry holds it
# (tf-ctc-float64-raises), so those cells are xfail there and agree here.


def _params(check):
    return [pytest.param(b, dtype, reduction, id=f"{b.id}-{dtype}-{reduction}")
            for b in BINDINGS for dtype in b.dtypes for reduction in smoke.reductions(b)]


@pytest.mark.parametrize("binding, dtype, reduction", _params("value"))
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


@pytest.mark.parametrize("binding, dtype, reduction", _params("grad"))
def test_grad_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "grad", dtype, reduction, OWN))


def test_every_public_loss_op_is_accounted_for():
    apis = {f"tf.nn.{n}" for n in dir(tf.nn) if not n.startswith("_") and callable(getattr(tf.nn, n))
            and ("loss" in n or "cross_entropy" in n)}
    accounted = ({b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND)
                 | {d.api for d in adapter.DIFFERENT_DEFINITIONS})
    assert not apis - accounted, f"public loss ops neither bound nor listed: {sorted(apis - accounted)}"
    assert not accounted - apis, f"listed ops that do not exist: {sorted(accounted - apis)}"
    assert not {b.api for b in adapter.BINDINGS} & set(adapter.UNBOUND)
    assert tf.keras.losses.Huber is __import__("keras").losses.Huber  # so tf.keras.losses.X is keras.losses.X


def test_version_and_availability():
    import keras

    assert adapter.FRAMEWORK.available() == (True, "")
    assert adapters.STACKS[STACK].version() == {"tensorflow": tf.__version__, "keras": keras.__version__}


def test_vjp_gives_zeros_for_an_unconnected_input():
    fw = adapter.FRAMEWORK
    a, b = fw.to_tensor(np.array([1.0, 2.0]), "float64"), fw.to_tensor(np.array([3.0]), "float64")
    out, (ga, gb) = fw.vjp(lambda a, b: 2 * a, [a, b], np.array([1.0, -1.0]))
    assert fw.to_numpy(ga).tolist() == [2.0, -2.0] and fw.to_numpy(gb).tolist() == [0.0]


def test_smoke_cases_cover_every_binding_parameter():
    """Each parameter a binding declares is exercised at a non-default value by some applicable case."""
    for b in BINDINGS:
        missing = set(b.params) - smoke.exercised(b, OWN)
        assert not missing, f"{b.id}: parameters never exercised: {missing}"


def test_tensors_and_the_ops_of_a_call_go_to_the_device():
    """--device: to_tensor places on the device, and the call's context pins the ops there (also the CPU: eager ops
    would go to a GPU where there is one)."""
    fw = adapters.framework("tensorflow")
    assert fw.to_tensor(np.ones(2), "float32", "cpu").device.endswith("CPU:0")
    assert adapter._device("cuda") == "/GPU:0" and adapter._device("cpu") == "/CPU:0"
    with fw.context():
        assert tf.zeros(2).device.endswith("CPU:0")
    assert fw.devices() == (("cpu", "cuda") if tf.config.list_physical_devices("GPU") else ("cpu",))


def test_a_device_other_than_the_default_is_pinned(monkeypatch):
    """Beside a GPU (TensorFlow's default), a CPU run places its tensors and ops on the CPU explicitly."""
    fw = adapters.framework("tensorflow")
    monkeypatch.setattr(adapter, "_default", lambda: "cuda")
    assert fw.to_tensor(np.ones(2), "float32", "cpu").device.endswith("CPU:0")
    with fw.context():
        assert tf.zeros(2).device.endswith("CPU:0")


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("tensorflow", adapter.BINDINGS, adapter.UNEXERCISED)
