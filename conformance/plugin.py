"""The pytest plugin: --framework, --results; one record per cell; the results file.

    pytest conformance --framework torch --results reports/results/torch.json

Cells are generated for the framework's bindings (suite.cells_for).  Each cell
attaches its record to its report (user_properties), so under pytest-xdist the
controller gathers them all; the file is written at the end of the session,
atomically, whether cells passed, failed or the run was interrupted, sorted so
that a serial and a parallel run give the same file (timings aside).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import socket
import subprocess
import sys

import pytest

from reports.schema import SCHEMA, suite_version, write_json_atomically

RECORD_KEY = "conformance_record"
SWEEP_KEY = "conformance_sweep"
VERSION_KEY = "conformance_version"


def pytest_addoption(parser):
    from adapters.stacks import STACKS

    g = parser.getgroup("loss-conformance")
    g.addoption("--framework", default=None, help=f"a stack ({' | '.join(STACKS)}), or a module path with FRAMEWORK "
                "and BINDINGS (e.g. tests.fault_adapters)")
    g.addoption("--results", default=None, help="write the results file here (JSON)")
    g.addoption("--device", default="cpu", help="place every tensor on this device (cpu | cuda); where the stack "
                "has no such device here, its cells are skipped with that reason")
    g.addoption("--cell-timeout", type=float, default=120.0, help="seconds one framework call may take")
    g.addoption("--no-isolate", action="store_true", help="call the framework in-process (no crash protection)")


class Recorder:
    def __init__(self, config):
        self.config = config
        self.records = []
        self.sweeps = []
        self.version = {}

    # -- gathering (also runs on the xdist controller)
    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if report.when != "call" and not (report.when == "setup" and report.skipped):
            return
        for key, value in report.user_properties:
            if key == RECORD_KEY:
                self.records.append(value)
            elif key == SWEEP_KEY:
                self.sweeps.append(value)
            elif key == VERSION_KEY:
                self.version = value

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        framework = self.config.getoption("framework")
        path = self.config.getoption("results")
        stale = self.stale_divergences(framework)
        if stale:
            tr = self.config.pluginmanager.get_plugin("terminalreporter")
            msg = "registered divergences that cover no cell of this run (stale: remove or fix them): "
            msg += ", ".join(stale)
            if tr:
                tr.write_sep("!", "stale divergence entries", red=True)
                tr.write_line(msg)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if path and framework and _is_controller(self.config):
            write_results(path, framework, self.records, self.sweeps, self.version, stale,
                          self.config.getoption("device"))

    def stale_divergences(self, framework):
        """Entries for this framework that matched no diverging cell: only judged on a full, unfiltered run
        (every cell recorded: also under xdist, whose controller collects nothing itself)."""
        if not framework or not _is_controller(self.config) or not self.is_full_matrix(framework):
            return []
        from .divergences import DIVERGENCES

        used = {r["divergence"] for r in self.records if r.get("divergence")}
        return [d.id for d in DIVERGENCES if d.framework == framework and d.id not in used]

    def is_full_matrix(self, framework):
        config = self.config
        if config.getoption("keyword") or config.getoption("markexpr") or any("::" in a for a in config.args):
            return False
        from .suite import cells_for
        from .worker import load_framework

        fw, bindings = load_framework(framework)
        if not fw.available()[0]:
            return False
        return len(self.records) == len(cells_for(bindings))


def _is_controller(config):
    return not hasattr(config, "workerinput")


CELL_FUNCTIONS = ("value", "grad", "error", "sweep")


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    """Collect the cell functions under their own names: value[...], grad[...], error[...], sweep[...]."""
    if name in CELL_FUNCTIONS and callable(obj) and getattr(obj, "__module__", "") == "conformance.test_conformance":
        return list(collector._genfunctions(name, obj))
    return None


def pytest_configure(config):
    config.pluginmanager.register(Recorder(config), "loss-conformance-recorder")


def pytest_collection_modifyitems(session, config, items):
    cells = [i for i in items if i.name.startswith(("value[", "grad[", "error["))]
    tr = config.pluginmanager.get_plugin("terminalreporter")
    if cells and tr and _is_controller(config):
        tr.write_line(f"loss-conformance: {len(cells)} cells for {config.getoption('framework')}")


# ---------------------------------------------------------------- the results file


def environment(framework, version, device="cpu"):
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(__file__), timeout=10).stdout.strip() or None
    except Exception:
        commit = None
    import numpy

    frameworks = {"numpy": numpy.__version__}
    if isinstance(version, dict):
        frameworks.update(version)
    return {"python": platform.python_version(), "platform": platform.platform(), "machine": socket.gethostname(),
            "device": device, "commit": commit, "suite": suite_version(),
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "framework": framework, "frameworks": frameworks, "argv": [portable(a) for a in sys.argv[1:]]}


def portable(arg):
    """A command-line argument without this machine's paths: an absolute path (or --opt=/path) becomes relative to
    the working directory when it lies below it, else its file name."""
    opt, eq, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
    if not os.path.isabs(value):
        return arg
    rel = os.path.relpath(value)
    return opt + eq + (os.path.basename(value) if rel.startswith("..") else rel)


def sort_key(r):
    return (r["loss"], r["api"], r["check"], r["dtype"], r["reduction"], r["case"])


def write_results(path, framework, records, sweeps, version, stale=(), device="cpu"):
    from . import tables

    env = environment(framework, version, device)
    records = sorted(records, key=sort_key)
    for r in records:
        r.setdefault("machine", env["machine"])
        r.setdefault("device", env["device"])
    sweeps = sorted(sweeps, key=lambda s: (s["loss"], s["api"], json.dumps(s["params"], sort_keys=True)))
    doc = {"schema": SCHEMA, "environment": env, "records": records, "sweeps": sweeps, "stale_divergences": list(stale),
           **tables.for_framework(framework, records)}
    write_json_atomically(path, doc)

