"""The built site (make book runs before these tests) and the gates that protect it."""

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
BIN = Path(sys.executable).parent
FIXTURE = ROOT / "tests" / "fixtures" / "broken_book"


def _site_pages() -> list[Path]:
    if not (HTML / "index.html").exists():
        pytest.fail("no built site in _build/html: run 'make book' (make test does it first)")
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _images(page: Path) -> list[dict]:
    parser = _Images()
    parser.feed(page.read_text())
    return parser.images


def test_site_has_the_intro_and_every_chapter_of_the_toc():
    _site_pages()
    toc = (ROOT / "_toc.yml").read_text()
    for doc in re.findall(r"file: (\S+)", toc) + ["book/intro"]:
        assert (HTML / f"{doc}.html").exists(), f"{doc} is in _toc.yml but was not built"
    assert (HTML / "index.html").exists()


def test_chapter_pages_show_math_figures_and_an_explorer():
    page = (HTML / "book" / "01_overfitting.html").read_text()
    assert page.count('class="katex"') >= 5                                    # typeset at build time
    figures = [img for img in _images(HTML / "book" / "01_overfitting.html") if img.get("src", "").endswith(".png")]
    assert len(figures) >= 5
    assert 'class="lc-explorer"' in page
    assert "application/vnd.jupyter.widget-state+json" not in page, "the site build embedded live widget state"


def test_hidden_check_cells_do_not_reach_the_page():
    for page in _site_pages():
        text = page.read_text()
        assert "# Check" not in text, f"{page.name} shows a hidden check cell"


def test_every_image_has_alt_text():
    for page in _site_pages():
        for img in _images(page):
            assert img.get("alt", "").strip(), f"{page.relative_to(HTML)}: <img src={img.get('src', '')[:60]}> has no alt"


def test_citations_resolve():
    page = (HTML / "book" / "01_overfitting.html").read_text()
    assert "bishop2006" not in re.sub(r'href="[^"]*"|id="[^"]*"', "", page), "an unresolved {cite} key is shown"
    assert "Bishop" in page


def test_an_unchanged_rebuild_executes_nothing():
    from jupyter_cache import get_cache
    import nbformat

    sys.path.insert(0, str(ROOT / "tools"))
    import build

    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    for tree in (build.editions.SITE_TREE, build.editions.ANSWER_KEY_TREE):     # the trees the two sites are built from
        for path in build.toc_notebooks(tree):
            nb = nbformat.read(path, as_version=4)
            try:
                cache.match_cache_notebook(nb)                   # raises KeyError when the notebook is not cached
            except KeyError:
                pytest.fail(f"{tree.name}/{path.relative_to(tree)} is not in the execution cache")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "LECTURE_CODE_SITE_BUILD": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.build
def test_nbval_fails_on_a_broken_check():
    result = _run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-p", "no:xdist",
                   str(FIXTURE / "broken.ipynb")], ROOT)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "deliberately broken check" in result.stdout
    assert "1 failed, 1 passed" in result.stdout


@pytest.mark.build
def test_the_book_build_fails_on_a_broken_check(tmp_path, capfd):
    sys.path.insert(0, str(ROOT / "tools"))
    import build

    tree = tmp_path / "tree"
    shutil.copytree(FIXTURE, tree)
    shutil.copytree(ROOT / "book", tree / "book")                # bibliography, templates, local extensions
    shutil.copy(ROOT / "_config.yml", tree / "_config.yml")     # the real settings must be what bites
    (tree / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: broken\n")
    build.sphinx_conf(tree)
    with pytest.raises(subprocess.CalledProcessError):
        build.sphinx_build(tree, "html", tmp_path / "html")
    captured = capfd.readouterr()
    assert "deliberately broken check" in captured.out + captured.err


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse_links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text())
    return parser


@pytest.mark.parametrize("site", [HTML, ROOT / "_build" / "answer-key" / "html"], ids=["student", "answer-key"])
def test_internal_links_and_anchors_resolve(site):
    from urllib.parse import unquote, urlparse

    parsed = {}
    broken = []
    for page in sorted(p for p in site.rglob("*.html") if "_static" not in p.parts):
        for href in _parse_links(page).links:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
                continue
            if url.fragment and target.suffix == ".html":
                if target not in parsed:                  # each page parsed once (html.parser is slow on KaTeX)
                    parsed[target] = _parse_links(target).ids
                ids = parsed[target]
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:30])


def test_chapter_pages_stay_under_two_megabytes():
    for page in _site_pages():
        size = page.stat().st_size
        assert size < 2_000_000, f"{page.relative_to(HTML)} weighs {size / 1e6:.2f} MB (limit 2 MB)"


@pytest.mark.parametrize("site", [HTML, ROOT / "_build" / "answer-key" / "html"], ids=["student", "answer-key"])
def test_every_formula_is_typeset_at_build_time_without_error(site):
    """KaTeX draws a formula it cannot typeset as a red ``katex-error`` (the build fails on one, book/_ext)."""
    for page in sorted(p for p in site.rglob("*.html") if "_static" not in p.parts):
        html = page.read_text()
        assert "katex-error" not in html, f"{page.relative_to(site)}: a formula KaTeX could not typeset"
        assert not re.search(r"<script[^>]+mathjax", html, re.I), f"{page.relative_to(site)} loads MathJax"
        assert "fontawesome.js" not in html, f"{page.relative_to(site)} loads Font Awesome's JavaScript"
        if page.name != "search.html":     # the search index is for the search page (no search-as-you-type)
            assert "searchindex.js" not in html, f"{page.relative_to(site)} loads the search index"
    assert '<script src="searchindex.js' in (site / "search.html").read_text(), "the search page lost its index"
    assert not (site / "_static" / "mathjax").exists() and (site / "_static" / "katex" / "katex.min.css").exists()


def test_katex_from_npm_matches_the_renderer_sphinxcontrib_katex_runs():
    from sphinxcontrib import katex

    installed = json.loads((ROOT / "node_modules" / "katex" / "package.json").read_text())["version"]
    assert installed == katex.katex_version, "the stylesheet and fonts (npm) must match the KaTeX that typesets"


def test_figures_are_drawn_on_white_with_their_smallest_text_recorded():
    """Dark mode shows the figures on their own white: every PNG of a chapter is opaque."""
    from PIL import Image

    sys.path.insert(0, str(ROOT))
    from lecture_code import plots

    figures = sorted({m for page in _site_pages() for m in re.findall(r'src="\.\./(_images/[^"]+\.png)"', page.read_text())})
    assert len(figures) > 40
    for name in figures:
        data = (HTML / name).read_bytes()
        image = Image.open(HTML / name).convert("RGBA")
        corners = [image.getpixel(xy) for xy in [(0, 0), (image.width - 1, image.height - 1)]]
        assert all(c[3] == 255 for c in corners), f"{name} is transparent (unreadable on a dark page)"
        assert plots.png_text_px(data) is not None, f"{name} was not drawn by lecture_code.plots.figure_png"


@pytest.mark.parametrize("site", [HTML, ROOT / "_build" / "answer-key" / "html"], ids=["student", "answer-key"])
def test_the_themes_tab_stop_pass_waits_for_an_idle_browser(site):
    """book/_ext/course_html.py defers it (it lays out the whole page); the browser suite's axe check
    (scrollable-region-focusable) proves the tab stops are still there once the page has loaded."""
    script = (site / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text()
    assert "requestIdleCallback(()=>" in script and "childList:!0}),e()}" not in script
