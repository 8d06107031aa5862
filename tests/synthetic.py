"""Results files for the reports' tests and benchmark, scaled from a trimmed real run (tests/data/).

    from synthetic import generate
    data = generate(n_records=2000, seed=0)         # a results dict, ready for json.dump
    python tests/synthetic.py OUT.json [--records N] [--seed S] [--framework torch] [--machine M] [--device D]

Everything but the numbers is real: records, bindings, divergences, sweeps and docstrings come from
``results-sample.json`` (made by tests/make_sample.py from real results files, so its tables cannot drift from
what the suite writes).  ``generate`` takes a spread-out subset of the sample's records, or all of them plus
copies (case ``<case>~<k>``, errors scaled by a seeded factor) until ``n_records``; every 50th numeric cell then
takes the next failing status (fail, error, xpass, crash, timeout) in turn, which a real run of the pins lacks.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from reports.schema import FAILING  # noqa: E402

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "results-sample.json")
EVERY = 50  # one numeric cell in EVERY takes a failing status


@functools.cache
def _sample():
    with open(SAMPLE, encoding="utf-8") as f:
        return json.load(f)


def _fail(r, status, rng):
    tol = r.get("tolerance") or 32.0
    err = round(tol * (1 + rng.expovariate(0.2)), 3) if status in ("fail", "xpass") else None
    r.update(status=status, max_ulp_err=err, pure_ulp_err=err, message={
        "fail": f"error {err} > {tol:g} units of {r['dtype']}",
        "xpass": f"registered divergence {r.get('divergence')} no longer diverges: remove the entry",
        "error": "suite error: TypeError: adapter raised", "crash": "worker killed by signal 11",
        "timeout": "no answer within 120 s"}[status])


def generate(n_records=2000, seed=0, framework=None, machine="synthetic-host", device="cpu"):
    """A results dict with exactly `n_records` records (fewer only if the sample holds no record of `framework`)."""
    rng = random.Random(seed)
    data = copy.deepcopy(_sample())
    base = [r for r in data["records"] if framework in (None, r["framework"])]
    if n_records <= len(base):
        records = [base[i] for i in sorted(rng.sample(range(len(base)), n_records))]
    else:
        records = list(base)
        k = 0
        while base and len(records) < n_records:
            k += 1
            for r in base[: n_records - len(records)]:
                c = dict(r, case=f"{r['case']}~{k}", seconds=round(rng.uniform(1e-5, 5e-3), 6))
                factor = rng.uniform(0.5, 2.0)
                for e in ("max_abs_err", "max_rel_err", "max_ulp_err", "pure_ulp_err"):
                    if c.get(e) is not None:
                        c[e] = c[e] * factor if c["status"] not in ("pass", "convention") else min(
                            c[e] * factor, 0.9 * (c.get("tolerance") or 32.0))
                records.append(c)
    numeric = [r for r in records if r["check"] in ("value", "grad") and r["status"] == "pass"]
    for i, r in enumerate(numeric[EVERY // 2::EVERY]):
        _fail(r, FAILING[i % len(FAILING)], rng)
    for r in records:
        r.update(machine=machine, device=device)
    keep = {r["api"] for r in records} if framework else None

    def mine(row):
        return framework in (None, row.get("framework"))

    data["records"] = records
    data["environment"].update(machine=machine, device=device, framework=framework or "all")
    for key in ("bindings", "different_definitions", "divergences", "sweeps"):
        data[key] = [x for x in data.get(key, []) if mine(x)]
    if keep is not None:
        data["coverage"] = {k: v for k, v in data["coverage"].items() if k in keep}
    return data


def write(path, **kw):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(generate(**kw), f)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python tests/synthetic.py", description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--framework", default=None)
    ap.add_argument("--machine", default="synthetic-host")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args(argv)
    write(a.out, n_records=a.records, seed=a.seed, framework=a.framework, machine=a.machine, device=a.device)


if __name__ == "__main__":
    main()
