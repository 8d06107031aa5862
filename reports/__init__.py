"""Results files -> a static HTML compatibility site, the baseline diff, compact baselines.

    python -m reports build RESULTS... --out DIR [--baseline FILE...]
    python -m reports diff BASELINE CURRENT [--factor F]
    python -m reports baseline RESULTS... --out DIR

``schema`` is the results format (standard library only), ``load`` reads and merges results files, ``build``
writes the site, ``diff`` compares two runs, ``compact`` writes baselines.  Nothing here imports a framework or
``reference``: the results files carry what the pages show.
"""

from .load import load
from .schema import SCHEMA, ResultsError

__all__ = ["SCHEMA", "ResultsError", "load"]
