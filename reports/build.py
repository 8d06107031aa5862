"""Merged results -> a static HTML site (index, one page per loss, call finder, stack against stack, subgradients,
diff, the release history's changelog).

Every page is a Jinja2 template with autoescape on; nothing from a results file
is marked safe.  The only markup inserted unescaped is matplotlib's SVG, whose
text is XML-escaped by matplotlib and whose comments are stripped, and the call
finder's data, JSON with every '<', '>' and '&' written as a \\u escape
(views.embed_json), which its script reads and inserts as text only.  Pages carry
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
from .schema import CATEGORIES, CHECKS, GOOD, INPUT_CLASSES, MARKS, category, stack_of
from .views import Verdict, agreement, embed_json, finder_data, shared_apis

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
BIG_TABLE = 40  # binding tables with more rows than this start collapsed
MAX_ROWS = 100  # a binding table shows at most this many cases, the worst first; the rest are counted
REPRO_BUDGET = 500_000  # characters of repro text per loss page; past it a cell is listed without its repro
MAX_LISTED = 150  # failing and divergent cells listed per loss page, the worst first; the rest are counted
MAX_STEP_CELLS = 50  # cells listed per (loss, api, release) of the changelog; the rest are counted

CLASS_SHORT = {"valid": "valid", "edge": "edges", "bad": "bad input"}
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
    env.filters.update(fmt=fmt, compact=compact, family=family, basename=lambda p: os.path.basename(str(p)))
    env.globals.update(CATEGORIES=CATEGORIES, RANK=RANK, GOOD=GOOD, MARKS=MARKS, INPUT_CLASSES=INPUT_CLASSES, slug=slug,
                       is_url=lambda s: isinstance(s, str) and
                       re.match(r"https?://", s) is not None)
    return env


def _worst(cats):
    return min(cats, key=RANK.__getitem__) if cats else "na"


def _maxerr(a, b):
    return b if a is None else a if b is None else max(a, b)


# ---------------------------------------------------------------- aggregation


def matrix(res, losses):
    """{(loss, stack, family): cell summary} and the ordered families per stack.  A cell gives its verdict per
    input class (valid inputs, edges, bad input): a category with its mark, the worst error, the cells."""
    cells = {}
    for r in res.records:
        key = (r["loss"], stack_of(r), family(r["api"]))
        c = cells.get(key)
        if c is None:
            c = cells[key] = {"counts": Counter(), "verdict": Verdict()}
        c["counts"][category(r)] += 1
        c["verdict"].add(r)
    for (fw, bid), b in res.bindings.items():  # bindings that produced no record still show (not available)
        cells.setdefault((b.get("loss"), fw, family(bid)), {"counts": Counter(), "verdict": Verdict(),
                                                            "reason": b.get("reason") or "no cells recorded"})
    families = defaultdict(set)
    for (_, fw, fam) in cells:
        families[str(fw)].add(fam)
    for c in cells.values():
        c["total"] = sum(c["counts"].values())
        c["rows"] = [(k, cat, MARKS[cat], CLASS_SHORT[k], fmt(err) if err is not None else "", n)
                     for k, cat, err, n in c["verdict"].rows()]
        c["title"] = ", ".join(f"{n} {k}" for k, n in sorted(c["counts"].items(), key=lambda kv: RANK[kv[0]]))
    columns = [(fw, sorted(fams)) for fw, fams in sorted(families.items())]
    return cells, columns


def binding_tables(records, multi_device):
    """Per binding: a pivot table, rows = case (+ params), columns = (check, dtype, reduction)."""
    by_api = defaultdict(list)
    for r in records:
        by_api[(r["framework"], r["api"])].append(r)
    tables = []
    for (fw, api), recs in sorted(by_api.items(), key=lambda kv: (str(kv[0][0]), family(kv[0][1]), str(kv[0][1]))):
        cols = sorted({(r["check"], r["dtype"], r["reduction"]) for r in recs},
                      key=lambda c: (CHECKS.index(c[0]) if c[0] in CHECKS else 9, str(c[1]), str(c[2])))
        col_index = {c: i for i, c in enumerate(cols)}
        labels = [r["case"] if not multi_device else f"{r['case']} @{r.get('device')}" for r in recs]
        rank = {}  # a row's worst category; past MAX_ROWS only the worst rows are shown
        for label, r in zip(labels, recs, strict=True):
            rank[label] = min(rank.get(label, len(RANK)), RANK[category(r)])
        shown = set(sorted(rank, key=rank.get)[:MAX_ROWS]) if len(rank) > MAX_ROWS else rank
        rows = {}
        for label, r in zip(labels, recs, strict=True):
            if label not in shown:
                continue
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
        tables.append({"api": api, "framework": fw, "cols": cols, "rows": list(rows.values()), "counts": counts,
                       "hidden": len(rank) - len(rows),
                       "worst": _worst([k for k in counts if k != "na"]) if any(k != "na" for k in counts) else "na"})
    return tables


def repro_block(r, with_repro=True):
    """A failing or divergent cell and its repro, rendered here (a big run has tens of thousands), escaped.
    Without the repro (past a page's REPRO_BUDGET) the cell is listed and says where its repro is."""
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
             f'{e(r.get("message"))}</p>\n')
    if not with_repro:
        return Markup(html + '<p class="small muted">repro omitted here (page size); the results file holds it '
                             '(the record\'s "repro")</p>\n')
    html += (f'<div class="repro"><button class="copy" type="button">copy</button><pre>'
             f'{e(r.get("repro") or "# no repro recorded")}</pre></div>\n')
    return Markup(html)


def reference_info(name, carried):
    """(doc, source) of a loss from the results files' "reference" table; None where they do not carry it."""
    info = carried.get(name)
    return (str(info.get("doc", "")), str(info.get("source", ""))) if info else None


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


def build(results_paths, out, baseline_paths=None, factor=diffmod.DEFAULT_FACTOR, quiet=False, plots=True,
          history=None, history_repros=None):
    """Write the site into `out`; returns {"pages": [...], "seconds": float}.  `history`: history files (or folders
    of them) for the changelog, `history_repros` the folder of their full results files (reports/changelog.py)."""
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

    nav = [("index.html", "Matrix"), ("finder.html", "Call finder"), ("stacks.html", "Stack against stack"),
           ("subgradients.html", "Subgradients")]
    if changes is not None:
        nav.append(("diff.html", "Diff"))
    if history:
        nav.append(("changelog.html", "Changelog"))
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
        key = (json.dumps(s.get("params") or {}, sort_keys=True, default=str), str(s.get("x_label") or ""))
        sweeps_by_loss[s.get("loss")][key].append(s)  # one figure per parameters and swept variable
    for i, loss in enumerate(losses):
        recs = by_loss.get(loss, [])
        svgs = []
        if plots:
            from .plots import sweep_svg

            for j, ((params, _), group) in enumerate(sorted(sweeps_by_loss.get(loss, {}).items())):
                p = compact(json.loads(params))
                svgs.append({"params": p, "svg": Markup(sweep_svg(f"{loss} {p}".strip(), group, f"{loss}-{j}"))})
        failing, budget = [], REPRO_BUDGET
        bad = sorted((r for r in recs if category(r) not in ("pass", "convention", "na")),
                     key=lambda r: RANK[category(r)])  # worst first: a failing cell keeps its repro
        for r in bad[:MAX_LISTED]:
            budget -= len(r.get("repro") or "")
            failing.append(repro_block(r, budget >= 0))
        unlisted = Counter(category(r) for r in bad[MAX_LISTED:])
        seen = {r.get("divergence") for r in recs}  # the divergences this loss's cells name
        emit(loss_pages[loss], "loss.html", title=f"{loss}", current=None, loss=loss,
             ref=reference_info(loss, res.reference),
             bindings=[b for b in res.bindings.values() if b.get("loss") == loss],
             defs=[d for d in res.different_definitions if d.get("loss") == loss],
             divergences=[d for d in res.divergences.values()
                          if d.get("loss") == loss or (fnmatchcase(loss, str(d.get("loss"))) and d.get("id") in seen)],
             tables=binding_tables(recs, multi_device), failing=failing, unlisted=unlisted, plots=svgs,
             BIG_TABLE=BIG_TABLE,
             category=category, **common)
        if (i + 1) % 10 == 0 or i + 1 == len(losses):
            log(f"loss pages {i + 1}/{len(losses)}")

    emit("finder.html", "finder.html", title="Call finder", current="finder.html",
         data=Markup(embed_json(finder_data(res, loss_pages))), **common)
    stacks, pairs = agreement(res)
    shared_stacks, shared = shared_apis(res)
    emit("stacks.html", "stacks.html", title="Stack against stack", current="stacks.html", stacks=stacks,
         pairs=pairs, shared_stacks=shared_stacks, shared=shared, loss_pages=loss_pages, **common)
    emit("subgradients.html", "subgradients.html", title="Subgradients at kinks", current="subgradients.html",
         table=subgradients(res), loss_pages=loss_pages, **common)
    if changes is not None:
        emit("diff.html", "diff.html", title="Changes against the baseline", current="diff.html",
             changes=changes, factor=factor, base_sources=base.sources, floor=diffmod.NOISE_FLOOR, **common)
    if history:
        from .changelog import changelog

        emit("changelog.html", "changelog.html", title="Changelog: releases against releases", current="changelog.html",
             factor=factor, floor=diffmod.NOISE_FLOOR, loss_pages=loss_pages, max_cells=MAX_STEP_CELLS,
             **changelog(history, history_repros, factor), **common)
        log("changelog.html")
    seconds = time.perf_counter() - log.t0
    log(f"wrote {len(written)} pages to {out}")
    return {"pages": written, "seconds": seconds}
