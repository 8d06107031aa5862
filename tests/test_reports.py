"""reports/: the schema, loading, the static site, escaping, provenance, the baseline diff and compact baselines
(on results scaled from a trimmed real run: tests/synthetic.py)."""

import copy
import glob
import json
import os
import re
import subprocess
import sys
import time

import pytest
from markupsafe import escape
from synthetic import SAMPLE, generate

from conformance.tolerance import THRESHOLD
from reports import build as build_mod
from reports import diff as diffmod
from reports import schema
from reports.__main__ import main
from reports.build import build, family
from reports.compact import baseline_text
from reports.load import ResultsError, load
from reports.schema import SCHEMA, category

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XSS = "<script>alert(1)</script>"


def dump(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return str(path)


@pytest.fixture(scope="module")
def small():
    return generate(n_records=1200, seed=1)


@pytest.fixture(scope="module")
def site(small, tmp_path_factory):
    d = tmp_path_factory.mktemp("site")
    path = dump(d / "results.json", small)
    out = build([path], str(d / "out"), baseline_paths=[path], quiet=True)
    return str(d / "out"), out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------- the site


def test_site_has_every_page(site, small):
    out, info = site
    losses = {r["loss"] for r in small["records"]} | {b["loss"] for b in small["bindings"]}
    pages = set(os.listdir(out))
    assert {"index.html", "finder.html", "stacks.html", "subgradients.html", "diff.html"} <= pages
    assert {f"loss-{loss}.html" for loss in losses} <= pages
    assert len(info["pages"]) == len(pages) == 5 + len(losses)


def test_index_lists_every_loss_and_framework(site, small):
    html = read(os.path.join(site[0], "index.html"))
    for loss in {r["loss"] for r in small["records"]}:
        assert f'href="loss-{loss}.html"' in html
    for fw in {r["framework"] for r in small["records"]}:
        assert f">{fw}</th>" in html
    for fam in {family(r["api"]) for r in small["records"]}:
        assert f">{fam}</th>" in html
    assert "synthetic-host" in html  # provenance in the header
    assert os.path.getsize(os.path.join(site[0], "index.html")) < 2_000_000


def test_loss_page_shows_reference_bindings_divergences_plots_and_repros(site, small):
    loss = small["sweeps"][0]["loss"]
    html = read(os.path.join(site[0], f"loss-{loss}.html"))
    doc, source = small["reference"][loss]["doc"], small["reference"][loss]["source"]
    assert str(escape(doc.splitlines()[0])) in html and str(escape(source.splitlines()[0])) in html  # carried
    bindings = [b for b in small["bindings"] if b["loss"] == loss and b.get("expression")]
    assert bindings and all(str(escape(b["expression"])) in html for b in bindings)
    divergences = {r["divergence"] for r in small["records"] if r["loss"] == loss and r.get("divergence")}
    assert divergences and all(d in html for d in divergences)
    assert html.count("<svg") >= 1
    # one repro with a copy button per failing or divergent cell; convention cells agree, they are not listed
    loss = "binary_cross_entropy"
    failing = [r for r in small["records"] if r["loss"] == loss and category(r) not in ("pass", "convention", "na")]
    assert len(failing) > 5
    html = read(os.path.join(site[0], f"loss-{loss}.html"))
    assert html.count('<button class="copy"') == len(failing)


def test_input_classes():
    assert schema.input_class({"check": "error", "tags": ["interior"]}) == "bad"
    assert schema.input_class({"check": "value", "tags": ["bad_input"]}) == "bad"
    for tag in ("saturation", "kink", "extreme", "edge", "nonfinite"):
        assert schema.input_class({"check": "grad", "tags": ["interior", tag]}) == "edge"
    assert schema.input_class({"check": "value", "tags": ["interior"]}) == "valid"
    assert schema.input_class({"check": "value", "tags": ["branch"]}) == "valid"
    assert set(schema.MARKS) == {k for k, _, _ in schema.CATEGORIES} and len(set(schema.MARKS.values())) == len(
        schema.MARKS)


def _cell(html, loss, fw, fam):
    """The index's matrix cell of (loss, stack, family): its text between <td class="cell"...> and </td>."""
    row = html[html.index(f'<th class="loss"><a href="loss-{loss}.html">'):]
    row = row[:row.index("</tr>")]
    link = f'href="loss-{loss}.html#fam-{fw}-{fam}"'
    return row[row.index(link):row.index("</td>", row.index(link))]


def test_index_cells_give_a_verdict_per_input_class(site, small):
    """Each cell: per input class, the worst category (colour class and text mark) and the worst error."""
    html = read(os.path.join(site[0], "index.html"))
    groups = {}
    for r in small["records"]:
        groups.setdefault((r["loss"], r["framework"], family(r["api"])), []).append(r)
    checked = 0
    for (loss, fw, fam), recs in groups.items():
        classes = {schema.input_class(r) for r in recs}
        if len(classes) < 3:
            continue
        cell = _cell(html, loss, fw, fam)
        for cls, label in (("valid", "valid"), ("edge", "edges"), ("bad", "bad input")):
            ran = [r for r in recs if schema.input_class(r) == cls and category(r) != "na"]
            worst = min((category(r) for r in ran), key=[k for k, _, _ in schema.CATEGORIES].index) if ran else "na"
            errs = [r["max_ulp_err"] for r in ran if r["check"] != "error" and r.get("max_ulp_err") is not None]
            n = sum(schema.input_class(r) == cls for r in recs)
            text = f'<span class="v c-{worst}"><b>{escape(schema.MARKS[worst])}</b> {label} '
            text += f"{build_mod.fmt(max(errs)) if errs else ''}<i>{n}</i></span>"
            assert text in cell, (loss, fw, fam, cls, cell)
        checked += 1
    assert checked >= 5


def test_convention_is_its_own_category(site, small):
    html = read(os.path.join(site[0], "index.html"))
    n = sum(r["status"] == "convention" for r in small["records"])
    assert n and f'<div class="c-convention"><b>{n}</b>agrees under declared convention</div>' in html
    assert ".c-convention { background:" in html and ".c-unchecked-input { background:" in html
    assert category({"status": "convention"}) == "convention"
    assert category({"status": "xfail", "divergence_kind": "unchecked-input"}) == "unchecked-input"
    assert {k for k, _, _ in schema.CATEGORIES} >= set(schema.DIVERGENCE_KINDS) | {"convention", "pass", "fails"}


def test_loss_outside_the_reference_registry_shows_what_the_results_carry(small, tmp_path):
    data = copy.deepcopy(small)
    for r in data["records"][:10]:
        r["loss"] = "my_custom_loss"
    for r in data["records"][10:20]:
        r["loss"] = "carried_loss"
    data["reference"] = {"carried_loss": {"doc": "Carried: |x|^3.", "source": "def carried_loss(x, y): ..."}}
    build([dump(tmp_path / "c.json", data)], str(tmp_path / "o"), quiet=True, plots=False)
    html = read(str(tmp_path / "o" / "loss-my_custom_loss.html"))
    assert "Not in the reference registry" in html and html.count('<td class="case mono">') >= 1
    html = read(str(tmp_path / "o" / "loss-carried_loss.html"))
    assert "Carried: |x|^3." in html and "def carried_loss(x, y)" in html


def finder_data(out):
    """The call finder's embedded data, read back as the page's script reads it."""
    html = read(os.path.join(out, "finder.html"))
    m = re.search(r'<script type="application/json" id="finder-data">(.*?)</script>', html, re.S)
    assert m and "<" not in m.group(1)
    return json.loads(m.group(1))


def test_call_finder_data(site, small):
    data = finder_data(site[0])
    ids = {(a["fw"], a["id"]) for a in data["apis"]}
    assert ids == {(b["framework"], b["id"]) for b in small["bindings"]}
    keras = next(a for a in data["apis"] if a["id"] == "keras.losses.Huber[delta=beta, divided by beta]")
    assert keras["loss"] == "smooth_l1" and keras["params"] == ["beta"] and "delta=beta" in keras["expr"]
    # every binding's stats, recomputed here from the records: worst category, largest verified value / grad
    # error, cells, divergences -- per parameter values, input class and dtype
    for a in data["apis"]:
        recs = [r for r in small["records"] if r["framework"] == a["fw"] and r["api"] == a["id"]]
        assert sum(st[4] for g in a["groups"] for st in g["s"].values()) == len(recs)
        for g in a["groups"]:
            for key, (cat, v, gr, worst, n, divs) in g["s"].items():
                cls, dtype = key.split("|")
                mine = [r for r in recs if (r.get("params") or {}) == g["p"] and schema.input_class(r) == cls
                        and r["dtype"] == dtype]
                assert n == len(mine)
                ok = [r for r in mine if category(r) in ("pass", "convention")]
                for check, got in (("value", v), ("grad", gr)):
                    errs = [r["max_ulp_err"] for r in ok if r["check"] == check and r.get("max_ulp_err") is not None]
                    assert got == (max(errs) if errs else None)
                assert set(divs) == {r["divergence"] for r in mine if r.get("divergence")}
                errs = [r["max_ulp_err"] for r in mine if r["check"] != "error" and category(r) != "na"
                        and r.get("max_ulp_err") is not None]
                assert worst == (max(errs) if errs else None)
                ran = [category(r) for r in mine if category(r) != "na"]
                assert cat == (min(ran, key=[k for k, _, _ in schema.CATEGORIES].index) if ran else "na")
    conv = next(a for a in data["apis"] if a["conv"])
    b = next(b for b in small["bindings"] if b["id"] == conv["id"] and b["framework"] == conv["fw"])
    assert conv["conv"] == [[c["params"], c["why"], c["citation"]] for c in b["conventions"]]
    assert set(data["div"]) == {d["id"] for d in small["divergences"]}


def _second_stack(data, name="stack-b"):
    """The records and bindings of the Keras APIs once more, as if run on another backend."""
    d = copy.deepcopy(data)
    keras = [r for r in d["records"] if r["api"].startswith("keras.")]
    for r in keras:
        r["framework"] = name
    d["records"] = keras
    d["bindings"] = [dict(b, framework=name) for b in d["bindings"] if b["id"].startswith("keras.")]
    d["environment"]["framework"] = name
    return d


def test_stacks_page_agreement_and_one_api_on_two_stacks(small, tmp_path):
    a = dump(tmp_path / "a.json", small)
    b = dump(tmp_path / "b.json", _second_stack(small))
    build([a, b], str(tmp_path / "o"), quiet=True, plots=False)
    html = read(str(tmp_path / "o" / "stacks.html"))
    stacks = sorted({r["framework"] for r in small["records"]} | {"stack-b"})
    for s in stacks:
        assert f'<th class="fw">{s}</th>' in html
    # the same Keras API on both stacks, side by side, with the same verdicts (the records are the same)
    table = html[html.index("<h2>One API on several stacks</h2>"):]
    huber = table[table.index('<td class="mono small">keras.losses.Huber</td>'):]
    row = huber[:huber.index("</tr>")]
    cells = re.findall(r'<td class="cell">(.*?)</td>', row, re.S)
    assert len(cells) == 2 and cells[0] == cells[1] and "c-" in cells[0]
    # the agreement of a stack with its copy: every loss both bind agrees where one agrees with the reference
    res = load([a, b])
    from reports.views import agreement

    _, pairs = agreement(res)
    pair = next(p for p in pairs if {p["a"], p["b"]} == {"tensorflow", "stack-b"})
    keras = [r for r in small["records"] if r["api"].startswith("keras.")]
    for cls, (agree, both) in pair["classes"].items():
        per_binding = {}
        for r in keras:
            if schema.input_class(r) == cls and category(r) != "na":
                per_binding.setdefault((r["loss"], r["api"]), []).append(category(r) in ("pass", "convention"))
        losses = {loss for loss, _ in per_binding}
        agreeing = {loss for (loss, _), oks in per_binding.items() if all(oks)}
        assert (agree, both) == (len(agreeing), len(losses))
        assert f"<b>{agree}/{both}</b>" in html
    assert pair["losses"] == len({r["loss"] for r in small["records"] if r["api"].startswith("keras.")})


def test_subgradient_page(site, small):
    sub = read(os.path.join(site[0], "subgradients.html"))
    kinks = [r for r in small["records"] if r["check"] == "grad" and r.get("subgradient")
             and any("kink" in t for t in r["tags"])]
    assert kinks and all(r["case"] in sub and r["subgradient"] in sub for r in kinks)


def test_every_string_from_the_file_is_escaped(small, tmp_path):
    data = copy.deepcopy(small)
    r = next(r for r in data["records"] if r["check"] == "value")
    r.update(status="fail", message=XSS, api=XSS, params={XSS: XSS}, repro=XSS, case=XSS, tags=[XSS])
    data["records"][1]["loss"] = XSS
    data["records"][2].update(framework=XSS, divergence=XSS)  # a stack's name: the index, the stacks page
    binding = next(b for b in data["bindings"] if b["conventions"])
    binding.update(expression=XSS, note=XSS, reason=XSS, variant=XSS, params=[XSS],
                   conventions=[{"params": {XSS: XSS}, "why": XSS, "citation": XSS}])
    data["bindings"][0].update(id=XSS, loss=XSS, framework=XSS)
    data["divergences"][0].update(explanation=XSS, citation="javascript:alert(1)", id=XSS, kind=XSS)
    data["different_definitions"][0].update(explanation=XSS, citation=XSS, api=XSS)
    data["sweeps"][0].update(api=XSS, x_label=XSS)
    data["environment"].update(machine=XSS, frameworks={XSS: XSS})
    out = tmp_path / "out"
    path = dump(tmp_path / "x.json", data)
    build([path, dump(tmp_path / "y.json", _second_stack(data, name=XSS))], str(out), quiet=True)
    pages = glob.glob(str(out / "*.html"))
    escaped = 0
    for page in pages:
        html = read(page)
        assert XSS not in html, page
        assert "alert(1)</script>" not in html, page
        scripts = 3 if page.endswith("finder.html") else 1  # the copy button's; the finder's data and script
        assert len(re.findall(r"<script\b", html, re.I)) == scripts, page
        assert 'href="javascript:' not in html, page
        escaped += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert escaped >= 5
    # the finder's data holds every string as data (its script inserts text nodes only), none as markup
    text = json.dumps(finder_data(str(out)))
    assert text.count(json.dumps(XSS)) >= 10
    script = read(str(out / "finder.html")).split('id="finder-data">')[1]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("content, expect", [
    ("{not json", "not JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"schema": SCHEMA, "environment": {}}), "missing key(s) records"),
    (json.dumps({"schema": "other/2", "environment": {}, "records": []}), "schema 'other/2'"),
    (json.dumps({"schema": SCHEMA, "environment": {}, "records": [{"loss": "l1"}]}), "record 0 lacks key(s)"),
])
def test_bad_file_is_a_clear_error(tmp_path, capsys, content, expect):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["build", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and expect in err and "Traceback" not in err
    with pytest.raises(ResultsError, match=re.escape(str(bad))):
        load([str(bad)])


def test_bad_file_from_the_command_line_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    good = dump(tmp_path / "good.json", generate(n_records=10))
    p = subprocess.run([sys.executable, "-m", "reports", "diff", good, str(bad)], cwd=ROOT, capture_output=True,
                       text=True)
    assert p.returncode == 2
    assert str(bad) in p.stderr and "Traceback" not in p.stderr


# ---------------------------------------------------------------- merging


def test_merge_keeps_provenance(tmp_path):
    a = dump(tmp_path / "torch.json", generate(n_records=200, framework="torch", machine="box-a", device="cuda"))
    b = dump(tmp_path / "tf.json", generate(n_records=150, framework="tensorflow", machine="box-b", device="cpu"))
    res = load([a, b])
    assert len(res.records) == 350 and len(res.sources) == 2
    assert {(r["source"], r["machine"], r["device"]) for r in res.records} == {(a, "box-a", "cuda"),
                                                                                 (b, "box-b", "cpu")}
    rec = generate(n_records=5, framework="sklearn")
    for r in rec["records"]:  # records without their own machine / device take the file's
        del r["machine"], r["device"]
    c = dump(tmp_path / "sk.json", rec)
    res = load([c])
    assert {(r["machine"], r["device"]) for r in res.records} == {("synthetic-host", "cpu")}
    build([a, b], str(tmp_path / "out"), quiet=True, plots=False)
    head = read(str(tmp_path / "out" / "index.html")).split("<main>")[0]
    for s in ("torch.json", "tf.json", "box-a", "box-b", "cuda", "cpu"):
        assert s in head
    assert str(tmp_path) not in head  # file names, not the building machine's paths


# ---------------------------------------------------------------- diff


@pytest.fixture()
def pair(tmp_path):
    data = generate(n_records=300, seed=2)
    base = dump(tmp_path / "base.json", data)

    def current(edit=None):
        d = copy.deepcopy(data)
        if edit:
            edit(d["records"])
        return dump(tmp_path / "cur.json", d)

    return base, current


def _first(records, status="pass", check=None):
    return next(r for r in records if r["status"] == status and check in (None, r["check"]))


def test_diff_identical_is_zero(pair, capsys):
    base, current = pair
    assert main(["diff", base, current()]) == 0
    assert "0 regression(s)" in capsys.readouterr().out


def test_diff_status_regression_is_one(pair, capsys):
    base, current = pair
    assert main(["diff", base, current(lambda rs: _first(rs).update(status="fail", message="boom"))]) == 1
    out = capsys.readouterr().out
    assert "REGRESSION status pass -> fail" in out and "boom" in out


def test_diff_error_growth_beyond_factor_is_one(pair, capsys):
    base, current = pair

    def grow(rs):
        r = next(r for r in rs if r["status"] == "pass" and (r["max_ulp_err"] or 0) >= 1)
        r["max_ulp_err"] = r["max_ulp_err"] * 4 + r["tolerance"] / 4  # above 4x and above the floor, below 100x
    assert main(["diff", base, current(grow)]) == 1
    assert "REGRESSION max_ulp_err" in capsys.readouterr().out
    assert main(["diff", base, current(grow), "--factor", "100"]) == 0


def test_diff_growth_below_noise_floor_is_zero(pair):
    base, current = pair

    def grow(rs):  # a growth beyond the factor that stays under tolerance / 4 is noise
        r = next(r for r in rs if r["status"] == "pass" and 0 < (r["max_ulp_err"] or 0) < r["tolerance"] / 16)
        r["max_ulp_err"] = r["tolerance"] / 4
    assert main(["diff", base, current(grow)]) == 0


def test_diff_improvement_is_zero(pair, capsys):
    base, current = pair

    def improve(rs):
        r = _first(rs, "fail")
        r.update(status="pass", max_ulp_err=0.5)
    assert main(["diff", base, current(improve)]) == 0
    assert "status fail -> pass" in capsys.readouterr().out


def test_diff_vanished_is_one_new_is_zero(pair, capsys):
    base, current = pair
    assert main(["diff", base, current(lambda rs: rs.pop(0))]) == 1
    assert "vanished" in capsys.readouterr().out
    assert main(["diff", current(lambda rs: rs.pop(0)), base]) == 0
    assert "new cell" in capsys.readouterr().out


def test_diff_reads_directories(tmp_path):
    for d in ("torch_only", "both"):
        (tmp_path / d).mkdir()
    dump(tmp_path / "torch_only" / "torch.json", generate(n_records=100, framework="torch"))
    for fw in ("torch", "tensorflow"):
        dump(tmp_path / "both" / f"{fw}.json", generate(n_records=100, framework=fw))
    changes = diffmod.compare(load([str(tmp_path / "both")]), load([str(tmp_path / "torch_only")]))
    assert {c.kind for c in changes} == {"vanished"} and len(changes) == 100  # the tensorflow file's cells
    assert main(["diff", str(tmp_path / "both"), str(tmp_path / "both")]) == 0
    assert main(["diff", str(tmp_path / "both"), str(tmp_path / "torch_only")]) == 1


def test_diff_page_lists_regressions_with_repros(small, tmp_path):
    d = copy.deepcopy(small)
    r = _first(d["records"])
    r.update(status="fail", repro="print('the repro')")
    base, cur = dump(tmp_path / "b.json", small), dump(tmp_path / "c.json", d)
    build([cur], str(tmp_path / "o"), baseline_paths=[base], quiet=True, plots=False)
    html = read(str(tmp_path / "o" / "diff.html"))
    assert "status pass -&gt; fail" in html and "print(&#39;the repro&#39;)" in html


# ---------------------------------------------------------------- scale


@pytest.mark.skipif(os.environ.get("RUN_SLOW") != "1", reason="slow: set RUN_SLOW=1 (100k-record build)")
def test_100k_records_build_under_10s(tmp_path):
    path = dump(tmp_path / "big.json", generate(n_records=100_000))
    t = time.perf_counter()
    info = build([path], str(tmp_path / "out"), quiet=True)
    seconds = time.perf_counter() - t
    sizes = {p: os.path.getsize(tmp_path / "out" / p) for p in info["pages"]}
    biggest = max(sizes, key=sizes.get)
    print(f"100k records: {len(info['pages'])} pages, index {sizes['index.html']} bytes, finder "
          f"{sizes['finder.html']}, biggest {biggest} {sizes[biggest]}, {seconds:.2f} s")
    assert sizes[biggest] < 2_000_000
    assert seconds < 10


# ---------------------------------------------------------------- one schema


def _modules_after(code):
    p = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return set(p.stdout.split())


def test_schema_needs_only_the_standard_library():
    assert not {"jinja2", "markupsafe", "matplotlib", "numpy"} & _modules_after("import reports.schema")


def test_the_reports_import_neither_reference_nor_a_framework(tmp_path):
    path = dump(tmp_path / "r.json", generate(n_records=300))
    mods = _modules_after(f"from reports.build import build; build([{path!r}], {str(tmp_path / 'o')!r}, quiet=True)"
                          f"\nfrom reports.compact import write_baselines; write_baselines([{path!r}], "
                          f"{str(tmp_path / 'b')!r})")
    roots = {m.split(".")[0] for m in mods}
    assert not roots & {"reference", "adapters", "conformance", "torch", "tensorflow", "keras", "sklearn"}
    assert "jinja2" in roots  # the build did run


def test_one_schema_version_one_writer():
    import conformance.plugin

    assert conformance.plugin.SCHEMA is schema.SCHEMA
    assert conformance.plugin.write_json_atomically is schema.write_json_atomically
    defined = []
    for folder in ("reference", "adapters", "conformance", "reports", "tests"):
        for path in glob.glob(os.path.join(ROOT, folder, "**", "*.py"), recursive=True):
            text = read(path)
            if re.search(r"^SCHEMA\w* = |mkstemp\(", text, re.M):
                defined.append(os.path.relpath(path, ROOT))
    assert defined == [os.path.join("reports", "schema.py")]


def test_the_suite_writes_the_schema_record_type():
    """Every field a cell's record has is in schema.RECORD (the plugin adds machine and device): one record type."""
    from conformance.suite import base_record, cells_for
    from conformance.worker import load_framework

    cell = next(iter(cells_for(load_framework("tests.fault_adapters")[1])))  # NumPy: runs without any stack
    assert set(base_record(cell)) | {"machine", "device"} == set(schema.RECORD)


def test_the_sample_is_a_real_current_results_file():
    """tests/data/results-sample.json, trimmed from real results by tests/make_sample.py: of today's schema (else
    regenerate it), every record valid, no machine path, every status of a real run, all three stacks."""
    with open(SAMPLE, encoding="utf-8") as f:
        raw = json.load(f)
    assert raw["schema"] == SCHEMA
    data = schema.read(SAMPLE)
    assert {r["framework"] for r in data["records"]} == {"torch", "tensorflow", "sklearn"}
    assert {"pass", "convention", "xfail", "skip"} <= {r["status"] for r in data["records"]}
    assert all(set(r) == set(schema.RECORD) for r in data["records"])
    text = read(SAMPLE)
    assert "site-packages" not in text and ROOT not in text and sys.prefix not in text


def test_a_schema_1_file_is_upgraded(tmp_path):
    data = generate(n_records=300)
    value = next(r for r in data["records"] if r["status"] == "convention")
    value.update(status="xfail", divergence_kind="convention", verified=True)
    error = next(r for r in data["records"] if r["check"] == "error")
    error.update(status="xfail", divergence="old-entry", divergence_kind="convention")
    data["schema"] = schema.SCHEMA_1
    records = {schema.cell_key(r): r for r in load([dump(tmp_path / "old.json", data)]).records}
    assert records[schema.cell_key(value)]["status"] == "convention"
    assert (records[schema.cell_key(error)]["status"], records[schema.cell_key(error)]["divergence_kind"]) == (
        "xfail", "unchecked-input")


@pytest.mark.parametrize("edit, expect", [
    (lambda r: r.update(status="passed"), "record 0 has unknown status 'passed'"),
    (lambda r: r.update(max_ulp_err="1.5"), "record 0 field max_ulp_err must be number or null"),
    (lambda r: r.update(max_ulp_err=True), "record 0 field max_ulp_err must be number or null"),
    (lambda r: r.update(tags="kink"), "record 0 field tags must be list or null"),
])
def test_a_record_of_the_wrong_kind_is_a_clear_error(tmp_path, edit, expect):
    data = generate(n_records=5)
    edit(data["records"][0])
    with pytest.raises(ResultsError, match=re.escape(expect)):
        load([dump(tmp_path / "bad.json", data)])


def test_argv_carries_no_machine_path(tmp_path, monkeypatch):
    from conformance.plugin import portable

    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "out" / "torch.json")
    assert [portable(a) for a in ["--results", inside, f"--results={inside}", "/elsewhere/r.json", "-k", "l1"]] == [
        "--results", os.path.join("out", "torch.json"), "--results=" + os.path.join("out", "torch.json"), "r.json",
        "-k", "l1"]


# ---------------------------------------------------------------- compact baselines


def _baseline(tmp_path, name, data):
    results = dump(tmp_path / f"{name}.json", data)
    assert main(["baseline", results, "--out", str(tmp_path / name)]) == 0
    return results, tmp_path / name


def _elsewhere(data):
    """The same results from another machine and venv: other timings, host, dates, paths, repro text, local version
    tags, record order."""
    d = copy.deepcopy(data)
    d["environment"].update(machine="other-box", created="2030-01-01T00:00:00+00:00", commit="f" * 40,
                            platform="Linux-7.0-aarch64", python="3.12.1", argv=["-x"])
    d["environment"]["frameworks"] = {k: v + "+cu130" for k, v in d["environment"]["frameworks"].items()}
    for r in d["records"]:
        r.update(seconds=r.get("seconds", 0) * 3 + 1, machine="other-box", repro=(r.get("repro") or "") + "# again",
                 message=(r.get("message") or "") + " /opt/venv/lib/python3.12/site-packages/torch/x.py")
    d["records"].reverse()
    return d


def test_baseline_is_compact_portable_and_line_per_cell(tmp_path):
    data = generate(n_records=3000, seed=4)
    results, one = _baseline(tmp_path, "one", data)
    _, two = _baseline(tmp_path, "two", _elsewhere(data))
    files = sorted(os.listdir(one))
    assert files == ["sklearn.json", "tensorflow.json", "torch.json"] == sorted(os.listdir(two))
    for f in files:
        a, b = (one / f).read_bytes(), (two / f).read_bytes()
        assert a == b, f
        text = a.decode()
        stack = f[:-5]
        n = sum(r["framework"] == stack for r in data["records"])
        assert text.count("\n") == n + 2  # a header line, one line per cell, the closing line
        assert not re.search(r'"/', text)  # no absolute path
        for absent in ("synthetic-host", "seconds", "repro", "created", "commit", "site-packages", "+cu130"):
            assert absent not in text, (f, absent)
        head = json.loads(text)
        assert head["versions"] and "value" in head["tolerance"]
        assert head["tolerance"].items() <= THRESHOLD.items()  # the one tolerance fact, carried once
    assert os.path.getsize(results) > 20 * sum(os.path.getsize(one / f) for f in files) / 3


def test_load_reads_a_compact_baseline_and_diff_uses_it(tmp_path, capsys):
    data = generate(n_records=1000, seed=5)
    results, base = _baseline(tmp_path, "base", data)
    full = {schema.cell_key(r): r for r in load([results]).records}
    compact = load([str(base)]).records
    assert len(compact) == len(full)
    for r in compact:
        f = full[schema.cell_key(r)]
        for k in ("loss", "framework", "api", "check", "dtype", "reduction", "case", "status", "divergence",
                  "tolerance"):
            assert r[k] == f[k], k
        for k in ("max_ulp_err", "pure_ulp_err"):
            assert (r[k] is None and f[k] is None) or r[k] == pytest.approx(f[k], rel=0.05), k
    assert main(["diff", str(base), results]) == 0
    d = copy.deepcopy(data)
    _first(d["records"], "xfail").update(status="convention")  # reclassified on purpose: a change, no regression
    assert main(["diff", str(base), dump(tmp_path / "conv.json", d)]) == 0
    assert "changed    status xfail -> convention" in capsys.readouterr().out
    r = next(r for r in d["records"] if r["status"] == "pass" and (r["max_ulp_err"] or 0) >= 1)
    r["max_ulp_err"] = r["max_ulp_err"] * 4 + r["tolerance"] / 4  # the noise floor from the baseline's header
    _first(d["records"], "pass").update(status="fail")
    assert main(["diff", str(base), dump(tmp_path / "worse.json", d)]) == 1
    out = capsys.readouterr().out
    assert "REGRESSION max_ulp_err" in out and "REGRESSION status pass -> fail" in out and "2 regression(s)" in out
    build([results], str(tmp_path / "site"), baseline_paths=[str(base)], quiet=True, plots=False)
    assert "0</b> regression(s)" in read(str(tmp_path / "site" / "diff.html"))


def test_baseline_refuses_two_versions_of_one_stack(tmp_path):
    a = generate(n_records=50, framework="sklearn")
    b = copy.deepcopy(a)
    b["environment"]["frameworks"]["sklearn"] = "0.1"
    for r in b["records"]:
        r["case"] += "-b"
    paths = [dump(tmp_path / "a.json", a), dump(tmp_path / "b.json", b)]
    assert main(["baseline", *paths, "--out", str(tmp_path / "o")]) == 2
    assert baseline_text("sklearn", a["records"], [a["environment"]]).startswith('{"schema": "loss-conformance/b')
