"""Build the course sites.

    python tools/build.py student      # the student site -> _build/html (what `make book` publishes),
                                       # and the student notebooks -> _build/student-notebooks
    python tools/build.py answer-key   # the Instructor edition -> _build/answer-key/html and .../singlehtml

Each edition is first written as a source tree by tools/editions.py, then its
notebooks are executed into the shared jupyter-cache (_build/.jupyter_cache),
two at a time, and finally Sphinx builds the tree with warnings as errors. The
build itself then finds every notebook in the cache; a notebook that failed to
execute is run once more by the build, which reports the error and fails.
An unchanged notebook is never executed again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

import editions

ROOT = editions.ROOT
BUILD = editions.BUILD
CACHE = BUILD / ".jupyter_cache"
BIN = Path(sys.executable).parent
SPHINX_FLAGS = ["-W", "-n", "--keep-going", "-q"]
#: The site shows the explorers' kernel-free form and embeds no live widget state. Two notebooks run at once
#: on two cores, so BLAS keeps to one thread each (its idle workers otherwise spin and slow both down).
SITE_ENV = {"LECTURE_CODE_SITE_BUILD": "1", "OPENBLAS_NUM_THREADS": "1"}
#: KaTeX from npm: its stylesheet and fonts go into the site; node runs it to typeset the math at build time.
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"


def check_build_tools() -> None:
    """The math is typeset by KaTeX under node: say how to get both before a long build fails on them."""
    if shutil.which("node") is None:
        raise SystemExit("node is missing: the math is typeset at build time by KaTeX under node. "
                         "Install it with: sudo apt-get install nodejs npm")
    if not (KATEX_DIST / "katex.min.css").exists():
        raise SystemExit(f"{KATEX_DIST.relative_to(ROOT)} is missing: run 'npm ci' (make book does it)")


def toc_notebooks(tree: Path) -> list[Path]:
    """The notebooks that _toc.yml puts in the book (others are not built, so not executed)."""
    files = re.findall(r"file:\s*(\S+)", (tree / "_toc.yml").read_text())
    return [tree / f"{f}.ipynb" for f in files if (tree / f"{f}.ipynb").exists()]


def _execute(path: Path, timeout: int) -> tuple[Path, nbformat.NotebookNode | None, float, str]:
    for attempt in range(3):
        nb = nbformat.read(path, as_version=4)
        try:
            result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout, allow_errors=False,
                                         meta_override=True)
            break
        except RuntimeError as error:
            # A kernel can die at start-up when another process takes the port it picked ("Address already in
            # use" on a busy machine): start it once more.
            if "Kernel died before replying to kernel_info" not in str(error) or attempt == 2:
                raise
    return path, (None if result.err else nb), result.time, result.exc_string or ""


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _code_fingerprint() -> str:
    """A hash of what every notebook's outputs depend on besides its own code: lecture_code and the pins."""
    return _fingerprint(sorted((ROOT / "lecture_code").rglob("*.py")) + [ROOT / "requirements.txt"])


def _invalidate_on_code_change() -> None:
    """jupyter-cache keys notebooks by their own code only: start it afresh when lecture_code changes."""
    stamp = CACHE / "lecture_code.sha256"
    fingerprint = _code_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    if CACHE.exists():
        print("  lecture_code or the pins changed: executing every notebook again", flush=True)
        shutil.rmtree(CACHE)
    CACHE.mkdir(parents=True)
    stamp.write_text(fingerprint)


def execute_into_cache(tree: Path, timeout: int, jobs: int = 2) -> dict[str, float]:
    """Execute the tree's notebooks that the cache does not hold yet; return seconds per executed notebook."""
    _invalidate_on_code_change()
    cache = get_cache(CACHE)
    pending = []
    for path in toc_notebooks(tree):
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            pending.append(path)
    times = {}
    if not pending:
        return times
    os.environ.update(SITE_ENV)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, nb, seconds, error in pool.map(_execute, pending, [timeout] * len(pending)):
            name = str(path.relative_to(tree))
            if nb is None:
                print(f"  {name}: failed after {seconds:.1f} s (the build will report the error)", flush=True)
                continue
            cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            times[name] = seconds
            print(f"  {name}: executed in {seconds:.1f} s", flush=True)
    return times


def sphinx_conf(tree: Path) -> None:
    """Write the tree's Sphinx conf.py from its _config.yml (Jupyter Book 1's own translation), then adjust it."""
    subprocess.run([str(BIN / "jupyter-book"), "config", "sphinx", str(tree)], check=True, capture_output=True)
    local = yaml.safe_load((tree / "_config.yml").read_text()).get("sphinx", {}).get("local_extensions", {})
    with (tree / "conf.py").open("a") as conf:
        conf.write("\n# Added by tools/build.py: the local extensions' folders (jupyter-book build adds them itself).\n"
                   "import os, sys\n")
        for folder in sorted(set(local.values())):
            conf.write(f"sys.path.insert(0, os.path.join(os.path.dirname(__file__), {folder!r}))\n")
        conf.write(
            "\n# Added by tools/build.py. No live-code (Thebe) button: the course launches Binder or Colab, and\n"
            "# sphinx-thebe injects its snippet twice (a console error) and references a CDN script.\n"
            "extensions = [e for e in extensions if e != 'sphinx_thebe']\n")
        conf.write("\n# Added by tools/build.py: KaTeX's stylesheet and fonts (npm, package-lock.json) for book/_ext.\n"
                   f"course_katex_dist = {str(KATEX_DIST)!r}\n"
                   f"course_edition = {'answer-key' if tree.name == 'answer-key' else 'student'!r}\n")


def sphinx_build(tree: Path, builder: str, outdir: Path) -> None:
    """Build incrementally: Sphinx re-reads only the sources that changed since the last successful build.

    A failed build deletes its output, so the next build starts clean and reports every warning again
    (an incremental build stays silent about documents it does not re-read).
    """
    doctrees = BUILD / "doctrees" / f"{tree.name}-{builder}"       # kept out of the published folder
    # Sphinx re-reads changed documents only; a change to the configuration, the table of contents, the templates,
    # the local extensions or lecture_code (which the outputs come from) must rebuild every page.
    stamp = outdir / ".site-fingerprint"
    fingerprint = _fingerprint([tree / "conf.py", tree / "_config.yml", tree / "_toc.yml",
                                *sorted((tree / "book" / "_ext").rglob("*.py")),
                                *sorted((tree / "book" / "_templates").rglob("*.html"))]) + _code_fingerprint()
    if not stamp.exists() or stamp.read_text() != fingerprint:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    cmd = [str(BIN / "sphinx-build"), *SPHINX_FLAGS, "-b", builder, "-d", str(doctrees),
           "-D", f"nb_execution_cache_path={CACHE}", str(tree), str(outdir)]
    env = os.environ | SITE_ENV | {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    try:
        subprocess.run(cmd, check=True, env=env)
    except subprocess.CalledProcessError:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
        raise
    stamp.write_text(fingerprint)


def publish_downloads(student_tree: Path, site: Path) -> None:
    """The site's download button serves the notebooks students open on Binder and Colab (no check cells)."""
    for path in (student_tree / "book").glob("*.ipynb"):
        target = site / "_sources" / "book" / path.name
        if target.exists():
            shutil.copyfile(path, target)


def build(edition: str) -> None:
    start = time.perf_counter()
    check_build_tools()
    if edition == "student":
        tree, targets = editions.make_site_tree(), [("html", BUILD / "html")]
    else:
        tree = editions.make_answer_key_tree()
        targets = [("html", BUILD / "answer-key" / "html"), ("singlehtml", BUILD / "answer-key" / "singlehtml")]
    timeout = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["timeout"]
    times = execute_into_cache(tree, timeout)
    (BUILD / f"execution-{edition}.json").write_text(json.dumps(times, indent=1))
    sphinx_conf(tree)
    for builder, outdir in targets:
        sphinx_build(tree, builder, outdir)
    student_tree = editions.make_student_tree()
    for _, outdir in targets:
        editions.make_zip(outdir / editions.ZIP_NAME, student_tree)
    if edition == "student":
        publish_downloads(student_tree, BUILD / "html")
    print(f"{edition}: built in {time.perf_counter() - start:.1f} s")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("edition", choices=["student", "answer-key"])
    build(parser.parse_args(argv).edition)


if __name__ == "__main__":
    main(sys.argv[1:])
