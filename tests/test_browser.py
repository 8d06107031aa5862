"""The site in a real browser: headless Chromium opens pages from file:// with no console message.

Chromium (Debian packages ``chromium`` and ``chromium-driver``) logs every console
message of the page to stderr with ``--enable-logging=stderr --v=0`` as
``...:CONSOLE:<line>] "<message>", source: <url>``, without its level; the pages
log nothing on purpose, so any console line (an uncaught exception, a
console.error) is a failure.  ``--dump-dom`` shows the DOM after the scripts
ran: the page's script marks <html> with class "js".  A screenshot of the index
goes to $REPORTS_SCREENSHOT or reports/site/screenshot.png.

Skips when Chromium is missing, unless REQUIRE_BROWSER=1, then it fails.  $CHROMIUM overrides the binary.
"""

import json
import os
import re
import shutil
import subprocess

import pytest
from synthetic import generate

from reports.build import build

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\] (.*)")


def chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium chromium-driver)")
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver; REQUIRE_BROWSER=1 to fail)")
    return path


def open_page(path, tmp_path, *args):
    """(dom, console lines) of a file opened in headless Chromium."""
    profile = tmp_path / f"profile-{len(os.listdir(tmp_path))}"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
           "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1100", *args,
           "file://" + os.path.abspath(path)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.stdout, [m.group(1) for m in CONSOLE.finditer(p.stderr)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("browser")
    path = d / "results.json"
    path.write_text(json.dumps(generate(n_records=1500, seed=3)))
    build([str(path)], str(d / "site"), baseline_paths=[str(path)], quiet=True)
    return d / "site"


def test_the_console_check_catches_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><script>console.error("boom"); missing();</script></body></html>')
    _, console = open_page(bad, tmp_path, "--dump-dom")
    assert any("boom" in c for c in console) and any("Uncaught ReferenceError" in c for c in console)


@pytest.mark.parametrize("page", ["index.html", "loss-smooth_l1.html", "porting.html", "subgradients.html",
                                  "diff.html"])
def test_page_loads_without_console_errors(site, tmp_path, page):
    dom, console = open_page(site / page, tmp_path, "--dump-dom")
    assert console == []
    assert re.search(r'<html lang="en" class="[^"]*\bjs\b', dom), "the page's script did not run"
    assert "</main>" in dom


def test_pages_load_nothing_from_the_network(site):
    for page in os.listdir(site):
        html = (site / page).read_text(encoding="utf-8")
        assert not re.search(r"<(script|img|iframe|audio|video|source)\b[^>]*\bsrc=", html, re.I), page
        assert not re.search(r"<link\b(?![^>]*href=\"data:)", html, re.I), page
        assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html), page


def test_screenshot(site, tmp_path):
    out = os.environ.get("REPORTS_SCREENSHOT") or os.path.join(ROOT, "reports", "site", "screenshot.png")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    _, console = open_page(site / "index.html", tmp_path, f"--screenshot={os.path.abspath(out)}")
    assert console == []
    with open(out, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(out) > 10_000  # a rendered page, not a blank one
