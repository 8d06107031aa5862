"""The site in a real browser: headless Chromium opens pages from file:// with no console message.

Chromium (Debian packages ``chromium`` and ``chromium-driver``) logs every console
message of the page to stderr with ``--enable-logging=stderr --v=0`` as
``...:CONSOLE:<line>] "<message>", source: <url>``, without its level; the pages
log nothing on purpose, so any console line (an uncaught exception, a
console.error) is a failure.  ``--dump-dom`` shows the DOM after the scripts
ran: the page's script marks <html> with class "js".  A screenshot of the index
goes to $REPORTS_SCREENSHOT or reports/site/screenshot.png.

The call finder is driven as a user drives it: chromedriver (Debian ``chromium-driver``), spoken to over its
W3C WebDriver HTTP interface with urllib (no client library), types into the page's fields and reads the page's
text, the browser's console log and the resources it loaded.

Skips when Chromium (or chromedriver) is missing, unless REQUIRE_BROWSER=1, then it fails.  $CHROMIUM and
$CHROMEDRIVER override the binaries.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from synthetic import generate

from reports.build import build

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\] (.*)")


def _binary(env, name):
    path = os.environ.get(env) or shutil.which(name) or f"/usr/bin/{name}"
    if not os.path.exists(path):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {name} is not installed (apt-get install chromium chromium-driver)")
        pytest.skip(f"{name} is not installed (apt-get install chromium chromium-driver; REQUIRE_BROWSER=1 to fail)")
    return path


def chromium():
    return _binary("CHROMIUM", "chromium")


class WebDriver:
    """A chromedriver session over the W3C WebDriver protocol: just what the finder test needs."""

    ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

    def __init__(self, tmp_path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([_binary("CHROMEDRIVER", "chromedriver"), f"--port={port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        options = {"binary": chromium(), "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                  f"--user-data-dir={tmp_path / 'webdriver-profile'}",
                                                  "--window-size=1400,1100"]}
        caps = {"browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": {"browser": "ALL"}}
        self.session = "/session/" + self.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})["sessionId"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, method=method, headers={"Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.load(r)["value"]
        except urllib.error.HTTPError as e:
            raise AssertionError(f"webdriver {method} {path}: {e.read().decode()[:500]}") from None

    def open(self, path):
        self.call("POST", self.session + "/url", {"url": "file://" + os.path.abspath(path)})

    def type(self, css, text):
        element = self.call("POST", self.session + "/element", {"using": "css selector", "value": css})[self.ELEMENT]
        self.call("POST", f"{self.session}/element/{element}/value", {"text": text})

    def run(self, script):
        return self.call("POST", self.session + "/execute/sync", {"script": script, "args": []})

    def console(self):
        return self.call("POST", self.session + "/se/log", {"type": "browser"})

    def close(self):
        try:
            self.call("DELETE", self.session)
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)


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


@pytest.mark.parametrize("page", ["index.html", "loss-smooth_l1.html", "loss-cross_entropy.html", "finder.html",
                                  "stacks.html", "subgradients.html", "diff.html"])
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


def test_call_finder_finds_the_keras_call_and_its_bound(site, tmp_path):
    """The porting question: what is torch.nn.SmoothL1Loss(beta=0.5) in Keras, and within how many units?"""
    driver = WebDriver(tmp_path)
    try:
        driver.open(site / "finder.html")
        driver.type("#q", "torch.nn.SmoothL1Loss")
        driver.type("#param-beta", "0.5")
        text = driver.run("return document.getElementById('out').innerText")
        keras = driver.run("var s = document.querySelector('section[data-stack=\"tensorflow\"]');"
                           "return s ? s.innerText : ''")
        resources = driver.run("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        console = driver.console()
    finally:
        driver.close()
    assert text.startswith("torch.nn.SmoothL1Loss (torch, loss smooth_l1)")
    assert "nn.SmoothL1Loss(beta=0.5, reduction=reduction)(input, target)" in text  # the value typed, in the call
    assert "keras.losses.Huber(delta=0.5, dtype=dtype)(y[..., None], x[..., None]) / 0.5" in keras
    bound = r"valid inputs\t[^\n]*[=\u2248] \u2264 [0-9.e+-]+ / [0-9.e+-]+ ulps"  # on some dtype
    assert re.search(bound, keras), keras
    assert console == [] and resources == []
