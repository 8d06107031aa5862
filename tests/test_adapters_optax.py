"""The optax bindings (adapters/optax.py): each agrees with the reference (under its declared conventions) on small
interior cases, value and gradient, float32 and float64, judged as suite cells (tests/smoke.py); every public
optax.losses API is accounted for, and the reasons that a number can check are checked; jitted calls differ from
eager ones in the last bits of a sum on ordinary values, and in the answer at the edges
test_jit_changes_the_answer_at_an_infinite_score names (the stack binds the eager calls)."""

import numpy as np
import pytest

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import optax as adapter  # noqa: E402
from conformance.cases import cases_for  # noqa: E402
from reference import LOSSES  # noqa: E402

STACK = "optax"
BINDINGS = adapters.bindings(STACK)
DICE_PROBS = "optax.losses.binary_dice_loss[apply_sigmoid=False]"  # raises on probabilities: tested below
# their probability checks are Python ifs on the values (optax 0.2.8 optax/losses/_segmentation.py): no jit
NOT_JITTABLE = {DICE_PROBS, "optax.losses.multiclass_generalized_dice_loss[apply_softmax=False]"}


def _own_cases(rng):
    """Small interior cases for every loss the module binds: {loss: [(id, arrays, params)]}."""
    x, y = rng.normal(size=(2, 3, 4))
    bits = rng.integers(0, 2, size=(3, 4)).astype(float)
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    soft = np.exp(logits[::-1]) / np.exp(logits[::-1]).sum(1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    ctc_lp = rng.normal(size=(6, 2, 4))
    ctc_lp -= np.log(np.exp(ctc_lp).sum(-1, keepdims=True))
    ones = np.ones(3, dtype=np.int64)
    return {
        "mse": [("xy", {"input": x, "target": y}, {})],
        "huber": [("delta", {"input": x, "target": y}, {"delta": 0.7})],
        "smooth_l1": [("beta", {"input": x, "target": y}, {"beta": 0.5})],
        "binary_cross_entropy_with_logits": [("logits", {"input": x, "target": bits}, {})],
        "sigmoid_focal": [("alpha_gamma", {"input": x, "target": bits}, {"alpha": 0.4, "gamma": 1.5}),
                          ("no_alpha", {"input": x, "target": bits}, {"alpha": None})],
        "cross_entropy": [("labels", {"input": logits, "target": labels}, {}),
                          ("probabilities", {"input": logits, "target": soft}, {}),
                          ("k_dim", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 3, (2, 4))}, {}),
                          ("ignore_unused", {"input": logits, "target": labels}, {"ignore_index": 7})],
        "kl_div": [("log_probs", {"input": logp, "target": soft}, {}),
                   ("log_target", {"input": logp, "target": np.log(soft)}, {"log_target": True})],
        "hinge": [("binary", {"input": x[:, 0], "target": np.array([1, -1, 1])}, {}),
                  # every margin missed: where one is met optax gives (f_y + 1) - 1 - f_y, a rounding error, not 0
                  ("multiclass", {"input": 0.2 * logits, "target": labels}, {})],
        "cosine_embedding": [("y_one", {"x1": x, "x2": y, "y": ones}, {}),
                             ("margin", {"x1": x, "x2": y, "y": ones}, {"margin": 0.5})],
        "triplet_margin": [("margin", {"anchor": x, "positive": y, "negative": x[::-1] + 0.3}, {"margin": 0.5}),
                           # an even degree: (a - p)^4 = |a - p|^4, the 4-norm (odd ones: optax-triplet-norm-degree-
                           # without-abs)
                           ("p4", {"anchor": x, "positive": y, "negative": x[::-1] + 0.3}, {"p": 4.0})],
        "dice": [("smooth", {"input": rng.normal(size=(2, 3, 4)), "target": rng.integers(0, 2, (2, 3, 4)) * 1.0},
                  {"smooth": 0.5})],
        "ctc": [("full_lengths", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 2], [3, 1, 0]]),
                                  "input_lengths": np.array([6, 5]), "target_lengths": np.array([3, 2])}, {}),
                ("blank_last", {"log_probs": ctc_lp, "targets": np.array([[1, 2, 0], [0, 1, 2]]),
                                "input_lengths": np.array([6, 6]), "target_lengths": np.array([3, 3])}, {"blank": 3})],
        # beyond the documents (issue 11)
        "poly1": [("epsilon", {"input": logits, "target": soft}, {"epsilon": 1.5})],
        "tversky": [("alpha_beta_smooth", {"input": x, "target": bits}, {"alpha": 0.3, "beta": 0.7, "smooth": 0.5,
                                                                          "from_logits": True}),
                    ("whole_batch", {"input": x, "target": bits}, {"alpha": 0.6, "whole_batch": True,
                                                                   "from_logits": True})],
    }


def _own_cases_batch2(rng):
    """sparsemax, generalized_dice, ntxent, ranking_softmax (issue 11, batch 2)."""
    t = np.moveaxis(np.eye(3)[rng.integers(0, 3, size=(2, 4))], -1, 1)
    z = rng.normal(size=(2, 3, 4))
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    x, rel = rng.normal(size=(3, 4)), rng.integers(0, 3, size=(3, 4)).astype(float)
    return {
        "sparsemax": [("binary", {"input": rng.normal(size=5), "target": np.array([0, 1, 1, 0, 1])}, {})],
        "generalized_dice": [("logits_smooth", {"input": z, "target": t}, {"form": "class_mean", "from_logits": True,
                                                                           "smooth": 1.0}),
                             ("probabilities_smooth", {"input": p, "target": t}, {"form": "class_mean",
                                                                                  "smooth": 2.0})],
        "ntxent": [("temperature", {"embeddings": rng.normal(size=(4, 3)), "labels": np.array([0, 0, 1, 1])},
                    {"temperature": 0.5})],
        "ranking_softmax": [("where_weights", {"input": x, "target": rel},
                             {"where": rng.random((3, 4)) < 0.7, "weights": rng.random((3, 4))})],
    }


OWN = smoke.own("optax", {**_own_cases(np.random.default_rng(11)), **_own_cases_batch2(np.random.default_rng(12))})


def _params():
    return [pytest.param(b, dtype, reduction, id=f"{b.id}-{dtype}-{reduction}")
            for b in BINDINGS if b.id != DICE_PROBS for dtype in b.dtypes for reduction in smoke.reductions(b)]


@pytest.mark.parametrize("binding, dtype, reduction", _params())
def test_value_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "value", dtype, reduction, OWN))


@pytest.mark.parametrize("binding, dtype, reduction", _params())
def test_grad_matches_reference(binding, dtype, reduction):
    smoke.assert_agree(smoke.run(STACK, binding, "grad", dtype, reduction, OWN))


def test_smoke_cases_cover_every_binding_parameter():
    for b in BINDINGS:
        if b.id != DICE_PROBS:
            missing = set(b.params) - smoke.exercised(b, OWN)
            assert not missing, f"{b.id}: parameters never exercised: {missing}"


def _public():
    return {f"optax.losses.{n}" for n in dir(optax.losses) if not n.startswith("_")
            and callable(getattr(optax.losses, n))}


def test_every_public_loss_api_is_accounted_for():
    apis = _public()
    accounted = {b.api for b in adapter.BINDINGS} | set(adapter.UNBOUND) | {d.api for d in
                                                                          adapter.DIFFERENT_DEFINITIONS}
    assert not apis - accounted, f"public loss APIs neither bound nor listed: {sorted(apis - accounted)}"
    assert not accounted - apis, f"listed APIs that do not exist: {sorted(accounted - apis)}"
    assert not {b.api for b in adapter.BINDINGS} & set(adapter.UNBOUND)


def _x64():
    adapter.FRAMEWORK.context()  # enables x64 once
    return jax.numpy


def test_unbound_reasons_checked_by_number():
    """The UNBOUND reasons that say "equals": ctc_loss_with_forward_probs' first output is ctc_loss, cosine_similarity
    is 1 - cosine_distance, convex_kl_divergence is generalized_kl_divergence."""
    jnp = _x64()
    rng = np.random.default_rng(3)
    logits, paddings = jnp.asarray(rng.normal(size=(2, 5, 4))), jnp.zeros((2, 5))
    labels, label_paddings = jnp.asarray([[1, 2], [3, 3]]), jnp.asarray([[0.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(optax.losses.ctc_loss_with_forward_probs(logits, paddings, labels, label_paddings)[0],
                                  optax.losses.ctc_loss(logits, paddings, labels, label_paddings))
    a, b = jnp.asarray(rng.normal(size=(3, 4))), jnp.asarray(rng.normal(size=(3, 4)))
    np.testing.assert_allclose(optax.losses.cosine_similarity(a, b), 1 - optax.losses.cosine_distance(a, b),
                               rtol=0, atol=4e-16)
    lp, t = jax.nn.log_softmax(a), jax.nn.softmax(b)
    np.testing.assert_array_equal(optax.losses.convex_kl_divergence(lp, t),
                                  optax.losses.generalized_kl_divergence(lp, t))


def test_binary_dice_smooth_is_half_the_reference_smooth():
    """Why the binding passes smooth / 2: optax's smooth s is the reference's 2 s (and not s)."""
    jnp = _x64()
    rng = np.random.default_rng(5)
    x, t = rng.normal(size=(3, 4, 2)), rng.integers(0, 2, (3, 4, 2)) * 1.0
    got = np.asarray(optax.losses.binary_dice_loss(jnp.asarray(x), jnp.asarray(t), smooth=0.5))
    np.testing.assert_allclose(got, LOSSES["dice"](x, t, smooth=1.0, reduction="none"), rtol=1e-14)
    assert not np.allclose(got, LOSSES["dice"](x, t, smooth=0.5, reduction="none"), rtol=1e-6)


def test_binary_dice_rejects_probabilities():
    """The optax-binary-dice-probabilities-raise entry, checked on one input: apply_sigmoid=False raises."""
    jnp = _x64()
    p = jnp.asarray(np.random.default_rng(2).uniform(0.1, 0.9, size=(2, 3)))
    with pytest.raises(ValueError, match="sum to 1"):
        optax.losses.binary_dice_loss(p, jnp.round(p), apply_sigmoid=False)


def test_jit_changes_only_the_rounding_of_reductions():
    """XLA compiles a jitted loss as one fused program and reassociates its sums: on these smoke cases (float32,
    'sum') the jitted value differs from the eager one by at most a few ulps, far inside the suite's 32 units, so on
    ordinary values the suite's eager cells speak for jitted calls too (not at an infinite score:
    test_jit_changes_the_answer_at_an_infinite_score)."""
    fw, differing = adapter.FRAMEWORK, []
    for b in BINDINGS:
        if b.id in NOT_JITTABLE:
            continue
        for case in smoke.cases(b, OWN):
            arrays = [case.arrays[n] for n in LOSSES[b.loss].inputs]
            accepted = {k: v for k, v in case.params.items() if k in b.params}
            with fw.context():
                tensors, params = fw._tensors(arrays, "float32", accepted)
                idx = [LOSSES[b.loss].inputs.index(n) for n in LOSSES[b.loss].differentiable]  # traced; the rest fixed

                def fn(*floats, tensors=tensors, params=params, idx=idx, b=b):
                    full = list(tensors)
                    for i, f in zip(idx, floats):
                        full[i] = f
                    return b.fn(*full, reduction=b.reductions[-1], **params)

                try:
                    eager = np.asarray(fn(*[tensors[i] for i in idx]))
                except adapters.Unsupported:  # a case this API cannot express (class indices to a dense one)
                    continue
                jitted = np.asarray(jax.jit(fn)(*[tensors[i] for i in idx]))
            ulps = np.abs(eager - jitted) / np.spacing(np.abs(eager).astype(np.float32))
            if not np.all((ulps <= 4) | (np.isnan(eager) & np.isnan(jitted))):
                differing.append(f"{b.id} {case.id}: {eager} != {jitted} ({np.nanmax(ulps)} ulps)")
    assert not differing, "\n".join(differing)


def test_jit_changes_the_answer_at_an_infinite_score():
    """Measured over the whole optax matrix under jax.jit (the optax-jit stack, 2900 cells): the verdict of 9
    cells changes, at two edges the eager cells do not speak for (conformance/divergences/optax_jit.py).
    multiclass_perceptron_loss (the suite's nonfinite case): eager, an infinite score of the label's row gives
    0 * inf = NaN in the dot with one_hot(y) (the registry's optax-multiclass-perceptron-infinite-score-nan); XLA's
    compiled program gives +inf, the reference's value, and a finite gradient to the row holding a NaN score, where
    eager and the reference give NaN.  (The other: ntxent's float32 gradient with no negatives, exactly 0 eagerly,
    is a rounding residue jitted.)"""
    (case,) = [c for c in cases_for("multiclass_perceptron") if c.id == "nonfinite"]
    (b,) = [b for b in BINDINGS if b.api == "optax.losses.multiclass_perceptron_loss"]
    arrays, cot = [case.arrays["input"], case.arrays["target"]], np.array([0.5, -1.5])
    eager = adapter.FRAMEWORK.value(b, arrays, "float64", "none", {})
    jitted = adapter.JITTED.value(b, arrays, "float64", "none", {})
    assert np.isnan(eager[0]) and jitted[0] == np.inf == LOSSES["multiclass_perceptron"](*arrays, reduction="none")[0]
    g_eager = adapter.FRAMEWORK.grad(b, arrays, "float64", "none", {}, cot)["input"]
    g_jit = adapter.JITTED.grad(b, arrays, "float64", "none", {}, cot)["input"]
    assert np.all(np.isnan(g_eager[1])) and np.all(np.isfinite(g_jit[1]))
    assert np.array_equal(g_eager[0], g_jit[0])


def test_jitted_primitives_agree_with_eager_ones():
    """adapters/optax.py JITTED (the keras-jax stack's primitives, every call one compiled program for all of a
    case's reductions): on each binding's first smoke case, at every reduction, value and gradient (a random
    cotangent) are the eager ones within the suite's float32 tolerance, 64 units (a wiring slip, a reduction's
    gradient reaching another's, would be off by all of it); XLA's compiled program differs from the eager ops in
    the last bits (reassociated sums, log_cosh's fused tanh), counted in ulps of the array's largest element (ntxent's
    cancelling gradient components differ in their own last bits).  A binding that
    reads a traced input as a number (the y = 1 check of cosine_distance) falls back to the eager call."""
    jitted, eager, rng, differing = adapter.JITTED, adapter.FRAMEWORK, np.random.default_rng(5), []
    for b in BINDINGS:
        case = next(iter(smoke.cases(b, OWN)), None)
        if b.id in NOT_JITTABLE or case is None:
            continue
        arrays = [case.arrays[n] for n in LOSSES[b.loss].inputs]
        params = {k: v for k, v in case.params.items() if k in b.params}
        for reduction in b.reductions:
            try:
                want = eager.value(b, arrays, "float32", reduction, params)
            except adapters.Unsupported:
                continue
            cot = rng.normal(size=np.shape(want))
            pairs = [(want, jitted.value(b, arrays, "float32", reduction, params))]
            if b.differentiable != ():
                try:
                    g = eager.grad(b, arrays, "float32", reduction, params, cot)
                except TypeError:  # sparsemax's float32 gradient under x64 (optax-sparsemax-float32-grad-raises)
                    with pytest.raises(TypeError):
                        jitted.grad(b, arrays, "float32", reduction, params, cot)
                    continue
                h = jitted.grad(b, arrays, "float32", reduction, params, cot)
                pairs += [(g[n], h[n]) for n in g]
            for e, j in pairs:
                finite = np.abs(e[np.isfinite(e)])
                ulps = np.abs(e - j) / np.spacing(np.float32(finite.max() if finite.size else 1.0))  # of the largest
                if not np.all((ulps <= 64) | (e == j) | (np.isnan(e) & np.isnan(j))):
                    differing.append(f"{b.id} {case.id} {reduction}: {np.nanmax(ulps)} ulps")
    assert not differing, "\n".join(differing)
    cosine = next(b for b in BINDINGS if b.api == "optax.losses.cosine_distance")
    key = next(k for k in jitted._programs if k[0] == cosine.id)
    assert jitted._programs[key] is adapter.EAGER


def test_arrays_and_the_arrays_a_binding_makes_go_to_the_device():
    """--device: to_tensor puts the array on the device's first JAX device; the call's context makes it the
    default device."""
    fw = adapters.framework("optax")
    cpu = jax.devices("cpu")[0]
    assert fw.to_tensor(np.ones(2), "float32", "cpu").devices() == {cpu}
    with fw.context():
        assert jax.numpy.zeros(2).devices() == {cpu}
    assert fw.devices()[0] == "cpu"


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("optax", adapter.BINDINGS, adapter.UNEXERCISED)
