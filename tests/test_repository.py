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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_lecture_code_and_has_hidden_checks(path):
    nb = json.loads(path.read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("lecture_code" in src for src in code)
    checks = [c for c in nb["cells"] if "remove-cell" in c.get("metadata", {}).get("tags", [])]
    assert checks and all("assert" in "".join(c["source"]) for c in checks)


def test_every_tracked_notebook_is_in_the_book():
    tracked = {p for p in _tracked("*.ipynb") if "fixtures" not in p.parts}
    assert tracked == set(NOTEBOOKS)


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
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
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
