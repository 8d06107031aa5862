"""The adapters package without any framework: the registry's shape, `python -m adapters`, and
what happens when a framework is not installed (its bindings are unavailable, with a reason)."""

import json
import os
import subprocess
import sys

import pytest

import adapters
from adapters import Binding, Framework
from adapters.__main__ import rows, table
from reference import LOSSES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIRED = {"loss", "framework", "api", "id", "kind", "expression", "reductions", "dtypes", "params",
            "conventions", "available", "reason"}
FRAMEWORK_MODULES = ("torch", "torchvision", "tensorflow", "keras", "sklearn")


def _python(code, *args, timeout=180):
    out = subprocess.run([sys.executable, *args, *(["-c", code] if code else [])], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.fixture(scope="module")
def listing():
    return json.loads(_python(None, "-m", "adapters", "--json"))


def test_json_lists_the_bindings_of_all_three_frameworks(listing):
    assert set(adapters.FRAMEWORKS) == {"torch", "tensorflow", "sklearn"}
    counts = {fw: sum(r["framework"] == fw for r in listing) for fw in adapters.FRAMEWORKS}
    assert all(counts.values()), f"bindings per framework: {counts}"
    assert len(listing) == len(adapters.BINDINGS)


def test_json_records_have_the_required_keys(listing):
    for r in listing:
        assert REQUIRED <= set(r), f"{r.get('id')}: missing {sorted(REQUIRED - set(r))}"
        assert isinstance(r["available"], bool) and isinstance(r["reason"], str)
        assert r["available"] or r["reason"], f"{r['id']}: unavailable without a reason"
        assert r["kind"] in ("direct", "composed")
        assert all(isinstance(v, (str, int, float, bool, list, type(None))) for v in r["conventions"].values())


def test_ids_are_unique(listing):
    ids = [r["id"] for r in listing]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_binding_names_a_reference_loss_and_its_parameters():
    problems = []
    for b in adapters.BINDINGS:
        loss = LOSSES.get(b.loss)
        if loss is None:
            problems.append(f"{b.id}: no reference loss {b.loss!r}")
            continue
        unknown = (set(b.params) | set(b.conventions)) - set(loss.params)
        if unknown:
            problems.append(f"{b.id}: {sorted(unknown)} are not parameters of {b.loss}")
        if set(b.params) & set(b.conventions):
            problems.append(f"{b.id}: {sorted(set(b.params) & set(b.conventions))} both a parameter and a convention")
        if not set(b.reductions) <= set(loss.reductions):
            problems.append(f"{b.id}: reductions {b.reductions} not all in {loss.reductions}")
        if not set(b.dtypes) <= {"float32", "float64"} or not b.expression or b.framework not in adapters.FRAMEWORKS:
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
    b = Binding("l1", "nosuch", "no_such_module.l1_loss", fn=lambda *a, **k: None, expression="l1_loss(x, y)")
    (r,) = rows([b], {"nosuch": fw})
    assert r["available"] is False and "no_such_module" in r["reason"]
    assert "no" in table([r]).splitlines()[1].split()  # the table's available column


def test_an_unregistered_framework_is_unavailable_too():
    b = Binding("l1", "ghost", "ghost.l1", fn=lambda *a, **k: None, expression="ghost.l1(x, y)")
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
    header, *lines = out.splitlines()
    assert header.split()[:6] == ["loss", "framework", "id", "kind", "conventions", "available"]
    listed = [ln for ln in lines if ln.strip() and ln.split()[1:2] == ["torch"]]
    assert len(listed) == sum(b.framework == "torch" for b in adapters.BINDINGS)
    assert not [ln for ln in lines if ln.split()[1:2] in (["tensorflow"], ["sklearn"])]


def test_dtype_dependent_conventions_are_rendered_per_dtype():
    b = Binding("binary_cross_entropy", "nosuch", "no_such_module.bce", fn=lambda *a, **k: None, expression="bce(p, y)",
                conventions={"clip_eps": lambda dtype: 1e-7 if dtype == "float32" else 1e-12, "log_min": -100.0})
    (r,) = rows([b], {"nosuch": _Missing()})
    assert r["conventions"]["log_min"] == -100.0
    assert "float32: 1e-07" in r["conventions"]["clip_eps"] and "float64: 1e-12" in r["conventions"]["clip_eps"]
    json.dumps(r)  # every field JSON-able
