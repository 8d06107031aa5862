"""What the index, the call finder and the stack-against-stack page show: verdicts by input class.

A *verdict* of a set of records is, per input class (schema.INPUT_CLASSES), its worst report category, its worst
measured error (ulps, value and gradient, every dtype) and its count of cells.  Stacks are whatever the results
files name; nothing here knows one.
"""

from __future__ import annotations

import json
from collections import defaultdict

from .schema import CATEGORIES, INPUT_CLASSES, MARKS, category, input_class, stack_of

CLASS_KEYS = tuple(k for k, _, _ in INPUT_CLASSES)
RANKED = tuple(k for k, _, _ in CATEGORIES)  # worst first
_RANK = {k: i for i, k in enumerate(RANKED)}
AGREE = ("pass", "convention")
REPRO_CHARS = 2500  # the call finder embeds one repro per (binding, class) up to this size; longer: the loss page


def _worse(a, b):
    return b if a is None or _RANK[b] < _RANK[a] else a


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)


class Verdict:
    """Per input class: worst category (skips count only where nothing else ran), worst error, cells."""

    __slots__ = ("cat", "err", "n", "ran")

    def __init__(self):
        self.cat, self.err, self.n, self.ran = {}, {}, defaultdict(int), defaultdict(int)

    def add(self, r, cls=None):
        cls = cls or input_class(r)
        cat = category(r)
        self.n[cls] += 1
        if cat == "na":
            self.cat.setdefault(cls, "na")
            return
        self.ran[cls] += 1
        self.cat[cls] = cat if self.cat.get(cls, "na") == "na" else _worse(self.cat[cls], cat)
        if r["check"] != "error":
            self.err[cls] = _max(self.err.get(cls), r.get("max_ulp_err"))

    def agrees(self, cls):
        """True / False where cells of the class ran, None where none did."""
        return self.cat.get(cls) in AGREE if self.ran.get(cls) else None

    def rows(self):
        """[(class key, category, worst error, cells)] for the classes with cells."""
        return [(k, self.cat[k], self.err.get(k), self.n[k]) for k in CLASS_KEYS if self.n.get(k)]


def verdicts(records, key):
    """{key(record): Verdict} over `records`."""
    out = defaultdict(Verdict)
    for r in records:
        out[key(r)].add(r)
    return out


# ---------------------------------------------------------------- the call finder


def _stat(entry, r, cat):
    """Fold one record (of category `cat`) into a finder stat [worst category, verified value ulps, verified grad
    ulps, worst ulps, cells, {divergence ids}]."""
    if entry[0] == "na" or (cat != "na" and _RANK[cat] < _RANK[entry[0]]):
        entry[0] = cat
    entry[4] += 1
    if r["check"] in ("value", "grad") and cat != "na":
        err = r.get("max_ulp_err")
        if cat in AGREE:
            i = 1 if r["check"] == "value" else 2
            entry[i] = _max(entry[i], err)
        entry[3] = _max(entry[3], err)
    if r.get("divergence"):
        entry[5].add(r["divergence"])


def finder_data(res, loss_pages):
    """The call finder's data: every binding with its call, conventions and measured stats, by parameter values,
    input class and dtype; the divergences and look-alike APIs they refer to."""
    stats = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: ["na", None, None, None, 0, set()])))
    repros = defaultdict(dict)
    for r in res.records:
        cls, cat, params = input_class(r), category(r), r.get("params")
        group = json.dumps(params, sort_keys=True, default=str) if params else "{}"
        key = (r["framework"], r["api"])
        _stat(stats[key][group][cls + "|" + str(r["dtype"])], r, cat)
        text = r.get("repro")
        if text and cat not in AGREE and cat != "na" and len(text) <= REPRO_CHARS:
            have = repros[key].get(cls)
            if have is None or len(text) < len(have):
                repros[key][cls] = text
    apis = []
    for key, b in sorted(res.bindings.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        bid = key[1]
        groups = []
        for group, per in sorted(stats.get(key, {}).items()):
            groups.append({"p": json.loads(group),
                           "s": {k: [v[0], v[1], v[2], v[3], v[4], sorted(v[5])] for k, v in sorted(per.items())}})
        apis.append({"id": bid, "fw": b.get("framework"), "loss": b.get("loss"), "api": b.get("api") or bid,
                     "expr": b.get("expression") or bid, "params": list(b.get("params") or []),
                     "reductions": list(b.get("reductions") or []), "dtypes": list(b.get("dtypes") or []),
                     "conv": [[c.get("params"), c.get("why"), c.get("citation")] for c in b.get("conventions") or []
                              if isinstance(c, dict)],
                     "note": b.get("note") or "", "available": b.get("available", True),
                     "reason": b.get("reason") or "", "groups": groups, "repro": repros.get(key, {}),
                     "page": loss_pages.get(b.get("loss"))})
    divs = {d["id"]: [d.get("kind"), d.get("explanation"), d.get("citation")] for d in res.divergences.values()}
    defs = [[d.get("loss"), d.get("framework"), d.get("api"), d.get("explanation"), d.get("citation")]
            for d in res.different_definitions]
    return {"apis": apis, "div": divs, "defs": defs, "classes": [[k, label] for k, label, _ in INPUT_CLASSES],
            "cats": [[k, label, MARKS[k]] for k, label, _ in CATEGORIES], "agree": list(AGREE)}


def embed_json(data):
    """JSON for a <script type="application/json"> element: no '<', '>' or '&' survives, so no '</script>'."""
    text = json.dumps(data, separators=(",", ":"), default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- stack against stack


def agreement(res):
    """Per pair of stacks: per input class, (losses where some binding of each side agrees with the reference,
    losses both bind with cells of the class) -- two APIs that each agree with the reference agree with each
    other within the sum of their errors."""
    per = verdicts(res.records, lambda r: (stack_of(r), r["loss"], r["api"]))
    by_stack = defaultdict(lambda: defaultdict(list))  # stack -> loss -> [Verdict per binding]
    for (fw, loss, _), v in per.items():
        by_stack[fw][loss].append(v)
    stacks = sorted(by_stack, key=str)
    pairs = []
    for i, a in enumerate(stacks):
        for b in stacks[i + 1:]:
            common = sorted(set(by_stack[a]) & set(by_stack[b]), key=str)
            row = {"a": a, "b": b, "losses": len(common), "classes": {}, "differ": {}}
            for cls in CLASS_KEYS:
                both = agree = 0
                differ = []
                for loss in common:
                    sa = [v.agrees(cls) for v in by_stack[a][loss]]
                    sb = [v.agrees(cls) for v in by_stack[b][loss]]
                    if all(x is None for x in sa) or all(x is None for x in sb):
                        continue
                    both += 1
                    if any(sa) and any(sb):
                        agree += 1
                    else:
                        differ.append(loss)
                row["classes"][cls] = (agree, both)
                row["differ"][cls] = differ
            pairs.append(row)
    return stacks, pairs


def shared_apis(res):
    """APIs bound on two or more stacks (one Keras API on several backends): {api: {stack: Verdict}}, with the
    bindings' ids as rows so that two variants of one API stay apart."""
    stacks_of = defaultdict(set)
    for r in res.records:
        stacks_of[r["api"]].add(stack_of(r))
    shared = {api for api, fws in stacks_of.items() if len(fws) > 1}
    per = verdicts((r for r in res.records if r["api"] in shared), lambda r: (r["loss"], r["api"], stack_of(r)))
    table = defaultdict(dict)
    for (loss, api, fw), v in per.items():
        table[(loss, api)][fw] = v
    stacks = sorted({fw for fws in (stacks_of[a] for a in shared) for fw in fws}, key=str)
    return stacks, dict(sorted(table.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))))
