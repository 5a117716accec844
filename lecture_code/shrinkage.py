r"""Ridge regression seen through the singular value decomposition.

For the ridge objective in the course convention (:math:`\alpha = 0`),

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \frac{\lambda}{2}\lVert w\rVert_2^2,

the bias is removed by centring (:math:`X_c = X - \mathbf 1\bar x^\top`,
:math:`y_c = y - \bar y`) and the weights solve
:math:`(X_c^\top X_c + n\lambda I)\,w = X_c^\top y_c`. With the thin SVD
:math:`X_c = U D V^\top`, :math:`D = \operatorname{diag}(d_1 \ge d_2 \ge \dots)`,
the fitted values are

.. math::

    X_c w = \sum_j u_j \,\frac{d_j^2}{d_j^2 + n\lambda}\, u_j^\top y_c ,

so ridge shrinks the coordinate of :math:`y_c` along each principal direction
:math:`u_j` by the **shrinkage factor** :math:`d_j^2/(d_j^2 + n\lambda)`. Their
sum is the **effective degrees of freedom** :math:`\mathrm{df}(\lambda)`, the
trace of the ridge hat matrix :math:`X_c (X_c^\top X_c + n\lambda I)^{-1} X_c^\top`.
The **condition number** of the ridge system is
:math:`(d_{\max}^2 + n\lambda)/(d_{\min}^2 + n\lambda)`.

Everything here is numerics only (numpy); the solvers live in
:mod:`lecture_code.solvers`. Nothing here forms :math:`X_c^\top X_c` except
:func:`normal_equations_error`, whose purpose is to show what that costs.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_bool

__all__ = ["effective_degrees_of_freedom", "normal_equations_error", "ridge_condition_number", "shrinkage_factors",
           "singular_values"]


def _design(X, fit_intercept) -> np.ndarray:
    X = as_float_array(X, "X", ndim=2)
    if check_bool(fit_intercept, "fit_intercept"):
        X = X - X.mean(axis=0)
    return X


def _lambdas(lam) -> tuple[np.ndarray, bool]:
    """Return λ as a 1-D array and whether it was given as a scalar."""
    lam = as_float_array(lam, "lam", ndim=(0, 1))
    if np.any(lam < 0):
        raise ValueError(f"lam must be >= 0, got {lam.min()}")
    return np.atleast_1d(lam), lam.ndim == 0


def _rank_tolerance(d: np.ndarray, shape: tuple[int, int]) -> float:
    # numpy.linalg.matrix_rank's default: singular values below this are numerically zero.
    return (d.max() if d.size else 0.0) * max(shape) * np.finfo(float).eps


def singular_values(X, *, fit_intercept: bool = True) -> np.ndarray:
    r"""Singular values :math:`d_1 \ge \dots \ge d_k` of the (centred) design matrix, :math:`k = \min(n, p)`.

    Parameters
    ----------
    X : array_like of shape (n, p)
        Design matrix.
    fit_intercept : bool, default True
        Centre the columns first, as the ridge solver does when it fits a bias.

    Returns
    -------
    ndarray of shape (min(n, p),)
        In decreasing order.
    """
    return np.linalg.svd(_design(X, fit_intercept), compute_uv=False)


def shrinkage_factors(X, lam, *, fit_intercept: bool = True) -> np.ndarray:
    r"""The ridge shrinkage factors :math:`d_j^2 / (d_j^2 + n\lambda)`, one per singular direction.

    A factor near 1 means the direction :math:`u_j` is kept almost as least
    squares keeps it; near 0, it is shrunk away. Directions with small
    :math:`d_j` (little spread of the data along them) are shrunk first.
    At :math:`\lambda = 0` a numerically zero :math:`d_j` gets factor 0, the
    minimum-norm least-squares convention.

    Parameters
    ----------
    X : array_like of shape (n, p)
        Design matrix.
    lam : float or array_like of shape (m,)
        Strength(s) :math:`\lambda \ge 0`, course convention.
    fit_intercept : bool, default True
        Centre the columns first (the bias is not penalised).

    Returns
    -------
    ndarray of shape (min(n, p),) for a scalar ``lam``, (m, min(n, p)) for an array
        Factors in the order of decreasing :math:`d_j`, each in :math:`[0, 1]`.
    """
    Xd = _design(X, fit_intercept)
    lams, scalar = _lambdas(lam)
    d = np.linalg.svd(Xd, compute_uv=False)
    n = Xd.shape[0]
    d2 = d**2
    nonzero = d > _rank_tolerance(d, Xd.shape)
    denom = d2[None, :] + n * lams[:, None]
    # 0/0 happens only for a numerically zero d_j at λ = 0; that direction gets factor 0.
    defined = nonzero[None, :] & (denom > 0) | (lams[:, None] > 0)
    factors = np.divide(d2[None, :], denom, out=np.zeros_like(denom), where=defined)
    return factors[0] if scalar else factors


def effective_degrees_of_freedom(X, lam, *, fit_intercept: bool = True) -> float | np.ndarray:
    r"""Effective degrees of freedom of ridge, :math:`\mathrm{df}(\lambda) = \sum_j d_j^2/(d_j^2 + n\lambda)`.

    It equals the trace of the ridge hat matrix
    :math:`H_\lambda = X_c (X_c^\top X_c + n\lambda I)^{-1} X_c^\top`
    (the matrix with :math:`\hat y_c = H_\lambda y_c`), falls from
    :math:`\operatorname{rank}(X_c)` (:math:`= p` for full column rank) at
    :math:`\lambda = 0` towards 0 as :math:`\lambda \to \infty`. The
    unpenalised bias adds one more degree of freedom, not counted here.

    Parameters
    ----------
    X, lam, fit_intercept
        As for :func:`shrinkage_factors`.

    Returns
    -------
    float for a scalar ``lam``, ndarray of shape (m,) for an array
    """
    factors = shrinkage_factors(X, lam, fit_intercept=fit_intercept)
    df = factors.sum(axis=-1)
    return float(df) if np.ndim(df) == 0 else df


def ridge_condition_number(X, lam, *, fit_intercept: bool = True) -> float | np.ndarray:
    r"""Condition number of the ridge system matrix :math:`A_\lambda = X_c^\top X_c + n\lambda I`.

    The eigenvalues of :math:`A_\lambda` are :math:`d_j^2 + n\lambda` (with
    :math:`d_j = 0` for the :math:`p - \min(n, p)` missing directions when
    :math:`p > n`), so

    .. math::

        \kappa(A_\lambda) = \frac{d_{\max}^2 + n\lambda}{d_{\min}^2 + n\lambda},

    which equals :math:`\kappa(X_c)^2` at :math:`\lambda = 0` (forming
    :math:`X^\top X` squares the condition number) and decreases to 1 as
    :math:`\lambda` grows. Computed from the SVD of :math:`X_c`, so it stays
    accurate when :math:`A_0` is too ill-conditioned to be inverted in
    floating point; ``inf`` when :math:`A_0` is exactly singular.

    Parameters and return value as for :func:`effective_degrees_of_freedom`.
    """
    Xd = _design(X, fit_intercept)
    lams, scalar = _lambdas(lam)
    n, p = Xd.shape
    d = np.linalg.svd(Xd, compute_uv=False)
    d_max2 = d[0] ** 2
    d_min2 = d[-1] ** 2 if p <= n else 0.0
    if p <= n and d[-1] <= _rank_tolerance(d, Xd.shape):
        d_min2 = 0.0
    with np.errstate(divide="ignore"):
        kappa = (d_max2 + n * lams) / (d_min2 + n * lams)
    if d_max2 == 0.0:  # X_c = 0: A_λ = nλI is perfectly conditioned (or the zero matrix at λ = 0)
        kappa = np.where(lams > 0, 1.0, np.inf)
    return float(kappa[0]) if scalar else kappa


def normal_equations_error(X, y, lam: float, *, fit_intercept: bool = True) -> float:
    r"""Relative error of ridge weights solved from the normal equations, as textbook code solves them.

    Forms :math:`A_\lambda = X_c^\top X_c + n\lambda I` and solves
    :math:`A_\lambda w = X_c^\top y_c` by LU with partial pivoting (:func:`numpy.linalg.solve`),
    then compares with the solution from the SVD :math:`X_c = UDV^\top`, which never forms
    :math:`X_c^\top X_c`,

    .. math::

        w^\star = \sum_j v_j\,\frac{d_j}{d_j^2 + n\lambda}\,u_j^\top y_c ,
        \qquad
        \mathrm{err} = \frac{\max_j |w_j - w^\star_j|}{\max_j |w^\star_j|} .

    In floating point the error is roughly at most :math:`\kappa(A_\lambda)\,\varepsilon_{\text{mach}}`
    (see :func:`ridge_condition_number`). When :math:`\kappa(A_\lambda) \gtrsim 1/\varepsilon_{\text{mach}}`
    the matrix is singular in floating point: whether elimination then meets an exactly
    zero pivot, and numpy raises ``LinAlgError``, depends on the last bits of the computed
    :math:`A_\lambda`, hence on the BLAS kernel of the machine. Both outcomes mean the same
    thing, so this function returns ``inf`` instead of raising.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0`. At :math:`\lambda = 0` a numerically zero :math:`d_j` is
        left out of :math:`w^\star` (the minimum-norm least-squares solution).
    fit_intercept : bool, default True
        Centre ``X`` and ``y`` first (the bias is not penalised).

    Returns
    -------
    float
        The relative error, ``inf`` when the solve fails; ``0.0`` when :math:`w^\star = 0`
        and the solve returns exactly 0.
    """
    Xd = _design(X, fit_intercept)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != Xd.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {Xd.shape[0]} and {y.shape[0]}")
    if check_bool(fit_intercept, "fit_intercept"):
        y = y - y.mean()
    lams, scalar = _lambdas(lam)
    if not scalar:
        raise ValueError(f"lam must be a single number, got an array of shape {lams.shape}")
    n, p = Xd.shape
    nlam = n * float(lams[0])
    U, d, Vt = np.linalg.svd(Xd, full_matrices=False)
    keep = d > _rank_tolerance(d, Xd.shape) if nlam == 0.0 else np.ones(d.size, dtype=bool)
    w_svd = Vt[keep].T @ (d[keep] / (d[keep] ** 2 + nlam) * (U[:, keep].T @ y))
    try:
        w_normal = np.linalg.solve(Xd.T @ Xd + nlam * np.eye(p), Xd.T @ y)
    except np.linalg.LinAlgError:          # an exactly zero pivot: singular in floating point
        return float("inf")
    scale = np.abs(w_svd).max()
    diff = np.abs(w_normal - w_svd).max()
    if not np.isfinite(diff):
        return float("inf")
    if scale == 0.0:
        return 0.0 if diff == 0.0 else float("inf")
    return float(diff / scale)
