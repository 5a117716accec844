r"""Chapter 9's explorer (algorithms): the lasso path of LARS, segment by segment, with the KKT picture.

On each segment of the lasso path (between two knots of :func:`lecture_code.solvers.lars_path`) the
active features have correlation :math:`|c_j| = |x_j^\top r|/n` exactly :math:`\lambda` and the inactive
ones less: the explorer shows the path with a cursor (left) and the correlations as bars against the
line :math:`\lambda` (right).

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import plots
from ..solvers.lars import LarsPath
from .explorer import Explorer

__all__ = ["lars_segment_explorer", "lars_segments"]


def lars_segments(path: LarsPath, X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One :math:`\lambda` inside each segment of ``path``, the weights and the correlations there.

    Parameters
    ----------
    path : LarsPath
        A lasso path from :func:`lecture_code.solvers.lars_path` fitted on ``X``, ``y``.
    X : ndarray of shape (n, p)
        The centred design the path was computed on.
    y : ndarray of shape (n,)
        The centred targets.

    Returns
    -------
    lams : ndarray of shape (k,)
        The geometric middle of each segment (half the last knot for the segment that ends at 0).
    coefs : ndarray of shape (p, k)
        The weights :math:`w(\lambda)` there.
    corr : ndarray of shape (p, k)
        The correlations :math:`X^\top(y - Xw)/n` there.
    """
    lams = np.sqrt(path.lambdas[:-2] * path.lambdas[1:-1])       # geometric middles of the segments
    lams = np.append(lams, 0.5 * path.lambdas[-2])                # the last segment ends at lambda = 0
    coefs = path.coef_at(lams)
    corr = X.T @ (y[:, None] - X @ coefs) / len(y)
    return lams, coefs, corr


def lars_segment_explorer(path: LarsPath, X, y, names: Sequence[str], shown: Sequence[int], *,
                          dataset: str = "", start: int = 0) -> Explorer:
    r"""Slide along the segments ``shown`` of a lasso path: the path with a cursor, the correlations as bars.

    Parameters
    ----------
    path : LarsPath
        A lasso path from :func:`lecture_code.solvers.lars_path` fitted on ``X``, ``y``.
    X, y : ndarray
        The centred design and targets (see :func:`lars_segments`).
    names : sequence of str
        The feature names, for the bars.
    shown : sequence of int
        The segments the slider visits (each frame costs a rendering).
    dataset : str, optional
        The data set's name, for the alt text ("the ten weights of the diabetes lasso path").
    start : int, default 0
        The index in ``shown`` of the first frame.

    Returns
    -------
    Explorer
    """
    segment_lams, segment_w, segment_corr = lars_segments(path, X, y)
    p = segment_w.shape[0]
    what = f"{dataset} lasso path" if dataset else "lasso path"
    lam_axis = np.geomspace(path.lambdas[0], 0.3 * path.lambdas[-2], 150)
    w_axis = path.coef_at(lam_axis)

    def draw_segment(fig, i):
        fig.set_layout_engine("none")          # a fixed layout: every frame has the same parts, and it renders faster
        lam, w, c = segment_lams[i], segment_w[:, i], np.abs(segment_corr[:, i])
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1.0], "left": 0.07, "right": 0.99,
                                                      "bottom": 0.2, "top": 0.91, "wspace": 0.22})
        for k, j in enumerate(path.entry_order):
            left.plot(lam_axis, w_axis[j], color=plots.PATH_COLORS[k % 6], linestyle=plots.PATH_LINESTYLES[k % 4],
                      linewidth=1.5)
        left.axvline(lam, color=plots.COLORS["black"], linestyle="-.", linewidth=1.8)
        left.set(xscale="log", xlabel="penalty λ (log scale, decreasing)", ylabel="weight w_j", title="Lasso path")
        left.invert_xaxis()
        active = w != 0
        right.bar(np.arange(p)[active], c[active], color=plots.COLORS["blue"], label="active (w_j ≠ 0)")
        right.bar(np.arange(p)[~active], c[~active], color=plots.COLORS["orange"], label="inactive (w_j = 0)")
        right.axhline(lam, color=plots.COLORS["black"], linestyle="--", linewidth=1.5, label="λ")
        right.set(xticks=range(p), ylim=(0, 1.4 * max(lam, c.max())), ylabel="|c_j| = |x_jᵀ r| / n",
                  title=f"λ = {lam:.3g}: {active.sum()} active")
        right.set_xticklabels(names, fontsize=8)
        right.legend(fontsize=8, loc="upper left", ncols=3)

    def describe_segment(i):
        lam, w = segment_lams[i], segment_w[:, i]
        active = [names[j] for j in np.flatnonzero(w)]
        nearest = max((j for j in range(p) if w[j] == 0), key=lambda j: abs(segment_corr[j, i]), default=None)
        text = (f"Left: the {_count(p)} weights of the {what} against lambda on a log scale, with a cursor at "
                f"lambda = {lam:.3g}. Right: bars of the absolute correlation of each feature with the residual; the "
                f"{len(active)} active features ({', '.join(active)}) all reach exactly the dashed line at lambda")
        if nearest is not None:
            text += (f"; the inactive bars are below it, the highest being {names[nearest]} at "
                     f"{abs(segment_corr[nearest, i]) / lam:.0%} of lambda")
        return text + "."

    return Explorer(draw_segment, list(shown), label="segment of the path", alt=describe_segment,
                    format_value=lambda i: f"λ = {segment_lams[i]:.3g}", start=start, figsize=(10.5, 4.0))


def _count(p: int) -> str:
    return {10: "ten"}.get(p, str(p))
