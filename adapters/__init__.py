"""Framework adapters: every public API that computes a reference loss, bound to it.

Each framework module (torch, tensorflow, sklearn) defines ``FRAMEWORK`` (a
``Framework``), ``BINDINGS`` (a list of ``Binding``), ``DIFFERENT_DEFINITIONS``
(look-alike APIs that compute something else) and ``UNBOUND`` ({api: reason}
for public loss APIs deliberately left unbound).  Importing this package never
imports a framework: the modules import theirs lazily.
"""

from . import sklearn, tensorflow, torch
from ._core import Binding, DifferentDefinition, Framework, Unsupported

MODULES = {"torch": torch, "tensorflow": tensorflow, "sklearn": sklearn}
FRAMEWORKS = {name: m.FRAMEWORK for name, m in MODULES.items()}
BINDINGS = [b for m in MODULES.values() for b in m.BINDINGS]
DIFFERENT_DEFINITIONS = [d for m in MODULES.values() for d in m.DIFFERENT_DEFINITIONS]


def bindings(framework=None, loss=None):
    return [b for b in BINDINGS if (framework in (None, b.framework)) and (loss in (None, b.loss))]


__all__ = ["BINDINGS", "DIFFERENT_DEFINITIONS", "FRAMEWORKS", "MODULES", "Binding", "DifferentDefinition",
           "Framework", "Unsupported", "bindings"]
