"""The cells.  `pytest conformance --framework torch --results reports/results/torch.json`.

One test per (check, binding, dtype, reduction, case), named
``value[<api>-<dtype>-<reduction>-<case>]`` (likewise ``grad[...]``,
``error[...]``), plus one ``sweep[<api>-<i>]`` per binding with reduction "none" and a sweep in
conformance/sweeps.py, for the report's plots.  What a status means: conformance/suite.py.
"""

import numpy as np
import pytest

from reference import LOSSES

from . import sweeps
from .plugin import RECORD_KEY, SWEEP_KEY, VERSION_KEY
from .suite import CONVENTION, PASS, SKIP, XFAIL, Judge, cells_for
from .worker import Worker, load_framework, unavailable_device


def pytest_generate_tests(metafunc):
    name = metafunc.function.__name__
    if name not in ("value", "grad", "error", "sweep"):
        return
    framework = metafunc.config.getoption("framework")
    if framework is None:
        metafunc.parametrize("cell", [pytest.param(None, marks=pytest.mark.skip(reason="pass --framework NAME"))])
        return
    fw, bindings = load_framework(framework)
    ok, reason = fw.available()
    if ok:
        reason = unavailable_device(fw, metafunc.config.getoption("device"))
        ok = not reason
    if not ok:
        metafunc.parametrize("cell", [pytest.param(None, marks=pytest.mark.skip(reason=reason))])
        return
    if name == "sweep":
        items = [(b, i, p, s) for b in bindings if b.loss in sweeps.SWEEPS and "none" in b.reductions
                 for i, (p, s) in enumerate(sweeps.SWEEPS[b.loss]) if b.supports(p, LOSSES[b.loss].params)]
        metafunc.parametrize("cell", items, ids=[f"{b.id}-{i}" for b, i, _, _ in items])
        return
    cells = [c for c in cells_for(bindings) if c.check == name]
    metafunc.parametrize("cell", cells, ids=[c.id[len(name) + 1:-1] for c in cells])


@pytest.fixture(scope="session")
def judge(pytestconfig):
    worker = Worker(pytestconfig.getoption("framework"), timeout=pytestconfig.getoption("cell_timeout"),
                    isolate=not pytestconfig.getoption("no_isolate"), device=pytestconfig.getoption("device"))
    yield Judge(worker)
    worker.close()


def _judged(cell, judge, request):
    record = judge.run(cell)
    request.node.user_properties.append((RECORD_KEY, record))
    if judge.worker.version:
        request.node.user_properties.append((VERSION_KEY, judge.worker.version))
    status, message = record["status"], record["message"]
    if status in (PASS, CONVENTION):  # a convention: agrees under the binding's declared conventions
        return
    if status == XFAIL:
        pytest.xfail(message)
    if status == SKIP:
        pytest.skip(message)
    pytest.fail(f"[{status}] {message}\n--- repro ---\n{record['repro']}", pytrace=False)


def value(cell, judge, request):
    _judged(cell, judge, request)


def grad(cell, judge, request):
    _judged(cell, judge, request)


def error(cell, judge, request):
    _judged(cell, judge, request)


def sweep(cell, judge, request):
    """Loss and derivative along one input, float32, for the report's plots (no verdict beyond 'it ran')."""
    b, _, params, spec = cell
    loss = LOSSES[b.loss]
    f32 = [a.astype(np.float32) if a.dtype.kind == "f" else a for a in spec.arrays(loss)]
    ref_arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in f32]
    x = spec.xs.astype(np.float32).astype(np.float64)
    accepted = {k: v for k, v in params.items() if k in b.params}
    ones = np.ones(len(x), dtype=np.float32)
    v = judge.worker.call(b.id, "value", f32, "float32", "none", accepted)
    g = judge.worker.call(b.id, "grad", f32, "float32", "none", accepted, ones)
    value = np.asarray(v.result, dtype=np.float64).reshape(-1) if v.kind == "ok" else None
    value = value if value is not None and value.shape == x.shape else None
    grad = spec.pick(np.asarray(g.result[spec.swept], dtype=np.float64)) if (
        g.kind == "ok" and spec.swept in g.result) else None
    ref_value = np.asarray(loss(*ref_arrays, reduction="none", **params), dtype=np.float64).reshape(-1)
    ref_grad = spec.pick(loss.grad(*ref_arrays, reduction="none", **params)[spec.swept])
    conventions = b.convention_params("float32")
    data = {"loss": b.loss, "framework": b.framework, "api": b.id, "dtype": "float32", "params": params,
            "swept": spec.swept, "x": x.tolist(), "x_label": spec.label or spec.swept,
            "value": None if value is None else value.tolist(), "grad": None if grad is None else grad.tolist(),
            "ref_value": ref_value.tolist(), "ref_grad": ref_grad.tolist(),
            "conventions": {k: v for k, v in conventions.items() if not isinstance(v, np.ndarray)}}
    if conventions:
        data["ref_value_conventions"] = np.asarray(loss(*ref_arrays, reduction="none", **params, **conventions),
                                                   dtype=np.float64).reshape(-1).tolist()
    u = np.finfo(np.float32).eps
    if value is not None:  # the distance to the pure definition, in units of float32 against the condition scale
        scale = np.asarray(loss.condition(*ref_arrays, reduction="none", **params), dtype=np.float64).reshape(-1)
        data["value_ulp"] = (np.abs(value - ref_value) / (u * np.maximum(scale, 1e-38))).tolist()
    if grad is not None:
        data["grad_ulp"] = (np.abs(grad - ref_grad) / (u * np.maximum(np.abs(ref_grad), 1e-38))).tolist()
    data = {k: _clean(v) for k, v in data.items()}
    request.node.user_properties.append((SWEEP_KEY, data))
    # A raise is the stack's behaviour on these inputs (the cells judge it; the plot shows no curve); only a call
    # that crashed or hung fails the sweep.
    for out in (v, g):
        assert out.kind in ("ok", "unsupported", "raised"), out.error


def _clean(v):
    """JSON has no NaN/inf: non-finite numbers in sweep lists become null."""
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v
