r"""Chapter 1's explorers (overfitting): the polynomial's degree and its L2 strength under a slider.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import as_float_array, check_int, check_lambdas, check_paired
from ..data import true_curve
from ..model_selection import mean_squared_error
from ..polynomial import _ridge_fits_on_split, fit_polynomial
from .explorer import Explorer

__all__ = ["polynomial_degree_explorer", "polynomial_lambda_explorer"]


def polynomial_degree_explorer(x, y, train_idx, val_idx, degrees: Sequence[int], *, start: int = 0) -> Explorer:
    """Slide the degree :math:`d`: the fit (left) and the train/validation error curve (right).

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The whole sample; ``train_idx`` and ``val_idx`` say which points train and which validate.
    degrees : sequence of int
        The slider positions.
    start : int
        Initial slider index.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    degrees = [check_int(d, "degrees", low=1) for d in degrees]
    fits = {d: fit_polynomial(x[train_idx], y[train_idx], d) for d in degrees}
    train_err = np.array([mean_squared_error(y[train_idx], fits[d].predict(x[train_idx])) for d in degrees])
    val_err = np.array([mean_squared_error(y[val_idx], fits[d].predict(x[val_idx])) for d in degrees])
    grid = np.linspace(0.0, 1.0, 300)

    def draw(fig: Figure, d: int) -> None:
        left, right = fig.subplots(1, 2)
        plots.plot_curve_fit(left, grid, fits[d].predict(grid), x_train=x[train_idx], y_train=y[train_idx],
                             y_true=true_curve(grid), x_val=x[val_idx], y_val=y[val_idx],
                             fit_label=f"degree {d} fit")
        left.set_title(f"Polynomial of degree d = {d}")
        plots.plot_error_curve(right, degrees, train_err, val_err, xlabel="degree $d$")
        right.axvline(d, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set_title("Error against degree")

    def alt(d: int) -> str:
        i = degrees.index(d)
        return (f"Left: the degree-{d} polynomial fitted to the training points next to the true sine curve. "
                f"Right: training and validation mean squared error against degree, with degree {d} marked; "
                f"at this degree the training error is {train_err[i]:.3f} and the validation error {val_err[i]:.3f}.")

    return Explorer(draw, degrees, label="degree d", alt=alt, start=start)


def polynomial_lambda_explorer(x, y, train_idx, val_idx, degree: int, lambdas: Sequence[float], *,
                               start: int = 0) -> Explorer:
    r"""Slide the L2 strength :math:`\lambda` of one polynomial: the fit (left) and the train/validation error curve (right).

    The chapter-1 companion of :func:`polynomial_degree_explorer`: the degree stays fixed and the soft fix moves.
    Each position fits the polynomial of degree ``degree`` to the training points by minimising

    .. math::

        J(w, b) = \frac{1}{2n}\sum_i \big(y_i - b - w^\top z(x_i)\big)^2 + \frac{\lambda}{2}\lVert w\rVert_2^2

    (:func:`lecture_code.polynomial.fit_polynomial`, bias :math:`b = w_0` unpenalised). Left: the fit over the
    training and validation points and the true curve, on the fixed range of
    :func:`lecture_code.plots.plot_curve_fit` (a wild fit leaves the frame). Right: the training and validation
    mean squared errors at every slider position, on log–log axes, with the current :math:`\lambda` marked.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The whole sample; ``train_idx`` and ``val_idx`` say which points train and which validate.
    degree : int
        Polynomial degree :math:`d \ge 1`.
    lambdas : sequence of float
        The slider positions: strengths :math:`\lambda > 0` in increasing order, at most 25 (each is a
        pre-rendered frame). A geometric grid (equal ratio between neighbours) makes the slider move evenly
        in :math:`\log\lambda`.
    start : int, default 0
        Initial slider index.
    """
    x, y = check_paired(x, y)
    degree = check_int(degree, "degree", low=1)
    lambdas = check_lambdas(lambdas)
    if not 1 <= lambdas.size <= 25:
        raise ValueError(f"lambdas must hold between 1 and 25 strengths (each is a pre-rendered frame), "
                         f"got {lambdas.size}")
    if np.any(np.diff(lambdas) <= 0):
        raise ValueError("lambdas must be strictly increasing")
    (x_tr, y_tr, x_va, y_va), fits, train_err, val_err = _ridge_fits_on_split(x, y, train_idx, val_idx, degree,
                                                                               lambdas)
    grid = np.linspace(0.0, 1.0, 300)
    curves = [f.predict(grid) for f in fits]
    ylim = (-2.0, 2.0)                      # plot_curve_fit's fixed range
    values = list(range(lambdas.size))

    def draw(fig: Figure, i: int) -> None:
        left, right = fig.subplots(1, 2)
        plots.plot_curve_fit(left, grid, curves[i], x_train=x_tr, y_train=y_tr, y_true=true_curve(grid),
                             x_val=x_va, y_val=y_va, ylim=ylim, fit_label=f"degree {degree}, λ = {lambdas[i]:.0e}")
        left.set_title(f"Degree {degree} with L2 penalty λ = {lambdas[i]:.0e}")
        plots.plot_error_curve(right, lambdas, train_err, val_err, xlabel="strength λ", log_x=True)
        right.axvline(lambdas[i], color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set_title("Error against the strength λ")

    def alt(i: int) -> str:
        largest = float(np.abs(curves[i]).max())
        where = (f"it swings out of the plotted range from {ylim[0]:g} to {ylim[1]:g} (largest |prediction| "
                 f"{largest:.3g})" if largest > ylim[1] else "it stays within the plotted range")
        return (f"Left: the degree-{degree} polynomial fitted with L2 penalty lambda = {lambdas[i]:.0e} to the "
                f"training points, next to the true sine curve; {where}, and its largest absolute weight is "
                f"{np.abs(fits[i].coef).max():.3g}. Right: training and validation mean squared error against lambda "
                f"on log axes, with lambda = {lambdas[i]:.0e} marked; at this lambda the training error is "
                f"{train_err[i]:.3g} and the validation error {val_err[i]:.3g}.")

    return Explorer(draw, values, label="strength λ", alt=alt, format_value=lambda i: f"λ = {lambdas[i]:.0e}",
                    start=start)
