"""reports/: loading, the static site, escaping, provenance, and the baseline diff (on synthetic results)."""

import copy
import glob
import json
import os
import re
import subprocess
import sys
import time

import pytest

from reports import diff as diffmod
from reports.__main__ import main
from reports.build import build
from reports.load import SCHEMA, ResultsError, load
from reports.synthetic import generate

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
    assert {"index.html", "porting.html", "subgradients.html", "diff.html"} <= pages
    assert {f"loss-{loss}.html" for loss in losses} <= pages
    assert len(info["pages"]) == len(pages) == 4 + len(losses)


def test_index_lists_every_loss_and_framework(site, small):
    html = read(os.path.join(site[0], "index.html"))
    for loss in {r["loss"] for r in small["records"]}:
        assert f'href="loss-{loss}.html"' in html
    for fw in {r["framework"] for r in small["records"]}:
        assert f">{fw}</th>" in html
    assert "torch.nn.functional" in html and "keras.losses" in html and "sklearn.metrics" in html
    assert "synthetic-host" in html  # provenance in the header
    assert os.path.getsize(os.path.join(site[0], "index.html")) < 2_000_000


def test_loss_page_shows_reference_bindings_divergences_plots_and_repros(site, small):
    html = read(os.path.join(site[0], "loss-smooth_l1.html"))
    assert "Smooth L1" in html and "def smooth_l1" in html  # docstring and source from reference.LOSSES
    assert "keras.losses.Huber(delta=beta, reduction=r)(y, x) / beta" in html
    assert "keras-huber-beta0" in html
    assert html.count("<svg") >= 1
    # one repro with a copy button per failing or divergent cell
    failing = [r for r in small["records"]
               if r["loss"] == "binary_cross_entropy" and r["status"] not in ("pass", "skip")]
    assert len(failing) > 5  # the saturation case diverges by convention in torch and keras
    html = read(os.path.join(site[0], "loss-binary_cross_entropy.html"))
    assert html.count('<button class="copy"') == len(failing)
    assert "keras-bce-clip" in html and "clip=1e-07" in html


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


def test_porting_and_subgradient_pages(site):
    porting = read(os.path.join(site[0], "porting.html"))
    assert "tensorflow &harr; torch" in porting
    # smooth_l1: torch's functional form equals keras' Huber divided by beta, via the reference
    section = porting[porting.index("tensorflow &harr; torch"):]
    row = section[section.index('href="loss-smooth_l1.html"'):]
    assert "F.smooth_l1_loss(x, y, beta=beta, reduction=r)" in row[:4000]
    assert "keras.losses.Huber(delta=beta, reduction=r)(y, x) / beta" in row[:4000]
    assert "no exact counterpart" in porting  # e.g. soft_margin has no tensorflow binding
    sub = read(os.path.join(site[0], "subgradients.html"))
    assert "kink_at_zero" in sub and "interior" in sub and "right" in sub


def test_every_string_from_the_file_is_escaped(small, tmp_path):
    data = copy.deepcopy(small)
    r = next(r for r in data["records"] if r["loss"] == "l1" and r["check"] == "value")
    r.update(status="fail", message=XSS, api=XSS, params={XSS: XSS}, repro=XSS, case=XSS, tags=[XSS])
    data["records"][1]["loss"] = XSS
    data["bindings"][0].update(expression=XSS, note=XSS)
    data["divergences"][0].update(explanation=XSS, citation="javascript:alert(1)")
    data["sweeps"][0]["api"] = XSS
    data["environment"].update(machine=XSS, frameworks={XSS: XSS})
    out = tmp_path / "out"
    build([dump(tmp_path / "x.json", data)], str(out), quiet=True)
    pages = glob.glob(str(out / "*.html"))
    escaped = 0
    for page in pages:
        html = read(page)
        assert XSS not in html, page
        assert "alert(1)</script>" not in html, page
        assert len(re.findall(r"<script\b", html, re.I)) == 1, page  # our own copy-button script only
        assert 'href="javascript:' not in html, page
        escaped += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert escaped >= 5


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
    for s in (a, b, "box-a", "box-b", "cuda", "cpu"):
        assert s in head


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


def _first(records, status="pass", check="value"):
    return next(r for r in records if r["status"] == status and r["check"] == check)


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
        r = _first(rs)
        r["max_ulp_err"] = max(r["max_ulp_err"], 1.0) * 4 + r["tolerance"] / 4  # above 4x and above the floor
    assert main(["diff", base, current(grow)]) == 1
    assert "REGRESSION max_ulp_err" in capsys.readouterr().out
    assert main(["diff", base, current(grow), "--factor", "100"]) == 0


def test_diff_growth_below_noise_floor_is_zero(pair):
    base, current = pair

    def grow(rs):  # a 100x growth that stays under tolerance / 4 is noise
        r = next(r for r in rs if r["status"] == "pass" and r["check"] == "value" and 0 < r["max_ulp_err"] < 0.05)
        r["max_ulp_err"] = min(r["max_ulp_err"] * 100, r["tolerance"] / 4)
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
    size = os.path.getsize(tmp_path / "out" / "index.html")
    print(f"100k records: {len(info['pages'])} pages, index {size} bytes, {seconds:.2f} s")
    assert size < 2_000_000
    assert seconds < 10
