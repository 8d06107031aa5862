"""Framework adapters: every public API that computes a reference loss, bound to it.

Each adapter module (torch, tf_nn, keras, sklearn) defines ``BINDINGS`` (a list of
``Binding``), ``DIFFERENT_DEFINITIONS`` (look-alike APIs that compute something else)
and ``UNBOUND`` ({api: reason} for public loss APIs deliberately left unbound); a module
that holds a stack's primitives also defines ``FRAMEWORK``.  Which modules a stack runs
is ``STACKS`` (adapters/stacks.py).  Importing this package never imports a framework:
the modules import theirs lazily.
"""

import dataclasses
import importlib

from ._core import Binding, Convention, DifferentDefinition, Framework, Unsupported
from .stacks import STACKS, Stack

MODULES = {m: importlib.import_module(f"{__name__}.{m}") for s in STACKS.values() for m in s.modules}


def framework(stack):
    """The Framework (primitives) a stack runs on."""
    return getattr(MODULES[STACKS[stack].framework], STACKS[stack].primitives)


def bindings(stack=None, loss=None):
    """The bindings of one stack (or of every stack), each with ``framework`` set to its stack's name."""
    return [dataclasses.replace(b, framework=s.name) for s in STACKS.values() if stack in (None, s.name)
            for m in s.modules for b in MODULES[m].BINDINGS if loss in (None, b.loss)]


def different_definitions(stack=None):
    return [dataclasses.replace(d, framework=s.name) for s in STACKS.values() if stack in (None, s.name)
            for m in s.modules for d in MODULES[m].DIFFERENT_DEFINITIONS]


BINDINGS = bindings()
DIFFERENT_DEFINITIONS = different_definitions()

__all__ = ["BINDINGS", "DIFFERENT_DEFINITIONS", "MODULES", "STACKS", "Binding", "Convention", "DifferentDefinition",
           "Framework", "Stack", "Unsupported", "bindings", "different_definitions", "framework"]
