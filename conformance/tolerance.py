"""The tolerance policy, in one place.

Errors are measured in units of the dtype (u = machine epsilon: 2**-23 for
float32, 2**-52 for float64) against a condition-aware scale, never as a bare
relative error:

- value cells: err = max_j |got_j - ref_j| / (u * scale_j), where scale_j is the
  reference's ``Loss.condition``: |v_j| + sum_k |x_k| |dv_j/dx_k|, the error a
  backward-stable evaluation on inputs rounded to the dtype is entitled to
  (so a loss that cancels, such as (x - y)^2 with x ~ y large, is judged
  against the size of its inputs, not of its tiny result).
- grad cells: err = max_k |g_k - ref_k| / (u * max_k |ref_k|), normwise: the
  largest gradient component sets the scale of all of them.

The thresholds are a few dozen of those units, one per check kind and the same
for both dtypes.  They are never widened for a cell: a cell that needs more is
a divergence (kind "precision" when the framework is merely less accurate, with
the most units it absorbs) to register in conformance/divergences/.

Non-finite values must match exactly: NaN where the reference has NaN, the
same infinity where it has one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

THRESHOLD = {"value": 32.0, "grad": 64.0}
TINY = {"float32": float(np.finfo(np.float32).tiny), "float64": float(np.finfo(np.float64).tiny)}


def unit(dtype):
    return float(np.finfo(np.dtype(dtype)).eps)


def compare(got, ref, scale, dtype):
    """(max_abs_err, max_rel_err, max_ulp_err, message) of got against ref.

    ``scale`` is broadcast against ref (an array for value cells, a scalar for
    normwise gradient cells).  A non-finite mismatch gives inf errors and says
    where in the message."""
    m = measure(got, ref, scale, dtype)
    if m.mismatches:
        return np.inf, np.inf, np.inf, m.message
    return m.abs_err, m.rel_err, m.units, m.message


@dataclass(frozen=True)
class Measure:
    abs_err: float
    rel_err: float
    units: float  # over the elements finite on both sides
    mismatches: frozenset  # the other disagreements, "got/ref" classes (see _class), or "shape"
    message: str
    elements: tuple | None = None  # (absolute errors, errors in units) of the finite elements; None: none


def measure(got, ref, scale, dtype):
    """The errors over the elements finite on both sides, and the non-finite disagreements beside them."""
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return Measure(np.inf, np.inf, 0.0, frozenset({"shape"}), f"shape {got.shape} != reference shape {ref.shape}")
    finite, bad = _split(got, ref)
    message = ""
    if np.any(bad):
        k = np.flatnonzero(bad.ravel())[0]
        message = f"non-finite mismatch at flat index {k}: got {got.ravel()[k]!r}, reference {ref.ravel()[k]!r}"
    found = frozenset(f"{_class(g)}/{_class(r)}" for g, r in zip(got[bad], ref[bad]))
    if not np.any(finite):
        return Measure(0.0, 0.0, 0.0, found, message)
    diff = np.abs(got - ref)[finite]
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), ref.shape)[finite]
    floor = TINY[str(np.dtype(dtype))]
    ulp = diff / (unit(dtype) * np.maximum(np.abs(scale), floor))
    rel = diff / np.maximum(np.abs(ref[finite]), floor)
    return Measure(float(diff.max()), float(rel.max()), float(ulp.max()), found, message, (diff, ulp))


def masked(got, ref):
    """got with its non-finite disagreements replaced by the reference: what is left to measure beside them."""
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    return np.where(_split(got, ref)[1], ref, got) if got.shape == ref.shape else ref


def _split(got, ref):
    """(finite on both sides, a non-finite disagreement): the same NaN, or the same infinity, agrees."""
    finite = np.isfinite(ref) & np.isfinite(got)
    same_nonfinite = (np.isnan(ref) & np.isnan(got)) | (np.isinf(ref) & (got == ref))
    return finite, ~finite & ~same_nonfinite


def _class(x):
    """An element's class in a non-finite disagreement: nan, inf (either sign), 0, finite."""
    return "nan" if np.isnan(x) else "inf" if np.isinf(x) else "0" if x == 0 else "finite"


def grad_scale(ref):
    ref = np.asarray(ref, dtype=np.float64)
    finite = ref[np.isfinite(ref)]
    return float(np.max(np.abs(finite))) if finite.size else 0.0


def within(err, check):
    return err is not None and err <= THRESHOLD[check]
