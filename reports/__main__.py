"""python -m reports build RESULTS... --out DIR [--baseline FILE...] [--history DIR... [--history-repros DIR]]
python -m reports diff BASELINE CURRENT... [--factor F]
python -m reports baseline RESULTS... --out DIR
python -m reports history RESULTS --release VERSION --out FILE
python -m reports ci ARTIFACTS --baseline DIR --history DIR --out DIR
nox -t history -l --json | python -m reports matrix

Exit status: 0 fine; 1 the diff (or ci: a check or a diff) found a regression; 2 a results file is unusable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import diff as diffmod
from .load import ResultsError, load


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m reports", description="Loss-conformance reports.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="results files -> static HTML site")
    b.add_argument("results", nargs="+", help="results files or directories of them")
    b.add_argument("--out", required=True, help="output directory")
    b.add_argument("--baseline", nargs="+", default=None, help="baseline results (adds diff.html)")
    b.add_argument("--factor", type=float, default=diffmod.DEFAULT_FACTOR)
    b.add_argument("--history", nargs="+", default=None, help="history files or folders (adds changelog.html)")
    b.add_argument("--history-repros", nargs="+", default=None,
                   help="the history runs' full results files or folders (their repros)")
    b.add_argument("--no-plots", action="store_true", help="skip the sweep plots")
    b.add_argument("--quiet", action="store_true")
    d = sub.add_parser("diff", help="regressions of CURRENT against BASELINE (exit 1 if any)")
    d.add_argument("baseline", help="results file or directory")
    d.add_argument("current", nargs="+", help="results file(s) or directory")
    d.add_argument("--factor", type=float, default=diffmod.DEFAULT_FACTOR,
                   help="error growth factor counted as a regression (default %(default)s)")
    c = sub.add_parser("baseline", help="results files -> a compact baseline file per stack (reports/compact.py)")
    c.add_argument("results", nargs="+", help="results files or directories of them")
    c.add_argument("--out", required=True, help="output directory, e.g. reports/baseline")
    h = sub.add_parser("history", help="one stack's results at one release -> a compact history file")
    h.add_argument("results", help="results file")
    h.add_argument("--release", required=True, help="the stack's release the results are of")
    h.add_argument("--out", required=True, help="the history file, e.g. reports/history/<stack>-<release>.json")
    i = sub.add_parser("ci", help="the CI workflow's final job: merge, check, diff, site (reports/ci.py)")
    i.add_argument("artifacts", help="the folder actions/download-artifact filled")
    i.add_argument("--baseline", required=True, help="the committed baseline, reports/baseline")
    i.add_argument("--history", required=True, help="the committed history files, reports/history")
    i.add_argument("--out", required=True, help="the site's folder")
    sub.add_parser("matrix", help="`nox --list --json` on stdin -> the CI matrix's jobs, JSON (reports/ci.py)")
    a = ap.parse_args(argv)
    try:
        if a.command == "baseline":
            from .compact import write_baselines

            for path in write_baselines(a.results, a.out):
                print(f"{path}: {os.path.getsize(path)} bytes")
            return 0
        if a.command == "matrix":
            from .ci import matrix

            print(json.dumps(matrix(sys.stdin.read())))
            return 0
        if a.command == "ci":
            from .ci import run

            return run(a.artifacts, a.baseline, a.history, a.out)
        if a.command == "history":
            from .compact import write_history

            print(f"{write_history(a.results, a.out, a.release)}: {os.path.getsize(a.out)} bytes")
            return 0
        if a.command == "build":
            from .build import build

            out = build(a.results, a.out, a.baseline, factor=a.factor, quiet=a.quiet, plots=not a.no_plots,
                        history=a.history, history_repros=a.history_repros)
            print(f"{len(out['pages'])} pages in {a.out} ({out['seconds']:.2f} s)")
            return 0
        changes = diffmod.compare(load([a.baseline]), load(a.current), a.factor)
    except ResultsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for c in changes:
        tag = "REGRESSION" if c.regression else "changed   "
        r = c.record
        line = f"{tag} {c.describe():36s} {diffmod.format_key(c.key)}"
        if c.regression and r.get("message"):
            line += "  -- " + " ".join(str(r["message"]).split())[:160]
        print(line)
    n = sum(c.regression for c in changes)
    print(f"{len(changes)} changed cell(s), {n} regression(s) (factor {a.factor:g}, noise floor "
          f"{diffmod.NOISE_FLOOR:g} x tolerance)")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
