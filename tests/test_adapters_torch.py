"""The torch adapter: every binding agrees with the reference on a small smooth case, and every
public torch / torchvision loss API is bound, or listed as unbound or as a different definition.

Smoke test, not the conformance suite: one interior case (the suite's first one the binding can
express) plus one case per parameter mapping, each reduction, both dtypes; value and gradient
(random cotangent), each a suite cell judged by the suite's judge (tests/smoke.py).
"""

import dataclasses
import importlib
import inspect
import zlib

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed: the torch adapter cannot be exercised")

import smoke  # noqa: E402

import adapters  # noqa: E402
from adapters import Convention  # noqa: E402
from adapters import torch as torch_adapter  # noqa: E402
from conformance.cases import Case  # noqa: E402
from conformance.suite import Cell  # noqa: E402

BINDINGS = adapters.bindings("torch")

CTC_GRAD = ("torch returns, for log_probs, the gradient for the logits before a log_softmax (it adds "
            "exp(log_probs) per frame): pytorch/pytorch#52241, #82545, #181534")
KNOWN_GRAD_BUGS = {"torch.nn.functional.ctc_loss": CTC_GRAD, "torch.nn.CTCLoss": CTC_GRAD}


# ---------------------------------------------------------------- cases made here


def _softmax(x, axis=1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x, axis=1):
    return np.log(_softmax(x, axis))


def _boxes(r, n=5):
    xy = r.uniform(0, 10, size=(n, 2))
    wh = r.uniform(1, 4, size=(n, 2))
    xy2 = xy + r.normal(0, 0.3, size=(n, 2))  # overlapping pairs: a smooth point of every box loss
    wh2 = wh * np.exp(r.normal(0, 0.3, size=(n, 2)))
    return {"boxes1": np.concatenate([xy2, xy2 + wh2], 1), "boxes2": np.concatenate([xy, xy + wh], 1)}


def _pm1(r, shape):
    return r.choice([-1.0, 1.0], size=shape)


def _xy(r, shape=(3, 4)):
    return {"input": r.normal(size=shape), "target": r.normal(size=shape)}


def _smoke(loss):
    """[(id, arrays, params)]: a default-parameter case first, then cases for the parameter mappings."""
    r = np.random.default_rng(zlib.crc32(loss.encode()))
    boxes = _boxes(r)
    n, c = 4, 5
    logits, labels = r.normal(size=(n, c)), r.integers(0, c, size=n)
    w = r.uniform(0.5, 2.0, size=c)
    cases = {
        "l1": lambda: [("smoke", _xy(r), {})],
        "mse": lambda: [("smoke", _xy(r), {})],
        "smooth_l1": lambda: [("smoke", _xy(r), {}), ("beta", _xy(r), {"beta": 0.5})],
        "huber": lambda: [("smoke", _xy(r), {}), ("delta", _xy(r), {"delta": 0.7})],
        "poisson_nll": lambda: [
            ("smoke", {"input": r.normal(size=(3, 4)), "target": r.poisson(2.0, size=(3, 4)) * 1.0}, {}),
            ("rate_full_eps", {"input": np.exp(r.normal(size=(3, 4))), "target": r.poisson(3.0, size=(3, 4)) * 1.0},
             {"log_input": False, "full": True, "eps": 1e-3})],
        "gaussian_nll": lambda: [
            ("smoke", {**_xy(r), "var": np.exp(r.normal(size=(3, 4)))}, {}),
            ("full_eps", {**_xy(r), "var": np.exp(r.normal(size=(3, 4)))}, {"full": True, "eps": 1e-6}),
            ("eps_clamps_var", {**_xy(r), "var": np.exp(r.normal(size=(3, 4)))}, {"eps": 0.5}),
            ("homoscedastic", {**_xy(r), "var": np.exp(r.normal(size=3))}, {}),
            ("var_last_dim_1", {**_xy(r), "var": np.exp(r.normal(size=(3, 1)))}, {})],
        "cross_entropy": lambda: [
            ("smoke", {"input": logits, "target": labels}, {}),
            ("weight_smoothing", {"input": logits, "target": labels}, {"weight": w, "label_smoothing": 0.1}),
            ("ignore_index", {"input": logits, "target": np.array([2, 0, 2, 4])}, {"weight": w, "ignore_index": 2}),
            ("probabilities", {"input": logits, "target": _softmax(r.normal(size=(n, c)))}, {"label_smoothing": 0.05}),
            ("k_dim", {"input": r.normal(size=(2, 3, 4)), "target": r.integers(0, 3, size=(2, 4))}, {})],
        "nll": lambda: [
            ("smoke", {"input": _log_softmax(logits), "target": labels}, {}),
            ("weight_ignore", {"input": _log_softmax(logits), "target": np.array([1, 0, 3, 1])},
             {"weight": w, "ignore_index": 1})],
        "binary_cross_entropy": lambda: [
            ("smoke", {"input": r.uniform(0.05, 0.95, size=(3, 4)), "target": r.uniform(size=(3, 4))}, {}),
            ("weight", {"input": r.uniform(0.05, 0.95, size=(3, 4)), "target": r.uniform(size=(3, 4))},
             {"weight": r.uniform(0.5, 2, size=4)})],
        "binary_cross_entropy_with_logits": lambda: [
            ("smoke", {"input": 2 * r.normal(size=(3, 4)), "target": r.uniform(size=(3, 4))}, {}),
            ("weights", {"input": 2 * r.normal(size=(3, 4)), "target": r.uniform(size=(3, 4))},
             {"weight": r.uniform(0.5, 2, size=4), "pos_weight": r.uniform(0.5, 3, size=4)})],
        "kl_div": lambda: [
            ("smoke", {"input": _log_softmax(logits), "target": _softmax(r.normal(size=(n, c)))}, {}),
            ("log_target", {"input": _log_softmax(logits), "target": _log_softmax(r.normal(size=(n, c)))},
             {"log_target": True})],
        "multilabel_soft_margin": lambda: [
            ("smoke", {"input": logits, "target": r.integers(0, 2, size=(n, c)) * 1.0}, {}),
            ("weight", {"input": logits, "target": r.integers(0, 2, size=(n, c)) * 1.0}, {"weight": w})],
        "soft_margin": lambda: [("smoke", {"input": logits, "target": _pm1(r, (n, c))}, {})],
        "sigmoid_focal": lambda: [
            ("smoke", {"input": 2 * logits, "target": r.integers(0, 2, size=(n, c)) * 1.0}, {}),
            ("alpha_gamma", {"input": 2 * logits, "target": r.integers(0, 2, size=(n, c)) * 1.0},
             {"alpha": 0.4, "gamma": 1.5}),
            ("no_alpha", {"input": 2 * logits, "target": r.integers(0, 2, size=(n, c)) * 1.0}, {"alpha": None})],
        "margin_ranking": lambda: [
            ("smoke", {"x1": r.normal(size=6), "x2": r.normal(size=6), "y": _pm1(r, 6)}, {}),
            ("margin", {"x1": r.normal(size=6), "x2": r.normal(size=6), "y": _pm1(r, 6)}, {"margin": 0.3})],
        "multilabel_margin": lambda: [
            ("smoke", {"input": r.normal(size=(3, 4)),
                       "target": np.array([[3, 0, -1, 1], [1, 2, 3, -1], [-1, 0, 0, 0]])}, {})],
        "hinge_embedding": lambda: [
            ("smoke", {"input": r.normal(size=(3, 4)), "target": _pm1(r, (3, 4))}, {}),
            ("margin", {"input": r.normal(size=(3, 4)), "target": _pm1(r, (3, 4))}, {"margin": 0.5})],
        "cosine_embedding": lambda: [
            ("smoke", {"x1": logits, "x2": r.normal(size=(n, c)), "y": _pm1(r, n)}, {}),
            ("margin", {"x1": logits, "x2": r.normal(size=(n, c)), "y": _pm1(r, n)}, {"margin": 0.2}),
            ("tiny_norm", {"x1": logits * np.array([[1e-6], [1.0], [1.0], [1e-6]]), "x2": r.normal(size=(n, c)),
                           "y": np.array([1.0, 1.0, -1.0, 1.0])}, {})],
        "triplet_margin": lambda: [
            ("smoke", {"anchor": logits, "positive": logits + r.normal(size=(n, c)), "negative": r.normal(size=(n, c))},
             {}),
            ("p3_eps_swap", {"anchor": logits, "positive": r.normal(size=(n, c)), "negative": r.normal(size=(n, c))},
             {"margin": 0.5, "p": 3.0, "eps": 1e-6, "swap": True}),
            ("margin_swap", {"anchor": logits, "positive": r.normal(size=(n, c)), "negative": r.normal(size=(n, c))},
             {"margin": 2.0, "swap": True}),
            ("cosine", {"anchor": logits, "positive": logits + r.normal(size=(n, c)),
                        "negative": r.normal(size=(n, c))}, {"distance": "cosine", "margin": 0.2})],
        "ctc": lambda: [
            ("smoke", {"log_probs": _log_softmax(r.normal(size=(6, 2, 4)), axis=2),
                       "targets": np.array([[1, 2, 2], [3, 1, 0]]), "input_lengths": np.array([6, 5]),
                       "target_lengths": np.array([3, 2])}, {}),
            ("blank_zero_infinity", {"log_probs": _log_softmax(r.normal(size=(6, 2, 4)), axis=2),
                                     "targets": np.array([[0, 1, 1], [2, 2, 2]]), "input_lengths": np.array([6, 4]),
                                     "target_lengths": np.array([3, 3])}, {"blank": 3, "zero_infinity": True})],
        "iou": lambda: [("smoke", boxes, {}), ("log_form", boxes, {"form": "log"})],
        "giou": lambda: [("smoke", boxes, {}), ("eps", boxes, {"eps": 1e-7})],
        "diou": lambda: [("smoke", boxes, {}), ("eps", boxes, {"eps": 1e-7})],
        "ciou": lambda: [("smoke", boxes, {}), ("eps", boxes, {"eps": 1e-7})],
        # beyond the documents (issue 11)
        "multi_margin": lambda: [
            ("smoke", {"input": 2 * logits, "target": labels}, {}),
            ("p2_margin_weight", {"input": 2 * logits, "target": labels}, {"p": 2, "margin": 0.5, "weight": w})],
    }
    return cases[loss]()


OWN = smoke.own("torch", {loss: _smoke(loss) for loss in sorted({b.loss for b in BINDINGS})})


def _binding(api):
    return next(b for b in BINDINGS if b.api == api)


def _case(loss, case_id):
    (case,) = [c for c in OWN[loss] if c.id == f"torch-{case_id}"]
    return case


def _run(binding, dtype, check):
    ok, why = torch_adapter.FRAMEWORK.available()
    ok, why = binding.available() if ok else (ok, why)
    if not ok:
        pytest.skip(why)
    records = [r for reduction in smoke.reductions(binding)
               for r in smoke.run("torch", binding, check, dtype, reduction, OWN)]
    smoke.assert_agree(records)


def _params(check):
    out = []
    for b in BINDINGS:
        for dtype in b.dtypes:
            marks = []
            if check == "grad" and b.api in KNOWN_GRAD_BUGS:
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GRAD_BUGS[b.api])]
            out.append(pytest.param(b, dtype, id=f"{b.id}-{dtype}", marks=marks))
    return out


@pytest.mark.parametrize("binding, dtype", _params("value"))
def test_value_matches_reference(binding, dtype):
    _run(binding, dtype, "value")


@pytest.mark.parametrize("binding, dtype", _params("grad"))
def test_grad_matches_reference(binding, dtype):
    _run(binding, dtype, "grad")


def _declaring(binding, **params):
    """The binding with other conventions declared: the judge then checks torch against those."""
    return dataclasses.replace(binding, conventions=(Convention(params, "what this test claims", "this test"),))


def test_cosine_epsilon_is_float32_1e_minus_12():
    """The declared convention is the discriminating one: with eps = 1e-12 exactly (not rounded to
    float32, as torch's ``constexpr float EPSILON`` is) the reference misses torch on tiny norms."""
    b = _binding("torch.nn.functional.cosine_embedding_loss")
    cell = Cell(b, _case("cosine_embedding", "tiny_norm"), "value", "float64", "none")
    assert smoke.judge("torch").run(cell)["status"] in smoke.AGREES
    exact = dataclasses.replace(cell, binding=_declaring(b, eps=1e-12))
    assert smoke.judge("torch").run(exact)["status"] == "fail"


def test_composed_box_losses_do_not_mix_pairs():
    """The composed torchvision bindings evaluate each pair alone: two identical boxes elsewhere in the
    batch (CIoU's alpha = 0 / 0 there with eps = 0) must not reach another pair's gradient."""
    pytest.importorskip("torchvision")
    unit = [0.0, 0.0, 1.0, 1.0]
    case = Case("ciou", "torch-identical_pair_beside", {"boxes1": np.array([unit, [0.2, 0.1, 1.5, 1.2]]),
                                                   "boxes2": np.array([[0.5, 0.5, 2.0, 1.5], unit])})
    record = smoke.judge("torch").run(Cell(_binding("torchvision.ops.complete_box_iou"), case, "grad", "float64",
                                           "none"))
    assert record["status"] in smoke.AGREES, record["message"]


def test_ctc_grad_is_the_logits_gradient():
    """What KNOWN_GRAD_BUGS says about CTC, as a number: torch's gradient is the reference's with
    log_softmax_grad=True (the gradient for logits z, log_probs = log_softmax(z))."""
    b = _declaring(_binding("torch.nn.functional.ctc_loss"), log_softmax_grad=True)
    for case in [_case("ctc", "smoke"), _case("ctc", "blank_zero_infinity")]:
        record = smoke.judge("torch").run(Cell(b, case, "grad", "float64", "none"))
        assert record["status"] == "convention", f"{case.id}: {record['status']}: {record['message']}"


# ---------------------------------------------------------------- completeness


def _public_loss_apis():
    import torch.nn as nn
    import torch.nn.functional as F

    apis = set()
    for n in dir(F):
        if not n.startswith("_") and callable(getattr(F, n)) and (
                n.endswith("_loss") or "entropy" in n or n in ("kl_div", "nll_loss")):
            apis.add(f"torch.nn.functional.{n}")
    apis |= {f"torch.nn.{n}" for n in dir(nn) if "Loss" in n and inspect.isclass(getattr(nn, n))}
    apis |= {f"torch.{n}" for n in dir(torch) if not n.startswith("_") and n.endswith("_loss")
             and callable(getattr(torch, n))}
    try:
        import torchvision.ops as ops
    except ImportError:
        pass
    else:
        apis |= {f"torchvision.ops.{n}" for n in dir(ops)
                 if "loss" in n.lower() and callable(getattr(ops, n)) and not inspect.ismodule(getattr(ops, n))}
    return apis


def _resolve(api):
    parts = api.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p)
        return obj
    raise ImportError(api)


def test_every_public_loss_api_is_accounted_for():
    covered = ({b.api for b in torch_adapter.BINDINGS} | set(torch_adapter.UNBOUND)
               | {d.api for d in torch_adapter.DIFFERENT_DEFINITIONS})
    missing = sorted(_public_loss_apis() - covered)
    assert not missing, f"public torch loss APIs with no binding, UNBOUND or DIFFERENT_DEFINITIONS entry: {missing}"


def test_every_named_api_exists():
    names = ([b.api for b in torch_adapter.BINDINGS] + list(torch_adapter.UNBOUND)
             + [d.api for d in torch_adapter.DIFFERENT_DEFINITIONS])
    absent = []
    for api in names:
        try:
            _resolve(api)
        except (ImportError, AttributeError):
            absent.append(api)
    assert not absent, f"stale or misspelled API names: {absent}"


def test_no_api_is_both_bound_and_unbound():
    bound = {b.api for b in torch_adapter.BINDINGS}
    assert not bound & set(torch_adapter.UNBOUND)
    assert not bound & {d.api for d in torch_adapter.DIFFERENT_DEFINITIONS}


def test_tensors_and_the_tensors_a_binding_makes_go_to_the_device():
    """--device: the inputs (to_tensor) and, inside the call's context, torch's default device ("meta" stands in
    for a GPU: it places without computing)."""
    fw = adapters.framework("torch")
    assert fw.to_tensor(np.ones(2), "float32", "meta").device.type == "meta"
    try:
        fw.device = "meta"
        with fw.context():
            assert torch.zeros(2).device.type == "meta"
    finally:
        fw.device = "cpu"
    with fw.context():
        assert torch.zeros(2).device.type == "cpu"
    assert fw.devices() == (("cpu", "cuda") if torch.cuda.is_available() else ("cpu",))


def test_every_public_parameter_of_a_bound_api_is_set_by_a_case_or_explained():
    smoke.assert_parameters_accounted("torch", adapters.bindings(stack="torch"), torch_adapter.UNEXERCISED)
