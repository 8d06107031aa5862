"""The results format, in one place: schema version, status names, report categories.

No dependencies beyond the standard library: conformance writes results with it,
reports read them with it.  (Being filled in by the redesign: record type, atomic
read/write.)
"""

SCHEMA = "loss-conformance/results/2"

# A cell's status.  "convention": disagrees with the pure definition, agrees with the reference under the
# binding's declared conventions (no registry entry needed).
STATUSES = ("pass", "convention", "fail", "xfail", "xpass", "error", "skip", "crash", "timeout")
GOOD = ("pass", "convention", "xfail")  # moving away from these is a regression
FAILING = ("fail", "error", "xpass", "crash", "timeout")  # any of these fails a run

# The kinds of a registered divergence (conformance/divergences/).  A convention is not among them: it lives on
# its binding (adapters._core.Convention) and its cells have the status "convention".
DIVERGENCE_KINDS = ("bug", "precision", "different-definition", "unchecked-input")
