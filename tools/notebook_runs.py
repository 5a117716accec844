"""Execute notebooks in fresh kernels, the way a student's Jupyter does, and report what happened.

The shared engine of the runs that prove the notebooks work away from the build:
the portability run (other BLAS kernels), the Colab run (Python 3.12 and the newest
libraries), the floor run (the oldest versions pyproject.toml allows) and the
download run. Each notebook runs top to bottom in its own kernel, in a folder and
an environment the caller chooses; a run records the time taken, the first error
(its message and the source line that raised) and, optionally, what a probe cell
appended at the end printed in the same kernel.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Run:
    notebook: str
    seconds: float
    error: str = ""
    probe: object = None          # what the probe cell printed, parsed as JSON
    extra: dict = field(default_factory=dict)


def describe(exc: CellExecutionError) -> str:
    """The error's last line and the source line it points at (the arrow of IPython's traceback)."""
    text = ANSI.sub("", str(exc))
    where = [line.strip() for line in text.splitlines() if re.match(r"\s*-+>", line)]
    last = f"{exc.ename}: {exc.evalue}".strip().rstrip(":")
    return f"{last} at `{where[-1].lstrip('->').strip()}`" if where else last


#: A kernel that never started says nothing about the notebook: such a run is tried once more.
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")


def execute(path: Path, *, env: dict[str, str], cwd: Path | None = None, kernel: str = "python3",
            timeout: int = 300, probe: str | None = None) -> Run:
    """Run the notebook at ``path`` in a fresh ``kernel`` started with exactly ``env``, in ``cwd``.

    ``env`` replaces this process's environment while the kernel starts (the kernel inherits it); the
    kernelspec is looked up through ``env``'s ``JUPYTER_PATH`` as Jupyter itself would. A kernel that dies
    or hangs before its first reply (seen on a heavily loaded machine) is started once more.
    """
    run = _execute(path, env=env, cwd=cwd, kernel=kernel, timeout=timeout, probe=probe)
    if any(failure in run.error for failure in KERNEL_START_FAILURES):
        retry = _execute(path, env=env, cwd=cwd, kernel=kernel, timeout=timeout, probe=probe)
        retry.extra["kernel start retried"] = run.error
        return retry
    return run


def _execute(path: Path, *, env: dict[str, str], cwd: Path | None, kernel: str, timeout: int,
             probe: str | None) -> Run:
    os.environ.clear()
    os.environ.update(env)
    nb = nbformat.read(path, as_version=4)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe))
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel,
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    start = time.perf_counter()
    try:
        # The kernel's own stderr only says, once per kernel, that local TCP is unencrypted; errors come as messages.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        return Run(path.name, time.perf_counter() - start, error=describe(exc))
    except Exception as exc:                      # a dead kernel or a timeout: report it, go on with the others
        return Run(path.name, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"[:300])
    seconds = time.perf_counter() - start
    printed = None
    if probe:
        printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
        printed = json.loads(printed)
    return Run(path.name, seconds, probe=printed)


def _execute_one(job: tuple[Path, dict]) -> Run:
    path, kwargs = job
    return execute(path, **kwargs)


def execute_all(paths: list[Path], *, jobs: int, cwds: list[Path] | None = None, envs: list[dict] | None = None,
                **kwargs) -> list[Run]:
    """``execute`` every notebook, ``jobs`` at a time, each in its own process (its own environment); ``cwds``
    and ``envs``, where given, hold each notebook's own folder and environment, in the order of ``paths``."""
    work = [(path, kwargs | ({"cwd": cwds[i]} if cwds else {}) | ({"env": envs[i]} if envs else {}))
            for i, path in enumerate(paths)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_execute_one, work))
