r"""Non-convex penalties that stop shrinking large weights: SCAD and MCP.

The lasso moves every surviving weight towards 0 by the same amount, so large, important weights
are biased. The :math:`L_q` penalties with :math:`q < 1` avoid that but their thresholding rule
jumps. SCAD (Fan & Li 2001) and MCP (Zhang 2010) keep the corner of :math:`|w|` at 0 (sparsity),
flatten out for large :math:`|w|` (no bias), and have continuous thresholding rules. For one
weight, per unit :math:`\lambda > 0`:

* **SCAD**, :math:`a > 2` (Fan & Li suggest 3.7): :math:`P(w) = \lambda|w|` for :math:`|w| \le \lambda`,
  :math:`\frac{2a\lambda|w| - w^2 - \lambda^2}{2(a-1)}` for :math:`\lambda < |w| \le a\lambda`, and the
  constant :math:`\frac{(a+1)\lambda^2}{2}` beyond;
* **MCP**, :math:`\gamma > 1`: :math:`P(w) = \lambda|w| - \frac{w^2}{2\gamma}` for :math:`|w| \le \gamma\lambda`
  and :math:`\frac{\gamma\lambda^2}{2}` beyond.

Their thresholding functions solve :math:`\min_x \tfrac12(x - z)^2 + P(x)`:

* soft: :math:`S(z, \lambda)` (the lasso, :func:`lecture_code.penalties.soft_threshold`);
* hard: :math:`z\,\mathbb 1\{|z| > \lambda\}` (the penalty :math:`\frac{\lambda^2}{2}\mathbb 1\{x \ne 0\}`);
* SCAD: :math:`S(z, \lambda)` for :math:`|z| \le 2\lambda`, :math:`\frac{(a-1)z - \operatorname{sign}(z)a\lambda}{a-2}`
  for :math:`2\lambda < |z| \le a\lambda`, :math:`z` beyond;
* MCP ("firm" thresholding): :math:`\frac{S(z, \lambda)}{1 - 1/\gamma}` for :math:`|z| \le \gamma\lambda`,
  :math:`z` beyond. As :math:`\gamma \to \infty` it becomes soft, as :math:`\gamma \to 1` hard thresholding.

:func:`nonconvex_regression` minimises
:math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \sum_j P(w_j)` by cyclic coordinate descent
(Breheny & Huang 2011), each update the thresholding rule of the one-dimensional problem. The
objective is not convex: the result is a coordinate-wise minimum (every one-weight problem is
solved exactly), which depends on the starting point. This module imports only numpy and the
course's helpers.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real, check_Xy
from .exceptions import ConvergenceWarning
from .penalties import _soft_threshold
from .solvers import FitResult

__all__ = ["hard_threshold", "mcp_penalty", "mcp_threshold", "nonconvex_regression", "scad_penalty",
           "scad_threshold"]


def _z_and_lam(z, lam) -> tuple[np.ndarray, float]:
    return as_float_array(z, "z", ndim=(0, 1, 2)), check_real(lam, "lam", low=0.0, low_open=True)


def scad_penalty(w, lam: float, a: float = 3.7) -> np.ndarray:
    r"""The SCAD penalty :math:`P_{\lambda, a}(w)` of Fan & Li (2001), elementwise (module docstring).

    Its derivative for :math:`w > 0` is :math:`\lambda` up to :math:`\lambda`, then falls linearly,
    :math:`(a\lambda - w)/(a - 1)`, to 0 at :math:`a\lambda`: the penalty is flat beyond :math:`a\lambda`.

    Parameters
    ----------
    w : float or array_like
    lam : float
        :math:`\lambda > 0`.
    a : float, default 3.7
        :math:`a > 2`.

    Returns
    -------
    ndarray (a numpy scalar for scalar input)
    """
    w, lam = _z_and_lam(w, lam)
    a = check_real(a, "a", low=2.0, low_open=True)
    t = np.abs(w)
    middle = (2 * a * lam * t - t**2 - lam**2) / (2 * (a - 1))
    return np.where(t <= lam, lam * t, np.where(t <= a * lam, middle, 0.5 * (a + 1) * lam**2))[()]


def mcp_penalty(w, lam: float, gamma: float = 3.0) -> np.ndarray:
    r"""The minimax concave penalty (MCP) of Zhang (2010), elementwise.

    :math:`P(w) = \lambda|w| - w^2/(2\gamma)` for :math:`|w| \le \gamma\lambda`, :math:`\gamma\lambda^2/2` beyond:
    its derivative falls linearly from :math:`\lambda` at 0 to 0 at :math:`\gamma\lambda`.

    Parameters
    ----------
    w : float or array_like
    lam : float
        :math:`\lambda > 0`.
    gamma : float, default 3.0
        :math:`\gamma > 1`.

    Returns
    -------
    ndarray (a numpy scalar for scalar input)
    """
    w, lam = _z_and_lam(w, lam)
    gamma = check_real(gamma, "gamma", low=1.0, low_open=True)
    t = np.abs(w)
    return np.where(t <= gamma * lam, lam * t - t**2 / (2 * gamma), 0.5 * gamma * lam**2)[()]


def hard_threshold(z, lam: float) -> np.ndarray:
    r"""Hard thresholding :math:`z\,\mathbb 1\{|z| > \lambda\}`, the minimiser of :math:`\tfrac12(x - z)^2 + \tfrac{\lambda^2}{2}\mathbb 1\{x \ne 0\}`.

    (At :math:`|z| = \lambda` both 0 and :math:`z` are minimisers; 0 is returned.)
    """
    z, lam = _z_and_lam(z, lam)
    return np.where(np.abs(z) > lam, z, 0.0)[()]


def _scad_rule(z: np.ndarray, lam: float, a: float, v) -> np.ndarray:
    r"""Minimiser of :math:`\frac v2 x^2 - zx + P_{\text{SCAD}}(x)` (needs :math:`v(a - 1) > 1`)."""
    t = np.abs(z)
    soft = _soft_threshold(z, lam) / v
    middle = ((a - 1) * z - np.sign(z) * a * lam) / ((a - 1) * v - 1)
    return np.where(t <= lam * (1 + v), soft, np.where(t <= a * lam * v, middle, z / v))


def _mcp_rule(z: np.ndarray, lam: float, gamma: float, v) -> np.ndarray:
    r"""Minimiser of :math:`\frac v2 x^2 - zx + P_{\text{MCP}}(x)` (needs :math:`v\gamma > 1`)."""
    return np.where(np.abs(z) <= v * gamma * lam, _soft_threshold(z, lam) / (v - 1 / gamma), z / v)


def scad_threshold(z, lam: float, a: float = 3.7) -> np.ndarray:
    r"""The SCAD thresholding rule: :math:`\operatorname*{arg\,min}_x \tfrac12(x - z)^2 + P_{\lambda, a}(x)`, elementwise.

    Soft thresholding for :math:`|z| \le 2\lambda`, a linear interpolation
    :math:`\frac{(a-1)z - \operatorname{sign}(z)a\lambda}{a-2}` up to :math:`a\lambda`, and :math:`z` itself
    beyond: large inputs are not shrunk.

    Parameters
    ----------
    z : float or array_like
    lam : float
        :math:`\lambda > 0`.
    a : float, default 3.7
        :math:`a > 2`.
    """
    z, lam = _z_and_lam(z, lam)
    a = check_real(a, "a", low=2.0, low_open=True)
    return _scad_rule(z, lam, a, 1.0)[()]


def mcp_threshold(z, lam: float, gamma: float = 3.0) -> np.ndarray:
    r"""The MCP ("firm") thresholding rule: :math:`\operatorname*{arg\,min}_x \tfrac12(x - z)^2 + P_{\lambda,\gamma}(x)`.

    :math:`S(z, \lambda)/(1 - 1/\gamma)` for :math:`|z| \le \gamma\lambda`, :math:`z` beyond.

    Parameters
    ----------
    z : float or array_like
    lam : float
        :math:`\lambda > 0`.
    gamma : float, default 3.0
        :math:`\gamma > 1`.
    """
    z, lam = _z_and_lam(z, lam)
    gamma = check_real(gamma, "gamma", low=1.0, low_open=True)
    return _mcp_rule(z, lam, gamma, 1.0)[()]


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
        :math:`\lambda > 0`.
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
    w = np.zeros(p) if w0 is None else as_float_array(w0, "w0", ndim=1)
    if w.shape[0] != p:
        raise ValueError(f"w0 must have one entry per column of X ({p}), got {w.shape[0]}")
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
