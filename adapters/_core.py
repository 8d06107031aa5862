"""What a binding is, and what every framework adapter provides.

A binding says: this public framework API, called this way, computes this
reference loss, with these conventions (``Convention`` objects).  ``fn`` takes the canonical arrays (as
framework tensors of the requested dtype, in the reference's ``inputs`` order
and layout) plus ``reduction`` and the reference parameters it accepts, and does
the framework's own argument mapping inside: ``y_true`` first, class axis last,
``delta`` for ``beta``, {0, 1} labels for {-1, 1}, ...  Everything the framework
does that no argument controls is declared in ``conventions`` as reference
parameters with why and a citation, so that
``reference(..., **binding.convention_params(dtype))`` reproduces the framework.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# The UNBOUND reason of a public API whose reference loss is new or still to write: binding it is the remaining
# work of issue 11 (every API that computes one of LOSSES.md's losses is bound).


class Unsupported(Exception):
    """Raised by a binding for a parameter value or input its API cannot express."""


def lazy(module_name):
    """A stand-in for a module that is imported on first attribute access."""

    class _Lazy:
        def __getattr__(self, attr):
            return getattr(importlib.import_module(module_name), attr)

        def __repr__(self):
            return f"<lazy {module_name}>"

    return _Lazy()


@dataclass(frozen=True)
class Convention:
    """What a stack does that no argument controls, as reference parameters, with why and where it says so.

    ``params`` values may be callables of the dtype name (sklearn clips at the dtype's epsilon).  A cell whose
    framework result differs from the pure definition but agrees with ``reference(..., **params)`` at the normal
    tolerance has the status "convention": agrees under a declared convention."""

    params: dict
    why: str
    citation: str

    def resolve(self, dtype):
        return {k: v(dtype) if callable(v) else v for k, v in self.params.items()}


@dataclass(frozen=True)
class Binding:
    loss: str  # reference name, a key of reference.LOSSES
    api: str  # the public dotted name a user calls
    fn: Callable = field(repr=False, compare=False)
    expression: str = ""  # the call as a user writes it, canonical names: "F.smooth_l1_loss(x, y, beta=beta)"
    kind: str = "direct"  # "direct" | "composed" (more than the one call; `expression` shows it)
    variant: str = ""  # tells two bindings of one api apart, e.g. "from_logits=True"
    reductions: tuple = ("none", "mean", "sum")
    dtypes: tuple = ("float32", "float64")
    params: tuple = ()  # reference parameters the API can express (others must be at their default)
    conventions: tuple = ()  # Convention objects: what the API does that no argument controls
    # Reference params the API is pinned to (a variant, not a deviation): e.g. Keras Dice takes
    # probabilities, {"from_logits": False}.  Only cases with these values run on the binding.
    fixed: dict = field(default_factory=dict)
    requires: str = ""  # a module beyond the framework's own that the binding needs (e.g. "torchvision")
    differentiable: tuple | None = None  # None: the reference's; () for value-only APIs
    note: str = ""  # how the arguments are mapped (a convention says why in its own object)
    framework: str = ""  # the stack that runs it: set by adapters.bindings(), not by the adapter module

    def convention_params(self, dtype):
        """The reference parameters of all declared conventions, resolved for this dtype."""
        out = {}
        for c in self.conventions:
            out.update(c.resolve(dtype))
        return out

    @property
    def id(self):
        return f"{self.api}[{self.variant}]" if self.variant else self.api

    def supports(self, params, defaults):
        """Can this API express these reference parameter values?"""
        full = {**defaults, **params}
        return all(_same(full.get(k), v) for k, v in self.fixed.items()) and all(
            k in self.params or k in self.fixed or _same(v, defaults.get(k)) for k, v in params.items())

    def available(self):
        """(True, "") or (False, reason) for what the binding needs beyond its framework."""
        if self.requires and importlib.util.find_spec(self.requires) is None:
            return False, f"{self.requires} is not installed"
        return True, ""


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b or (a is not None and b is not None and np.array_equal(a, b))
    return a == b


@dataclass(frozen=True)
class DifferentDefinition:
    """A same-named or look-alike API that computes something else: why, and where it says so."""

    loss: str
    api: str
    explanation: str
    citation: str
    framework: str = ""  # set by adapters.different_definitions()


class Framework:
    """The few primitives a stack implements: tensors in and out, a vector-Jacobian product, version, devices.

    ``value`` and ``grad`` are written once, here, on top of them."""

    module = ""  # the import whose absence makes every binding unavailable
    device = "cpu"  # where every tensor is placed and computed on: one of devices(), set by load_framework

    def available(self):
        """(True, "") or (False, reason).  Looks for the module without importing it (TensorFlow
        takes seconds to import); a broken install shows up as errors on the cells, with the message."""
        if importlib.util.find_spec(self.module) is None:
            return False, f"{self.module} is not installed"
        return True, ""

    # -- the primitives
    def to_tensor(self, array, dtype, device="cpu"):
        """A framework tensor of ``dtype`` ("float32", "float64", "int64") holding ``array``."""
        raise NotImplementedError

    def to_numpy(self, tensor):
        """A float64 ndarray."""
        raise NotImplementedError

    def vjp(self, fn, primals, cotangent):
        """(fn(*primals), [d/d p of sum(cotangent * fn(*primals)) for p in primals]) through the framework's
        autodiff; an input the output does not depend on gets zeros.  ``cotangent`` (an ndarray, broadcast to
        the output's shape) or None for ones."""
        raise NotImplementedError(f"{type(self).__name__} has no gradient")

    def version(self):
        """{package: version}."""
        return {self.module: installed_version(self.module)}

    def devices(self):
        """The devices this stack can place tensors on here (a GPU as "cuda")."""
        return ("cpu",)

    def context(self):
        """Entered around every framework call (torch: one thread, warnings off; where the stack has a default
        device, ``self.device``, so that tensors a binding makes land beside its inputs)."""
        return contextlib.nullcontext()

    # -- written once
    def _tensors(self, arrays, dtype, params):
        return [self._convert(a, dtype) for a in arrays], {
            k: self._convert(v, dtype) if isinstance(v, np.ndarray) else v for k, v in params.items()}

    def _convert(self, a, dtype):
        """Float arrays to the cell's dtype, integer (and boolean) arrays to int64."""
        a = np.asarray(a)
        if a.dtype.kind == "f":
            return self.to_tensor(a, dtype, self.device)
        if a.dtype.kind in "iub":
            return self.to_tensor(a, "int64", self.device)
        raise Unsupported(f"cannot convert an array of dtype {a.dtype} to a {type(self).__name__} tensor")

    def value(self, binding, arrays, dtype, reduction, params):
        """The loss as a float64 ndarray."""
        with self.context():
            tensors, params = self._tensors(arrays, dtype, params)
            return self.to_numpy(binding.fn(*tensors, reduction=reduction, **params))

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        """{input: d/d input of sum(cotangent * loss)} for the differentiable inputs, through the framework's
        autodiff (the reference's ``differentiable``, or the binding's).  An input the framework gives no gradient
        for (``vjp`` returns None there) is left out: the suite records it as such."""
        names, idx = grad_inputs(binding)
        cot = None if cotangent is None else np.asarray(cotangent, dtype=dtype)
        with self.context():
            tensors, params = self._tensors(arrays, dtype, params)

            def fn(*primals):
                return binding.fn(*replaced(tensors, idx, primals), reduction=reduction, **params)

            _, grads = self.vjp(fn, [tensors[i] for i in idx], cot)
            return {n: self.to_numpy(g) for n, g in zip(names, grads, strict=True) if g is not None}


def grad_inputs(binding):
    """(names, positions among the loss's inputs) of the inputs a gradient is taken of: the reference's
    ``differentiable``, or the binding's."""
    from reference import LOSSES  # the canonical input names; the reference imports no framework

    loss = LOSSES[binding.loss]
    names = loss.differentiable if binding.differentiable is None else binding.differentiable
    return names, [loss.inputs.index(n) for n in names]


def replaced(items, idx, values):
    """A list of ``items`` with ``items[i]`` replaced by the matching value, for i in ``idx``."""
    out = list(items)
    for i, v in zip(idx, values, strict=True):
        out[i] = v
    return out


def installed_version(module):
    """``module.__version__`` as a str, or None where it does not import."""
    try:
        return str(importlib.import_module(module).__version__)
    except Exception:
        return None
