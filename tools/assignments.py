"""Otter-Grader assignments from the exercises pages: one assignment per page, nothing kept twice.

    python tools/assignments.py                     # every book/*_exercises.ipynb -> _build/assignments/<stem>/
    python tools/assignments.py book/05_soft_thresholding_exercises.ipynb

For each exercises page this writes an Otter master notebook (``_build/assignments/.masters/<stem>/<stem>.ipynb``)
and runs ``otter assign`` on it, which writes Otter's layout: ``_build/assignments/<stem>/student/`` (the notebook
a student fills in, with the public tests) and ``_build/assignments/<stem>/autograder/`` (the solution notebook,
all tests, and the autograder zip that ``tools/grade.py`` grades with).

How a page becomes an assignment (the rules the page follows, checked here):

- **Questions.** Every ``{exercise}`` is one question, named q1, q2, ... in page order; its prompt carries the
  exercise's title and label. An exercise with test cells (below) is an *autograded* question; an exercise without
  is a *manual* question (derivations, experiments, explanations), graded by a person.
- **Points.** The exercise's cell is tagged ``points-N``: the points of its question. An autograded exercise that
  also asks for written work (a derivation, an explanation) is tagged ``written-points-M`` as well: its written
  part becomes a manual question of its own, right after the autograded one.
- **Tests.** Code cells tagged ``solution`` and ``otter-test`` (public: the student can run them with
  ``grader.check("qN")``) or ``otter-test-hidden`` (only in the autograder), in the exercise's solution region.
  Each holds one test function and, after it, one call of it: the answer key (nbval, the build) runs them
  against the solution, which proves that the solution passes every test. The function's parameters are names
  the student's notebook defines (Otter passes their values); anything else it needs, it imports itself.
  Its assertion messages are the feedback a student or grader reads.
- **Starter code.** The exercise's other code cells (the ``# Your answer`` stubs and the self-check call after
  them) are the student's answer cells. Markdown cells tagged ``hint`` (a folded ``{admonition}`` on the site)
  become ``<details>`` blocks, folded in Jupyter too.
- **Solutions.** Every other cell tagged ``solution`` is the answer key: it stays in the autograder's notebook
  and never reaches the student's (Markdown removed; code reduced to nothing and dropped).

Cells before the first exercise (the title, the setup code) are copied as they are.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "assignments"
SOLUTION_TAG, TEST_TAG, HIDDEN_TEST_TAG, HINT_TAG = "solution", "otter-test", "otter-test-hidden", "hint"
POINTS_TAG = re.compile(r"^points-(\d+(?:\.\d+)?)$")
WRITTEN_POINTS_TAG = re.compile(r"^written-points-(\d+(?:\.\d+)?)$")
EXERCISE = re.compile(r"```\{exercise\}\s*(?P<title>[^\n]*)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)(?P<body>.*?)\n```",
                      re.S)
OTTER_CONFIG = {
    "init_cell": True,
    "check_all_cell": False,
    "export_cell": False,
    "run_tests": False,            # the answer key's nbval run proves the tests on every page; make test grades one
    "show_question_points": True,
    "tests": {"files": False, "ok_format": False},
    "generate": {"pdf": False, "show_stdout": True, "show_hidden": True},
}
RESPONSE_CELL = "_Your answer (derivation, explanation, the numbers you found):_"


class PageFormatError(ValueError):
    """An exercises page breaks a rule of the converter (see the module docstring)."""


@dataclass
class Exercise:
    label: str
    title: str
    body: str
    before: str                       # text of the exercise's cell before the directive (a section heading)
    points: float
    written_points: float | None
    answer_cells: list[dict] = field(default_factory=list)
    hint_cells: list[dict] = field(default_factory=list)
    other_cells: list[dict] = field(default_factory=list)
    solution_cells: list[dict] = field(default_factory=list)
    tests: list[tuple[str, bool]] = field(default_factory=list)    # (source, hidden)


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _cell(kind: str, source: str, tags: list[str] | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": tags} if tags else {}, "source": source}
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell


def _raw(source: str) -> dict:
    return _cell("raw", source)


def _points(tags: list[str], pattern: re.Pattern) -> float | None:
    found = [float(m.group(1)) for t in tags if (m := pattern.match(t))]
    if len(found) > 1:
        raise PageFormatError(f"more than one points tag: {tags}")
    return found[0] if found else None


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def check_test_source(source: str, where: str) -> str:
    """A test cell: one function definition, then at most one call of that function. Returns the function's name."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PageFormatError(f"{where}: the test cell is not valid Python ({exc})") from None
    body = tree.body
    if not body or not isinstance(body[0], ast.FunctionDef) or len(body) > 2:
        raise PageFormatError(f"{where}: a test cell holds one function definition and, after it, one call of it")
    name = body[0].name
    if len(body) == 2:
        call = body[1]
        if not (isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
                and isinstance(call.value.func, ast.Name) and call.value.func.id == name):
            raise PageFormatError(f"{where}: the second statement of a test cell must be a call of {name}")
    return name


def parse_page(nb: dict, name: str) -> tuple[list[dict], list[Exercise]]:
    """Split a page into its preamble cells and its exercises (each with its cells)."""
    preamble: list[dict] = []
    exercises: list[Exercise] = []
    for i, cell in enumerate(nb["cells"]):
        source, tags = _source(cell), _tags(cell)
        where = f"{name} cell {i}"
        is_solution = SOLUTION_TAG in tags
        match = EXERCISE.search(source) if cell["cell_type"] == "markdown" and not is_solution else None
        if match:
            options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", match["options"], re.M))
            if "label" not in options:
                raise PageFormatError(f"{where}: an exercise without a :label:")
            points = _points(tags, POINTS_TAG)
            if points is None:
                raise PageFormatError(f"{where}: exercise {options['label']} has no 'points-N' tag")
            exercises.append(Exercise(options["label"], match["title"].strip(), match["body"].strip(),
                                      source[:match.start()].strip(), points, _points(tags, WRITTEN_POINTS_TAG)))
            continue
        if not exercises:
            if is_solution or TEST_TAG in tags or HIDDEN_TEST_TAG in tags:
                raise PageFormatError(f"{where}: a solution or test cell before the first exercise")
            preamble.append(cell)
            continue
        ex = exercises[-1]
        if TEST_TAG in tags or HIDDEN_TEST_TAG in tags:
            if not is_solution or cell["cell_type"] != "code":
                raise PageFormatError(f"{where}: a test cell must be a code cell tagged '{SOLUTION_TAG}' too "
                                      "(so that no student edition shows it)")
            check_test_source(source, where)
            ex.tests.append((source, HIDDEN_TEST_TAG in tags))
        elif is_solution:
            ex.solution_cells.append(cell)
        elif HINT_TAG in tags:
            ex.hint_cells.append(cell)
        elif cell["cell_type"] == "code":
            ex.answer_cells.append(cell)
        else:
            ex.other_cells.append(cell)
    for ex in exercises:
        if ex.written_points is not None and not ex.tests:
            raise PageFormatError(f"{name}: exercise {ex.label} has 'written-points' but no tests "
                                  "(an exercise without tests is a manual question: use 'points-N' alone)")
    return preamble, exercises


# --- MyST to plain notebook Markdown ------------------------------------------------------------------------------

def _myst_to_markdown(text: str, labels: dict[str, str]) -> str:
    """Roles and directives of the book as a plain notebook shows them."""
    def ref(m: re.Match) -> str:
        inner = m.group(1)
        explicit = re.match(r"(.*?)\s*<([^>]+)>$", inner)
        if explicit:
            return explicit.group(1)
        return labels.get(inner, f"“{inner}” in the course")

    text = re.sub(r"\{(?:ref|numref|doc)\}`([^`]+)`", ref, text)
    text = re.sub(r"\{cite:[pt]\}`([^`]+)`", lambda m: f"[{m.group(1)}]", text)
    text = re.sub(r"\{math\}`([^`]+)`", r"$\1$", text)
    text = re.sub(r"\{[\w:-]+\}`([^`]+)`", r"\1", text)
    return text


def _hint_to_details(source: str, labels: dict[str, str]) -> str:
    """A ``{admonition} Hint`` (or ``{hint}``) dropdown as an HTML ``<details>`` block, folded in Jupyter."""
    match = re.search(r"```\{(?:admonition|hint)\}\s*([^\n]*)\n((?::[\w-]+:[^\n]*\n)*)(.*?)\n```", source, re.S)
    if not match:
        return _myst_to_markdown(source, labels)
    title = match.group(1).strip() or "Hint"
    return f"<details><summary>{title}</summary>\n\n{_myst_to_markdown(match.group(3).strip(), labels)}\n\n</details>"


def _solution_markdown(source: str, labels: dict[str, str]) -> str | None:
    """A solution's Markdown without its ``{solution-start}``/``{solution-end}`` fences (None if nothing is left)."""
    source = re.sub(r"```\{solution-start\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*```\n?", "", source)
    source = re.sub(r"```\{solution-end\}\s*\n```\n?", "", source)
    source = source.strip()
    return _myst_to_markdown(source, labels) if source else None


# --- the master notebook ------------------------------------------------------------------------------------------

def _question(name: str, points: float, manual: bool) -> dict:
    lines = ["# BEGIN QUESTION", f"name: {name}", f"points: {_number(points)}"]
    # An autograded question is all or nothing: a function that fails one of its tests has a mistake, and
    # passing the public self-check while failing a hidden test earns no partial credit either.
    lines.append("manual: true" if manual else "all_or_nothing: true")
    return _raw("\n".join(lines))


def _solution_code(cell: dict) -> dict:
    """A solution code cell as Otter keeps it in the autograder notebook and empties in the student's."""
    body = _source(cell).rstrip("\n")
    return _cell("code", f"# BEGIN SOLUTION NO PROMPT\n{body}\n# END SOLUTION")


def _test_cell(source: str, hidden: bool) -> dict:
    return _cell("code", ("# HIDDEN\n" if hidden else "") + source.rstrip("\n"))


def master_notebook(nb: dict, name: str) -> tuple[dict, list[dict]]:
    """The Otter master notebook of an exercises page, and the list of its questions (name, label, points, manual)."""
    preamble, exercises = parse_page(nb, name)
    # Question names first: a prompt may refer to a later exercise.
    questions, labels, k = [], {}, 0
    for ex in exercises:
        k += 1
        auto = bool(ex.tests)
        questions.append({"name": f"q{k}", "label": ex.label, "title": ex.title, "points": _number(ex.points),
                          "manual": not auto, "part": "code" if auto else "all"})
        labels[ex.label] = f"question q{k} ({ex.title})"
        if auto and ex.written_points is not None:
            k += 1
            questions.append({"name": f"q{k}", "label": ex.label, "title": ex.title,
                              "points": _number(ex.written_points), "manual": True, "part": "written"})

    stem = Path(name).stem
    config = {"name": stem} | OTTER_CONFIG
    cells = [_raw("# ASSIGNMENT CONFIG\n" + json.dumps(config, indent=1))]
    for cell in preamble:
        source = _source(cell)
        cells.append(_cell(cell["cell_type"], _myst_to_markdown(source, labels) if cell["cell_type"] == "markdown"
                           else source))
    cells.append(_cell("markdown", "**How this assignment is graded.** Run every cell from the top. Questions with "
                       "tests are graded automatically: `grader.check(\"qN\")` runs their public tests (the grader "
                       "also runs hidden ones). The other questions are read by a person: write your answers in the "
                       "cells marked *your answer*."))
    by_label = iter(questions)
    for ex in exercises:
        q = next(by_label)
        heading = f"{ex.before}\n\n" if ex.before else ""
        kind = "autograded" if not q["manual"] else "graded by hand"
        written = (f" Its written parts (derivations, explanations) are question q{int(q['name'][1:]) + 1}."
                   if ex.tests and ex.written_points is not None else "")
        prompt = (f"{_myst_to_markdown(heading, labels)}### Question {q['name']}: {ex.title}\n\n"
                  f"*Exercise `{ex.label}` of the course; {_number(ex.points)} points, {kind}.*{written}\n\n"
                  f"{_myst_to_markdown(ex.body, labels)}")
        cells += [_question(q["name"], ex.points, q["manual"]), _cell("markdown", prompt)]
        cells += [_cell("markdown", _hint_to_details(_source(c), labels)) for c in ex.hint_cells]
        cells += [_cell("markdown", _myst_to_markdown(_source(c), labels)) for c in ex.other_cells]
        answers = [_cell("code", _source(c)) for c in ex.answer_cells]
        if q["manual"]:
            answers = [_cell("markdown", RESPONSE_CELL)] + answers
        if answers:
            cells += [_raw("# BEGIN PROMPT"), *answers, _raw("# END PROMPT")]
        solution_md = [s for c in ex.solution_cells if c["cell_type"] == "markdown"
                       if (s := _solution_markdown(_source(c), labels))]
        solution_code = [_solution_code(c) for c in ex.solution_cells if c["cell_type"] == "code"]
        if q["manual"]:              # one manual question: the solution in the page's order
            solution = []
            for c in ex.solution_cells:
                if c["cell_type"] == "code":
                    solution.append(_solution_code(c))
                elif s := _solution_markdown(_source(c), labels):
                    solution.append(_cell("markdown", s))
        elif ex.written_points is None:
            solution = solution_code + [_cell("markdown", s) for s in solution_md]
        else:                        # the code here; the written answer goes with the manual question below
            solution = solution_code
        if solution:
            cells += [_raw("# BEGIN SOLUTION"), *solution, _raw("# END SOLUTION")]
        if ex.tests:
            cells += [_raw("# BEGIN TESTS"), *[_test_cell(s, h) for s, h in ex.tests], _raw("# END TESTS")]
        cells.append(_raw("# END QUESTION"))
        if ex.tests and ex.written_points is not None:
            q = next(by_label)
            cells += [_question(q["name"], ex.written_points, True),
                      _cell("markdown", f"### Question {q['name']}: {ex.title}, the written parts\n\n"
                                        f"*Exercise `{ex.label}`; {_number(ex.written_points)} points, graded by "
                                        "hand.* Answer the parts of the exercise above that ask for a derivation, "
                                        "a proof or an explanation."),
                      _raw("# BEGIN PROMPT"), _cell("markdown", RESPONSE_CELL), _raw("# END PROMPT")]
            if solution_md:
                cells += [_raw("# BEGIN SOLUTION"), *[_cell("markdown", s) for s in solution_md],
                          _raw("# END SOLUTION")]
            cells.append(_raw("# END QUESTION"))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                "language_info": {"name": "python"}} | nb.get("metadata", {})
    master = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return master, questions


def _drop_empty_answer_cells(path: Path) -> None:
    """Otter leaves an empty code cell where a solution cell was: drop those from the student's notebook."""
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"] if not (c["cell_type"] == "code" and not _source(c).strip())]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def make_assignment(page: Path, out: Path = OUT) -> Path:
    """Write the master notebook of ``page`` and run ``otter assign`` on it. Returns the assignment's folder."""
    nb = json.loads(page.read_text())
    master, questions = master_notebook(nb, page.name)
    stem = page.stem
    master_path = out / ".masters" / stem / f"{stem}.ipynb"
    master_path.parent.mkdir(parents=True, exist_ok=True)
    master_path.write_text(json.dumps(master, indent=1, ensure_ascii=False) + "\n")
    result = out / stem
    shutil.rmtree(result, ignore_errors=True)
    import logging

    from otter import logging as otter_logging
    from otter.assign import main as otter_assign         # in this process: one import of Otter for all pages

    try:
        with otter_logging.level_context(logging.WARNING):
            otter_assign(str(master_path), str(result), no_pdfs=True, no_run_tests=True)
    except Exception as exc:
        raise RuntimeError(f"otter assign failed on {page.name}: {exc}") from exc
    _drop_empty_answer_cells(result / "student" / f"{stem}.ipynb")
    (result / "questions.json").write_text(json.dumps(questions, indent=1, ensure_ascii=False) + "\n")
    return result


def pages() -> list[Path]:
    return sorted((ROOT / "book").glob("*_exercises.ipynb"))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", type=Path, help="exercises pages (default: every book/*_exercises.ipynb)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for page in args.pages or pages():
        result = make_assignment(page.resolve(), args.out)
        questions = json.loads((result / "questions.json").read_text())
        auto = sum(q["points"] for q in questions if not q["manual"])
        manual = sum(q["points"] for q in questions if q["manual"])
        print(f"{result.relative_to(ROOT) if result.is_relative_to(ROOT) else result}: {len(questions)} questions, "
              f"{_number(auto)} autograded and {_number(manual)} manual points")


if __name__ == "__main__":
    main(sys.argv[1:])
