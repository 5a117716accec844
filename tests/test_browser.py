"""The site as a person sees it: every page in headless Chromium, offline, with axe-core.

Needs Debian's chromium (/usr/bin/chromium) and axe-core from npm (node_modules, installed by make).
Locally a missing browser skips these tests with the command that installs it; under CI it fails them.
"""

import functools
import json
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
SITES = {"student": BUILD / "html", "answer-key": BUILD / "answer-key" / "html"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = BUILD / "screenshots"
REPORTS = BUILD / "browser-report"
# Root needs --no-sandbox; the network flags stop Chromium's own background traffic (there is no network here).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
HOW_TO_INSTALL = "install it with: sudo apt-get install chromium && npm ci  (make test runs npm ci itself)"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed ({CHROMIUM}): {HOW_TO_INSTALL}"
    if not AXE.exists():
        return f"axe-core is not installed ({AXE.relative_to(ROOT)}): run 'npm ci'"
    return None


def _pages(site: str) -> list[str]:
    folder = SITES[site]
    if not (folder / "index.html").exists():
        pytest.fail(f"{folder.relative_to(ROOT)} is missing: run 'make book' and 'make answer-key'")
    return sorted(str(p.relative_to(BUILD)) for p in folder.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts and p.name != "index.html")


PAGES = [(site, page) for site in SITES for page in (_pages(site) if SITES[site].exists() else ["<missing>"])]


@pytest.fixture(scope="module")
def server():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(BUILD)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """One page load with every request, failure and console message recorded."""

    def __init__(self, browser, url: str, viewport=None):
        self.page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
        self.requests, self.failures, self.console = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failures.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.failures.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.page.close()


@pytest.mark.parametrize("site, page", PAGES, ids=[p for _, p in PAGES])
def test_page_loads_offline_cleanly_with_math_alt_text_and_no_serious_axe_violation(browser, server, site, page):
    visit = Visit(browser, f"{server}/{page}")
    try:
        foreign = [u for u in visit.requests if not u.startswith(server) and not u.startswith("data:")]
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not visit.failures, f"failed requests: {visit.failures}"
        assert not visit.console, f"console errors: {visit.console}"
        p = visit.page
        assert not p.evaluate("() => !!window.MathJax"), "the page loads MathJax (math is typeset at build time)"
        if p.locator(".math").count():
            # Typeset at build time by KaTeX: every formula is KaTeX markup, none is an error (drawn in red).
            untypeset = p.evaluate("() => [...document.querySelectorAll('.math')].filter(m => !m.querySelector('.katex')).map(m => m.textContent.slice(0, 60))")
            assert not untypeset, f"formulas left as TeX: {untypeset[:5]}"
            assert p.locator(".katex-error").count() == 0, "KaTeX could not typeset a formula"
            prose = p.evaluate("""() => { const c = document.querySelector('main').cloneNode(true);
                c.querySelectorAll('pre, code, script, .katex, .highlight').forEach(e => e.remove());
                return c.innerText; }""")
            assert "\\(" not in prose and "$$" not in prose and "\\[" not in prose, "raw TeX left on the page"
            font = p.evaluate("() => [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'KaTeX_Main' && f.status === 'loaded')")
            assert font, "KaTeX's fonts did not load"
        missing_alt = p.evaluate("() => [...document.images].filter(i => !(i.alt || '').trim()).map(i => i.src.slice(0, 80))")
        assert not missing_alt, f"images without alt text: {missing_alt}"
        p.add_script_tag(path=str(AXE))
        violations = p.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)""")
        assert not violations, "axe: " + "; ".join(violations)
        # A record for review: every request this page made (all to the local server, as asserted above).
        record = REPORTS / f"{page.replace('/', '__')}.json"
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"page": page, "requests": len(visit.requests),
                                      "hosts": sorted({urlparse(u).netloc for u in visit.requests if "://" in u}),
                                      "axe_serious_or_critical": len(violations)}))
    finally:
        visit.close()


def _explorer_pages() -> list[str]:
    return [page for site, page in PAGES if site == "student" and page != "<missing>"
            and 'class="lc-explorer"' in (BUILD / page).read_text()]


@pytest.mark.parametrize("page", _explorer_pages())
def test_each_explorer_slider_changes_the_figure_without_a_kernel(browser, server, page):
    visit = Visit(browser, f"{server}/{page}")
    try:
        explorers = visit.page.locator(".lc-explorer")
        assert explorers.count() >= 1
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            image, slider = explorer.locator("img"), explorer.locator("input[type=range]")
            before_src, before_alt = image.get_attribute("src"), image.get_attribute("alt")
            before_png = image.screenshot()
            slider.focus()
            visit.page.keyboard.press("ArrowRight" if slider.input_value() != slider.get_attribute("max") else "ArrowLeft")
            assert image.get_attribute("src") != before_src, "moving the slider did not change the frame"
            assert image.get_attribute("alt") != before_alt and image.get_attribute("alt").strip()
            assert image.screenshot() != before_png, "the displayed picture did not change"
            assert explorer.locator("output").inner_text() == slider.get_attribute("aria-valuetext")
        assert not visit.console
    finally:
        visit.close()


def test_launch_buttons_open_the_student_notebooks(browser, server):
    sys.path.insert(0, str(ROOT / "tools"))
    import editions

    visit = Visit(browser, f"{server}/html/book/01_overfitting.html")
    try:
        links = visit.page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
        slug = editions._config()["repository"]["url"].removeprefix("https://github.com/")
        branch = editions.STUDENT_BRANCH
        assert f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/book/01_overfitting.ipynb" in links
        assert f"https://colab.research.google.com/github/{slug}/blob/{branch}/book/01_overfitting.ipynb" in links
        downloads = [link for link in links if link.endswith(".ipynb") and urlparse(link).netloc == urlparse(server).netloc]
        assert downloads, "no notebook download link"
        for link in downloads:
            assert "/html/_sources/" in link      # the student build's own (solution-free) source
    finally:
        visit.close()


@pytest.mark.parametrize("name, viewport", [("desktop", {"width": 1280, "height": 900}),
                                            ("phone", {"width": 390, "height": 844})])
def test_screenshots_for_review(browser, server, name, viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in ["html/book/intro.html", "html/book/01_overfitting.html"]:
        visit = Visit(browser, f"{server}/{page}", viewport=viewport)
        try:
            target = SCREENSHOTS / f"{Path(page).stem}-{name}.png"
            visit.page.screenshot(path=str(target), full_page=False)
            assert target.stat().st_size > 10_000
            width = visit.page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, f"{page} scrolls sideways at {name} width ({width}px)"
        finally:
            visit.close()
