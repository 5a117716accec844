r"""Closed forms: :func:`least_squares` (SVD) and :func:`ridge` (thin SVD, any :math:`\lambda`).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, check_Xy
from ._problem import _centre, _check_penalty, _exact_gap
from .results import FitResult

__all__ = ["least_squares", "ridge"]


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
    prob = _centre(X, y, fit_intercept)
    coef, *_ = np.linalg.lstsq(prob.X, prob.y, rcond=None)
    return FitResult(coef=coef, intercept=prob.intercept(coef))


def _ridge_coefs(X: np.ndarray, y: np.ndarray, lams: np.ndarray) -> np.ndarray:
    r"""Ridge weights for each :math:`\lambda` in ``lams``, as columns, from one thin SVD.

    With :math:`X = U\Sigma V^\top`, :math:`(X^\top X + n\lambda I)^{-1}X^\top y
    = V\,\mathrm{diag}\big(\sigma_i/(\sigma_i^2 + n\lambda)\big)\,U^\top y`: no
    inverse is formed, and the thin SVD costs :math:`O(np\min(n, p))`, so it
    works on the smaller of :math:`X^\top X` and :math:`XX^\top` by itself.
    At :math:`\lambda = 0` tiny singular values are dropped (minimum-norm
    least squares).
    """
    n = X.shape[0]
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > np.finfo(float).eps * max(X.shape) * (s[0] if s.size else 0.0)
    s = np.where(keep, s, 0.0)
    denom = s[:, None] ** 2 + n * lams[None, :]
    shrink = np.divide(s[:, None], denom, out=np.zeros_like(denom), where=keep[:, None])
    return Vt.T @ (shrink * (U.T @ y)[:, None])


def ridge(X, y, lam: float, *, fit_intercept: bool = True) -> FitResult:
    r"""Ridge regression in closed form: :math:`w = (X^\top X + n\lambda I)^{-1}X^\top y` (centred data).

    Minimises the course objective with :math:`\alpha = 0`,

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \frac{\lambda}{2}\lVert w\rVert_2^2,

    which is scikit-learn's ``Ridge(alpha=n·λ)``. The solution is computed
    from the thin SVD :math:`X = U\Sigma V^\top` as
    :math:`w = V\,\mathrm{diag}\big(\sigma_i/(\sigma_i^2 + n\lambda)\big)U^\top y`:
    numerically stable, no matrix is inverted, and the cost
    :math:`O(np\min(n, p))` automatically uses the cheaper side when
    :math:`p > n`. ``lam=0`` gives minimum-norm least squares.

    Parameters
    ----------
    X, y, fit_intercept
        As for :func:`least_squares`.
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    FitResult
        ``gap`` is the relative duality gap of the computed solution (rounding
        level; 0 at ``lam=0``).
    """
    X, y = check_Xy(X, y)
    lam, _ = _check_penalty(lam, 0.0)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    prob = _centre(X, y, fit_intercept)
    w = _ridge_coefs(prob.X, prob.y, np.array([lam]))[:, 0]
    gap = prob.relative(_exact_gap(prob, w, lam, 0.0)[0]) if lam > 0 else 0.0
    return FitResult(coef=w, intercept=prob.intercept(w), gap=gap)
