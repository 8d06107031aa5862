"""Measuring tools for the reference's own tests: ulp error, Richardson finite differences.

The oracle for values is mpmath at >= 30 digits (each family's test module
writes its losses in mpmath, independently of the reference code); the oracle
for gradients is central differences with Richardson extrapolation, along
random directions and with random cotangents.
"""

from __future__ import annotations

import json
import os

import mpmath
import numpy as np

mpmath.mp.dps = 40
TINY = np.finfo(np.float64).tiny
ULP_BOUND = 4  # values: error <= 4 ulp of max(|exact|, the smallest normal, the loss's condition scale)

# loss name -> how many values the family test modules checked against an mpmath oracle in this session
# (check_value counts them; tests/test_common.py, run after them, asserts every loss has at least 20)
ORACLE_POINTS: dict[str, int] = {}
ORACLE_MODULES: set[str] = set()  # the family modules with tests collected in this session (conftest.py)

# loss name -> worst ulp error measured by the value tests (written at session end, see conftest.py)
MEASURED: dict[str, float] = {}


def ulp_error(got, exact, scale=0.0):
    """|got - exact| in ulps of max(|exact|, scale, smallest normal); exact is an mpf or float/array.

    Non-finite elements must match exactly (NaN for NaN, the same infinity); the
    finite ones are measured."""
    got = np.asarray(got, dtype=np.float64)
    exact_f = np.asarray([float(e) for e in np.ravel(exact)], dtype=np.float64).reshape(np.shape(got))
    nonfinite = ~np.isfinite(exact_f) | ~np.isfinite(got)
    same = (np.isnan(got) & np.isnan(exact_f)) | (got == exact_f)
    if np.any(nonfinite & ~same):
        return np.inf
    errs = np.array([float(abs(mpmath.mpf(float(g)) - mpmath.mpf(e))) if ok else 0.0
                     for g, e, ok in zip(np.ravel(got), np.ravel(exact), np.ravel(~nonfinite))]).reshape(np.shape(got))
    ref = np.maximum(np.maximum(np.abs(np.where(nonfinite, 0.0, exact_f)), scale), TINY)
    ref = np.where(np.isfinite(ref), ref, 1.0)  # an infinite scale only sits beside an exactly matched element
    return float(np.max(errs / np.spacing(ref), initial=0.0))


def check_value(loss_name, got, exact, scale=0.0, bound=ULP_BOUND):
    """Assert got == exact within `bound` ulps and record the error for the per-loss summary."""
    err = ulp_error(got, exact, scale)
    ORACLE_POINTS[loss_name] = ORACLE_POINTS.get(loss_name, 0) + int(np.size(got))
    MEASURED[loss_name] = max(MEASURED.get(loss_name, 0.0), err)
    assert err <= bound, f"{loss_name}: {err:.2f} ulp > {bound} (got {got!r}, exact {exact!r})"
    return err


def richardson(f, h=1e-3, levels=4):
    """Derivative at 0 of the scalar function f(t): central differences, Richardson-extrapolated."""
    table = []
    for k in range(levels):
        hk = h / 2**k
        row = [(f(hk) - f(-hk)) / (2 * hk)]
        for j in range(1, k + 1):
            row.append(row[j - 1] + (row[j - 1] - table[k - 1][j - 1]) / (4**j - 1))
        table.append(row)
    return table[-1][-1]


def directional_fd(loss_fn, arrays, name_index, direction, cotangent, h=1e-3):
    """d/dt sum(cotangent * loss(arrays with arrays[i] + t u)) at t = 0."""

    def f(t):
        a = list(arrays)
        a[name_index] = a[name_index] + t * direction
        return float(np.sum(np.asarray(cotangent) * loss_fn(*a)))

    return richardson(f, h)


def save_measured(path):
    with open(path, "w") as fh:
        json.dump(dict(sorted(MEASURED.items())), fh, indent=1)


def measured_path():
    return os.environ.get("REFERENCE_ULP_REPORT", "")
