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
"""

import html as html_lib
import re
import shutil
from pathlib import Path

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


def katex_errors(html: str) -> list[str]:
    """Every formula KaTeX could not typeset on a page: its message and its TeX."""
    return [f"{html_lib.unescape(message)}: {html_lib.unescape(tex)[:120]}" for message, tex in KATEX_ERROR.findall(html)]


def _fix_written_pages(app: Sphinx, exception: Exception | None) -> None:
    # The sidebar is rendered by the theme's template functions, after every page hook: fix the written files.
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    errors = []
    for page in outdir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = drop_fontawesome_script(name_summaries(html))
        errors += [f"{page.relative_to(outdir)}: {e}" for e in katex_errors(fixed)]
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
    _copy_katex_assets(app, outdir / "_static" / "katex")
    _trim_fontawesome(outdir)
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


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_katex_dist", "", "html")
    app.connect("html-page-context", _fix_body)
    app.connect("build-finished", _fix_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
