"""What every reference loss shares: the registry, reductions, input checks, gradients.

A loss is one function that reads like its formula: it takes the arrays (float64
or integer NumPy arrays, in ``inputs`` order) and the parameters as keywords, and
returns the *unreduced* loss, either an array ``v`` (mean = v.mean()) or a pair
``(v, denominator)`` when the mean divides by something other than ``v.size``:
a scalar (mean = sum(v) / denominator: class-weighted cross entropy, kl_div's
batchmean) or an array of per-element divisors (mean = mean(v / denominator):
CTC divides each sample by its target length).  It is written with
``autograd.numpy`` so that its gradient comes from an autodiff engine that is
independent of every framework under test.  Reductions, parameter checking and
gradients live here, once.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import autograd
import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

REDUCTIONS = ("none", "mean", "sum")


# ---------------------------------------------------------------- input checks
# Every check raises ValueError naming the argument and what was expected.  They
# read raw values (getval), so they work inside autograd tracing too.


def floats(name, a):
    """`a` must be a floating-point array (an integer array is a caller's mistake)."""
    kind = np.asarray(getval(a)).dtype.kind
    if kind != "f":
        raise ValueError(f"{name}: expected a floating-point array, got dtype kind {kind!r}")


def integers(name, a):
    kind = np.asarray(getval(a)).dtype.kind
    if kind not in "iu":
        raise ValueError(f"{name}: expected an integer array, got dtype kind {kind!r}")


def same_shape(**arrays):
    shapes = {k: np.shape(getval(v)) for k, v in arrays.items()}
    if len(set(shapes.values())) > 1:
        raise ValueError("shape mismatch: " + ", ".join(f"{k} {s}" for k, s in shapes.items()))


def shape_is(name, a, expected, what=""):
    if tuple(np.shape(getval(a))) != tuple(expected):
        raise ValueError(f"{name}: expected shape {tuple(expected)}{what}, got {np.shape(getval(a))}")


def in_range(name, a, lo, hi, what="values"):
    v = np.asarray(getval(a))
    bad = ~np.isnan(v) & ((v < lo) | (v > hi)) if v.dtype.kind == "f" else (v < lo) | (v > hi)
    if np.any(bad):
        raise ValueError(f"{name}: {what} must lie in [{lo}, {hi}], got {v[bad].ravel()[0]!r}")


def probability(name, a):
    in_range(name, a, 0.0, 1.0, "probabilities")


def one_of(name, a, allowed):
    v = np.asarray(getval(a))
    bad = ~np.isin(v, allowed)
    if np.any(bad):
        raise ValueError(f"{name}: expected values in {sorted(allowed)}, got {v[bad].ravel()[0]!r}")


def nonnegative(name, a):
    in_range(name, a, 0.0, np.inf, "values")


def weights_like(name, w, input):
    """An optional weight array broadcastable to input's shape (None -> 1)."""
    if w is None:
        return 1.0
    w = np.asarray(w)
    floats(name, w)
    try:
        np.broadcast_shapes(w.shape, np.shape(getval(input)))
    except ValueError:
        raise ValueError(f"{name}: shape {w.shape} does not broadcast to input's {np.shape(getval(input))}") from None
    return w.astype(np.float64)


def choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name}: expected one of {allowed}, got {value!r}")


# ---------------------------------------------------------------- reductions


def accurate_sum(v):
    """Correctly rounded sum (math.fsum) where finite; NumPy's where inf/NaN propagate."""
    v = np.asarray(v, dtype=np.float64).ravel()
    if v.size and not np.all(np.isfinite(v)):
        return np.float64(np.sum(v))
    return np.float64(math.fsum(v))


def reduce(v, reduction, denominator=None):
    if reduction == "batchmean":  # kl_div: a mean whose denominator is the batch size
        reduction, denominator = "mean", (np.shape(v)[0] if np.ndim(v) else 1)
    if reduction == "none":
        return np.asarray(v, dtype=np.float64)
    if reduction == "sum":
        return accurate_sum(v)
    if np.ndim(denominator) > 0:  # per-element divisors
        v, denominator = np.asarray(v) / denominator, None
    d = np.float64(np.size(v) if denominator is None else denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.float64(accurate_sum(v) / d)  # mean of nothing is NaN, as in the frameworks


def reduction_cotangent(shape, reduction, denominator, cotangent):
    """The cotangent on the unreduced loss that `cotangent` on the reduced one induces."""
    c = np.asarray(cotangent, dtype=np.float64)
    if reduction == "batchmean":  # kl_div: a mean whose denominator is the batch size
        reduction, denominator = "mean", (shape[0] if len(shape) else 1)
    if reduction == "none":
        return np.broadcast_to(c, shape)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            if np.ndim(denominator) > 0:  # per-element divisors
                c = c / np.asarray(denominator, dtype=np.float64) / np.prod(shape)
            else:
                c = c / np.float64(np.prod(shape) if denominator is None else denominator)
    return np.broadcast_to(c, shape)


# ---------------------------------------------------------------- the Loss


class Gradient(dict):
    """{input name: gradient}.  At a non-differentiable point ``one_sided`` holds,
    per input, (lower, upper) element-wise bounds of the valid subgradients
    (computed on first access: it costs four more gradients)."""

    _bounds = None
    _bounds_fn = None

    @property
    def one_sided(self):
        if self._bounds is None:
            with np.errstate(all="ignore"):
                self._bounds = self._bounds_fn(self)
        return self._bounds


@dataclass
class Loss:
    name: str
    fn: Callable
    inputs: tuple
    differentiable: tuple
    params: dict
    reductions: tuple = REDUCTIONS
    closed_form: Callable | None = None  # (arrays..., cot=..., **params) -> {name: grad}
    source: str = field(default="", repr=False)

    @property
    def doc(self):
        return inspect.getdoc(self.fn) or ""

    # -- arguments
    def _prepare(self, arrays, reduction, params):
        if len(arrays) != len(self.inputs):
            raise ValueError(f"{self.name}: expected {len(self.inputs)} arrays {self.inputs}, got {len(arrays)}")
        unknown = set(params) - set(self.params)
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter(s) {sorted(unknown)}; accepted: {sorted(self.params)}")
        choice("reduction", reduction, self.reductions)
        arrays = [np.asarray(a) for a in arrays]
        arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
        for name in self.differentiable:
            floats(name, arrays[self.inputs.index(name)])
        return arrays, {**self.params, **params}

    def _unreduced(self, arrays, params):
        out = self.fn(*arrays, **params)
        return out if isinstance(out, tuple) else (out, None)

    # -- value
    def __call__(self, *arrays, reduction="mean", **params):
        arrays, params = self._prepare(arrays, reduction, params)
        with np.errstate(all="ignore"):
            v, denominator = self._unreduced(arrays, params)
            return reduce(getval(v), reduction, denominator)

    # -- gradient
    def grad(self, *arrays, reduction="mean", cotangent=None, **params):
        """d/d input of sum(cotangent * loss), for every differentiable input."""
        arrays, params = self._prepare(arrays, reduction, params)
        with np.errstate(all="ignore"):
            g = self._grad(arrays, reduction, cotangent, params)
            g._bounds_fn = lambda base: self._one_sided(arrays, reduction, cotangent, params, base)
        return g

    def _grad(self, arrays, reduction, cotangent, params):
        v, denominator = self._unreduced(arrays, params)
        shape = np.shape(getval(v))
        reduced_shape = shape if reduction == "none" else ()
        c = np.ones(reduced_shape) if cotangent is None else np.asarray(cotangent, dtype=np.float64)
        if c.shape != reduced_shape:
            raise ValueError(f"cotangent: expected shape {reduced_shape}, got {c.shape}")
        cot = reduction_cotangent(shape, reduction, denominator, c)
        if self.closed_form is not None:
            return Gradient(self.closed_form(*arrays, cot=cot, **params))
        idx = [self.inputs.index(n) for n in self.differentiable]

        def unreduced(*diff):
            full = list(arrays)
            for i, d in zip(idx, diff):
                full[i] = d
            return self._unreduced(full, params)[0]

        vjp, _ = autograd.make_vjp(unreduced, argnum=tuple(range(len(idx))))(*[arrays[i] for i in idx])
        return Gradient(zip(self.differentiable, (np.asarray(g, dtype=np.float64) for g in vjp(cot))))

    # -- condition
    def condition(self, *arrays, reduction="mean", **params):
        """The condition-aware scale of the loss value, shaped like it.

        scale_j = |v_j| + sum over float inputs x of sum_k |x_k| |d v_j / d x_k|,
        reduced like the loss.  An implementation that rounds each input and each
        operation to relative precision u can be expected to err by a small
        multiple of u * scale, not of u * |v|: where the loss cancels (x - y for
        x ~ y large), the scale says so.  Inputs autograd cannot trace (integer
        labels, or code paths that read raw values) contribute nothing."""
        self._prepare(arrays, reduction, params)  # checks the reduction
        scale, denominator = self.condition_terms(*arrays, **params)
        return reduce(scale, reduction, denominator)

    def condition_terms(self, *arrays, **params):
        """(unreduced scale, mean denominator): ``condition`` before the reduction."""
        arrays, params = self._prepare(arrays, "none" if "none" in self.reductions else self.reductions[0], params)
        with np.errstate(all="ignore"):
            v, denominator = self._unreduced(arrays, params)
            v = np.asarray(getval(v), dtype=np.float64)
            scale = np.abs(v)
            for i, a in enumerate(arrays):
                if a.dtype.kind != "f" or a.size == 0 or v.size == 0:
                    continue
                try:
                    term = self._sensitivity(arrays, params, i, v.shape)
                except Exception:  # not traceable in this input
                    continue
                scale = scale + np.nan_to_num(term, nan=0.0, posinf=0.0)
            return scale, denominator

    def _sensitivity(self, arrays, params, i, vshape):
        """sum_k |x_k| |d v_j / d x_k| for input i, shaped like v.

        Where input i is shaped like v, or like v with trailing axes (element-wise
        and per-sample losses: each x_k feeds one v_j), one VJP with ones gives
        every d v_j / d x_k; otherwise the full Jacobian, one VJP per output."""
        a = arrays[i]

        def unreduced(x):
            full = list(arrays)
            full[i] = x
            return self._unreduced(full, params)[0]

        if a.shape[: len(vshape)] == tuple(vshape):
            vjp, _ = autograd.make_vjp(unreduced)(a)
            g = np.abs(np.asarray(vjp(np.ones(vshape)), dtype=np.float64)) * np.abs(a)
            return g.reshape(*vshape, -1).sum(axis=-1)
        jac = np.asarray(autograd.jacobian(unreduced)(a), dtype=np.float64)
        return (np.abs(jac.reshape(int(np.prod(vshape)), a.size)) @ np.abs(a.ravel())).reshape(vshape)

    def _one_sided(self, arrays, reduction, cotangent, params, base):
        """Element-wise bounds of the gradients just beside the point.

        Each differentiable input is nudged alone by +-h and by +-h times a fixed
        random direction of mixed signs and sizes (to break ties inside a max, also
        between elements of equal magnitude); the bounds are the
        element-wise min and max of those gradients and the one at the point.
        At a smooth point they collapse onto the gradient (to O(h))."""
        rng = np.random.default_rng(0)
        bounds = {}
        for name in self.differentiable:
            i = self.inputs.index(name)
            a = arrays[i]
            h = 2.0**-30 * np.maximum(np.abs(a), 1.0)
            gs = [base[name]]
            random = rng.uniform(0.5, 1.5, size=a.shape) * rng.choice([-1.0, 1.0], size=a.shape)
            for direction in (np.ones_like(a), random):
                for sign in (1.0, -1.0):
                    nudged = list(arrays)
                    nudged[i] = a + sign * direction * h
                    try:
                        gs.append(self._grad(nudged, reduction, cotangent, params)[name])
                    except ValueError:  # the nudge left the domain (p < 0, a negative rate): no gradient there
                        continue
            stack = np.stack(gs)
            bounds[name] = (np.min(stack, axis=0), np.max(stack, axis=0))
        return bounds


LOSSES: dict[str, Loss] = {}


def register(name, inputs=("input", "target"), differentiable=("input",), reductions=REDUCTIONS):
    """Register `fn` under `name`; its keyword defaults are the loss's parameters."""

    def deco(fn):
        sig = inspect.signature(fn)
        params = {k: p.default for k, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
        positional = tuple(k for k, p in sig.parameters.items() if p.default is inspect.Parameter.empty)
        assert positional == tuple(inputs), f"{name}: signature {positional} != inputs {inputs}"
        if name in LOSSES:
            raise ValueError(f"loss {name!r} registered twice")
        LOSSES[name] = Loss(name, fn, tuple(inputs), tuple(differentiable), params, tuple(reductions),
                            source=inspect.getsource(fn))
        return fn

    return deco


def closed_form_grad(name):
    """Attach a closed-form VJP: fn(*arrays, cot=unreduced cotangent, **params) -> {input: grad}."""

    def deco(fn):
        LOSSES[name].closed_form = fn
        return fn

    return deco


__all__ = ["LOSSES", "register", "closed_form_grad", "anp", "reduce", "accurate_sum", "weights_like"]
