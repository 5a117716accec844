"""Run every notebook as a student runs it, under several BLAS kernels and thread counts.

    python tools/portability.py                     # the default matrix (see CONFIGURATIONS), all notebooks
    python tools/portability.py --only Prescott:1 book/10_neural_networks.ipynb

The numpy and scipy wheels bundle OpenBLAS with a kernel for every CPU family; the
CPU a notebook meets on Binder, Colab or a laptop picks one, and the last bits of
every matrix product depend on that kernel and on the number of BLAS threads.
A check that holds only under the kernel the course was written on is a check
that fails for some student. This run executes every notebook of the full
sources (solutions included) in a live kernel — ``LECTURE_CODE_SITE_BUILD``
unset, so the explorers are real ipywidgets — under each configuration, asks the
kernel itself which OpenBLAS kernel and how many threads ran (threadpoolctl),
and fails when a cell raises or when a configuration did not get the kernel it
asked for. The report goes to ``_build/portability/report.json`` and is printed
as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from notebook_runs import Run, execute_all

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "_build" / "portability" / "report.json"
CORES = os.cpu_count() or 1
#: (OPENBLAS_CORETYPE, BLAS threads). Haswell is AVX2, Sandybridge AVX without FMA, Prescott plain SSE3 (OpenBLAS
#: reports it as "Katmai"); the machine's own kernel (AVX-512 on most cloud hosts) runs in the build and nbval.
CONFIGURATIONS = [("Haswell", 1), ("Haswell", 2), ("Sandybridge", 1), ("Sandybridge", 2),
                  ("Prescott", 1), ("Prescott", 2)]
#: The name threadpoolctl reports for each requested core type, where it differs from the request.
REPORTED_AS = {"Prescott": "Katmai"}
#: Appended to every notebook: the kernel itself says which OpenBLAS libraries it loaded, with which kernel and threads.
PROBE = ("import json, numpy, scipy.linalg, threadpoolctl\n"
         "print(json.dumps([(i['internal_api'], i.get('architecture'), i['num_threads'], i['filepath'].split('/')[-1])"
         " for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']))")


def notebooks() -> list[Path]:
    return sorted((ROOT / "book").glob("*.ipynb"))


def environment(coretype: str, threads: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LECTURE_CODE_SITE_BUILD", "OMP_NUM_THREADS")}
    env |= {"OPENBLAS_CORETYPE": coretype, "OPENBLAS_NUM_THREADS": str(threads), "MPLBACKEND": "agg"}
    return env


def run_configurations(paths: list[Path], configurations: list[tuple[str, int]],
                       timeout: int) -> list[list[Run]]:
    """Every notebook under every configuration, one pool of as many kernels at a time as there are cores.

    A kernel with 2 BLAS threads shares the cores with the other kernel: the notebooks spend most of their time
    in Python and in matrix products too small for OpenBLAS to split, so two such kernels at once take about the
    time of two 1-thread kernels (72 s against 130 s one at a time, for all 29 notebooks on 2 cores). Each
    notebook's configurations run next to each other, so the pool ends on the smallest notebooks.
    """
    work = [(path, configuration) for path in paths for configuration in configurations]
    runs = execute_all([path for path, _ in work], jobs=CORES, envs=[environment(*c) for _, c in work],
                       timeout=timeout, probe=PROBE)
    return [[run for run, (_, c) in zip(runs, work) if c == configuration] for configuration in configurations]


def kernel_problem(runs: list[Run], coretype: str, threads: int) -> str:
    """Empty if every BLAS library in every kernel ran the requested core type and thread count."""
    want = REPORTED_AS.get(coretype, coretype)
    for run in runs:
        for api, arch, n_threads, library in run.probe or []:
            if api == "openblas" and (arch != want or n_threads != threads):
                return f"{run.notebook}: {library} ran {arch} with {n_threads} threads, not {want} with {threads} threads"
    return ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in book/")
    parser.add_argument("--only", action="append", metavar="CORETYPE:THREADS",
                        help="run only these configurations (repeatable)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("--report", type=Path, default=REPORT, help=f"default: {REPORT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or notebooks()
    configurations = CONFIGURATIONS
    if args.only:
        configurations = [(c.split(":")[0], int(c.split(":")[1])) for c in args.only]

    report, failed = [], False
    print(f"{len(paths)} notebooks, {len(configurations)} configurations, {CORES} kernels at a time", flush=True)
    start = time.perf_counter()
    results = run_configurations(paths, configurations, args.timeout)
    wall = time.perf_counter() - start
    for (coretype, threads), runs in zip(configurations, results):
        seconds = sum(r.seconds for r in runs)
        errors = [r for r in runs if r.error]
        problem = kernel_problem(runs, coretype, threads)
        ran = sorted({f"{arch} x{n}" for r in runs for api, arch, n, _ in r.probe or [] if api == "openblas"})
        failed |= bool(errors or problem)
        report.append({"coretype": coretype, "threads": threads, "kernels_reported": ran,
                       "notebook_seconds": seconds, "notebooks": len(runs), "failures": len(errors),
                       "kernel_problem": problem, "runs": [asdict(r) for r in runs]})
        status = "ok" if not (errors or problem) else "FAILED"
        print(f"{coretype:>11} x{threads}: ran {', '.join(ran) or '?'}; {len(runs)} notebooks, "
              f"{len(errors)} failed, {seconds:.0f} s in kernels  [{status}]", flush=True)
        for run in errors:
            print(f"    {run.notebook}: {run.error}", flush=True)
        if problem:
            print(f"    {problem}", flush=True)
    print(f"{len(paths) * len(configurations)} runs in {wall:.0f} s wall", flush=True)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1))
    print(f"report: {args.report}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
