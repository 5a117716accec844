"""Grade a folder of submitted notebooks with an assignment's Otter autograder, each submission in isolation.

    python tools/grade.py 05_soft_thresholding_exercises path/to/submissions [--timeout 900]
    make grade ASSIGNMENT=05_soft_thresholding_exercises SUBMISSIONS=path/to/submissions

``make assignments`` must have written ``_build/assignments/<ASSIGNMENT>/`` first. Every ``*.ipynb`` of the folder
is graded by ``otter run`` (no Docker: the submission runs in this Python environment, which has the course's
packages), each in its own temporary copy and its own process group with a time limit. A submission that raises,
never returns or deletes files therefore affects only its own grade; all submissions are copied away before the
first one runs, and the results are written only at the end:

- ``<folder>/grades.csv``: one row per notebook — ``file``, one column per question (the autograded points
  scored; empty for a question graded by hand), ``total``, ``possible`` and ``percent`` (of the autograded points);
- ``<folder>/feedback/<notebook stem>.txt``: per question the score and, for every failing test, Otter's
  message — the failing line and its assertion message, which names the mistake a self-check found.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "_build" / "assignments"
DEFAULT_TIMEOUT = 900.0


@dataclass
class Grade:
    file: str
    scores: dict[str, float] = field(default_factory=dict)     # autograded question -> points scored
    feedback: dict[str, str] = field(default_factory=dict)     # autograded question -> Otter's output
    error: str | None = None                                   # why the submission could not be graded
    seconds: float = 0.0


def assignment_folder(assignment: str) -> Path:
    folder = Path(assignment)
    if not folder.is_dir():
        folder = ASSIGNMENTS / assignment
    if not (folder / "autograder").is_dir():
        raise SystemExit(f"no assignment {assignment!r}: run 'make assignments' first (looked in {folder})")
    return folder


def autograder_zip(folder: Path) -> Path:
    zips = sorted((folder / "autograder").glob("*-autograder_*.zip"))
    if len(zips) != 1:
        raise SystemExit(f"{folder / 'autograder'}: expected one autograder zip, found {len(zips)}")
    return zips[0]


def questions(folder: Path) -> list[dict]:
    return json.loads((folder / "questions.json").read_text())


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)      # the grader and the kernel it started, nothing else
    except ProcessLookupError:
        pass


def grade_one(notebook: Path, zip_path: Path, timeout: float) -> Grade:
    """Grade one notebook in a private temporary folder, in its own process group, within ``timeout`` seconds."""
    grade = Grade(notebook.name)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work, out = Path(tmp) / "work", Path(tmp) / "results"
        work.mkdir()
        out.mkdir()
        submission = work / notebook.name
        shutil.copy(notebook, submission)
        env = os.environ | {"HOME": str(work), "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
        command = [sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", str(out), "--no-logo",
                   str(submission)]
        process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            grade.error = f"did not finish within {timeout:g} s (an endless loop or a very slow cell): graded 0"
        else:
            _kill_group(process)                      # a kernel left behind by a crash
            results = out / "results.json"
            if results.is_file():
                for test in json.loads(results.read_text()).get("tests", []):
                    if "max_score" in test and test.get("name", "").startswith("q"):
                        grade.scores[test["name"]] = float(test.get("score") or 0.0)
                        grade.feedback[test["name"]] = test.get("output", "")
            if not grade.scores:
                tail = "\n".join((stderr or stdout).strip().splitlines()[-12:])
                grade.error = f"the autograder could not grade this notebook (exit code {process.returncode}):\n{tail}"
    grade.seconds = time.monotonic() - start
    return grade


def _number(x: float) -> str:
    return f"{x:g}"


def write_results(folder: Path, grades: list[Grade], qs: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    auto = [q for q in qs if not q["manual"]]
    possible = sum(q["points"] for q in auto)
    path = folder / "grades.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", *[q["name"] for q in qs], "total", "possible", "percent"])
        for g in grades:
            total = sum(g.scores.get(q["name"], 0.0) for q in auto)
            row = [g.file]
            for q in qs:
                row.append("" if q["manual"] else _number(g.scores.get(q["name"], 0.0)))
            writer.writerow(row + [_number(total), _number(possible), f"{100 * total / possible:.1f}" if possible
                                   else ""])
    feedback = folder / "feedback"
    feedback.mkdir(exist_ok=True)
    for g in grades:
        lines = [f"{g.file}: graded in {g.seconds:.0f} s"]
        if g.error:
            lines.append(f"NOT GRADED: {g.error}")
        for q in qs:
            if q["manual"]:
                lines.append(f"\n{q['name']} ({q['label']}, {q['part']}): {_number(q['points'])} points, graded by hand")
                continue
            scored = g.scores.get(q["name"], 0.0)
            lines.append(f"\n{q['name']} ({q['label']}): {_number(scored)} of {_number(q['points'])} points")
            if q["name"] in g.feedback and scored < q["points"]:
                lines.append(g.feedback[q["name"]].strip())
        (feedback / f"{Path(g.file).stem}.txt").write_text("\n".join(lines) + "\n")
    return path


def grade_folder(assignment: str, submissions: Path, *, timeout: float = DEFAULT_TIMEOUT, jobs: int = 1) -> Path:
    folder = assignment_folder(assignment)
    zip_path, qs = autograder_zip(folder), questions(folder)
    notebooks = sorted(p for p in submissions.glob("*.ipynb") if p.is_file())
    if not notebooks:
        raise SystemExit(f"no notebooks (*.ipynb) in {submissions}")
    with tempfile.TemporaryDirectory(prefix="submissions-") as staging:
        staged = []
        for nb in notebooks:                          # every submission is safe before the first one runs
            staged.append(Path(staging) / nb.name)
            shutil.copy(nb, staged[-1])
        auto = sum(q["points"] for q in qs if not q["manual"])

        def one(nb: Path) -> Grade:
            grade = grade_one(nb, zip_path, timeout)
            status = grade.error.splitlines()[0] if grade.error else \
                f"{_number(sum(grade.scores.values()))}/{_number(auto)}"
            print(f"{nb.name}: {status} ({grade.seconds:.0f} s)", flush=True)
            return grade

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:    # each grading is its own process group
            grades = list(pool.map(one, staged))
    return write_results(submissions, grades, qs)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", help="the exercises page's stem, e.g. 05_soft_thresholding_exercises")
    parser.add_argument("submissions", type=Path, help="a folder of submitted notebooks")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per submission")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    args = parser.parse_args(argv)
    path = grade_folder(args.assignment, args.submissions, timeout=args.timeout, jobs=args.jobs)
    print(path)
    print(path.read_text(), end="")


if __name__ == "__main__":
    main(sys.argv[1:])
