"""Each stack's release history as a changelog: at which release which cells changed, and why where known.

Input: history files (``python -m reports history``, written by ``nox -s history``: one stack at one release,
compact, with its "release"), and optionally the same runs' full results files (files or folders), matched by file
name and suite version, whose records carry the repros.  Per stack, the releases in order, each compared with the
one before it by the rules of reports/diff.py (``diff.compare``, its factor and noise floor).  A change is

- a status change: a regression when the status leaves ``schema.GOOD``, otherwise a fix or a move between good
  statuses;
- an error that moved beyond the threshold: grew (a regression, as in the diff) or shrank by as much (a fix);
- a cell added or removed between two releases (an API or a parameter that appears or disappears: a history file
  leaves out, and lists as "absent", the cells whose API or parameter its release lacks, reports/compact.py
  ABSENT): shown as such, never as a regression -- that is the release's API, not its numerics.

What explains a change upstream (a release note, a PR, an issue) is data, in reports/upstream.toml: entries
matched by stack, the release at which the change shows, and an API pattern (fnmatch) or a list of them.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from . import diff as diffmod
from .load import expand, load
from .schema import GOOD, ResultsError, cell_key

UPSTREAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "upstream.toml")
KINDS = {"status": "status", "error": "error", "new": "added", "vanished": "removed"}


def release_key(release):
    """A release's sort key: its numbers in order ('2.15.0.post1' -> (2, 15, 0, 1))."""
    return tuple(int(n) for n in re.findall(r"\d+", str(release)))


def read_upstream(path=UPSTREAM):
    """The citations table: [{"stack", "release", "api", "what", "citation"}]."""
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        entries = tomllib.load(f).get("change", [])
    for e in entries:
        lacking = [k for k in ("stack", "release", "api", "what", "citation") if not e.get(k)]
        if lacking:
            raise ResultsError(f"{path}: an entry lacks {', '.join(lacking)}: {e}")
    return entries


@dataclass
class Entry:
    """One change of one cell between two releases of one stack."""

    kind: str  # "status" | "error" | "added" | "removed"
    regression: bool
    old: dict | None
    new: dict | None
    repro: str | None = None

    @property
    def record(self):
        return self.new if self.new is not None else self.old

    def side(self, r):
        if r is None:
            return "(no cell)"
        err = r.get("max_ulp_err")
        return r["status"] + ("" if err is None else f" {err:.2g} ulp")


@dataclass
class Step:
    """One stack from one release to the next, the changes of one (loss, api)."""

    stack: str
    old: str
    new: str
    loss: str
    api: str
    entries: list = field(default_factory=list)
    upstream: list = field(default_factory=list)
    absent: str = ""  # why the API's added (removed) cells are absent at the older (newer) release, where known

    @property
    def anchor(self):
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.stack}-{self.new}-{self.api}-{self.loss}")

    @property
    def kinds(self):
        return sorted({e.kind for e in self.entries})

    @property
    def regressions(self):
        return sum(e.regression for e in self.entries)


def _changes(base, cur, factor):
    """diff.compare's changes, plus errors that shrank by the factor (fixes), as Entries."""
    out = [Entry(KINDS[c.kind], c.regression and c.kind not in ("new", "vanished"), c.old, c.new)
           for c in diffmod.compare(base, cur, factor)]
    new = {cell_key(r): r for r in cur.records}
    for o in base.records:
        n = new.get(cell_key(o))
        if n is not None and n["status"] == o["status"] and diffmod.error_grew(n, o, factor):
            out.append(Entry("error", False, o, n))
    return out


def _history(paths, repros):
    """{stack: {release: Results}} from the history files, and {(stack, release): {cell key: repro}}."""
    files = defaultdict(lambda: defaultdict(list))
    for path in expand(paths):
        res = load([path])
        env = res.sources[0]["environment"]
        if not env.get("release"):
            raise ResultsError(f"{path}: not a history file (no release): write it with `python -m reports history`")
        files[env.get("framework")][env["release"]].append(path)
    full = {os.path.basename(p): p for p in expand(repros)} if repros else {}
    history, repro = {}, defaultdict(dict)
    for stack, releases in files.items():
        history[stack] = {}
        for release in sorted(releases, key=release_key):
            history[stack][release] = load(releases[release])
            suite = history[stack][release].sources[0]["environment"].get("suite")
            for path in releases[release]:
                if os.path.basename(path) in full:
                    res = load([full[os.path.basename(path)]])
                    if res.sources[0]["environment"].get("suite") == suite:  # the same run, with its repros
                        repro[(stack, release)].update((cell_key(r), r.get("repro")) for r in res.records)
    return history, repro


def changelog(paths, repros=None, factor=diffmod.DEFAULT_FACTOR, upstream=UPSTREAM):
    """{"releases": {stack: [(release, cells, suite)]}, "steps": [Step] by loss, api, stack, release,
    "by_api": {(stack, api): [Step]}}."""
    history, repro = _history(paths, repros)
    cites = read_upstream(upstream)
    steps = {}
    for stack, releases in sorted(history.items()):
        ordered = list(releases)
        for old, new in zip(ordered, ordered[1:]):
            for e in _changes(releases[old], releases[new], factor):
                r = e.record  # the repro of the side that disagrees (a passing cell records none)
                e.repro = repro[(stack, new)].get(cell_key(r)) or repro[(stack, old)].get(cell_key(r))
                step = steps.get((r["loss"], r["api"], stack, new))
                if step is None:
                    step = steps[(r["loss"], r["api"], stack, new)] = Step(stack, old, new, r["loss"], r["api"])
                    step.upstream = [c for c in cites if c["stack"] == stack and c["release"] == new and any(
                        fnmatchcase(r["api"], p) for p in ([c["api"]] if isinstance(c["api"], str) else c["api"]))]
                    gone = {rel: releases[rel].sources[0]["environment"].get("absent") or {} for rel in (old, new)}
                    why = [f"absent at {rel}: {gone[rel][r['api']]}" for rel in (old, new) if r["api"] in gone[rel]]
                    step.absent = "; ".join(why)
                step.entries.append(e)
    ordered = [steps[k] for k in sorted(steps, key=lambda k: (str(k[0]), str(k[1]), k[2], release_key(k[3])))]
    for s in ordered:
        s.entries.sort(key=lambda e: (not e.regression, e.kind, tuple(map(str, cell_key(e.record)))))
    by_api = defaultdict(list)
    for s in sorted(ordered, key=lambda s: (s.stack, s.api, release_key(s.new))):
        by_api[(s.stack, s.api)].append(s)
    releases = {stack: [(rel, len(res.records), res.sources[0]["environment"].get("suite"))
                        for rel, res in rels.items()] for stack, rels in sorted(history.items())}
    return {"releases": releases, "steps": ordered, "by_api": dict(by_api), "good": GOOD}
