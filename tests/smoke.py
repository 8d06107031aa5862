"""The adapter smoke tests' shared half: small cases, judged by the suite's one judge and one tolerance.

A binding's smoke cases are the suite's first interior case it can express, then the test module's own
for its loss (one per parameter mapping); each becomes a ``conformance.suite.Cell`` and is run by
``conformance.suite.Judge`` on an in-process worker of the stack.  A cell agrees when its status is "pass",
or "convention" (it differs from the pure definition but agrees under the binding's declared conventions), or
"xfail": a divergence the registry holds (the suite's own interior cases are registered there where a framework
is less accurate than the tolerance; the registry, not this test, is the one place that says so).
"""

import numpy as np

from conformance.cases import Case, cases_for
from conformance.suite import Cell, Judge, cell_inputs
from conformance.worker import Worker
from reference import LOSSES
from reports.schema import GOOD

AGREES = GOOD  # pass, convention, xfail
_JUDGES = {}


def judge(stack):
    """One in-process judge per stack (the reference side is cached across its cells)."""
    if stack not in _JUDGES:
        _JUDGES[stack] = Judge(Worker(stack, isolate=False))
    return _JUDGES[stack]


def own(label, cases):
    """A test module's cases, {loss: [(id, arrays, params)]}, as {loss: [Case]}.  Their ids start with the module's
    label, so that no registry entry for a suite case of that name covers them and the judge's reference cache
    (keyed by case id) never mixes two modules' cases."""
    return {loss: [Case(loss, f"{label}-{id}", arrays, params) for id, arrays, params in items]
            for loss, items in cases.items()}


def cases(binding, own, keep=lambda case: True):
    """[Case] for this binding: the suite's first interior case it can express, then `own`'s for its loss,
    those it can express and the reference accepts under its conventions."""
    loss = LOSSES[binding.loss]
    suite = [c for c in cases_for(binding.loss) if c.tags == frozenset({"interior"})][:1]
    out = []
    for case in suite + own.get(binding.loss, []):
        if not binding.supports(case.params, loss.params) or not keep(case):
            continue
        cell = Cell(binding, case, "value", binding.dtypes[0], binding.reductions[0])
        _, _, ref_arrays, ref_params = cell_inputs(cell)
        try:
            loss(*ref_arrays, reduction="none" if "none" in loss.reductions else loss.reductions[0],
                 **{**ref_params, **binding.convention_params(cell.dtype)})
        except ValueError:  # outside the domain the conventions give (e.g. log-rates fed to a rate API)
            continue
        out.append(case)
    return out


def run(stack, binding, check, dtype, reduction, own, keep=lambda case: True):
    """The records of the binding's smoke cells that ran (a case its API cannot express is a skip, left out)."""
    records = [judge(stack).run(Cell(binding, case, check, dtype, reduction)) for case in cases(binding, own, keep)]
    records = [r for r in records if r["status"] != "skip"]
    assert records, f"{binding.id}: no smoke case could be expressed"
    return records


def assert_agree(records):
    bad = [f"{r['api']} {r['check']} {r['dtype']} {r['reduction']} case={r['case']}: {r['status']}: {r['message']}"
           for r in records if r["status"] not in AGREES]
    assert not bad, "\n".join(bad)


def reductions(binding):
    return [r for r in LOSSES[binding.loss].reductions if r in binding.reductions]


def exercised(binding, own, keep=lambda case: True):
    """The parameters the binding accepts that some applicable smoke case sets to a non-default value."""
    defaults = LOSSES[binding.loss].params
    return {k for c in cases(binding, own, keep) for k, v in c.params.items()
            if k in binding.params and not _same(v, defaults.get(k))}


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return a == b
