"""The divergence registry: every entry bounds what it absorbs, and the entries agree with the baseline's cells.

No framework is needed: the registry is data, the baseline is a file, the cases are NumPy.  The baseline
checked is reports/baseline/ (LOSS_CONFORMANCE_BASELINE names another directory of results files, e.g. a
fresh run's, to check the registry against it before the baseline is refreshed).
"""

import os
from collections import defaultdict
from functools import partial

import numpy as np
import pytest

from adapters._core import Binding
from conformance import registry, suite, tolerance
from conformance.cases import cases_for
from conformance.divergences import DIVERGENCES
from conformance.worker import Outcome
from reports.load import load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.environ.get("LOSS_CONFORMANCE_BASELINE", os.path.join(ROOT, "reports", "baseline"))


# ---------------------------------------------------------------- a fault far beyond a precision entry's bound


class InjectingWorker:
    """Answers value calls with the reference, off by ``units`` units of the dtype on one element."""

    framework_name = "torch"
    version = {}
    device = "cpu"

    def __init__(self, judge_for_scale, units):
        self.units = units
        self.judge = judge_for_scale
        self.cell = None

    def call(self, api, check, arrays, dtype, reduction, params, cotangent=None):
        ref = np.array(self.judge.reference(self.cell, "value", {}), dtype=np.float64)
        scale = np.broadcast_to(self.judge.reference(self.cell, "scale", {}), ref.shape)
        ref.flat[0] += self.units * tolerance.unit(dtype) * scale.flat[0]
        return Outcome("ok", ref)


def _precision_cell():
    """A cell torch-bce-logits-log1p-precision covers (Units: float32 at most 400), on a binding without torch."""
    binding = Binding(loss="binary_cross_entropy_with_logits", api="torch.nn.BCEWithLogitsLoss", fn=lambda: None,
                      framework="torch")
    case = next(c for c in cases_for(binding.loss) if c.id == "interior_8x5")
    cell = suite.Cell(binding, case, "value", "float32", "none")
    assert cell.divergence.id == "torch-bce-logits-log1p-precision" and cell.divergence.kind == "precision"
    return cell


@pytest.mark.parametrize("units, status", [(300.0, "xfail"), (1e17, "fail")])
def test_an_injected_fault_beyond_a_precision_bound_fails(units, status):
    cell = _precision_cell()
    judge = suite.Judge(None)
    judge.worker = InjectingWorker(judge, units)
    judge.worker.cell = cell
    record = judge.run(cell)
    assert record["status"] == status, record["message"]
    assert record["divergence"] == "torch-bce-logits-log1p-precision"
    assert record["max_ulp_err"] == pytest.approx(units, rel=1e-3)
    if status == "fail":
        assert "beyond the bound of divergence torch-bce-logits-log1p-precision" in record["message"]
        assert "> 400 units of float32" in record["message"]


class OffsetWorker(InjectingWorker):
    """Answers value calls with the reference plus ``offsets`` (absolute, one per element)."""

    def call(self, api, check, arrays, dtype, reduction, params, cotangent=None):
        return Outcome("ok", np.asarray(self.judge.reference(self.cell, "value", {}), dtype=np.float64) + self.units)


def _at_zero_loss_cell():
    """A cell keras-log-cosh-float32-log-2-at-zero-loss covers (Units: 32 units or 2e-9 absolute in float64)."""
    binding = Binding(loss="log_cosh", api="keras.losses.LogCosh", fn=lambda: None, framework="tensorflow")
    case = next(c for c in cases_for(binding.loss) if c.id == "small_d")  # d = 0 and 1e-20 among ordinary ones
    cell = suite.Cell(binding, case, "value", "float64", "none")
    assert cell.divergence.id == "keras-log-cosh-float32-log-2-at-zero-loss"
    return cell


@pytest.mark.parametrize("offset, status", [(1.9e-9, "xfail"), (1e-8, "fail")])
def test_an_absolute_error_beyond_an_absolute_bound_fails(offset, status):
    cell = _at_zero_loss_cell()
    judge = suite.Judge(None)
    judge.worker = OffsetWorker(judge, np.r_[offset, np.full(5, 1.9e-9)])  # the float32 log 2's error elsewhere
    judge.worker.cell = cell
    record = judge.run(cell)
    assert record["status"] == status, record["message"]
    if status == "fail":
        assert "where the absolute error exceeds 2e-09" in record["message"]


# ---------------------------------------------------------------- the bounds


def _obs(units=0.0, mismatches=(), raised=None, returned=None, dtype="float32", check="value"):
    return registry.Observation(check, dtype, units, frozenset(mismatches), raised, returned)


def test_units_bound_per_dtype_and_no_non_finite_disagreement():
    bound = registry.Units({"float32": 400, "float64": 200})
    assert not bound.outside(_obs(399.0))
    assert "> 400" in bound.outside(_obs(401.0))
    assert "> 200" in bound.outside(_obs(201.0, dtype="float64"))
    assert "non-finite" in bound.outside(_obs(1.0, {"nan/finite"}))
    assert "raised" in bound.outside(_obs(None, raised="RuntimeError: no"))


def test_units_bound_with_an_absolute_form_bounds_only_the_elements_beyond_it():
    bound = registry.Units({"float64": 32}, absolute={"float64": 2e-9})
    obs = partial(registry.Observation, "value", "float64", 1e80)
    assert not bound.outside(obs(frozenset(), elements=(np.array([1.9e-9, 1e-3]), np.array([1e80, 31.0]))))
    assert "> 32" in bound.outside(obs(frozenset(), elements=(np.array([1.9e-9, 1e-3]), np.array([1e80, 33.0]))))
    assert "> 32" in bound.outside(obs(frozenset(), elements=(np.array([3e-9]), np.array([1e80]))))
    assert "> 32" in bound.outside(obs(frozenset(), elements=None))  # no per-element errors (a grad cell): units alone
    assert "non-finite" in bound.outside(obs(frozenset({"nan/finite"}), elements=(np.zeros(1), np.zeros(1))))


def test_signature_bound_names_the_disagreements_it_absorbs():
    bound = registry.Signature(("nan/finite", "0/nan"))
    assert not bound.outside(_obs(1.0, {"nan/0"}))  # "finite" covers an observed zero
    assert not bound.outside(_obs(1.0, {"0/nan"}))
    assert "finite/nan" in bound.outside(_obs(1.0, {"finite/nan"}))  # "0" does not cover a non-zero
    assert "> 32" in bound.outside(_obs(33.0, {"nan/finite"}))  # the other elements: the normal tolerance
    assert not registry.Signature(("shape",)).outside(_obs(0.0, {"shape"}))


def test_raises_and_returns_bounds():
    assert not registry.Raises("^ValueError").outside(_obs(None, raised="ValueError: Input contains NaN"))
    assert "not /^ValueError/" in registry.Raises("^ValueError").outside(_obs(None, raised="TypeError: x"))
    assert "did not raise" in registry.Raises("x").outside(_obs(1.0))
    returns = registry.Returns(("finite", "nan"))
    assert not returns.outside(_obs(None, returned="nan", check="error"))
    assert "non-finite" in returns.outside(_obs(None, returned="non-finite", check="error"))
    assert registry.summary_class(np.array([1.0, np.nan])) == "non-finite"
    assert registry.summary_class(np.array([np.nan])) == "nan"
    assert registry.summary_class(np.zeros(0)) == "empty"


def test_measure_classes_the_non_finite_disagreements():
    m = tolerance.measure(np.array([np.nan, 0.0, np.inf, 1.0]), np.array([1.0, np.nan, 2.0, 1.0 + 1e-6]), 1.0,
                          "float32")
    assert m.mismatches == {"nan/finite", "0/nan", "inf/finite"}
    assert m.units == pytest.approx(1e-6 / tolerance.unit("float32"))  # the finite pair alone


# ---------------------------------------------------------------- the registry against the baseline


def _baseline():
    if not os.path.isdir(BASELINE):
        pytest.skip(f"no baseline directory {BASELINE}")
    return [r for r in load([BASELINE]).records if r["status"] != "skip"]


def _key(record, tags):
    return registry.CellKey(record["loss"], record["framework"], record["api"], record["check"], record["dtype"],
                            record["reduction"], record["case"], tags[record["loss"]][record["case"]])


def test_every_entry_agrees_with_the_baseline_cells():
    records = _baseline()
    tags = defaultdict(dict)
    for loss in {r["loss"] for r in records}:
        tags[loss] = {c.id: frozenset(c.tags) for c in cases_for(loss)}
    covered = defaultdict(list)
    problems = []
    for r in records:
        entry = registry.find(DIVERGENCES, _key(r, tags))
        cell = f"{r['framework']} {r['api']} {r['check']} {r['dtype']} {r['reduction']} {r['case']} ({r['status']})"
        if r["status"] == "xfail" and not r.get("divergence"):
            problems.append(f"{cell}: an xfail that names no entry")
        if (entry and entry.id) != r.get("divergence"):
            problems.append(f"{cell}: the baseline names {r.get('divergence')}, the registry covers it by "
                            f"{entry and entry.id}")
        if entry:
            covered[entry.id].append(r)
            beyond = entry.bound.admits(r) if r["status"] == "xfail" else ""
            if beyond:
                problems.append(f"{cell}: beyond the bound of {entry.id} ({entry.bound}): {beyond}")
    stacks = {r["framework"] for r in records}
    problems += [f"{d.id}: covers no baseline cell (stale)" for d in DIVERGENCES
                 if d.framework in stacks and not covered[d.id]]
    assert not problems, "\n".join(problems)
