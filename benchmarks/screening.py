r"""Benchmark: what screening saves along a lasso path (``lecture_code.solvers.screening``).

Run with ``python benchmarks/screening.py``. For two wide problems, (n, p) = (100, 1000) and
(200, 2000), it runs ``screened_lasso_path`` — cyclic coordinate descent with warm starts, every
solution certified by a relative duality gap of at most 1e-6 — on the same grid of 30 values of
λ from λ_max down to λ_max/100, three times: without screening, with the sequential strong rule
(plus the KKT check of the discarded features), and with the dynamic gap-safe rule. It prints,
per rule:

* the features discarded before solving, on average over the grid (of p);
* the features left out of the final solve (strong rule: minus the violators put back; gap-safe:
  including those discarded while solving);
* the KKT violations caught (strong rule only; the gap-safe rule is safe by construction);
* the work, in millions of *column operations* (an inner product :math:`x_j^\top r` or an update
  :math:`r \leftarrow r - \delta x_j`, each of cost :math:`O(n)`): a count that does not depend on the
  machine, and its ratio to no screening;
* the CPU time of the path and the ratio *no screening / rule* measured in this run (machine-dependent:
  read it as a size, not a constant);
* the largest difference of the weights from the unscreened path (all three reach the same solutions).

**Data.** ``lecture_code.data.make_regression`` (seed 0): Gaussian features with correlation
:math:`0.5^{|i-j|}`, 10 true non-zero weights, noise σ = 1. BLAS is limited to one thread
(threadpoolctl) and CPU time (``time.process_time``) is measured, so other load on the machine
matters less; the three rules run one after the other in the same process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lecture_code.data import make_regression  # noqa: E402
from lecture_code.solvers.screening import screened_lasso_path  # noqa: E402

SHAPES = [(100, 1000), (200, 2000)]
RULES = [("none", "no screening"), ("strong", "strong rule + KKT check"), ("gap_safe", "gap-safe (dynamic)")]
N_LAMBDAS, EPS, TOL = 30, 1e-2, 1e-6


def main() -> None:
    header = (f"{'problem':>13} | {'rule':24} | {'discarded':>9} | {'left out':>8} | {'KKT viol.':>9} | "
              f"{'col. ops (M)':>12} | {'ops ratio':>9} | {'CPU s':>6} | {'speed-up':>8} | {'max |dw|':>8}")
    print(f"lasso path: {N_LAMBDAS} values of lambda from lambda_max to {EPS:g} lambda_max, relative gap <= {TOL:g}; "
          "discarded and left out = mean number of features per lambda")
    print(header)
    print("-" * len(header))
    with threadpool_limits(limits=1):
        for n, p in SHAPES:
            data = make_regression(n, p, n_informative=10, rho=0.5, noise=1.0, seed=0)
            runs, seconds = {}, {}
            for rule, _ in RULES:
                start = time.process_time()
                runs[rule] = screened_lasso_path(data.X, data.y, n_lambdas=N_LAMBDAS, eps=EPS, rule=rule, tol=TOL)
                seconds[rule] = time.process_time() - start
            base = runs["none"]
            for rule, label in RULES:
                run = runs[rule]
                print(f"{f'n={n}, p={p}':>13} | {label:24} | {run.n_discarded.mean():9.1f} | "
                      f"{run.n_discarded_final.mean():8.1f} | {run.n_violations.sum():9d} | "
                      f"{run.n_column_ops.sum() / 1e6:12.2f} | {run.n_column_ops.sum() / base.n_column_ops.sum():9.3f} | "
                      f"{seconds[rule]:6.2f} | {seconds['none'] / seconds[rule]:7.1f}x | "
                      f"{np.abs(run.coefs - base.coefs).max():8.1e}")
            print("-" * len(header))


if __name__ == "__main__":
    main()
