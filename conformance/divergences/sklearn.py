"""Known divergences of sklearn from the reference (see conformance/registry.py for the fields)."""

from ..registry import Divergence

DIVERGENCES: list[Divergence] = [
]
