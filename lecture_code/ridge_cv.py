r"""Leave-one-out and generalized cross-validation of ridge in closed form: choosing λ without refitting.

Ridge is a **linear smoother**: its fitted values are :math:`\hat y = H_\lambda y` with the hat matrix
(bias fitted by centring, :math:`X_c = UDV^\top` the thin SVD of the centred design)

.. math::

    H_\lambda = \tfrac1n\mathbf 1\mathbf 1^\top + X_c\,(X_c^\top X_c + n\lambda I)^{-1}X_c^\top ,
    \qquad
    h_{ii}(\lambda) = \frac1n + \sum_j U_{ij}^2\,\frac{d_j^2}{d_j^2 + n\lambda} .

For penalised least squares with a quadratic penalty, removing point :math:`i` and refitting gives a
prediction at :math:`x_i` whose residual is the ordinary residual inflated by :math:`1/(1 - h_{ii})`:

.. math::

    y_i - \hat y_i^{(-i)} = \frac{y_i - \hat y_i}{1 - h_{ii}}

(Sherman–Morrison). The identity is exact when the refit on :math:`n - 1` points keeps the penalty of the
sum form, :math:`\lambda_{\text{sum}} = n\lambda`, i.e. uses :math:`\lambda' = n\lambda/(n - 1)` in the course's
:math:`1/(2n)` convention. So the whole leave-one-out curve costs one SVD. **Generalized
cross-validation** (Golub, Heath & Wahba 1979) replaces each :math:`h_{ii}` by their mean
:math:`\operatorname{tr}(H_\lambda)/n`:

.. math::

    \mathrm{GCV}(\lambda) = \frac{\frac1n\lVert y - \hat y\rVert^2}{\big(1 - \operatorname{tr}(H_\lambda)/n\big)^2},
    \qquad \operatorname{tr}(H_\lambda) = 1 + \sum_j \frac{d_j^2}{d_j^2 + n\lambda} .

Numerics only (numpy); nothing here imports matplotlib.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_bool, check_Xy

__all__ = ["RidgeCVCurves", "ridge_cv_curves", "ridge_hat_diagonal", "ridge_loo_residuals"]


def _lambdas(lambdas) -> np.ndarray:
    lams = as_float_array(lambdas, "lambdas", ndim=(0, 1))
    if np.any(lams < 0):
        raise ValueError(f"lambdas must be >= 0, got {lams.min()}")
    return np.atleast_1d(lams)


def _smoother(X, lams, fit_intercept):
    """Centred design's U and the shrinkage factors d^2/(d^2 + n lam), one row per lambda."""
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc = X - X.mean(axis=0) if fit_intercept else X
    n = X.shape[0]
    U, d, _ = np.linalg.svd(Xc, full_matrices=False)
    keep = d > np.finfo(float).eps * max(X.shape) * (d[0] if d.size else 0.0)
    U, d2 = U[:, keep], d[keep] ** 2
    factors = d2[None, :] / (d2[None, :] + n * lams[:, None])
    return U, factors, fit_intercept


def ridge_hat_diagonal(X, lambdas, *, fit_intercept: bool = True) -> np.ndarray:
    r"""The leverages :math:`h_{ii}(\lambda)`, the diagonal of the ridge hat matrix, for each :math:`\lambda`.

    :math:`h_{ii} = \frac1n + \sum_j U_{ij}^2\,d_j^2/(d_j^2 + n\lambda)` (the :math:`1/n` only with
    ``fit_intercept``); their sum is :math:`\operatorname{tr}(H_\lambda)`, one plus the effective degrees of
    freedom of :func:`lecture_code.shrinkage.effective_degrees_of_freedom`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    lambdas : float or array_like of shape (m,)
        :math:`\lambda \ge 0`.
    fit_intercept : bool, default True

    Returns
    -------
    ndarray of shape (m, n)
    """
    X = as_float_array(X, "X", ndim=2)
    U, factors, fit_intercept = _smoother(X, _lambdas(lambdas), fit_intercept)
    return factors @ (U**2).T + (1.0 / X.shape[0] if fit_intercept else 0.0)


def _fitted(U, factors, y, fit_intercept) -> np.ndarray:
    y_mean = y.mean() if fit_intercept else 0.0
    return y_mean + (factors * (U.T @ (y - y_mean))[None, :]) @ U.T          # (m, n)


def ridge_loo_residuals(X, y, lambdas, *, fit_intercept: bool = True) -> np.ndarray:
    r"""Leave-one-out residuals :math:`y_i - \hat y_i^{(-i)} = (y_i - \hat y_i)/(1 - h_{ii})` of ridge, without refitting.

    Each equals the residual at point :math:`i` of ridge refitted on the other :math:`n - 1` points with
    the same sum-form penalty :math:`n\lambda\lVert w\rVert^2` (course strength :math:`n\lambda/(n-1)`).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lambdas : float or array_like of shape (m,)
        :math:`\lambda \ge 0`; at :math:`\lambda = 0` a point with leverage 1 has no finite residual.
    fit_intercept : bool, default True

    Returns
    -------
    ndarray of shape (m, n)
    """
    X, y = check_Xy(X, y)
    U, factors, fit_intercept = _smoother(X, _lambdas(lambdas), fit_intercept)
    h = factors @ (U**2).T + (1.0 / X.shape[0] if fit_intercept else 0.0)
    return (y[None, :] - _fitted(U, factors, y, fit_intercept)) / (1.0 - h)


@dataclass(frozen=True)
class RidgeCVCurves:
    r"""Leave-one-out and GCV estimates of the prediction error of ridge along a grid of :math:`\lambda`.

    Attributes
    ----------
    lambdas : ndarray of shape (m,)
    loo : ndarray of shape (m,)
        Mean squared leave-one-out residual.
    loo_se : ndarray of shape (m,)
        Its standard error, the standard deviation of the :math:`n` squared residuals over :math:`\sqrt n`.
    gcv : ndarray of shape (m,)
    trace : ndarray of shape (m,)
        :math:`\operatorname{tr}(H_\lambda)`, the degrees of freedom of the fit (the bias included).
    """

    lambdas: np.ndarray
    loo: np.ndarray
    loo_se: np.ndarray
    gcv: np.ndarray
    trace: np.ndarray

    @property
    def best_loo(self) -> int:
        """Index of the smallest leave-one-out error."""
        return int(np.argmin(self.loo))

    @property
    def best_gcv(self) -> int:
        """Index of the smallest GCV value."""
        return int(np.argmin(self.gcv))


def ridge_cv_curves(X, y, lambdas, *, fit_intercept: bool = True) -> RidgeCVCurves:
    r"""Leave-one-out error and GCV of ridge for every :math:`\lambda` of a grid, from one SVD.

    .. math::

        \mathrm{LOO}(\lambda) = \frac1n\sum_i\Big(\frac{y_i - \hat y_i}{1 - h_{ii}}\Big)^2 ,
        \qquad
        \mathrm{GCV}(\lambda) = \frac{\frac1n\sum_i (y_i - \hat y_i)^2}{(1 - \operatorname{tr}H_\lambda/n)^2} .

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lambdas : float or array_like of shape (m,)
        :math:`\lambda \ge 0`.
    fit_intercept : bool, default True

    Returns
    -------
    RidgeCVCurves
    """
    X, y = check_Xy(X, y)
    lams = _lambdas(lambdas)
    U, factors, fit_intercept = _smoother(X, lams, fit_intercept)
    n = X.shape[0]
    h = factors @ (U**2).T + (1.0 / n if fit_intercept else 0.0)
    resid = y[None, :] - _fitted(U, factors, y, fit_intercept)
    loo_sq = (resid / (1.0 - h)) ** 2
    trace = h.sum(axis=1)
    gcv = np.mean(resid**2, axis=1) / (1.0 - trace / n) ** 2
    return RidgeCVCurves(lambdas=lams, loo=loo_sq.mean(axis=1), loo_se=loo_sq.std(axis=1, ddof=1) / np.sqrt(n),
                         gcv=gcv, trace=trace)
