"""Every known divergence between a framework and the reference: data, one entry per mechanism.

One module per stack (torch.py, tensorflow.py, ...: every module of this package is read), each a list
``DIVERGENCES`` of ``conformance.registry.Divergence``, built with keywords:
the cells it covers (``Cells``), its kind, its bound (what it absorbs at most:
``Units`` for precision, reference params that reproduce it, an observed
``Signature``, a raise, or what an unchecked input returns), an explanation
and a citation.  What a framework does that no argument controls is not an
entry but a convention on its binding.  Never widen a tolerance instead.
"""

import importlib
import pkgutil

from ..registry import check_registry

DIVERGENCES = [d for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
               for d in importlib.import_module(f"{__name__}.{m.name}").DIVERGENCES]

check_registry(DIVERGENCES)
