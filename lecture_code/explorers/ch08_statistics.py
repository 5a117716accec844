r"""Chapter 8's explorer (statistics): slide the data, watch the posterior's mode and mean.

One weight with least-squares estimate :math:`z` and standard error :math:`s` (a coordinate of an
orthonormal design), a Laplace prior with scale :math:`\tau`: the posterior mode is the lasso's soft
threshold :math:`S(z, \lambda)`, :math:`\lambda = s^2/\tau`, exactly 0 for :math:`|z| \le \lambda`; the posterior
mean, computed by quadrature (:mod:`lecture_code.bayes`), is never 0 unless :math:`z = 0`.

Like every explorer (:mod:`lecture_code.explorers.explorer`), it is a slider over pre-rendered frames that is
a live ipywidget in Jupyter and a kernel-free HTML slider on the site.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import as_float_array, check_int, check_real
from ..bayes import grid_posterior, scalar_posterior
from .explorer import Explorer

__all__ = ["posterior_explorer"]


def posterior_explorer(z_values: Sequence[float], *, se: float, prior_scale: float, start: int = 0) -> Explorer:
    r"""Slide the least-squares estimate :math:`z`: the posterior under a Laplace prior, its mode and its mean.

    Left: the posterior density of the weight for the chosen :math:`z`, with the mode (the lasso
    estimate) and the mean marked. Right: mode and mean as functions of :math:`z`, the chosen one marked,
    against the identity (least squares).

    Parameters
    ----------
    z_values : sequence of float
        The slider positions (least-squares estimates), increasing.
    se : float
        The standard error :math:`s > 0` of the estimate.
    prior_scale : float
        The Laplace scale :math:`\tau > 0`; the lasso strength is :math:`\lambda = s^2/\tau`.
    start : int, default 0
        Initial slider index.

    Returns
    -------
    Explorer
    """
    z_values = as_float_array(z_values, "z_values", ndim=1)
    if np.any(np.diff(z_values) <= 0):
        raise ValueError("z_values must be increasing")
    se = check_real(se, "se", low=0.0, low_open=True)
    b = check_real(prior_scale, "prior_scale", low=0.0, low_open=True)
    start = check_int(start, "start", low=0, high=z_values.size - 1)
    lam = se**2 / b
    z_curve = np.linspace(z_values.min(), z_values.max(), 301)
    mode_curve, mean_curve = scalar_posterior(z_curve, se=se, prior="laplace", scale=b)
    modes, means = scalar_posterior(z_values, se=se, prior="laplace", scale=b)
    modes = modes + 0.0                                              # -0.0 would print as "-0.00"
    half_width = max(abs(z_values.min()), abs(z_values.max())) + 4 * se
    grid = np.linspace(-half_width, half_width, 2001)                # symmetric: 0 is a grid node
    densities = [grid_posterior(np.ones((1, 1)), np.array([z]), (grid,), noise_var=se**2, prior="laplace",
                                scale=b).density for z in z_values]
    top = 1.05 * max(float(d.max()) for d in densities)
    view = max(abs(z_values.min()), abs(z_values.max())) + 2 * se
    values = list(range(z_values.size))

    def draw(fig: Figure, i: int) -> None:
        left, right = fig.subplots(1, 2)
        z = z_values[i]
        left.plot(grid, densities[i], color=plots.COLORS["blue"], label="posterior density")
        left.axvline(modes[i], color=plots.COLORS["vermillion"], linestyle="--", label=f"mode (lasso) {modes[i]:.2f}")
        left.axvline(means[i], color=plots.COLORS["green"], linestyle=":", linewidth=2.5,
                     label=f"mean {means[i]:.2f}")
        left.axvline(z, color=plots.COLORS["black"], linewidth=0.8, label=f"least squares z = {z:.2f}")
        left.set(xlabel="weight $w$", ylabel="$\\pi(w \\mid z)$", ylim=(0, top), xlim=(-view, view),
                 title="Posterior, Laplace prior")
        left.legend(loc="upper left", fontsize=8)
        right.plot(z_curve, z_curve, color=plots.COLORS["black"], linestyle="-", linewidth=0.8, label="least squares")
        right.plot(z_curve, mode_curve, color=plots.COLORS["vermillion"], linestyle="--", label="mode: $S(z, \\lambda)$")
        right.plot(z_curve, mean_curve, color=plots.COLORS["green"], linestyle=":", linewidth=2.5, label="mean")
        right.plot([z, z], [modes[i], means[i]], linestyle="none", marker="o", color=plots.COLORS["purple"])
        right.axvspan(-lam, lam, color=plots.COLORS["sky"], alpha=0.2, label="$|z| \\leq \\lambda$")
        right.set(xlabel="least-squares estimate $z$", ylabel="estimate of $w$", title="Mode vs mean")
        right.legend(loc="upper left", fontsize=8)

    def alt(i: int) -> str:
        zero = "exactly 0" if modes[i] == 0 else f"{modes[i]:.2f}"
        return (f"Left: the posterior density of the weight for z = {z_values[i]:.2f}, with a kink at 0; its mode, "
                f"the lasso estimate, is {zero} and its mean is {means[i]:.2f}. Right: the mode is 0 for |z| up to "
                f"lambda = {lam:.2f} and then runs parallel to the identity; the mean is a smooth curve through "
                f"the origin that is 0 only at z = 0.")

    return Explorer(draw, values, label="least-squares estimate z", alt=alt,
                    format_value=lambda i: f"{z_values[i]:.2f}", start=start, figsize=(10.0, 3.8))
