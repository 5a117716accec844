r"""Chapter 2's explorer (L2 regularization): the ridge polynomial fit and its effective degrees of freedom under a λ slider.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int, check_lambdas, check_paired
from ..data import true_curve
from ..polynomial import _ridge_fits_on_split
from ..shrinkage import effective_degrees_of_freedom
from .explorer import Explorer

__all__ = ["ridge_polynomial_explorer"]


def ridge_polynomial_explorer(x, y, train_idx, val_idx, degree: int, lambdas: Sequence[float], *,
                              start: int = 0) -> Explorer:
    r"""Slide the L2 strength :math:`\lambda`: the ridge polynomial fit (left) and its weights (right).

    Each position fits a polynomial of degree ``degree`` to the training points
    by minimising :math:`\frac{1}{2n}\sum_i (y_i - w_0 - w^\top z(x_i))^2 + \frac{\lambda}{2}\lVert w\rVert^2`
    (:func:`lecture_code.polynomial.fit_polynomial`). The weight axis is the
    same for every frame (symmetric log scale), so the shrinkage is seen
    frame to frame; titles give the validation error and the effective
    degrees of freedom :math:`\mathrm{df}(\lambda)` of the weights.

    Parameters
    ----------
    x, y, train_idx, val_idx, degree, start
        As for :func:`~lecture_code.explorers.polynomial_lambda_explorer` (chapter 1).
    lambdas : sequence of float
        The slider positions, each :math:`\lambda > 0` (keep it to about 25 or fewer: one frame each).
    """
    x, y = check_paired(x, y)
    degree = check_int(degree, "degree", low=1)
    lambdas = check_lambdas(lambdas)
    (x_tr, y_tr, x_va, y_va), fits, _, val_err = _ridge_fits_on_split(x, y, train_idx, val_idx, degree, lambdas)
    dfs = effective_degrees_of_freedom(fits[0].features(x_tr), lambdas)
    largest = max(float(np.abs(f.coef).max()) for f in fits)
    limit = 10.0 ** np.ceil(np.log10(largest))
    grid = np.linspace(0.0, 1.0, 300)
    values = list(range(len(lambdas)))

    def draw(fig: Figure, i: int) -> None:
        left, right = fig.subplots(1, 2)
        plots.plot_curve_fit(left, grid, fits[i].predict(grid), x_train=x_tr, y_train=y_tr,
                             y_true=true_curve(grid), x_val=x_va, y_val=y_va, fit_label=f"ridge fit, d = {degree}")
        left.set_title(f"λ = {lambdas[i]:.1e}: validation MSE {val_err[i]:.3f}")
        plots.plot_weights(right, fits[i].coef)
        right.set_yscale("symlog", linthresh=1e-2)
        right.set_ylim(-limit, limit)
        ticks = 10.0 ** np.arange(-2, np.log10(limit) + 1, 2)
        right.set_yticks(np.concatenate([-ticks[::-1], [0.0], ticks]))
        right.yaxis.set_minor_locator(mpl.ticker.NullLocator())
        right.set_title(f"Weights: df(λ) = {dfs[i]:.1f} of {degree}")

    def alt(i: int) -> str:
        coef = fits[i].coef
        return (f"Left: the degree-{degree} ridge polynomial with lambda = {lambdas[i]:.1e} drawn over the training "
                f"and validation points and the true sine curve; validation error {val_err[i]:.3f}. Right: bar chart of "
                f"its {degree} weights on a symmetric log scale, largest absolute weight {np.abs(coef).max():.3g}, "
                f"none exactly zero; effective degrees of freedom {dfs[i]:.1f}.")

    return Explorer(draw, values, label="strength λ", alt=alt, format_value=lambda i: f"{lambdas[i]:.1e}",
                    start=start)
