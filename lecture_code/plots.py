"""One figure style for the whole course, and the drawing functions chapters share.

Every function here only draws what it is given on the axes it is given; the
numbers come from the numerical modules. Colours are the Okabe–Ito palette,
which stays distinguishable under the common forms of colour blindness; lines
also differ in style so that no figure relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes

#: The Okabe–Ito colour-blind-safe palette, by role.
COLORS = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
TRAIN_COLOR = COLORS["blue"]
VALIDATION_COLOR = COLORS["vermillion"]
TRUTH_COLOR = COLORS["black"]
FIT_COLOR = COLORS["green"]


def use_course_style() -> None:
    """Set matplotlib defaults for every figure of the course (fonts, palette, layout)."""
    mpl.rcParams.update({
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,
        "savefig.dpi": 100,
        "font.size": 12,
        "axes.titlesize": 13,
        "axes.labelsize": 12,
        "legend.fontsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "lines.linewidth": 2.0,
        "lines.markersize": 6,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=[COLORS[c] for c in
                                              ("blue", "vermillion", "green", "orange", "purple", "sky", "black")]),
    })


def plot_curve_fit(ax: Axes, x_grid: np.ndarray, y_fit: np.ndarray, *, x_train: np.ndarray, y_train: np.ndarray,
                   y_true: np.ndarray | None = None, x_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
                   fit_label: str = "fit", ylim: tuple[float, float] = (-2.0, 2.0)) -> None:
    """Draw training (and validation) points, the true curve and a fitted curve on ``ax``.

    The y-range is fixed so that fits of different complexity are drawn on the
    same scale; a wild fit leaves the frame instead of squashing the data.
    """
    ax.scatter(x_train, y_train, color=TRAIN_COLOR, marker="o", zorder=3, label="training data")
    if x_val is not None:
        ax.scatter(x_val, y_val, facecolors="none", edgecolors=VALIDATION_COLOR, marker="s", zorder=3,
                   label="validation data")
    if y_true is not None:
        ax.plot(x_grid, y_true, color=TRUTH_COLOR, linestyle="--", linewidth=1.5, label="true function")
    ax.plot(x_grid, y_fit, color=FIT_COLOR, label=fit_label)
    ax.set_ylim(*ylim)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("target $y$")
    ax.legend(loc="lower left")


def plot_error_curve(ax: Axes, params: Sequence[float], train: np.ndarray, val: np.ndarray, *, xlabel: str,
                     val_se: np.ndarray | None = None, chosen: float | None = None, log_x: bool = False,
                     log_y: bool = True, val_label: str = "validation") -> None:
    """Draw training and validation error against a hyper-parameter, optionally marking the chosen value."""
    params = np.asarray(params, dtype=float)
    ax.plot(params, train, color=TRAIN_COLOR, marker="o", label="training")
    ax.plot(params, val, color=VALIDATION_COLOR, marker="s", linestyle="-.", label=val_label)
    if val_se is not None:
        ax.fill_between(params, val - val_se, val + val_se, color=VALIDATION_COLOR, alpha=0.2,
                        label=f"{val_label} ± 1 s.e.")
    if chosen is not None:
        ax.axvline(chosen, color=COLORS["black"], linestyle=":", linewidth=1.5, label=f"chosen: {chosen:g}")
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("mean squared error")
    ax.legend()


def plot_weights(ax: Axes, coef: np.ndarray, *, labels: Sequence[str] | None = None, symlog: bool = False,
                 color: str = FIT_COLOR) -> None:
    """Draw a bar chart of the weights :math:`w_j` (optionally on a symmetric log scale)."""
    coef = np.asarray(coef, dtype=float)
    positions = np.arange(1, coef.size + 1)
    ax.bar(positions, coef, color=color)
    ax.axhline(0.0, color=COLORS["black"], linewidth=0.8)
    ax.set_xticks(positions, labels if labels is not None else [str(j) for j in positions])
    if symlog:
        ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("weight index $j$")
    ax.set_ylabel("weight $w_j$")
