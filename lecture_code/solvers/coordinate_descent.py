r"""Cyclic coordinate descent: :func:`coordinate_descent` and its one pass, :func:`_cd_epoch`.

The algorithm of glmnet and scikit-learn: each weight in turn is set to the exact minimiser of the
objective with the others fixed, a soft threshold. :func:`_cd_epoch` is also the path engine's
fallback (:mod:`lecture_code.solvers._path_engine`).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import math

import numpy as np

from ._problem import _setup
from .results import FitResult

__all__ = ["coordinate_descent"]


def _cd_epoch(G: np.ndarray, corr: np.ndarray, w: np.ndarray, kappa: float, mu: float) -> None:
    r"""One cyclic pass of coordinate descent, in place, on the Gram (covariance) form.

    ``G`` = :math:`X^\top X/n` and ``corr`` = :math:`X^\top r/n` (kept up to
    date). With the other weights fixed, :math:`J` is a 1-D problem in
    :math:`w_j` whose solution is a soft threshold:

    .. math::

        w_j \leftarrow \frac{S(z_j, \lambda\alpha)}{G_{jj} + \lambda(1-\alpha)},
        \qquad z_j = \tfrac1n X_j^\top(r + X_j w_j) = \mathrm{corr}_j + G_{jj} w_j.

    Changing :math:`w_j` by :math:`\delta` changes every correlation by
    :math:`-\delta G_{:j}`, an update of length p instead of a product with X.
    """
    for j in range(w.shape[0]):
        g_jj = G[j, j]
        if g_jj == 0.0:  # a constant column: the penalty alone decides, its weight stays 0
            continue
        z = corr[j] + g_jj * w[j]
        new = math.copysign(max(abs(z) - kappa, 0.0), z) / (g_jj + mu)
        if new != w[j]:
            corr -= (new - w[j]) * G[j]
            w[j] = new


def coordinate_descent(X, y, lam: float, alpha: float = 1.0, *, max_iter: int = 1_000, tol: float = 1e-6,
                       fit_intercept: bool = True) -> FitResult:
    r"""Cyclic coordinate descent: repeated one-dimensional soft thresholding.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``, ``Ridge(alpha=n·λ)``
    in scikit-learn; the algorithm of glmnet and scikit-learn). For each
    coordinate in turn, with the others fixed, the exact minimiser is

    .. math::

        w_j \leftarrow \frac{S\big(\tfrac1n X_j^\top(y - Xw + X_j w_j),\; \lambda\alpha\big)}
                            {\tfrac1n\lVert X_j\rVert^2 + \lambda(1-\alpha)}.

    The correlations :math:`X^\top r/n` are kept up to date with the Gram
    matrix :math:`X^\top X/n` (computed once), so a coordinate update costs
    :math:`O(p)`. One iteration is one pass over all coordinates; the gap is
    checked after each pass.

    Parameters
    ----------
    X, y, lam, alpha, tol, fit_intercept
        The problem and the stopping rule, as for :func:`~lecture_code.solvers.ista`.
    max_iter : int, default 1000
        Maximum number of passes.

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` after each pass.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` passes come first, stating the gap reached.
    """
    prob, lam, alpha, max_iter, monitor = _setup("coordinate_descent", X, y, lam, alpha, fit_intercept, tol,
                                                 max_iter)
    G = prob.X.T @ prob.X / prob.n
    w = np.zeros(prob.X.shape[1])
    for k in range(max_iter + 1):
        # Recompute the residual exactly once per pass: the gap is then free of drift.
        corr = monitor.measure(w)
        if monitor.done(k):
            break
        _cd_epoch(G, corr, w, lam * alpha, lam * (1.0 - alpha))
    return monitor.result(w, k)
