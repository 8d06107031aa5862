"""Trim real results files into tests/data/results-sample.json, the fixture of tests/synthetic.py.

    python tests/make_sample.py reports/results/torch.json reports/results/tensorflow.json reports/results/sklearn.json

Keeps, per stack, one record in PER of every (loss, report category, check, input class, has a subgradient), at
least one, and every record of WHOLE -- a few hundred records across statuses, losses and stacks, with their
repros (cut at REPRO characters) -- and what they refer to: bindings (plus the unavailable ones), divergences,
look-alike APIs, reference docstrings and sources, coverage, and a few sweeps thinned to a fifth of their points.
Machine paths (a venv's site-packages, the checkout's root) and the host name are scrubbed.  Regenerate it whenever
the results schema or the suite's tables change: the fixture is then real data again, never a copy kept by hand.
"""

from __future__ import annotations

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from reports.schema import SCHEMA, category, input_class, read, write_json_atomically  # noqa: E402

OUT = os.path.join(ROOT, "tests", "data", "results-sample.json")
SWEEPS_PER_STACK = 3
PER = 60  # a group keeps one record in PER (at least one): the sample's statuses are about as frequent as a run's
WHOLE = ("smooth_l1", {"beta": 0.5})  # every cell of these (the call finder's browser test asks about them)
THIN = 5
REPRO = 600  # characters of a repro kept (its arrays are long)
# machine paths: a venv's up to site-packages/, the checkout's up to its own packages
_PATHS = (re.compile(r"/[^\s'\"()]*site-packages/"),
          re.compile(r"/[^\s'\"()]*/(?=(?:adapters|conformance|reference|reports)/[^\s'\"()]*\.py)"))


def scrub(value):
    if isinstance(value, str):
        for p in _PATHS:
            value = p.sub("", value)
        return value
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def thin(sweep):
    n = len(sweep["x"])
    return {k: v[::THIN] if isinstance(v, list) and len(v) == n else v for k, v in sweep.items()}


def trim(doc):
    """The sample of one stack's results."""
    groups = {}
    for r in sorted(doc["records"], key=lambda r: (r["api"], r["dtype"], r["reduction"], r["case"])):
        groups.setdefault((r["loss"], category(r), r["check"], input_class(r), r.get("subgradient") is not None),
                          []).append(r)
    records = [r for g in groups.values() for r in g[::PER]]
    records += [r for r in doc["records"] if r["loss"] == WHOLE[0] and (r.get("params") or {}) == WHOLE[1]
                and r not in records]
    apis = {r["api"] for r in records}
    losses = {r["loss"] for r in records}
    used = {r.get("divergence") for r in records}
    sweeps = [s for s in doc.get("sweeps", []) if s.get("api") in apis][:SWEEPS_PER_STACK]
    return {
        "records": records,
        "bindings": [b for b in doc.get("bindings", []) if b.get("id") in apis or not b.get("available", True)],
        "different_definitions": doc.get("different_definitions", []),
        "divergences": [d for d in doc.get("divergences", []) if d.get("id") in used],
        "sweeps": [thin(s) for s in sweeps],
        "coverage": {k: v for k, v in doc.get("coverage", {}).items() if k in apis},
        "reference": {k: v for k, v in doc.get("reference", {}).items() if k in losses},
    }


def sample(paths):
    docs = [read(p) for p in paths]
    parts = [trim(d) for d in docs]
    versions = {}
    for d in docs:
        versions.update(d["environment"].get("frameworks", {}))
    env = {**docs[0]["environment"], "machine": "sample-host", "framework": "all", "frameworks": versions,
           "argv": ["tests/make_sample.py", *(os.path.basename(p) for p in paths)]}
    out = {"schema": SCHEMA, "environment": env}
    for key in ("records", "bindings", "different_definitions", "divergences", "sweeps"):
        out[key] = [x for p in parts for x in p[key]]
    for key in ("coverage", "reference"):
        out[key] = {k: v for p in parts for k, v in sorted(p[key].items())}
    for r in out["records"]:
        r["machine"] = "sample-host"
        if r.get("repro") and len(r["repro"]) > REPRO:
            r["repro"] = r["repro"][:REPRO] + "\n# ... (trimmed for the test fixture)\n"
    return scrub(out)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    doc = sample(sys.argv[1:])
    write_json_atomically(OUT, doc)
    print(f"{OUT}: {len(doc['records'])} records, {os.path.getsize(OUT)} bytes")
