"""One source, two editions: the student edition carries no solution, the answer key carries all."""

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import editions  # noqa: E402

STUDENT_SITE = ROOT / "_build" / "html"
STUDENT_TREE = ROOT / "_build" / "student-notebooks"
ANSWER_KEY = ROOT / "_build" / "answer-key"


def _cell(kind, source, tags=()):
    cell = {"cell_type": kind, "metadata": {"tags": list(tags)} if tags else {}, "source": source}
    if kind == "code":
        cell |= {"outputs": [], "execution_count": None}
    return cell


def test_strip_removes_every_cell_tagged_solution_and_keeps_the_rest():
    nb = {"cells": [
        _cell("markdown", "```{exercise} Prox\n:label: ex-a\nDerive it.\n```"),
        _cell("code", "def my_prox(z, t):\n    ...", tags=["exercise-stub"]),
        _cell("markdown", "```{solution-start} ex-a\n```\nThe derivation.", tags=["solution"]),
        _cell("code", "def my_prox(z, t):\n    return z", tags=["solution"]),
        _cell("markdown", "```{solution-end}\n```", tags=["solution"]),
        _cell("markdown", "Next section."),
    ], "metadata": {}}
    stripped = editions.strip_notebook(nb, "x.ipynb")
    assert [c["source"][:12] for c in stripped["cells"]] == ["```{exercise", "def my_prox(", "Next section"]
    assert len(nb["cells"]) == 6, "the source notebook must not be modified"


def test_the_published_student_notebooks_drop_the_build_checks_and_the_site_tree_keeps_them():
    nb = {"cells": [
        _cell("code", "x = 1"),
        _cell("code", "# Check: the claim.\nassert x == 1", tags=["remove-cell"]),
        _cell("markdown", "Text.", tags=["remove-cell"]),
    ], "metadata": {}}
    assert [c["source"] for c in editions.strip_notebook(nb, "x.ipynb", checks=False)["cells"]] == ["x = 1", "Text."]
    assert len(editions.strip_notebook(nb, "x.ipynb")["cells"]) == 3


@pytest.mark.parametrize("source", ["```{solution} ex-a\nAnswer.\n```", "```{solution-start} ex-a\n```"])
def test_a_solution_outside_a_tagged_cell_is_refused(source):
    nb = {"cells": [_cell("markdown", source)], "metadata": {}}
    with pytest.raises(editions.SolutionOutsideTaggedCell, match="x.ipynb: cell 0"):
        editions.strip_notebook(nb, "x.ipynb")


def _solutions() -> dict[str, list[str]]:
    """Every solution cell of the source, with the markers that identify it: its label and its distinctive lines."""
    found = {}
    notebooks = {path: json.loads(path.read_text()) for path in sorted((ROOT / "book").rglob("*.ipynb"))}
    other = "\n".join("".join(c["source"]) for nb in notebooks.values() for c in nb["cells"]
                       if not editions.is_solution(c))
    other += "\n".join(p.read_text() for p in (ROOT / "book").rglob("*.md"))
    # Lines that also appear in what students get anyway (lecture_code and the shared files) identify nothing.
    other += "\n".join(p.read_text() for p in (ROOT / "lecture_code").rglob("*.py"))
    other += "\n".join((ROOT / name).read_text() for name in editions.SHARED if (ROOT / name).is_file())
    for path, nb in notebooks.items():
        for i, cell in enumerate(nb["cells"]):
            if not editions.is_solution(cell):
                continue
            text = "".join(cell["source"])
            if not re.sub(r"```\{solution-end\}\s*```", "", text).strip():
                continue                                   # a bare closing directive carries no content
            markers = re.findall(r":label:\s*(sol-\S+)", text)
            markers += [line.strip() for line in text.splitlines()
                        if len(line.strip()) >= 30 and line.strip() not in other]
            found[f"{path.name} cell {i}"] = markers
    return found


#: Compressed or binary files, where a solution's text could not be found by a text search: the PDFs are read
#: back with pdftotext in tests/test_pdf.py; images, fonts and compiled translations hold no course text.
BINARY = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".mo"}


def _files(folder: Path):
    if not folder.exists():
        pytest.fail(f"{folder.relative_to(ROOT)} is missing: run 'make book' and 'make answer-key' (make test does)")
    return [p for p in folder.rglob("*") if p.is_file()]


def test_every_solution_cell_has_markers_to_scan_for():
    for where, markers in _solutions().items():
        assert markers, f"{where}: a solution cell needs a sol- label or a distinctive line the leak scan can find"


def _texts(path: Path):
    """(name, text) of a file, or of each member of a zip archive (the site's download of the notebooks)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if Path(member).suffix not in BINARY and not member.endswith("/"):
                    yield f"{path.relative_to(ROOT)}!{member}", archive.read(member).decode("utf-8", "ignore")
    elif path.suffix not in BINARY:
        yield str(path.relative_to(ROOT)), path.read_text(errors="ignore")


def test_the_student_site_and_tree_contain_no_solution():
    solutions = _solutions()
    leaks, zipped = [], 0
    for path in _files(STUDENT_SITE) + _files(STUDENT_TREE):
        for name, text in _texts(path):
            zipped += "!" in name
            text = text.replace("\\n", "\n").replace('\\"', '"')       # JSON-escaped sources and search index
            for where, markers in solutions.items():
                leaks += [f"{name}: {where}: {m[:50]!r}" for m in markers if m in text]
    assert zipped >= 29, "the site's zip of the notebooks was not read"
    assert not leaks, "solution content in the student edition:\n" + "\n".join(leaks[:20])


def test_the_answer_key_contains_every_solution_and_says_it_is_the_instructor_edition():
    page_text = "\n".join(p.read_text() for p in _files(ANSWER_KEY / "html") if p.suffix == ".html")
    labels = [m for markers in _solutions().values() for m in markers if m.startswith("sol-")]
    for label in labels:
        assert f'id="{label}"' in page_text, f"{label} is missing from the answer key"
    exercises = sum(len(re.findall(r"```\{exercise\}", "".join(c["source"])))
                    for p in (ROOT / "book").rglob("*.ipynb") for c in json.loads(p.read_text())["cells"])
    assert page_text.count('class="solution') == exercises == len(labels), "one solution per exercise"
    single = (ANSWER_KEY / "singlehtml" / "book" / "intro.html").read_text()   # the whole book on one page
    assert "The U-curve" in single
    assert "Instructor edition" in single and "Instructor edition" in page_text
    assert single.count('class="solution') == page_text.count('class="solution')


def test_student_launch_buttons_point_at_the_student_branch():
    page = (STUDENT_SITE / "book" / "01_overfitting.html").read_text()
    url = editions._config()["repository"]["url"].removeprefix("https://github.com/")
    binder = f"https://mybinder.org/v2/gh/{url}/{editions.STUDENT_BRANCH}?urlpath=lab/tree/book/01_overfitting.ipynb"
    colab = f"https://colab.research.google.com/github/{url}/blob/{editions.STUDENT_BRANCH}/book/01_overfitting.ipynb"
    assert binder in page
    assert colab in page


def test_the_student_tree_is_runnable_on_binder():
    for name in ["environment.yml", "pyproject.toml", "requirements.txt", "README.md", "lecture_code/__init__.py"]:
        assert (STUDENT_TREE / name).exists(), name
    assert "-e ." in (STUDENT_TREE / "environment.yml").read_text()
    for path in (STUDENT_TREE / "book").rglob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            assert not editions.is_solution(cell), f"{path.name} keeps a solution cell"
            assert not editions.SOLUTION_DIRECTIVE.search("".join(cell["source"])), f"{path.name}: solution directive"
    sources = {p.relative_to(ROOT / "book") for p in (ROOT / "book").rglob("*.ipynb")}
    assert {p.relative_to(STUDENT_TREE / "book") for p in (STUDENT_TREE / "book").rglob("*.ipynb")} == sources


def test_students_open_notebooks_without_checks_while_the_site_ran_them():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        source = json.loads(path.read_text())
        published = json.loads((STUDENT_TREE / "book" / path.name).read_text())
        assert not any(editions.is_check(c) for c in published["cells"]), f"{path.name} keeps a check cell"
        expected = [c for c in source["cells"] if not editions.is_solution(c) and not editions.is_check(c)]
        assert published["cells"][0]["metadata"]["tags"] == [editions.SETUP_TAG]
        assert [c["source"] for c in published["cells"][1:]] == [c["source"] for c in expected]
        # The site was built from the tree with the checks, and its download button serves the published notebook.
        site_tree = json.loads((editions.SITE_TREE / "book" / path.name).read_text())
        assert sum(map(editions.is_check, site_tree["cells"])) == sum(map(editions.is_check, source["cells"]))
        download = STUDENT_SITE / "_sources" / "book" / path.name
        assert json.loads(download.read_text()) == published, f"{download.name} is not the published notebook"
