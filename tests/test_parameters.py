"""smoke.assert_parameters_accounted, on a NumPy API of this module: a parameter no case sets fails unless listed
with a reason, and a listed one that a case sets (or the API lacks) is stale."""

import numpy as np
import pytest
import smoke

from adapters import Binding
from tests.fault_adapters import _smooth_l1

API = f"{__name__}.smooth_l1_api"  # the module as pytest imported it: the one whose _call runs


def smooth_l1_api(input, target, reduction="mean", beta=1.0, unused=None):
    return _smooth_l1(np.asarray(input), np.asarray(target), reduction, beta)


def _call(x, y, reduction, beta=1.0):
    return smooth_l1_api(x, y, reduction=reduction, beta=beta)  # looked up at call time: the tracer sees it


BINDINGS = [Binding("smooth_l1", API, _call, params=("beta",), differentiable=(), framework="fault")]


def test_a_parameter_no_case_sets_must_be_listed_with_a_reason():
    with pytest.raises(AssertionError, match=r"smooth_l1_api\(unused\)"):
        smoke.assert_parameters_accounted("tests.fault_adapters", BINDINGS, {})
    smoke.assert_parameters_accounted("tests.fault_adapters", BINDINGS, {API: {"unused": "a stand-in"}})
    with pytest.raises(AssertionError, match="without a reason"):
        smoke.assert_parameters_accounted("tests.fault_adapters", BINDINGS, {API: {"unused": ""}})


def test_a_listed_parameter_that_a_case_sets_or_the_api_lacks_is_stale():
    for entry, why in (({"unused": "x", "beta": "x"}, r"beta\): set by a binding"),
                       ({"unused": "x", "nosuch": "x"}, r"nosuch\): no such parameter")):
        with pytest.raises(AssertionError, match=why):
            smoke.assert_parameters_accounted("tests.fault_adapters", BINDINGS, {API: entry})
