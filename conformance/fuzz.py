"""Property-based fuzzing (DESIGN principle 3), in its own session: its finds become named cases.

    python -m conformance.fuzz --framework torch [--loss smooth_l1] [--examples 100]

For every binding, hypothesis redraws the float arrays of the loss's first
interior case (same shapes, same labels and parameters) and the cells' own judge
decides, value and gradient, float32, "mean".  An input the reference rejects is
discarded.  A disagreement that no registered divergence explains is shrunk to a
small example and printed as a ``Case(...)`` to paste into conformance/cases/,
where it becomes a deterministic cell.  Exit 1 if anything was found.
Deterministic for a given --seed (hypothesis runs derandomized, no database).
"""

from __future__ import annotations

import argparse
import sys
import zlib

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference import LOSSES

from .cases import Case, cases_for
from .suite import Cell, Judge
from .worker import Worker, load_framework

EDGES = [0.0, 1.0, -1.0, 0.5, 1e-7, 1 - 1e-7, 2.0**-20]


def floats_like(a):
    """Arrays shaped like `a`: moderate values, values in [0, 1], and the edges where frameworks branch."""
    elements = st.one_of(st.floats(-1e3, 1e3, width=32), st.floats(0.0, 1.0, width=32), st.sampled_from(EDGES))
    return hnp.arrays(np.float64, a.shape, elements=elements)


def fuzz_binding(judge, binding, template, examples, seed):
    """The shrunk failing (case, record) for this binding, or None."""
    loss = LOSSES[binding.loss]
    found = []

    @settings(max_examples=examples, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def agrees(data):
        arrays = {k: data.draw(floats_like(v), label=k) if v.dtype.kind == "f" else v
                  for k, v in template.arrays.items()}
        digest = zlib.crc32(b"".join(np.ascontiguousarray(arrays[k]).tobytes() for k in loss.inputs) + bytes([seed]))
        ordered = [arrays[k] for k in loss.inputs]
        try:
            loss(*ordered, **template.params)
        except ValueError:
            assume(False)
        # an edge value can land on a kink: there any subgradient is accepted, as in the named cells
        bounds = loss.grad(*ordered, **template.params).one_sided.values() if loss.differentiable else ()
        tags = {"kink"} if any(np.any(hi > lo) for lo, hi in bounds) else {"interior"}
        case = Case(template.loss, f"fuzz_{digest:08x}", arrays, template.params, frozenset(tags))
        diff = loss.differentiable if binding.differentiable is None else binding.differentiable
        for check in ("value", "grad") if diff else ("value",):
            record = judge.run(Cell(binding, case, check, "float32", "mean"))
            if record["status"] in ("fail", "error", "crash", "timeout"):
                found.append((case, record))
                raise AssertionError(record["message"])

    try:
        agrees()
    except AssertionError:
        return found[-1]  # hypothesis replays the shrunk example last
    return None


def as_case(case):
    arrays = ", ".join(f"{k!r}: np.array({np.asarray(v).tolist()!r})" for k, v in case.arrays.items())
    return f"Case({case.loss!r}, {case.id!r}, {{{arrays}}}, {case.params!r}, tags={set(case.tags)!r})"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True)
    parser.add_argument("--loss", help="only this loss")
    parser.add_argument("--examples", type=int, default=100, help="examples per binding (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    framework, bindings = load_framework(args.framework)
    ok, reason = framework.available()
    if not ok:
        print(f"{args.framework}: {reason}", file=sys.stderr)
        return 2
    judge = Judge(Worker(args.framework))
    finds = 0
    try:
        for b in sorted(bindings, key=lambda b: b.id):
            if args.loss not in (None, b.loss) or b.loss not in LOSSES or not b.available()[0]:
                continue
            templates = [c for c in cases_for(b.loss)
                         if "interior" in c.tags and b.supports(c.params, LOSSES[b.loss].params)]
            if not templates or "mean" not in b.reductions or "float32" not in b.dtypes:
                continue
            print(f"fuzz {b.id} ...", end=" ", flush=True, file=sys.stderr)
            hit = fuzz_binding(judge, b, templates[0], args.examples, args.seed)
            print("found one" if hit else "ok", file=sys.stderr)
            if hit:
                finds += 1
                case, record = hit
                print(f"# {b.id} {record['check']} float32 mean: {' '.join(record['message'].split())[:300]}")
                print(as_case(case))
    finally:
        judge.worker.close()
    print(f"{finds} binding(s) with a find", file=sys.stderr)
    return 1 if finds else 0


if __name__ == "__main__":
    sys.exit(main())
