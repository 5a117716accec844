r"""Bias, variance and mean squared error of ridge regression in closed form (fixed design).

The data are :math:`y = Xw^\star + b^\star + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)`, with the
design :math:`X` fixed, and ridge is the course's minimiser of
:math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2` (bias fitted by centring).
With the centred design :math:`X_c = UDV^\top` (thin SVD, :math:`d_1 \ge d_2 \ge \dots`) and the true
weights in its coordinates, :math:`\tilde w^\star = V^\top w^\star`, the estimate is
:math:`\hat w = V\operatorname{diag}\big(d_j/(d_j^2 + n\lambda)\big)U^\top(X_c w^\star + \varepsilon)`, so
coordinate by coordinate

.. math::

    E[\hat{\tilde w}_j] - \tilde w^\star_j = -\frac{n\lambda}{d_j^2 + n\lambda}\,\tilde w^\star_j ,
    \qquad
    \operatorname{Var}[\hat{\tilde w}_j] = \sigma^2\,\frac{d_j^2}{(d_j^2 + n\lambda)^2} .

Summing gives the mean squared error of the weights, :math:`E\lVert\hat w - w^\star\rVert^2` = bias² +
variance (plus :math:`\lVert w^\star\rVert^2 - \lVert\tilde w^\star\rVert^2` of bias when :math:`p > \operatorname{rank} X_c`:
the part of :math:`w^\star` no data can see). Ridge shrinks the poorly determined directions (small :math:`d_j`)
most, trading a little bias for a large cut in variance; :func:`hoerl_kennard_bound` gives a
strength below which the trade always wins (Hoerl & Kennard 1970).

Numerics only (numpy); nothing here imports matplotlib.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_bool, check_per_column, check_real

__all__ = ["RidgeRisk", "hoerl_kennard_bound", "ridge_risk"]


@dataclass(frozen=True)
class RidgeRisk:
    r"""Bias², variance and their sum, the mean squared error, for each strength.

    Attributes
    ----------
    lambdas : ndarray of shape (m,)
    bias2 : ndarray of shape (m,)
        :math:`\lVert E\hat w - w^\star\rVert^2` (``target="coef"``) or
        :math:`\frac1n\lVert E\hat f - f^\star\rVert^2` (``target="fit"``).
    variance : ndarray of shape (m,)
        :math:`E\lVert\hat w - E\hat w\rVert^2`, or :math:`\frac1n E\lVert\hat f - E\hat f\rVert^2`.
    target : str
        ``"coef"`` or ``"fit"``.
    """

    lambdas: np.ndarray
    bias2: np.ndarray
    variance: np.ndarray
    target: str

    @property
    def mse(self) -> np.ndarray:
        """Mean squared error = bias² + variance."""
        return self.bias2 + self.variance


def _svd_coordinates(X, coef, fit_intercept):
    X = as_float_array(X, "X", ndim=2)
    coef = check_per_column(coef, X, "coef")
    if check_bool(fit_intercept, "fit_intercept"):
        X = X - X.mean(axis=0)
    U, d, Vt = np.linalg.svd(X, full_matrices=False)
    keep = d > np.finfo(float).eps * max(X.shape) * (d[0] if d.size else 0.0)
    w_tilde = Vt[keep] @ coef
    unseen = max(float(coef @ coef - w_tilde @ w_tilde), 0.0)       # part of w* outside the row space of X_c
    return X.shape[0], d[keep], w_tilde, unseen


def ridge_risk(X, coef, noise: float, lambdas, *, target: str = "coef", fit_intercept: bool = True) -> RidgeRisk:
    r"""Exact bias², variance and mean squared error of ridge over the noise, for a fixed design.

    With :math:`X_c = UDV^\top`, :math:`\tilde w^\star = V^\top w^\star` and :math:`\lambda_{\text{sum}} = n\lambda`:

    - ``target="coef"`` (the weights):
      :math:`\text{bias}^2 = \sum_j \frac{\lambda_{\text{sum}}^2(\tilde w^\star_j)^2}{(d_j^2 + \lambda_{\text{sum}})^2} + \lVert w^\star\rVert^2 - \lVert\tilde w^\star\rVert^2`,
      :math:`\text{variance} = \sigma^2\sum_j \frac{d_j^2}{(d_j^2 + \lambda_{\text{sum}})^2}`;
    - ``target="fit"`` (the fitted values :math:`\hat f = X\hat w + \hat b` at the design points, against
      :math:`f^\star = Xw^\star + b^\star`, averaged over the :math:`n` points):
      :math:`\text{bias}^2 = \frac1n\sum_j \frac{d_j^2 \lambda_{\text{sum}}^2(\tilde w^\star_j)^2}{(d_j^2 + \lambda_{\text{sum}})^2}`,
      :math:`\text{variance} = \frac{\sigma^2}{n}\Big(\sum_j \frac{d_j^4}{(d_j^2 + \lambda_{\text{sum}})^2} + 1\Big)`, the 1 being
      the fitted bias (the noise mean :math:`\bar\varepsilon`) when ``fit_intercept`` is true.

    At :math:`\lambda = 0` (least squares) the bias is zero when :math:`X_c` has full column rank.
    The expected in-sample prediction error of new responses at the design points is
    ``mse`` (fit) :math:`+ \sigma^2`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    coef : array_like of shape (p,)
        The true weights :math:`w^\star`.
    noise : float
        The noise standard deviation :math:`\sigma \ge 0`.
    lambdas : float or array_like of shape (m,)
        Strengths :math:`\lambda \ge 0`.
    target : {"coef", "fit"}, default "coef"
    fit_intercept : bool, default True

    Returns
    -------
    RidgeRisk
    """
    if target not in ("coef", "fit"):
        raise ValueError(f"target must be 'coef' or 'fit', got {target!r}")
    noise = check_real(noise, "noise", low=0.0)
    lams = as_float_array(lambdas, "lambdas", ndim=(0, 1))
    if np.any(lams < 0):
        raise ValueError(f"lambdas must be >= 0, got {lams.min()}")
    lams = np.atleast_1d(lams)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, d, w_tilde, unseen = _svd_coordinates(X, coef, fit_intercept)
    d2 = d[None, :] ** 2
    lam_sum = n * lams[:, None]
    shrunk = (lam_sum / (d2 + lam_sum)) ** 2 * w_tilde[None, :] ** 2      # squared bias per direction
    spread = d2 / (d2 + lam_sum) ** 2                                    # variance per direction / sigma^2
    if target == "coef":
        bias2 = shrunk.sum(axis=1) + unseen
        variance = noise**2 * spread.sum(axis=1)
    else:
        bias2 = (d2 * shrunk).sum(axis=1) / n
        variance = noise**2 * ((d2 * spread).sum(axis=1) + (1.0 if fit_intercept else 0.0)) / n
    return RidgeRisk(lambdas=lams, bias2=bias2, variance=variance, target=target)


def hoerl_kennard_bound(X, coef, noise: float, *, fit_intercept: bool = True) -> float:
    r"""A strength below which ridge's weights have a smaller mean squared error than least squares'.

    Each term of the weights' mean squared error, :math:`\mathrm{MSE}_j(\lambda_{\text{sum}}) = (\sigma^2 d_j^2 + \lambda_{\text{sum}}^2(\tilde w^\star_j)^2)/(d_j^2 + \lambda_{\text{sum}})^2`
    with :math:`\lambda_{\text{sum}} = n\lambda` (Hoerl and Kennard's :math:`k`), has derivative

    .. math::

        \mathrm{MSE}_j'(\lambda_{\text{sum}}) = \frac{2 d_j^2\,(\lambda_{\text{sum}}(\tilde w^\star_j)^2 - \sigma^2)}{(d_j^2 + \lambda_{\text{sum}})^3} ,

    negative for :math:`\lambda_{\text{sum}} < \sigma^2/(\tilde w^\star_j)^2`. So every term decreases on
    :math:`0 < \lambda_{\text{sum}} < \sigma^2/\max_j(\tilde w^\star_j)^2`, and for every :math:`\lambda` in

    .. math::

        0 < \lambda \le \lambda_{\mathrm{HK}} = \frac{\sigma^2}{n\,\max_j(\tilde w^\star_j)^2}

    ridge beats least squares (Hoerl & Kennard 1970, Theorem 4.3: such a :math:`\lambda` always exists).
    The best :math:`\lambda` is usually larger than this sufficient bound.

    Parameters
    ----------
    X : array_like of shape (n, p)
        A design whose centred form has full column rank (so that least squares is unique).
    coef : array_like of shape (p,)
        :math:`w^\star`, not all zero.
    noise : float
        :math:`\sigma > 0`.
    fit_intercept : bool, default True

    Returns
    -------
    float
        :math:`\lambda_{\mathrm{HK}}`.
    """
    noise = check_real(noise, "noise", low=0.0, low_open=True)
    n, d, w_tilde, unseen = _svd_coordinates(X, coef, fit_intercept)
    if d.size < as_float_array(coef, "coef", ndim=1).shape[0]:
        raise ValueError("X must have full column rank after centring (least squares must be unique)")
    if not np.any(w_tilde):
        raise ValueError("coef must not be all zero (then every lambda > 0 beats least squares)")
    return noise**2 / (n * float(np.max(w_tilde**2)))
