"""The adapters package without any framework: the registry's shape, the table of stacks, `python -m adapters`,
loading a stack in the worker, and what happens when a framework is not installed (its bindings are unavailable,
with a reason)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import adapters
from adapters import Binding, Convention, Framework
from adapters.__main__ import rows, table
from conformance import worker
from reference import LOSSES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIRED = {"loss", "framework", "api", "id", "kind", "expression", "reductions", "dtypes", "params",
            "conventions", "available", "reason"}
FRAMEWORK_MODULES = tuple(sorted({p for s in adapters.STACKS.values() for p in s.packages}))


def _python(code, *args, timeout=180):
    out = subprocess.run([sys.executable, *args, *(["-c", code] if code else [])], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.fixture(scope="module")
def listing():
    return json.loads(_python(None, "-m", "adapters", "--json"))


def test_json_lists_the_bindings_of_every_stack(listing):
    counts = {fw: sum(r["framework"] == fw for r in listing) for fw in adapters.STACKS}
    assert all(counts.values()), f"bindings per framework: {counts}"
    assert len(listing) == len(adapters.BINDINGS)


def test_json_records_have_the_required_keys(listing):
    for r in listing:
        assert REQUIRED <= set(r), f"{r.get('id')}: missing {sorted(REQUIRED - set(r))}"
        assert isinstance(r["available"], bool) and isinstance(r["reason"], str)
        assert r["available"] or r["reason"], f"{r['id']}: unavailable without a reason"
        assert r["kind"] in ("direct", "composed")
        for c in r["conventions"]:
            assert set(c) == {"params", "why", "citation"} and c["params"] and c["why"] and c["citation"], r["id"]
            assert all(isinstance(v, (str, int, float, bool, list, type(None))) for v in c["params"].values())


def test_ids_are_unique(listing):
    ids = [(r["framework"], r["id"]) for r in listing]  # per stack: an adapter module several stacks run (keras)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_binding_names_a_reference_loss_and_its_parameters():
    problems = []
    for b in adapters.BINDINGS:
        loss = LOSSES.get(b.loss)
        if loss is None:
            problems.append(f"{b.id}: no reference loss {b.loss!r}")
            continue
        conventions = set(b.convention_params("float64"))
        unknown = (set(b.params) | conventions) - set(loss.params)
        if unknown:
            problems.append(f"{b.id}: {sorted(unknown)} are not parameters of {b.loss}")
        if set(b.params) & conventions:
            problems.append(f"{b.id}: {sorted(set(b.params) & conventions)} both a parameter and a convention")
        if not all(isinstance(c, Convention) and c.why and c.citation for c in b.conventions):
            problems.append(f"{b.id}: conventions {b.conventions!r} are not Convention objects with why and citation")
        if not set(b.reductions) <= set(loss.reductions):
            problems.append(f"{b.id}: reductions {b.reductions} not all in {loss.reductions}")
        if not set(b.dtypes) <= {"float32", "float64"} or not b.expression or b.framework not in adapters.STACKS:
            problems.append(f"{b.id}: dtypes {b.dtypes}, expression {b.expression!r}, framework {b.framework!r}")
        if b.differentiable is not None and not set(b.differentiable) <= set(loss.differentiable):
            problems.append(f"{b.id}: differentiable {b.differentiable} not among {loss.differentiable}")
    assert not problems, "\n".join(problems)


def test_importing_adapters_imports_no_framework():
    imported = _python(f"import sys, adapters; print([m for m in {FRAMEWORK_MODULES!r} if m in sys.modules])")
    assert imported.strip() == "[]"


class _Missing(Framework):
    name = "nosuch"
    module = "no_such_module"


def test_a_missing_framework_makes_its_bindings_unavailable_with_a_reason():
    fw = _Missing()
    ok, why = fw.available()
    assert not ok and "no_such_module" in why
    b = Binding("l1", "no_such_module.l1_loss", fn=lambda *a, **k: None, expression="l1_loss(x, y)",
                framework="nosuch")
    (r,) = rows([b], {"nosuch": fw})
    assert r["available"] is False and "no_such_module" in r["reason"]
    assert "no" in table([r]).splitlines()[1].split()  # the table's available column


def test_an_unregistered_framework_is_unavailable_too():
    b = Binding("l1", "ghost.l1", fn=lambda *a, **k: None, expression="ghost.l1(x, y)", framework="ghost")
    (r,) = rows([b], {})
    assert r["available"] is False and "ghost" in r["reason"]


def test_listing_works_with_no_framework_installed():
    """Every framework import blocked: the command still lists every binding, all unavailable."""
    code = ("import sys\n"
            f"for m in {FRAMEWORK_MODULES!r}: sys.modules[m] = None  # import m now raises ImportError\n"
            "from adapters.__main__ import main\n"
            "main(['--json'])\n")
    records = json.loads(_python(code))
    assert len(records) == len(adapters.BINDINGS)
    available = [r["id"] for r in records if r["available"] or not r["reason"]]
    assert not available, f"listed as available (or without a reason) with no framework: {available}"


def test_table_and_framework_filter():
    out = _python(None, "-m", "adapters", "--framework", "torch")
    header, *lines = out.split("\n\n")[0].splitlines()  # the table, before the sections below it
    assert "\nconventions (" in out and "log_min=-100.0: BCELoss clamps each log at -100" in out
    assert header.split()[:6] == ["loss", "framework", "id", "kind", "conventions", "available"]
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("unavailable (")]  # not installed: said once
    stacks = {ln.split()[1] for ln in rows}
    assert stacks == {"torch"}, f"--framework torch lists other stacks' bindings: {sorted(stacks)}"
    assert len(rows) == len(adapters.bindings("torch"))


def test_dtype_dependent_conventions_are_rendered_per_dtype():
    clip = Convention({"clip_eps": lambda dtype: 1e-7 if dtype == "float32" else 1e-12}, "clips", "somewhere")
    clamp = Convention({"log_min": -100.0}, "clamps", "elsewhere")
    b = Binding("binary_cross_entropy", "no_such_module.bce", fn=lambda *a, **k: None, expression="bce(p, y)",
                conventions=(clip, clamp), framework="nosuch")
    (r,) = rows([b], {"nosuch": _Missing()})
    first, second = r["conventions"]
    assert second == {"params": {"log_min": -100.0}, "why": "clamps", "citation": "elsewhere"}
    assert "float32: 1e-07" in first["params"]["clip_eps"] and "float64: 1e-12" in first["params"]["clip_eps"]
    assert b.convention_params("float32") == {"clip_eps": 1e-7, "log_min": -100.0}
    json.dumps(r)  # every field JSON-able


# ---------------------------------------------------------------- the table of stacks


def test_every_stack_names_its_modules_and_primitives():
    for s in adapters.STACKS.values():
        # the primitives may be another stack's module (Keras on torch runs on adapters/torch.py's)
        assert s.framework in adapters.MODULES and set(s.modules) <= set(adapters.MODULES), s.name
        assert isinstance(adapters.framework(s.name), Framework), s.name
        assert s.release.format("1.0") != s.release and set(s.pinned_only) <= set(s.requirements), s.name
        assert all(b.framework == s.name for b in adapters.bindings(s.name)), s.name


def test_bindings_are_the_stacks_modules_with_the_stack_name():
    for s in adapters.STACKS.values():
        expected = [b.id for m in s.modules for b in adapters.MODULES[m].BINDINGS]
        assert [b.id for b in adapters.bindings(stack=s.name)] == expected
        assert not any(b.framework for m in s.modules for b in adapters.MODULES[m].BINDINGS)  # set by bindings()
    assert adapters.BINDINGS == adapters.bindings()
    assert {b.loss for b in adapters.bindings(loss="ctc")} == {"ctc"}


def test_another_release_drops_what_does_not_import_beside_it():
    torch = adapters.STACKS["torch"]
    assert torch.install() == ["torch==2.14.1", "torchvision==0.29.1"]
    assert torch.install("2.13.0") == ["torch==2.13.0"]
    assert adapters.STACKS["tensorflow"].install("2.20.0") == ["tensorflow-cpu==2.20.0"]


def test_load_framework_applies_the_stack_env(monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    fw, bindings = worker.load_framework("tensorflow")
    assert os.environ["KERAS_BACKEND"] == "tensorflow"
    assert fw is adapters.framework("tensorflow") and bindings == adapters.bindings("tensorflow")


def test_load_framework_takes_a_module_path():
    fw, bindings = worker.load_framework("tests.fault_adapters")
    assert fw.module == "numpy" and {b.api for b in bindings} >= {"fault.smooth_l1"}


def test_load_framework_names_the_choices_for_an_unknown_stack():
    with pytest.raises(ValueError, match="--framework") as e:
        worker.load_framework("nosuch")
    assert all(name in str(e.value) for name in adapters.STACKS)


def test_records_carry_no_machine_path():
    assert worker.relative(np.__file__) == os.path.join("numpy", "__init__.py")
    assert worker.relative(worker.__file__) == os.path.join("conformance", "worker.py")
    assert worker.relative("/nowhere/on/this/machine.py") == "machine.py"
    raising = Binding("l1", "fault.raises", fn=lambda x, y, reduction: np.linalg.inv(np.zeros((2, 3))),
                      expression="raises")  # raised inside numpy's Python code, in site-packages
    fw, _ = worker.load_framework("tests.fault_adapters")
    out = worker._call(fw, {"fault.raises": raising}, ("fault.raises", "value", [np.zeros(2), np.zeros(2)],
                                                       "float64", "mean", {}, None))
    where = out.error.rsplit("(", 1)[1]
    assert out.kind == "raised" and where.startswith(os.path.join("numpy", "linalg")), out.error
