"""The adapter smoke tests' shared half: which small cases a binding can take.

A case is the suite's first interior case of the loss, then the test module's
own; it applies to a binding when the binding can express its parameters, the
reference accepts it under the binding's conventions, and the API does not
raise Unsupported."""

import warnings

import numpy as np
import pytest

from adapters import Unsupported
from conformance.cases import cases_for
from conformance.suite import resolve
from reference import LOSSES


def candidate_cases(loss, own):
    """[(arrays, params)]: the suite's first interior case, then `own`'s for this loss."""
    suite = [c for c in cases_for(loss) if c.tags == frozenset({"interior"})]
    return [(c.arrays, c.params) for c in suite[:1]] + own.get(loss, [])


def applicable(framework, binding, dtype, reduction, own, keep=lambda loss, arrays: True):
    """[(arrays in dtype, framework params, reference params)] the binding accepts (and `keep` keeps)."""
    if binding.loss not in LOSSES:
        pytest.skip(f"reference loss {binding.loss!r} is not registered")
    loss = LOSSES[binding.loss]
    out = []
    for arrays, params in candidate_cases(binding.loss, own):
        if not binding.supports(params, loss.params) or not keep(binding.loss, arrays):
            continue
        quantized = [np.asarray(arrays[n]).astype(dtype) if np.asarray(arrays[n]).dtype.kind == "f"
                     else np.asarray(arrays[n]) for n in loss.inputs]
        fw_params = {k: v for k, v in params.items() if k in binding.params}
        ref_params = {**params, **resolve(binding.conventions, dtype)}
        try:
            loss(*quantized, reduction=reduction, **ref_params)
        except ValueError:  # outside the domain the conventions give (e.g. log-rates fed to a rate API)
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. sklearn: float32 rows that sum to 1 within float32
                framework.value(binding, quantized, dtype, reduction, fw_params)
        except Unsupported:
            continue
        out.append((quantized, fw_params, ref_params))
    assert out, f"{binding.id}: no applicable case"
    return out
