"""Compare a current run against a baseline, cell by cell.

A cell is identified by (loss, framework, api, check, dtype, reduction, case, device)
(``schema.KEY_FIELDS``).  The rules, in this one place:

- a *status change* is reported; it is a regression when the status moves from
  a good one (``schema.GOOD``: pass, convention, xfail) to any other, so
  xfail -> convention is a change, not a regression;
- an *error growth* is reported, and is a regression, when the current
  max_ulp_err exceeds FACTOR (default 4) times the baseline's AND exceeds the
  noise floor NOISE_FLOOR x the cell's tolerance (a quarter of it): errors below
  tolerance/4 are rounding noise however much they move.  The tolerance is the
  record's own (conformance/tolerance.py THRESHOLD, per check; a compact baseline
  carries it once per check in its header);
- a *vanished* cell (in the baseline, not in the current run) is a regression;
- a *new* cell is reported, not a regression.

Improvements (a status moving to pass, a smaller error) are reported or ignored,
never regressions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import GOOD, KEY_FIELDS, cell_key

DEFAULT_FACTOR = 4.0
NOISE_FLOOR = 0.25  # fraction of the tolerance below which error growth is ignored


@dataclass
class Change:
    kind: str  # "status" | "error" | "new" | "vanished"
    key: tuple
    old: dict | None
    new: dict | None
    regression: bool

    @property
    def record(self):
        return self.new if self.new is not None else self.old

    def describe(self):
        if self.kind == "status":
            return f"status {self.old['status']} -> {self.new['status']}"
        if self.kind == "error":
            return f"max_ulp_err {self.old.get('max_ulp_err')} -> {self.new.get('max_ulp_err')}"
        if self.kind == "new":
            return f"new cell ({self.new['status']})"
        return f"vanished cell (was {self.old['status']})"


def _index(records):
    out = {}
    for r in records:
        out[cell_key(r)] = r  # a cell seen twice (two files of one run): the later file wins
    return out


def error_grew(old, new, factor):
    a, b = old.get("max_ulp_err"), new.get("max_ulp_err")
    if a is None or b is None:
        return False
    tol = new.get("tolerance") if new.get("tolerance") is not None else old.get("tolerance")
    floor = NOISE_FLOOR * tol if isinstance(tol, int | float) else 0.0
    return b > floor and b > factor * a


def compare(base, cur, factor=DEFAULT_FACTOR):
    """Changes from `base` to `cur` (both load.Results), regressions first."""
    old, new = _index(base.records), _index(cur.records)
    changes = []
    for k, o in old.items():
        n = new.get(k)
        if n is None:
            changes.append(Change("vanished", k, o, None, True))
        elif o["status"] != n["status"]:
            changes.append(Change("status", k, o, n, o["status"] in GOOD and n["status"] not in GOOD))
        elif error_grew(o, n, factor):
            changes.append(Change("error", k, o, n, True))
    changes.extend(Change("new", k, None, n, False) for k, n in new.items() if k not in old)
    changes.sort(key=lambda c: (not c.regression, c.kind, tuple(map(str, c.key))))
    return changes


def format_key(key):
    return " ".join(f"{f}={v}" for f, v in zip(KEY_FIELDS, key, strict=True) if v is not None)
