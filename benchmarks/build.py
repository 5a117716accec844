"""Build performance of the course site, measured in one run on a private copy of the sources.

    .venv/bin/python benchmarks/build.py

Prints the clean build time (empty execution cache), the no-change rebuild time,
the rebuild time after editing one notebook's code, each notebook's execution
time and each page's weight. Targets on a 2-core machine: clean build <= 120 s,
no-change rebuild <= 15 s, one-notebook rebuild <= 30 s, every notebook <= 20 s,
each chapter page's own HTML < 2 MB.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["book", "tools", "_config.yml", "_toc.yml", "lecture_code", "pyproject.toml", "requirements.txt",
          "environment.yml"]
TARGETS = {"clean build": 120.0, "no-change rebuild": 15.0, "one-notebook rebuild": 30.0}
NOTEBOOK_TARGET = 20.0
PAGE_TARGET = 2_000_000


def timed_build(copy: Path) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    subprocess.run([sys.executable, "tools/build.py", "student"], cwd=copy, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads((copy / "_build" / "execution-student.json").read_text())


def edit_one_notebook(copy: Path) -> str:
    path = sorted((copy / "book").glob("0*.ipynb"))[0]
    nb = json.loads(path.read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = ["# edited by benchmarks/build.py\n"] + list(code["source"])
    path.write_text(json.dumps(nb, indent=1))
    return path.name


def page_weights(html: Path) -> list[tuple[str, int, int]]:
    """(page, own HTML bytes, total bytes of HTML + every local script, style and image it loads)."""
    rows = []
    for page in sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts):
        text = page.read_text()
        total = page.stat().st_size
        for ref in set(re.findall(r'(?:src|href)="([^"#?]+)[^"]*"', text)):
            if ref.startswith(("http", "data:", "mailto:")) or not ref.endswith((".js", ".css", ".png", ".svg")):
                continue
            target = (page.parent / ref).resolve()
            if target.is_file():
                total += target.stat().st_size
        rows.append((str(page.relative_to(html)), page.stat().st_size, total))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "course"
        copy.mkdir()
        for name in COPIED:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, copy / name)
        results, failures = {}, []
        results["clean build"], executed = timed_build(copy)
        results["no-change rebuild"], again = timed_build(copy)
        edited = edit_one_notebook(copy)
        results["one-notebook rebuild"], rerun = timed_build(copy)
        weights = page_weights(copy / "_build" / "html")

    print("Build times (student site, 2 notebooks executed in parallel)")
    for name, seconds in results.items():
        ok = seconds <= TARGETS[name]
        failures += [] if ok else [name]
        print(f"  {name:<22} {seconds:7.1f} s   target <= {TARGETS[name]:.0f} s   {'ok' if ok else 'MISSED'}")
    print(f"  notebooks executed: clean {len(executed)}, no-change {len(again)}, after editing {edited}: {len(rerun)}")
    print("\nNotebook execution times")
    for name, seconds in sorted(executed.items(), key=lambda kv: -kv[1]):
        ok = seconds <= NOTEBOOK_TARGET
        failures += [] if ok else [name]
        print(f"  {name:<48} {seconds:6.1f} s   {'ok' if ok else 'MISSED (> 20 s)'}")
    print("\nPage weights (own HTML, and with every local script, style and image it loads, uncached)")
    for page, own, total in weights:
        ok = own < PAGE_TARGET
        failures += [] if ok else [page]
        print(f"  {page:<48} {own / 1e6:6.2f} MB   {total / 1e6:6.2f} MB   {'ok' if ok else 'MISSED (>= 2 MB)'}")
    print("\nAll targets met." if not failures else f"\nTargets missed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
