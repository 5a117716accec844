r"""Chapter 11's explorers (study questions 1-8): bias and variance, learning rates, gradients through depth.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

from .. import plots
from .._validation import as_float_array, check_int, check_real
from ..bias_variance import BiasVariance
from ..dynamics import l2_step, trajectory
from ..nn import MLP as _MLP
from .explorer import Explorer

__all__ = ["bias_variance_explorer", "gradient_depth_explorer", "layer_gradient_norms", "learning_rate_explorer"]


def bias_variance_explorer(x_test, f_test, results: Sequence[BiasVariance], values: Sequence[float], *,
                           name: str = "λ", log_x: bool = True, n_curves: int = 12, start: int = 0,
                           ylim: tuple[float, float] = (-2.0, 2.0)) -> Explorer:
    r"""Slide a complexity parameter: the fits of many training sets, and the bias–variance curves.

    ``results[i]`` is the Monte-Carlo decomposition (:func:`lecture_code.bias_variance.bias_variance`)
    of the model with parameter ``values[i]`` (a strength :math:`\lambda`, a degree :math:`d`).
    Left: the predictions of the first ``n_curves`` training sets (thin lines),
    their mean :math:`\bar f` over all training sets (thick) and the true
    function :math:`f` (dashed): the spread of the thin lines is the variance,
    the gap between the thick and the dashed line the bias. Right: bias²,
    variance, :math:`\sigma^2` and their sum against the parameter, the
    current value marked.

    Parameters
    ----------
    x_test : array_like of shape (m,)
        The test inputs (1-D), in increasing order.
    f_test : array_like of shape (m,)
        The true function at ``x_test``.
    results : sequence of BiasVariance
        One decomposition per slider position, each with predictions of shape (S, m).
    values : sequence of float
        The parameter of each result (the slider positions, at most 25).
    name : str, default ``"λ"``
        The parameter's name, for labels (plain text: frames render faster without mathtext).
    log_x : bool, default True
        Logarithmic parameter axis (for :math:`\lambda`).
    n_curves : int, default 12
        How many individual fits to draw.
    start : int, default 0
        Initial slider index.
    ylim : (float, float), default (-2, 2)
        Range of the left panel's vertical axis.
    """
    x_test = as_float_array(x_test, "x_test", ndim=1)
    f_test = as_float_array(f_test, "f_test", ndim=1)
    if f_test.shape != x_test.shape:
        raise ValueError(f"f_test must have the shape of x_test {x_test.shape}, got {f_test.shape}")
    values = [check_real(v, "values") for v in values]
    if not 1 <= len(values) <= 25:
        raise ValueError(f"values must hold between 1 and 25 positions (each is a pre-rendered frame), got {len(values)}")
    if len(results) != len(values):
        raise ValueError(f"results must have one entry per value ({len(values)}), got {len(results)}")
    for r in results:
        if not isinstance(r, BiasVariance):
            raise TypeError(f"results must hold BiasVariance objects, got {type(r).__name__}")
        if r.predictions.shape[1] != x_test.shape[0]:
            raise ValueError(f"every result must have predictions at the {x_test.shape[0]} test inputs, "
                             f"got {r.predictions.shape[1]}")
    n_curves = check_int(n_curves, "n_curves", low=1)
    bias2 = np.array([r.bias2 for r in results])
    variance = np.array([r.variance for r in results])
    total = np.array([r.total for r in results])
    noise = results[0].noise
    fmt = (lambda v: f"{v:.0e}") if log_x else (lambda v: f"{v:g}")
    names = {v: fmt(v) for v in values}

    def draw(fig: Figure, value: float) -> None:
        left, right = fig.subplots(1, 2)
        r = results[values.index(value)]
        k = min(n_curves, r.n_sets)
        for s in range(k):
            left.plot(x_test, r.predictions[s], color=plots.COLORS["sky"], linewidth=0.8,
                      label=f"{k} of {r.n_sets} fits" if s == 0 else None)
        left.plot(x_test, r.mean_prediction, color=plots.FIT_COLOR, linewidth=2.5, label=f"mean of {r.n_sets} fits")
        left.plot(x_test, f_test, color=plots.TRUTH_COLOR, linestyle="--", linewidth=1.5, label="true function")
        left.set(ylim=ylim, xlabel="input x", ylabel="prediction",
                 title=f"{name} = {names[value]}: bias² {r.bias2:.3f}, variance {r.variance:.3f}")
        left.legend(loc="lower left", fontsize=8)
        right.plot(values, bias2, color=plots.COLORS["blue"], marker="o", label="bias²")
        right.plot(values, variance, color=plots.COLORS["vermillion"], marker="s", linestyle="-.", label="variance")
        right.plot(values, total, color=plots.COLORS["black"], marker="^", linestyle="--",
                   label="bias² + variance + σ²")
        right.axhline(noise, color=plots.COLORS["black"], linestyle=":", linewidth=1.2, label="noise σ²")
        right.axvline(value, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set_yscale("log")
        right.yaxis.set_minor_locator(NullLocator())
        if log_x:
            right.set_xscale("log")
            right.xaxis.set_major_locator(LogLocator(numticks=7))
            right.xaxis.set_minor_locator(NullLocator())
        right.set(xlabel=name, ylabel="expected squared error", title="The three parts of the test error")
        right.legend(loc="center left", fontsize=8)

    def alt(value: float) -> str:
        r = results[values.index(value)]
        return (f"Left: the predictions of {min(n_curves, r.n_sets)} models fitted to different training sets with "
                f"{name} = {names[value]}, their mean over {r.n_sets} training sets and the dashed "
                f"true function; squared bias {r.bias2:.4f}, variance {r.variance:.4f}. Right: squared bias, variance, "
                f"noise and their sum {r.total:.4f} against {name}, with the current value marked.")

    return Explorer(draw, values, label=name, alt=alt, format_value=lambda v: f"{name} = {names[v]}", start=start,
                    figsize=(10.0, 4.0))


def learning_rate_explorer(M: float, mu: float, lrs: Sequence[float], *, w0=(1.0, 1.0), n_steps: int = 30,
                           start: int = 0) -> Explorer:
    r"""Slide the step size :math:`\eta`: gradient descent on a two-dimensional quadratic.

    :math:`J(w) = \frac12(M w_1^2 + \mu w_2^2)` has Hessian :math:`\mathrm{diag}(M, \mu)`,
    :math:`M \ge \mu > 0`. Left: the contours of :math:`J` and the first
    iterates :math:`w_{k+1} = w_k - \eta\nabla J(w_k)` from ``w0``
    (:func:`lecture_code.dynamics.trajectory`; in closed form
    :math:`w_{k,i} = (1 - \eta h_i)^k w_{0,i}`, :math:`h = (M, \mu)`). Right: :math:`J(w_k)`
    against :math:`k` on a log scale, with the theoretical bound :math:`\gamma^{2k} J(w_0)`, where
    :math:`\gamma = \max(|1 - \eta M|, |1 - \eta\mu|)` is the contraction factor, as a dotted envelope.
    Below :math:`\eta = 1/M` the steep coordinate decreases monotonically,
    between :math:`1/M` and :math:`2/M` it zig-zags but shrinks, above
    :math:`2/M` it grows: gradient descent diverges.

    Parameters
    ----------
    M, mu : float
        The largest and smallest curvature, :math:`M \ge \mu > 0`.
    lrs : sequence of float
        The slider positions :math:`\eta > 0` (at most 25).
    w0 : (float, float), default (1, 1)
        Starting point.
    n_steps : int, default 30
        Iterations drawn.
    start : int, default 0
        Initial slider index.
    """
    M = check_real(M, "M", low=0.0, low_open=True)
    mu = check_real(mu, "mu", low=0.0, low_open=True)
    if mu > M:
        raise ValueError(f"mu must be <= M, got mu={mu:g} > M={M:g}")
    lrs = [check_real(lr, "lrs", low=0.0, low_open=True) for lr in lrs]
    if not 1 <= len(lrs) <= 25:
        raise ValueError(f"lrs must hold between 1 and 25 step sizes (each is a pre-rendered frame), got {len(lrs)}")
    n_steps = check_int(n_steps, "n_steps", low=1)
    h = np.array([M, mu])
    w0 = as_float_array(w0, "w0", ndim=1)
    if w0.shape != (2,):
        raise ValueError(f"w0 must hold two numbers, got shape {w0.shape}")
    # A plain gradient step is the weight-decay rule with lam = 0.
    paths = {lr: trajectory(l2_step, w0, n_steps, lr=lr, lam=0.0, grad=lambda w: h * w) for lr in lrs}
    losses = {lr: 0.5 * (paths[lr] ** 2 @ h) for lr in lrs}
    box = 1.6 * float(np.abs(w0).max())
    g1, g2 = np.meshgrid(np.linspace(-box, box, 81), np.linspace(-box, box, 81))
    grid_loss = 0.5 * (M * g1**2 + mu * g2**2)
    j0 = float(losses[lrs[0]][0])
    k = np.arange(n_steps + 1)

    def rate(lr: float) -> float:
        return max(abs(1 - lr * M), abs(1 - lr * mu))

    def regime(lr: float) -> int:
        """+1 diverges, 0 on the boundary (rate 1 up to rounding), -1 converges."""
        return 0 if abs(rate(lr) - 1) < 1e-9 else (1 if rate(lr) > 1 else -1)

    def draw(fig: Figure, lr: float) -> None:
        left, right = fig.subplots(1, 2)
        left.contour(g1, g2, grid_loss, levels=np.geomspace(1e-2, 4, 6) * j0, colors=plots.COLORS["black"],
                     linewidths=0.6, alpha=0.5)
        path = paths[lr]
        left.plot(path[:, 0], path[:, 1], color=plots.COLORS["vermillion"], marker="o", markersize=3.5,
                  linewidth=1.2, label="iterates $w_k$")
        left.plot(*w0, marker="s", color=plots.COLORS["blue"], linestyle="none", label="start $w_0$")
        left.plot(0, 0, marker="*", markersize=12, color=plots.COLORS["green"], linestyle="none",
                  label="minimum $w^*$")
        left.set(xlim=(-box, box), ylim=(-box, box), xlabel="$w_1$ (curvature $M$)",
                 ylabel=f"$w_2$ (curvature $\\mu$)", title=f"$\\eta$ = {lr:.3g} = {lr * M / 2:.2f} × 2/M")
        left.set_aspect("equal")
        # For eta < 1/mu the flat coordinate w_2 moves monotonically from w0[1] towards 0, so the half-plane
        # beyond the origin stays empty: the legend goes there.
        left.legend(loc="lower left" if w0[1] > 0 else "upper left", fontsize=8)
        loss = np.maximum(losses[lr], 1e-30)
        right.semilogy(k, loss, color=plots.COLORS["vermillion"], marker="o", markersize=3.5, label="$J(w_k)$")
        right.semilogy(k, np.maximum(rate(lr) ** (2 * k) * losses[lr][0], 1e-30), color=plots.COLORS["black"],
                       linestyle=":", label=r"$\gamma^{2k} J(w_0)$")
        right.yaxis.set_major_locator(LogLocator(numticks=7))
        right.yaxis.set_minor_locator(NullLocator())
        right.set(ylim=(1e-12, 1e6), xlabel="iteration $k$", ylabel="loss $J(w_k)$",
                  title=f"rate $\\gamma$ = {rate(lr):.3f}" + {1: ": diverges", 0: ": no progress", -1: ""}[regime(lr)])
        right.legend(loc="lower left", fontsize=8)

    def alt(lr: float) -> str:
        final = float(losses[lr][-1])
        verdict = {1: "diverges: the loss grows every step",
                   0: "neither converges nor diverges: the steep coordinate flips sign forever",
                   -1: ("converges, zig-zagging across the steep direction" if lr > 1 / M else
                        "converges without zig-zag")}[regime(lr)]
        return (f"Left: elliptical contours of a quadratic with curvatures {M:g} and {mu:g} and the first {n_steps} "
                f"gradient-descent iterates with step size {lr:.3g}, that is {lr * M / 2:.2f} times 2/M. Right: the "
                f"loss against the iteration on a log scale, ending at {final:.2g}; with this step size descent "
                f"{verdict} (rate {rate(lr):.3f}).")

    return Explorer(draw, lrs, label="step size η", alt=alt, format_value=lambda lr: f"η = {lr:.3g}",
                    start=start, figsize=(10.0, 4.2))



#: Activation -> (initialisation, colour, line style, marker) used by the vanishing-gradient explorer.
_GRADIENT_STYLES = {
    "sigmoid": ("xavier", plots.COLORS["vermillion"], "-", "o"),
    "tanh": ("xavier", plots.COLORS["green"], "--", "s"),
    "relu": ("he", plots.COLORS["blue"], "-.", "^"),
}


def layer_gradient_norms(X, y, *, depth: int, width: int, activation: str, seeds: Sequence[int],
                         loss: str = "binary_cross_entropy") -> np.ndarray:
    r"""Geometric mean over ``seeds`` of the per-layer gradient norms :math:`\lVert\partial L/\partial W_l\rVert_F`
    of a freshly initialised network with ``depth`` hidden layers of ``width`` units.

    The initialisation is the one usually paired with the activation: Xavier
    (Glorot) for sigmoid and tanh, He for ReLU. Returns an array of length
    ``depth + 1`` (one entry per weight layer, input side first).
    """
    depth = check_int(depth, "depth", low=1)
    width = check_int(width, "width", low=1)
    if activation not in _GRADIENT_STYLES:
        raise ValueError(f"activation must be one of {list(_GRADIENT_STYLES)}, got {activation!r}")
    if isinstance(seeds, (str, bytes)) or len(seeds) == 0:
        raise ValueError("seeds must be a non-empty sequence of integers")
    X = as_float_array(X, "X", ndim=2)
    init = _GRADIENT_STYLES[activation][0]
    logs = [np.log(_MLP([X.shape[1]] + [width] * depth + [1], activation=activation, init=init,
                        seed=check_int(s, "seeds", low=0)).gradient_norms(X, y, loss=loss))
            for s in seeds]
    return np.exp(np.mean(logs, axis=0))


def gradient_depth_explorer(X, y, *, depths: Sequence[int], width: int = 32, seeds: Sequence[int] = (0, 1, 2),
                            loss: str = "binary_cross_entropy", start: int = 0) -> Explorer:
    r"""Slide the number of hidden layers: per-layer gradient norms at initialisation for sigmoid, tanh and ReLU.

    Each frame shows, on a log scale, :math:`\lVert\partial L/\partial W_l\rVert_F` against the
    layer :math:`l` (input side on the left), averaged geometrically over ``seeds``.
    """
    depths = [check_int(d, "depths", low=1) for d in depths]
    norms = {(d, a): layer_gradient_norms(X, y, depth=d, width=width, activation=a, seeds=seeds, loss=loss)
             for d in depths for a in _GRADIENT_STYLES}
    low = min(v.min() for v in norms.values())
    high = max(v.max() for v in norms.values())
    ylim = (10 ** np.floor(np.log10(low)), 10 ** np.ceil(np.log10(high) + 0.3))

    def draw(fig: Figure, d: int) -> None:
        ax = fig.subplots()
        layers = np.arange(1, d + 2)
        for a, (_, color, style, marker) in _GRADIENT_STYLES.items():
            ax.semilogy(layers, norms[d, a], color=color, linestyle=style, marker=marker, label=a)
        ax.set(xlim=(0.5, max(depths) + 1.5), ylim=ylim, xlabel="weight layer $l$ (1 = next to the input)",
               ylabel=r"$\|\partial L/\partial W_l\|_F$",
               title=f"{d} hidden layer{'s' if d > 1 else ''} of width {width}, at initialisation")
        ax.legend(loc="lower right")

    def alt(d: int) -> str:
        parts = [f"{a}: first layer {norms[d, a][0]:.1e}, last layer {norms[d, a][-1]:.1e}" for a in _GRADIENT_STYLES]
        return (f"Log-scale plot of the gradient norm of each weight layer of a network with {d} hidden layers "
                f"at initialisation. " + "; ".join(parts) + ".")

    return Explorer(draw, depths, label="hidden layers", alt=alt, start=start, figsize=(8.0, 3.8))
