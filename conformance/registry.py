"""The known-divergence registry's machinery: what an entry is, which cells it covers, what it absorbs.

The entries themselves are data, one module per framework in conformance/divergences/.  An entry is
one mechanism: the cells it covers (``Cells``: losses, exact binding ids, checks, case ids or tags,
dtypes, reductions, or a predicate), its explanation and citation, and its bound: what it absorbs at
most.  A cell it covers is an xfail only within that bound; beyond it the cell fails, saying so.  An
entry whose cells agree with the reference (xpass), or that covers no cell at all, fails the run.

What the framework does that no argument controls (a clip, a clamp, an epsilon) is not an entry: it
is a convention on the binding (adapters._core.Convention), and its cells have the status "convention".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from reports.schema import DIVERGENCE_KINDS

from . import tolerance


@dataclass(frozen=True)
class CellKey:
    """What selects a cell: the binding's loss, framework and id, the check, dtype, reduction, case and its tags."""

    loss: str
    framework: str
    api: str
    check: str
    dtype: str
    reduction: str
    case: str
    tags: frozenset = frozenset()


@dataclass(frozen=True)
class Where:
    """A predicate on a CellKey, with the sentence that says what it selects (shown in the listing)."""

    text: str
    test: Callable = field(compare=False)


_SELECTORS = (("losses", "loss"), ("apis", "api"), ("checks", "check"), ("cases", "case"), ("dtypes", "dtype"),
              ("reductions", "reduction"))


@dataclass(frozen=True, kw_only=True)
class Cells:
    """A selection of cells: each field given must hold (one of its values); a field not given selects all.

    ``apis`` are exact binding ids ("keras.losses.Hinge[binary]"); ``tags`` selects cases carrying any of
    these case tags; ``where`` is a predicate for what the fields cannot say."""

    losses: tuple = ()
    apis: tuple = ()
    checks: tuple = ()
    cases: tuple = ()
    tags: tuple = ()
    dtypes: tuple = ()
    reductions: tuple = ()
    where: Where | None = None

    def __post_init__(self):
        for name in ("losses", "apis", "checks", "cases", "tags", "dtypes", "reductions"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))

    def matches(self, key):
        return (all(not getattr(self, name) or getattr(key, attr) in getattr(self, name)
                    for name, attr in _SELECTORS)
                and (not self.tags or bool(set(self.tags) & set(key.tags)))
                and (self.where is None or self.where.test(key)))

    def __str__(self):
        parts = [f"{name}={','.join(getattr(self, name))}" for name, _ in (*_SELECTORS, ("tags", ""))
                 if getattr(self, name)]
        if self.where is not None:
            parts.append(f"where {self.where.text}")
        return "; ".join(parts) or "every cell"


# ---------------------------------------------------------------- what a diverging cell showed


@dataclass(frozen=True)
class Observation:
    """What a cell covered by an entry showed, against the reference under the binding's conventions (and the
    entry's parameters, for a ``Reproduces`` bound).

    ``units``: the largest error in units of the dtype over the elements finite on both sides; ``mismatches``:
    the other disagreements, as "got/ref" classes (tolerance.mismatches); ``raised``: the framework's error, if
    it raised; ``returned``: on an error cell, what it returned instead of raising (summary_class)."""

    check: str
    dtype: str
    units: float | None = None
    mismatches: frozenset = frozenset()
    raised: str | None = None
    returned: str | None = None
    # value cells: (absolute errors, errors in units) of the elements finite on both sides, for Units(absolute=)
    elements: tuple | None = field(default=None, compare=False)

    def units_beyond(self, absolute):
        """The largest error in units over the elements whose absolute error exceeds ``absolute``."""
        if self.elements is None:
            return self.units
        abs_errs, units = self.elements
        beyond = units[abs_errs > absolute]
        return float(beyond.max()) if beyond.size else 0.0


def _limit(units, dtype):
    return units[dtype] if isinstance(units, dict) else units


def _fmt_units(units):
    if isinstance(units, dict):
        return ", ".join(f"{d}: {u:.3g}" for d, u in units.items())
    return f"{units:.3g}"


def _numeric(obs):
    """The reason a numeric observation is not one at all ('' if it is)."""
    if obs.raised is not None:
        return f"the framework raised: {obs.raised}"
    if obs.returned is not None or obs.units is None:
        return "no numeric result to bound"
    return ""


@dataclass(frozen=True)
class Units:
    """A precision bound: every element within ``units`` units of the dtype (a number, or one per dtype) or, on a
    value cell of a dtype that ``absolute`` names, within that absolute error of the reference (an error that stays
    absolute where the loss is 0 or tiny, which no number of units of the loss bounds); and no non-finite
    disagreement."""

    units: float | dict
    absolute: dict = field(default_factory=dict)

    def outside(self, obs):
        if _numeric(obs):
            return _numeric(obs)
        if obs.mismatches:
            return f"non-finite disagreement {', '.join(sorted(obs.mismatches))} (the bound admits none)"
        limit = _limit(self.units, obs.dtype)
        absolute = self.absolute.get(obs.dtype)
        err = obs.units if absolute is None else obs.units_beyond(absolute)
        beyond = "" if absolute is None else f" where the absolute error exceeds {absolute:.3g}"
        return f"error {err:.3g} > {limit:.3g} units of {obs.dtype}{beyond}" if err > limit else ""

    def admits(self, record):
        if record["dtype"] in self.absolute:
            return ""  # the baseline keeps no per-element errors: the run judged the cell (outside)
        err = record.get("max_ulp_err")  # None: no finite error (an infinite one, or a non-finite mismatch)
        limit = _limit(self.units, record["dtype"])
        return "" if (math.inf if err is None else err) <= limit else f"max_ulp_err {err} beyond {limit:.3g} units"

    def __str__(self):
        absolute = f" or an absolute error of at most {_fmt_units(self.absolute)}" if self.absolute else ""
        return f"at most {_fmt_units(self.units)} units of the dtype{absolute}"


@dataclass(frozen=True)
class Signature:
    """An observed signature: the non-finite disagreements it may show ("nan/finite": NaN where the reference
    is finite; "0/nan": zero where it is NaN; "finite/inf", "shape", "no-gradient": none for an input, ...), and
    every element finite on both sides within ``units`` (None: the normal tolerance; a dict: per dtype, the normal
    tolerance for one it does not name) of the reference under ``params`` (reference params that reproduce those
    elements)."""

    mismatches: tuple
    units: float | dict | None = None
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        bad = [m for m in self.mismatches if m not in WHOLE_ARRAY and not re.fullmatch(_CLASS + "/" + _CLASS, m)]
        if bad:
            raise ValueError(f"signature mismatches must read 'got/ref' of {_CLASSES} (or one of {WHOLE_ARRAY}), "
                             f"got {bad}")

    def _units(self, check, dtype):
        units = self.units if isinstance(self.units, dict) else {dtype: self.units}
        return tolerance.THRESHOLD[check] if units.get(dtype) is None else units[dtype]

    def outside(self, obs):
        if _numeric(obs):
            return _numeric(obs)
        extra = sorted(m for m in obs.mismatches if not any(_covers(s, m) for s in self.mismatches))
        if extra:
            return f"disagreement {', '.join(extra)} outside the signature {', '.join(self.mismatches)}"
        limit = self._units(obs.check, obs.dtype)
        return f"finite elements off by {obs.units:.3g} > {limit:.3g} units of {obs.dtype}" if obs.units > limit else ""

    def admits(self, record):
        err = record.get("max_ulp_err")
        limit = self._units(record["check"], record["dtype"])
        return "" if err is None or err <= limit else f"max_ulp_err {err} beyond {limit:.3g} units"

    def __str__(self):
        units = "the normal tolerance" if self.units is None else f"{_fmt_units(self.units)} units"
        under = f" of the reference with {jsonable(self.params)}" if self.params else ""
        return f"signature {', '.join(self.mismatches)} (got/reference); finite elements within {units}{under}"


@dataclass(frozen=True)
class Reproduces:
    """Reference parameters that reproduce the framework: the cell must agree with the reference under them (and
    the binding's conventions) at the normal tolerance."""

    params: dict

    def outside(self, obs):
        if _numeric(obs):
            return _numeric(obs)
        if obs.mismatches or not tolerance.within(obs.units, obs.check):
            shown = ", ".join(sorted(obs.mismatches)) or f"{obs.units:.3g} units"
            return f"the reference with {jsonable(self.params)} does not reproduce it ({shown})"
        return ""

    def admits(self, record):
        err = record.get("max_ulp_err")
        return "" if tolerance.within(err, record["check"]) else f"max_ulp_err {err} beyond the tolerance"

    def __str__(self):
        return "reproduced by the reference with " + ", ".join(f"{k}={v!r}" for k, v in self.params.items())


@dataclass(frozen=True)
class Raises:
    """The framework raises on a valid input, with a message matching ``pattern`` (a regular expression)."""

    pattern: str

    def outside(self, obs):
        if obs.raised is None:
            return "the framework did not raise"
        return "" if re.search(self.pattern, obs.raised) else f"raised {obs.raised!r}, not /{self.pattern}/"

    def admits(self, record):
        return "" if record.get("max_ulp_err") is None else "a number where the framework should raise"

    def __str__(self):
        return f"the framework raises /{self.pattern}/"


@dataclass(frozen=True)
class Returns:
    """Unchecked input: instead of raising, the framework returns one of ``classes`` ("finite": every element
    finite; "nan": all NaN; "non-finite": some element non-finite; "empty")."""

    classes: tuple

    def __post_init__(self):
        if not set(self.classes) <= set(RETURN_CLASSES):
            raise ValueError(f"Returns classes must be among {RETURN_CLASSES}, got {self.classes}")

    def outside(self, obs):
        if obs.returned is None:
            return "the framework did not return a value"
        return "" if obs.returned in self.classes else f"returned {obs.returned}, not {' or '.join(self.classes)}"

    def admits(self, record):
        return "" if record.get("check") == "error" else "not an error cell"

    def __str__(self):
        return f"returns {' or '.join(self.classes)} instead of raising"


RETURN_CLASSES = ("finite", "nan", "non-finite", "empty")
_CLASSES = ("nan", "inf", "0", "finite")  # in a signature "finite" is any finite number, "0" exactly zero
_CLASS = "(" + "|".join(_CLASSES) + ")"
WHOLE_ARRAY = ("shape", "no-gradient")  # disagreements of a whole array: another shape; no gradient for an input


def _covers(pattern, mismatch):
    """Does the signature's 'got/ref' cover the observed one?  A pattern's "finite" covers an observed "0"."""
    if pattern in WHOLE_ARRAY or mismatch in WHOLE_ARRAY:
        return pattern == mismatch
    return all(p == m or (p == "finite" and m == "0") for p, m in zip(pattern.split("/"), mismatch.split("/")))


def summary_class(v):
    """What a framework returned, as one of RETURN_CLASSES."""
    arrays = [np.asarray(x, dtype=np.float64) for x in (v.values() if isinstance(v, dict) else [v])]
    if all(a.size == 0 for a in arrays):
        return "empty"
    if all(np.all(np.isnan(a)) for a in arrays):
        return "nan"
    return "finite" if all(np.all(np.isfinite(a)) for a in arrays) else "non-finite"


# ---------------------------------------------------------------- the entry

BOUNDS = {"precision": (Units,), "unchecked-input": (Returns,),
          "bug": (Reproduces, Signature, Units, Raises), "different-definition": (Reproduces, Signature, Units, Raises)}


@dataclass(frozen=True, kw_only=True)
class Divergence:
    id: str
    framework: str
    kind: str  # reports.schema.DIVERGENCE_KINDS
    cells: Cells | tuple  # one selection, or several (a cell in any of them is covered)
    bound: Units | Signature | Reproduces | Raises | Returns  # what the entry absorbs at most
    explanation: str  # one or two sentences
    citation: str  # upstream issue, doc page or source path, with the version checked

    def __post_init__(self):
        if isinstance(self.cells, Cells):
            object.__setattr__(self, "cells", (self.cells,))
        if self.kind not in DIVERGENCE_KINDS:
            raise ValueError(f"divergence {self.id}: kind must be one of {DIVERGENCE_KINDS}, got {self.kind!r}")
        if not self.citation or not self.explanation:
            raise ValueError(f"divergence {self.id}: explanation and citation are required")
        if not isinstance(self.bound, BOUNDS[self.kind]):
            allowed = ", ".join(b.__name__ for b in BOUNDS[self.kind])
            raise ValueError(f"divergence {self.id}: a {self.kind} entry is bounded by {allowed}, "
                             f"got {type(self.bound).__name__}")
        error_cells = all(c.checks == ("error",) for c in self.cells)
        if (self.kind == "unchecked-input") != error_cells:
            raise ValueError(f"divergence {self.id}: unchecked-input entries, and they only, cover error cells "
                             "(cells=Cells(checks='error', ...))")

    def matches(self, key):
        return key.framework == self.framework and any(c.matches(key) for c in self.cells)

    @property
    def params(self):
        """Reference params that reproduce the framework on the covered cells (those of its bound, if any)."""
        return getattr(self.bound, "params", {})

    @property
    def selection(self):
        return " | ".join(str(c) for c in self.cells)

    def as_dict(self):
        losses = sorted({loss for c in self.cells for loss in c.losses}) if all(c.losses for c in self.cells) else []
        return {"id": self.id, "framework": self.framework, "kind": self.kind, "selection": self.selection,
                "bound": str(self.bound), "explanation": self.explanation, "citation": self.citation,
                "losses": losses, "params": jsonable(self.params),
                # the report's table reads these two
                "loss": losses[0] if len(losses) == 1 else "*",
                "condition": f"{self.selection}; absorbs: {self.bound}"}


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


_BY_FRAMEWORK = {}  # id(entries) -> (entries, len, {framework: [entries]}): a run asks for thousands of cells


def find(entries, key):
    """The entry covering this cell, or None; two entries covering one cell is a registry error."""
    cached = _BY_FRAMEWORK.get(id(entries))
    if cached is None or cached[0] is not entries or cached[1] != len(entries):
        by = {}
        for d in entries:
            by.setdefault(d.framework, []).append(d)
        cached = _BY_FRAMEWORK[id(entries)] = (entries, len(entries), by)
    hits = [d for d in cached[2].get(key.framework, ()) if d.matches(key)]
    if len(hits) > 1:
        raise ValueError(f"cell {key} is covered by several divergences: {[d.id for d in hits]}")
    return hits[0] if hits else None


def check_registry(entries):
    ids = [(d.framework, d.id) for d in entries]  # an entry several stacks share (keras.py): one copy per stack
    dup = sorted({i for f, i in ids if ids.count((f, i)) > 1})
    if dup:
        raise ValueError(f"duplicate divergence ids: {dup}")


def shorthands(framework):
    """The two constructors a stack's divergences module writes its entries with: ``entry(id, kind, cells, bound,
    explanation, citation)`` and ``unchecked(id, cells, returns, explanation, citation)`` (bad input the stack
    accepts: an error cell where it returns ``returns`` instead of raising)."""

    def entry(id, kind, cells, bound, explanation, citation):
        return Divergence(id=id, framework=framework, kind=kind, cells=cells, bound=bound, explanation=explanation,
                          citation=citation)

    def unchecked(id, cells, returns, explanation, citation):
        return entry(id, "unchecked-input", cells, Returns(returns), explanation, citation)

    return entry, unchecked

