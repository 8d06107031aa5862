"""The CI workflow's (.github/workflows/conformance.yml) two steps of its own: the matrix, from the nox sessions,
and the final job: the matrix jobs' results merged, checked, diffed, and the site built from them.

    nox -t history -l --json | python -m reports matrix      # the jobs: one per nox session of those tags
    python -m reports ci ARTIFACTS --baseline reports/baseline --history reports/history --out reports/site

ARTIFACTS is what actions/download-artifact lays out: one folder per artifact, each holding one results file
``<stack>-<release>[-<device>].json`` (files directly in ARTIFACTS are taken too).  The steps, each the project's
own command:

The matrix is read from ``nox --list --json`` (which lists the selected sessions: select with tags), so the jobs
and the sessions cannot drift: a job per session, its results file named after the session's parameters
(``history``: ``<name>-<release>``, ``newest``: ``<name>-newest``), uploaded as the artifact ``results-<that>``.

The final job's steps:

1. merge: ``load`` of every file (two files that claim one cell with different suite versions: an error naming
   both);
2. ``python -m reports diff``, per file, against the committed history file of the same name (that stack at that
   release), else against the committed baseline of its stack and device (``<stack>[-<device>].json``: the
   scheduled run's newest releases against the pins); a file with neither is said so (nothing to regress from);
3. ``python -m conformance check`` over the pins' files (their stack versions are the baseline's) and the files
   with no committed history: no failing cell, no stale divergence.  An older release fails cells the registry
   explains only for the pins; its committed history records them, and the diff holds it to them;
4. the site: the pins' results (the files whose stack versions are the baseline's), diffed against the baseline,
   with the changelog of the committed history and the artifacts' repros.

Exit status: 0 fine; 1 a failing cell, a stale entry or a regression; 2 an unusable file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .load import load
from .schema import ResultsError


def matrix(listing):
    """The jobs of the nox sessions in `listing` (``nox --list --json``): [{"session", "stem", "artifact",
    "file"}], the results file where the session writes it, relative to the repository."""
    jobs = []
    for s in json.loads(listing):
        spec = s.get("call_spec") or {}
        stem = "-".join(str(spec[k]) for k in ("name", "release") if k in spec)
        if s["name"] == "newest":
            stem += "-newest"
        jobs.append({"session": s["session"], "stem": stem, "artifact": f"results-{stem}",
                     "file": f"reports/results/history/{stem}.json"})
    return jobs


def artifact_files(folder):
    """The results files of a download-artifact folder: ARTIFACTS/*/*.json and ARTIFACTS/*.json, sorted."""
    out = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if os.path.isdir(path):
            out += [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".json")]
        elif entry.endswith(".json"):
            out.append(path)
    if not out:
        raise ResultsError(f"{folder}: no results files (expected <artifact>/<name>.json)")
    return out


def _versions(env):
    """The stack's public releases (numpy, in every file, is the machine's, not the stack's)."""
    return {k: str(v).split("+", 1)[0] for k, v in (env.get("frameworks") or {}).items() if k != "numpy"}


def _run(*command):
    print("$ python " + " ".join(map(str, command[1:])), flush=True)
    return subprocess.run([str(c) for c in command]).returncode


def run(artifacts, baseline, history, out):
    files = artifact_files(artifacts)
    merged = load(files)  # step 1: raises on two suite versions for one cell
    print(f"merged {len(merged.records)} cells from {len(files)} file(s)")
    status, checked, pins = 0, [], []
    for source in merged.sources:
        name, env = os.path.basename(source["file"]), source["environment"]
        device = env.get("device") or "cpu"
        base = os.path.join(baseline, f"{env.get('framework')}{'' if device == 'cpu' else '-' + device}.json")
        pinned = os.path.exists(base) and _versions(load([base]).sources[0]["environment"]) == _versions(env)
        recorded = os.path.join(history, name)
        if pinned:
            pins.append(source["file"])
        if pinned or not os.path.exists(recorded):  # an older release's failing cells are its own, recorded
            checked.append(source["file"])
        against = recorded if os.path.exists(recorded) else base
        if not os.path.exists(against):
            print(f"{source['file']}: nothing committed to diff it against (neither {recorded} nor {base})")
        elif _run(sys.executable, "-m", "reports", "diff", against, source["file"]):
            status = 1
    if checked and _run(sys.executable, "-m", "conformance", "check", *checked):
        status = 1
    if pins:
        from .build import build

        build(pins, out, sorted(os.path.join(baseline, f) for f in os.listdir(baseline) if f.endswith(".json")),
              quiet=True, history=[history] if os.path.isdir(history) else None, history_repros=files)
        print(f"site: {out} ({len(pins)} pinned results file(s))")
    else:
        print("no results file of the pins: no site built")
    return status
