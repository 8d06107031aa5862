"""The results format, in one place: schema versions, the record type, status names, report categories, the cell
key, and reading / writing results files (atomically).

Standard library only: conformance writes results with it, reports read them with it.

Two formats are read:

- a *results file* (``SCHEMA``): ``{"schema", "environment", "records": [record...], ...tables}``, written by the
  pytest plugin; a file of the previous schema (``SCHEMA_1``) is upgraded on reading (see ``upgrade``);
- a *compact baseline* (``BASELINE_SCHEMA``, written by ``python -m reports baseline`` and, one stack at one
  release, ``python -m reports history``): one stack's versions, the tolerance per check, the suite version, and
  per cell only what the regression diff needs, one cell per line.

Both read into the same record dicts (``RECORD`` lists the fields and their kinds).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

SCHEMA = "loss-conformance/results/2"
SCHEMA_1 = "loss-conformance/results/1"  # read and upgraded, never written
BASELINE_SCHEMA = "loss-conformance/baseline/1"

# The suite version: what a results file's cells depend on besides the stack's releases -- the sources of the
# reference, the adapters and the conformance suite.  Not the table of stacks (adding a release to a stack's
# history must not invalidate the others; what a run installed is in the file's environment.frameworks), nor
# docs, tests or reports.  Written into every results file's environment as "suite".
SUITE_DIRS = ("reference", "adapters", "conformance")
SUITE_EXCLUDED = ("adapters/stacks.py",)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A cell's status.  "convention": disagrees with the pure definition, agrees with the reference under the
# binding's declared conventions (no registry entry needed).
STATUSES = ("pass", "convention", "fail", "xfail", "xpass", "error", "skip", "crash", "timeout")
GOOD = ("pass", "convention", "xfail")  # moving away from these is a regression
FAILING = ("fail", "error", "xpass", "crash", "timeout")  # any of these fails a run

# The kinds of a registered divergence (conformance/divergences/).  A convention is not among them: it lives on
# its binding (adapters._core.Convention) and its cells have the status "convention".
DIVERGENCE_KINDS = ("bug", "precision", "different-definition", "unchecked-input")
CHECKS = ("value", "grad", "error")

# The identity of a cell.  ``device`` is part of it (the same framework on CPU and on a GPU: two cells), and
# ``loss`` (one api may be bound to two losses).
KEY_FIELDS = ("loss", "framework", "api", "check", "dtype", "reduction", "case", "device")


def stack_of(r):
    """The report's column for a record: its framework, with its device where that is not the CPU
    ("torch (cuda)"), so that one stack's CPU and GPU cells stand side by side."""
    device = r.get("device") or "cpu"
    return r["framework"] if device == "cpu" else f"{r['framework']} ({device})"

# The record type: field -> kind.  Every field but REQUIRED may be null or absent.
TEXT, NUMBER, FLAG, LIST, MAP = "text", "number", "flag", "list", "map"
RECORD = {
    "loss": TEXT, "framework": TEXT, "api": TEXT, "kind": TEXT, "check": TEXT, "dtype": TEXT, "reduction": TEXT,
    "case": TEXT, "device": TEXT, "machine": TEXT, "tags": LIST, "params": MAP, "conventions": MAP, "status": TEXT,
    "max_abs_err": NUMBER, "max_rel_err": NUMBER, "max_ulp_err": NUMBER, "pure_ulp_err": NUMBER, "tolerance": NUMBER,
    "divergence": TEXT, "divergence_kind": TEXT, "verified": FLAG, "subgradient": TEXT, "message": TEXT,
    "framework_behaviour": TEXT, "seconds": NUMBER, "repro": TEXT,
}
REQUIRED = ("loss", "framework", "api", "check", "dtype", "reduction", "case", "status")
_TYPES = {TEXT: (str,), NUMBER: (int, float), FLAG: (bool,), LIST: (list,), MAP: (dict,)}
# the fields whose kind a reader relies on (numbers compared, lists and maps iterated), checked on every record
_CHECKED = {k: _TYPES[kind] for k, kind in RECORD.items() if kind != TEXT or k in REQUIRED}
_REQUIRED = frozenset(REQUIRED)
_EXACT = tuple((k, frozenset(types)) for k, types in _CHECKED.items())  # type(True) is bool: not a NUMBER

# What a compact baseline keeps of a cell (framework: once, in the file's header), in this order.
BASELINE_FIELDS = ("loss", "api", "check", "dtype", "reduction", "case", "device", "status", "divergence",
                   "max_ulp_err", "pure_ulp_err")

# How a cell reads in the report, worst first: (key, label, colour).  ``category`` maps a record to its key.
CATEGORIES = (
    ("fails", f"fails ({', '.join(FAILING)})", "#e06666"),
    ("bug", "divergence: bug", "#f6a04d"),
    ("unchecked-input", "divergence: unchecked input", "#f4b6c2"),
    ("different-definition", "divergence: different definition", "#c9a0dc"),
    ("precision", "divergence: precision", "#f7d26a"),
    ("convention", "agrees under declared convention", "#a8d5a2"),
    ("pass", "agrees", "#5cb85c"),
    ("na", "not available / skipped", "#d9d9d9"),
)


# A text mark per category, so that a cell reads without its colour.
MARKS = {"fails": "\u2717", "bug": "!", "unchecked-input": "?", "different-definition": "\u2260", "precision": "~",
         "convention": "\u2248", "pass": "=", "na": "\u2013"}

# The input classes a cell belongs to, by its case's tags (conformance/cases): valid inputs, edges, bad input.
# An error check is bad input whatever its tags; a case with an edge tag is an edge; the rest are valid inputs.
INPUT_CLASSES = (
    ("valid", "valid inputs", ("interior", "branch")),
    ("edge", "edges", ("saturation", "kink", "extreme", "edge", "nonfinite")),
    ("bad", "bad input", ("bad_input",)),
)
_EDGE_TAGS = frozenset(INPUT_CLASSES[1][2])


def input_class(record):
    """"valid", "edge" or "bad": the input class of one record."""
    tags = record.get("tags") or ()
    if record["check"] == "error" or "bad_input" in tags:
        return "bad"
    return "edge" if any(t in _EDGE_TAGS for t in tags) else "valid"


def category(record):
    """The report category of one record: its status, an xfail by its divergence kind, a skip not available."""
    s = record["status"]
    if s in ("pass", "convention"):
        return s
    if s == "xfail":
        kind = record.get("divergence_kind")
        return kind if kind in DIVERGENCE_KINDS else "bug"
    return "na" if s == "skip" else "fails"


def cell_key(record):
    return tuple(record.get(k) for k in KEY_FIELDS)


class ResultsError(Exception):
    """A results file that cannot be used; the message names the file."""


def suite_version(root=ROOT):
    """The suite version (12 hex digits): a hash of the *.py files under SUITE_DIRS (their paths and bytes)."""
    h = hashlib.sha256()
    for folder in SUITE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(f for f in filenames if f.endswith(".py")):
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                if rel not in SUITE_EXCLUDED:
                    with open(os.path.join(dirpath, name), "rb") as f:
                        h.update(rel.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()[:12]


# ---------------------------------------------------------------- writing


def write_text_atomically(path, text):
    """Write `text` to `path` through a temporary file in the same directory: a reader never sees half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".results-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a results file is for everyone to read
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json_atomically(path, doc):
    write_text_atomically(path, json.dumps(doc, indent=1, allow_nan=False, default=str) + "\n")


# ---------------------------------------------------------------- reading


def read(path):
    """One results file or compact baseline, checked (and a schema-1 file upgraded): the parsed object, whose
    "records" are record dicts either way."""
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
    if data.get("schema") == BASELINE_SCHEMA:
        data = expand_baseline(path, data)
    missing = [k for k in ("schema", "environment", "records") if k not in data]
    if missing:
        raise ResultsError(f"{path}: not a results file: missing key(s) {', '.join(missing)}")
    if data["schema"] == SCHEMA_1:
        upgrade(data)
    if data["schema"] != SCHEMA:
        raise ResultsError(f"{path}: schema {data['schema']!r} is not {SCHEMA!r} (nor {SCHEMA_1!r}, "
                           f"{BASELINE_SCHEMA!r})")
    check(path, data)
    return data


def upgrade(data):
    """Schema 1 -> 2, in place.  Schema 1 registered conventions as divergences of kind "convention"; such an xfail
    becomes what schema 2 calls it: a "convention" cell where the convention was verified by a number, an xfail
    of kind "unchecked-input" on an error check (the framework accepts an input the reference rejects), else an
    xfail of kind "bug".  The divergence id is kept: the file's divergence table still explains it."""
    for r in data["records"] if isinstance(data["records"], list) else ():
        if isinstance(r, dict) and r.get("status") == "xfail" and r.get("divergence_kind") == "convention":
            if r.get("check") == "error":
                r["divergence_kind"] = "unchecked-input"
            elif r.get("verified"):
                r.update(status="convention", divergence_kind=None)
            else:
                r["divergence_kind"] = "bug"
    data["schema"] = SCHEMA


def check(path, data):
    """Raise ResultsError unless `data` is a well-formed results object."""
    if not isinstance(data["environment"], dict):
        raise ResultsError(f"{path}: 'environment' must be an object")
    if not isinstance(data["environment"].get("frameworks", {}), dict):
        raise ResultsError(f"{path}: 'environment.frameworks' must be an object")
    if not isinstance(data["records"], list):
        raise ResultsError(f"{path}: 'records' must be a list")
    for i, r in enumerate(data["records"]):
        problem = record_problem(r)
        if problem:
            raise ResultsError(f"{path}: record {i} {problem}")
    for k in ("bindings", "different_definitions", "divergences", "sweeps"):
        if not isinstance(data.get(k, []), list):
            raise ResultsError(f"{path}: {k!r} must be a list")
    for k in ("coverage", "reference"):
        if not isinstance(data.get(k, {}), dict):
            raise ResultsError(f"{path}: {k!r} must be an object")


def record_problem(r):
    """What is wrong with one record (text), or None."""
    if not isinstance(r, dict):
        return "is not an object"
    if not _REQUIRED.issubset(r):
        return f"lacks key(s) {', '.join(k for k in REQUIRED if k not in r)}"
    if r["status"] not in STATUSES:
        return f"has unknown status {r['status']!r}"
    for k, exact in _EXACT:  # the exact types first: 100k records, and this loop is most of a build's validation
        v = r.get(k)
        if v is not None and type(v) not in exact and (
                not isinstance(v, _CHECKED[k]) or (isinstance(v, bool) and RECORD[k] == NUMBER)):
            return f"field {k} must be {RECORD[k]}{'' if k in REQUIRED else ' or null'}, got {v!r:.40}"
    return None


def expand_baseline(path, data):
    """A compact baseline as a results object: record dicts with the header's framework and tolerance."""
    try:
        fields, rows, framework = data["fields"], data["records"], data["framework"]
        tolerance, versions = data.get("tolerance", {}), data.get("versions", {})
        lacking = [k for k in BASELINE_FIELDS if k not in fields]
        records = []
        for row in rows:
            r = dict(zip(fields, row, strict=True))
            r["framework"] = framework
            r["tolerance"] = tolerance.get(r["check"])
            records.append(r)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ResultsError(f"{path}: malformed compact baseline ({type(e).__name__}: {e})") from None
    if lacking:
        raise ResultsError(f"{path}: compact baseline lacks field(s) {', '.join(lacking)}")
    return {"schema": SCHEMA, "environment": {"framework": framework, "frameworks": versions,
                                              "suite": data.get("suite"), "release": data.get("release"),
                                              "absent": data.get("absent") or {}},
            "records": records}
