"""python -m conformance divergences [--json] [--framework NAME]
python -m conformance check RESULTS...

divergences: prints the known-divergence registry (conformance/divergences/).
check: a summary of results files; exit 1 if any cell failed (fail, error, xpass,
crash, timeout) or a registered divergence went stale, 2 if a file is unreadable."""

import argparse
import json
import sys
import textwrap
from collections import Counter

from reports.schema import FAILING, ResultsError, read

from .divergences import DIVERGENCES


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("divergences", help="print the known-divergence registry")
    p.add_argument("--json", action="store_true", help="a JSON list of the entries")
    p.add_argument("--framework", help="only this framework's entries")
    c = sub.add_parser("check", help="summarize results files; exit 1 on any failing cell or stale entry")
    c.add_argument("results", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.results)
    entries = [d for d in DIVERGENCES if args.framework in (None, d.framework)]
    if args.json:
        json.dump([d.as_dict() for d in entries], sys.stdout, indent=1)
        print()
        return 0
    for d in entries:
        print(f"{d.id}  [{d.kind}]  {d.framework}")
        print(textwrap.fill(f"cells: {d.selection}", 100, initial_indent="    ", subsequent_indent="        "))
        print(f"    absorbs: {d.bound}")
        print(textwrap.indent(textwrap.fill(d.explanation, 96), "    "))
        print(f"    see: {d.citation}")
    print(f"{len(entries)} divergence(s)", file=sys.stderr)
    return 0


def check(paths):
    bad = 0
    for path in paths:
        try:
            doc = read(path)
        except ResultsError as e:
            print(f"unreadable results file: {e}", file=sys.stderr)
            return 2
        records = doc["records"]
        counts = Counter(r["status"] for r in records)
        failing = sum(counts[s] for s in FAILING)
        stale = doc.get("stale_divergences", [])
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        note = f"; stale divergences: {', '.join(stale)}" if stale else ""
        print(f"{path}: {len(records)} cells: {summary}{note}")
        bad += failing + len(stale)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
