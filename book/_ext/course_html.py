"""Small fixes to the HTML that Sphinx and the theme write, made at build time (axe-core finds them).

- docutils writes a bibliography as ``<div role="list" class="citation-list">`` whose
  children carry ``role="doc-biblioentry"``, not ``listitem``: an invalid ARIA list
  (aria-required-children, critical). The entries are self-describing, so the
  wrapper loses its ``list`` role.
- The theme's sidebar folds a chapter's sub-pages under a ``<summary>`` that holds
  only a chevron icon: a control with no name (summary-name, serious). Each gets
  the name "Pages of <chapter title>".
"""

from bs4 import BeautifulSoup
from sphinx.application import Sphinx

INVALID_LIST = '<div role="list" class="citation-list">'


def name_summaries(html: str) -> str:
    """Give every nameless ``<summary>`` of a navigation tree an ``aria-label`` from its section's link."""
    if "<summary" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        item = summary.find_parent("li")
        link = item.find("a", recursive=False) if item else None
        title = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Pages of {title}"
    return str(soup)


def _fix_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and INVALID_LIST in body:
        context["body"] = body.replace(INVALID_LIST, '<div class="citation-list">')
    generate = context.get("generate_toctree_html")
    if generate is not None:
        context["generate_toctree_html"] = lambda *args, **kwargs: name_summaries(generate(*args, **kwargs))


def setup(app: Sphinx) -> dict:
    # After the theme (priority 500) has put its toctree function in the page context.
    app.connect("html-page-context", _fix_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
