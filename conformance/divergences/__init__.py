"""Every known divergence between a framework and the reference: data, one entry per mechanism.

One module per framework (torch.py, tensorflow.py, sklearn.py), each a list
``DIVERGENCES`` of ``conformance.registry.Divergence``, built with keywords:
the cells it covers (``Cells``), its kind, its bound (what it absorbs at most:
``Units`` for precision, reference params that reproduce it, an observed
``Signature``, a raise, or what an unchecked input returns), an explanation
and a citation.  What a framework does that no argument controls is not an
entry but a convention on its binding.  Never widen a tolerance instead.
"""

from ..registry import check_registry
from . import sklearn, tensorflow, tf_keras, torch

DIVERGENCES = [*torch.DIVERGENCES, *tensorflow.DIVERGENCES, *sklearn.DIVERGENCES, *tf_keras.DIVERGENCES]

check_registry(DIVERGENCES)
