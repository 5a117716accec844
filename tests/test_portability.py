"""tools/portability.py: the configuration matrix and how a run is judged (the run itself is `make portability`)."""

import sys
from pathlib import Path

from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_runs  # noqa: E402
import portability  # noqa: E402


def test_the_matrix_has_three_kernels_one_of_them_pre_avx_each_with_one_and_two_threads():
    kernels = {k for k, _ in portability.CONFIGURATIONS}
    assert len(kernels) >= 3 and "Prescott" in kernels                       # Prescott: SSE3 only, no AVX
    for kernel in kernels:
        assert {t for k, t in portability.CONFIGURATIONS if k == kernel} == {1, 2}


def test_the_environment_asks_for_the_kernel_and_runs_the_live_widgets():
    import os
    os.environ["LECTURE_CODE_SITE_BUILD"] = "1"
    try:
        env = portability.environment("Sandybridge", 2)
    finally:
        del os.environ["LECTURE_CODE_SITE_BUILD"]
    assert env["OPENBLAS_CORETYPE"] == "Sandybridge" and env["OPENBLAS_NUM_THREADS"] == "2"
    assert "LECTURE_CODE_SITE_BUILD" not in env


def test_a_configuration_that_did_not_get_its_kernel_is_a_failure():
    ok = notebook_runs.Run("a.ipynb", 1.0, probe=[["openblas", "Katmai", 1, "libscipy_openblas64_.so"]])
    assert portability.kernel_problem([ok], "Prescott", 1) == ""
    wrong = notebook_runs.Run("b.ipynb", 1.0, probe=[["openblas", "SkylakeX", 1, "libscipy_openblas.so"]])
    assert "SkylakeX" in portability.kernel_problem([ok, wrong], "Prescott", 1)
    assert "2 threads" in portability.kernel_problem([ok], "Prescott", 2)


def test_one_pool_runs_every_notebook_under_every_configuration_and_files_each_run_under_its_own(monkeypatch):
    seen = []

    def fake_execute_all(paths, *, jobs, envs, **kwargs):
        seen.append(jobs)
        return [notebook_runs.Run(p.name, 1.0, probe=[["openblas", env["OPENBLAS_CORETYPE"],
                                                        int(env["OPENBLAS_NUM_THREADS"]), "lib.so"]])
                for p, env in zip(paths, envs, strict=True)]

    monkeypatch.setattr(portability, "execute_all", fake_execute_all)
    paths = [Path("a.ipynb"), Path("b.ipynb"), Path("c.ipynb")]
    configurations = [("Haswell", 1), ("Haswell", 2), ("Sandybridge", 1)]
    results = portability.run_configurations(paths, configurations, timeout=10)
    assert seen == [portability.CORES]
    for (coretype, threads), runs in zip(configurations, results, strict=True):
        assert [r.notebook for r in runs] == ["a.ipynb", "b.ipynb", "c.ipynb"]
        assert portability.kernel_problem(runs, coretype, threads) == ""


def test_an_error_is_reported_with_the_line_that_raised():
    traceback = ("\x1b[31m----> 3\x1b[39m assert acc > 0.9\n\x1b[31mAssertionError\x1b[39m: ")
    exc = CellExecutionError(traceback, "AssertionError", "")
    assert notebook_runs.describe(exc) == "AssertionError at `3 assert acc > 0.9`"


def test_a_kernel_that_never_started_is_started_once_more_but_a_failing_notebook_is_not(monkeypatch):
    calls = []

    def fake(path, **kwargs):
        calls.append(path)
        if len(calls) == 1:
            return notebook_runs.Run(path.name, 1.0, error="RuntimeError: Kernel died before replying to kernel_info")
        return notebook_runs.Run(path.name, 2.0)

    monkeypatch.setattr(notebook_runs, "_execute", fake)
    run = notebook_runs.execute(Path("a.ipynb"), env={})
    assert len(calls) == 2 and run.error == "" and "kernel start retried" in run.extra
    calls.clear()
    monkeypatch.setattr(notebook_runs, "_execute",
                        lambda path, **kw: calls.append(path) or notebook_runs.Run(path.name, 1.0, error="AssertionError"))
    assert notebook_runs.execute(Path("b.ipynb"), env={}).error == "AssertionError" and len(calls) == 1
