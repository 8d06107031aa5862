"""All cases, by loss.  ``cases_for("smooth_l1")`` -> [Case, ...]."""

from . import boxes, classification, embedding, regression, scores, sequence  # noqa: F401  (each registers generators)
from ._core import GENERATORS, Case, cases, cases_for

__all__ = ["GENERATORS", "Case", "cases", "cases_for"]
