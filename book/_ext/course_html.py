"""Small fixes to the HTML that Sphinx and the theme write, made at build time (axe-core finds them).

- docutils writes a bibliography as ``<div role="list" class="citation-list">`` whose
  children carry ``role="doc-biblioentry"``, not ``listitem``: an invalid ARIA list
  (aria-required-children, critical). The entries are self-describing, so the
  wrapper loses its ``list`` role.
- The theme's sidebar folds a chapter's sub-pages under a ``<summary>`` that holds
  only a chevron icon: a control with no name (summary-name, serious). Each gets
  the name "Pages of <chapter title>", from the chapter link just before it.
"""

import re
from pathlib import Path

from sphinx.application import Sphinx

INVALID_LIST = '<div role="list" class="citation-list">'
NAMELESS_SUMMARY = re.compile(r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">)([^<]+)(</a><details[^>]*>)<summary>')


def name_summaries(html: str) -> str:
    """Give each sidebar ``<summary>`` an ``aria-label`` naming the chapter whose pages it folds."""
    return NAMELESS_SUMMARY.sub(lambda m: f'{m[1]}{m[2]}{m[3]}<summary aria-label="Pages of {m[2]}">', html)


def _fix_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and INVALID_LIST in body:
        context["body"] = body.replace(INVALID_LIST, '<div class="citation-list">')


def _fix_written_pages(app: Sphinx, exception: Exception | None) -> None:
    # The sidebar is rendered by the theme's template functions, after every page hook: fix the written files.
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = name_summaries(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _fix_body)
    app.connect("build-finished", _fix_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
