"""The conformance cases, for every loss: the contract the suite relies on.

Every reference loss has named cases with at least one bad input; arrays are
float64 (or int64 labels); a case tagged bad_input makes the reference raise
ValueError, every other case is accepted at every reduction and has a gradient
of the input's shape for every differentiable input.  (Family-specific checks,
e.g. that no box case gives NaN, stay in the family's test module.)
"""

import numpy as np
import pytest

from conformance.cases import GENERATORS, cases_for
from reference import LOSSES


def test_every_loss_has_cases_and_nothing_else_does():
    assert set(GENERATORS) == set(LOSSES)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_cases_are_accepted_or_rejected_as_tagged(name):
    loss = LOSSES[name]
    cs = cases_for(name)
    assert len(cs) >= 5 and any(c.bad_input for c in cs) and any("interior" in c.tags for c in cs)
    for c in cs:
        assert set(c.arrays) == set(loss.inputs), c.id
        arrays = [c.arrays[k] for k in loss.inputs]
        for a in arrays:
            assert a.dtype in (np.float64, np.int64), (c.id, a.dtype)
        if c.bad_input:
            with pytest.raises(ValueError):
                loss(*arrays, reduction=loss.reductions[0], **c.params)
            continue
        for reduction in loss.reductions:
            v = loss(*arrays, reduction=reduction, **c.params)
            assert v.dtype == np.float64, (c.id, reduction)
        if loss.differentiable:
            g = loss.grad(*arrays, reduction="sum" if "sum" in loss.reductions else loss.reductions[0], **c.params)
            assert all(np.shape(g[k]) == np.shape(c.arrays[k]) for k in loss.differentiable), c.id
