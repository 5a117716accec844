r"""Chapter 6's explorer (elastic net): the path and the two-weight picture under an (α, λ) slider.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int, check_real, check_Xy
from ..solvers import enet_path
from .explorer import Explorer

__all__ = ["elastic_net_explorer"]


#: Line styles that tell the feature groups of chapter 6 apart without colour.
_GROUP_STYLES = (("blue", "-"), ("vermillion", "--"), ("green", ":"), ("orange", "-."), ("purple", (0, (5, 1, 1, 1))))


def _sub(k: int) -> str:
    """An index as Unicode subscript digits (plain text renders much faster than mathtext)."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def elastic_net_explorer(X, y, alphas: Sequence[float], lambdas: Sequence[float], *, pair: tuple[int, int] = (0, 1),
                         groups=None, start: int = 0, grid_size: int = 121, n_path: int = 60) -> Explorer:
    r"""Slide over pairs :math:`(\alpha, \lambda)`: the elastic-net path (left) and a two-weight slice (right).

    Each frame solves the course's elastic-net problem
    :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (:func:`lecture_code.solvers.enet_path`; scikit-learn's
    ``ElasticNet(alpha=λ, l1_ratio=α)``) for one pair of the grid
    ``alphas × lambdas`` (α outer, λ inner).

    *Left*: every weight against :math:`\lambda` (log axis) for this
    :math:`\alpha`, coloured and styled by group, the current :math:`\lambda`
    marked. *Right*: the plane of the two weights ``pair = (i, j)`` with all
    other weights held at their fitted values. There the fitted
    :math:`(w_i, w_j)` minimises the slice loss
    :math:`\frac{1}{2n}\lVert r - x_i w_i - x_j w_j\rVert^2` (``r`` the partial
    residual) plus :math:`\lambda P_\alpha(w_i, w_j)`, so it is also the
    minimiser of the slice loss over the elastic-net ball
    :math:`\{P_\alpha \le P_\alpha(w_i, w_j)\}`: the frame draws the loss
    contours, that ball and the contour that touches it. For
    :math:`\alpha = 1` the touching point is often a corner (one weight
    exactly 0); for small :math:`\alpha` the ball is round and the two
    correlated weights come out nearly equal.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alphas : sequence of float
        Mixing parameters in (0, 1].
    lambdas : sequence of float
        Penalty strengths > 0. ``len(alphas) * len(lambdas)`` frames, at most 20.
    pair : (int, int), default (0, 1)
        The two features of the right panel (distinct).
    groups : array_like of int, shape (p,), optional
        Group label of each feature, for the line colours and styles (default: one group).
    start : int, default 0
        Initial slider index.
    grid_size : int, default 121
        Grid points per axis for the contours.
    n_path : int, default 60
        Number of λ on the drawn path.

    Returns
    -------
    Explorer
        Its values are the ``(alpha, lam)`` pairs; ``explorer.solutions[(alpha, lam)]`` holds the
        fitted weights of each frame.
    """
    X, y = check_Xy(X, y)
    n, p = X.shape
    alphas = [check_real(a, "alphas", low=0.0, high=1.0, low_open=True) for a in alphas]
    lambdas = sorted((check_real(lam, "lambdas", low=0.0, low_open=True) for lam in lambdas), reverse=True)
    if not alphas or not lambdas or len(alphas) * len(lambdas) > 20:
        raise ValueError(f"alphas and lambdas must be non-empty with at most 20 pairs (each is a pre-rendered frame), "
                         f"got {len(alphas)} x {len(lambdas)}")
    if len(pair) != 2:
        raise ValueError(f"pair must hold two feature indices, got {pair!r}")
    i, j = (check_int(k, "pair", low=0, high=p - 1) for k in pair)
    if i == j:
        raise ValueError(f"pair must hold two different features, got ({i}, {j})")
    groups = np.zeros(p, dtype=int) if groups is None else np.asarray(groups)
    if groups.shape != (p,) or not np.issubdtype(groups.dtype, np.integer):
        raise ValueError(f"groups must be an integer array of shape ({p},), got {groups.dtype} of shape {groups.shape}")
    grid_size = check_int(grid_size, "grid_size", low=10)
    n_path = check_int(n_path, "n_path", low=2)

    Xc, yc = X - X.mean(axis=0), y - y.mean()
    lam_low = min(lambdas) / 3.0
    paths, solutions = {}, {}
    for a in alphas:
        lam_max = float(np.abs(Xc.T @ yc).max()) / (n * a)
        paths[a] = enet_path(X, y, a, lambdas=np.geomspace(max(lam_max, max(lambdas)) * 1.05, lam_low, n_path),
                             tol=1e-10)
        exact = enet_path(X, y, a, lambdas=lambdas, tol=1e-10)
        for k, lam in enumerate(exact.lambdas):
            solutions[a, lam] = exact.coefs[:, k]
    values = [(a, lam) for a in alphas for lam in lambdas]

    # The slice loss in (u, v) = (w_i, w_j): a quadratic with the 2 x 2 Gram matrix of x_i, x_j.
    xi, xj = Xc[:, i], Xc[:, j]
    G = np.array([[xi @ xi, xi @ xj], [xi @ xj, xj @ xj]]) / n

    def slice_of(w: np.ndarray):
        r = yc - Xc @ w + xi * w[i] + xj * w[j]
        b = np.array([xi @ r, xj @ r]) / n
        centre = np.linalg.lstsq(G, b, rcond=None)[0]
        const = r @ r / (2 * n)
        return b, const, centre

    def slice_loss(u, v, b, const):
        return const - b[0] * u - b[1] * v + 0.5 * (G[0, 0] * u * u + 2 * G[0, 1] * u * v + G[1, 1] * v * v)

    reach = max(max(float(np.abs(slice_of(w)[2]).max()), float(np.abs(w[[i, j]]).max())) for w in solutions.values())
    lim = 1.15 * max(reach, 1e-3)
    U, V = np.meshgrid(np.linspace(-lim, lim, grid_size), np.linspace(-lim, lim, grid_size))
    group_ids = np.unique(groups)

    def penalty(a: float, u: float, v: float) -> float:
        return a * (abs(u) + abs(v)) + 0.5 * (1 - a) * (u * u + v * v)

    def draw(fig: Figure, value) -> None:
        a, lam = value
        w = solutions[a, lam]
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
        path = paths[a]
        for g_index, g in enumerate(group_ids):
            colour, style = _GROUP_STYLES[g_index % len(_GROUP_STYLES)]
            for k in np.flatnonzero(groups == g):
                left.plot(path.lambdas, path.coefs[k], color=plots.COLORS[colour], linestyle=style,
                              linewidth=2.4 if k in (i, j) else 1.2,
                              label=f"group {g}" if k == np.flatnonzero(groups == g)[0] else None)
        left.set_xscale("log")
        left.xaxis.set_major_locator(mpl.ticker.LogLocator(subs=(1.0, 2.0, 5.0), numticks=12))
        left.xaxis.set_minor_locator(mpl.ticker.NullLocator())
        left.xaxis.set_major_formatter(mpl.ticker.FormatStrFormatter("%g"))  # plain text: no mathtext per frame
        left.axvline(lam, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        left.axhline(0.0, color=plots.COLORS["black"], linewidth=0.6)
        left.set(xlabel="penalty strength λ (log scale)", ylabel="weight wⱼ",
                 title=f"Path for α = {a:g}: {np.count_nonzero(w)} of {p} weights ≠ 0")
        if len(group_ids) > 1:
            left.legend(loc="upper right", fontsize=8)
        b, const, centre = slice_of(w)
        loss = slice_loss(U, V, b, const)
        here = float(slice_loss(w[i], w[j], b, const))
        low = float(slice_loss(centre[0], centre[1], b, const))
        levels = low + (here - low) * np.array([0.25, 1.0, 2.5, 5.0, 9.0, 15.0]) if here > low + 1e-12 else \
            low + np.geomspace(1e-2, 1.0, 6) * (float(loss.max()) - low)
        right.contour(U, V, loss, levels=np.unique(levels), colors=plots.COLORS["sky"], linewidths=1.0)
        if here > low + 1e-12:
            right.contour(U, V, loss, levels=[here], colors=plots.COLORS["blue"], linewidths=2.0)
        level = penalty(a, w[i], w[j])
        if level > 0:
            plots.plot_ball(right, *plots.elastic_net_ball_boundary(a, level=level), color=plots.COLORS["vermillion"],
                            label=f"ball P_α ≤ {level:.2f}")
        right.plot(*centre, marker="+", color=plots.COLORS["black"], markersize=12, linestyle="none",
                   label="slice least squares")
        right.plot(w[i], w[j], marker="o", color=plots.COLORS["vermillion"], markeredgecolor=plots.COLORS["black"],
                   linestyle="none", markersize=8, label=f"fit ({w[i]:.2f}, {w[j]:.2f})")
        right.axhline(0.0, color=plots.COLORS["black"], linewidth=0.6)
        right.axvline(0.0, color=plots.COLORS["black"], linewidth=0.6)
        right.set_aspect("equal", adjustable="box")
        right.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel=f"weight w{_sub(i)}", ylabel=f"weight w{_sub(j)}",
                  title=f"λ = {lam:g}: slice through w{_sub(i)}, w{_sub(j)}")
        right.legend(loc="lower left", fontsize=7)

    def alt(value) -> str:
        a, lam = value
        w = solutions[a, lam]
        wi, wj = w[i], w[j]
        if wi == 0.0 and wj == 0.0:
            where = "both are exactly 0, at the origin"
        elif wi == 0.0 or wj == 0.0:
            where = f"w{i if wi == 0.0 else j} is exactly 0: the contour touches the ball at a corner on an axis"
        else:
            where = f"both are non-zero and differ by {abs(wi - wj):.2f}"
        return (f"Left: elastic-net path for alpha = {a:g}, every weight against lambda on a log axis, lines styled by "
                f"group, with lambda = {lam:g} marked; there {np.count_nonzero(w)} of {p} weights are non-zero. "
                f"Right: loss contours in the plane of w{i} and w{j} with the other weights fixed, the elastic-net "
                f"ball of alpha = {a:g} through the fitted point ({wi:.2f}, {wj:.2f}) and the contour touching it; "
                f"{where}.")

    explorer = Explorer(draw, values, label="(α, λ)", alt=alt, format_value=lambda v: f"α = {v[0]:g}, λ = {v[1]:g}",
                        start=start, figsize=(10.0, 4.2))
    explorer.solutions = solutions
    return explorer
