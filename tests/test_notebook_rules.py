"""Rules every notebook of the book keeps, read from the sources (no execution).

- A hidden cell never defines a name that visible code uses. Hidden cells are the build's
  checks (tagged ``remove-cell``: not on the site, not in the student notebooks) and the
  solutions (tagged ``solution``: not in the student edition). If visible code read a name
  such a cell defined, the page would show code whose inputs the reader cannot see, and the
  student notebook would stop with a NameError.
- No check compares a rounded value or an exact decimal literal. A rounding edge is a
  machine-dependent edge: closed forms are checked with a tolerance (``np.isclose``,
  ``abs(x - v) < tol``), outcomes of training, solvers and samples with ranges or margins.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
HIDDEN_TAGS = {"remove-cell", "solution"}


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names a piece of code binds (assignments, defs, imports, loop targets) and names it reads."""
    stored, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, (ast.Store, ast.Del)) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return stored, loaded


def _code(source: str) -> str:
    """Cell source without IPython magics and shell escapes, so that ast can read it."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def hidden_names_used_by_visible_code(nb: dict) -> list[str]:
    """Every read, in a visible cell, of a name last bound by a hidden cell.

    A name the visible cell binds itself (a loop variable, a comprehension's target) is its own.
    """
    bound_by_hidden: dict[str, int] = {}
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        stored, loaded = _names(ast.parse(_code("".join(cell["source"]))))
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            bound_by_hidden.update(dict.fromkeys(stored, i))
            continue
        problems += [f"cell {i} reads {name!r}, bound by hidden cell {bound_by_hidden[name]}"
                     for name in sorted((loaded - stored) & set(bound_by_hidden))]
        for name in stored:
            bound_by_hidden.pop(name, None)
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_hidden_cells_define_nothing_visible_code_uses(path):
    problems = hidden_names_used_by_visible_code(json.loads(path.read_text()))
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_the_hidden_name_rule_bites():
    def cell(source, *tags):
        return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}}

    nb = {"cells": [cell("a = 1"), cell("deep = 2\nassert a == 1", "remove-cell"), cell("print(deep + a)")]}
    assert hidden_names_used_by_visible_code(nb) == ["cell 2 reads 'deep', bound by hidden cell 1"]
    nb["cells"].insert(2, cell("deep = 3"))                       # visible code binds it again first: fine
    assert hidden_names_used_by_visible_code(nb) == []
    nb = {"cells": [cell("def f(x):\n    return x", "solution"), cell("f(2)")]}
    assert hidden_names_used_by_visible_code(nb) == ["cell 1 reads 'f', bound by hidden cell 0"]


EXACT_DECIMAL = re.compile(r"round\(|==\s*\(?\s*-?\d+\.\d{2,}")


def exact_decimal_asserts(nb: dict) -> list[str]:
    return [line.strip() for cell in nb["cells"] if cell["cell_type"] == "code"
            for line in "".join(cell["source"]).splitlines()
            if line.strip().startswith("assert") and EXACT_DECIMAL.search(line)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_check_compares_a_rounded_or_exact_decimal(path):
    found = exact_decimal_asserts(json.loads(path.read_text()))
    assert not found, f"{path.name}: use a tolerance or a range instead of: {found}"


def test_the_exact_decimal_rule_bites():
    nb = {"cells": [{"cell_type": "code", "source": "assert round(acc, 3) == 0.802\nassert abs(x - 0.5) < 1e-12",
                     "metadata": {}}]}
    assert exact_decimal_asserts(nb) == ["assert round(acc, 3) == 0.802"]
