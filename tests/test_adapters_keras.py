"""The Keras bindings (adapters/keras.py): each agrees with the reference (under its declared conventions) on small
interior cases, value and gradient, float32 and float64, judged as suite cells (tests/smoke.py); every public
keras.losses API is accounted for; the module is written against keras alone.  They run on the stack of the backend
Keras loaded (KERAS_BACKEND, which `nox -s tests` sets from each Keras stack's env)."""

import inspect

import numpy as np
import pytest

keras = pytest.importorskip("keras")  # on the backend KERAS_BACKEND names (nox sets each stack's env)

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import keras as adapter  # noqa: E402
from reference import LOSSES  # noqa: E402

# the stack that runs the Keras bindings on the backend Keras loaded
STACK = next(s.name for s in adapters.STACKS.values()
             if "keras" in s.modules and s.env.get("KERAS_BACKEND") == keras.backend.backend())
BINDINGS = [b for b in adapters.bindings(STACK) if b.api.startswith("keras.losses.")]


def _own_cases(rng):
    """Small interior cases for every loss the module binds: {loss: [(id, arrays, params)]}."""
    x, y = rng.normal(size=(2, 3, 4))
    probs = rng.uniform(0.05, 0.95, size=(3, 4))
    bits = rng.integers(0, 2, size=(3, 4)).astype(float)
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    soft = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    ctc_lp = rng.normal(size=(6, 2, 4))
    ctc_lp -= np.log(np.exp(ctc_lp).sum(-1, keepdims=True))
    scores = np.array([[0.5, -0.3, -1.2], [-0.4, -0.8, -0.1], [1.5, 2.0, -0.2], [-2.0, -0.5, -0.7]])
    counts = np.array([0.0, 1, 2, 5])[None].repeat(3, 0)
    w = np.linspace(0.0, 2.0, x.size).reshape(x.shape)  # the classes' sample_weight, a zero among them
    own = {
        "l1": [("xy", {"input": x, "target": y}, {}), ("sample_weight", {"input": x, "target": y}, {"weight": w})],
        "mse": [("xy", {"input": x, "target": y}, {}), ("sample_weight", {"input": x, "target": y}, {"weight": w})],
        "smooth_l1": [("beta", {"input": x, "target": y}, {"beta": 0.5})],
        "huber": [("delta", {"input": x, "target": y}, {"delta": 0.7}),
                  ("sample_weight", {"input": x, "target": y}, {"delta": 0.7, "weight": w})],
        "poisson_nll": [("rates", {"input": probs * 3, "target": counts}, {"log_input": False})],
        "binary_cross_entropy": [
            ("probs", {"input": probs, "target": bits}, {}),
            ("weight_smoothing", {"input": probs, "target": bits},
             {"weight": rng.uniform(0.5, 2, 4), "label_smoothing": 0.1}),
            ("smoothing", {"input": probs, "target": bits}, {"label_smoothing": 0.2})],
        "binary_cross_entropy_with_logits": [
            ("logits", {"input": x, "target": bits}, {}),
            ("weight_smoothing", {"input": x, "target": bits}, {"weight": rng.uniform(0.5, 2, 4),
                                                                "label_smoothing": 0.2}),
            ("smoothing", {"input": x, "target": bits}, {"label_smoothing": 0.3})],
        "sigmoid_focal": [("logits", {"input": x, "target": bits}, {}),
                          ("no_alpha_gamma", {"input": x, "target": bits}, {"alpha": None, "gamma": 1.5})],
        "cross_entropy": [
            ("labels", {"input": logits, "target": labels}, {}),
            ("probabilities", {"input": logits, "target": soft}, {"label_smoothing": 0.1}),
            ("k_dim", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 3, size=(2, 4))}, {}),
            ("weight_ignore", {"input": logits, "target": labels}, {"weight": np.array([0.5, 2.0, 1.5]),
                                                                    "ignore_index": 1}),
            ("ignore", {"input": logits, "target": labels}, {"ignore_index": 2}),
            ("ignore_default", {"input": logits, "target": np.array([0, -100, 1, -100])}, {})],
        "kl_div": [("log_probs", {"input": logp, "target": soft}, {})],
        "hinge": [("binary", {"input": x[:, 0], "target": np.array([1, -1, 1])}, {}),
                  ("multiclass", {"input": scores, "target": np.array([0, 1, 2, 1])}, {})],
        "cosine_embedding": [("y_one", {"x1": x, "x2": y, "y": np.ones(3, dtype=np.int64)}, {}),
                             ("margin", {"x1": x, "x2": y, "y": np.ones(3, dtype=np.int64)}, {"margin": 0.5})],
        "dice": [("probs", {"input": rng.uniform(0.05, 0.95, size=(2, 3, 4)),
                            "target": rng.integers(0, 2, (2, 3, 4)) * 1.0}, {"from_logits": False})],
        "ctc": [("full_lengths", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 2], [3, 1, 0]]),
                                  "input_lengths": np.array([6, 6]), "target_lengths": np.array([3, 2])}, {})],
    }
    # beyond the documents (issue 11)
    onehot = np.eye(3)[labels]
    w = np.array([0.5, 2.0, 1.5])
    seg = {"input": rng.uniform(0.05, 0.95, size=(2, 3, 4)), "target": rng.integers(0, 2, (2, 3, 4)) * 1.0}
    own["dice"] += [("whole_batch", seg, {"from_logits": False, "whole_batch": True})]
    own["cross_entropy"] += [("sample_weighting", {"input": logits, "target": labels},
                              {"weight": w, "weighting": "sample", "label_smoothing": 0.2, "ignore_index": 1})]
    own.update({
        "softmax_focal": [("alpha_gamma_smoothing", {"input": logits, "target": onehot},
                           {"alpha": 0.5, "gamma": 1.5, "label_smoothing": 0.1})],
        "generalized_cross_entropy": [("q", {"input": soft, "target": labels}, {"q": 0.7})],
        "tversky": [("alpha_beta", seg, {"alpha": 0.3, "beta": 0.7}),
                    ("whole_batch", seg, {"alpha": 0.6, "beta": 0.4, "whole_batch": True})],
    })
    unit = rng.normal(size=(6, 3))
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    circle = {"embeddings": unit, "labels": np.array([0, 0, 1, 1, 2, 2])}
    own["circle"] = [("gamma_margin", circle, {"gamma": 8.0, "margin": 0.25}),
                     ("keep_diagonal", circle, {"remove_diagonal": False, "gamma": 4.0})]
    return own


OWN = smoke.own("keras", _own_cases(np.random.default_rng(7)))

# Disagreements beyond the declared conventions: (binding id, check, dtype) -> reason.  Strict: a
# fix upstream (or in the reference) turns the xfail into a failure, and this entry must go.
FLOAT32_CTC = "Keras computes CTC in float32 for float64 inputs"
KNOWN = {(api, check, "float64"): FLOAT32_CTC for api in ("keras.losses.CTC", "keras.losses.ctc")
         for check in ("value", "grad")}
if keras.backend.backend() != "tensorflow":  # (binding id, check, dtype, reduction) -> reason
    # conformance/divergences/keras_torch.py: keras-torch-float64-mean-in-float32, -batch-mean-in-float32;
    # keras_jax.py: keras-jax-float64-function-mean-in-float32
    FLOAT64_IN_FLOAT32 = "Keras off TensorFlow promotes float64 to float32 in its reductions (BIT64_TO_BIT32_DTYPE)"
    CCE = [f"keras.losses.{n}[from_logits={b}]" for n in ("CategoricalCrossentropy", "categorical_crossentropy")
           for b in (False, True)]
    HINGE = ["keras.losses.CategoricalHinge[scores shifted to >= 0]",
             "keras.losses.categorical_hinge[scores shifted to >= 0]"]
    GCE = ["keras.losses.CategoricalGeneralizedCrossEntropy", "keras.losses.categorical_generalized_cross_entropy"]
    OFF_TF = {**dict.fromkeys(CCE, ("mean",)), **dict.fromkeys(HINGE, ("none", "mean", "sum")),
              **dict.fromkeys(GCE, ("none", "sum")), "keras.losses.KLDivergence": ("batchmean",),
              "keras.losses.kl_divergence": ("batchmean",), "keras.losses.Tversky": ("mean",)}
    if keras.backend.backend() == "jax":  # keras_jax.py: only keras.ops.mean casts there (the functions' mean)
        OFF_TF = {api: ("mean",) if api in HINGE else rs for api, rs in OFF_TF.items()
                  if api not in GCE and not api[len("keras.losses."):][:1].isupper()}
    KNOWN |= {(api, check, "float64", r): FLOAT64_IN_FLOAT32 for api, rs in OFF_TF.items() for r in rs
              for check in ("value", "grad")}


def _params(check):
    out = []
    for b in BINDINGS:
        if check == "grad" and b.differentiable == ():
            continue
        for dtype in b.dtypes:
            for reduction in smoke.reductions(b):
                reason = KNOWN.get((b.id, check, dtype)) or KNOWN.get((b.id, check, dtype, reduction))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                out.append(pytest.param(b, dtype, reduction, marks=marks, id=f"{b.id}-{dtype}-{reduction}"))
    return out


@pytest.mark.parametrize("binding, dtype, reduction", _params("value"))
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


@pytest.mark.parametrize("binding, dtype, reduction", _params("grad"))
def test_grad_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "grad", dtype, reduction, OWN))


def _public(module):
    return {n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))}


def test_every_public_loss_api_is_accounted_for():
    apis = {f"keras.losses.{n}" for n in _public(keras.losses)}
    accounted = ({b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND)
                 | {d.api for d in adapter.DIFFERENT_DEFINITIONS})
    assert not apis - accounted, f"public loss APIs neither bound nor listed: {sorted(apis - accounted)}"
    assert not accounted - apis, f"listed APIs that do not exist: {sorted(accounted - apis)}"


def test_no_api_is_both_bound_and_unbound():
    assert not {b.api for b in adapter.BINDINGS} & set(adapter.UNBOUND)


def test_written_against_keras_alone():
    """No backend named in the code: the same bindings can run on every Keras backend."""
    import ast

    tree = ast.parse(inspect.getsource(adapter))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    modules = {a.value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "lazy"
               for a in n.args}
    assert not names & {"tf", "tensorflow", "torch", "jax"}, names & {"tf", "tensorflow", "torch", "jax"}
    assert modules == {"keras", "keras.ops"}


def test_bindings_are_well_formed():
    ids = [b.id for b in BINDINGS]
    assert len(ids) == len(set(ids)), "binding ids must be unique"
    for d in adapter.DIFFERENT_DEFINITIONS:
        assert d.explanation and d.citation


def test_keras_classes_compute_in_floatx_without_dtype():
    """Why every class binding passes dtype: without it a float64 input is computed in float32."""
    x = np.array([1.0 + 1e-12])
    y = np.zeros(1)
    assert keras.backend.standardize_dtype(keras.losses.MeanSquaredError()(y, x).dtype) == "float32"
    got = keras.losses.MeanSquaredError(dtype="float64")(y, x)
    assert keras.backend.standardize_dtype(got.dtype) == "float64"
    # the digits survive on TensorFlow; elsewhere keras.ops.mean computes float64 in float32 (a registered divergence)
    assert (keras.ops.convert_to_numpy(got) != 1.0) == (keras.backend.backend() == "tensorflow")


def test_softmax_output_carries_its_logits():
    """Why the from_logits=False bindings copy keras.ops.softmax's output: on TensorFlow Keras's cross entropy reads
    the logits tagged on it (keras/src/backend/tensorflow/nn.py softmax, _keras_logits) and ignores its clip, so a
    saturated softmax would give the logit margin, not -log(1e-7).  The other backends tag nothing."""
    x = np.array([[0.0, 40.0]])
    p = keras.ops.softmax(x, axis=-1)
    tagged = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(np.array([[1.0, 0.0]]), p))
    clipped = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(np.array([[1.0, 0.0]]),
                                                                               keras.ops.copy(p)))
    assert clipped[0] == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert tagged[0] == pytest.approx(40.0 if keras.backend.backend() == "tensorflow" else clipped[0])


def test_categorical_hinge_plain_call_is_not_crammer_singer():
    """The DIFFERENT_DEFINITIONS entry, checked: every non-target score negative -> Keras's neg is 0."""
    f = np.array([[-0.4, -0.8, -0.1]])
    y = np.array([1])
    plain = keras.ops.convert_to_numpy(keras.losses.categorical_hinge(np.eye(3)[y], f))
    assert plain[0] == pytest.approx(max(0.0, 1 + 0.0 + 0.8))  # neg = 0, pos = -0.8
    assert LOSSES["hinge"](f, y, reduction="none")[0] == pytest.approx(1 - 0.1 + 0.8)  # max_{c != y} = -0.1


def test_smoke_cases_cover_every_binding_parameter():
    """Each parameter a binding declares is exercised at a non-default value by some applicable case."""
    for b in BINDINGS:
        missing = set(b.params) - smoke.exercised(b, OWN)
        assert not missing, f"{b.id}: parameters never exercised: {missing}"


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the bindings, their cases and the APIs' "
                    "parameters are the backend's TensorFlow run's (the parameter trace runs there)")
def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("tensorflow", adapter.BINDINGS, adapter.UNEXERCISED)
