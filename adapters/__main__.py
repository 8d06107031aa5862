"""List every binding of every framework, installed or not.

    python -m adapters                       # a table
    python -m adapters --json                # a JSON list, one object per binding
    python -m adapters --framework torch     # one stack

Listing imports no framework; the availability check may (once per framework and
top-level module of the API: torch vs torchvision, tensorflow vs keras).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from . import BINDINGS, DIFFERENT_DEFINITIONS, STACKS, framework


def availability(fw, binding, cache):
    """(ok, reason) for one binding: its framework, then what the binding needs beyond it (torchvision)."""
    if fw is None:
        return False, f"no framework {binding.framework!r} is registered"
    if binding.framework not in cache:
        try:
            cache[binding.framework] = tuple(fw.available())
        except Exception as e:  # an availability check must not take the listing down
            cache[binding.framework] = (False, f"availability check failed: {type(e).__name__}: {e}")
    ok, reason = cache[binding.framework]
    return binding.available() if ok else (ok, reason)


def _plain(v, dtypes):
    """A JSON-able rendering: callables (dtype -> value) as their value per dtype, arrays as lists."""
    if callable(v):
        try:
            return "by dtype: " + ", ".join(f"{d}: {v(d)!r}" for d in dtypes)
        except Exception:
            return repr(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (np.generic,)):
        return v.item()
    return v


def conventions(binding):
    """The binding's conventions: params (per dtype where a callable), why and citation."""
    return [{"params": {k: _plain(v, binding.dtypes) for k, v in c.params.items()}, "why": c.why,
             "citation": c.citation} for c in binding.conventions]


def rows(bindings=None, frameworks=None):
    """One dict per binding with everything a table, a report or a porting guide needs."""
    bindings = BINDINGS if bindings is None else bindings
    frameworks = {name: framework(name) for name in STACKS} if frameworks is None else frameworks
    cache, out = {}, []
    for b in bindings:
        ok, reason = availability(frameworks.get(b.framework), b, cache)
        out.append({
            "loss": b.loss, "framework": b.framework, "api": b.api, "id": b.id, "variant": b.variant,
            "kind": b.kind, "expression": b.expression, "reductions": list(b.reductions),
            "dtypes": list(b.dtypes), "params": list(b.params),
            "conventions": conventions(b),
            "differentiable": None if b.differentiable is None else list(b.differentiable),
            "note": b.note, "available": bool(ok), "reason": reason,
        })
    return out


def table(records):
    cols = [("loss", 24), ("framework", 10), ("id", 58), ("kind", 8), ("conventions", 40), ("available", 9)]
    lines = ["  ".join(f"{c:{w}s}" for c, w in cols).rstrip()]
    for r in records:
        conv = ", ".join(f"{k}={v}" for c in r["conventions"] for k, v in c["params"].items())
        cells = [r["loss"], r["framework"], r["id"], r["kind"], conv, "yes" if r["available"] else "no"]
        lines.append("  ".join(f"{str(c):{w}s}" for c, (_, w) in zip(cells, cols, strict=True)).rstrip())
    missing = {(r["framework"], r["reason"]) for r in records if not r["available"]}
    for fw, reason in sorted(missing):
        lines.append(f"unavailable ({fw}): {reason}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m adapters", description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print a JSON list of bindings")
    ap.add_argument("--framework", choices=sorted(STACKS), help="only this stack's bindings")
    args = ap.parse_args(argv)
    chosen = [b for b in BINDINGS if args.framework in (None, b.framework)]
    records = rows(chosen)
    if args.json:
        json.dump(records, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    lines = [table(records)]
    different = [d for d in DIFFERENT_DEFINITIONS if args.framework in (None, d.framework)]
    if different:
        lines.append("\ndifferent definitions (look-alike APIs that compute something else):")
        lines += [f"  {d.framework:10s} {d.api}  (not {d.loss}): {d.explanation}  [{d.citation}]" for d in different]
    declared = {(c["why"], c["citation"]): c for r in records for c in r["conventions"]}
    if declared:
        lines.append("\nconventions (what an API does that no argument controls, as reference parameters):")
        lines += [f"  {', '.join(f'{k}={v}' for k, v in c['params'].items())}: {c['why']}  [{c['citation']}]"
                  for c in declared.values()]
    try:
        print("\n".join(lines))
    except BrokenPipeError:  # `python -m adapters | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
