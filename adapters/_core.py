"""What a binding is, and what every framework adapter provides.

A binding says: this public framework API, called this way, computes this
reference loss, with these conventions.  ``fn`` takes the canonical arrays (as
framework tensors of the requested dtype, in the reference's ``inputs`` order
and layout) plus ``reduction`` and the reference parameters it accepts, and does
the framework's own argument mapping inside: ``y_true`` first, class axis last,
``delta`` for ``beta``, {0, 1} labels for {-1, 1}, ...  Everything the framework
does that no argument controls is declared in ``conventions`` as reference
parameters, so that ``reference(..., **conventions)`` reproduces the framework.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


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
    framework: str  # "torch" | "tensorflow" | "sklearn"
    api: str  # the public dotted name a user calls
    fn: Callable = field(repr=False, compare=False)
    expression: str = ""  # the call as a user writes it, canonical names: "F.smooth_l1_loss(x, y, beta=beta)"
    kind: str = "direct"  # "direct" | "composed" (more than the one call; `expression` shows it)
    variant: str = ""  # tells two bindings of one api apart, e.g. "from_logits=True"
    reductions: tuple = ("none", "mean", "sum")
    dtypes: tuple = ("float32", "float64")
    params: tuple = ()  # reference parameters the API can express (others must be at their default)
    conventions: dict = field(default_factory=dict)  # reference params that reproduce its fixed behaviour
    # Reference params the API is pinned to (a variant, not a deviation): e.g. Keras Dice takes
    # probabilities, {"from_logits": False}.  Only cases with these values run on the binding.
    fixed: dict = field(default_factory=dict)
    requires: str = ""  # a module beyond the framework's own that the binding needs (e.g. "torchvision")
    differentiable: tuple | None = None  # None: the reference's; () for value-only APIs
    note: str = ""

    def convention_params(self, dtype):
        """The reference parameters of all declared conventions, resolved for this dtype."""
        if isinstance(self.conventions, dict):  # legacy form: {param: value or dtype -> value}
            return {k: v(dtype) if callable(v) else v for k, v in self.conventions.items()}
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
    framework: str
    api: str
    explanation: str
    citation: str


class Framework:
    """The per-framework half: conversion to and from tensors, autodiff, version."""

    name = ""
    module = ""  # the import whose absence makes every binding unavailable

    def available(self):
        """(True, "") or (False, reason).  Looks for the module without importing it (TensorFlow
        takes seconds to import); a broken install shows up as errors on the cells, with the message."""
        if importlib.util.find_spec(self.module) is None:
            return False, f"{self.module} is not installed"
        return True, ""

    def version(self):
        raise NotImplementedError

    def value(self, binding, arrays, dtype, reduction, params):
        """The loss as a float64 ndarray."""
        raise NotImplementedError

    def grad(self, binding, arrays, dtype, reduction, params, cotangent):
        """{input: d/d input of sum(cotangent * loss)} through the framework's autodiff."""
        raise NotImplementedError
