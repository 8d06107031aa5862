"""nox sessions: one per framework (own venv, pinned versions), report, tests, regress, lint.

    nox -s report                      # the main job: every framework, then reports/site/index.html
    nox -s tests                       # the project's own tests + the conformance on the pins + baseline diff
    nox -s torch -- --version 2.13.0   # one framework at another release
    nox -s regress                     # two releases of each framework side by side, as a diff page
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
RESULTS = ROOT / "reports" / "results"
BASELINE = ROOT / "reports" / "baseline"
SITE = ROOT / "reports" / "site"

# The pinned releases: the conformance suite's results for these are the committed baseline.
PINS = {
    "torch": ["torch==2.14.1", "torchvision==0.29.1"],
    "tensorflow": ["tensorflow-cpu==2.21.0"],
    "sklearn": ["scikit-learn==1.9.1"],
}
# `--version V` installs these instead (torchvision does not import beside the CPU-only torch 2.13.0).
VERSIONED = {"torch": "torch=={}", "tensorflow": "tensorflow-cpu=={}", "sklearn": "scikit-learn=={}"}
# What `nox -s regress` compares: an older release against the pin.
REGRESS = {"torch": "2.13.0", "tensorflow": "2.20.0", "sklearn": "1.4.2"}
# -p no:logging: pytest's log capture costs ~1 ms a cell, a fifth of the run; the cells log nothing
CONFORMANCE_ARGS = ["-q", "-p", "no:cacheprovider", "-p", "no:logging", "--tb=line", "-rfE"]


def _install_framework(session, framework, version=None):
    session.install("-e", ".[test]")
    if framework == "torch" and version is not None:
        # a reused venv may hold the pinned torchvision, which does not import beside another torch
        session.run("python", "-m", "pip", "uninstall", "-y", "-q", "torchvision", success_codes=[0, 1])
    session.install(*(PINS[framework] if version is None else [VERSIONED[framework].format(version)]))


def _conformance(session, framework, results, extra=(), **kwargs):
    session.run("python", "-m", "pytest", "conformance", "--framework", framework, "--results", str(results),
                *CONFORMANCE_ARGS, *extra, **kwargs)


def _version_arg(session):
    parser = argparse.ArgumentParser(prog=f"nox -s {session.name} --")
    parser.add_argument("--version", help="the framework release to test instead of the pin")
    args, rest = parser.parse_known_args(session.posargs)
    return args.version, rest


def _framework_session(session, framework):
    version, rest = _version_arg(session)
    _install_framework(session, framework, version)
    name = framework if version is None else f"{framework}-{version}"
    _conformance(session, framework, RESULTS / f"{name}.json", rest)


@nox.session(python="3.11")
def torch(session):
    """PyTorch + torchvision conformance -> reports/results/torch.json."""
    _framework_session(session, "torch")


@nox.session(python="3.11")
def tensorflow(session):
    """TensorFlow / Keras conformance -> reports/results/tensorflow.json."""
    _framework_session(session, "tensorflow")


@nox.session(python="3.11")
def sklearn(session):
    """scikit-learn conformance -> reports/results/sklearn.json."""
    _framework_session(session, "sklearn")


def _fresh(path):
    """A results file made at this commit (and a clean tree) can be reused."""
    if not path.exists():
        return False
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip()
        env = json.loads(path.read_text())["environment"]
    except Exception:
        return False
    return bool(head) and env.get("commit") == head and not dirty


@nox.session(python=False)
def report(session):
    """The main job: every framework session (unless its results are fresh), then the site."""
    for framework in PINS:
        if _fresh(RESULTS / f"{framework}.json") and "--rerun" not in session.posargs:
            session.log(f"reusing fresh {RESULTS / f'{framework}.json'}")
        else:
            session.notify(framework, posargs=[])  # not report's own --rerun
    session.notify("site", posargs=[])


@nox.session(python="3.11")
def site(session):
    """Build reports/site/index.html from reports/results/*.json (diffed against the baseline)."""
    session.install("-e", ".[report]")
    results = sorted(str(p) for p in RESULTS.glob("*.json") if p.stem in PINS)
    if not results:
        session.error("no results in reports/results: run `nox -s report` (or a framework session) first")
    baseline = sorted(str(p) for p in BASELINE.glob("*.json"))
    session.run("python", "-m", "reports", "build", *results, "--out", str(SITE),
                *(["--baseline", *baseline] if baseline else []))
    session.log(f"open {SITE / 'index.html'}")


@nox.session(python="3.11")
def tests(session):
    """The project's own tests, the conformance of all three frameworks on the pins, the diff against the baseline."""
    session.install("-e", ".[all]")
    session.run("python", "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", *session.posargs)
    results = [str(RESULTS / f"{f}.json") for f in PINS]
    for framework, path in zip(PINS, results):
        # every framework runs even when one has failing cells; `conformance check` gives the verdict
        _conformance(session, framework, path, success_codes=[0, 1])
    if not list(BASELINE.glob("*.json")):
        session.error(f"no baseline in {BASELINE}: commit the pinned results there (see README)")
    session.run("python", "-m", "conformance", "check", *results)  # no failing cell, no stale divergence
    session.run("python", "-m", "reports", "diff", str(BASELINE), *results)  # no regression against the baseline


@nox.session(python="3.11")
def baseline(session):
    """Re-run the pinned conformance and make it the committed baseline (review `git diff --stat` first)."""
    session.install("-e", ".[all]")
    for framework in PINS:
        _conformance(session, framework, RESULTS / f"{framework}.json")
    session.run("python", "-m", "conformance", "check", *[str(RESULTS / f"{f}.json") for f in PINS])
    BASELINE.mkdir(parents=True, exist_ok=True)
    for framework in PINS:
        shutil.copyfile(RESULTS / f"{framework}.json", BASELINE / f"{framework}.json")
        session.log(f"baseline: {BASELINE / f'{framework}.json'}")


@nox.session(python="3.11")
@nox.parametrize("framework", list(REGRESS))
def regress(session, framework):
    """One framework at two releases side by side: results for both, the diff, a diff page with repros."""
    old, new = REGRESS[framework], None
    out = ROOT / "reports" / "regress"
    for version in (old, new):
        _install_framework(session, framework, version)
        name = f"{framework}-{version or 'pinned'}"
        # A cell that fails is a finding here, not a session failure: the diff below is the verdict.
        _conformance(session, framework, out / f"{name}.json", success_codes=[0, 1])
    old_file, new_file = out / f"{framework}-{old}.json", out / f"{framework}-pinned.json"
    session.run("python", "-m", "reports", "diff", str(old_file), str(new_file), success_codes=[0, 1])
    session.install("-e", ".[report]")
    session.run("python", "-m", "reports", "build", str(new_file), "--baseline", str(old_file),
                "--out", str(out / f"site-{framework}"))


@nox.session(python="3.11")
@nox.parametrize("framework", list(PINS))
def fuzz(session, framework):
    """Property-based fuzzing of one framework's bindings; finds are printed as cases to paste (exit 1 if any)."""
    _install_framework(session, framework)
    session.run("python", "-m", "conformance.fuzz", "--framework", framework, *session.posargs)


@nox.session(python="3.11")
def lint(session):
    session.install("ruff")
    session.run("ruff", "check", ".")


if os.environ.get("CI"):
    nox.options.error_on_missing_interpreters = True
