"""Merged results -> a static HTML site (index, one page per loss, porting, subgradients, diff).

Every page is a Jinja2 template with autoescape on; nothing from a results file
is marked safe.  The only markup inserted unescaped is matplotlib's SVG, whose
text is XML-escaped by matplotlib and whose comments are stripped.  Pages carry
their CSS and their few lines of JavaScript inline: no network at view time.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from fnmatch import fnmatchcase

import jinja2
from markupsafe import Markup, escape

from . import diff as diffmod
from .load import load
from .schema import CATEGORIES, CHECKS, GOOD, category

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
BIG_TABLE = 40  # binding tables with more rows than this start collapsed

SHORT = {"fails": "failing", "na": "n/a"}
RANK = {k: i for i, (k, _, _) in enumerate(CATEGORIES)}
EMPTY = Markup("<td></td>")


def family(api):
    """API family of a binding id: 'torch.nn.functional.l1_loss' -> 'torch.nn.functional'."""
    api = str(api).split("[", 1)[0]
    return api.rsplit(".", 1)[0] if "." in api else api


def slug(text, used=None):
    s = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text)).strip("._") or "x"
    if used is not None:
        base, i = s, 2
        while s in used and used[s] != text:
            s, i = f"{base}_{i}", i + 1
        used[s] = text
    return s


def fmt(x):
    """An error for a table cell: '-' for null, compact otherwise."""
    if x is None:
        return "-"
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if x == 0:
        return "0"
    if abs(x) >= 1e5 or abs(x) < 1e-2:
        return f"{x:.2g}"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


def compact(value):
    """Params / conventions as short readable text."""
    if value in (None, {}, []):
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in value.items())
    return json.dumps(value, default=str)


def _env():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.do"],
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(fmt=fmt, compact=compact, family=family)
    env.globals.update(CATEGORIES=CATEGORIES, RANK=RANK, GOOD=GOOD, is_url=lambda s: isinstance(s, str) and
                       re.match(r"https?://", s) is not None)
    return env


def _worst(cats):
    return min(cats, key=RANK.__getitem__) if cats else "na"


def _maxerr(a, b):
    return b if a is None else a if b is None else max(a, b)


# ---------------------------------------------------------------- aggregation


def matrix(res, losses):
    """{(loss, family): cell summary} and the ordered families per framework."""
    cells = {}
    for r in res.records:
        c = cells.get((r["loss"], family(r["api"])))
        if c is None:
            c = cells[(r["loss"], family(r["api"]))] = {"counts": Counter(), "err": {}, "framework": r["framework"]}
        c["counts"][category(r)] += 1
        if r["check"] in ("value", "grad") and r["status"] != "skip":
            k = (r["dtype"], r["check"])
            c["err"][k] = _maxerr(c["err"].get(k), r.get("max_ulp_err"))
    for b in res.bindings.values():  # bindings that produced no record still show (not available)
        key = (b.get("loss"), family(b.get("id", "")))
        cells.setdefault(key, {"counts": Counter(), "err": {}, "framework": b.get("framework"),
                               "reason": b.get("reason") or "no cells recorded"})
    families = defaultdict(set)
    for (_, fam), c in cells.items():
        families[str(c["framework"])].add(fam)
    for c in cells.values():
        c["category"] = _worst([k for k, n in c["counts"].items() if n and k != "na"]) if any(
            k != "na" for k in c["counts"]) else "na"
        c["total"] = sum(c["counts"].values())
        c["lines"] = [f"{dt.replace('float', 'f')}  v {fmt(c['err'].get((dt, 'value')))}  "
                      f"g {fmt(c['err'].get((dt, 'grad')))}"
                      for dt in sorted({dt for dt, _ in c["err"]})]
        c["bar"] = [(k, round(100 * c["counts"][k] / c["total"], 2)) for k, _, _ in CATEGORIES
                    if c["counts"].get(k)] if c["total"] else []
        c["notes"] = ", ".join(f"{c['counts'][k]} {SHORT.get(k, k)}" for k, _, _ in CATEGORIES
                               if c["counts"].get(k) and k != "pass")
        c["title"] = ", ".join(f"{n} {k}" for k, n in sorted(c["counts"].items(), key=lambda kv: RANK[kv[0]]))
    columns = [(fw, sorted(fams)) for fw, fams in sorted(families.items())]
    return cells, columns


def binding_tables(records, multi_device):
    """Per binding: a pivot table, rows = case (+ params), columns = (check, dtype, reduction)."""
    by_api = defaultdict(list)
    for r in records:
        by_api[r["api"]].append(r)
    tables = []
    for api, recs in sorted(by_api.items(), key=lambda kv: (str(kv[1][0]["framework"]), family(kv[0]), str(kv[0]))):
        cols = sorted({(r["check"], r["dtype"], r["reduction"]) for r in recs},
                      key=lambda c: (CHECKS.index(c[0]) if c[0] in CHECKS else 9, str(c[1]), str(c[2])))
        col_index = {c: i for i, c in enumerate(cols)}
        rows = {}
        for r in recs:
            label = r["case"] if not multi_device else f"{r['case']} @{r.get('device')}"
            row = rows.get(label)
            if row is None:
                row = rows[label] = {"case": label, "tags": " ".join(map(str, r.get("tags") or [])),
                                     "params": compact(r.get("params")), "cells": [EMPTY] * len(cols)}
            cat = category(r)
            if r["check"] == "error":
                text = str(r.get("framework_behaviour") or r["status"])
                text = text if len(text) <= 40 else text[:39] + "\u2026"
            else:
                text = fmt(r.get("max_ulp_err")) if r.get("max_ulp_err") is not None else r["status"]
            title = f"{r['status']}" + (f" - {r['message']}" if r.get("message") else "")
            if r.get("framework_behaviour"):
                title += f" (framework: {r['framework_behaviour']})"
            if r.get("pure_ulp_err") is not None and r.get("pure_ulp_err") != r.get("max_ulp_err"):
                title += f" (pure definition: {fmt(r['pure_ulp_err'])} ulps)"
            if r.get("subgradient"):
                title += f" subgradient: {r['subgradient']}"
            # the hot loop of a big build: the cell is rendered here, every string escaped
            row["cells"][col_index[(r["check"], r["dtype"], r["reduction"])]] = Markup(
                f'<td class="c-{cat}" title="{escape(title)}">{escape(text)}</td>')
        counts = Counter(category(r) for r in recs)
        tables.append({"api": api, "cols": cols, "rows": list(rows.values()), "counts": counts,
                       "worst": _worst([k for k in counts if k != "na"]) if any(k != "na" for k in counts) else "na"})
    return tables


def repro_block(r):
    """A failing or divergent cell and its repro, rendered here (a big run has tens of thousands), escaped."""
    e = escape
    html = (f'<p class="small"><span class="badge c-{category(r)}">{e(r["status"])}</span>\n<span class="mono">'
            f'{e(r["api"])} {e(r["check"])} {e(r["dtype"])} {e(r["reduction"])} {e(r["case"])}</span> '
            f'{e(compact(r.get("params")))}\n')
    if r.get("divergence"):
        html += f'&middot; divergence <span class="mono">{e(r["divergence"])}</span> ({e(r.get("divergence_kind"))})\n'
    html += f'&middot; max ulp {e(fmt(r.get("max_ulp_err")))}'
    if r.get("pure_ulp_err") != r.get("max_ulp_err"):
        html += f' (pure {e(fmt(r.get("pure_ulp_err")))})'
    if r.get("framework_behaviour"):
        html += f'\n&middot; {e(r["framework_behaviour"])}'
    html += (f'\n&middot; <span class="muted">{e(r.get("machine"))} / {e(r.get("device"))}</span><br>'
             f'{e(r.get("message"))}</p>\n<div class="repro"><button class="copy" type="button">copy</button><pre>'
             f'{e(r.get("repro") or "# no repro recorded")}</pre></div>\n')
    return Markup(html)


def reference_info(name, carried):
    """(doc, source) of a loss from the results files' "reference" table; None where they do not carry it."""
    info = carried.get(name)
    return (str(info.get("doc", "")), str(info.get("source", ""))) if info else None


def verified(r):
    return r["check"] in ("value", "grad") and category(r) in ("pass", "convention")


def _sum_err(a, b, key):
    """The bound on the distance between two APIs via the reference: the sum of their errors."""
    return None if a.get(key) is None or b.get(key) is None else a[key] + b[key]


def porting(res, loss_pages):
    """For each pair of frameworks, which API equals which, from verified cells only."""
    stats = {}
    for r in res.records:
        s = stats.get(r["api"])
        if s is None:
            b = res.bindings.get(r["api"], {})
            s = stats[r["api"]] = {"api": r["api"], "loss": r["loss"], "framework": r["framework"],
                                   "expression": b.get("expression") or r["api"], "n": 0, "bad": Counter(),
                                   "err": {}, "params": defaultdict(set), "conventions": {},
                                   "unverified": []}
        if r["check"] not in ("value", "grad") or r["status"] == "skip":
            continue
        if verified(r):
            s["n"] += 1
            k = (r["dtype"], r["check"])
            s["err"][k] = _maxerr(s["err"].get(k), r.get("max_ulp_err"))
            for k, v in (r.get("params") or {}).items():
                s["params"][k].add(json.dumps(v, default=str))
            if r["status"] == "convention":
                div = res.divergences.get(r.get("divergence")) or {}
                s["conventions"].update(r.get("conventions") or {})
                s["conventions"].update(div.get("params") or {})
        else:
            s["bad"][category(r)] += 1
            if len(s["unverified"]) < 4:
                s["unverified"].append(f"{r['case']} {compact(r.get('params'))} {r['check']} {r['dtype']}: "
                                       f"{r['status']}")
    by_loss_fw = defaultdict(list)
    for s in stats.values():
        s["params"] = {k: sorted(v) for k, v in s["params"].items()}
        by_loss_fw[(s["loss"], s["framework"])].append(s)
    frameworks = sorted({s["framework"] for s in stats.values()}, key=str)
    losses = sorted({s["loss"] for s in stats.values()}, key=str)
    defs = defaultdict(list)
    for d in res.different_definitions:
        defs[(d.get("loss"), d.get("framework"))].append(d)
    pairs = []
    for i, fa in enumerate(frameworks):
        for fb in frameworks[i + 1:]:
            rows = []
            for loss in losses:
                a = [s for s in by_loss_fw.get((loss, fa), []) if s["n"]]
                b = [s for s in by_loss_fw.get((loss, fb), []) if s["n"]]
                if not by_loss_fw.get((loss, fa)) and not by_loss_fw.get((loss, fb)):
                    continue
                row = {"loss": loss, "page": loss_pages.get(loss), "matches": [], "missing": None}
                for sa in a:
                    for sb in b:
                        dtypes = sorted({dt for dt, _ in sa["err"]} & {dt for dt, _ in sb["err"]})
                        row["matches"].append({"a": sa, "b": sb, "within": [
                            (dt, _sum_err(sa["err"], sb["err"], (dt, "value")),
                             _sum_err(sa["err"], sb["err"], (dt, "grad"))) for dt in dtypes]})
                if not row["matches"]:
                    side, other = (fb, by_loss_fw.get((loss, fb), [])) if a else (fa, by_loss_fw.get((loss, fa), []))
                    row["missing"] = {"framework": side if (a or b) else f"{fa} and {fb}",
                                      "have": a or b, "others": other, "defs": defs.get((loss, side), [])}
                rows.append(row)
            pairs.append({"a": fa, "b": fb, "rows": rows})
    return pairs


def subgradients(res):
    """{loss: {"apis": [...], "rows": [(case, kink tags, {api: text})]}} from grad cells at kinks."""
    table = defaultdict(lambda: defaultdict(lambda: defaultdict(Counter)))
    tags = {}
    for r in res.records:
        if r["check"] != "grad" or not any("kink" in str(t) for t in r.get("tags") or []):
            continue
        got = r.get("subgradient") or ("(none: " + r["status"] + ")")
        table[r["loss"]][r["case"]][r["api"]][got] += 1
        tags[(r["loss"], r["case"])] = " ".join(str(t) for t in r.get("tags") or [] if "kink" in str(t))
    out = {}
    for loss in sorted(table, key=str):
        apis = sorted({api for case in table[loss].values() for api in case}, key=str)
        rows = []
        for case, per_api in sorted(table[loss].items(), key=lambda kv: str(kv[0])):
            cells = {}
            for api, cnt in per_api.items():
                main = cnt.most_common(1)[0][0]
                cells[api] = {"main": main, "text": ", ".join(f"{k} x{n}" for k, n in cnt.most_common()),
                              "mixed": len(cnt) > 1}
            rows.append({"case": case, "tags": tags[(loss, case)], "cells": cells})
        out[loss] = {"apis": apis, "rows": rows}
    return out


# ---------------------------------------------------------------- the build


class Progress:
    def __init__(self, quiet=False):
        self.t0, self.quiet = time.perf_counter(), quiet

    def __call__(self, msg):
        if not self.quiet:
            print(f"[reports {time.perf_counter() - self.t0:6.2f}s] {msg}", file=sys.stderr, flush=True)


def build(results_paths, out, baseline_paths=None, factor=diffmod.DEFAULT_FACTOR, quiet=False, plots=True):
    """Write the site into `out`; returns {"pages": [...], "seconds": float}."""
    log = Progress(quiet)
    res = load(results_paths)
    log(f"loaded {len(res.records)} records from {len(res.sources)} file(s)")
    base = load(baseline_paths) if baseline_paths else None
    env = _env()
    os.makedirs(out, exist_ok=True)
    written = []

    def emit(name, template, **ctx):
        html = env.get_template(template).render(**ctx)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(html)
        written.append(name)

    by_loss = defaultdict(list)
    for r in res.records:
        by_loss[r["loss"]].append(r)
    # every loss the files name: cells, bindings, the reference section (reference-only losses get a row
    # of "no API"), look-alike APIs; a divergence's loss may be a pattern ("*iou"): it is matched below
    losses = set(by_loss) | {b.get("loss") for b in res.bindings.values()} | set(res.reference) | {
        d.get("loss") for d in res.different_definitions}
    losses.discard(None)
    losses = sorted(losses, key=str)
    used = {}
    loss_pages = {loss: f"loss-{slug(loss, used)}.html" for loss in losses}
    multi_device = len({(r.get("device")) for r in res.records}) > 1
    changes = diffmod.compare(base, res, factor) if base is not None else None

    nav = [("index.html", "Matrix"), ("porting.html", "Porting"), ("subgradients.html", "Subgradients")]
    if changes is not None:
        nav.append(("diff.html", "Diff"))
    common = {"nav": nav, "sources": res.sources}

    cells, columns = matrix(res, losses)
    status_counts = Counter(r["status"] for r in res.records)
    cat_counts = Counter(category(r) for r in res.records)
    emit("index.html", "index.html", title="Compatibility matrix", current="index.html", losses=losses,
         loss_pages=loss_pages, cells=cells, columns=columns, status_counts=status_counts, cat_counts=cat_counts,
         n_records=len(res.records), n_bindings=len(res.bindings), changes=changes,
         regressions=sum(c.regression for c in changes) if changes else 0, **common)
    log("index.html")

    sweeps_by_loss = defaultdict(lambda: defaultdict(list))
    for s in res.sweeps:
        sweeps_by_loss[s.get("loss")][json.dumps(s.get("params") or {}, sort_keys=True, default=str)].append(s)
    for i, loss in enumerate(losses):
        recs = by_loss.get(loss, [])
        svgs = []
        if plots:
            from .plots import sweep_svg

            for j, (params, group) in enumerate(sorted(sweeps_by_loss.get(loss, {}).items())):
                p = compact(json.loads(params))
                svgs.append({"params": p, "svg": Markup(sweep_svg(f"{loss} {p}".strip(), group, f"{loss}-{j}"))})
        failing = [repro_block(r) for r in recs if category(r) not in ("pass", "convention", "na")]
        emit(loss_pages[loss], "loss.html", title=f"{loss}", current=None, loss=loss,
             ref=reference_info(loss, res.reference),
             bindings=[b for b in res.bindings.values() if b.get("loss") == loss],
             defs=[d for d in res.different_definitions if d.get("loss") == loss],
             divergences=[d for d in res.divergences.values()
                          if d.get("loss") == loss or (fnmatchcase(loss, str(d.get("loss")))
                                                       and d.get("id") in {r.get("divergence") for r in recs})],
             tables=binding_tables(recs, multi_device), failing=failing, plots=svgs, BIG_TABLE=BIG_TABLE,
             slug=slug, category=category, **common)
        if (i + 1) % 10 == 0 or i + 1 == len(losses):
            log(f"loss pages {i + 1}/{len(losses)}")

    emit("porting.html", "porting.html", title="Porting between frameworks", current="porting.html",
         pairs=porting(res, loss_pages), **common)
    emit("subgradients.html", "subgradients.html", title="Subgradients at kinks", current="subgradients.html",
         table=subgradients(res), loss_pages=loss_pages, **common)
    if changes is not None:
        emit("diff.html", "diff.html", title="Changes against the baseline", current="diff.html",
             changes=changes, factor=factor, base_sources=base.sources, floor=diffmod.NOISE_FLOOR, **common)
    seconds = time.perf_counter() - log.t0
    log(f"wrote {len(written)} pages to {out}")
    return {"pages": written, "seconds": seconds}
