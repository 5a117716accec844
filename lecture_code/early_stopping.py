r"""Early stopping as regularization: gradient descent from zero is a spectral filter, like ridge.

Gradient descent on the unpenalised loss :math:`L(w) = \frac{1}{2n}\lVert y_c - X_c w\rVert^2` with step
:math:`\eta`, started at :math:`w_0 = 0`, is linear in :math:`y`. With the thin SVD
:math:`X_c = UDV^\top` the step :math:`w_{k+1} = w_k + \frac{\eta}{n}X_c^\top(y_c - X_c w_k)` acts on each
singular direction separately, and after :math:`k` steps

.. math::

    w_k = V\operatorname{diag}\Big(\frac{f_j^{(k)}}{d_j}\Big)U^\top y_c ,
    \qquad
    f_j^{(k)} = 1 - \Big(1 - \frac{\eta d_j^2}{n}\Big)^k ,

while ridge has the same form with the factor :math:`f_j = d_j^2/(d_j^2 + n\lambda)`. Both keep the
well-determined directions (large :math:`d_j`: both factors near 1) and suppress the poorly determined
ones (small :math:`d_j`: :math:`f^{(k)}_j \approx k\eta d_j^2/n` and :math:`f_j \approx d_j^2/(n\lambda)`). The two
small-:math:`d_j` slopes agree when

.. math::

    \lambda = \frac{1}{\eta k} ,

so the number of steps plays the role of :math:`1/\lambda`.

Numerics only (numpy); nothing here imports matplotlib.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real, check_Xy

__all__ = ["equivalent_lambda", "gradient_descent_filter", "gradient_descent_iterates", "ridge_filter"]


def _nonnegative(values, name: str) -> np.ndarray:
    arr = as_float_array(values, name, ndim=(0, 1))
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {arr.min()}")
    return arr


def gradient_descent_filter(d, n: int, lr: float, k) -> np.ndarray:
    r"""The filter factors :math:`1 - (1 - \eta d_j^2/n)^k` of :math:`k` gradient-descent steps from :math:`w = 0`.

    Computed as :math:`-\operatorname{expm1}(k\log(1 - \eta d_j^2/n))` where :math:`\eta d_j^2/n \le 1`, which stays
    accurate for the tiny :math:`\eta d_j^2/n` of ill-conditioned designs and for very large :math:`k`.

    Parameters
    ----------
    d : float or array_like of shape (q,)
        Singular values :math:`d_j \ge 0` of the centred design.
    n : int
        Number of samples.
    lr : float
        The step :math:`\eta > 0`; the iteration converges when :math:`\eta d_j^2/n < 2` for every :math:`j`.
    k : float or array_like of shape (m,)
        Numbers of steps :math:`k \ge 0` (real values give gradient flow at time :math:`\eta k`).

    Returns
    -------
    ndarray of shape (m, q), squeezed to the shapes given (scalar ``k``: shape (q,))
    """
    d = _nonnegative(d, "d")
    n = check_int(n, "n", low=1)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    ks = _nonnegative(k, "k")
    a = lr * np.atleast_1d(d) ** 2 / n
    if np.any(a >= 2):
        raise ValueError(f"lr is too large: lr * d_max^2 / n = {a.max():.3g} must be < 2 for gradient descent to converge")
    kk = np.atleast_1d(ks)[:, None]
    # a <= 1 (within rounding: the usual step 1/M gives a_1 = 1): 1 - (1 - a)^k, accurately for tiny a.
    below = a <= 1.0 + 1e-12
    with np.errstate(divide="ignore"):
        out = -np.expm1(kk * np.log1p(-np.minimum(a, 1.0))[None, :])
    if not np.all(below):
        # 1 < a < 2: the base 1 - a is negative, so (1 - a)^k needs a whole number of steps.
        if np.any(kk != np.round(kk)):
            raise ValueError("k must hold whole numbers of steps when lr * d_j^2 / n > 1 for some j")
        parity = np.where(np.round(kk) % 2 == 0, 1.0, -1.0)
        large = 1.0 - parity * np.power(np.abs(1.0 - a[None, :]), kk)
        out = np.where(below[None, :], out, large)
    if ks.ndim == 0:
        out = out[0]
    return out if np.ndim(d) else out[..., 0]


def ridge_filter(d, n: int, lam) -> np.ndarray:
    r"""The ridge filter factors :math:`d_j^2/(d_j^2 + n\lambda)`.

    Parameters
    ----------
    d : float or array_like of shape (q,)
        Singular values :math:`d_j \ge 0`.
    n : int
    lam : float or array_like of shape (m,)
        :math:`\lambda > 0`.

    Returns
    -------
    ndarray of shape (m, q), squeezed like :func:`gradient_descent_filter`
    """
    d = _nonnegative(d, "d")
    n = check_int(n, "n", low=1)
    lams = _nonnegative(lam, "lam")
    if np.any(lams == 0):
        raise ValueError("lam must be > 0")
    d2 = np.atleast_1d(d)[None, :] ** 2
    out = d2 / (d2 + n * np.atleast_1d(lams)[:, None])
    if lams.ndim == 0:
        out = out[0]
    return out if np.ndim(d) else out[..., 0]


def equivalent_lambda(lr: float, k) -> np.ndarray:
    r"""The ridge strength :math:`\lambda = 1/(\eta k)` whose filter matches :math:`k` steps of size :math:`\eta` on small :math:`d_j`.

    Parameters
    ----------
    lr : float
        :math:`\eta > 0`.
    k : float or array_like
        Steps :math:`k > 0`.

    Returns
    -------
    ndarray of the shape of ``k``
    """
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    ks = _nonnegative(k, "k")
    if np.any(ks == 0):
        raise ValueError("k must be > 0 (zero steps is lambda = infinity)")
    return 1.0 / (lr * ks)


def gradient_descent_iterates(X, y, lr: float, steps, *, fit_intercept: bool = True) -> tuple[np.ndarray, np.ndarray]:
    r"""The weights and bias after :math:`k` gradient-descent steps from :math:`w = 0`, for several :math:`k`, in closed form.

    :math:`w_k = V\operatorname{diag}(f^{(k)}_j/d_j)\,U^\top y_c` (module docstring) and :math:`b_k = \bar y - \bar x^\top w_k`:
    the iterates of :func:`lecture_code.solvers.gradient_descent` with ``lam=0`` and ``lr`` = :math:`\eta`, for any
    number of steps, without running them.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lr : float
        :math:`\eta > 0` with :math:`\eta d_1^2/n < 2`.
    steps : float or array_like of shape (m,)
        Numbers of steps :math:`k \ge 0`.
    fit_intercept : bool, default True

    Returns
    -------
    coefs : ndarray of shape (p, m)
    intercepts : ndarray of shape (m,)
    """
    X, y = check_Xy(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    keep = d > 0
    U, d, Vt = U[:, keep], d[keep], Vt[keep]
    ks = np.atleast_1d(_nonnegative(steps, "steps"))
    factors = gradient_descent_filter(d, X.shape[0], lr, ks)               # (m, q)
    coefs = Vt.T @ ((factors / d[None, :]) * (U.T @ yc)[None, :]).T        # (p, m)
    return coefs, y_mean - x_mean @ coefs
