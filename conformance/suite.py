"""Cells: which (binding, case, dtype, reduction, check) exist, and how one is judged.

A cell quantizes the case's float arrays to the framework dtype, asks the
framework (through the worker) and the reference (on the same quantized
values, in float64), measures the error in units of the dtype (tolerance.py)
and decides a status (reports.schema.STATUSES) against the binding's conventions
and the divergence registry (registry.py):

    agrees with the definition, nothing registered            -> pass
    disagrees, agrees under the binding's conventions         -> convention (no entry needed)
    disagrees, within the bound of the entry covering it      -> xfail
    disagrees, nothing registered, or beyond the entry's bound -> fail
    agrees (under the conventions), yet an entry covers it    -> xpass (a stale entry: fails the run)
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from adapters._core import grad_inputs
from reference import LOSSES
from reference._core import reduce
from reports.schema import STATUSES

from . import divergences as _divergences
from . import registry, tolerance
from .cases import Case, cases_for
from .registry import Observation, jsonable

PASS, CONVENTION, FAIL, XFAIL, XPASS, ERROR, SKIP, CRASH, TIMEOUT = STATUSES


@dataclass(frozen=True)
class Cell:
    binding: object
    case: Case
    check: str
    dtype: str
    reduction: str

    @property
    def id(self):
        return f"{self.check}[{self.binding.id}-{self.dtype}-{self.reduction}-{self.case.id}]"

    @property
    def loss(self):
        return LOSSES[self.binding.loss]

    def key(self):
        return registry.CellKey(self.binding.loss, self.binding.framework, self.binding.id, self.check, self.dtype,
                                self.reduction, self.case.id, frozenset(self.case.tags))

    @cached_property
    def divergence(self):
        return registry.find(_divergences.DIVERGENCES, self.key())


def cells_for(bindings):
    """Every cell of these bindings, in a stable order."""
    out = []
    for b in sorted(bindings, key=lambda b: (b.loss, b.id)):
        if b.loss not in LOSSES or not b.available()[0]:
            continue
        loss = LOSSES[b.loss]
        diff = loss.differentiable if b.differentiable is None else b.differentiable
        for case in cases_for(b.loss):
            if not b.supports(case.params, loss.params):
                continue
            checks = ("error",) if case.bad_input else ("value", "grad") if diff else ("value",)
            for check in checks:
                for dtype in b.dtypes:
                    reductions = [r for r in loss.reductions if r in b.reductions]
                    for reduction in reductions[:1] if check == "error" else reductions:
                        out.append(Cell(b, case, check, dtype, reduction))
    return out


# ---------------------------------------------------------------- inputs


def quantize(a, dtype):
    a = np.asarray(a)
    return a.astype(dtype) if a.dtype.kind == "f" else a


def cell_inputs(cell):
    """The framework's arrays and params (in its dtype) and the reference's (the same values, float64)."""
    arrays = [quantize(cell.case.arrays[name], cell.dtype) for name in cell.loss.inputs]
    params = {k: quantize(v, cell.dtype) if isinstance(v, np.ndarray) else v for k, v in cell.case.params.items()}
    ref_arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    ref_params = {k: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
                  for k, v in params.items()}
    return arrays, params, ref_arrays, ref_params


def cotangent_for(cell, shape):
    """A random cotangent, fixed by the cell (not all-ones: that hides per-element bugs)."""
    seed = zlib.crc32(f"{cell.binding.loss}/{cell.case.id}/{cell.reduction}".encode())
    return np.random.default_rng(seed).normal(size=shape).astype(cell.dtype)


# ---------------------------------------------------------------- judging


class Judge:
    """Runs cells against one worker, with the reference side cached across bindings."""

    def __init__(self, worker):
        self.worker = worker
        self._ref = {}

    def reference(self, cell, what, params, cotangent=None):
        arrays, _, ref_arrays, ref_params = cell_inputs(cell)
        full = {**ref_params, **params}
        key = (cell.binding.loss, cell.case.id, cell.dtype, cell.reduction, what, repr(sorted(full.items())))
        if key not in self._ref:
            loss = cell.loss
            if what == "value":
                self._ref[key] = loss(*ref_arrays, reduction=cell.reduction, **full)
            elif what == "scale":  # the unreduced terms are shared by the reductions
                tkey = (cell.binding.loss, cell.case.id, cell.dtype, "terms", repr(sorted(full.items())))
                if tkey not in self._ref:
                    self._ref[tkey] = loss.condition_terms(*ref_arrays, **full)
                scale, denominator = self._ref[tkey]
                self._ref[key] = reduce(scale, cell.reduction, denominator)
            else:
                c = None if cotangent is None else cotangent.astype(np.float64)
                self._ref[key] = loss.grad(*ref_arrays, reduction=cell.reduction, cotangent=c, **full)
        return self._ref[key]

    def run(self, cell):
        record = base_record(cell)
        self._cot = None
        try:
            if cell.check == "error":
                self._error_cell(cell, record)
            else:
                self._numeric_cell(cell, record)
        except Exception as e:  # the suite's own failure: never silent
            record.update(status=ERROR, message=f"suite error: {type(e).__name__}: {e}")
        if record["status"] not in (PASS, SKIP):
            record["repro"] = repro(cell, self._cot, self.worker.framework_name, self.worker.device)
        return record

    def _call(self, cell, record, cotangent=None):
        arrays, params, _, _ = cell_inputs(cell)
        accepted = {k: v for k, v in params.items() if k in cell.binding.params}
        out = self.worker.call(cell.binding.id, cell.check, arrays, cell.dtype, cell.reduction, accepted, cotangent)
        record["seconds"] = out.seconds
        return out

    def _numeric_cell(self, cell, record):
        d = cell.divergence
        conventions = cell.binding.convention_params(cell.dtype)
        explained = {**conventions, **(d.params if d else {})}
        record["conventions"] = jsonable(conventions)
        cot = None
        if cell.check == "grad":
            shape = np.shape(self.reference(cell, "value", {}))
            cot = self._cot = cotangent_for(cell, shape)
        out = self._call(cell, record, cot)
        if unanswered(out, record):
            return record
        if out.kind == "raised":
            pure = expl = None
            observed = Observation(cell.check, cell.dtype, raised=out.error)
            record["framework_behaviour"] = f"raised {out.error}"
            message = f"the framework raised on a valid input: {out.error}"
        elif cell.check == "value":
            pure, expl, observed, message = self._value_errors(cell, out.result, explained, record)
        else:
            pure, expl, observed, message = self._grad_errors(cell, out.result, explained, cot, record)
        record.update(pure_ulp_err=_num(pure), max_ulp_err=_num(expl))
        return decide(cell, record, d, pure, expl, message, observed)

    def _value_errors(self, cell, got, explained, record):
        ref = self.reference(cell, "value", {})
        scale = self.reference(cell, "scale", explained)
        _, _, pure, msg_pure = tolerance.compare(got, ref, scale, cell.dtype)
        ref_e = self.reference(cell, "value", explained) if explained else ref
        m = tolerance.measure(got, ref_e, scale, cell.dtype)
        abs_e, rel_e, expl, msg = tolerance.compare(got, ref_e, scale, cell.dtype)
        record.update(max_abs_err=_num(abs_e), max_rel_err=_num(rel_e), tolerance=tolerance.THRESHOLD["value"])
        observed = Observation("value", cell.dtype, m.units, m.mismatches, elements=m.elements)
        return pure, expl, observed, msg or msg_pure

    def _grad_errors(self, cell, got, explained, cot, record):
        names = [n for n in cell.loss.differentiable if n in got]
        if not names:
            return None, None, None, "the framework returned no gradient for any differentiable input"
        missing = [n for n in grad_inputs(cell.binding)[0] if n not in got]  # the inputs the binding differentiates
        refused = f"no gradient for {', '.join(missing)} (the framework does not differentiate it)" if missing else ""

        def errors(params):
            ref = self.reference(cell, "grad", params, cot)
            worst, msg, abs_w, rel_w, sub = 0.0, "", 0.0, 0.0, None
            units, mismatches = 0.0, frozenset()  # the observation: finite elements, non-finite disagreements
            for n in names:
                a, r, e, m, s = judge_grad(cell, got[n], ref, n)
                sub = s if cell.case.kink else sub
                if e > worst or m:
                    worst, msg, abs_w, rel_w = max(worst, e), m or msg, a, r
                scale = tolerance.grad_scale(ref[n])
                found = tolerance.measure(got[n], ref[n], scale, cell.dtype).mismatches
                mismatches |= found
                units = max(units, judge_grad(cell, tolerance.masked(got[n], ref[n]), ref, n)[2] if found else e)
            if missing:
                worst, msg, mismatches = math.inf, "; ".join(filter(None, (refused, msg))), mismatches | {"no-gradient"}
            return worst, msg, abs_w, rel_w, sub, Observation("grad", cell.dtype, units, mismatches)

        pure, msg_pure, abs_p, rel_p, sub, observed = errors({})
        if explained:
            expl, msg, abs_e, rel_e, sub, observed = errors(explained)
        else:
            expl, msg, abs_e, rel_e = pure, msg_pure, abs_p, rel_p
        record.update(max_abs_err=_num(abs_e), max_rel_err=_num(rel_e), tolerance=tolerance.THRESHOLD["grad"],
                      subgradient=sub)
        return pure, expl, observed, msg or msg_pure

    def _error_cell(self, cell, record):
        _, _, ref_arrays, ref_params = cell_inputs(cell)
        try:
            cell.loss(*ref_arrays, reduction=cell.reduction, **ref_params)
        except ValueError as e:
            record["message"] = f"reference: ValueError: {e}"
        else:
            record.update(status=ERROR, message="the reference accepted an input its case tags bad_input")
            return record
        out = self._call(cell, record)
        if unanswered(out, record):
            return record
        rejected = out.kind == "raised"
        record["framework_behaviour"] = f"raised {out.error}" if rejected else f"returned {summarize(out.result)}"
        d = cell.divergence
        outside = "" if rejected or not d else d.bound.outside(
            Observation("error", cell.dtype, returned=registry.summary_class(out.result)))
        if rejected:
            record["status"] = XPASS if d else PASS
        else:
            record["status"] = FAIL if not d or outside else XFAIL
        if d:
            record.update(divergence=d.id, divergence_kind=d.kind)
        if record["status"] != PASS:
            record["message"] = (f"the framework {record['framework_behaviour']} where the reference raises "
                                 f"ValueError; {record['message']}")
        if outside:
            record["message"] = f"beyond the bound of divergence {d.id} ({d.bound}): {outside}; {record['message']}"
        return record


def unanswered(out, record):
    """A call the API cannot make (skip), or that crashed or hung: recorded as such; True if so."""
    if out.kind not in ("unsupported", "crash", "timeout"):
        return False
    record.update(status=SKIP if out.kind == "unsupported" else {"crash": CRASH, "timeout": TIMEOUT}[out.kind],
                  message=out.error)
    return True


def decide(cell, record, d, pure, expl, message, observed=None):
    """The status of a numeric cell from its errors: ``pure`` against the definition, ``expl`` under the binding's
    conventions (and the entry's params), ``observed`` (registry.Observation) for the entry's bound."""
    tol = tolerance.THRESHOLD[cell.check]
    agrees_pure = tolerance.within(pure, cell.check)
    agrees_expl = tolerance.within(expl, cell.check)
    if d is None:
        if agrees_pure:
            status = PASS
        elif agrees_expl and record["conventions"]:
            status = CONVENTION
            record["verified"] = True
            message = (f"differs from the definition by {_fmt(pure)} units; agrees under the binding's conventions "
                       f"{record['conventions']} ({_fmt(expl)} units)")
        else:
            status = FAIL
            message = message or f"error {_fmt(expl)} > {tol:g} units of {cell.dtype}"
    else:
        record.update(divergence=d.id, divergence_kind=d.kind)
        outside = d.bound.outside(observed) if observed is not None else "nothing observed"
        if agrees_pure:
            status = XPASS
            message = f"registered divergence {d.id} no longer diverges ({_fmt(pure)} units): remove the entry"
        elif agrees_expl and not d.params:
            status = XPASS
            message = (f"the binding's conventions {record['conventions']} account for the cell ({_fmt(expl)} units):"
                       f" registered divergence {d.id} is not needed there")
        elif outside:
            status = FAIL
            message = f"beyond the bound of divergence {d.id} ({d.bound}): {outside}; {message}"
        else:
            status = XFAIL
            message = f"{d.id} ({d.kind}): {d.explanation}"
        record["verified"] = bool(d.params) and status == XFAIL
    record.update(status=status, message=message)
    return record


def judge_grad(cell, got, ref, name):
    """(abs, rel, units, message, subgradient) of one input's gradient; at a kink any subgradient is accepted."""
    scale = tolerance.grad_scale(ref[name])
    a, r, e, m = tolerance.compare(got, ref[name], scale, cell.dtype)
    if not cell.case.kink:
        return a, r, e, m, None
    if not tolerance.within(e, "grad"):
        return a, r, *subgradient(got, ref.one_sided[name], scale, cell.dtype)
    lo, hi = ref.one_sided[name]
    return a, r, e, m, classify(got, lo, hi) if np.any(hi > lo) else None


def subgradient(got, bounds, scale, dtype):
    """At a kink: is `got` a valid subgradient (within the one-sided bounds, to tolerance)?"""
    lo, hi = bounds
    got = np.asarray(got, dtype=np.float64)
    slack = tolerance.THRESHOLD["grad"] * tolerance.unit(dtype) * max(scale, tolerance.TINY[dtype])
    below = np.maximum(lo - got, 0.0)
    above = np.maximum(got - hi, 0.0)
    outside = np.maximum(below, above)
    nan = np.isnan(got) & ~np.isnan(lo)
    if np.any(nan):
        return np.inf, "NaN gradient at a kink", "outside"
    err = float(np.max(outside, initial=0.0)) / (tolerance.unit(dtype) * max(scale, tolerance.TINY[dtype]))
    if np.all(outside <= slack):
        return 0.0 if err <= tolerance.THRESHOLD["grad"] else err, "", classify(got, lo, hi)
    k = int(np.argmax(outside))
    return err, (f"not a subgradient at flat index {k}: {got.ravel()[k]!r} outside "
                 f"[{lo.ravel()[k]!r}, {hi.ravel()[k]!r}]"), "outside"


def classify(got, lo, hi):
    """Which subgradient the framework took where the bounds are apart."""
    kink = hi > lo
    if not np.any(kink):
        return None
    t = (np.asarray(got, dtype=np.float64)[kink] - lo[kink]) / (hi[kink] - lo[kink])
    names = set()
    for v in t:
        names.add("lower" if abs(v) < 1e-3 else "upper" if abs(v - 1) < 1e-3 else
                  "midpoint" if abs(v - 0.5) < 1e-3 else "interior")
    return names.pop() if len(names) == 1 else "mixed:" + ",".join(sorted(names))


def summarize(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {summarize(x)}" for k, x in v.items()) + "}"
    v = np.asarray(v)
    if v.size == 0:
        return f"an empty array {v.shape}"
    if np.all(np.isnan(v)):
        return "NaN"
    kind = "a finite value" if np.all(np.isfinite(v)) else "non-finite values"
    return f"{kind} {np.array2string(v.ravel()[:4], precision=6)}{'...' if v.size > 4 else ''}"


def base_record(cell):
    b = cell.binding
    return {"loss": b.loss, "framework": b.framework, "api": b.id, "kind": b.kind, "check": cell.check,
            "dtype": cell.dtype, "reduction": cell.reduction, "case": cell.case.id,
            "tags": sorted(cell.case.tags), "params": jsonable(cell.case.params), "conventions": {},
            "status": None, "max_abs_err": None, "max_rel_err": None, "max_ulp_err": None,
            "pure_ulp_err": None, "tolerance": tolerance.THRESHOLD.get(cell.check), "divergence": None,
            "divergence_kind": None, "verified": None, "subgradient": None, "message": "", "framework_behaviour": None,
            "seconds": 0.0, "repro": None}


def _num(x):
    return None if x is None or not np.isfinite(x) else float(x)


def _fmt(x):
    return "inf" if x is None or not np.isfinite(x) else f"{x:.3g}"


def _literal(a):
    a = np.asarray(a)
    body = repr(a.tolist()).replace("nan", "np.nan").replace("inf", "np.inf")
    return f"np.array({body}, dtype=np.{a.dtype})"


def repro(cell, cotangent=None, framework=None, device="cpu"):
    """A runnable script: the framework (through its binding) and the reference on the cell's exact inputs.

    ``framework`` is what --framework named (a module path for an out-of-tree framework); ``device`` what --device
    named."""
    arrays, params, _, _ = cell_inputs(cell)
    b = cell.binding
    ref_call = f"LOSSES[{b.loss!r}](*ref_arrays, reduction={cell.reduction!r}, **ref_params)"
    lines = ["# run from the repository root, or anywhere with the project installed (pip install -e .)",
             "import numpy as np", "", "from conformance.worker import load_framework", "from reference import LOSSES",
             "", f"# {b.id}: {b.expression}" if b.expression else f"# {b.id}",
             "arrays = [", *[f"    {_literal(a)},  # {n}" for n, a in zip(cell.loss.inputs, arrays)], "]",
             "params = {" + ", ".join(f"{k!r}: {_literal(v) if isinstance(v, np.ndarray) else repr(v)}"
                                      for k, v in params.items()) + "}",
             f"fw, bindings = load_framework({(framework or b.framework)!r}"
             f"{'' if device == 'cpu' else f', device={device!r}'})",
             f"binding = next(b for b in bindings if b.id == {b.id!r})",
             "accepted = {k: v for k, v in params.items() if k in binding.params}",
             "ref_arrays = [a.astype(np.float64) if a.dtype.kind == 'f' else a for a in arrays]",
             "ref_params = {k: v.astype(np.float64) if isinstance(v, np.ndarray) else v for k, v in params.items()}"]
    if cell.check == "grad":
        lines += [f"cot = {_literal(cotangent)}  # the cell's random cotangent",
                  f"print('framework:', fw.grad(binding, arrays, {cell.dtype!r}, {cell.reduction!r}, accepted, cot))",
                  f"print('reference:', dict(LOSSES[{b.loss!r}].grad(*ref_arrays, reduction={cell.reduction!r}, "
                  "cotangent=cot.astype(np.float64), **ref_params)))"]
    elif cell.check == "error":
        lines += [f"print('framework:', fw.value(binding, arrays, {cell.dtype!r}, {cell.reduction!r}, accepted))",
                  "try:", f"    print('reference:', {ref_call})",
                  "except ValueError as e:", "    print('reference: ValueError:', e)"]
    else:
        lines += [f"print('framework:', fw.value(binding, arrays, {cell.dtype!r}, {cell.reduction!r}, accepted))",
                  f"print('reference:', {ref_call})"]
    conventions = jsonable(b.convention_params(cell.dtype))
    if conventions and cell.check != "error":
        lines.append(f"print('reference with conventions:', LOSSES[{b.loss!r}](*ref_arrays, "
                     f"reduction={cell.reduction!r}, **ref_params, **{conventions!r}))")
    return "\n".join(lines) + "\n"
