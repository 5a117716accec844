r"""Norm-constrained least squares: the constrained form of the lasso and of ridge.

Instead of adding a penalty :math:`\lambda\lVert w\rVert` to the loss, the
constrained form restricts the weights to a ball of radius :math:`s`:

.. math::

    \min_{w, b}\; L(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
    \quad\text{subject to}\quad \lVert w\rVert_q \le s, \qquad q \in \{1, 2\},

with the bias :math:`b` unconstrained (fitted by centring). For every
:math:`s` the solution is also the solution of the penalised problem
(lasso for :math:`q = 1`, ridge for :math:`q = 2`) at a matching
:math:`\lambda`, the Lagrange multiplier of the constraint;
:func:`constraint_multiplier` recovers it.

The module provides the two Euclidean projections, the projected-gradient
solver, the multiplier, and the loss on a grid of two weights for contour
plots. Numerics only: it imports numpy and nothing that draws.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real, check_Xy
from .exceptions import ConvergenceWarning
from .penalties import _soft_threshold
from .solvers import FitResult

__all__ = [
    "constrained_least_squares",
    "constraint_multiplier",
    "least_squares_loss_grid",
    "project_l1_ball",
    "project_l2_ball",
]

_NORMS = ("l1", "l2")


def _check_norm(norm) -> str:
    if not isinstance(norm, str):
        raise TypeError(f"norm must be 'l1' or 'l2', got {type(norm).__name__}")
    if norm not in _NORMS:
        raise ValueError(f"norm must be 'l1' or 'l2', got {norm!r}")
    return norm


def _project_l1(v: np.ndarray, s: float) -> np.ndarray:
    """Unvalidated projection onto the L1 ball (the kernel of :func:`project_l1_ball`)."""
    a = np.abs(v)
    if a.sum() <= s:
        return v.copy()
    if s == 0.0:
        return np.zeros_like(v)
    u = np.sort(a)[::-1]
    cumulative = np.cumsum(u) - s
    j = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - cumulative / j > 0)[-1]
    theta = cumulative[rho] / (rho + 1)
    return _soft_threshold(v, theta)


def _project_l2(v: np.ndarray, s: float) -> np.ndarray:
    """Unvalidated projection onto the L2 ball (the kernel of :func:`project_l2_ball`)."""
    norm = np.sqrt(v @ v)
    if norm <= s:
        return v.copy()
    return v * (s / norm)


def project_l1_ball(v, s: float) -> np.ndarray:
    r"""Euclidean projection onto the L1 ball :math:`\{w : \lVert w\rVert_1 \le s\}`.

    .. math::

        P_s(v) = \operatorname*{arg\,min}_{\lVert w\rVert_1 \le s} \tfrac12\lVert w - v\rVert_2^2 .

    A point inside the ball is returned unchanged. Outside it, the projection
    is a soft thresholding, :math:`P_s(v) = S(v, \theta)`, whose threshold
    :math:`\theta > 0` is the one that lands exactly on the sphere,
    :math:`\sum_j \max(|v_j| - \theta, 0) = s`. It is found by the sort-based
    algorithm of Duchi et al. (2008) in :math:`O(p\log p)`: with
    :math:`u = |v|` sorted in decreasing order,

    .. math::

        \rho = \max\Big\{j : u_j - \tfrac1j\Big(\sum_{r \le j} u_r - s\Big) > 0\Big\},
        \qquad \theta = \frac1\rho\Big(\sum_{r \le \rho} u_r - s\Big).

    Parameters
    ----------
    v : array_like of shape (p,)
        The point to project.
    s : float
        Radius :math:`s \ge 0` (``s = 0`` projects onto the origin).

    Returns
    -------
    ndarray of shape (p,)
        A new array, :math:`P_s(v)`.
    """
    v = as_float_array(v, "v", ndim=1)
    s = check_real(s, "s", low=0.0)
    return _project_l1(v, s)


def project_l2_ball(v, s: float) -> np.ndarray:
    r"""Euclidean projection onto the L2 ball :math:`\{w : \lVert w\rVert_2 \le s\}`.

    The closed form: a point inside is unchanged, a point outside is scaled
    back onto the sphere along its own direction,

    .. math::

        P_s(v) = v \cdot \min\Big(1, \frac{s}{\lVert v\rVert_2}\Big).

    Parameters
    ----------
    v : array_like of shape (p,)
    s : float
        Radius :math:`s \ge 0`.

    Returns
    -------
    ndarray of shape (p,)
    """
    v = as_float_array(v, "v", ndim=1)
    s = check_real(s, "s", low=0.0)
    return _project_l2(v, s)


def _centred_quadratic(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    """Return (G, c, const, x_mean, y_mean) with L(w) = ½ wᵀGw − cᵀw + const, the bias profiled out."""
    n = X.shape[0]
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
        X, y = X - x_mean, y - y_mean
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    return X.T @ X / n, X.T @ y / n, float(y @ y) / (2 * n), x_mean, y_mean


def constrained_least_squares(X, y, s: float, *, norm: str = "l1", fit_intercept: bool = True,
                              max_iter: int = 10_000, tol: float = 1e-10, coef_init=None) -> FitResult:
    r"""Least squares with the weights constrained to an L1 or L2 ball, by accelerated projected gradient.

    Solves

    .. math::

        \min_{w, b}\; L(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
        \quad\text{s.t.}\quad \lVert w\rVert_1 \le s \;(\texttt{norm="l1"})
        \;\text{ or }\; \lVert w\rVert_2 \le s \;(\texttt{norm="l2"}).

    The bias is unconstrained: with ``fit_intercept=True`` it is profiled out
    by centring, :math:`b = \bar y - \bar x^\top w`. Each iteration takes a
    gradient step of size :math:`1/L_G` (:math:`L_G` the largest eigenvalue of
    :math:`X_c^\top X_c/n`) from an extrapolated point and projects back onto
    the ball (:func:`project_l1_ball`, :func:`project_l2_ball`),

    .. math::

        w_{k+1} = P_s\big(z_k - \tfrac{1}{L_G}\nabla L(z_k)\big), \qquad
        z_{k+1} = w_{k+1} + \tfrac{t_k - 1}{t_{k+1}}(w_{k+1} - w_k),

    FISTA's momentum (Beck & Teboulle 2009) with the projection as the
    proximal step, restarted whenever the momentum points uphill
    (O'Donoghue & Candès 2015).

    Stopping rule: the Frank–Wolfe gap of the feasible iterate,

    .. math::

        \mathrm{gap}(w) = \max_{\lVert z\rVert \le s} \nabla L(w)^\top (w - z)
        = \nabla L(w)^\top w + s\,\lVert\nabla L(w)\rVert_*,

    with the dual norm :math:`\lVert\cdot\rVert_* = \lVert\cdot\rVert_\infty`
    for the L1 ball and :math:`\lVert\cdot\rVert_2` for the L2 ball. By
    convexity :math:`L(w) - L(w^\star) \le \mathrm{gap}(w)`, so the rule
    :math:`\mathrm{gap}(w) \le \mathrm{tol}\cdot L(0)` certifies the
    objective to that relative accuracy. The certificate grows with
    :math:`s`: when the constraint is inactive it needs
    :math:`\lVert\nabla L\rVert_* \lesssim \mathrm{tol}\cdot L(0)/s`, so do not ask for
    a tolerance near machine precision with a radius far outside the
    least-squares solution.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    s : float
        Radius :math:`s \ge 0` of the constraint.
    norm : {"l1", "l2"}, default "l1"
        Which ball: the lasso's diamond or ridge's sphere.
    fit_intercept : bool, default True
    max_iter : int, default 10000
    tol : float, default 1e-10
        Relative tolerance on the gap (see above).
    coef_init : array_like of shape (p,), optional
        Starting weights (projected onto the ball first); default 0.

    Returns
    -------
    FitResult
        ``gap`` is the final Frank–Wolfe gap (an upper bound on
        :math:`L(w) - L(w^\star)`), ``history`` holds :math:`L(w_k)` per
        iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached before the gap falls below the tolerance.
    """
    X, y = check_Xy(X, y)
    s = check_real(s, "s", low=0.0)
    norm = _check_norm(norm)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    max_iter = check_int(max_iter, "max_iter", low=1)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    p = X.shape[1]
    if coef_init is None:
        w = np.zeros(p)
    else:
        w = as_float_array(coef_init, "coef_init", ndim=1)
        if w.shape != (p,):
            raise ValueError(f"coef_init must have shape ({p},), got {w.shape}")

    G, c, const, x_mean, y_mean = _centred_quadratic(X, y, fit_intercept)
    project = _project_l1 if norm == "l1" else _project_l2
    dual_norm = (lambda g: np.abs(g).max()) if norm == "l1" else (lambda g: np.sqrt(g @ g))
    lipschitz = float(np.linalg.eigvalsh(G)[-1]) if p else 0.0
    step = 1.0 / lipschitz if lipschitz > 0 else 1.0
    threshold = tol * max(const, np.finfo(float).tiny)

    def loss(v: np.ndarray) -> float:
        return 0.5 * float(v @ G @ v) - float(c @ v) + const

    def fw_gap(v: np.ndarray, grad: np.ndarray) -> float:
        return max(float(grad @ v) + s * float(dual_norm(grad)), 0.0)

    w = project(w, s)
    z, t = w.copy(), 1.0
    history = np.empty(max_iter)
    grad = G @ w - c
    gap = fw_gap(w, grad)
    k = 0
    while gap > threshold and k < max_iter:
        w_new = project(z - step * (G @ z - c), s)
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        if (z - w_new) @ (w_new - w) > 0:        # momentum points uphill: restart it
            t_new = 1.0
            z = w_new.copy()
        else:
            z = w_new + ((t - 1.0) / t_new) * (w_new - w)
        w, t = w_new, t_new
        grad = G @ w - c
        gap = fw_gap(w, grad)
        history[k] = loss(w)
        k += 1
    converged = gap <= threshold
    if not converged:
        warnings.warn(f"constrained_least_squares reached max_iter={max_iter} with gap {gap:.3g} > "
                      f"tol*L(0)={threshold:.3g}", ConvergenceWarning, stacklevel=2)
    return FitResult(coef=w, intercept=y_mean - float(x_mean @ w), n_iter=k, gap=float(gap),
                     converged=bool(converged), history=history[:k])


def constraint_multiplier(X, y, coef, *, norm: str = "l1", fit_intercept: bool = True) -> float:
    r"""The Lagrange multiplier :math:`\lambda` of the constraint at a constrained solution.

    At a solution :math:`w^\star` of :func:`constrained_least_squares`, the KKT
    stationarity condition reads :math:`-\nabla L(w^\star) \in \lambda\,\partial\lVert w^\star\rVert_1`
    for the L1 ball, and :math:`\nabla L(w^\star) + \lambda w^\star = 0` for the
    L2 ball written as :math:`\tfrac12\lVert w\rVert_2^2 \le \tfrac12 s^2`. Hence

    .. math::

        \lambda = \lVert\nabla L(w^\star)\rVert_\infty \;(\text{L1}), \qquad
        \lambda = \frac{\lVert\nabla L(w^\star)\rVert_2}{\lVert w^\star\rVert_2} \;(\text{L2}),
        \qquad \nabla L(w) = -\tfrac1n X_c^\top (y_c - X_c w),

    and :math:`w^\star` also minimises the penalised objective with that
    :math:`\lambda`: :math:`L + \lambda\lVert w\rVert_1` (lasso) or
    :math:`L + \frac\lambda2\lVert w\rVert_2^2` (ridge). An inactive
    constraint gives :math:`\lambda = 0`. The formula is meaningful only at a
    solution.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    coef : array_like of shape (p,)
        The constrained solution :math:`w^\star`.
    norm : {"l1", "l2"}, default "l1"
    fit_intercept : bool, default True

    Returns
    -------
    float
        :math:`\lambda \ge 0`; ``inf`` for the L2 ball at :math:`w^\star = 0`
        with a non-zero gradient (no finite multiplier exists when :math:`s = 0`).
    """
    X, y = check_Xy(X, y)
    coef = as_float_array(coef, "coef", ndim=1)
    if coef.shape != (X.shape[1],):
        raise ValueError(f"coef must have shape ({X.shape[1]},), got {coef.shape}")
    norm = _check_norm(norm)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    G, c, *_ = _centred_quadratic(X, y, fit_intercept)
    grad = G @ coef - c
    if norm == "l1":
        return float(np.abs(grad).max())
    grad_norm, w_norm = float(np.sqrt(grad @ grad)), float(np.sqrt(coef @ coef))
    if w_norm == 0.0:
        return 0.0 if grad_norm == 0.0 else float(np.inf)
    return grad_norm / w_norm


def least_squares_loss_grid(X, y, w1, w2, *, fit_intercept: bool = True) -> np.ndarray:
    r"""The loss :math:`L(w) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2` of a two-feature problem on a grid.

    For contour plots of the two-weight picture. With ``fit_intercept=True``
    the bias takes its best value for each :math:`w`, :math:`b = \bar y - \bar x^\top w`,
    so the surface is the quadratic

    .. math::

        L(w) = \tfrac12 w^\top G w - c^\top w + \tfrac{1}{2n}\lVert y_c\rVert_2^2,
        \qquad G = \tfrac1n X_c^\top X_c,\; c = \tfrac1n X_c^\top y_c,

    whose level sets are ellipses centred on the least-squares weights.

    Parameters
    ----------
    X : array_like of shape (n, 2)
    y : array_like of shape (n,)
    w1, w2 : array_like
        Values of the first and second weight, of the same shape (e.g. from
        :func:`numpy.meshgrid`).
    fit_intercept : bool, default True

    Returns
    -------
    ndarray
        :math:`L` at each grid point, of the shape of ``w1``.
    """
    X, y = check_Xy(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns for a two-weight grid, got {X.shape[1]}")
    w1 = as_float_array(w1, "w1", ndim=(0, 1, 2))
    w2 = as_float_array(w2, "w2", ndim=(0, 1, 2))
    if w1.shape != w2.shape:
        raise ValueError(f"w1 and w2 must have the same shape, got {w1.shape} and {w2.shape}")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    G, c, const, *_ = _centred_quadratic(X, y, fit_intercept)
    quadratic = G[0, 0] * w1**2 + 2.0 * G[0, 1] * w1 * w2 + G[1, 1] * w2**2
    return 0.5 * quadratic - (c[0] * w1 + c[1] * w2) + const
