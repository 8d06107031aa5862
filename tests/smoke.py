"""The adapter smoke tests' shared half: small cases, judged by the suite's one judge and one tolerance.

A binding's smoke cases are the suite's first interior case it can express, then the test module's own
for its loss (one per parameter mapping); each becomes a ``conformance.suite.Cell`` and is run by
``conformance.suite.Judge`` on an in-process worker of the stack.  A cell agrees when its status is "pass",
or "convention" (it differs from the pure definition but agrees under the binding's declared conventions), or
"xfail": a divergence the registry holds (the suite's own interior cases are registered there where a framework
is less accurate than the tolerance; the registry, not this test, is the one place that says so).
"""

import contextlib
import functools
import importlib
import inspect

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


# ---------------------------------------------------------------- every public parameter exercised or explained


def resolve(api):
    """The object a dotted public name names: (the object it is an attribute of, its attribute name, the object).
    ``tf.`` is TensorFlow's conventional alias."""
    parts = api.split(".")
    parts[0] = {"tf": "tensorflow"}.get(parts[0], parts[0])
    for i in range(len(parts) - 1, 0, -1):
        try:
            parent = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:-1]:
            parent = getattr(parent, p)
        return parent, parts[-1], getattr(parent, parts[-1])
    raise ImportError(api)


def public_parameters(obj):
    """{name: default} of what a user passes to a public API: a function's parameters; a class's constructor
    parameters and those of its call (``forward`` where ``__call__`` takes only *args/**kwargs, as a torch
    module's).  Variadic parameters are left out; a parameter without a default has ``inspect.Parameter.empty``."""
    sigs = [obj] if not inspect.isclass(obj) else [obj.__init__, _call_of(obj)]
    out = {}
    for f in sigs:
        for name, p in list(inspect.signature(f).parameters.items()):
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                out[name] = p.default
    return out


def _call_of(cls):
    named = [p for p in inspect.signature(cls.__call__).parameters.values()
             if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return cls.__call__ if named or not hasattr(cls, "forward") else cls.forward


class _Tracer:
    """Wraps a public API (function or class) and records the parameters its calls set to a non-default value."""

    def __init__(self, obj):
        self.obj, self.set = obj, set()

    def note(self, f, args, kwargs):
        bound = inspect.signature(f).bind_partial(*args, **kwargs).arguments
        defaults = public_parameters(self.obj)
        self.set |= {k for k, v in bound.items() if k in defaults and _differs(v, defaults[k])}

    def wrapper(self):
        obj, tracer = self.obj, self
        if not inspect.isclass(obj):
            def traced(*args, **kwargs):
                tracer.note(obj, args, kwargs)
                return obj(*args, **kwargs)

            return functools.wraps(obj)(traced)
        call = _call_of(obj)

        class Traced(obj):
            def __init__(self, *args, **kwargs):
                tracer.note(obj.__init__, (self, *args), kwargs)
                super().__init__(*args, **kwargs)

            def __call__(self, *args, **kwargs):
                tracer.note(call, (self, *args), kwargs)
                return super().__call__(*args, **kwargs)

        Traced.__name__ = Traced.__qualname__ = obj.__name__
        return Traced


def _differs(value, default):
    if default is inspect.Parameter.empty:
        return True
    if value is default:
        return False
    try:
        same = value == default
        return not bool(same) if isinstance(same, (bool, np.bool_)) else True
    except Exception:  # a tensor against a number: set on purpose
        return True


def exercised_parameters(stack, bindings):
    """{api: the parameters some binding of it sets to a non-default value} over every case of the suite its
    binding can express (valid and bad inputs; one per parameter values and kinds and ranks of arrays; every
    reduction on the first, the first reduction on the others) in the binding's first dtype: the binding's own
    calls, traced, whatever they raise."""
    fw = judge(stack).worker._local[0]
    out = {}
    for api in sorted({b.api for b in bindings}):
        parent, attr, obj = resolve(api)
        tracer = _Tracer(obj)
        setattr(parent, attr, tracer.wrapper())
        try:
            for b in (b for b in bindings if b.api == api):
                loss = LOSSES[b.loss]
                seen = set()
                for case in (c for c in cases_for(b.loss) if b.supports(c.params, loss.params)):
                    cell = Cell(b, case, "value", b.dtypes[0], "none")
                    arrays, params, _, _ = cell_inputs(cell)
                    kind = (repr(sorted(params.items())), tuple((a.dtype.kind, a.ndim) for a in arrays))
                    if kind in seen:  # the same parameters on arrays of the same kinds: the same call
                        continue
                    for r in reductions(b)[:None if not seen else 1]:  # every reduction once, then the first
                        with contextlib.suppress(Exception):
                            fw.value(b, arrays, b.dtypes[0], r, {k: v for k, v in params.items() if k in b.params})
                    seen.add(kind)
        finally:
            setattr(parent, attr, obj)
        out[api] = tracer.set
    return out


def assert_parameters_accounted(stack, bindings, unexercised):
    """Every public parameter of every bound API is set by some binding's call on the suite's cases, or listed in
    ``unexercised`` ({api: {param: reason}}, "*" for every API of the module) with a reason; a listed parameter
    that the API lacks, or that a binding does set, is a stale entry."""
    done = exercised_parameters(stack, bindings)
    missing, stale = [], []
    for api, passed in done.items():
        params = public_parameters(resolve(api)[2])
        listed = {**unexercised.get("*", {}), **unexercised.get(api, {})}
        missing += [f"{api}({p})" for p in params if p not in passed and p not in listed]
        stale += [f"{api}({p}): {'set by a binding' if p in passed else 'no such parameter'}"
                  for p in unexercised.get(api, {}) if p in passed or p not in params]
        assert all(listed.values()), f"{api}: an UNEXERCISED entry without a reason"
    stale += [f"{api}: not bound" for api in unexercised if api != "*" and api not in done]
    assert not missing, "public parameters no case sets and no UNEXERCISED entry explains: " + ", ".join(missing)
    assert not stale, "stale UNEXERCISED entries: " + ", ".join(stale)
