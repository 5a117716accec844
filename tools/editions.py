"""Make the two editions of the course from the one source.

    python tools/editions.py student      # -> _build/student-notebooks: the publishable student tree
    python tools/editions.py answer-key   # -> _build/editions/answer-key: every exercise with its solution

Solutions live beside their exercises in the chapter notebooks, in cells tagged
``solution`` (the ``{solution-start}`` / ``{solution-end}`` markdown cells and
every code cell between them, answer checks included). The student edition
drops those cells, so no solution reaches the student site, its downloads, its
executed notebooks or the notebooks Binder and Colab open. A ``{solution``
directive outside a cell tagged ``solution`` is an error: a solution can only
be written where it will be stripped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
STUDENT_TREE = BUILD / "student-notebooks"
ANSWER_KEY_TREE = BUILD / "editions" / "answer-key"
#: The branch (of the repository named in _config.yml) that holds the student tree; launch buttons point at it.
STUDENT_BRANCH = "student"
SOLUTION_TAG = "solution"
SOLUTION_DIRECTIVE = re.compile(r"\{solution(-start|-end)?\}")
SHARED = ["lecture_code", "pyproject.toml", "requirements.txt", "environment.yml", "_toc.yml"]

STUDENT_README = """\
# L1 and L2 regularization, executable: student notebooks

The notebooks of the course, with the exercises and without their solutions.

- Open a notebook on Binder or Colab from the rocket button of any page of the course site, or
- run them locally with Python 3.11:

  ```bash
  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt -e .
  .venv/bin/jupyter lab book/
  ```

Each exercise cell says what to write. Where a chapter offers a self-check, call it on your answer,
for example `from lecture_code.checks import check_soft_threshold; check_soft_threshold(my_soft_threshold)`.
"""


class SolutionOutsideTaggedCell(ValueError):
    """A solution directive sits where the student edition would not strip it."""


def is_solution(cell: dict) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def strip_notebook(nb: dict, name: str) -> dict:
    """Return ``nb`` without its solution cells; refuse a solution directive anywhere else."""
    kept = []
    for i, cell in enumerate(nb["cells"]):
        if is_solution(cell):
            continue
        if cell["cell_type"] == "markdown" and SOLUTION_DIRECTIVE.search("".join(cell["source"])):
            raise SolutionOutsideTaggedCell(f"{name}: cell {i} has a solution directive but no '{SOLUTION_TAG}' tag")
        kept.append(cell)
    return nb | {"cells": kept}


def _book_files(*, student: bool) -> dict[str, bytes]:
    files = {}
    for path in sorted((ROOT / "book").rglob("*")):
        if path.is_dir() or ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
            continue
        name = str(path.relative_to(ROOT))
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            if student:
                nb = strip_notebook(nb, name)
            files[name] = (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()
        elif path.suffix == ".md" and SOLUTION_DIRECTIVE.search(path.read_text()):
            raise SolutionOutsideTaggedCell(f"{name}: solutions belong in notebook cells tagged "
                                            f"'{SOLUTION_TAG}', not in Markdown pages")
        else:
            files[name] = path.read_bytes()
    return files


def _shared_files() -> dict[str, bytes]:
    files = {}
    for name in SHARED:
        source = ROOT / name
        paths = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
        for path in paths:
            if "__pycache__" not in path.parts and not any(part.endswith(".egg-info") for part in path.parts):
                files[str(path.relative_to(ROOT))] = path.read_bytes()
    return files


def _sync(destination: Path, files: dict[str, bytes], keep: tuple[str, ...] = ("conf.py",)) -> None:
    """Make ``destination`` hold exactly ``files``, rewriting only what changed (so Sphinx rebuilds only that)."""
    destination.mkdir(parents=True, exist_ok=True)
    for existing in sorted(destination.rglob("*"), reverse=True):
        name = str(existing.relative_to(destination))
        if existing.is_file() and name not in files and name not in keep:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    for name, content in files.items():
        target = destination / name
        if target.exists() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def _yaml(config: dict) -> bytes:
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode()


def make_student_tree(destination: Path = STUDENT_TREE) -> Path:
    """Write the student tree: stripped notebooks, lecture_code and what Binder needs to run them."""
    config = _config()
    config["repository"]["branch"] = STUDENT_BRANCH
    files = _shared_files() | _book_files(student=True)
    files |= {"_config.yml": _yaml(config), "README.md": STUDENT_README.encode()}
    _sync(destination, files)
    return destination


def make_answer_key_tree(destination: Path = ANSWER_KEY_TREE) -> Path:
    """Write the instructor tree: the full sources, titled and bannered as the Instructor edition."""
    config = _config()
    config["title"] = f"{config['title']} — Instructor edition"
    config.setdefault("html", {})["announcement"] = (
        "Instructor edition: every exercise with its full solution. Do not publish this site.")
    _sync(destination, _shared_files() | _book_files(student=False) | {"_config.yml": _yaml(config)})
    return destination


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["student", "answer-key"])
    args = parser.parse_args(argv)
    tree = make_student_tree() if args.edition == "student" else make_answer_key_tree()
    print(tree.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
