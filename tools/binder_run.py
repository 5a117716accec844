"""Binder as a student meets it: the student tree's environment, JupyterLab, a chapter run in Chromium.

    python tools/binder_run.py            # after `make student-notebooks` (make test does it)

Binder builds the published student branch with repo2docker, which reads its
``environment.yml``; conda is not reachable here, so:

1. ``jupyter-repo2docker --no-build --debug`` on the student tree prints the
   Dockerfile Binder would build: it must use ``environment.yml`` and install it
   only after copying the repository (its pip section installs ``-e .``, i.e.
   lecture_code).
2. A fresh venv plays the conda environment: the Python version and the pip
   section of ``environment.yml``, installed from a copy of the student tree
   (so ``-e .`` is its lecture_code), plus JupyterLab, as Binder's base image
   adds it (at the version pinned in requirements-test.txt).
3. JupyterLab is started on that copy, and headless Chromium (Debian's, driven by
   Playwright) opens a chapter's notebook, runs every cell from the Run menu, and
   moves the first explorer's slider with the keyboard, as a student would. The
   explorer's image before and after goes to ``_build/binder/``; the run fails if
   the two are the same, if any cell's output is an error, or if a cell never ran.

Without Chromium or a Python of ``environment.yml``'s version the run is skipped
with a message, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

import editions
from local_browser import CHROMIUM, CHROMIUM_FLAGS
from student_runs import Skip, find_python, sh

ROOT = editions.ROOT
OUT = editions.BUILD / "binder"
CHAPTER = "book/01_overfitting.ipynb"
#: Evaluated in the page (JupyterLab started with expose_app_in_browser): the open notebook's cells, for checking only.
CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
    count: c.model.executionCount,
    errors: c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)}));
  return {status: kernel ? kernel.status : 'none', cells: cells};
}"""


def dockerfile_problems(text: str) -> list[str]:
    """What keeps repo2docker's Dockerfile from giving students lecture_code (empty when nothing does)."""
    copy = re.search(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/", text, re.M)
    update = re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment\.yml"', text)
    if not update:
        return ["the Dockerfile does not install environment.yml"]
    if not copy or copy.start() > update.start():
        return ["environment.yml is installed before the repository is copied: '-e .' would not find lecture_code"]
    return []


def dry_run(tree: Path) -> str:
    """The Dockerfile repo2docker would build from ``tree``, checked for what Binder needs."""
    out = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(tree)],
                         capture_output=True, text=True)
    text = out.stdout + out.stderr
    if out.returncode != 0:
        raise RuntimeError(f"repo2docker --no-build failed:\n{text[-3000:]}")
    problems = dockerfile_problems(text)
    if problems:
        raise RuntimeError("; ".join(problems) + "\n" + text[-3000:])
    (OUT / "Dockerfile.txt").write_text(text)
    return text


def binder_venv(tree: Path) -> Path:
    """A venv with environment.yml's Python and pip section (installed from ``tree``) plus JupyterLab."""
    environment = yaml.safe_load((tree / "environment.yml").read_text())
    python_version = next(d.split("=")[1] for d in environment["dependencies"]
                          if isinstance(d, str) and d.startswith("python="))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    jupyterlab = next(line for line in (ROOT / "requirements-test.txt").read_text().splitlines()
                      if line.startswith("jupyterlab=="))
    venv = OUT / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    sh(find_python(python_version), "-m", "venv", venv)
    (OUT / "requirements-binder.txt").write_text("\n".join(pip_section) + "\n")
    # JupyterLab's "get notified about Jupyter news?" toast would cover the figure the run compares.
    settings = venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}))
    sh(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
       "-r", OUT / "requirements-binder.txt", jupyterlab, "-c", ROOT / "requirements-test.txt", cwd=tree)
    return venv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(venv: Path, tree: Path) -> tuple[subprocess.Popen, str, str]:
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in ("LECTURE_CODE_SITE_BUILD", "VIRTUAL_ENV", "PYTHONPATH")}
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "JUPYTER_CONFIG_DIR": str(OUT / "config"),
            "JUPYTER_DATA_DIR": str(OUT / "data"), "JUPYTER_RUNTIME_DIR": str(OUT / "runtime")}
    log = open(OUT / "jupyterlab.log", "w")
    lab = subprocess.Popen([venv / "bin" / "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tree}",
                            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
                            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                            *(["--allow-root"] if os.geteuid() == 0 else [])],   # CI containers run as root
                           env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            return lab, base, token
        except OSError:
            if lab.poll() is not None:
                break
            time.sleep(0.5)
    lab.terminate()
    raise RuntimeError("JupyterLab did not start:\n" + (OUT / "jupyterlab.log").read_text()[-3000:])


def run_in_browser(base: str, token: str) -> dict:
    """Open the chapter, Run All Cells from the menu, move the first explorer's slider; return what was seen."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}&reset")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                               "window.jupyterapp.shell.currentWidget.sessionContext && "
                               "window.jupyterapp.shell.currentWidget.sessionContext.session && "
                               "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel", timeout=120_000)
        page.wait_for_function(f"() => ({CELLS_JS})().status === 'idle'", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        page.wait_for_function(f"() => {{ const s = ({CELLS_JS})(); return s.status === 'idle' && "
                               "s.cells.every(c => c.count !== null); }", timeout=600_000)
        state = page.evaluate(CELLS_JS)
        handle = page.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        image = page.locator(".widget-image").first
        image.wait_for(state="visible")
        before = image.screenshot(path=str(OUT / "slider-before.png"))
        source = image.get_attribute("src")
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("src => document.querySelector('.widget-image').getAttribute('src') !== src",
                               arg=source, timeout=60_000)
        page.wait_for_timeout(500)
        after = image.screenshot(path=str(OUT / "slider-after.png"))
        page.screenshot(path=str(OUT / "jupyterlab.png"))
        browser.close()
    return {"cells": len(state["cells"]), "not run": sum(c["count"] is None for c in state["cells"]),
            "errors": [e for c in state["cells"] for e in c["errors"]], "image changed": before != after}


def main() -> int:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed ({CHROMIUM}): sudo apt-get install chromium"
        print(f"binder run skipped: {reason}")
        return 1 if os.environ.get("CI") == "true" else 0
    start = time.perf_counter()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    tree = shutil.copytree(editions.make_student_tree(), OUT / "repository")
    try:
        dry_run(tree)
        venv = binder_venv(tree)
    except Skip as reason:
        print(f"binder run skipped: {reason}")
        return 1 if os.environ.get("CI") == "true" else 0
    lab, base, token = start_lab(venv, tree)
    try:
        seen = run_in_browser(base, token)
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    seen["seconds"] = round(time.perf_counter() - start, 1)
    (OUT / "report.json").write_text(json.dumps(seen, indent=1))
    ok = seen["not run"] == 0 and not seen["errors"] and seen["image changed"]
    print(f"binder: repo2docker uses environment.yml after copying the repository (-e . installs lecture_code); "
          f"{CHAPTER} in JupyterLab: {seen['cells']} code cells, {seen['not run']} not run, "
          f"{len(seen['errors'])} errors {seen['errors'] or ''}; slider moved, image "
          f"{'changed' if seen['image changed'] else 'UNCHANGED'} ({OUT.relative_to(ROOT)}/slider-before.png, "
          f"slider-after.png); {seen['seconds']:.0f} s  [{'ok' if ok else 'FAILED'}]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
