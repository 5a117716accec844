r"""Degrees of freedom of a fitting procedure: the covariance definition, its Monte Carlo estimate, and Cp.

For data :math:`y = y^\star + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)`, and a procedure that returns
fitted values :math:`\hat y(y)`, the degrees of freedom are (Efron 1986; Efron 2004)

.. math::

    \mathrm{df} = \frac{1}{\sigma^2}\sum_{i=1}^n \operatorname{cov}(\hat y_i, y_i) .

For least squares with :math:`m` parameters it is :math:`m`; for any linear smoother :math:`\hat y = Hy` it is
:math:`\operatorname{tr}H` (for ridge, one for the bias plus :math:`\sum_j d_j^2/(d_j^2 + n\lambda)`); for the lasso
at a fixed :math:`\lambda`, the number of non-zero weights is an unbiased estimate of it (Zou, Hastie &
Tibshirani 2007), one more with the fitted bias. With df, **Mallows' Cp** estimates the in-sample
prediction error :math:`\frac1n E\lVert y^{\text{new}} - \hat y\rVert^2` without a test set:

.. math::

    C_p = \frac1n\lVert y - \hat y\rVert^2 + \frac{2\sigma^2}{n}\,\mathrm{df} .

Numerics only (numpy); nothing here imports matplotlib.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real

__all__ = ["covariance_df", "lasso_df_estimate", "mallows_cp"]


def covariance_df(fitted, Y, mean, noise: float, *, reference=None) -> tuple[float, float]:
    r"""Monte Carlo estimate of :math:`\mathrm{df} = \sum_i\operatorname{cov}(\hat y_i, y_i)/\sigma^2`, with its standard error.

    ``Y`` holds :math:`R` independent draws :math:`y^{(r)} = y^\star + \varepsilon^{(r)}` as columns and ``fitted``
    the procedure's fitted values :math:`\hat y^{(r)}` for each. Because :math:`E[y - y^\star] = 0`, each draw gives
    an unbiased term

    .. math::

        \frac{1}{\sigma^2}\,(y^{(r)} - y^\star)^\top\big(\hat y^{(r)} - \text{reference}\big)

    for **any** fixed vector ``reference``; the estimate is the mean of the :math:`R` terms and its
    standard error their standard deviation over :math:`\sqrt R`. Taking for ``reference`` the fit
    :math:`\hat y(y^\star)` to the noiseless :math:`y^\star` leaves the mean unchanged and removes most of the
    Monte Carlo noise (a control variate): with the default 0 every term carries
    :math:`\varepsilon^{(r)\top}\hat y(y^\star)/\sigma^2`, of variance :math:`\lVert\hat y(y^\star)\rVert^2/\sigma^2`.

    Parameters
    ----------
    fitted : array_like of shape (n, R)
        :math:`\hat y^{(r)}`, one column per draw.
    Y : array_like of shape (n, R)
        The draws :math:`y^{(r)}`.
    mean : array_like of shape (n,)
        :math:`y^\star`, the true mean response the draws were made around.
    noise : float
        :math:`\sigma > 0`, the noise standard deviation of the draws.
    reference : array_like of shape (n,), optional
        Any fixed vector, best :math:`\hat y(y^\star)`; default 0.

    Returns
    -------
    df, se : float
    """
    fitted = as_float_array(fitted, "fitted", ndim=2)
    Y = as_float_array(Y, "Y", ndim=2)
    if fitted.shape != Y.shape:
        raise ValueError(f"fitted and Y must have the same shape, got {fitted.shape} and {Y.shape}")
    n, R = Y.shape
    if R < 2:
        raise ValueError(f"Y must hold at least 2 draws (columns) for a standard error, got {R}")
    mean = as_float_array(mean, "mean", ndim=1)
    if mean.shape != (n,):
        raise ValueError(f"mean must have shape ({n},), got {mean.shape}")
    noise = check_real(noise, "noise", low=0.0, low_open=True)
    ref = np.zeros(n) if reference is None else as_float_array(reference, "reference", ndim=1)
    if ref.shape != (n,):
        raise ValueError(f"reference must have shape ({n},), got {ref.shape}")
    terms = np.einsum("nr,nr->r", Y - mean[:, None], fitted - ref[:, None]) / noise**2
    return float(terms.mean()), float(terms.std(ddof=1) / np.sqrt(R))


def lasso_df_estimate(coefs, *, fit_intercept: bool = True) -> np.ndarray:
    r"""The unbiased estimate of the lasso's degrees of freedom: the number of non-zero weights (+1 for the bias).

    Zou, Hastie & Tibshirani (2007) show that for the lasso at a fixed :math:`\lambda`,
    :math:`\widehat{\mathrm{df}} = |\{j : \hat w_j \ne 0\}|` satisfies :math:`E[\widehat{\mathrm{df}}] = \mathrm{df}`
    (for a design in general position). The unpenalised bias, fitted by centring, adds exactly 1.

    Parameters
    ----------
    coefs : array_like of shape (p,) or (p, R)
        Lasso weights, one column per fit.
    fit_intercept : bool, default True

    Returns
    -------
    ndarray of shape () or (R,)
        The count for each fit.
    """
    coefs = as_float_array(coefs, "coefs", ndim=(1, 2))
    return np.count_nonzero(coefs, axis=0) + (1 if check_bool(fit_intercept, "fit_intercept") else 0)


def mallows_cp(rss, df, noise_var: float, n: int) -> np.ndarray:
    r"""Mallows' :math:`C_p` in the course's per-sample scale: :math:`\frac{\mathrm{RSS}}{n} + \frac{2\sigma^2}{n}\mathrm{df}`.

    It is an unbiased estimate of the in-sample prediction error
    :math:`\frac1n E\lVert y^{\text{new}} - \hat y\rVert^2` (new responses at the same design points) when df is the
    procedure's degrees of freedom and :math:`\sigma^2` the true noise variance (or an unbiased estimate
    from a low-bias model, such as least squares' :math:`\mathrm{RSS}/(n - p - 1)`).

    Parameters
    ----------
    rss : float or array_like
        Residual sums of squares :math:`\lVert y - \hat y\rVert^2`.
    df : float or array_like
        Degrees of freedom, broadcastable against ``rss``.
    noise_var : float
        :math:`\sigma^2 > 0`.
    n : int
        Number of samples.

    Returns
    -------
    ndarray
    """
    rss = as_float_array(rss, "rss", ndim=(0, 1, 2))
    df = as_float_array(df, "df", ndim=(0, 1, 2))
    if np.any(rss < 0) or np.any(df < 0):
        raise ValueError("rss and df must be >= 0")
    noise_var = check_real(noise_var, "noise_var", low=0.0, low_open=True)
    n = check_int(n, "n", low=1)
    return rss / n + 2.0 * noise_var * df / n
