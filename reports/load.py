"""Read results files, check them, and merge several into one with provenance.

A results file is the JSON object described in the results schema
(``"schema": "loss-conformance/results/1"``).  Anything else -- not JSON, not an
object, another schema, a missing key -- raises ``ResultsError`` naming the file,
which the command line turns into one line on stderr and exit status 2.

Merging keeps, on every record, where it came from: ``source`` (the file),
``machine`` and ``device`` (the record's own, else the file's environment).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

SCHEMA = "loss-conformance/results/1"
TOP_KEYS = ("schema", "environment", "records")
RECORD_KEYS = ("loss", "framework", "api", "check", "dtype", "reduction", "case", "status")
NUMBER_KEYS = ("max_abs_err", "max_rel_err", "max_ulp_err", "pure_ulp_err", "tolerance", "seconds")
STATUSES = ("pass", "fail", "xfail", "xpass", "error", "skip", "crash", "timeout")
# The identity of a cell.  ``device`` is part of it (the same framework on CPU and on a GPU: two cells), and
# ``loss`` (one api may be bound to two losses).
KEY_FIELDS = ("loss", "framework", "api", "check", "dtype", "reduction", "case", "device")


class ResultsError(Exception):
    """A results file that cannot be used; the message names the file."""


def cell_key(record):
    return tuple(record.get(k) for k in KEY_FIELDS)


def expand(paths):
    """Files as given; a directory stands for the *.json files inside it (sorted)."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".json"))
            if not found:
                raise ResultsError(f"{p}: directory holds no *.json results files")
            out.extend(found)
        else:
            out.append(p)
    return out


def read(path):
    """One results file, checked: returns the parsed object."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ResultsError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise ResultsError(f"{path}: not JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: expected a JSON object, got {type(data).__name__}")
    missing = [k for k in TOP_KEYS if k not in data]
    if missing:
        raise ResultsError(f"{path}: not a results file: missing key(s) {', '.join(missing)}")
    if data["schema"] != SCHEMA:
        raise ResultsError(f"{path}: schema {data['schema']!r} is not {SCHEMA!r}")
    if not isinstance(data["environment"], dict):
        raise ResultsError(f"{path}: 'environment' must be an object")
    if not isinstance(data["environment"].get("frameworks", {}), dict):
        raise ResultsError(f"{path}: 'environment.frameworks' must be an object")
    if not isinstance(data["records"], list):
        raise ResultsError(f"{path}: 'records' must be a list")
    for i, r in enumerate(data["records"]):
        if not isinstance(r, dict):
            raise ResultsError(f"{path}: record {i} is not an object")
        lacking = [k for k in RECORD_KEYS if k not in r]
        if lacking:
            raise ResultsError(f"{path}: record {i} lacks key(s) {', '.join(lacking)}")
        if r["status"] not in STATUSES:
            raise ResultsError(f"{path}: record {i} has unknown status {r['status']!r}")
        for k in NUMBER_KEYS:
            v = r.get(k)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                raise ResultsError(f"{path}: record {i}: {k} must be a number or null, got {v!r:.40}")
    for k in ("bindings", "different_definitions", "divergences", "sweeps"):
        if not isinstance(data.get(k, []), list):
            raise ResultsError(f"{path}: {k!r} must be a list")
    if not isinstance(data.get("coverage", {}), dict):
        raise ResultsError(f"{path}: 'coverage' must be an object")
    return data


@dataclass
class Results:
    """Several results files merged.  ``sources`` holds one entry per file."""

    records: list = field(default_factory=list)
    bindings: dict = field(default_factory=dict)  # binding id -> binding
    different_definitions: list = field(default_factory=list)
    divergences: dict = field(default_factory=dict)  # divergence id -> divergence
    sweeps: list = field(default_factory=list)
    coverage: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)  # optional "reference": {loss: {"doc", "source"}} of a file
    sources: list = field(default_factory=list)  # [{"file", "machine", "device", "environment", "records"}]


def _uniq_by(items, key):
    seen, out = set(), []
    for it in items:
        k = key(it)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


def load(paths):
    """Read and merge results files (or directories of them)."""
    res = Results()
    defs = []
    for path in expand(paths):
        data = read(path)
        env = data["environment"]
        machine, device = env.get("machine"), env.get("device")
        for r in data["records"]:
            r["source"] = path
            r.setdefault("machine", machine)
            r.setdefault("device", device)
        res.records.extend(data["records"])
        for b in data.get("bindings", []):
            if isinstance(b, dict) and "id" in b:
                res.bindings.setdefault(b["id"], b)
        for d in data.get("divergences", []):
            if isinstance(d, dict) and "id" in d:
                res.divergences.setdefault(d["id"], d)
        defs.extend(d for d in data.get("different_definitions", []) if isinstance(d, dict))
        for s in data.get("sweeps", []):
            if isinstance(s, dict):
                s["source"] = path
                res.sweeps.append(s)
        for bid, cov in data.get("coverage", {}).items():
            if isinstance(cov, dict):
                merged = res.coverage.setdefault(bid, {})
                for p, values in cov.items():
                    have = merged.setdefault(p, [])
                    have.extend(v for v in values if v not in have)
        ref = data.get("reference", {})
        if isinstance(ref, dict):
            for name, info in ref.items():
                if isinstance(info, dict):
                    res.reference.setdefault(name, info)
        res.sources.append({"file": path, "machine": machine, "device": device, "environment": env,
                            "records": len(data["records"])})
    res.different_definitions = _uniq_by(defs, lambda d: (d.get("loss"), d.get("framework"), d.get("api")))
    return res
