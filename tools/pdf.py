"""Print the course to PDF with headless Chromium (Debian's, driven by Playwright as the browser tests do).

    python tools/pdf.py        # make pdf (after make book and make answer-key)

Writes ``_build/pdf/``:

- ``course.pdf``: the student edition, the whole book from its single page
  (``_build/singlehtml``, built here from the student site's tree), with a table
  of contents whose page numbers are read back from the printed PDF;
- ``answer-key.pdf``: the Instructor edition, every exercise with its solution,
  from ``_build/answer-key/singlehtml``, with its own table of contents;
- ``NN_name.pdf``: one per chapter (its sections and exercises included), student edition;
- ``summary.pdf``: the one-page summary of formulas and library arguments;

then copies the student PDFs into ``_build/html/pdf/`` (the site links them: the
intro page and each page's ".pdf" download button) and the answer key, with the course and the summary that its
intro and summary pages link, into ``_build/answer-key/html/pdf/``. The math is already typeset in the HTML (KaTeX at
build time); the site's print stylesheet (book/_static/course.css) wraps code,
prints each explorer as the frame it shows with a caption, and hides the page
furniture. Everything is served from ``_build`` on localhost: no network.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

import build
import editions
from local_browser import CHROMIUM, chromium, serve

ROOT = editions.ROOT
BUILD = editions.BUILD
OUT = BUILD / "pdf"
STUDENT_SINGLE = BUILD / "singlehtml"
ANSWER_KEY_SINGLE = BUILD / "answer-key" / "singlehtml"
SITE_PDF = BUILD / "html" / "pdf"
ANSWER_KEY_SITE_PDF = BUILD / "answer-key" / "html" / "pdf"
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;font-family:sans-serif">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
PDF_OPTIONS = dict(format="A4", scale=0.8, print_background=True, outline=True, tagged=True, display_header_footer=True,
                   header_template="<div></div>", footer_template=FOOTER,
                   margin={"top": "14mm", "bottom": "16mm", "left": "13mm", "right": "13mm"})

#: Run in the page before printing: solutions and folded cells open, a page break before every document, and
#: only some documents (one chapter, the summary) when asked; the whole book is kept aside to print the next.
_PREPARE = """([docs, title]) => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('img[loading="lazy"]').forEach(i => i.loading = 'eager');
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  if (!window.lcBook) window.lcBook = [...article.childNodes];
  article.replaceChildren(...window.lcBook);
  document.querySelectorAll('nav.lc-print-toc').forEach(n => n.remove());
  if (docs) {
    const kept = [];
    for (const doc of docs) {
      const anchor = document.getElementById('document-' + doc);
      if (!anchor) throw new Error('no document ' + doc + ' on the page');
      kept.push(anchor, anchor.nextElementSibling);
    }
    article.replaceChildren(...kept);
  }
  if (title) document.title = title;
  if (document.getElementById('lc-print-style')) return;
  const style = document.createElement('style');
  style.id = 'lc-print-style';
  style.textContent = `
    @page { size: A4; }
    span[id^="document-"] + section { break-before: page; }
    article > span[id^="document-"]:first-child + section { break-before: auto; }
    .katex .katex-mathml { display: none; }
    #jb-print-docs-body { display: none !important; }
    nav.lc-print-toc { break-after: page; }
    nav.lc-print-toc h2 { margin-bottom: 0.6em; }
    nav.lc-print-toc ol { list-style: none; padding-left: 0; margin: 0; }
    nav.lc-print-toc li { margin: 0.15em 0; }
    nav.lc-print-toc li.lc-toc-part { font-weight: bold; margin-top: 0.7em; }
    nav.lc-print-toc li.lc-toc-section { padding-left: 1.5em; font-size: 0.92em; }
    nav.lc-print-toc a { display: flex; color: inherit; text-decoration: none; }
    nav.lc-print-toc a .lc-toc-dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em 0.3em; }
  `;
  document.head.appendChild(style);
}"""

#: A table of contents (entries: [kind, document or part caption, ...]) after the book's title.
_TOC = """(entries) => {
  const nav = document.createElement('nav');
  nav.className = 'lc-print-toc';
  nav.setAttribute('aria-label', 'Contents');
  nav.innerHTML = '<h2>Contents</h2>';
  const list = document.createElement('ol');
  for (const [kind, name] of entries) {
    const li = document.createElement('li');
    li.className = 'lc-toc-' + kind;
    if (kind === 'part') { li.textContent = name; list.appendChild(li); continue; }
    const anchor = document.getElementById('document-' + name);
    if (!anchor) continue;
    // Link to the document's section, not to the empty marker before it: the marker stays at the foot of the
    // previous page when the section starts a new one.
    const section = anchor.nextElementSibling;
    const heading = section.querySelector('h1, h2, h3, h4, h5, h6');
    const a = document.createElement('a');
    a.href = '#' + section.id;
    const text = document.createElement('span');
    text.textContent = heading.textContent.replace(/[#¶]\\s*$/, '').trim();
    const dots = document.createElement('span');
    dots.className = 'lc-toc-dots';
    const page = document.createElement('span');
    page.className = 'lc-toc-page';
    page.dataset.target = section.id;
    page.dataset.doc = name;
    page.textContent = '000';
    a.append(text, dots, page);
    li.appendChild(a);
    list.appendChild(li);
  }
  nav.appendChild(list);
  const title = document.querySelector('article h1');
  title.after(nav);
}"""

_READY = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
}"""


def toc_entries(toc: dict) -> list[tuple[str, str]]:
    """[("part", caption) | ("chapter", doc) | ("section", doc)] in the order of _toc.yml."""
    entries = []
    for part in toc.get("parts", []):
        entries.append(("part", part.get("caption", "")))
        for chapter in part.get("chapters", []):
            entries.append(("chapter", chapter["file"]))
            entries += [("section", section["file"]) for section in chapter.get("sections", [])]
    return entries


def chapters(toc: dict) -> list[str]:
    """The numbered chapters (their file names start with digits), each printed alone."""
    return [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])
            if Path(c["file"]).name[:2].isdigit()]


def destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> page number, as poppler's pdfinfo lists them."""
    out = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {m[2]: int(m[1]) for m in re.finditer(r'^\s*(\d+)\s+\[.*?\]\s+"(.*)"\s*$', out, re.M)}


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M)[1])


def print_pdf(page, target: Path, *, docs: list[str] | None = None, title: str | None = None,
              toc: list[tuple[str, str]] | None = None) -> int:
    """Print the loaded book ``page`` (only ``docs`` of it, if given) to ``target``; with ``toc``, a table of
    contents whose page numbers come from a first printing. Returns the number of pages."""
    page.evaluate(_PREPARE, [docs, title])
    if toc:
        page.evaluate(_TOC, toc)
    page.evaluate(_READY)
    page.pdf(path=str(target), **PDF_OPTIONS)
    if toc:
        pages = destinations(target)
        missing = page.evaluate("""(pages) => { const missing = [];
            for (const span of document.querySelectorAll('.lc-toc-page')) {
              const n = pages[span.dataset.target];
              if (n === undefined) missing.push(span.dataset.doc); else span.textContent = String(n);
            } return missing; }""", pages)
        if missing:
            raise RuntimeError(f"{target.name}: no page found for {missing}")
        page.pdf(path=str(target), **PDF_OPTIONS)
    return page_count(target)


def print_book(server: str, jobs: list[tuple]) -> list[tuple[str, int, float]]:
    """Print ``jobs`` (all from one single-page book, loaded once) in a Chromium of its own: (name, pages, s)."""
    printed = []
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server}/{jobs[0][0]}", wait_until="load", timeout=600_000)
        for _, name, docs, title, contents in jobs:
            started = time.perf_counter()
            pages = print_pdf(page, OUT / name, docs=docs, title=title, toc=contents)
            printed.append((name, pages, time.perf_counter() - started))
    return printed


def build_student_singlehtml() -> None:
    """The student edition on one page, from the tree make book built the site from (its notebooks are cached)."""
    tree = editions.SITE_TREE
    if not (tree / "conf.py").exists():
        raise SystemExit("the student site's tree is missing: run 'make book' first")
    build.sphinx_build(tree, "singlehtml", STUDENT_SINGLE)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    start = time.perf_counter()
    for tool in ("pdfinfo",):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: install poppler-utils (sudo apt-get install poppler-utils)")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is missing ({CHROMIUM}): sudo apt-get install chromium")
    if not (ANSWER_KEY_SINGLE / "book" / "intro.html").exists():
        raise SystemExit("the answer key is missing: run 'make answer-key' first")
    build.check_build_tools()
    build_student_singlehtml()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = toc_entries(toc)
    book = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    jobs = [("singlehtml/book/intro.html", "course.pdf", None, book, entries),
            ("singlehtml/book/intro.html", "summary.pdf", ["book/summary"], f"{book}: summary", None)]
    jobs += [("singlehtml/book/intro.html", f"{Path(doc).name}.pdf", [doc], None, None)
             for doc in chapters(toc)]
    jobs += [("answer-key/singlehtml/book/intro.html", "answer-key.pdf", None,
              f"{book} — Instructor edition", entries)]
    # The two single-page books print at once, each in its own Chromium (a print keeps one core busy).
    groups = [[job for job in jobs if job[0] == source] for source in dict.fromkeys(job[0] for job in jobs)]
    counts = {}
    with serve(BUILD) as server, ProcessPoolExecutor(max_workers=min(len(groups), os.cpu_count() or 1)) as pool:
        for printed in pool.map(print_book, [server] * len(groups), groups):
            for name, pages, seconds in printed:
                counts[name] = pages
                print(f"  {name:<36} {pages:4d} pages  ({seconds:.0f} s)", flush=True)
    for folder, names in ((SITE_PDF, [n for n in counts if n != "answer-key.pdf"]),
                          (ANSWER_KEY_SITE_PDF, ["answer-key.pdf", "course.pdf", "summary.pdf"])):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name in names:
            shutil.copyfile(OUT / name, folder / name)
    print(f"PDFs in {OUT.relative_to(ROOT)} ({sum(counts.values())} pages), printed in "
          f"{time.perf_counter() - start:.0f} s; the student PDFs are also in {SITE_PDF.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
