"""Every known divergence between a framework and the reference: data, one entry each.

One module per framework (torch.py, tensorflow.py, sklearn.py), each a list
``DIVERGENCES`` of ``conformance.registry.Divergence``.  Add an entry only with
an explanation a number can check where one can (``params`` for a convention:
the reference with them must reproduce the framework at the normal tolerance)
and a citation; never widen a tolerance instead.
"""

from ..registry import check_registry
from . import sklearn, tensorflow, torch

DIVERGENCES = [*torch.DIVERGENCES, *tensorflow.DIVERGENCES, *sklearn.DIVERGENCES]

check_registry(DIVERGENCES)
