"""Small fixes to the HTML that Sphinx and the theme write, made at build time.

docutils writes a bibliography as ``<div role="list" class="citation-list">`` whose
children carry ``role="doc-biblioentry"``, not ``listitem``: an invalid ARIA list
(axe: aria-required-children, critical). The entries are self-describing
(``doc-biblioentry``), so the wrapper loses its ``list`` role.
"""

from sphinx.application import Sphinx

INVALID_LIST = '<div role="list" class="citation-list">'


def _fix_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and INVALID_LIST in body:
        context["body"] = body.replace(INVALID_LIST, '<div class="citation-list">')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
