"""The house rules of lecture_code, read from its source with ast (imports inside functions included).

- modules outside ``plots`` and ``explorers`` never import matplotlib or ipywidgets;
- nothing imports ``book`` or ``tests``;
- ``solvers``, ``penalties``, ``nn`` and ``statistics`` never import ``explorers``, ``plots``, ``checks``,
  ``comparison`` or ``experiments``;
- every module has a docstring whose last paragraph states its import rule, naming what it must not import;
- no module over 600 lines, no function over 120 lines of code (its docstring not counted: the math lives there).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lecture_code"
MODULES = sorted(PACKAGE.rglob("*.py"))
PRESENTATION = ("plots", "explorers")
NUMERICS = ("solvers", "penalties", "nn", "statistics")
NOT_FOR_NUMERICS = ("explorers", "plots", "checks", "comparison", "experiments")
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 600, 120


def _name(path: Path) -> str:
    """The dotted module name below lecture_code (a package is named by its folder)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Every module ``path`` imports, absolute (lecture_code's own as ``lecture_code.x.y``), at any depth."""
    package = ["lecture_code"] + list(path.relative_to(PACKAGE).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text() if source is None else source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            if node.module is None or node.level:  # `from . import plots` imports lecture_code...plots
                found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def _own(name: str) -> str | None:
    """The first component below lecture_code of one of its modules, else None."""
    parts = name.split(".")
    return parts[1] if parts[0] == "lecture_code" and len(parts) > 1 else None


def _forbidden(path: Path) -> set[str]:
    """What the module must not import: third-party/top-level names and lecture_code subpackages."""
    first = _name(path).split(".")[0] if _name(path) else ""
    banned = {"book", "tests"}
    if first not in PRESENTATION:
        banned |= {"matplotlib", "ipywidgets"}
    if first in NUMERICS:
        banned |= set(NOT_FOR_NUMERICS)
    return banned


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_rules(path):
    banned = _forbidden(path)
    bad = sorted(name for name in _imports(path)
                 if _top(name) in banned & {"matplotlib", "ipywidgets", "book", "tests"}
                 or _own(name) in banned)
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}, which its layer must not"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_docstring_states_the_import_rule(path):
    doc = ast.get_docstring(ast.parse(path.read_text()))
    assert doc, f"{path.relative_to(PACKAGE)} has no module docstring"
    last = doc.strip().split("\n\n")[-1]
    assert last.startswith("Import rule:"), f"the docstring of {path.relative_to(PACKAGE)} must end with its import rule"
    missing = [name for name in sorted(_forbidden(path)) if name not in last]
    assert not missing, f"the import rule of {path.relative_to(PACKAGE)} does not mention {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_fit_in_a_few_pages(path):
    text = path.read_text()
    assert text.count("\n") <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE)} has {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                length -= first.end_lineno - first.lineno + 1
            assert length <= MAX_FUNCTION_LINES, (f"{path.relative_to(PACKAGE)}: {node.name} has {length} lines of "
                                                  f"code (at most {MAX_FUNCTION_LINES})")


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    """A numerics module that imports matplotlib and the plots inside a function is caught."""
    fake = PACKAGE / "solvers" / "probe.py"          # never written: only its place in the package matters
    source = '"""Probe."""\n\n\ndef f():\n    import matplotlib.pyplot as plt\n    from .. import plots\n'
    imports = _imports(fake, source)
    assert {"matplotlib.pyplot", "lecture_code.plots"} <= imports
    assert _top("matplotlib.pyplot") in _forbidden(fake) and _own("lecture_code.plots") in _forbidden(fake)
    assert _forbidden(PACKAGE / "explorers" / "probe.py") == {"book", "tests"}
