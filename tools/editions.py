"""Make the editions of the course from the one source.

    python tools/editions.py student      # -> _build/student-notebooks: the publishable student tree
    python tools/editions.py site         # -> _build/editions/student-site: what the student site is built from
    python tools/editions.py answer-key   # -> _build/editions/answer-key: every exercise with its solution

Solutions live beside their exercises in the chapter notebooks, in cells tagged
``solution`` (the ``{solution-start}`` / ``{solution-end}`` markdown cells and
every code cell between them, answer checks included). Every student tree drops
those cells, so no solution reaches the student site, its downloads, its
executed notebooks or the notebooks Binder and Colab open. A ``{solution``
directive outside a cell tagged ``solution`` is an error: a solution can only
be written where it will be stripped.

The build's checks (code cells tagged ``remove-cell``: the assertions that keep
the text honest) run wherever the course is built — the student site, the
answer key, nbval, the portability run — but the notebooks a student opens
(Binder, Colab, the site's downloads) do not carry them. A student who changes
a parameter to experiment should see the chapter's code respond, not the
build's assertions fail in cells that were never meant for them; and a
collapsed cell is still run (JupyterLab) or shown (Colab ignores the collapse
flag). Removing them is safe because a hidden cell never defines a name that
visible code uses (tests/test_notebook_rules.py).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
STUDENT_TREE = BUILD / "student-notebooks"
SITE_TREE = BUILD / "editions" / "student-site"
ANSWER_KEY_TREE = BUILD / "editions" / "answer-key"
#: The branch (of the repository named in _config.yml) that holds the student tree; launch buttons point at it.
STUDENT_BRANCH = "student"
SOLUTION_TAG = "solution"
CHECK_TAG = "remove-cell"
SOLUTION_DIRECTIVE = re.compile(r"\{solution(-start|-end)?\}")
SHARED = ["lecture_code", "pyproject.toml", "requirements.txt", "environment.yml", "_toc.yml"]

STUDENT_README = """\
# L1 and L2 regularization, executable: student notebooks

The notebooks of the course, with the exercises and without their solutions, and `lecture_code`,
the course's package that every notebook imports.

## On Binder or Colab

Open a notebook from the rocket button at the top of any chapter of the course site. On Colab the
notebook's first cell installs `lecture_code`; on Binder it is already installed.

## On your own computer

With Python 3.11, in this folder (on Windows write `.venv\\Scripts\\` for `.venv/bin/`):

<!-- install -->
```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt -e .
.venv/bin/jupyter execute book/01_overfitting.ipynb  # runs one chapter: the install works
```

Then work in JupyterLab: `.venv/bin/pip install jupyterlab`, then `.venv/bin/jupyter lab book/`.

Each exercise says what to write. Where an exercise offers a self-check, call it on your answer,
for example `from lecture_code.checks import check_soft_threshold; check_soft_threshold(my_soft_threshold)`.
"""


#: The first cell of every notebook a student opens. Colab opens one notebook alone, in an empty folder, with its
#: own Python: there the course package is installed from the published student branch, at the release this build
#: stamps in (a tag, never the moving branch). Where lecture_code is importable (Binder, a local install) it does
#: nothing. The "book" extra adds what the chapters compare with (scikit-learn, scipy); Colab already has both.
SETUP_CELL = """\
# On Colab, or anywhere the course package is missing, this installs it (elsewhere it does nothing).
import importlib, importlib.util, subprocess, sys
if importlib.util.find_spec("lecture_code") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "{requirement}"], check=True)
    importlib.invalidate_caches()
"""
SETUP_TAG = "course-setup"
#: The site's one-file download of everything a student runs locally (linked from the intro page).
ZIP_NAME = "course-notebooks.zip"


def release_ref() -> str:
    """The tag of this release on the student branch: ``student-`` and the 12-digit commit of the sources.

    The publishing workflow tags the student branch's commit with it, so a notebook always installs the
    lecture_code it was written with.
    """
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if commit.returncode != 0:
        raise RuntimeError(f"the release tag needs the sources' git commit: {commit.stderr.strip()}")
    return f"student-{commit.stdout.strip()}"


def install_requirement(ref: str | None = None) -> str:
    """The pip requirement that installs this release of lecture_code from the published repository."""
    url = _config()["repository"]["url"].rstrip("/")
    return f"lecture_code[book] @ git+{url}@{ref or release_ref()}"


def setup_cell(ref: str | None = None) -> dict:
    source = SETUP_CELL.format(requirement=install_requirement(ref))
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
            "metadata": {"tags": [SETUP_TAG]}}


class SolutionOutsideTaggedCell(ValueError):
    """A solution directive sits where the student edition would not strip it."""


def is_solution(cell: dict) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def is_check(cell: dict) -> bool:
    return cell["cell_type"] == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def strip_notebook(nb: dict, name: str, *, checks: bool = True) -> dict:
    """Return ``nb`` without its solution cells (and without its check cells unless ``checks``).

    A solution directive anywhere but in a cell tagged ``solution`` is refused.
    """
    kept = []
    for i, cell in enumerate(nb["cells"]):
        if is_solution(cell) or (not checks and is_check(cell)):
            continue
        if cell["cell_type"] == "markdown" and SOLUTION_DIRECTIVE.search("".join(cell["source"])):
            raise SolutionOutsideTaggedCell(f"{name}: cell {i} has a solution directive but no '{SOLUTION_TAG}' tag")
        kept.append(cell)
    return nb | {"cells": kept}


def _book_files(*, student: bool, checks: bool = True, setup: dict | None = None) -> dict[str, bytes]:
    files = {}
    for path in sorted((ROOT / "book").rglob("*")):
        if path.is_dir() or ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
            continue
        name = str(path.relative_to(ROOT))
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            if student:
                nb = strip_notebook(nb, name, checks=checks)
            if setup:
                nb["cells"] = [setup, *nb["cells"]]
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


def _student_files(*, checks: bool, setup: dict | None = None) -> dict[str, bytes]:
    config = _config()
    config["repository"]["branch"] = STUDENT_BRANCH
    files = _shared_files() | _book_files(student=True, checks=checks, setup=setup)
    return files | {"_config.yml": _yaml(config), "README.md": STUDENT_README.encode()}


def make_student_tree(destination: Path = STUDENT_TREE, ref: str | None = None) -> Path:
    """Write the published student tree: notebooks without solutions or checks, each opening with the setup
    cell (installing release ``ref``, by default this commit's), lecture_code and Binder's files."""
    _sync(destination, _student_files(checks=False, setup=setup_cell(ref)))
    return destination


def make_checked_student_tree(destination: Path, ref: str | None = None) -> Path:
    """The published student notebooks with the build's checks put back (runs away from the build use them:
    a notebook that runs but whose claims fail on another Python or library version must fail there too)."""
    _sync(destination, _student_files(checks=True, setup=setup_cell(ref)))
    return destination


def make_site_tree(destination: Path = SITE_TREE) -> Path:
    """Write the tree the student site is built from: no solutions, every check kept (the build runs them).

    It has no setup cell: on the site that cell would be hidden and do nothing, and stamping the commit into
    every notebook would make the execution cache miss on every commit. The site's download button serves
    the published notebooks, setup cell included (tools/build.py).
    """
    _sync(destination, _student_files(checks=True))
    return destination


def make_answer_key_tree(destination: Path = ANSWER_KEY_TREE) -> Path:
    """Write the instructor tree: the full sources, titled and bannered as the Instructor edition."""
    config = _config()
    config["title"] = f"{config['title']} — Instructor edition"
    config.setdefault("html", {})["announcement"] = (
        "Instructor edition: every exercise with its full solution. Do not publish this site.")
    _sync(destination, _shared_files() | _book_files(student=False) | {"_config.yml": _yaml(config)})
    return destination


def make_zip(destination: Path, tree: Path = STUDENT_TREE) -> Path:
    """The download: the student notebooks, lecture_code, pyproject.toml, requirements.txt and the README."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    members = [p for p in sorted(tree.rglob("*")) if p.is_file() and (
        p.relative_to(tree).parts[0] in ("book", "lecture_code") and p.suffix in (".ipynb", ".py")
        or p.name in ("pyproject.toml", "requirements.txt", "README.md") and p.parent == tree)]
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in members:
            info = zipfile.ZipInfo(f"l1-l2-course/{path.relative_to(tree)}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return destination


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["student", "site", "answer-key"])
    args = parser.parse_args(argv)
    tree = {"student": make_student_tree, "site": make_site_tree, "answer-key": make_answer_key_tree}[args.edition]()
    print(tree.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
