"""The repository's own rules: clean notebooks, one source of versions, CI wiring."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_environment  # noqa: E402
import normalize_notebooks  # noqa: E402

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def _tracked(pattern: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / line for line in out.stdout.split()]


def test_the_book_has_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_and_with_the_project_kernelspec(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {i} has outputs"
            assert cell["execution_count"] is None, f"{path.name} cell {i} has an execution count"
    assert nb["metadata"]["kernelspec"] == normalize_notebooks.KERNELSPEC
    # The stored form is exactly the normalised form (no editor metadata either).
    assert normalize_notebooks.normalize(json.loads(path.read_text())) == nb


CHAPTERS = [p for p in NOTEBOOKS if not p.stem.endswith("_exercises")]
EXERCISES = [p for p in NOTEBOOKS if p.stem.endswith("_exercises")]


def _sources(path: Path, kind: str | None = None) -> list[tuple[str, list[str]]]:
    nb = json.loads(path.read_text())
    return [("".join(c["source"]), c.get("metadata", {}).get("tags", [])) for c in nb["cells"]
            if kind is None or c["cell_type"] == kind]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_imports_lecture_code_and_has_hidden_checks(path):
    code = _sources(path, "code")
    assert any("lecture_code" in src for src, _ in code)
    checks = [src for src, tags in code if "remove-cell" in tags]
    assert checks and all("assert" in src for src in checks)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercise_page_has_four_exercises_each_with_a_checked_solution(path):
    cells = _sources(path)
    exercises = [m for src, _ in cells for m in re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", src)]
    solved = [m for src, tags in cells if "solution" in tags for m in re.findall(r"\{solution-start\} (\S+)", src)]
    assert len(exercises) >= 4, f"{path.name} has {len(exercises)} exercises"
    assert sorted(solved) == sorted(exercises), "every exercise needs exactly one solution"
    code_solutions = [src for src, tags in _sources(path, "code") if "solution" in tags]
    assert code_solutions and all("assert" in src or "passed" in src for src in code_solutions[-1:])
    chapter = ROOT / "book" / path.stem.removesuffix("_exercises")
    assert chapter.with_suffix(".ipynb").exists() or chapter.with_suffix(".md").exists(), "exercises of which chapter?"


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(re.findall(r"file:\s*(\S+)", (ROOT / "_toc.yml").read_text()))
    missing = [p.name for p in NOTEBOOKS if str(p.relative_to(ROOT).with_suffix("")) not in listed]
    assert not missing, f"notebooks in book/ but not in _toc.yml (never built, never published): {missing}"
    tracked = {p for p in _tracked("book/*.ipynb")}
    assert tracked <= set(NOTEBOOKS)


def test_environment_yml_mirrors_requirements_txt():
    assert (ROOT / "environment.yml").read_text() == make_environment.render(), \
        "environment.yml is stale: run 'make environment.yml'"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r")):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{path.name}: '{line}' is not pinned with =="
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_every_requirement_is_pinned_exactly_once():
    runtime, test = _pins(ROOT / "requirements.txt"), _pins(ROOT / "requirements-test.txt")
    assert not set(runtime) & set(test), "a package is pinned in both requirement files"
    assert "-r requirements.txt" in (ROOT / "requirements-test.txt").read_text()


def test_pyproject_dependencies_are_satisfied_by_the_pins():
    from packaging.requirements import Requirement

    runtime = _pins(ROOT / "requirements.txt")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    for dep in map(Requirement, deps):
        name = re.sub(r"[-_.]+", "-", dep.name).lower()
        assert name in runtime, f"{dep.name} is a dependency of lecture_code but not pinned in requirements.txt"
        assert dep.specifier.contains(runtime[name]), f"pinned {name}=={runtime[name]} violates {dep}"


def test_the_installed_environment_matches_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    pins = _pins(ROOT / "requirements.txt") | _pins(ROOT / "requirements-test.txt")
    wrong = {}
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, f"installed versions differ from the pins (pinned, installed): {wrong}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and re.search(r"^\s*make test\b", ci, re.M)


def test_the_built_package_carries_every_subpackage(tmp_path):
    """What Colab's setup cell and a download install is the wheel pyproject.toml builds, not this editable tree:
    every lecture_code folder with an __init__.py must be in it (a subpackage left out imports here and fails there)."""
    import shutil
    import zipfile

    source, wheels = tmp_path / "source", tmp_path / "wheels"      # a copy: the build writes next to its sources
    shutil.copytree(ROOT / "lecture_code", source / "lecture_code", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(source)]
    result = subprocess.run(command[:4] + ["--no-build-isolation"] + command[4:], capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:                                   # no setuptools here: build in isolation instead
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = wheels.glob("lecture_code-*.whl")
    in_wheel = {str(Path(name).parent) for name in zipfile.ZipFile(wheel).namelist() if name.endswith("__init__.py")}
    packages = {str(init.parent.relative_to(ROOT)) for init in (ROOT / "lecture_code").rglob("__init__.py")}
    assert packages <= in_wheel, f"left out of the built package: {sorted(packages - in_wheel)}"
