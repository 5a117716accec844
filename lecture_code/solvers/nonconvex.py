r"""Least squares with a non-convex penalty (SCAD or MCP): :func:`nonconvex_regression`.

:func:`nonconvex_regression` minimises
:math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \sum_j P(w_j)` by cyclic coordinate descent
(Breheny & Huang 2011), each update the thresholding rule of the one-dimensional problem
(the penalties and their rules are in :mod:`lecture_code.nonconvex`). The objective is not convex:
the result is a coordinate-wise minimum (every one-weight problem is solved exactly), which
depends on the starting point.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_bool, check_int, check_per_column, check_real, check_Xy
from ..exceptions import ConvergenceWarning
from ..nonconvex import _mcp_rule, _scad_rule, mcp_penalty, scad_penalty
from .results import FitResult

__all__ = ["nonconvex_regression"]


def nonconvex_regression(X, y, lam: float, *, penalty: str = "mcp", gamma: float | None = None,
                         fit_intercept: bool = True, tol: float = 1e-8, max_iter: int = 1_000, w0=None) -> FitResult:
    r"""Least squares with the SCAD or MCP penalty, by cyclic coordinate descent (Breheny & Huang 2011).

    Looks for a minimiser of

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \sum_j P_{\lambda,\gamma}(w_j)

    (``penalty="mcp"``: :func:`mcp_penalty`; ``"scad"``: :func:`scad_penalty` with :math:`a = \gamma`).
    With the others fixed, :math:`J` in :math:`w_j` is :math:`\frac{v_j}{2}w_j^2 - z_jw_j + P(w_j)` + const,
    :math:`v_j = \lVert x_j\rVert^2/n`, :math:`z_j = x_j^\top r/n + v_jw_j` (centred data); it is convex when
    :math:`v_j\gamma > 1` (MCP) or :math:`v_j(\gamma - 1) > 1` (SCAD), and its exact minimiser is the
    thresholding rule with :math:`v_j` in place of 1. Standardised columns (:math:`v_j = 1`) give exactly
    :func:`mcp_threshold` and :func:`scad_threshold`. The whole problem is not convex: the result is a
    coordinate-wise minimum reached from ``w0`` (default 0).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda > 0`, the :math:`\lambda` of :math:`P_{\lambda,\gamma}` (the slope of the penalty at 0).
    penalty : {"mcp", "scad"}, default "mcp"
    gamma : float, optional
        :math:`\gamma` of MCP (default 3) or :math:`a` of SCAD (default 3.7).
    fit_intercept : bool, default True
    tol : float, default 1e-8
        Stop when a pass changes no weight by more than ``tol`` times the largest :math:`|w_j|` (or 1).
    max_iter : int, default 1000
        Maximum number of passes.
    w0 : array_like of shape (p,), optional
        Starting weights.

    Returns
    -------
    FitResult
        ``gap`` holds the largest relative change of the last pass (there is no duality gap for a
        non-convex problem); ``history`` the objective after each pass (it never increases).

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the last relative change.
    """
    X, y = check_Xy(X, y)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    if penalty not in ("mcp", "scad"):
        raise ValueError(f"penalty must be 'mcp' or 'scad', got {penalty!r}")
    if gamma is None:
        gamma = 3.0 if penalty == "mcp" else 3.7
    gamma = check_real(gamma, "gamma", low=1.0 if penalty == "mcp" else 2.0, low_open=True)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    n, p = X.shape
    w = np.zeros(p) if w0 is None else check_per_column(w0, X, "w0")
    x_mean, y_mean = (X.mean(axis=0), float(y.mean())) if fit_intercept else (np.zeros(p), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    v = np.einsum("ij,ij->j", Xc, Xc) / n
    need = v * gamma if penalty == "mcp" else v * (gamma - 1)
    if np.any(need <= 1):
        raise ValueError(f"every column needs ||x_j||^2/n * {'gamma' if penalty == 'mcp' else '(a - 1)'} > 1 for the "
                         "coordinate problems to be convex; standardise X (||x_j||^2/n = 1) or increase gamma")
    rule = _mcp_rule if penalty == "mcp" else _scad_rule
    pen = mcp_penalty if penalty == "mcp" else scad_penalty
    r = yc - Xc @ w
    history = [0.5 * float(r @ r) / n + float(np.sum(pen(w, lam, gamma)))]
    change = np.inf
    for k in range(1, max_iter + 1):
        change = 0.0
        for j in range(p):
            z = float(Xc[:, j] @ r) / n + v[j] * w[j]
            new = float(rule(np.array(z), lam, gamma, v[j]))
            if new != w[j]:
                r -= (new - w[j]) * Xc[:, j]
                change = max(change, abs(new - w[j]))
                w[j] = new
        history.append(0.5 * float(r @ r) / n + float(np.sum(pen(w, lam, gamma))))
        change /= max(1.0, float(np.abs(w).max()))
        if change <= tol:
            break
    converged = change <= tol
    if not converged:
        warnings.warn(f"nonconvex_regression reached max_iter={max_iter} with relative change {change:.3g} > tol={tol:.3g}",
                      ConvergenceWarning, stacklevel=2)
    return FitResult(coef=w, intercept=y_mean - float(x_mean @ w), n_iter=k, gap=float(change), converged=converged,
                     history=np.array(history))
