r"""Polynomial regression, the running example of the first chapters.

The model of degree :math:`d` is :math:`\hat y = w_0 + \sum_{j=1}^{d} w_j\, z_j(x)`
where :math:`z_j` is the power :math:`x^j` standardised on the training set:
a single-layer linear network with :math:`d` inputs and a bias neuron
:math:`w_0`. Standardising changes the basis, not the set of functions the
model can represent, and it makes the weights comparable with one another
(which the penalties of later chapters need).

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_lambdas, check_paired, check_real
from .features import Standardizer, fit_standardizer, polynomial_features
from .model_selection import ValidationCurve, _errors_over_splits, mean_squared_error
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
    coef = property(lambda self: self.result.coef, doc="The weights :math:`w_1..w_d` (the solver's ``coef``).")
    intercept = property(lambda self: self.result.intercept, doc="The bias :math:`w_0` (the solver's ``intercept``).")

    def features(self, x) -> np.ndarray:
        """The network's inputs :math:`z(x)` for new points ``x``."""
        return self.standardizer.transform(polynomial_features(x, self.degree))

    def predict(self, x) -> np.ndarray:
        r"""Return :math:`\hat y(x)` for inputs ``x`` of shape (m,)."""
        return self.result.predict(self.features(x))


def _standardised_powers(x: np.ndarray, degree: int) -> tuple[Standardizer, np.ndarray]:
    r"""The powers :math:`x, \dots, x^d` of the training inputs, standardised on them: the scaling and :math:`Z`."""
    raw = polynomial_features(x, degree)
    standardizer = fit_standardizer(raw)
    return standardizer, standardizer.transform(raw)


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
    x, y = check_paired(x, y)
    degree = check_int(degree, "degree", low=1)
    lam = check_real(lam, "lam", low=0.0)
    if method not in ("lstsq", "gd"):
        raise ValueError(f"method must be 'lstsq' or 'gd', got {method!r}")
    if method == "lstsq" and solver_options:
        raise TypeError(f"method='lstsq' takes no solver options, got {sorted(solver_options)}")
    standardizer, Z = _standardised_powers(x, degree)
    if method == "gd":
        result = solvers.gradient_descent(Z, y, lam, **solver_options)
    elif lam == 0.0:
        result = solvers.least_squares(Z, y)
    else:
        result = solvers.ridge(Z, y, lam)
    return PolynomialFit(degree=degree, standardizer=standardizer, result=result)


def _ridge_fits_on_split(x: np.ndarray, y: np.ndarray, train_idx, val_idx, degree: int, lambdas: np.ndarray):
    r"""The degree-:math:`d` polynomial fitted on the training points at every :math:`\lambda` of ``lambdas``.

    For validated inputs (the :math:`\lambda` explorers of chapters 1 and 2). Returns the training and
    validation points ``(x_tr, y_tr, x_va, y_va)``, the fits, and their training and validation errors.
    """
    train_idx, val_idx = np.asarray(train_idx), np.asarray(val_idx)
    x_tr, y_tr, x_va, y_va = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
    fits = [fit_polynomial(x_tr, y_tr, degree, lam=float(lam)) for lam in lambdas]
    train_err = np.array([mean_squared_error(y_tr, f.predict(x_tr)) for f in fits])
    val_err = np.array([mean_squared_error(y_va, f.predict(x_va)) for f in fits])
    return (x_tr, y_tr, x_va, y_va), fits, train_err, val_err


def ridge_fitter(degree: int):
    r"""The fit function :func:`lecture_code.model_selection.validation_curve` needs, for the ridge polynomial.

    Returns ``fit(x, y, lam) -> predict``: the degree-:math:`d` polynomial fitted with
    strength :math:`\lambda` by :func:`fit_polynomial`, as a function of new inputs.
    """
    degree = check_int(degree, "degree", low=1)

    def fit(x, y, lam):
        return fit_polynomial(x, y, degree, lam=lam).predict

    return fit


def ridge_validation_curve(x, y, degree: int, lambdas, splits) -> ValidationCurve:
    r"""Train and validation errors of the degree-:math:`d` ridge polynomial over a grid of :math:`\lambda`, one SVD per split.

    The same curves as ``validation_curve(ridge_fitter(degree), x, y, lambdas, splits)``
    (:func:`lecture_code.model_selection.validation_curve`), computed faster: each split
    standardises the powers on its training part, centres them, and takes the thin SVD
    :math:`Z_c = U D V^\top` once; then every :math:`\lambda` costs two matrix products,

    .. math::

        w(\lambda) = V\,\operatorname{diag}\Big(\frac{d_j}{d_j^2 + n\lambda}\Big)\,U^\top y_c ,
        \qquad b(\lambda) = \bar y - \bar z^\top w(\lambda) ,

    the minimiser of :math:`\frac{1}{2n}\lVert y - Zw - b\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`
    (:func:`lecture_code.solvers.ridge`). At :math:`\lambda = 0` a numerically zero
    :math:`d_j` is left out, as least squares does (the minimum-norm solution).

    Parameters
    ----------
    x, y : array_like of shape (n,)
    degree : int
        :math:`d \ge 1`.
    lambdas : array_like of shape (m,)
        Strengths :math:`\lambda \ge 0`, in any order.
    splits : sequence of (train_idx, val_idx)
        From :func:`~lecture_code.model_selection.train_validation_split` or
        :func:`~lecture_code.model_selection.k_fold_splits`.

    Returns
    -------
    ValidationCurve
        ``params`` is ``lambdas`` as given.
    """
    x, y = check_paired(x, y)
    degree = check_int(degree, "degree", low=1)
    lambdas = check_lambdas(lambdas, zero_ok=True)

    def errors(tr, va):
        standardizer, Z = _standardised_powers(x[tr], degree)
        z_mean, y_mean = Z.mean(axis=0), y[tr].mean()
        U, d, Vt = np.linalg.svd(Z - z_mean, full_matrices=False)
        n = len(tr)
        cutoff = d.max() * max(Z.shape) * np.finfo(float).eps if d.size else 0.0
        denom = d[:, None] ** 2 + n * lambdas[None, :]                              # (k, m)
        keep = (d[:, None] > cutoff) | (lambdas[None, :] > 0)
        gains = np.divide(d[:, None], denom, out=np.zeros_like(denom), where=keep)
        W = Vt.T @ (gains * (U.T @ (y[tr] - y_mean))[:, None])                      # (p, m): one column per lambda
        b = y_mean - z_mean @ W
        Z_val = standardizer.transform(polynomial_features(x[va], degree))
        return np.mean((y[tr, None] - Z @ W - b) ** 2, axis=0), np.mean((y[va, None] - Z_val @ W - b) ** 2, axis=0)

    return _errors_over_splits(lambdas, splits, errors)
