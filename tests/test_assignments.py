"""The Otter-Grader assignments made from the exercises pages (tools/assignments.py) and their grading (tools/grade.py).

What runs here:
- the converter's rules on a small synthetic page (no Otter run);
- every page's built assignment (``make assignments``, which ``make test`` runs first): its questions, no solution
  and no hidden test in any student file, the hidden tests in the autograder;
- every page's test files, as Otter runs them, against the correct answers (all pass), the untouched stubs
  (all fail) and every catalogued mistake of lecture_code.checks (the question scores 0 and the feedback names the
  mistake) — fast, without a kernel;
- one page (chapter 4, the cheapest) graded end to end by ``otter run``: the solution notebook, the untouched
  student notebook, a submission with planted mistakes, and submissions that raise, never return and delete files.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import assignments  # noqa: E402
import grade  # noqa: E402
import test_checks  # noqa: E402
import test_checks_exercises as tce  # noqa: E402

from lecture_code import checks  # noqa: E402

PAGES = assignments.pages()
BUILT = ROOT / "_build" / "assignments"


# --- the converter's rules on a synthetic page ---------------------------------------------------------------------

def _md(source, tags=None):
    return {"cell_type": "markdown", "metadata": {"tags": tags} if tags else {}, "source": source}


def _code(source, tags=None):
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "source": source, "outputs": [],
            "execution_count": None}


TEST = "def test_double(double):\n    assert double(2) == 4, 'double(2) must be 4'\n\n\ntest_double(double)\n"
HIDDEN = "def secret_double(double):\n    assert double(-3) == -6, 'negative input'\n\n\nsecret_double(double)\n"


def _page(**changes):
    cells = [
        _md("# Exercises: a test page"),
        _code("import numpy as np"),
        _md("```{exercise} A derivation\n:label: ex-a\nDerive it. See {ref}`ex-b`.\n```", ["points-4"]),
        _md("```{admonition} Hint\n:class: dropdown\nStart from the definition.\n```", ["hint"]),
        _md("```{solution-start} ex-a\n:label: sol-a\n:class: dropdown\n```\nThe derivation.", ["solution"]),
        _code("value = 41 + 1\nassert value == 42", ["solution"]),
        _md("```{solution-end}\n```", ["solution"]),
        _md("```{exercise} Double it\n:label: ex-b\nWrite `double(x)` and explain.\n```",
            ["points-3", "written-points-2"]),
        _code("# Your answer\ndef double(x):\n    ...\n"),
        _md("```{solution-start} ex-b\n:label: sol-b\n:class: dropdown\n```\nThe explanation of the doubling.",
            ["solution"]),
        _code("def double(x):\n    return 2 * x\n", ["solution"]),
        _code(TEST, ["solution", "otter-test"]),
        _code(HIDDEN, ["solution", "otter-test-hidden"]),
        _md("```{solution-end}\n```", ["solution"]),
    ]
    for index, cell in changes.items():
        cells[int(index[1:])] = cell
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}


def test_questions_are_numbered_in_page_order_with_their_points():
    _, questions = assignments.master_notebook(_page(), "x_exercises.ipynb")
    assert [(q["name"], q["label"], q["points"], q["manual"], q["part"]) for q in questions] == [
        ("q1", "ex-a", 4, True, "all"), ("q2", "ex-b", 3, False, "code"), ("q3", "ex-b", 2, True, "written")]


def test_the_master_notebook_has_otters_blocks_and_keeps_each_cell_in_its_place():
    master, _ = assignments.master_notebook(_page(), "x_exercises.ipynb")
    sources = [(c["cell_type"], c["source"]) for c in master["cells"]]
    raw = [s for kind, s in sources if kind == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG") and '"export_cell": false' in raw[0]
    assert [s.split("\n")[0] for s in raw[1:]] == [
        "# BEGIN QUESTION", "# BEGIN PROMPT", "# END PROMPT", "# BEGIN SOLUTION", "# END SOLUTION", "# END QUESTION",
        "# BEGIN QUESTION", "# BEGIN PROMPT", "# END PROMPT", "# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS",
        "# END TESTS", "# END QUESTION",
        "# BEGIN QUESTION", "# BEGIN PROMPT", "# END PROMPT", "# BEGIN SOLUTION", "# END SOLUTION", "# END QUESTION"]
    assert "name: q2\npoints: 3\nall_or_nothing: true" in raw[7] and "manual: true" in raw[1]
    text = "\n".join(s for _, s in sources)
    assert "# HIDDEN\ndef secret_double" in text and "# BEGIN SOLUTION NO PROMPT\ndef double(x):" in text
    assert "question q2 (Double it)" in text                          # {ref}`ex-b` in the prompt of q1
    assert "<details><summary>Hint</summary>" in text and "{solution-start}" not in text


@pytest.mark.parametrize("index,cell,message", [
    ("c2", _md("```{exercise} A derivation\n:label: ex-a\nDerive it.\n```"), "no 'points-N' tag"),
    ("c11", _code(TEST, ["otter-test"]), "must be a code cell tagged 'solution'"),
    ("c11", _code(TEST + "print('more')\n", ["solution", "otter-test"]), "one function definition"),
    ("c11", _code("assert True\n", ["solution", "otter-test"]), "one function definition"),
    ("c2", _md("```{exercise} A derivation\n:label: ex-a\nDerive it.\n```", ["points-4", "written-points-1"]),
     "has 'written-points' but no tests"),
    ("c5", _code("x = 1", ["otter-test"]), "must be a code cell tagged 'solution'"),
])
def test_a_page_that_breaks_a_rule_is_refused(index, cell, message):
    with pytest.raises(assignments.PageFormatError, match=re.escape(message)):
        assignments.master_notebook(_page(**{index: cell}), "x_exercises.ipynb")


def test_the_synthetic_page_becomes_an_otter_assignment(tmp_path):
    page = tmp_path / "x_exercises.ipynb"
    page.write_text(json.dumps(_page()))
    result = assignments.make_assignment(page, tmp_path / "out")
    student = (result / "student" / "x_exercises.ipynb").read_text()
    autograder = (result / "autograder" / "x_exercises.ipynb").read_text()
    assert "return 2 * x" not in student and "41 + 1" not in student and "secret_double" not in student
    assert "The explanation of the doubling" not in student and "grader.check(\\\"q2\\\")" in student
    assert "test_double" in student                                   # the public test travels with the notebook
    assert "return 2 * x" in autograder and "secret_double" in autograder
    with zipfile.ZipFile(next((result / "autograder").glob("*.zip"))) as z:
        assert "secret_double" in z.read("tests/q2.py").decode()


# --- every page's built assignment ---------------------------------------------------------------------------------

def _built(page: Path) -> Path:
    folder = BUILT / page.stem
    if not (folder / "questions.json").is_file():
        pytest.fail(f"{folder.relative_to(ROOT)} is missing: run 'make assignments' (make test does)")
    return folder


def _page_cells(page: Path) -> list[dict]:
    return json.loads(page.read_text())["cells"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_exercise_is_a_question_and_every_code_exercise_is_autograded(page):
    questions = json.loads((_built(page) / "questions.json").read_text())
    labels = [m for c in _page_cells(page) if "solution" not in _tags(c)
              for m in re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", "".join(c["source"]))]
    assert [q["name"] for q in questions] == [f"q{i}" for i in range(1, len(questions) + 1)]
    assert list(dict.fromkeys(q["label"] for q in questions)) == labels
    stubs = {label for label in labels if label in {q["label"] for q in questions if not q["manual"]}}
    for label in labels:                       # an exercise whose starter code defines a function is autograded
        region = _region(page, label)
        has_stub = any(c["cell_type"] == "code" and "solution" not in _tags(c)
                       and re.search(r"^def \w+\(", "".join(c["source"]), re.M) for c in region)
        assert has_stub == (label in stubs), label


def _region(page: Path, label: str) -> list[dict]:
    cells, inside, found = _page_cells(page), False, []
    for c in cells:
        source = "".join(c["source"])
        if "solution" not in _tags(c) and "```{exercise}" in source:
            inside = f":label: {label}\n" in source
            continue
        if inside:
            found.append(c)
    return found


def _student_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="ignore") for p in (folder / "student").rglob("*") if p.is_file())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_solution_and_no_hidden_test_reaches_a_student_file(page):
    folder = _built(page)
    text = _student_text(folder).replace("\\n", "\n").replace('\\"', '"')
    cells = _page_cells(page)
    visible = "\n".join("".join(c["source"]) for c in cells if "solution" not in _tags(c))
    leaks = []
    for c in cells:
        if "solution" not in _tags(c) or "otter-test" in _tags(c):
            continue                     # public tests are meant for students
        for line in "".join(c["source"]).splitlines():
            line = line.strip()
            if len(line) >= 30 and line not in visible and line in text:
                leaks.append(line)
    assert not leaks, f"solution lines in {folder.name}/student: {leaks[:3]}"
    hidden = [c for c in cells if "otter-test-hidden" in _tags(c)]
    for c in hidden:
        name = re.match(r"def (\w+)\(", "".join(c["source"])).group(1)
        assert name not in text, f"the hidden test {name} is in a student file"
    zip_path = grade.autograder_zip(folder)
    with zipfile.ZipFile(zip_path) as z:
        tests = "\n".join(z.read(n).decode() for n in z.namelist() if n.startswith("tests/"))
    assert all(re.match(r"def (\w+)\(", "".join(c["source"])).group(1) in tests for c in hidden)


# --- every page's tests against correct answers, stubs and every catalogued mistake --------------------------------

def _correct(check: str):
    if check in tce.CORRECT:
        return tce.CORRECT[check]
    return {"check_soft_threshold": test_checks.st_correct, "check_ridge": test_checks.ridge_correct,
            "check_l1_backprop": lambda W, g, lam: g + lam * __import__("numpy").sign(W)}[check]


def _mistakes(check: str) -> dict[str, tuple]:
    """Each catalogued mistake of a check: (a student's function with it, the text that names it)."""
    if check in tce.CORRECT:
        return {name: (fn, f"mistake '{name}'") for (c, name), fn in tce.PLANTED.items() if c == check}
    table = {"check_soft_threshold": test_checks.SOFT_THRESHOLD_MISTAKES, "check_ridge": test_checks.RIDGE_MISTAKES,
             "check_l1_backprop": test_checks.L1_MISTAKES}[check]
    return {name: (fn, message) for name, (fn, message) in table.items()}


def _question_tests(page: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Autograded question -> (its Otter test file, {student function name: the check its public test calls})."""
    nb = json.loads((_built(page) / "autograder" / f"{page.stem}.ipynb").read_text())
    found = {}
    for name, source in nb["metadata"]["otter"]["tests"].items():
        uses = dict((fn, chk) for chk, fn in re.findall(r"report = (check_\w+)\((\w+), verbose=False\)", source))
        found[name] = (source, uses)
    return found


def _run(source: str, env: dict):
    from otter.test_files import ExceptionTestFile

    test_file = ExceptionTestFile.from_string(source, path="test.py")
    test_file.run(env)
    return test_file


def _cases():
    for page in PAGES:
        for question, (_, uses) in _question_tests(page).items() if (BUILT / page.stem).is_dir() else []:
            for fn, check in uses.items():
                for mistake in _mistakes(check):
                    yield pytest.param(page, question, fn, mistake, id=f"{page.stem[:2]}-{question}-{fn}-{mistake}")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_correct_answers_pass_every_test_and_untouched_stubs_fail_every_question(page):
    questions = _question_tests(page)
    assert questions, f"{page.name} has no autograded question"
    for question, (source, uses) in questions.items():
        assert uses, f"{page.name} {question}: no public self-check test"
        correct = _run(source, {fn: _correct(check) for fn, check in uses.items()})
        assert correct.passed_all, correct.summary()
        stub = _run(source, {fn: (lambda *a, **k: None) for fn in uses})
        assert stub.score == 0 and not any(r.passed for r in stub.test_case_results), stub.summary()


@pytest.mark.parametrize("page,question,fn,mistake", list(_cases()))
def test_each_catalogued_mistake_loses_the_question_and_is_named(page, question, fn, mistake):
    source, uses = _question_tests(page)[question]
    env = {name: _correct(check) for name, check in uses.items()}
    planted, named = _mistakes(uses[fn])[mistake]
    env[fn] = planted
    result = _run(source, env)
    assert result.score == 0, result.summary()
    assert named in "\n".join(r.message for r in result.test_case_results), result.summary()


def test_every_check_is_called_by_some_page():
    used = {check for page in PAGES for _, uses in _question_tests(page).values() for check in uses.values()}
    assert used == {name for name in dir(checks) if name.startswith("check_")}


# --- one page graded end to end ------------------------------------------------------------------------------------

E2E = "04_subgradients_exercises"
PLANTED_SOURCE = {
    "my_kkt_violation": '''def my_kkt_violation(X, y, w, b, lam):
    r = y - X @ w - b
    c = X.T @ r / X.shape[0]
    on_active = np.abs(c - lam * np.sign(w))[w != 0]
    on_zeros = np.maximum(np.abs(c) - lam, 0.0)[w == 0]
    return max(on_active.max(initial=0.0), on_zeros.max(initial=0.0))
''',
    "my_subgradient_step": '''def my_subgradient_step(Xc, yc, w, lam, step):
    g = -Xc.T @ (yc - Xc @ w) / Xc.shape[0] + lam * np.where(w >= 0, 1.0, -1.0)
    return w - step * g
''',
}
CORRECT_SOURCE = {"my_kkt_violation": PLANTED_SOURCE["my_kkt_violation"].replace(
    "on_zeros.max(initial=0.0))", "on_zeros.max(initial=0.0), abs(r.mean()))")}


def _with_answers(nb: dict, answers: dict[str, str], first_cell: str | None = None) -> dict:
    nb = copy.deepcopy(nb)
    for fn, source in answers.items():
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                    and re.search(rf"^def {fn}\(", "".join(c["source"]), re.M))
        cell["source"] = source
    if first_cell:
        nb["cells"].insert(2, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": first_cell, "id": "inserted"})
    return nb


@pytest.mark.build
def test_a_page_graded_end_to_end(tmp_path):
    folder = _built(ROOT / "book" / f"{E2E}.ipynb")
    student = json.loads((folder / "student" / f"{E2E}.ipynb").read_text())
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "solution.ipynb").write_text((folder / "autograder" / f"{E2E}.ipynb").read_text())
    (submissions / "untouched.ipynb").write_text(json.dumps(student))
    (submissions / "planted.ipynb").write_text(json.dumps(_with_answers(student, PLANTED_SOURCE)))
    (submissions / "raises.ipynb").write_text(json.dumps(_with_answers(
        student, CORRECT_SOURCE, "raise RuntimeError('a student error before any answer')")))
    (submissions / "deletes.ipynb").write_text(json.dumps(_with_answers(student, CORRECT_SOURCE, (
        "import pathlib\nfor p in sorted(pathlib.Path('..').resolve().rglob('*'), reverse=True):\n"
        "    try:\n        p.unlink() if p.is_file() else p.rmdir()\n    except OSError:\n        pass"))))
    (submissions / "not-a-notebook.ipynb").write_text("this is not JSON")

    path = grade.grade_folder(E2E, submissions, timeout=300, jobs=2)
    rows = {row["file"]: row for row in csv.DictReader(path.open())}
    questions = json.loads((folder / "questions.json").read_text())
    auto = [q["name"] for q in questions if not q["manual"]]
    manual = [q["name"] for q in questions if q["manual"]]
    header = next(csv.reader(path.open()))
    assert header == ["file", *[q["name"] for q in questions], "total", "possible", "percent"]
    assert set(rows) == {"solution.ipynb", "untouched.ipynb", "planted.ipynb", "raises.ipynb", "deletes.ipynb",
                         "not-a-notebook.ipynb"}
    assert float(rows["solution.ipynb"]["percent"]) == 100.0
    assert float(rows["untouched.ipynb"]["percent"]) <= 10.0
    assert all(rows["solution.ipynb"][q] == "" for q in manual)
    kkt, step = (q["name"] for q in questions if not q["manual"] and q["label"] in
                 ("ex-ch4-kkt-code", "ex-ch4-subgradient-step"))
    assert float(rows["planted.ipynb"][kkt]) == 0 and float(rows["planted.ipynb"][step]) == 0
    feedback = (submissions / "feedback" / "planted.txt").read_text()
    assert "mistake 'forgets the bias condition'" in feedback and "mistake 'sign(0) = 1'" in feedback
    # A student error before the answers does not stop the grading: the correct answer after it scores.
    assert float(rows["raises.ipynb"][kkt]) > 0 and float(rows["raises.ipynb"][step]) == 0
    assert float(rows["deletes.ipynb"]["total"]) <= float(rows["solution.ipynb"]["total"])
    assert "NOT GRADED" in (submissions / "feedback" / "not-a-notebook.txt").read_text()
    assert all(q in rows["solution.ipynb"] for q in auto)
    # The submissions folder itself is intact: the deleting notebook touched only its own copy.
    assert {p.name for p in submissions.glob("*.ipynb")} == set(rows)


@pytest.mark.build
def test_a_submission_that_never_finishes_is_stopped_and_graded_zero(tmp_path):
    """Graded alone, so that the end-to-end grading above need not wait out a timeout long enough for a real
    notebook on a loaded machine."""
    folder = _built(ROOT / "book" / f"{E2E}.ipynb")
    student = json.loads((folder / "student" / f"{E2E}.ipynb").read_text())
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "hangs.ipynb").write_text(json.dumps(_with_answers(student, CORRECT_SOURCE, "while True:\n    pass")))
    path = grade.grade_folder(E2E, submissions, timeout=15, jobs=1)
    row = next(csv.DictReader(path.open()))
    assert row["file"] == "hangs.ipynb" and float(row["total"]) == 0
    assert "did not finish within 15 s" in (submissions / "feedback" / "hangs.txt").read_text()
