r"""When the lasso selects the right features, and two remedies for its shrinkage bias.

- :func:`irrepresentable_values`: the quantities of the **irrepresentable condition** (Zhao & Yu 2006;
  Meinshausen & Bühlmann 2006). With the true support :math:`A^\star = \{j : w^\star_j \ne 0\}`, the true signs
  :math:`\operatorname{sign}(w^\star_{A^\star})` and the Gram (or population covariance) matrix :math:`C`, the lasso
  can recover :math:`A^\star` with the right signs only if

  .. math::

      \psi_j = \big|\,C_{jA^\star}\,C_{A^\star A^\star}^{-1}\operatorname{sign}(w^\star_{A^\star})\,\big| < 1
      \qquad\text{for every } j \notin A^\star ;

  :math:`C_{jA^\star}C_{A^\star A^\star}^{-1}` are the coefficients of the regression of feature :math:`j` on the relevant
  features. (Necessary, and together with a large enough smallest signal sufficient.)
- :func:`relaxed_lasso` (Meinshausen 2007): select with the lasso at :math:`\lambda`, then refit on the
  selected features with the smaller penalty :math:`\phi\lambda`, :math:`0 \le \phi \le 1` (:math:`\phi = 0`:
  least squares on the selection, which removes the shrinkage of the kept weights);
  :func:`refit_on_support` does :math:`\phi = 0` for many fits at once.
- :func:`adaptive_lasso` (Zou 2006): the weighted lasso
  :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda\sum_j |w_j|/|\hat w^{\text{init}}_j|^\gamma` with an
  initial estimate :math:`\hat w^{\text{init}}` (least squares by default): large initial weights are penalised little, small ones a lot.
- :func:`ols_pvalues`: the textbook two-sided t-test p-values of least-squares weights, valid for a
  model fixed in advance, **not** for one chosen by looking at the same data.

Numerics only (numpy; scipy is imported by :func:`ols_pvalues` alone, for the t distribution).

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_bool, check_per_column, check_real, check_Xy
from .solvers import FitResult, coordinate_descent, least_squares

__all__ = ["adaptive_lasso", "irrepresentable_values", "ols_pvalues", "refit_on_support", "relaxed_lasso"]


def irrepresentable_values(gram, support, signs) -> np.ndarray:
    r"""The irrepresentable-condition values :math:`\psi_j = |C_{jA^\star}C_{A^\star A^\star}^{-1}\operatorname{sign}(w^\star_{A^\star})|`,
    one per feature outside the true support :math:`A^\star`.

    Parameters
    ----------
    gram : array_like of shape (p, p)
        A symmetric positive semi-definite matrix: :math:`X_c^\top X_c/n` (sample) or :math:`\Sigma`
        (population covariance); :math:`C_{A^\star A^\star}` must be invertible.
    support : array_like of int
        The indices :math:`A^\star` of the relevant features (distinct, non-empty).
    signs : array_like of shape (|A*|,)
        Their signs :math:`\operatorname{sign}(w^\star_{A^\star})`, each +1 or -1.

    Returns
    -------
    ndarray of shape (p - |A*|,)
        :math:`\psi_j` for the features outside :math:`A^\star`, in increasing index order. The condition holds when
        all are below 1.
    """
    C = as_float_array(gram, "gram", ndim=2)
    p = C.shape[0]
    if C.shape != (p, p) or not np.allclose(C, C.T, rtol=1e-10, atol=1e-12):
        raise ValueError(f"gram must be a symmetric square matrix, got shape {C.shape}")
    S = np.asarray(support)
    if S.ndim != 1 or S.size == 0 or not np.issubdtype(S.dtype, np.integer):
        raise ValueError("support must be a non-empty 1-D array of integer indices")
    if np.any(S < 0) or np.any(S >= p) or np.unique(S).size != S.size:
        raise ValueError(f"support must hold distinct indices in [0, {p - 1}]")
    s = as_float_array(signs, "signs", ndim=1)
    if s.shape != S.shape or not np.all(np.abs(s) == 1):
        raise ValueError(f"signs must hold {S.size} entries, each +1 or -1")
    outside = np.setdiff1d(np.arange(p), S)
    try:
        direction = np.linalg.solve(C[np.ix_(S, S)], s)
    except np.linalg.LinAlgError as err:
        raise ValueError("gram restricted to the support must be invertible") from err
    return np.abs(C[np.ix_(outside, S)] @ direction)


def relaxed_lasso(X, y, lam: float, phi: float, *, tol: float = 1e-10, max_iter: int = 100_000) -> FitResult:
    r"""The relaxed lasso: select with the lasso at :math:`\lambda`, refit the selection with :math:`\phi\lambda`.

    With :math:`A = \{j : \hat w_j(\lambda) \ne 0\}` the lasso's selection, the relaxed estimate minimises

    .. math::

        \frac{1}{2n}\lVert y - X_A w_A - b\rVert_2^2 + \phi\lambda\lVert w_A\rVert_1 , \qquad w_{A^c} = 0 ,

    with :math:`0 \le \phi \le 1`: :math:`\phi = 1` is the lasso, :math:`\phi = 0` least squares on the selected
    features (Meinshausen 2007). Selection and shrinkage get separate knobs.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda > 0`, the selection strength.
    phi : float
        :math:`\phi \in [0, 1]`, the relaxation.
    tol, max_iter
        Passed to :func:`lecture_code.solvers.coordinate_descent`.

    Returns
    -------
    FitResult
        ``coef`` of length p, zero outside the selection.
    """
    X, y = check_Xy(X, y)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    phi = check_real(phi, "phi", low=0.0, high=1.0)
    selection = coordinate_descent(X, y, lam, tol=tol, max_iter=max_iter)
    A = np.flatnonzero(selection.coef)
    coef = np.zeros(X.shape[1])
    if A.size == 0:
        return FitResult(coef=coef, intercept=float(y.mean()))
    if phi == 0.0:
        refit = least_squares(X[:, A], y)
    else:
        refit = coordinate_descent(X[:, A], y, phi * lam, tol=tol, max_iter=max_iter)
    coef[A] = refit.coef
    return FitResult(coef=coef, intercept=refit.intercept, n_iter=refit.n_iter, gap=refit.gap,
                     converged=refit.converged)


def refit_on_support(X, Y, coefs, *, fit_intercept: bool = True) -> tuple[np.ndarray, np.ndarray]:
    r"""Least squares on each fit's own support: the relaxed lasso with :math:`\phi = 0`, for many responses.

    Parameters
    ----------
    X : array_like of shape (n, p)
    Y : array_like of shape (n, R)
        One response per column.
    coefs : array_like of shape (p, R)
        The selecting fits (e.g. lasso weights); column ``r``'s non-zeros are the support refitted to ``Y[:, r]``.
    fit_intercept : bool, default True

    Returns
    -------
    coefs, intercepts : ndarray of shapes (p, R) and (R,)
        Zero outside each support; an empty support gives the mean of the response (or 0).
    """
    X = as_float_array(X, "X", ndim=2)
    Y = as_float_array(Y, "Y", ndim=2)
    W = as_float_array(coefs, "coefs", ndim=2)
    if Y.shape[0] != X.shape[0] or W.shape != (X.shape[1], Y.shape[1]):
        raise ValueError(f"expected Y of shape ({X.shape[0]}, R) and coefs of shape ({X.shape[1]}, R), "
                         f"got {Y.shape} and {W.shape}")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = Y.mean(axis=0) if fit_intercept else np.zeros(Y.shape[1])
    Xc, Yc = X - x_mean, Y - y_mean
    out = np.zeros_like(W)
    patterns, inverse = np.unique((W != 0).T, axis=0, return_inverse=True)
    for k, pattern in enumerate(patterns):                  # one least-squares solve per distinct support
        A = np.flatnonzero(pattern)
        cols = np.flatnonzero(inverse.ravel() == k)
        if A.size:
            out[np.ix_(A, cols)] = np.linalg.lstsq(Xc[:, A], Yc[:, cols], rcond=None)[0]
    return out, y_mean - x_mean @ out


def adaptive_lasso(X, y, lam: float, *, gamma: float = 1.0, initial=None, tol: float = 1e-10,
                   max_iter: int = 100_000) -> FitResult:
    r"""The adaptive lasso: penalty factors :math:`v_j = 1/|\hat w^{\text{init}}_j|^\gamma` from an initial estimate.

    Minimises :math:`\frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\sum_j v_j|w_j|` (Zou 2006). A feature whose
    initial weight is exactly 0 has an infinite penalty and stays out. Solved as a plain lasso on the
    rescaled columns :math:`x_j/v_j`, whose weight on column :math:`j` is :math:`v_jw_j`: its absolute value is the
    penalty term :math:`v_j|w_j|`, and dividing it by :math:`v_j` gives :math:`w_j`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda > 0`, the strength of the weighted L1 penalty.
    gamma : float, default 1.0
        :math:`\gamma > 0`.
    initial : array_like of shape (p,), optional
        :math:`\hat w^{\text{init}}`; default the least-squares weights (which needs :math:`n > p`).
    tol, max_iter
        Passed to :func:`lecture_code.solvers.coordinate_descent`.

    Returns
    -------
    FitResult
    """
    X, y = check_Xy(X, y)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    gamma = check_real(gamma, "gamma", low=0.0, low_open=True)
    if initial is None:
        initial = least_squares(X, y).coef
    initial = check_per_column(initial, X, "initial")
    coef = np.zeros(X.shape[1])
    keep = np.flatnonzero(initial)
    if keep.size == 0:
        return FitResult(coef=coef, intercept=float(y.mean()))
    scale = np.abs(initial[keep]) ** gamma                   # 1 / v_j
    fit = coordinate_descent(X[:, keep] * scale, y, lam, tol=tol, max_iter=max_iter)
    coef[keep] = fit.coef * scale
    return FitResult(coef=coef, intercept=fit.intercept, n_iter=fit.n_iter, gap=fit.gap, converged=fit.converged)


def ols_pvalues(X, y, *, fit_intercept: bool = True) -> np.ndarray:
    r"""Two-sided p-values of the classical t-tests :math:`H_0: w_j = 0` in a least-squares fit.

    With :math:`\hat\sigma^2 = \mathrm{RSS}/(n - k)` (:math:`k` = number of columns, plus one for the bias) and
    :math:`\mathrm{se}_j = \hat\sigma\sqrt{[(X_c^\top X_c)^{-1}]_{jj}}`, the statistic :math:`\hat w_j/\mathrm{se}_j` has a
    :math:`t_{n-k}` distribution under :math:`H_0` **when the columns were chosen before seeing** :math:`y`.

    Parameters
    ----------
    X : array_like of shape (n, q)
        Full column rank after centring, :math:`n > q + 1`.
    y : array_like of shape (n,)
    fit_intercept : bool, default True

    Returns
    -------
    ndarray of shape (q,)
    """
    from scipy import stats

    X, y = check_Xy(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if fit_intercept:
        X, y = X - X.mean(axis=0), y - y.mean()
    n, q = X.shape
    dof = n - q - (1 if fit_intercept else 0)
    if dof < 1:
        raise ValueError(f"need more samples than parameters: n = {n}, {n - dof} parameters")
    Q, R = np.linalg.qr(X)
    if np.abs(np.diag(R)).min() <= np.finfo(float).eps * max(X.shape) * np.abs(np.diag(R)).max():
        raise ValueError("X must have full column rank (after centring)")
    coef = np.linalg.solve(R, Q.T @ y)
    resid = y - X @ coef
    sigma2 = resid @ resid / dof
    R_inv = np.linalg.inv(R)
    se = np.sqrt(sigma2 * np.sum(R_inv**2, axis=1))          # diag((X'X)^-1) = row norms of R^-1
    return 2 * stats.t.sf(np.abs(coef / se), dof)
