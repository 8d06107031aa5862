"""Results files -> a static HTML compatibility site, and the baseline diff.

    python -m reports build RESULTS... --out DIR [--baseline FILE...]
    python -m reports diff BASELINE CURRENT [--factor F]

``load`` reads and merges results files, ``build`` writes the site, ``diff``
compares two runs, ``synthetic`` makes results files for tests and benchmarks.
Nothing here imports a framework.
"""

from .load import SCHEMA, ResultsError, load

__all__ = ["SCHEMA", "ResultsError", "load"]
