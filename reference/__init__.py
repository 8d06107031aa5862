"""The float64 NumPy reference: one definition per loss, one registry.

    from reference import LOSSES
    LOSSES["smooth_l1"](x, y, beta=0.5, reduction="none")
    LOSSES["smooth_l1"].grad(x, y, beta=0.5, reduction="none", cotangent=c)
"""

from . import boxes, classification, embedding, overlap, ranking, regression, scores, sequence  # noqa: F401
from ._core import LOSSES, REDUCTIONS, Gradient, Loss

__all__ = ["LOSSES", "REDUCTIONS", "Gradient", "Loss"]
