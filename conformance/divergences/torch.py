"""Known divergences of torch from the reference (see conformance/registry.py for the fields)."""

from ..registry import Divergence

DIVERGENCES: list[Divergence] = [
]
