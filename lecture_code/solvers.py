r"""Solvers for the course's penalised least-squares problems.

Every solver minimises, in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
              + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

with :math:`\lambda \ge 0`, :math:`\alpha \in [0, 1]` and the bias :math:`b`
never penalised. With ``fit_intercept=True`` the bias is fitted by centring
``X`` and ``y``; then :math:`b = \bar y - \bar x^\top w`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_bool, check_int, check_real, check_Xy
from .exceptions import ConvergenceWarning


@dataclass(frozen=True)
class FitResult:
    """What a solver returns.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        The weights :math:`w`.
    intercept : float
        The bias :math:`b` (0 when ``fit_intercept=False``).
    n_iter : int
        Iterations performed (0 for closed forms).
    gap : float
        The optimality measure reached when the solver stopped (0 for closed forms).
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    history : ndarray
        The objective :math:`J` after each iteration (empty for closed forms),
        for convergence plots.
    """

    coef: np.ndarray
    intercept: float
    n_iter: int = 0
    gap: float = 0.0
    converged: bool = True
    history: np.ndarray = field(default_factory=lambda: np.empty(0))

    def predict(self, X) -> np.ndarray:
        """Return :math:`\\hat y = Xw + b` for a design matrix ``X`` of shape (m, p)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.shape[0]:
            raise ValueError(f"X must be 2-D with {self.coef.shape[0]} columns, got shape {X.shape}")
        return X @ self.coef + self.intercept


def _centre(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def least_squares(X, y, *, fit_intercept: bool = True) -> FitResult:
    r"""Ordinary least squares: minimise :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2`.

    Solved through the SVD of the (centred) design matrix, which is stable
    even when :math:`X^\top X` is close to singular; when it is singular the
    minimum-norm solution is returned.

    Parameters
    ----------
    X : array_like of shape (n, p)
        Design matrix.
    y : array_like of shape (n,)
        Targets.
    fit_intercept : bool, default True
        Fit the unpenalised bias :math:`b` by centring.

    Returns
    -------
    FitResult
        ``coef`` = :math:`w`, ``intercept`` = :math:`b`.
    """
    X, y = check_Xy(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc, yc, x_mean, y_mean = _centre(X, y, fit_intercept)
    coef, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
    return FitResult(coef=coef, intercept=y_mean - float(x_mean @ coef))


def gradient_descent(X, y, lam: float = 0.0, *, lr: float | None = None, max_iter: int = 10_000,
                     tol: float = 1e-8, fit_intercept: bool = True) -> FitResult:
    r"""Gradient descent on the L2-penalised squared loss, written as weight decay.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`
    (the course objective with :math:`\alpha = 0`; ``lam=0`` is plain least
    squares). With :math:`L(w) = \frac{1}{2n}\lVert y - Xw - b\rVert^2` each step is

    .. math::

        w \leftarrow (1 - \eta\lambda)\, w - \eta \nabla L(w),
        \qquad \nabla L(w) = -\tfrac{1}{n} X^\top (y - Xw - b),

    i.e. the weights first decay by the factor :math:`1 - \eta\lambda`, then
    follow the data gradient. The bias takes a plain gradient step.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float, default 0.0
        :math:`\lambda \ge 0`.
    lr : float, optional
        Step size :math:`\eta`; must satisfy :math:`0 < \eta < 2/L_J` to converge.
        Default :math:`1/L_J` with :math:`L_J = \sigma_{\max}(X)^2/n + \lambda`.
    max_iter : int, default 10000
    tol : float, default 1e-8
        Stop when :math:`\lVert \nabla J\rVert_\infty \le \mathrm{tol}\cdot\max(1, \lVert X^\top y\rVert_\infty / n)`.
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        ``gap`` is the final scaled gradient norm; ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gradient norm reached.
    """
    X, y = check_Xy(X, y)
    lam = check_real(lam, "lam", low=0.0)
    max_iter = check_int(max_iter, "max_iter", low=1)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    lipschitz = np.linalg.norm(X, 2) ** 2 / n + lam + (1.0 if fit_intercept else 0.0)
    lr = 1.0 / lipschitz if lr is None else check_real(lr, "lr", low=0.0, low_open=True)

    w, b = np.zeros(p), 0.0
    scale = max(1.0, np.abs(X.T @ y).max() / n)
    history = np.empty(max_iter)
    grad_norm = np.inf
    for k in range(max_iter):
        residual = y - X @ w - b
        grad_w = -(X.T @ residual) / n
        grad_b = -residual.mean() if fit_intercept else 0.0
        grad_norm = max(np.abs(grad_w + lam * w).max(), abs(grad_b)) / scale
        if grad_norm <= tol:
            history = history[:k]
            break
        w = (1.0 - lr * lam) * w - lr * grad_w
        b = b - lr * grad_b
        history[k] = 0.5 * np.mean((y - X @ w - b) ** 2) + 0.5 * lam * (w @ w)
        if not np.isfinite(history[k]):
            raise FloatingPointError(f"gradient descent diverged at iteration {k + 1}: lr={lr} is too large "
                                     f"(it must be below 2/L = {2.0 / lipschitz:.4g})")
    else:
        k = max_iter
        warnings.warn(f"gradient_descent reached max_iter={max_iter} with scaled gradient norm "
                      f"{grad_norm:.3g} > tol={tol:.3g}", ConvergenceWarning, stacklevel=2)
    return FitResult(coef=w, intercept=float(b), n_iter=k, gap=float(grad_norm),
                     converged=bool(grad_norm <= tol), history=history)
