r"""Chapter 3's explorer (L1 regularization): the constrained two-weight picture under a moving radius s.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int, check_real, check_Xy
from ..constrained import constrained_least_squares, least_squares_loss_grid
from ..solvers import least_squares
from .explorer import Explorer

__all__ = ["constraint_geometry_explorer"]


def constraint_geometry_explorer(X, y, s_values: Sequence[float], *, start: int = 0,
                                 grid_size: int = 161) -> Explorer:
    r"""Slide the radius :math:`s`: the L1 and L2 constrained solutions of a two-feature problem.

    For each :math:`s` solves :math:`\min L(w)` subject to
    :math:`\lVert w\rVert_1 \le s` and to :math:`\lVert w\rVert_2 \le s`
    (:func:`lecture_code.constrained.constrained_least_squares`). Left: the
    loss contours, the diamond and the disc of radius :math:`s`, and the two
    solutions (:func:`lecture_code.plots.plot_constraint_geometry`). Right:
    both weights of both solutions against :math:`s`, with the current
    :math:`s` marked: the L1 weights reach exactly zero one after the other
    as :math:`s` shrinks, the L2 weights only at :math:`s = 0`.

    Parameters
    ----------
    X : array_like of shape (n, 2)
    y : array_like of shape (n,)
    s_values : sequence of float
        The slider positions (radii > 0, at most 25: each is a pre-rendered frame).
    start : int, default 0
        Initial slider index.
    grid_size : int, default 161
        Grid points per axis for the contours.
    """
    X, y = check_Xy(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns, got {X.shape[1]}")
    s_values = [check_real(s, "s_values", low=0.0, low_open=True) for s in s_values]
    if not 1 <= len(s_values) <= 25:
        raise ValueError(f"s_values must hold between 1 and 25 radii (each is a pre-rendered frame), "
                         f"got {len(s_values)}")
    grid_size = check_int(grid_size, "grid_size", low=10)
    w_ols = least_squares(X, y).coef
    order = np.argsort(s_values)
    solutions: dict[str, dict[float, np.ndarray]] = {"l1": {}, "l2": {}}
    for norm in solutions:
        w = None
        for i in order:     # warm starts along increasing s
            w = constrained_least_squares(X, y, s_values[i], norm=norm, tol=1e-12, coef_init=w).coef
            solutions[norm][s_values[i]] = w
    reach = max(max(s_values), float(np.abs(w_ols).max()))
    lo = np.minimum(-1.1 * max(s_values), np.minimum(w_ols, 0.0) - 0.15 * reach)
    hi = np.maximum(1.1 * max(s_values), np.maximum(w_ols, 0.0) + 0.15 * reach)
    w1, w2 = np.meshgrid(np.linspace(lo[0], hi[0], grid_size), np.linspace(lo[1], hi[1], grid_size))
    loss = least_squares_loss_grid(X, y, w1, w2)
    sorted_s = np.array(sorted(s_values))
    paths = {norm: np.array([solutions[norm][s] for s in sorted_s]) for norm in solutions}

    def loss_at(w: np.ndarray) -> float:
        return float(least_squares_loss_grid(X, y, w[0], w[1]))

    def draw(fig: Figure, s: float) -> None:
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1.0]})
        w_l1, w_l2 = solutions["l1"][s], solutions["l2"][s]
        plots.plot_constraint_geometry(left, w1, w2, loss, s, w_ols=w_ols, w_l1=w_l1, loss_l1=loss_at(w_l1),
                                       w_l2=w_l2, loss_l2=loss_at(w_l2))
        left.set_title(f"Radius s = {s:.2f}")
        for norm, (color, _, marker), name in (("l1", plots.L1_BALL_STYLE, "L1"),
                                               ("l2", plots.L2_BALL_STYLE, "L2")):
            for j, style in ((0, "-"), (1, "--")):
                right.plot(sorted_s, paths[norm][:, j], color=color, linestyle=style, marker=marker, markersize=4,
                           label=f"{name}: $w_{j + 1}$")
        right.axhline(0.0, color=plots.COLORS["black"], linewidth=0.8)
        right.axvline(s, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set(xlabel="radius $s$", ylabel="constrained weight $w_j$", title="Weights against the radius")
        right.legend(loc="upper left", fontsize=8)

    def alt(s: float) -> str:
        w_l1, w_l2 = solutions["l1"][s], solutions["l2"][s]
        zeros = [f"w{j + 1}" for j in range(2) if w_l1[j] == 0.0]
        text = (f"Left: elliptical loss contours around the least-squares weights ({w_ols[0]:.2f}, {w_ols[1]:.2f}), "
                f"the L1 diamond and the L2 disc of radius {s:.2f}. The L1 solution is "
                f"({w_l1[0]:.2f}, {w_l1[1]:.2f})")
        text += f", with {' and '.join(zeros)} exactly zero (a corner)" if zeros else ", with no zero weight"
        text += (f"; the L2 solution is ({w_l2[0]:.2f}, {w_l2[1]:.2f}). Right: both weights of both solutions "
                 f"against the radius, with s = {s:.2f} marked.")
        return text

    return Explorer(draw, s_values, label="radius s", alt=alt, format_value=lambda s: f"s = {s:.2f}", start=start,
                    figsize=(9.5, 4.0))
