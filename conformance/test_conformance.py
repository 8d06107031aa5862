"""The cells.  `pytest conformance --framework torch --results reports/results/torch.json`.

One test per (check, binding, dtype, reduction, case), named
``value[<api>-<dtype>-<reduction>-<case>]`` (likewise ``grad[...]``,
``error[...]``), plus one ``sweep[<api>]`` per element-wise binding for the
report's plots.  What a status means: conformance/suite.py.
"""

import numpy as np
import pytest

from reference import LOSSES

from . import sweeps
from .plugin import RECORD_KEY, SWEEP_KEY, VERSION_KEY
from .suite import CONVENTION, PASS, SKIP, XFAIL, Judge, cells_for
from .worker import Worker, load_framework


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
                    isolate=not pytestconfig.getoption("no_isolate"))
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
    xs, arrays = sweeps.sweep_arrays(loss, spec)
    swept = next(n for n, v in spec.items() if isinstance(v, str))
    f32 = [a.astype(np.float32) for a in arrays]
    ref_arrays = [a.astype(np.float64) for a in f32]
    accepted = {k: v for k, v in params.items() if k in b.params}
    ones = np.ones(len(xs), dtype=np.float32)
    v = judge.worker.call(b.id, "value", f32, "float32", "none", accepted)
    g = judge.worker.call(b.id, "grad", f32, "float32", "none", accepted, ones)
    conventions = b.convention_params("float32")
    data = {"loss": b.loss, "framework": b.framework, "api": b.id, "dtype": "float32", "params": params,
            "swept": swept, "x": ref_arrays[loss.inputs.index(swept)].tolist(),
            "value": v.result.tolist() if v.kind == "ok" else None,
            "grad": g.result[swept].tolist() if g.kind == "ok" and swept in g.result else None,
            "ref_value": loss(*ref_arrays, reduction="none", **params).tolist(),
            "ref_grad": loss.grad(*ref_arrays, reduction="none", **params)[swept].tolist(),
            "conventions": {k: v for k, v in conventions.items() if not isinstance(v, np.ndarray)}}
    if conventions:
        data["ref_value_conventions"] = loss(*ref_arrays, reduction="none", **params, **conventions).tolist()
    others = ", ".join(f"{k} = {v:g}" for k, v in spec.items() if not isinstance(v, str))
    data["x_label"] = f"{swept} ({others})" if others else swept
    u = np.finfo(np.float32).eps
    if v.kind == "ok":  # the distance to the pure definition, in units of float32 against the condition scale
        scale = loss.condition(*ref_arrays, reduction="none", **params)
        data["value_ulp"] = (np.abs(v.result - data["ref_value"]) / (u * np.maximum(scale, 1e-38))).tolist()
    if g.kind == "ok" and swept in g.result:
        ref_g = np.asarray(data["ref_grad"])
        data["grad_ulp"] = (np.abs(g.result[swept] - ref_g) / (u * np.maximum(np.abs(ref_g), 1e-38))).tolist()
    data = {k: _clean(v) for k, v in data.items()}
    request.node.user_properties.append((SWEEP_KEY, data))
    assert v.kind in ("ok", "unsupported"), v.error


def _clean(v):
    """JSON has no NaN/inf: non-finite numbers in sweep lists become null."""
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v
