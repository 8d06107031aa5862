"""python -m conformance divergences [--json] [--framework NAME]

Prints the known-divergence registry (conformance/divergences.py)."""

import argparse
import json
import sys
import textwrap

from .divergences import DIVERGENCES


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("divergences", help="print the known-divergence registry")
    p.add_argument("--json", action="store_true", help="a JSON list of the entries")
    p.add_argument("--framework", help="only this framework's entries")
    args = parser.parse_args(argv)
    entries = [d for d in DIVERGENCES if args.framework in (None, d.framework)]
    if args.json:
        json.dump([d.as_dict() for d in entries], sys.stdout, indent=1)
        print()
        return 0
    for d in entries:
        print(f"{d.id}  [{d.kind}]  {d.framework}  {d.api}  ({d.loss})")
        print(f"    when: {d.condition}")
        print(textwrap.indent(textwrap.fill(d.explanation, 96), "    "))
        print(f"    see: {d.citation}")
    print(f"{len(entries)} divergence(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
