"""The printed course (make pdf, tools/pdf.py), read back with poppler's pdftotext and pdfinfo.

Every chapter is in the course PDF and has a PDF of its own, the table of contents gives the page each
chapter starts on, no formula is left as TeX, code is wrapped (its longest lines are there whole), each
explorer is printed as a frame with its caption, the summary is one page, the student PDFs carry no solution
and the answer key carries them, and the student site links its PDFs.
"""

import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
PDF = BUILD / "pdf"
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import editions  # noqa: E402
import pdf as pdf_tool  # noqa: E402
from test_editions import _solutions  # noqa: E402

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = pdf_tool.chapters(TOC)
STUDENT_PDFS = ["course.pdf", "summary.pdf", *[f"{Path(c).name}.pdf" for c in CHAPTERS]]
#: What TeX looks like when it was not typeset. Code may show TeX in its strings, written with a double
#: backslash ("$\\lambda$" in a label): a single backslash before a command is prose that KaTeX did not typeset.
RAW_TEX = re.compile(r"(?<!\\)\\(frac|lVert|rVert|operatorname|mathbb|begin\{|end\{|sum_|lambda|alpha|hat|tfrac|text\{)|\$\$")


@pytest.fixture(scope="module", autouse=True)
def _tools():
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.fail("pdftotext and pdfinfo are missing: sudo apt-get install poppler-utils (.ci/run installs it)")
    if not (PDF / "course.pdf").exists():
        pytest.fail("_build/pdf is missing: run 'make pdf' (make test does)")


@lru_cache(maxsize=None)
def text(name: str, layout: bool = False, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else [])]
    args += [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run([*args, str(PDF / name), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(s: str) -> str:
    """Without white space and hyphens (pdftotext joins a word hyphenated at a line's end)."""
    return re.sub(r"[\s\-\u00ad]+", "", s)


def chapter_title(doc: str) -> str:
    """A chapter's title as the site shows it (its first heading)."""
    import html

    page = (BUILD / "html" / f"{doc}.html").read_text()
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
    return re.sub(r"<[^>]+>", "", title.rsplit(" — ", 1)[0]).strip()


def test_every_pdf_is_written_with_its_pages():
    for name in [*STUDENT_PDFS, "answer-key.pdf"]:
        assert pdf_tool.page_count(PDF / name) >= 1, name
    assert pdf_tool.page_count(PDF / "summary.pdf") == 1, "the summary must fit on one page"
    assert pdf_tool.page_count(PDF / "course.pdf") > sum(pdf_tool.page_count(PDF / f"{Path(c).name}.pdf")
                                                         for c in CHAPTERS[:3])


@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_chapter_is_in_the_course_pdf_and_in_its_own(doc):
    title = squeeze(chapter_title(doc))
    assert title in squeeze(text("course.pdf")), f"{doc} is not in course.pdf"
    assert title in squeeze(text("answer-key.pdf")), f"{doc} is not in answer-key.pdf"
    own = squeeze(text(f"{Path(doc).name}.pdf"))
    assert own.startswith(title) or title in own[:400], f"{Path(doc).name}.pdf does not open with its chapter"
    pages = pdf_tool.page_count(PDF / f"{Path(doc).name}.pdf")
    assert pages < 0.4 * pdf_tool.page_count(PDF / "course.pdf"), "a chapter PDF holds more than its chapter"


@pytest.mark.parametrize("name", ["course.pdf", "answer-key.pdf"])
def test_the_table_of_contents_gives_the_page_each_chapter_starts_on(name):
    contents = text(name, layout=True, first=1, last=4)
    assert "Contents" in contents
    for doc in CHAPTERS:
        title = chapter_title(doc)
        line = next((l for l in contents.splitlines() if squeeze(title) in squeeze(l)), None)
        assert line, f"{title!r} is not in the table of contents of {name}"
        page = int(re.search(r"(\d+)\s*$", line)[1])
        assert squeeze(title) in squeeze(text(name, first=page, last=page)), \
            f"the contents of {name} say {title!r} starts on page {page}, it does not"


@lru_cache(maxsize=None)
def _all_code() -> str:
    """Every code cell of the book, squeezed: TeX in a code string (a plot label) is code, not a formula."""
    return squeeze("\n".join("".join(c["source"]) for path in sorted((ROOT / "book").glob("*.ipynb"))
                              for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"))


@pytest.mark.parametrize("name", [*STUDENT_PDFS, "answer-key.pdf"])
def test_no_formula_is_left_as_tex(name):
    found = [line.strip() for line in text(name).splitlines()
             if RAW_TEX.search(line) and squeeze(line) not in _all_code()]
    assert not found, f"{name} shows raw TeX outside code: {found[:5]}"


def test_the_math_is_typeset():
    body = text("course.pdf")
    assert "λ" in body and "∥" in body and "∑" in body


def _visible_code_lines() -> list[str]:
    lines = set()
    for path in sorted((ROOT / "book").glob("0*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            if cell["cell_type"] != "code" or {"remove-cell", "remove-input", "solution", "hide-input"} & set(tags):
                continue
            lines |= {line.strip() for line in "".join(cell["source"]).splitlines()
                      if line.strip() and line.isascii() and not line.strip().startswith("#")}
    return sorted(lines, key=len, reverse=True)


def test_code_is_wrapped_not_clipped():
    longest = _visible_code_lines()[:15]
    assert len(longest[-1]) > 60
    body = squeeze(text("course.pdf"))
    clipped = [line for line in longest if squeeze(line) not in body]
    assert not clipped, f"long code lines cut off in course.pdf: {clipped[:3]}"


def test_each_explorer_is_printed_as_its_frame_with_a_caption():
    pages = [p for p in (BUILD / "html" / "book").glob("0*.html") if 'class="lc-explorer"' in p.read_text()]
    assert pages
    body = text("course.pdf")
    assert body.count("Explorer at ") >= len(pages)
    images = subprocess.run(["pdfimages", "-list", str(PDF / "01_overfitting.pdf")], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) >= 5, "the chapter's figures and its explorer frame are not in its PDF"
    assert "Explorer at degree d = " in text("01_overfitting.pdf")


def test_the_student_pdfs_carry_no_solution_and_the_answer_key_all_of_them():
    markers = [m for ms in _solutions().values() for m in ms if not m.startswith("sol-")]
    code_like = [m for m in markers if m.isascii() and re.search(r"[=(]", m) and "$" not in m and "`" not in m]
    assert len(code_like) >= 20
    key = squeeze(text("answer-key.pdf"))
    found_in_key = [m for m in code_like if squeeze(m) in key]
    assert len(found_in_key) >= 0.5 * len(code_like), "the answer key misses most solutions"
    assert "Solution to" in text("answer-key.pdf")
    for name in STUDENT_PDFS:
        body = text(name)
        assert "Solution to" not in body, f"{name} holds a solution"
        squeezed = squeeze(body)
        leaked = [m for m in found_in_key if squeeze(m) in squeezed]
        assert not leaked, f"{name} holds solution lines: {leaked[:3]}"


def test_the_student_site_links_its_pdfs():
    site = BUILD / "html"
    for name in STUDENT_PDFS:
        assert (site / "pdf" / name).read_bytes() == (PDF / name).read_bytes()
    assert not (site / "pdf" / "answer-key.pdf").exists(), "the answer key must not reach the student site"
    intro = (site / "book" / "intro.html").read_text()
    assert 'href="../pdf/course.pdf"' in intro and re.search(r'href="summary.html(#summary)?"', intro)
    for doc in CHAPTERS:
        page = (site / f"{doc}.html").read_text()
        assert f'href="../pdf/{Path(doc).name}.pdf" class="btn btn-sm btn-download-pdf-button' in page
        assert "window.print()" not in page
