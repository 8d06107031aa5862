"""All cases, by loss.  ``cases_for("smooth_l1")`` -> [Case, ...]."""

from . import boxes, classification, embedding, overlap, ranking, regression, scores, sequence  # noqa: F401
from ._core import GENERATORS, Case, cases, cases_for

__all__ = ["GENERATORS", "Case", "cases", "cases_for"]
