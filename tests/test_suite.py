"""The conformance suite's own machinery: isolation, determinism, strictness, tolerance."""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conformance import registry, suite, tolerance
from conformance.cases import Case, cases_for
from conformance.plugin import Recorder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_suite(tmp_path, name, *args):
    out = tmp_path / f"{name}.json"
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "--framework", "tests.fault_adapters",
                           "--results", str(out), "-q", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    return proc, json.loads(out.read_text())


def test_a_crashing_or_hanging_framework_call_costs_one_cell(tmp_path):
    proc, doc = run_suite(tmp_path, "faults", "--cell-timeout", "2", "-k", "interior_8x5 or shape_mismatch")
    assert proc.returncode == 1, proc.stdout[-3000:]
    by_api = {}
    for r in doc["records"]:
        by_api.setdefault(r["api"], set()).add(r["status"])
    assert by_api["fault.aborts"] == {"crash"}
    assert by_api["fault.hangs"] == {"timeout"}
    assert by_api["fault.smooth_l1"] == {"pass"}  # the cells after a crash still ran, in a restarted worker
    assert {r["status"] for r in doc["records"] if r["api"] == "fault.wrong" and r["check"] == "value"} == {"fail"}
    crashed = [r for r in doc["records"] if r["status"] in ("crash", "timeout")]
    assert all("signal 6" in r["message"] or "no answer within 2 s" in r["message"] for r in crashed)
    assert all(r["repro"] and "fault.aborts" in r["repro"] or "fault.hangs" in r["repro"] for r in crashed)


def test_the_results_file_carries_coverage_sweeps_and_the_reference(tmp_path):
    _, doc = run_suite(tmp_path, "tables", "-k", "fault.smooth_l1")
    coverage = doc["coverage"]["fault.smooth_l1"]
    assert {"float32", "float64"} <= set(coverage["dtype"]) and {"none", "mean", "sum"} <= set(coverage["reduction"])
    assert len(coverage["beta"]) >= 3  # every beta the cases use, the kink-selecting 0 included
    sweeps = [s for s in doc["sweeps"] if s["api"] == "fault.smooth_l1"]
    assert sweeps and all(len(s["x"]) == len(s["value"]) == len(s["ref_value"]) for s in sweeps)
    reference = doc["reference"]["smooth_l1"]
    assert "Smooth L1" in reference["doc"] and "def smooth_l1" in reference["source"]
    assert doc["environment"]["frameworks"]["numpy"]


def test_a_failing_cell_carries_a_repro_that_runs(tmp_path):
    proc, doc = run_suite(tmp_path, "wrong", "-k", "fault.wrong and interior_8x5 and float64")
    assert proc.returncode == 1
    (record,) = [r for r in doc["records"] if r["api"] == "fault.wrong"]
    assert record["status"] == "fail" and record["repro"]
    script = tmp_path / "repro.py"
    script.write_text(record["repro"])
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "PYTHONPATH": ROOT})
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    assert float(lines["framework"]) != pytest.approx(float(lines["reference"]))  # the disagreement, reproduced


def test_fuzzing_shrinks_a_disagreement_into_a_case_to_paste():
    proc = subprocess.run([sys.executable, "-m", "conformance.fuzz", "--framework", "tests.fault_adapters",
                           "--examples", "30"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "fuzz fault.smooth_l1 ... ok" in proc.stderr and "fuzz fault.wrong ... found one" in proc.stderr
    (snippet,) = [line for line in proc.stdout.splitlines() if line.startswith("Case(")]
    case = eval(snippet, {"Case": Case, "np": np})  # the printed case is valid code for conformance/cases/
    assert case.loss == "smooth_l1" and set(case.arrays) == {"input", "target"}


def _without_timings(doc):
    doc = json.loads(json.dumps(doc))
    for key in ("created", "argv"):
        doc["environment"].pop(key)
    for r in doc["records"]:
        r.pop("seconds")
    return doc


def test_same_commit_same_results_serial_or_parallel(tmp_path):
    _, serial = run_suite(tmp_path, "serial", "-k", "fault.smooth_l1")
    _, parallel = run_suite(tmp_path, "parallel", "-k", "fault.smooth_l1", "-n", "2")
    assert len(serial["records"]) > 20
    assert _without_timings(serial) == _without_timings(parallel)


# ---------------------------------------------------------------- strictness of the registry


def _cell(case_id="interior_8x5"):
    from tests.fault_adapters import BINDINGS

    case = next(c for c in cases_for("smooth_l1") if c.id == case_id)
    return suite.Cell(BINDINGS[0], case, "value", "float32", "mean")


def _entry(bound, kind="bug", **cells):
    return registry.Divergence(id="x", framework="fault", kind=kind, cells=registry.Cells(**cells), bound=bound,
                               explanation="because", citation="somewhere")


ENTRY = _entry(registry.Signature(("nan/finite",)), apis="fault.smooth_l1")


def _obs(units=None, mismatches=(), raised=None):
    return registry.Observation("value", "float32", units, frozenset(mismatches), raised)


def _decide(d, pure, expl, conventions=None, observed=None):
    record = {"conventions": conventions or {}}
    return suite.decide(_cell(), record, d, pure, expl, "", observed or _obs(expl))["status"]


def test_statuses():
    assert _decide(None, 1.0, 1.0) == "pass"
    assert _decide(None, 1e3, 1e3) == "fail"
    assert _decide(None, 1e3, 1.0, {"log_min": -100}) == "convention"  # the binding's conventions explain it
    assert _decide(None, 1e3, 1e3, {"log_min": -100}) == "fail"  # ... or they do not
    assert _decide(ENTRY, 1.0, 1.0) == "xpass"  # a registered divergence that no longer diverges
    assert _decide(ENTRY, 1e3, 1.0, {"log_min": -100}) == "xpass"  # the conventions account for it: not needed
    assert _decide(ENTRY, None, None, observed=_obs(0.0, {"nan/finite"})) == "xfail"  # its signature
    assert _decide(ENTRY, None, None, observed=_obs(0.0, {"inf/finite"})) == "fail"  # another one
    assert _decide(ENTRY, None, None, observed=_obs(1e3, {"nan/finite"})) == "fail"  # finite elements off too
    reproduced = _entry(registry.Reproduces({"beta": 2.0}), apis="fault.smooth_l1")
    assert _decide(reproduced, 1e3, 1.0) == "xfail"  # the params account for all of it
    assert _decide(reproduced, 1e3, 1e3) == "fail"  # the explanation does not hold


def test_a_missing_gradient_is_recorded_not_skipped(monkeypatch):
    """A stack that gives no gradient for a differentiable input (paddle's kl_div label) fails the cell as
    'no-gradient', whatever the other inputs' gradients say; a Signature naming it absorbs it, and nothing else."""
    from conformance.worker import Worker

    judge = suite.Judge(Worker("tests.fault_adapters", isolate=False))
    fw = judge.worker._local[0]
    full = fw.grad
    cell = dataclasses.replace(_cell(), check="grad")
    assert judge.run(cell)["status"] == "pass"
    monkeypatch.setattr(fw, "grad", lambda *a: {"input": full(*a)["input"]})
    record = judge.run(cell)
    assert record["status"] == "fail" and record["message"].startswith("no gradient for target")
    absorbed = _entry(registry.Signature(("no-gradient",)), apis="fault.smooth_l1")
    assert not absorbed.bound.outside(registry.Observation("grad", "float32", 0.0, frozenset({"no-gradient"})))
    assert ENTRY.bound.outside(registry.Observation("grad", "float32", 0.0, frozenset({"no-gradient"})))


def test_convention_cells_pass_in_pytest():
    import conformance.test_conformance as tc

    assert tc.CONVENTION == "convention" and tc.PASS == "pass"
    assert (suite.PASS, suite.CONVENTION, suite.FAIL, suite.XFAIL, suite.XPASS, suite.ERROR, suite.SKIP, suite.CRASH,
            suite.TIMEOUT) == ("pass", "convention", "fail", "xfail", "xpass", "error", "skip", "crash", "timeout")


def test_a_raise_is_absorbed_only_by_an_entry_that_says_so():
    raises = _entry(registry.Raises("NaN"), apis="fault.smooth_l1")
    record = {"conventions": {}}
    assert suite.decide(_cell(), record, raises, None, None, "", _obs(raised="ValueError: NaN"))["status"] == "xfail"
    assert record["verified"] is False
    assert _decide(raises, None, None, observed=_obs(raised="ValueError: empty")) == "fail"
    assert _decide(ENTRY, None, None, observed=_obs(raised="ValueError: NaN")) == "fail"


def test_a_variant_binding_id_is_matched_exactly_not_as_a_pattern():
    entry = _entry(registry.Signature(("nan/finite",)), apis="api[from_logits=True]")
    key = dataclasses.replace(_cell().key(), api="api[from_logits=True]")
    assert registry.find([entry], key) is entry
    assert registry.find([entry], dataclasses.replace(key, api="api[from_logits=False]")) is None
    assert registry.find([entry], dataclasses.replace(key, api="api[from_logits=Tru]")) is None


def test_an_entry_that_matches_no_cell_fails_the_run(monkeypatch):
    import conformance.divergences as divergences

    class Config:
        def getoption(self, name):
            return None

    rec = Recorder(Config())
    rec.is_full_matrix = lambda framework: True
    rec.records = [{"divergence": "x"}]
    stale = dataclasses.replace(_entry(registry.Signature(("nan/finite",)), losses="l1"), id="stale")
    monkeypatch.setattr(divergences, "DIVERGENCES", [ENTRY, stale])
    assert rec.stale_divergences("fault") == ["stale"]


def test_one_cell_two_entries_is_an_error():
    with pytest.raises(ValueError, match="several divergences"):
        registry.find([ENTRY, ENTRY], _cell().key())


def test_entries_need_kind_explanation_citation_and_a_bound_of_their_kind():
    with pytest.raises(ValueError, match="kind"):
        _entry(registry.Units(10), kind="mystery")
    with pytest.raises(ValueError, match="kind"):
        _entry(registry.Units(10), kind="convention")  # a convention lives on its binding
    with pytest.raises(ValueError, match="citation"):
        dataclasses.replace(ENTRY, citation="")
    with pytest.raises(ValueError, match="Units"):
        _entry(registry.Signature(("nan/finite",)), kind="precision")  # a precision entry states its units
    with pytest.raises(ValueError, match="error cells"):
        _entry(registry.Returns(("finite",)), kind="unchecked-input", checks="value")
    with pytest.raises(ValueError, match="error cells"):
        _entry(registry.Signature(("nan/finite",)), checks="error")
    with pytest.raises(ValueError, match="got/ref"):
        registry.Signature(("NaN where finite",))


# ---------------------------------------------------------------- tolerance


def test_errors_are_in_units_of_the_dtype_against_the_scale():
    u = np.finfo(np.float32).eps
    _, _, ulp, _ = tolerance.compare(np.float32(1 + 3 * u), 1.0, 1.0, "float32")
    assert ulp == pytest.approx(3)
    _, _, ulp, _ = tolerance.compare(1.0 + 3 * u, 1.0, 100.0, "float32")  # a cancelling loss: judged by its scale
    assert ulp == pytest.approx(0.03)


def test_non_finite_values_must_match_exactly():
    assert tolerance.compare(np.array([np.nan, np.inf]), np.array([np.nan, np.inf]), 1.0, "float64")[2] == 0
    assert tolerance.compare(np.array([1.0]), np.array([np.nan]), 1.0, "float64")[2] == np.inf
    assert tolerance.compare(np.array([-np.inf]), np.array([np.inf]), 1.0, "float64")[2] == np.inf


def test_subgradient_accepts_any_value_between_the_one_sided_limits():
    lo, hi = np.array([-1.0, 2.0]), np.array([1.0, 2.0])
    assert suite.subgradient(np.array([0.0, 2.0]), (lo, hi), 2.0, "float64")[2] == "midpoint"
    assert suite.subgradient(np.array([1.0, 2.0]), (lo, hi), 2.0, "float64")[2] == "upper"
    err, msg, where = suite.subgradient(np.array([1.5, 2.0]), (lo, hi), 2.0, "float64")
    assert where == "outside" and err > tolerance.THRESHOLD["grad"] and "not a subgradient" in msg
