"""The float64 NumPy reference: one definition per loss, one registry.

    from reference import LOSSES
    LOSSES["smooth_l1"](x, y, beta=0.5, reduction="none")
    LOSSES["smooth_l1"].grad(x, y, beta=0.5, reduction="none", cotangent=c)
"""

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
from ._core import LOSSES, REDUCTIONS, Gradient, Loss

__all__ = ["LOSSES", "REDUCTIONS", "Gradient", "Loss"]
