"""The known-divergence registry's machinery: what an entry is and which cells it covers.

The entries themselves are data, in conformance/divergences.py.  One entry
drives three things: the strict xfail of the cells it covers, the explanation
and citation in the report, and the porting table.  An entry whose cells all
agree with the reference (xpass), or that covers no cell at all, fails the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import numpy as np

KINDS = ("convention", "bug", "different-definition", "precision")


@dataclass(frozen=True)
class Divergence:
    id: str
    loss: str  # reference loss name (fnmatch pattern allowed)
    framework: str
    api: str  # binding id (fnmatch pattern allowed, e.g. "torch.nn.*BCELoss*")
    kind: str
    explanation: str  # one or two sentences
    citation: str  # upstream issue, doc page or source path, with the version checked
    check: str = "*"  # "value" | "grad" | "error" | "*"
    cases: tuple = ("*",)  # case ids, or "tag:<tag>", fnmatch patterns
    dtypes: tuple = ("*",)
    reductions: tuple = ("*",)
    # Reference params that reproduce the framework on the covered cells.  For a
    # convention the cell is then re-checked against the reference with them at
    # the normal tolerance: the explanation itself is verified.
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"divergence {self.id}: kind must be one of {KINDS}, got {self.kind!r}")
        if not self.citation or not self.explanation:
            raise ValueError(f"divergence {self.id}: explanation and citation are required")

    def matches(self, loss, framework, api, check, dtype, reduction, case_id, tags=()):
        def any_match(value, patterns):
            return any(fnmatchcase(value, p) for p in patterns)

        def case_match(p):
            return any(fnmatchcase(t, p[4:]) for t in tags) if p.startswith("tag:") else fnmatchcase(case_id, p)

        # A binding id names its variant in brackets ("api[from_logits=True]"), which fnmatch would read as a
        # character class: an exact id matches as itself.
        return (fnmatchcase(loss, self.loss) and framework == self.framework
                and (api == self.api or fnmatchcase(api, self.api))
                and fnmatchcase(check, self.check) and any_match(dtype, self.dtypes)
                and any_match(reduction, self.reductions) and any(case_match(p) for p in self.cases))

    @property
    def condition(self):
        parts = [f"check={self.check}"]
        for name, values in (("cases", self.cases), ("dtypes", self.dtypes), ("reductions", self.reductions)):
            if tuple(values) != ("*",):
                parts.append(f"{name}={','.join(values)}")
        if self.params:
            parts.append("reproduced by " + ", ".join(f"{k}={v!r}" for k, v in self.params.items()))
        return "; ".join(parts)

    def as_dict(self):
        return {"id": self.id, "loss": self.loss, "framework": self.framework, "api": self.api,
                "kind": self.kind, "condition": self.condition, "explanation": self.explanation,
                "citation": self.citation, "check": self.check, "cases": list(self.cases),
                "dtypes": list(self.dtypes), "reductions": list(self.reductions),
                "params": jsonable(self.params)}


def jsonable(v):
    """A JSON-able copy: arrays as lists, NumPy scalars as Python ones, non-finite floats as their repr."""
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return [jsonable(x) for x in v.tolist()] if v.ndim else jsonable(v.item())
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, float) and not np.isfinite(v):
        return repr(v)
    if isinstance(v, np.generic):
        return jsonable(v.item())
    return v



def find(entries, **cell):
    """The entry covering this cell, or None; two entries covering one cell is a registry error."""
    hits = [d for d in entries if d.matches(**cell)]
    if len(hits) > 1:
        raise ValueError(f"cell {cell} is covered by several divergences: {[d.id for d in hits]}")
    return hits[0] if hits else None


def check_registry(entries):
    ids = [d.id for d in entries]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"duplicate divergence ids: {dup}")
