"""Compact, portable baselines: per stack, only what the regression diff needs.

    python -m reports baseline RESULTS... --out DIR      # DIR/<framework>.json, one file per stack
    python -m reports history RESULTS --release V --out FILE   # one stack at one release: a history file

A baseline file (``schema.BASELINE_SCHEMA``) holds, once, the stack's versions (public releases: a local build tag
such as ``+cu130`` is dropped), the tolerance per check (what the records carry: conformance/tolerance.py
THRESHOLD) and the suite version the cells were made with (``schema.suite_version``); then one line per cell with
``schema.BASELINE_FIELDS``, errors rounded to 2 significant digits, cells sorted.  No timings, machine names, dates,
commit, repro text or paths: two runs of the same versions on different machines or venvs give the same bytes.
``load`` reads it back as records (``schema.expand_baseline``).
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict

from .load import load
from .schema import BASELINE_FIELDS, BASELINE_SCHEMA, FAILING, ResultsError, cell_key, write_text_atomically

# A cell of a history file whose API or parameter does not exist at that release: the framework raised because the
# module lacks the name or the call does not take the keyword (the worker's message names the exception).  It is
# left out of the history file, its API listed under "absent": the changelog shows the cell added where it appears.
ABSENT = re.compile(r"AttributeError: module '[^']+' has no attribute|unexpected keyword argument|cannot import name")


def round2(x):
    """An error to 2 significant digits (None stays None)."""
    return None if x is None else float(f"{x:.2g}")


def _one(values, what):
    """The single value of a {key: {values}} table, per key; two values for one key are an error."""
    out = {}
    for k, vs in sorted(values.items()):
        if len(vs) > 1:
            raise ResultsError(f"{what} {k!r}: the results disagree ({', '.join(sorted(map(str, vs)))})")
        out[k] = vs.pop()
    return out


def baseline_text(framework, records, environments, release=None, absent=None):
    """The baseline file of one stack: its records and the environments of the files they came from (and, for a
    history file, the stack's release and the APIs absent at it: {api: why})."""
    versions, tolerance, suites = defaultdict(set), defaultdict(set), defaultdict(set)
    for env in environments:
        if env.get("suite"):
            suites["suite"].add(env["suite"])
        for name, v in (env.get("frameworks") or {}).items():
            versions[name].add(str(v).split("+", 1)[0])
    cells = {}
    for r in records:
        cells[cell_key(r)] = r  # a cell seen twice: the later file wins, as in the diff
        if r.get("tolerance") is not None:
            tolerance[r["check"]].add(r["tolerance"])
    rows = []
    for r in cells.values():
        row = [r.get(k) for k in BASELINE_FIELDS]
        rows.append([round2(v) if k.endswith("_err") else v for k, v in zip(BASELINE_FIELDS, row, strict=True)])
    rows.sort(key=lambda row: [str(v) for v in row])
    head = {"schema": BASELINE_SCHEMA, "framework": framework, "versions": _one(versions, "version of"),
            "tolerance": _one(tolerance, "tolerance of check"), **_one(suites, "version of the"),
            **({"release": release} if release else {}), **({"absent": absent} if absent else {}),
            "fields": list(BASELINE_FIELDS)}
    lines = [json.dumps(head, allow_nan=False)[:-1] + ', "records": [']
    lines += [json.dumps(row, allow_nan=False) + "," for row in rows]
    if rows:
        lines[-1] = lines[-1][:-1]
    return "\n".join(lines) + "\n]}\n"


def write_baselines(paths, out):
    """One baseline file per stack and device found in the results files `paths` (``torch.json`` on the CPU,
    ``torch-cuda.json`` on a GPU); returns the files written."""
    res = load(paths)
    env_of = {s["file"]: s["environment"] for s in res.sources}
    by_stack = defaultdict(list)
    for r in res.records:
        by_stack[(r["framework"], r.get("device") or "cpu")].append(r)
    written = []
    for (framework, device), records in sorted(by_stack.items()):
        envs = [env_of[f] for f in sorted({r["source"] for r in records})]
        path = os.path.join(out, f"{framework}.json" if device == "cpu" else f"{framework}-{device}.json")
        write_text_atomically(path, baseline_text(framework, records, envs))
        written.append(path)
    return written


def write_history(path, out, release):
    """One results file of one stack at one release -> its compact history file `out` (the baseline format, with
    the release; the cells of APIs and parameters absent at it left out, see ABSENT)."""
    res = load([path])
    frameworks = {r["framework"] for r in res.records}
    if len(frameworks) != 1:
        raise ResultsError(f"{path}: a history file holds one stack's cells, not {sorted(map(str, frameworks))}")
    present, absent = [], {}
    for r in res.records:
        if r["status"] in FAILING and ABSENT.search(r.get("message") or ""):
            absent.setdefault(r["api"], " ".join(str(r["message"]).split())[:200])
        else:
            present.append(r)
    write_text_atomically(out, baseline_text(frameworks.pop(), present, [res.sources[0]["environment"]], release,
                                             dict(sorted(absent.items()))))
    return out
