"""Read results files (and compact baselines), and merge several into one with provenance.

The format and its checks are ``reports.schema``: a file that is not JSON, not an object, of another schema or
with a malformed record raises ``ResultsError`` naming the file, which the command line turns into one line on
stderr and exit status 2.

Merging keeps, on every record, where it came from: ``source`` (the file),
``machine`` and ``device`` (the record's own, else the file's environment).  Two files that claim one cell
(``schema.cell_key``) with different suite versions (``environment.suite``) cannot be merged: the error names
both files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .schema import ResultsError, cell_key, read


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


@dataclass
class Results:
    """Several results files merged.  ``sources`` holds one entry per file."""

    records: list = field(default_factory=list)
    bindings: dict = field(default_factory=dict)  # (stack, binding id) -> binding: one Keras id on two backends
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
    claimed = {}  # cell key -> (suite version, file) of the first file with a suite version that holds it
    for path in expand(paths):
        data = read(path)
        env = data["environment"]
        machine, device, suite = env.get("machine"), env.get("device"), env.get("suite")
        for r in data["records"]:
            r["source"] = path
            r.setdefault("machine", machine)
            r.setdefault("device", device)
            if suite:
                first = claimed.setdefault(cell_key(r), (suite, path))
                if first[0] != suite:
                    raise ResultsError(f"{first[1]} (suite {first[0]}) and {path} (suite {suite}) both hold the "
                                       f"cell {' '.join(map(str, cell_key(r)))}: results of two suite versions "
                                       "cannot be merged; re-run the older")
        res.records.extend(data["records"])
        for b in data.get("bindings", []):
            if isinstance(b, dict) and "id" in b:
                res.bindings.setdefault((b.get("framework"), b["id"]), b)
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
