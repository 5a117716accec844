r"""Chapter 5's explorer (soft thresholding): the lasso path under a λ cursor.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int, check_per_column, check_real, check_Xy
from ..solvers import lasso_path as _lasso_path
from .explorer import Explorer

__all__ = ["lasso_path_explorer"]


def lasso_path_explorer(X, y, *, n_frames: int = 15, eps: float = 1e-3, true_coef=None, start: int = 0) -> Explorer:
    r"""Slide a cursor along the lasso path: the path (left) and the weights at the cursor's :math:`\lambda` (right).

    The path minimises, for each :math:`\lambda`,
    :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda\lVert w\rVert_1`
    (:func:`lecture_code.solvers.lasso_path`, scikit-learn's ``Lasso(alpha=λ)``)
    on a geometric grid from
    :math:`\lambda_{\max} = \lVert X_c^\top y_c\rVert_\infty/n` down to
    ``eps`` :math:`\cdot\lambda_{\max}`, four grid points per frame.
    Left: every weight against :math:`\lambda` (log scale), the true support highlighted, with
    :math:`\lambda_{\max}` and a vertical cursor at the frame's
    :math:`\lambda`. Right: the weights at the cursor as bars, the features
    whose weight is exactly zero marked with a cross, and the true weights (if
    given) as open diamonds (non-zero ones only). The slider runs from :math:`\lambda_{\max}` (no
    feature) to the smallest :math:`\lambda` (most features).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    n_frames : int, default 15
        Number of slider positions, between 2 and 20 (each is a pre-rendered frame).
    eps : float, default 1e-3
        :math:`\lambda_{\min}/\lambda_{\max}`, in (0, 1).
    true_coef : array_like of shape (p,), optional
        The true weights :math:`w^\star` of simulated data; their support is highlighted on the path.
    start : int, default 0
        Initial slider index.

    Returns
    -------
    Explorer
    """
    X, y = check_Xy(X, y)
    n_frames = check_int(n_frames, "n_frames", low=2, high=20)
    eps = check_real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    start = check_int(start, "start", low=0, high=n_frames - 1)
    p = X.shape[1]
    if true_coef is not None:
        true_coef = check_per_column(true_coef, X, "true_coef")
    per_frame = 4
    path = _lasso_path(X, y, n_lambdas=per_frame * (n_frames - 1) + 1, eps=eps, tol=1e-10)
    lam_max = float(path.lambdas[0])
    frames = list(range(0, path.lambdas.size, per_frame))
    support = [] if true_coef is None else [int(j) for j in np.flatnonzero(true_coef)]
    shown = path.coefs if true_coef is None else np.column_stack([path.coefs, true_coef])
    low, high = min(float(shown.min()), 0.0), max(float(shown.max()), 0.0)
    pad = 0.12 * (high - low) if high > low else 1.0
    ylim = (low - pad, high + pad)
    # The bar legend goes to the side of zero with less data (loc="best" costs more than the rest of a frame).
    side = "upper" if abs(low) > abs(high) else "lower"
    positions = np.arange(p)

    def draw(fig: Figure, i: int) -> None:
        # A fixed layout: the frames all have the same parts, and constrained layout would cost a third of each frame.
        fig.set_layout_engine("none")
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1.0], "left": 0.065, "right": 0.99,
                                                      "bottom": 0.2, "top": 0.92, "wspace": 0.2})
        lam = path.lambdas[i]
        plots.plot_coefficient_path(left, path.lambdas, path.coefs, highlight=support, lam_max=lam_max, legend=False)
        left.axvline(lam, color=plots.COLORS["black"], linestyle="-.", linewidth=1.8, label="cursor λ")
        left.set_ylim(*ylim)
        left.set_title("Lasso path")
        handles, labels = left.get_legend_handles_labels()
        fig.legend(handles, labels, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 0.0),
                   ncols=min(len(labels), 9))
        w = path.coefs[:, i]
        zero = w == 0
        right.bar(positions, w, color=plots.FIT_COLOR, label=r"lasso $w_j(\lambda)$")
        right.plot(positions[zero], np.zeros(zero.sum()), linestyle="none", marker="x", markersize=7,
                   color=plots.COLORS["black"], label="exactly 0")
        if support:
            right.plot(positions[support], true_coef[support], linestyle="none", marker="D", markersize=6,
                       markerfacecolor="none", markeredgecolor=plots.COLORS["vermillion"], markeredgewidth=1.5,
                       label=r"true $w^\star_j \neq 0$")
        right.axhline(0.0, color=plots.COLORS["black"], linewidth=0.8)
        right.set(ylim=ylim, xlim=(-0.7, p - 0.3), xlabel="feature index $j$",
                  ylabel=r"weight $w_j$", title=f"λ = {lam:.3g}: {p - zero.sum()} of {p} non-zero")
        right.set_xticks(positions if p <= 25 else positions[:: -(-p // 25)])
        right.legend(fontsize=7, loc=f"{side} right")

    def alt(i: int) -> str:
        lam, w = path.lambdas[i], path.coefs[:, i]
        active = [int(j) for j in np.flatnonzero(w)]
        text = (f"Left: the lasso path, each of the {p} weights against lambda on a log scale from "
                f"{path.lambdas[-1]:.2g} to lambda max = {lam_max:.3g}, where all are zero, with a vertical cursor at "
                f"lambda = {lam:.3g}. Right: bar chart of the weights at that lambda: ")
        if active:
            text += f"{len(active)} of {p} non-zero (features {', '.join(map(str, active))}), {p - len(active)} exactly zero"
        else:
            text += f"all {p} exactly zero"
        if support:
            found = sorted(set(active) & set(support))
            text += (f"; the true non-zero features are {', '.join(map(str, support))}, "
                     f"{len(found)} of them in the model")
        return text + "."

    return Explorer(draw, frames, label="penalty λ", alt=alt, format_value=lambda i: f"λ = {path.lambdas[i]:.3g}",
                    start=start, figsize=(10.5, 4.2))
