"""Run the published student notebooks the way students get them, away from the course's own venv.

    python tools/student_runs.py colab      # Python 3.12, the newest libraries, one notebook per empty folder
    python tools/student_runs.py floor      # the oldest versions pyproject.toml allows (proves its floors)
    python tools/student_runs.py download   # the site's zip, unpacked and installed as its README says

All three use the published student tree (``make student-notebooks``: no solutions,
no build checks, a setup cell first). The public repository is not reachable
here, so a local git repository holding that tree, tagged with the release the
setup cells install, stands in for it: git's ``url.<local>.insteadOf`` points the
public URL at it (in a private ``GIT_CONFIG_GLOBAL``, never the user's).

- **colab**: Colab opens one notebook alone, in an empty folder, with Python 3.12
  and its own (new) numpy, matplotlib, scipy, scikit-learn and ipywidgets. A fresh
  venv plays that part with the newest versions the registry serves (not the
  pins) and a stand-in ``google.colab`` module; each notebook is copied alone into
  an empty folder and run top to bottom, its setup cell installing lecture_code
  from the "public" repository. The notebooks run with the build's checks put
  back: a library release that makes a notebook run but breaks one of its
  claims is caught too. The first notebook runs alone, on a venv without
  lecture_code (the install path); the others then find it installed (the
  do-nothing path) and run two at a time. When a new library release breaks a
  notebook, this run names it.
- **floor**: the same with the oldest Python (3.11) and exactly the lower bounds
  of pyproject.toml's ranges: a range claims nothing this run has not shown.
- **download**: the zip the site offers, unpacked into an empty folder; the
  commands of its README's install block are run as written.

Without the Python a run needs, it is skipped with a message, except under CI
(``CI=true``), where that is a failure. Reports go to ``_build/student-runs/``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import asdict
from pathlib import Path

import editions
from notebook_runs import Run, execute_all

ROOT = editions.ROOT
OUT = editions.BUILD / "student-runs"
#: What Colab brings of its own, at the newest version the registry serves; ipykernel runs the notebooks.
COLAB_PACKAGES = ["numpy", "matplotlib", "scipy", "scikit-learn", "ipywidgets", "ipykernel"]
README_INSTALL = re.compile(r"<!-- install -->\s*```bash\n(.*?)```", re.S)


class Skip(Exception):
    """The run cannot happen on this machine (reported, and a failure under CI)."""


def find_python(version: str) -> Path:
    """An interpreter of ``version`` ("3.12") that runs: one of pyenv's, or one on PATH."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        root = os.path.expanduser("~/.pyenv")
    candidates = sorted(Path(root, "versions").glob(f"{version}.*/bin/python{version}"), reverse=True)
    on_path = shutil.which(f"python{version}")
    for python in candidates + ([Path(on_path)] if on_path else []):
        works = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
        if works.returncode == 0 and works.stdout.strip() == str(tuple(map(int, version.split(".")))):
            return python
    raise Skip(f"no Python {version} here (install it, e.g. 'pyenv install {version}')")


def sh(*cmd: str | Path, cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


# --- the stand-in for the public repository -------------------------------------------------------------------

def published_repository(folder: Path, ref: str) -> Path:
    """A git repository holding the published student tree, its commit tagged ``ref`` (as the workflow does)."""
    shutil.rmtree(folder, ignore_errors=True)
    editions.make_student_tree(folder, ref=ref)
    env = os.environ | {"GIT_AUTHOR_NAME": "course", "GIT_AUTHOR_EMAIL": "course@localhost",
                        "GIT_COMMITTER_NAME": "course", "GIT_COMMITTER_EMAIL": "course@localhost"}
    sh("git", "init", "-q", "-b", editions.STUDENT_BRANCH, cwd=folder)
    sh("git", "add", "-A", cwd=folder)
    sh("git", "commit", "-q", "-m", "Student notebooks", cwd=folder, env=env)
    sh("git", "tag", ref, cwd=folder)
    return folder


def git_config(folder: Path, repository: Path) -> Path:
    """A private git configuration that sends the public repository's URL to the local one."""
    url = editions._config()["repository"]["url"].rstrip("/")
    config = folder / "gitconfig"
    config.write_text(f'[url "file://{repository}"]\n\tinsteadOf = {url}\n')
    return config


def colab_module(folder: Path) -> Path:
    """A directory that, on PYTHONPATH, makes ``import google.colab`` work as on Colab."""
    package = folder / "google" / "colab"
    package.mkdir(parents=True, exist_ok=True)
    (folder / "google" / "__init__.py").write_text("")
    (package / "__init__.py").write_text('"""Stand-in for Colab\'s own module: its presence says "this is Colab"."""\n')
    return folder


# --- environments ---------------------------------------------------------------------------------------------

def make_venv(python: Path, folder: Path, requirements: list[str]) -> Path:
    """A fresh venv of ``python`` with ``requirements``, and a kernelspec "student" for its interpreter."""
    shutil.rmtree(folder, ignore_errors=True)
    sh(python, "-m", "venv", folder)
    sh(folder / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements)
    sh(folder / "bin" / "python", "-m", "ipykernel", "install", "--prefix", folder, "--name", "student",
       "--display-name", "student")
    return folder


def installed_versions(venv: Path, names: list[str]) -> dict[str, str]:
    code = ("import json, sys; from importlib.metadata import version; "
            "print(json.dumps({n: version(n) for n in sys.argv[1:]}))")
    versions = json.loads(sh(venv / "bin" / "python", "-c", code, *names))
    versions["python"] = sh(venv / "bin" / "python", "-c", "import platform; print(platform.python_version())").strip()
    return versions


def floor_requirements() -> list[str]:
    """``name==lower bound`` for every dependency of lecture_code and of its "book" extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = []
    for requirement in project["dependencies"] + project["optional-dependencies"]["book"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)(,.*)?", requirement)
        if not match:
            raise ValueError(f"pyproject.toml: {requirement!r} has no '>=' lower bound to test")
        floors.append(f"{match[1]}=={match[2]}")
    return floors


def oldest_python() -> str:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    return re.fullmatch(r">=\s*(3\.\d+)", spec)[1]


# --- runs -----------------------------------------------------------------------------------------------------

def run_student_notebooks(name: str, venv: Path, *, colab: bool, only: list[str] = ()) -> tuple[list[Run], float]:
    """Each published notebook (or those whose names start with one of ``only``) alone in an empty folder."""
    work = OUT / name
    repository = published_repository(work / "repository", editions.release_ref())
    env = {k: v for k, v in os.environ.items() if k not in ("LECTURE_CODE_SITE_BUILD", "PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"JUPYTER_PATH": str(venv / "share" / "jupyter"), "GIT_CONFIG_GLOBAL": str(git_config(work, repository)),
            "GIT_CONFIG_NOSYSTEM": "1", "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "MPLBACKEND": "agg", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if colab:
        env["PYTHONPATH"] = str(colab_module(work / "colab-module"))
    # What runs is each published notebook with the build's checks put back: it must not only run but also
    # keep the claims its text makes (the checks never define what the notebook's own code uses).
    checked = editions.make_checked_student_tree(work / "checked", editions.release_ref())
    paths, cwds = [], []
    for notebook in sorted((checked / "book").glob("*.ipynb")):
        if only and not notebook.name.startswith(tuple(only)):
            continue
        folder = work / "notebooks" / notebook.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        paths.append(Path(shutil.copy(notebook, folder)))
        cwds.append(folder)
    options = dict(env=env, kernel="student", timeout=600)
    start = time.perf_counter()
    runs = execute_all(paths[:1], jobs=1, cwds=cwds[:1], **options)       # installs lecture_code from the tag
    installed = not runs[0].error
    runs += execute_all(paths[1:], jobs=2, cwds=cwds[1:], **options)      # find it installed
    for run in runs[:1]:
        run.extra["installed lecture_code"] = installed
    return runs, time.perf_counter() - start


def colab(only: list[str] = ()) -> dict:
    venv = make_venv(find_python("3.12"), OUT / "colab" / "venv", ["--upgrade", *COLAB_PACKAGES])
    versions = installed_versions(venv, COLAB_PACKAGES)
    runs, seconds = run_student_notebooks("colab", venv, colab=True, only=only)
    return {"versions": versions, "runs": runs, "seconds": seconds}


def floor(only: list[str] = ()) -> dict:
    requirements = floor_requirements()
    venv = make_venv(find_python(oldest_python()), OUT / "floor" / "venv", [*requirements, "ipykernel"])
    versions = installed_versions(venv, [r.split("==")[0] for r in requirements])
    runs, seconds = run_student_notebooks("floor", venv, colab=False, only=only)
    return {"versions": versions, "runs": runs, "seconds": seconds}


def install_commands(readme: str) -> list[str]:
    """The command lines of the README's install block (the one after ``<!-- install -->``)."""
    block = README_INSTALL.search(readme)
    if not block:
        raise ValueError("the student README has no '<!-- install -->' bash block")
    return [line.split("  #")[0].strip() for line in block[1].splitlines() if line.strip() and not line.startswith("#")]


def download() -> dict:
    zip_path = editions.BUILD / "html" / editions.ZIP_NAME
    if not zip_path.exists():
        raise RuntimeError(f"{zip_path.relative_to(ROOT)} is missing: run 'make book' first")
    work = OUT / "download"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(work)
    (folder,) = work.iterdir()
    python = find_python(oldest_python())
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "LECTURE_CODE_SITE_BUILD")}
    env |= {"PATH": f"{python.parent}{os.pathsep}{env.get('PATH', '')}", "MPLBACKEND": "agg"}
    start, done = time.perf_counter(), []
    for command in install_commands((folder / "README.md").read_text()):
        argv = shlex.split(command.replace("python3 ", f"{python} ", 1) if command.startswith("python3 ") else command)
        result = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True)
        done.append({"command": command, "returncode": result.returncode,
                     "output": (result.stdout + result.stderr)[-1500:]})
        if result.returncode != 0:
            break
    failed = [d for d in done if d["returncode"] != 0]
    return {"commands": done, "seconds": time.perf_counter() - start, "failed": bool(failed)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", choices=["colab", "floor", "download"])
    parser.add_argument("only", nargs="*", help="colab, floor: run only the notebooks whose names start so")
    args = parser.parse_args(argv)
    which = args.run
    try:
        result = {"colab": lambda: colab(args.only), "floor": lambda: floor(args.only), "download": download}[which]()
    except Skip as reason:
        print(f"{which} run skipped: {reason}", flush=True)
        return 1 if os.environ.get("CI") == "true" else 0
    OUT.mkdir(parents=True, exist_ok=True)
    runs = result.pop("runs", [])
    (OUT / f"{which}.json").write_text(json.dumps(result | {"runs": [asdict(r) for r in runs]}, indent=1))
    if "versions" in result:
        print(f"{which}: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()), flush=True)
    for run in runs:
        status = f"FAILED: {run.error}" if run.error else "ok"
        print(f"  {run.notebook}: {run.seconds:.1f} s  {status}", flush=True)
    for step in result.get("commands", []):
        print(f"  $ {step['command']}  -> exit {step['returncode']}", flush=True)
        if step["returncode"]:
            print(step["output"], flush=True)
    failed = any(r.error for r in runs) or result.get("failed", False)
    print(f"{which}: {len(runs) or len(result.get('commands', []))} "
          f"{'notebooks' if runs else 'commands'}, {result['seconds']:.0f} s, {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
