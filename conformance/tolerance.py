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
a divergence (kind "precision" when the framework is merely less accurate) to
register in conformance/divergences.py.

Non-finite values must match exactly: NaN where the reference has NaN, the
same infinity where it has one.
"""

from __future__ import annotations

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
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return np.inf, np.inf, np.inf, f"shape {got.shape} != reference shape {ref.shape}"
    finite = np.isfinite(ref) & np.isfinite(got)
    same_nonfinite = (np.isnan(ref) & np.isnan(got)) | (np.isinf(ref) & (got == ref))
    bad = ~finite & ~same_nonfinite
    if np.any(bad):
        k = np.flatnonzero(bad.ravel())[0]
        return (np.inf, np.inf, np.inf,
                f"non-finite mismatch at flat index {k}: got {got.ravel()[k]!r}, reference {ref.ravel()[k]!r}")
    if not np.any(finite):
        return 0.0, 0.0, 0.0, ""
    diff = np.abs(got - ref)[finite]
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), ref.shape)[finite]
    floor = TINY[str(np.dtype(dtype))]
    ulp = diff / (unit(dtype) * np.maximum(np.abs(scale), floor))
    rel = diff / np.maximum(np.abs(ref[finite]), floor)
    return float(diff.max()), float(rel.max()), float(ulp.max()), ""


def grad_scale(ref):
    ref = np.asarray(ref, dtype=np.float64)
    finite = ref[np.isfinite(ref)]
    return float(np.max(np.abs(finite))) if finite.size else 0.0


def within(err, check):
    return err is not None and err <= THRESHOLD[check]
