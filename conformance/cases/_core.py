"""Named, deterministic cases: the inputs every binding of a loss is diffed on.

A case generator is a function of a seeded ``numpy.random.Generator`` that
yields ``Case`` objects; ``@cases("smooth_l1")`` registers it.  The seed of a
generator is derived from the loss name, so the same commit gives the same
arrays.  Arrays are float64 (or int64 for labels/indices) in the reference's
canonical layout; the suite quantizes float arrays to each framework dtype
before both the framework and the reference see them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

# Tags say why a case exists; the suite and the report group by them.
TAGS = {
    "interior",  # random smooth points
    "kink",  # a non-differentiable point: any subgradient is accepted, the one taken is recorded
    "saturation",  # probabilities at 0/1, huge logits
    "edge",  # empty / all-ignored batches, degenerate shapes or boxes, zero weights
    "extreme",  # tiny and huge magnitudes
    "nonfinite",  # NaN and inf inputs
    "bad_input",  # the reference raises ValueError naming Case.error[0]; the cell records what a framework does
    "branch",  # where two pieces of a definition meet, C1: frameworks branch there, the gradient is unique
    "reference_only",  # no binding of any stack can express it (the note says why): checks the reference alone
}


@dataclass(frozen=True)
class Case:
    loss: str
    id: str  # unique within the loss, readable: "kink_at_beta"
    arrays: dict  # canonical input name -> ndarray
    params: dict = field(default_factory=dict)
    tags: frozenset = frozenset({"interior"})
    note: str = ""
    # bad_input only: (the argument the ValueError names, a regex its message matches), as OpInfo's ErrorInput
    error: tuple | None = None

    @property
    def bad_input(self):
        return "bad_input" in self.tags

    @property
    def kink(self):
        return "kink" in self.tags


def shape_broadcasts(loss, arrays):
    """An element-wise loss fed (N, 1) inputs against (N,) targets: shapes that broadcast but differ.  NumPy (and a
    stack that broadcasts) makes (N, N) pairs of them, the classic silent bug; the reference rejects it, and each
    stack's answer (a raise, the (N, N) loss, or the squeezed (N,) one) is recorded as an error cell."""
    x, y = arrays["input"], arrays["target"]
    return Case(loss, "shape_broadcasts", {**arrays, "input": x[:, :1], "target": y[:, 0]},
                tags={"bad_input"}, note="(N, 1) input, (N,) target", error=("target", r"shape mismatch"))


GENERATORS: dict = {}


def cases(loss):
    def deco(gen):
        GENERATORS.setdefault(loss, []).append(gen)
        return gen

    return deco


def seed_for(loss):
    return zlib.crc32(loss.encode())


def cases_for(loss):
    out = []
    for gen in GENERATORS.get(loss, []):
        rng = np.random.default_rng(seed_for(loss))
        for c in gen(rng):
            c = Case(loss, c.id, c.arrays, c.params, frozenset(c.tags), c.note, c.error) if c.loss != loss else c
            out.append(c)
    ids = [c.id for c in out]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"{loss}: duplicate case ids {sorted(dup)}")
    for c in out:
        if not set(c.tags) <= TAGS:
            raise ValueError(f"{loss}/{c.id}: unknown tags {set(c.tags) - TAGS}")
        if c.bad_input != (c.error is not None):
            raise ValueError(f"{loss}/{c.id}: a bad_input case states its error=(argument, pattern), no other does")
    return out
