"""The machinery of the student runs (tools/student_runs.py, tools/binder_run.py, the setup cell of
tools/editions.py). The runs themselves are `make student-runs`."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import binder_run  # noqa: E402
import editions  # noqa: E402
import student_runs  # noqa: E402


def _run_setup_cell(source: str, importable: bool, monkeypatch) -> list:
    """Execute the setup cell with find_spec and subprocess.run replaced; return the pip commands it ran."""
    import importlib.util

    calls = []
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if importable else None)
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))
    exec(compile(source, "setup-cell", "exec"), {})
    return calls


def test_the_setup_cell_installs_the_tagged_release_only_where_lecture_code_is_missing(monkeypatch):
    cell = editions.setup_cell("student-0123456789ab")
    url = editions._config()["repository"]["url"]
    assert cell["metadata"]["tags"] == [editions.SETUP_TAG] and cell["source"].startswith("# ")
    assert _run_setup_cell(cell["source"], importable=True, monkeypatch=monkeypatch) == []
    (pip,) = _run_setup_cell(cell["source"], importable=False, monkeypatch=monkeypatch)
    assert pip[1:4] == ["-m", "pip", "install"]
    assert pip[-1] == f"lecture_code[book] @ git+{url}@student-0123456789ab"


def test_the_release_is_a_tag_of_this_commit_not_a_branch():
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    assert editions.release_ref() == f"student-{commit[:12]}"
    assert editions.release_ref() != editions.STUDENT_BRANCH


def test_the_public_url_reaches_the_local_stand_in_and_its_tag(tmp_path):
    ref = "student-test"
    repository = student_runs.published_repository(tmp_path / "repository", ref)
    env = os.environ | {"GIT_CONFIG_GLOBAL": str(student_runs.git_config(tmp_path, repository)),
                        "GIT_CONFIG_NOSYSTEM": "1"}
    url = editions._config()["repository"]["url"]
    refs = subprocess.run(["git", "ls-remote", url], env=env, capture_output=True, text=True, check=True).stdout
    assert f"refs/tags/{ref}" in refs and f"refs/heads/{editions.STUDENT_BRANCH}" in refs
    first = json.loads((repository / "book" / "01_overfitting.ipynb").read_text())["cells"][0]
    assert ref in "".join(first["source"])
    colab = student_runs.colab_module(tmp_path / "colab")
    found = subprocess.run([sys.executable, "-c", "import google.colab"], env=env | {"PYTHONPATH": str(colab)})
    assert found.returncode == 0


def test_the_floor_run_pins_every_lower_bound(tmp_path, monkeypatch):
    floors = student_runs.floor_requirements()
    assert "numpy==2.0" in floors and any(r.startswith("scikit-learn==") for r in floors)
    assert len(floors) == 5
    assert student_runs.oldest_python() == "3.11"
    fake = tmp_path / "pyproject.toml"
    fake.write_text('[project]\nrequires-python = ">=3.11"\ndependencies = ["numpy"]\n'
                    '[project.optional-dependencies]\nbook = []\n')
    monkeypatch.setattr(student_runs, "ROOT", tmp_path)
    with pytest.raises(ValueError, match="'numpy' has no '>=' lower bound"):
        student_runs.floor_requirements()


def test_the_download_holds_what_a_student_runs_and_its_readme_says_how_to_install(tmp_path):
    tree = editions.make_student_tree(tmp_path / "tree", ref="student-test")
    archive = editions.make_zip(tmp_path / editions.ZIP_NAME, tree)
    names = set(zipfile.ZipFile(archive).namelist())
    for name in ("README.md", "requirements.txt", "pyproject.toml", "lecture_code/__init__.py",
                 "book/01_overfitting.ipynb", "book/11_study_questions_exercises.ipynb"):
        assert f"l1-l2-course/{name}" in names
    assert not any(n.endswith(("_config.yml", "_toc.yml", ".md")) and not n.endswith("README.md") for n in names)
    commands = student_runs.install_commands(editions.STUDENT_README)
    assert commands[0].startswith("python3 -m venv") and "-r requirements.txt -e ." in commands[1]
    assert commands[-1].startswith(".venv/bin/jupyter execute book/")


def test_the_binder_check_wants_environment_yml_installed_after_the_repository_is_copied():
    copy = "COPY --chown=1000:1000 src/ ${REPO_DIR}/\n"
    update = 'RUN bash -c \'time ${MAMBA_EXE} env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"\'\n'
    assert binder_run.dockerfile_problems(copy + update) == []
    assert "before the repository is copied" in binder_run.dockerfile_problems(update + copy)[0]
    assert "does not install environment.yml" in binder_run.dockerfile_problems(copy)[0]
