r"""Seeded data sets used across the chapters.

Every generator takes a ``seed`` (an integer or a ``numpy.random.Generator``)
so that every figure and every number in the book is reproducible.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_real, check_seed


def true_curve(x) -> np.ndarray:
    r"""The smooth function behind the overfitting example, :math:`f(x) = \sin(2\pi x)`."""
    x = as_float_array(x, "x", ndim=(0, 1), allow_empty=True)
    return np.sin(2.0 * np.pi * x)


@dataclass(frozen=True)
class CurveData:
    """A one-dimensional regression sample :math:`y_i = f(x_i) + \\varepsilon_i`.

    Attributes
    ----------
    x, y : ndarray of shape (n,)
        Inputs in ``[0, 1]`` and noisy targets.
    noise : float
        The standard deviation :math:`\\sigma` of :math:`\\varepsilon_i`.
    """

    x: np.ndarray
    y: np.ndarray
    noise: float


def make_curve_data(n: int = 30, *, noise: float = 0.25, seed=0) -> CurveData:
    r"""Draw :math:`n` points :math:`x_i \sim U(0, 1)`, :math:`y_i = \sin(2\pi x_i) + \varepsilon_i`.

    Parameters
    ----------
    n : int, default 30
        Number of points (at least 1).
    noise : float, default 0.25
        Standard deviation :math:`\sigma \ge 0` of the Gaussian noise :math:`\varepsilon_i \sim N(0, \sigma^2)`.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    CurveData
        Points sorted by ``x`` (plots then draw them left to right).
    """
    n = check_int(n, "n", low=1)
    noise = check_real(noise, "noise", low=0.0)
    rng = check_seed(seed)
    x = np.sort(rng.uniform(0.0, 1.0, size=n))
    y = true_curve(x) + noise * rng.standard_normal(n)
    return CurveData(x=x, y=y, noise=noise)


def expected_squared_error(predict, *, noise: float, n_grid: int = 4001) -> float:
    r"""Expected squared error of a fitted curve on a new point of :func:`make_curve_data`, computed exactly.

    A new pair is drawn as the data were: :math:`x \sim U(0, 1)`,
    :math:`y = f(x) + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2)` independent of
    :math:`x` and of the fit. For a fixed fitted curve :math:`\hat y`, the cross term
    :math:`2\,\mathbb E[\varepsilon\,(f(x) - \hat y(x))]` vanishes, so

    .. math::

        \mathbb E\big[(y - \hat y(x))^2\big] = \sigma^2 + \int_0^1 \big(\hat y(x) - f(x)\big)^2\,dx ,

    the error a validation set of unlimited size would report: the noise variance, which
    no model can remove, plus the squared distance of the fit from the truth
    :math:`f(x) = \sin(2\pi x)`. The integral is computed by the composite Simpson rule
    on ``n_grid`` equally spaced points.

    Parameters
    ----------
    predict : callable
        Maps inputs of shape (m,) to predictions of shape (m,), e.g. ``PolynomialFit.predict``.
    noise : float
        The noise standard deviation :math:`\sigma \ge 0` of the data.
    n_grid : int, default 4001
        Odd number of grid points, at least 3.

    Returns
    -------
    float
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    noise = check_real(noise, "noise", low=0.0)
    n_grid = check_int(n_grid, "n_grid", low=3)
    if n_grid % 2 == 0:
        raise ValueError(f"n_grid must be odd (Simpson's rule), got {n_grid}")
    grid = np.linspace(0.0, 1.0, n_grid)
    pred = as_float_array(predict(grid), "predict(x)", ndim=1)
    if pred.shape != grid.shape:
        raise ValueError(f"predict must return shape {grid.shape}, got {pred.shape}")
    g = (pred - true_curve(grid)) ** 2
    weights = np.ones(n_grid)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    return float(noise**2 + (weights @ g) / (3.0 * (n_grid - 1)))


@dataclass(frozen=True)
class RegressionData:
    r"""A linear regression sample :math:`y = Xw^\star + b^\star + \varepsilon`.

    Attributes
    ----------
    X : ndarray of shape (n, p)
        Gaussian features with correlation :math:`\mathrm{corr}(X_j, X_k) = \rho^{|j-k|}`.
    y : ndarray of shape (n,)
    coef : ndarray of shape (p,)
        The true weights :math:`w^\star` (zero outside the support).
    intercept : float
        The true bias :math:`b^\star`.
    noise : float
        The noise standard deviation :math:`\sigma`.
    """

    X: np.ndarray
    y: np.ndarray
    coef: np.ndarray
    intercept: float
    noise: float

    @property
    def support(self) -> np.ndarray:
        """Indices of the non-zero true weights (the relevant features)."""
        return np.flatnonzero(self.coef)


def _ar1_columns(E: np.ndarray, rho: float) -> np.ndarray:
    r"""Columns with :math:`\operatorname{corr}(X_j, X_k) = \rho^{|j-k|}` from independent :math:`N(0, 1)` columns ``E``.

    The AR(1) construction :math:`X_1 = E_1`, :math:`X_j = \rho X_{j-1} + \sqrt{1 - \rho^2}\,E_j` keeps every
    column's variance at 1 and gives exactly the Toeplitz correlation.
    """
    X = np.empty_like(E)
    X[:, 0] = E[:, 0]
    for j in range(1, E.shape[1]):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1.0 - rho**2) * E[:, j]
    return X


def make_regression(n: int = 100, p: int = 20, *, n_informative: int = 5, rho: float = 0.0, noise: float = 1.0,
                    intercept: float = 0.0, seed=0) -> RegressionData:
    r"""Draw a sparse linear regression problem with correlated Gaussian features.

    Rows of :math:`X` are i.i.d. :math:`N(0, \Sigma)` with :math:`\Sigma_{jk} = \rho^{|j-k|}`
    (neighbouring features are correlated). ``n_informative`` weights, at
    positions drawn at random, have magnitudes uniform on :math:`[1, 3]` and
    random signs; the others are exactly zero. Then
    :math:`y = Xw^\star + b^\star + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)`.

    Parameters
    ----------
    n, p : int
        Samples and features (at least 1 each).
    n_informative : int, default 5
        Number of non-zero true weights, :math:`0 \le k \le p` (``p`` gives dense weights).
    rho : float, default 0.0
        Correlation parameter, :math:`-1 < \rho < 1`.
    noise : float, default 1.0
        :math:`\sigma \ge 0`.
    intercept : float, default 0.0
        :math:`b^\star`.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    RegressionData
    """
    n = check_int(n, "n", low=1)
    p = check_int(p, "p", low=1)
    n_informative = check_int(n_informative, "n_informative", low=0, high=p)
    rho = check_real(rho, "rho", low=-1.0, high=1.0, low_open=True, high_open=True)
    noise = check_real(noise, "noise", low=0.0)
    intercept = check_real(intercept, "intercept")
    rng = check_seed(seed)
    X = _ar1_columns(rng.standard_normal((n, p)), rho)
    coef = np.zeros(p)
    support = rng.choice(p, size=n_informative, replace=False)
    coef[support] = rng.uniform(1.0, 3.0, n_informative) * rng.choice([-1.0, 1.0], n_informative)
    y = X @ coef + intercept + noise * rng.standard_normal(n)
    return RegressionData(X=X, y=y, coef=coef, intercept=intercept, noise=noise)
