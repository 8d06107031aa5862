"""The table of stacks (adapters/stacks.py) is the only place a stack is named.

The nox sessions, the pyproject extras, the tests' set of stacks and the plugin's help derive from it: a
stack named anywhere in the shared machinery is a second place that a new stack would have to touch."""

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

import adapters
from adapters.stacks import STACKS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The machinery every stack shares.  Per-stack files (an adapter module, its tests, its divergences module) and
# data fixtures name their stack by design; so do import guards that name a package (tests/conftest.py).
SHARED = ["noxfile.py", "adapters/__init__.py", "adapters/__main__.py", "adapters/_core.py", "adapters/_mappings.py",
          *[f"conformance/{f}" for f in os.listdir(os.path.join(ROOT, "conformance")) if f.endswith(".py")],
          *[f"reports/{f}" for f in os.listdir(os.path.join(ROOT, "reports")) if f.endswith(".py")],
]


def _string_constants(path):
    with open(os.path.join(ROOT, path)) as fh:
        tree = ast.parse(fh.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_shared_file_names_a_stack():
    names = set(STACKS)
    hits = [f"{path}:{line}: {value!r}" for path in SHARED if os.path.exists(os.path.join(ROOT, path))
            for line, value in _string_constants(path) if value in names]
    assert not hits, "a stack named outside adapters/stacks.py:\n" + "\n".join(hits)


def test_pyproject_has_one_extra_per_stack_with_its_pins():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        extras = tomllib.load(fh)["project"]["optional-dependencies"]
    for stack in STACKS.values():
        assert extras.get(stack.name) == list(stack.requirements), f"extra {stack.name!r} != its pins"
    assert set(extras) - set(STACKS) == {"report", "test", "dev"}, sorted(extras)


def test_every_binding_belongs_to_a_stack_and_every_stack_has_bindings():
    assert {b.framework for b in adapters.BINDINGS} == set(STACKS)
    for stack in STACKS.values():
        assert adapters.bindings(stack.name), stack.name
        for module in stack.modules:
            assert module in adapters.MODULES, f"{stack.name}: no adapter module {module!r}"


@pytest.mark.skipif(shutil.which("nox") is None and not os.path.exists(os.path.join(sys.prefix, "bin", "nox")),
                    reason="nox is not installed in this venv")
def test_nox_sessions_are_generated_from_the_table():
    nox = shutil.which("nox") or os.path.join(sys.prefix, "bin", "nox")
    # `--list --json` lists only the selected sessions: read the plain listing ("* name -> doc", "- name -> doc")
    out = subprocess.run([nox, "--list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    sessions = {m.group(1) for m in re.finditer(r"^[*-] (\S+)", out.stdout, re.M)}
    for name in STACKS:
        assert name in sessions, f"no nox session for stack {name!r}"
        assert f"regress(name='{name}')" in sessions and f"fuzz(name='{name}')" in sessions
    assert {"tests", "report", "site", "baseline", "lint", "bench"} <= sessions
