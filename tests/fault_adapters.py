"""A pretend framework for the suite's own tests: NumPy bindings, one honest,
one that computes the wrong loss (L1), one that aborts the process, one that hangs.  Used as
``pytest conformance --framework tests.fault_adapters``."""

import os
import time

import numpy as np

from adapters._core import Binding, Framework


class _Version(str):
    """Like torch's TorchVersion: a str subclass that xdist's channel cannot serialize."""


class NumpyFramework(Framework):
    module = "numpy"

    def version(self):
        return {"numpy": _Version(np.__version__)}

    def to_tensor(self, array, dtype, device="cpu"):
        return np.array(array, dtype=dtype)

    def to_numpy(self, tensor):
        return np.asarray(tensor, dtype=np.float64)

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        """NumPy has no autodiff: smooth L1's gradient by hand (the one loss these bindings compute)."""
        x, y = arrays
        beta = params.get("beta", 1.0)
        d = (x - y).astype(np.float64)
        g = np.where(np.abs(d) < beta, d / beta, np.sign(d))
        c = np.broadcast_to(cotangent, d.shape) / (d.size if reduction == "mean" else 1)
        return {"input": c * g, "target": -c * g}  # the target's too: a missing one is a 'no-gradient' cell


def _smooth_l1(x, y, reduction, beta=1.0):
    n = np.abs(x - y)
    v = np.where(n < beta, 0.5 * n**2 / beta, n - 0.5 * beta)
    return v if reduction == "none" else v.mean() if reduction == "mean" else v.sum()


def _wrong(x, y, reduction, beta=1.0):
    v = np.abs(x - y)  # L1, not smooth L1: every cell inside the quadratic zone disagrees
    return v if reduction == "none" else v.mean() if reduction == "mean" else v.sum()


def _abort(x, y, reduction, beta=1.0):
    os.abort()


def _hang(x, y, reduction, beta=1.0):
    time.sleep(3600)


FRAMEWORK = NumpyFramework()
BINDINGS = [
    Binding("smooth_l1", "fault.smooth_l1", _smooth_l1, params=("beta",), framework="fault"),
    Binding("smooth_l1", "fault.wrong", _wrong, params=("beta",), reductions=("mean",), differentiable=(),
            framework="fault"),
    Binding("smooth_l1", "fault.aborts", _abort, params=("beta",), dtypes=("float64",), reductions=("mean",),
            differentiable=(), framework="fault"),
    Binding("smooth_l1", "fault.hangs", _hang, params=("beta",), dtypes=("float64",), reductions=("mean",),
            differentiable=(), framework="fault"),
]
DIFFERENT_DEFINITIONS = []
UNBOUND = {}
