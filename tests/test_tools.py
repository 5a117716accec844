"""Unit tests of the tools that had none: tools/normalize_notebooks.py, tools/make_environment.py, tools/build.py.

Each is product code (``make`` runs it); these tests exercise its logic on small inputs without building anything.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_environment  # noqa: E402
import normalize_notebooks  # noqa: E402


def _notebook():
    return {
        "metadata": {"kernelspec": {"name": "other"}, "vscode": {"x": 1}, "language_info": {"version": "3.11"}},
        "nbformat": 4, "nbformat_minor": 5,
        "cells": [
            {"cell_type": "code", "id": "abc", "metadata": {"tags": ["remove-cell"], "collapsed": True},
             "execution_count": 7, "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}],
             "source": ["x = 1\n"]},
            {"cell_type": "markdown", "id": "def", "metadata": {"mystnb": {"a": 1}, "editable": False},
             "source": ["# Title"]},
        ],
    }


def test_normalize_drops_outputs_counts_ids_and_editor_metadata_and_keeps_tags():
    nb = normalize_notebooks.normalize(_notebook())
    assert nb["metadata"] == {"kernelspec": normalize_notebooks.KERNELSPEC,
                              "language_info": normalize_notebooks.LANGUAGE_INFO}
    code, text = nb["cells"]
    assert code["outputs"] == [] and code["execution_count"] is None and "id" not in code
    assert code["metadata"] == {"tags": ["remove-cell"]} and code["source"] == ["x = 1\n"]
    assert text["metadata"] == {"mystnb": {"a": 1}} and "id" not in text and "outputs" not in text
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 4)


def test_normalize_is_idempotent_and_main_writes_the_stored_form(tmp_path):
    path = tmp_path / "page.ipynb"
    path.write_text(json.dumps(_notebook()))
    normalize_notebooks.main([str(path)])
    once = path.read_text()
    normalize_notebooks.main([str(path)])
    assert path.read_text() == once and once.endswith("}\n")
    assert json.loads(once) == normalize_notebooks.normalize(json.loads(once))


def test_every_stored_notebook_is_already_normalized():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        assert normalize_notebooks.normalize(json.loads(path.read_text())) == nb, path.name


def test_environment_mirrors_every_pin_of_requirements_txt():
    pins = make_environment.pinned_requirements()
    assert pins and all("==" in pin or ">=" in pin for pin in pins)
    text = make_environment.render()
    for pin in pins:
        assert f"      - {pin}\n" in text
    assert "  - python=3.11\n" in text and text.endswith("      - -e .\n")
    assert text == (ROOT / "environment.yml").read_text()


def test_build_reads_the_toc_and_fingerprints_lecture_code_with_its_subpackages(tmp_path):
    pytest.importorskip("jupyter_cache")
    import build

    (tmp_path / "_toc.yml").write_text("root: intro\nchapters:\n- file: a\n- file: b\n- file: missing\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    assert build.toc_notebooks(tmp_path) == [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    first = build._fingerprint([tmp_path / "a.ipynb", tmp_path / "b.ipynb"])
    (tmp_path / "b.ipynb").write_text('{"changed": 1}')
    assert build._fingerprint([tmp_path / "a.ipynb", tmp_path / "b.ipynb"]) != first
    assert build._fingerprint([tmp_path / "absent.ipynb"]) == build._fingerprint([])
    # lecture_code's subpackages count: a change in solvers/ or explorers/ must invalidate the cache
    sources = sorted((ROOT / "lecture_code").rglob("*.py"))
    assert any(p.parent.name == "solvers" for p in sources) and any(p.parent.name == "explorers" for p in sources)
    assert build._code_fingerprint() == build._fingerprint(sources + [ROOT / "requirements.txt"])
