"""All cases, by loss.  ``cases_for("smooth_l1")`` -> [Case, ...]."""

from . import (  # noqa: F401 (they register)
    boxes,
    classification,
    embedding,
    overlap,
    ranking,
    regression,
    sampled,
    scores,
    sequence,
)
from ._core import GENERATORS, Case, cases, cases_for

__all__ = ["GENERATORS", "Case", "cases", "cases_for"]
