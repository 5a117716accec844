r"""Polynomial regression, the running example of the first chapters.

The model of degree :math:`d` is :math:`\hat y = w_0 + \sum_{i=1}^{d} w_i\, z_i(x)`
where :math:`z_i` is the power :math:`x^i` standardised on the training set:
a single-layer linear network with :math:`d` inputs and a bias neuron
:math:`w_0`. Standardising changes the basis, not the set of functions the
model can represent, and it makes the weights comparable with one another
(which the penalties of later chapters need).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_real
from .features import Standardizer, fit_standardizer, polynomial_features
from . import solvers


@dataclass(frozen=True)
class PolynomialFit:
    """A fitted polynomial: degree, feature scaling and the solver's result.

    ``coef`` are the weights :math:`w_1..w_d` on the standardised powers and
    ``intercept`` is the bias :math:`w_0`.
    """

    degree: int
    standardizer: Standardizer
    result: solvers.FitResult

    @property
    def coef(self) -> np.ndarray:
        return self.result.coef

    @property
    def intercept(self) -> float:
        return self.result.intercept

    def features(self, x) -> np.ndarray:
        """The network's inputs :math:`z(x)` for new points ``x``."""
        return self.standardizer.transform(polynomial_features(x, self.degree))

    def predict(self, x) -> np.ndarray:
        r"""Return :math:`\hat y(x)` for inputs ``x`` of shape (m,)."""
        return self.result.predict(self.features(x))


def fit_polynomial(x, y, degree: int, *, lam: float = 0.0, method: str = "lstsq", **solver_options) -> PolynomialFit:
    r"""Fit a polynomial of degree :math:`d` by (penalised) least squares.

    Minimises :math:`\frac{1}{2n}\sum_i (y_i - w_0 - w^\top z(x_i))^2 + \frac{\lambda}{2}\lVert w\rVert^2`
    over the weights :math:`w` and the unpenalised bias :math:`w_0`.

    Parameters
    ----------
    x, y : array_like of shape (n,)
    degree : int
        :math:`d \ge 1`.
    lam : float, default 0.0
        The L2 strength :math:`\lambda \ge 0` (course convention, see :func:`lecture_code.solvers.ridge`).
    method : {"lstsq", "gd"}
        ``"lstsq"`` solves in closed form (SVD/Cholesky); ``"gd"`` trains the
        linear network by gradient descent (:func:`lecture_code.solvers.gradient_descent`).
    **solver_options
        Passed to :func:`~lecture_code.solvers.gradient_descent` (``lr``, ``max_iter``, ``tol``).

    Returns
    -------
    PolynomialFit
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    degree = check_int(degree, "degree", low=1)
    lam = check_real(lam, "lam", low=0.0)
    if method not in ("lstsq", "gd"):
        raise ValueError(f"method must be 'lstsq' or 'gd', got {method!r}")
    if method == "lstsq" and solver_options:
        raise TypeError(f"method='lstsq' takes no solver options, got {sorted(solver_options)}")
    raw = polynomial_features(x, degree)
    standardizer = fit_standardizer(raw)
    Z = standardizer.transform(raw)
    if method == "gd":
        result = solvers.gradient_descent(Z, y, lam, **solver_options)
    elif lam == 0.0:
        result = solvers.least_squares(Z, y)
    else:
        result = solvers.ridge(Z, y, lam)
    return PolynomialFit(degree=degree, standardizer=standardizer, result=result)


def ridge_fitter(degree: int):
    r"""The fit function :func:`lecture_code.model_selection.validation_curve` needs, for the ridge polynomial.

    Returns ``fit(x, y, lam) -> predict``: the degree-:math:`d` polynomial fitted with
    strength :math:`\lambda` by :func:`fit_polynomial`, as a function of new inputs.
    """
    degree = check_int(degree, "degree", low=1)

    def fit(x, y, lam):
        return fit_polynomial(x, y, degree, lam=lam).predict

    return fit
