"""Properties of every reference loss on every conformance case, in the style of scikit-learn's test_common.

One table instead of a copy per family module: each test below is parametrized over every loss
(``reference.LOSSES``) and every case (``conformance.cases.cases_for``), so a new loss or case is
covered without touching this file.  The family modules keep what is particular to a loss: its mpmath
oracle (every value it checks is counted in ``numerics.ORACLE_POINTS``) and its loss-specific identities.

- the case contract: arrays' dtypes, accepted at every reduction, gradient shapes;
- mean = sum / denominator, sum = the correctly rounded sum of the unreduced loss;
- a closed-form gradient equals the autograd gradient (every loss with ``closed_form``);
- central finite differences (random cotangents, random directions) on every interior case;
- a bad input raises ValueError naming the argument the case states, matching its pattern;
- one-sided bounds collapse onto the gradient at smooth points (interior, branch), and stand apart at kinks;
- nothing forgotten: oracle points for every loss, a binding or the reference_only tag for every case,
  a case for every parameter a binding accepts;
- every case does what it says: a parameter a case sets changes the value and the gradient beyond the
  suite's float32 tolerance, and each parameter path has at least two such cases.
"""

from __future__ import annotations

import math
import os
import re
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from numerics import ORACLE_MODULES, ORACLE_POINTS, directional_fd

import adapters
from conformance import tolerance
from conformance.cases import GENERATORS, cases_for
from reference import LOSSES
from reference._core import accurate_sum

CASES = [c for name in sorted(LOSSES) for c in cases_for(name)]
BY_ID = {(c.loss, c.id): c for c in CASES}
VALID = [c for c in CASES if not c.bad_input]
BAD = [c for c in CASES if c.bad_input]


def cid(case):
    return f"{case.loss}/{case.id}"


def arrays_of(case, dtype=None):
    """The case's arrays in the loss's input order (float arrays rounded through `dtype` if given)."""
    out = [case.arrays[k] for k in LOSSES[case.loss].inputs]
    return [a.astype(dtype).astype(np.float64) if dtype and a.dtype.kind == "f" else a for a in out]


def elementwise(loss):
    return "none" if "none" in loss.reductions else loss.reductions[0]


def cotangent(case, shape):
    return np.random.default_rng(zlib.crc32(cid(case).encode())).normal(size=shape)


def is_default(value, default):
    if isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return isinstance(value, np.ndarray) and isinstance(default, np.ndarray) and np.array_equal(value, default)
    return value == default


# ---------------------------------------------------------------- the case contract


def test_every_loss_has_cases_and_nothing_else_does():
    assert set(GENERATORS) == set(LOSSES)
    for name in LOSSES:
        cs = cases_for(name)
        assert len(cs) >= 5 and any(c.bad_input for c in cs) and any("interior" in c.tags for c in cs), name


@pytest.mark.parametrize("case", VALID, ids=cid)
def test_case_is_accepted_at_every_reduction(case):
    loss = LOSSES[case.loss]
    assert set(case.arrays) == set(loss.inputs)
    arrays = arrays_of(case)
    assert all(a.dtype in (np.float64, np.int64) for a in arrays)
    for reduction in loss.reductions:
        assert loss(*arrays, reduction=reduction, **case.params).dtype == np.float64, reduction
    if loss.differentiable:
        g = loss.grad(*arrays, reduction=loss.reductions[-1], **case.params)
        assert all(np.shape(g[k]) == np.shape(case.arrays[k]) for k in loss.differentiable)


@pytest.mark.parametrize("case", BAD, ids=cid)
def test_bad_input_raises_naming_the_argument(case):
    loss = LOSSES[case.loss]
    argument, pattern = case.error
    assert argument in loss.inputs or argument in loss.params, case.error
    with pytest.raises(ValueError, match=pattern) as info:
        loss(*arrays_of(case), reduction=loss.reductions[0], **case.params)
    assert re.search(rf"(?<!\w){re.escape(argument)}(?!\w)", str(info.value)), (argument, str(info.value))


# ---------------------------------------------------------------- reductions


@pytest.mark.parametrize("case", [c for c in VALID if {"mean", "sum"} <= set(LOSSES[c.loss].reductions)], ids=cid)
def test_mean_is_sum_over_denominator(case):
    loss = LOSSES[case.loss]
    arrays = arrays_of(case)
    prepared, params = loss._prepare(arrays, "sum", case.params)
    with np.errstate(all="ignore"):
        v, denominator = loss._unreduced(prepared, params)
        v = np.asarray(v, dtype=np.float64)
        total = loss(*arrays, reduction="sum", **case.params)
        mean = loss(*arrays, reduction="mean", **case.params)
        if "none" in loss.reductions:
            assert np.array_equal(loss(*arrays, reduction="none", **case.params), v, equal_nan=True)
        assert np.array_equal(total, accurate_sum(v), equal_nan=True)
        if "batchmean" in loss.reductions:  # kl_div: the sum over the batch size
            assert loss(*arrays, reduction="batchmean", **case.params) == pytest.approx(
                total / (v.shape[0] if v.ndim else 1), rel=4 * 2.0**-52, abs=1e-300, nan_ok=True)
        if np.ndim(denominator) > 0:  # per-element divisors: the mean of v / d
            expected = accurate_sum(v / denominator) / v.size
        else:
            expected = total / (v.size if denominator is None else denominator)
    if np.isfinite(expected):
        assert mean == pytest.approx(expected, rel=4 * 2.0**-52, abs=1e-300)
    else:
        assert np.array_equal(mean, expected, equal_nan=True)


# ---------------------------------------------------------------- gradients

# (loss, parameter): (the check it cannot move, why).  The test checks that it indeed does not.
INSENSITIVE = {
    ("poisson_nll", "full"): ("grad", "the Stirling term y log y - y + log(2 pi y) / 2 is constant in the input"),
    ("gaussian_nll", "full"): ("grad", "the term log(2 pi) / 2 is a constant"),
    ("ciou", "detach_alpha"): ("value", "it only stops the gradient through alpha"),
    ("ctc", "zero_infinity"): ("grad", "an impossible alignment has gradient 0 either way (the reference defines so)"),
}


CLOSED = [c for c in VALID if LOSSES[c.loss].closed_form is not None and not c.kink]


@pytest.mark.parametrize("case", CLOSED, ids=cid)
def test_closed_form_equals_autograd(case, monkeypatch):
    loss = LOSSES[case.loss]
    arrays = arrays_of(case)
    for reduction in loss.reductions:
        cot = cotangent(case, np.shape(loss(*arrays, reduction=reduction, **case.params)))
        closed = loss.grad(*arrays, reduction=reduction, cotangent=cot, **case.params)
        with monkeypatch.context() as m:
            m.setattr(loss, "closed_form", None)  # the same Loss through autograd
            auto = loss.grad(*arrays, reduction=reduction, cotangent=cot, **case.params)
        for k in loss.differentiable:  # normwise, as the suite judges; where autograd overflows or meets 0/0
            finite = np.isfinite(closed[k]) & np.isfinite(auto[k])  # the closed form exists to give the limit
            err = np.max(np.abs(closed[k][finite] - auto[k][finite]), initial=0.0)
            assert err <= 1e-12 * tolerance.grad_scale(auto[k]), (reduction, k, err)


INTERIOR = [c for c in VALID if "interior" in c.tags and LOSSES[c.loss].differentiable]
# a parameter that changes only the gradient (detach_alpha) makes it differ from the derivative on purpose
GRADIENT_ONLY = {(name, p) for (name, p), (check, _) in INSENSITIVE.items() if check == "value"}


@pytest.mark.parametrize("case", [c for c in INTERIOR if not any((c.loss, p) in GRADIENT_ONLY for p in c.params)],
                         ids=cid)
def test_gradient_matches_finite_differences(case):
    """d/dt sum(c * loss(x + t u)) = <grad, u>: Richardson-extrapolated central differences along random
    directions u with random cotangents c, for every differentiable input, unreduced and mean (sum is the
    unreduced loss with a constant cotangent)."""
    loss = LOSSES[case.loss]
    arrays = arrays_of(case)
    rng = np.random.default_rng(zlib.crc32(cid(case).encode()))
    for reduction in dict.fromkeys([elementwise(loss), "mean" if "mean" in loss.reductions else loss.reductions[-1]]):
        def f(*a, reduction=reduction):
            return loss(*a, reduction=reduction, **case.params)

        cot = rng.normal(size=np.shape(f(*arrays)))
        g = loss.grad(*arrays, reduction=reduction, cotangent=cot, **case.params)
        for k in loss.differentiable:
            i = loss.inputs.index(k)
            u = rng.normal(size=np.shape(arrays[i])) * np.minimum(np.abs(arrays[i]), 1.0)  # small rates stay > 0
            fd = directional_fd(f, arrays, i, u, cot, h=1e-4)
            an = float(np.sum(g[k] * u))
            assert abs(an - fd) <= 1e-6 * (abs(fd) + np.sum(np.abs(g[k] * u))) + 1e-12, (reduction, k, an, fd)


def one_sided_gap(case):
    """max over inputs of max(hi - lo) of the one-sided bounds, relative to the gradient's size."""
    return _one_sided_gap(case.loss, case.id)


@cache
def _one_sided_gap(name, id):
    case = BY_ID[name, id]
    loss = LOSSES[case.loss]
    arrays = arrays_of(case)
    r = elementwise(loss)
    cot = cotangent(case, np.shape(loss(*arrays, reduction=r, **case.params)))
    g = loss.grad(*arrays, reduction=r, cotangent=cot, **case.params)
    gaps = []
    for k, (lo, hi) in g.one_sided.items():
        assert np.all((lo <= g[k]) & (g[k] <= hi) | np.isnan(g[k])), k
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf where the gradient is infinite
            gaps.append(np.max(np.nan_to_num(hi - lo), initial=0.0) / max(tolerance.grad_scale(g[k]), 1e-300))
    return max(gaps)


KINK_GAP = 1e-4  # the nudges are 2**-30 max(|x|, 1): at a smooth point the bounds differ by O(1e-9 / min(|x|, 1))


@pytest.mark.parametrize("case", INTERIOR + [c for c in VALID if "branch" in c.tags], ids=cid)
def test_one_sided_bounds_collapse_at_smooth_points(case):
    assert one_sided_gap(case) <= KINK_GAP


@pytest.mark.parametrize("case", [c for c in VALID if c.kink], ids=cid)
def test_kink_cases_sit_on_a_kink(case):
    assert one_sided_gap(case) > KINK_GAP, "the one-sided gradients agree: not a kink (a C1 branch point is 'branch')"


# ---------------------------------------------------------------- nothing forgotten


FAMILIES = {p.stem for p in Path(__file__).parent.glob("test_reference_*.py")}


@pytest.mark.after_oracles
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_has_oracle_points(name):
    """Counted by numerics.check_value as the family modules' oracle tests run (conftest.py orders this last)."""
    if ORACLE_MODULES != FAMILIES or os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("needs every family module's oracle tests in this session, in this process")
    assert ORACLE_POINTS.get(name, 0) >= 20, "fewer than 20 values checked against an mpmath oracle"


def reaches(case, binding):
    loss = LOSSES[case.loss]
    return (binding.loss == case.loss and binding.supports(case.params, loss.params) and bool(binding.dtypes)
            and any(r in loss.reductions for r in binding.reductions))


BOUND = {b.loss for b in adapters.BINDINGS}


@pytest.mark.parametrize("case", CASES, ids=cid)
def test_every_case_reaches_a_binding_or_is_reference_only(case):
    """A loss no stack binds is reference-only as a whole (derived here, not tagged); otherwise a case no
    binding can take says so with the tag reference_only and why in its note, and only such a case does."""
    tagged = "reference_only" in case.tags
    if case.loss not in BOUND:
        assert not tagged, "the whole loss is reference-only: no binding of any stack"
        return
    reached = [b.id for b in adapters.BINDINGS if reaches(case, b)]
    if tagged:
        assert not reached and case.note, f"tagged reference_only, but reaches {reached}"
    else:
        assert reached, "no binding takes this case: tag it reference_only, with the reason in its note"


BINDING_PARAMS = [(b, p) for b in adapters.BINDINGS for p in b.params]


@pytest.mark.parametrize("binding,param", BINDING_PARAMS, ids=[f"{b.framework}:{b.id}:{p}" for b, p in BINDING_PARAMS])
def test_every_binding_parameter_is_exercised(binding, param):
    loss = LOSSES[binding.loss]
    assert param in loss.params
    assert any(param in c.params and not is_default(c.params[param], loss.params[param]) and reaches(c, binding)
               for c in VALID), "no case sets it to a non-default value this binding takes"


# ---------------------------------------------------------------- every case does what it says


PARAM_CASES = [(c, p) for c in VALID for p, v in c.params.items()
               if not is_default(v, LOSSES[c.loss].params[p])
               and np.size(LOSSES[c.loss](*arrays_of(c), reduction=elementwise(LOSSES[c.loss]), **c.params))]
# (a case whose loss has no element, e.g. an empty batch in rate form for Keras, has nothing to tell apart)


def sensitivity(case, param):
    """{check: error in float32 units} of the reference with `param` back at its default against the case
    (inf where the default rejects the case's arrays), judged as a float32 cell would be."""
    return _sensitivity(case.loss, case.id, param)


@cache
def _sensitivity(name, id, param):
    case = BY_ID[name, id]
    loss = LOSSES[case.loss]
    arrays = arrays_of(case, np.float32)
    params = {k: v.astype(np.float32).astype(np.float64) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
              for k, v in case.params.items()}
    default = {**params, param: loss.params[param]}
    r = elementwise(loss)
    try:
        v0 = loss(*arrays, reduction=r, **default)
    except ValueError:  # e.g. targets holding -1 with ignore_index back at -100
        return {"value": math.inf, "grad": math.inf}
    out = {}
    v = loss(*arrays, reduction=r, **params)
    if np.shape(v0) != np.shape(v):  # whole_batch: one value, not one per sample; the shapes tell them apart
        r = loss.reductions[-1]  # unreduced, so compare where both are one value
        v = loss(*arrays, reduction=r, **params)
    out["value"] = tolerance.compare(loss(*arrays, reduction=r, **default), v,
                                     loss.condition(*arrays, reduction=r, **params), "float32")[2]
    if loss.differentiable:
        cot = cotangent(case, np.shape(v))
        g = loss.grad(*arrays, reduction=r, cotangent=cot, **params)
        g0 = loss.grad(*arrays, reduction=r, cotangent=cot, **default)
        out["grad"] = max(tolerance.compare(g0[k], g[k], tolerance.grad_scale(g[k]), "float32")[2]
                          for k in loss.differentiable)
    return out


def sensitive(case, param):
    exempt = INSENSITIVE.get((case.loss, param), ("",))[0]
    return all(err > tolerance.THRESHOLD[check] for check, err in sensitivity(case, param).items() if check != exempt)


@pytest.mark.parametrize("case,param", PARAM_CASES, ids=[f"{cid(c)}:{p}" for c, p in PARAM_CASES])
def test_case_is_sensitive_to_each_parameter_it_sets(case, param):
    errors = sensitivity(case, param)
    exempt = INSENSITIVE.get((case.loss, param), ("",))[0]
    for check, err in errors.items():
        if check == exempt:
            assert err == 0.0, f"exempt from {check}, but {param} moves it by {err:.3g} units"
        else:
            assert err > tolerance.THRESHOLD[check], (
                f"{check}: the reference with {param} at its default is within {err:.3g} float32 units "
                f"(tolerance {tolerance.THRESHOLD[check]}): a framework ignoring {param} would pass")


PATHS = sorted({(c.loss, p) for c, p in PARAM_CASES})


# A binding's convention parameter is checked on every cell of that binding; one case pins it in the reference.
CONVENTIONS = {(b.loss, k) for b in adapters.BINDINGS for dtype in b.dtypes for k in b.convention_params(dtype)}


@pytest.mark.parametrize("name,param", [p for p in PATHS if p not in CONVENTIONS], ids=lambda v: str(v))
def test_each_parameter_path_has_two_sensitive_cases(name, param):
    hits = [c.id for c, p in PARAM_CASES if c.loss == name and p == param and sensitive(c, p)]
    assert len(hits) >= 2, hits


def test_insensitivity_exemptions_are_used():
    assert set(INSENSITIVE) <= set(PATHS)
