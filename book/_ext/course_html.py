"""Small fixes to the HTML that Sphinx and the theme write, made at build time (axe-core finds them).

- docutils writes a bibliography as ``<div role="list" class="citation-list">`` whose
  children carry ``role="doc-biblioentry"``, not ``listitem``: an invalid ARIA list
  (aria-required-children, critical). The entries are self-describing, so the
  wrapper loses its ``list`` role.
- The theme's sidebar folds a chapter's sub-pages under a ``<summary>`` that holds
  only a chevron icon: a control with no name (summary-name, serious). Each gets
  the name "Pages of <chapter title>", from the chapter link just before it.

And what makes a page fast (issue: pages loaded and typeset in <= 1 s, <= 2.5 MB):

- Math is typeset at build time by sphinxcontrib-katex (``katex_prerender``); KaTeX's
  stylesheet and fonts, from the npm package ``katex`` (``course_katex_dist``, set by
  tools/build.py), are copied into ``_static/katex``. A formula KaTeX cannot typeset
  is drawn in red as ``katex-error``: the build fails instead, naming the page and the TeX.
- No Font Awesome JavaScript (1.5 MB, every icon there is): the theme's stylesheet
  already draws the ``<i class="fa-...">`` icons from its web fonts, and those fonts
  are cut down to the glyphs the pages, the theme's scripts and its stylesheets use.

- The theme loads Sphinx's search scripts and the whole search index (about 180 kB) on every page, for a
  search-as-you-type box this site does not turn on (``search_as_you_type``): without it the search box opens
  search.html, the one page that needs them, so the others lose them.
- A formula's fonts are found when the browser first lays out the formula: far down a long page that is late.
  Each page preloads the KaTeX fonts its own formulas use (read off KaTeX's stylesheet: a class, the font it
  selects), so they load while the page is parsed. book/_static/course.css also lets the browser skip laying
  out the sections of a long page that are off screen (``content-visibility: auto``, screen only).
- The theme's script gives every code block, output and table that scrolls a tab stop (so a keyboard can scroll
  it), reading each one's size as the page loads: that lays out the whole page at once (a quarter of a second on
  chapter 8). The same pass runs when the browser is next idle, within a second of loading.

And what makes figures readable on any screen:

- Every figure image gets its size (so the page does not jump while it loads), a link
  to itself at full size (book/_static/course.js opens it in a dialog), and, when
  ``lecture_code.plots.figure_png`` drew it, ``data-text-px``: its smallest text in
  the image's pixels. The image is then never shown so small that this text is under
  9 CSS px: on a phone it keeps that width and scrolls sideways inside its box.

And the PDFs (tools/pdf.py prints them): the theme's ".pdf" download button, which
only opened the browser's print dialog, links to the printed PDF of the page's chapter.
"""

import html as html_lib
import math
import re
import shutil
from pathlib import Path

import yaml

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

INVALID_LIST = '<div role="list" class="citation-list">'
NAMELESS_SUMMARY = re.compile(r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">)([^<]+)(</a><details[^>]*>)<summary>')


def name_summaries(html: str) -> str:
    """Give each sidebar ``<summary>`` an ``aria-label`` naming the chapter whose pages it folds."""
    return NAMELESS_SUMMARY.sub(lambda m: f'{m[1]}{m[2]}{m[3]}<summary aria-label="Pages of {m[2]}">', html)


def _fix_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and INVALID_LIST in body:
        context["body"] = body.replace(INVALID_LIST, '<div class="citation-list">')


FONTAWESOME_SCRIPT = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')
KATEX_ERROR = re.compile(r'<span class="katex-error" title="([^"]*)"[^>]*>(.*?)</span>', re.S)


def drop_fontawesome_script(html: str) -> str:
    return FONTAWESOME_SCRIPT.sub("", html)


SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*?(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)[^"]*"></script>')


def drop_search_scripts(html: str) -> str:
    return SEARCH_SCRIPTS.sub("", html)


CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')


def katex_font_classes(css: str, fonts: set[str]) -> list[tuple[frozenset[str], str]]:
    """(the classes an element carries, the woff2 file of the font KaTeX's stylesheet gives it), for every rule
    ``.katex .a.b, ... {font-family: KaTeX_F; font-style: ...; font-weight: ...}`` whose font file is in ``fonts``."""
    found = []
    for selectors, body in CSS_RULE.findall(css):
        family = re.search(r"font-family:\s*KaTeX_(\w+)", body)
        if not family:
            continue
        bold = re.search(r"font-weight:\s*(700|bold)", body) is not None
        italic = re.search(r"font-style:\s*italic", body) is not None
        style = {(True, True): "BoldItalic", (True, False): "Bold", (False, True): "Italic"}.get((bold, italic), "Regular")
        name = f"KaTeX_{family[1]}-{style}.woff2"
        for selector in selectors.split(","):
            parts = re.split(r"\s*>\s*|\s+", selector.strip())     # ".katex .a.b", ".katex .m .delim-size4>span"
            compounds = [part for part in parts[1:] if re.fullmatch(r"(\.[\w-]+)+", part)]
            if name in fonts and parts[0] == ".katex" and compounds:
                # The element with the last classes named takes the font (or hands it to its child span).
                found.append((frozenset(compounds[-1].lstrip(".").split(".")), name))
    return found


def katex_fonts_used(html: str, font_classes: list[tuple[frozenset[str], str]]) -> list[str]:
    """The KaTeX font files a page's formulas use: KaTeX_Main-Regular for any formula, and each font whose classes
    some element of the page carries."""
    if 'class="katex"' not in html:
        return []
    used = {"KaTeX_Main-Regular.woff2"}
    for classes in {frozenset(c.split()) for c in CLASS_ATTRIBUTE.findall(html)}:
        used |= {name for needed, name in font_classes if needed <= classes}
    return sorted(used)


def preload_fonts(html: str, hrefs: list[str]) -> str:
    links = "".join(f'<link rel="preload" href="{h}" as="font" type="font/woff2" crossorigin>' for h in hrefs)
    return html.replace("</title>", "</title>" + links, 1) if links else html


TAB_STOPS_NOW = re.compile(r'(new MutationObserver\((\w)\)\.observe\(document\.getElementById\("main-content"\),'
                           r'\{subtree:!0,childList:!0\}\)),(\w)\(\)\}')


def defer_tab_stops(script: str) -> str:
    """The theme's script with its tab-stop pass run when the browser is idle instead of while the page loads."""
    fixed, count = TAB_STOPS_NOW.subn(
        lambda m: f'{m[1]},("requestIdleCallback"in window?requestIdleCallback(()=>{m[3]}(),{{timeout:1e3}})'
                  f':setTimeout({m[3]},0))}}', script)
    if count != 1 and "requestIdleCallback(()=>" not in script:
        raise ExtensionError("pydata-sphinx-theme.js no longer has the tab-stop pass book/_ext/course_html.py "
                             "defers: review defer_tab_stops against the theme's new script")
    return fixed


def katex_errors(html: str) -> list[str]:
    """Every formula KaTeX could not typeset on a page: its message and its TeX."""
    return [f"{html_lib.unescape(message)}: {html_lib.unescape(tex)[:120]}" for message, tex in KATEX_ERROR.findall(html)]


#: The smallest figure text, in CSS px as shown, the site allows (lecture_code.plots.MIN_TEXT_PX).
MIN_TEXT_PX = 9.0
FIGURE_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*_images/[^"]+\.png)"([^>]*?)/?>')
PNG_TEXT_KEY = b"lecture_code:smallest-text-px"


def png_facts(path: Path) -> tuple[int, int, float | None]:
    """Width and height of a PNG, and the smallest text lecture_code.plots.figure_png recorded in it."""
    data = path.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    text_px = None
    at = data.find(b"tEXt" + PNG_TEXT_KEY + b"\0")
    if at >= 0:
        length = int.from_bytes(data[at - 4:at], "big")
        text_px = float(data[at + 4 + len(PNG_TEXT_KEY) + 1:at + 4 + length])
    return width, height, text_px


def figure_markup(html: str, page: Path) -> str:
    """Give every figure image its size, its smallest text, a phone-proof width and a link to itself."""
    def rewrite(m: re.Match) -> str:
        before, src, after = m[1], m[2], m[3]
        if "data-lc-figure" in before + after:
            return m[0]
        path = (page.parent / src).resolve()
        if not path.is_file():
            return m[0]
        width, height, text_px = png_facts(path)
        attrs = f'{before.strip()} src="{src}" {after.strip()}'.strip()
        # Sized, so the page does not move as they arrive; fetched when the reader gets near them (the page is
        # ready without them, and a reader who stops at the top does not download them; tools/pdf.py prints them all).
        attrs += f' width="{width}" height="{height}" loading="lazy" decoding="async" data-lc-figure=""'
        if text_px:
            # Never narrower than the width at which its smallest text is MIN_TEXT_PX (nor wider than drawn).
            min_width = min(width, math.ceil(width * MIN_TEXT_PX / text_px))
            attrs += f' data-text-px="{text_px:g}" style="min-width:{min_width}px"'
        return f'<a class="lc-zoom" href="{src}"><img {attrs} /></a>'
    return FIGURE_IMG.sub(rewrite, html)


PDF_BUTTON = re.compile(r'<button onclick="window\.print\(\)"\s+class="btn btn-sm btn-download-pdf-button dropdown-item"'
                        r'\s+title="Print to PDF"(.*?)</button>', re.S)


def chapter_pdfs(toc: dict) -> dict[str, str]:
    """Document -> the PDF that holds it: each chapter and its sections have the chapter's PDF, the summary its own."""
    pdfs = {toc["root"]: "course.pdf"}
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for chapter in part.get("chapters", []):
            name = Path(chapter["file"]).name
            pdf = f"{name}.pdf" if name[:2].isdigit() else ("summary.pdf" if name == "summary" else "course.pdf")
            for doc in [chapter, *chapter.get("sections", [])]:
                pdfs[doc["file"]] = pdf
    return pdfs


def link_pdf_button(html: str, href: str) -> str:
    """The theme's ".pdf" button calls the browser's print dialog: make it a link to the printed PDF."""
    return PDF_BUTTON.sub(lambda m: f'<a href="{href}" class="btn btn-sm btn-download-pdf-button dropdown-item" '
                                    f'title="Download the PDF"{m[1]}</a>', html)


RELATIVE_URL = re.compile(r'\b(src|href)="(?!#|[a-zA-Z][\w+.-]*:|/|\.\./)([^"]*)"')


def fix_singlehtml_paths(html: str, own_uri: str, prefix: str) -> str:
    """Sphinx's singlehtml writes every URL of the one page as if it sat at the output's root; with the root
    document in a folder (book/intro.html) its styles, scripts and images are then missing. Prefix them,
    and make its links to itself in-page anchors."""
    def fix(m: re.Match) -> str:
        url = m[2]
        if url.startswith(own_uri + "#"):
            return f'{m[1]}="{url[len(own_uri):]}"'
        return f'{m[1]}="{prefix}{url}"'
    return RELATIVE_URL.sub(fix, html)


def _fix_written_pages(app: Sphinx, exception: Exception | None) -> None:
    # The sidebar is rendered by the theme's template functions, after every page hook: fix the written files.
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    toc_path = Path(app.srcdir) / "_toc.yml"
    pdfs = chapter_pdfs(yaml.safe_load(toc_path.read_text())) if toc_path.exists() else {}
    errors = []
    _copy_katex_assets(app, outdir / "_static" / "katex")
    katex_css = (outdir / "_static" / "katex" / "katex.min.css").read_text()
    font_classes = katex_font_classes(katex_css, {f.name for f in (outdir / "_static" / "katex" / "fonts").iterdir()})
    search_as_you_type = (app.config.html_theme_options or {}).get("search_as_you_type", False)
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        doc = str(page.relative_to(outdir).with_suffix(""))
        depth = len(page.relative_to(outdir).parts) - 1
        fixed = drop_fontawesome_script(name_summaries(html))
        if app.builder.name == "singlehtml" and doc == app.config.root_doc and depth and 'data-lc-paths' not in fixed:
            fixed = fix_singlehtml_paths(fixed, f"{doc}.html", "../" * depth).replace("<html", "<html data-lc-paths", 1)
        fixed = figure_markup(fixed, page)
        if not search_as_you_type and doc != "search":
            fixed = drop_search_scripts(fixed)
        fixed = preload_fonts(fixed, ["../" * depth + f"_static/katex/fonts/{name}"
                                      for name in katex_fonts_used(fixed, font_classes)])
        if app.builder.name == "html" and doc in pdfs:
            pdf = "answer-key.pdf" if app.config.course_edition == "answer-key" else pdfs[doc]
            fixed = link_pdf_button(fixed, "../" * depth + f"pdf/{pdf}")
        errors += [f"{page.relative_to(outdir)}: {e}" for e in katex_errors(fixed)]
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
    _trim_fontawesome(outdir)
    theme_script = outdir / "_static" / "scripts" / "pydata-sphinx-theme.js"
    if theme_script.exists():
        theme_script.write_text(defer_tab_stops(theme_script.read_text()))
    if errors:
        raise ExtensionError("KaTeX could not typeset these formulas:\n  " + "\n  ".join(errors))


def _copy_katex_assets(app: Sphinx, target: Path) -> None:
    dist = Path(app.config.course_katex_dist or "")
    if not (dist / "katex.min.css").exists():
        raise ExtensionError(f"KaTeX's stylesheet is missing from {dist!s}: run 'npm ci' (make book does)")
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dist / "katex.min.css", target / "katex.min.css")
    for font in (dist / "fonts").glob("*.woff2"):      # every browser that runs the site reads woff2 first
        shutil.copyfile(font, target / "fonts" / font.name)


CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CSS_STRING = re.compile(r'(?:content|--[\w-]+)\s*:\s*"((?:[^"\\]|\\.)*)"')
FA_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+)::?before$")
FA_NAME = re.compile(r"\bfa-[a-z0-9-]+")


def _css_chars(value: str) -> set[str]:
    text = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m[1], 16)), value)
    return {c for c in text if 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000}


def icon_codepoints(css: str, used_names: set[str]) -> set[int]:
    """The private-use code points the site can show: those of the ``fa-*`` classes in use, and every icon
    a stylesheet rule other than the ``.fa-NAME:before`` catalogue draws (admonitions, links, breadcrumbs)."""
    points = set()
    for selectors, body in CSS_RULE.findall(css):
        chars = set().union(*(_css_chars(v) for v in CSS_STRING.findall(body))) if CSS_STRING.search(body) else set()
        if not chars:
            continue
        names = [FA_SELECTOR.match(sel.strip()) for sel in selectors.split(",")]
        if all(names) and not any(m[1] in used_names for m in names):
            continue
        points |= {ord(c) for c in chars}
    return points


def drop_unused_icon_rules(css: str, used_names: set[str]) -> str:
    """The stylesheet without the ``.fa-NAME:before`` rules of icons no page or script uses (about 90 kB)."""
    def keep(rule: re.Match) -> str:
        names = [FA_SELECTOR.match(sel.strip()) for sel in rule[1].split(",")]
        return rule[0] if not all(names) or any(m[1] in used_names for m in names) else ""
    return CSS_RULE.sub(keep, css)


def _trim_fontawesome(outdir: Path) -> None:
    from fontTools import subset

    static = outdir / "_static"
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (static / "scripts" / name).unlink(missing_ok=True)
    used = set()
    for path in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        used |= set(FA_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
    css = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in static.rglob("*.css"))
    points = icon_codepoints(css, used)
    theme_css = static / "styles" / "pydata-sphinx-theme.css"
    if theme_css.exists():
        theme_css.write_text(drop_unused_icon_rules(theme_css.read_text(encoding="utf-8"), used), encoding="utf-8")
    import pydata_sphinx_theme

    originals = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts"
    for source in originals.iterdir():
        options = subset.Options()
        options.flavor = "woff2" if source.suffix == ".woff2" else None
        options.layout_features = ["*"]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        subset.save_font(font, str(static / "vendor" / "fontawesome" / "webfonts" / source.name), options)


def _steady_katex_server() -> None:
    """sphinxcontrib-katex starts node and connects to its Unix socket as soon as the socket file exists; on a
    busy machine node has not called listen() yet and the build dies of ConnectionRefusedError. Connect until
    the server accepts (or the start-up time runs out), and allow a loaded machine more time."""
    import socket
    import time
    from subprocess import PIPE, Popen

    from sphinxcontrib import katex

    katex.STARTUP_TIMEOUT = max(katex.STARTUP_TIMEOUT, 60.0)
    katex.RENDER_TIMEOUT = max(katex.RENDER_TIMEOUT, 60.0)

    def start_server_process(cls, rundir, timeout):
        socket_path = rundir / "katex.sock"
        process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, cwd=rundir)
        start = time.monotonic()
        while True:
            if socket_path.is_socket():
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.connect(str(socket_path))
                    return process, sock
                except ConnectionRefusedError:
                    sock.close()
            if process.poll() is not None or time.monotonic() - start > timeout:
                process.kill()
                raise cls.timeout_error(timeout)
            time.sleep(0.005)

    katex.KaTeXServer.start_server_process = classmethod(start_server_process)


def setup(app: Sphinx) -> dict:
    _steady_katex_server()
    app.add_config_value("course_katex_dist", "", "html")
    app.add_config_value("course_edition", "student", "html")
    app.connect("html-page-context", _fix_body)
    app.connect("build-finished", _fix_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
