"""Every known divergence between a framework and the reference: data, one entry each.

Fields: see conformance/registry.py.  Add an entry only with an explanation a
number can check (``params`` for a convention) and a citation; never widen a
tolerance instead.
"""

from .registry import Divergence, check_registry

DIVERGENCES: list[Divergence] = [
]

check_registry(DIVERGENCES)
