"""The tables a results file carries beside its records: bindings, divergences, coverage."""

from __future__ import annotations

import importlib

from .divergences import DIVERGENCES
from .registry import jsonable


def binding_row(b, available=True, reason=""):
    return {"id": b.id, "loss": b.loss, "framework": b.framework, "api": b.api, "variant": b.variant,
            "kind": b.kind, "expression": b.expression, "reductions": list(b.reductions), "dtypes": list(b.dtypes),
            "params": list(b.params), "fixed": jsonable(b.fixed), "requires": b.requires,
            "differentiable": None if b.differentiable is None else list(b.differentiable),
            "conventions": [{"params": {k: (f"<{getattr(v, '__name__', 'fn')}(dtype)>" if callable(v) else jsonable(v))
                                        for k, v in c.params.items()}, "why": c.why, "citation": c.citation}
                            for c in b.conventions],
            "available": available, "reason": reason, "note": b.note}


def coverage(records):
    """Per binding, which values each parameter took (and which dtypes/reductions ran)."""
    out = {}
    for r in records:
        if r["status"] == "skip":
            continue
        seen = out.setdefault(r["api"], {})
        for k, v in list(r["params"].items()) + [("dtype", r["dtype"]), ("reduction", r["reduction"])]:
            key = repr(v) if isinstance(v, list) else v
            values = seen.setdefault(k, [])
            if key not in values:
                values.append(key)
    return {api: {k: sorted(v, key=repr) for k, v in sorted(seen.items())} for api, seen in sorted(out.items())}


def for_framework(framework, records):
    from .worker import load_framework

    try:
        fw, bindings = load_framework(framework)
        available, reason = fw.available()
        rows = [binding_row(b, *(b.available() if available else (available, reason))) for b in bindings]
        if "." in framework:  # an out-of-tree module
            different = getattr(importlib.import_module(framework), "DIFFERENT_DEFINITIONS", [])
        else:
            from adapters import different_definitions

            different = different_definitions(framework)
        diff_defs = [d.__dict__ for d in different]
    except Exception as e:  # a broken framework still gets its records written
        rows, diff_defs = [], [{"error": f"{type(e).__name__}: {e}"}]
    from reference import LOSSES

    # every reference loss, bound or not: the report lists the reference-only ones too
    reference = {name: {"doc": loss.doc, "source": loss.source} for name, loss in sorted(LOSSES.items())}
    return {"bindings": rows, "different_definitions": diff_defs, "reference": reference,
            "divergences": [d.as_dict() for d in DIVERGENCES if d.framework == framework],
            "coverage": coverage(records)}
