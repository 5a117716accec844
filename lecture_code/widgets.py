"""Interactive explorers: a slider joined to a computation and a figure.

An :class:`Explorer` renders one figure per slider position. It is displayed
in two forms at once:

* in Jupyter, Binder or Colab, a live ipywidgets slider whose Python callback
  draws the figure for the chosen value;
* everywhere else (the static course site, a notebook viewer), a
  self-contained HTML slider over the pre-rendered frames, with a few lines of
  inline JavaScript and per-frame alt text: it works with no kernel and no
  network, and the first frame is a useful static picture on its own.

The site build sets the environment variable ``LECTURE_CODE_SITE_BUILD=1``;
then no live widget is created, so the page carries no widget state and loads
no widget JavaScript.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import plots
from ._validation import as_float_array, check_int
from .data import true_curve
from .model_selection import mean_squared_error
from .polynomial import fit_polynomial

SITE_BUILD_VARIABLE = "LECTURE_CODE_SITE_BUILD"

_SCRIPT = """(function () {
  var root = document.currentScript.parentElement;
  var data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var input = root.querySelector('input'), out = root.querySelector('output'), img = root.querySelector('img');
  input.addEventListener('input', function () {
    var i = Number(input.value);
    img.src = 'data:image/png;base64,' + data.frames[i];
    img.alt = data.alts[i];
    out.textContent = data.labels[i];
    input.setAttribute('aria-valuetext', data.labels[i]);
  });
})();"""


def live_widgets_enabled() -> bool:
    """False while the course site is built (``LECTURE_CODE_SITE_BUILD=1``), True otherwise."""
    return os.environ.get(SITE_BUILD_VARIABLE, "") not in ("1", "true", "yes")


class Explorer:
    """A slider over a sequence of values, each drawn as one figure.

    Parameters
    ----------
    draw : callable ``draw(fig, value) -> None``
        Draws the figure for ``value`` on an empty :class:`matplotlib.figure.Figure`.
    values : sequence
        The slider positions, in order.
    label : str
        The slider's visible label, e.g. ``"degree d"``.
    alt : callable ``alt(value) -> str``
        Alt text of the frame for ``value``: what a reader who cannot see it should know.
    format_value : callable, default ``str``
        How a value is written next to the slider.
    start : int, default 0
        Index of the initial position.
    figsize : (float, float), default (9, 3.6)
        Figure size in inches.
    dpi : int, default 72
        Resolution of the frames (bytes on the static page grow with its square).
    """

    def __init__(self, draw: Callable[[Figure, object], None], values: Sequence, *, label: str,
                 alt: Callable[[object], str], format_value: Callable[[object], str] = str, start: int = 0,
                 figsize: tuple[float, float] = (9.0, 3.6), dpi: int = 72) -> None:
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {type(draw).__name__}")
        if not callable(alt):
            raise TypeError(f"alt must be callable, got {type(alt).__name__}")
        if isinstance(values, (str, bytes)) or len(values) == 0:
            raise ValueError("values must be a non-empty sequence")
        if not isinstance(label, str) or not label:
            raise ValueError("label must be a non-empty string")
        self.values = list(values)
        self.start = check_int(start, "start", low=0, high=len(self.values) - 1)
        self.dpi = check_int(dpi, "dpi", low=10)
        self.label, self.alt, self.format_value, self.figsize = label, alt, format_value, figsize
        self._draw = draw
        self._frame = lru_cache(maxsize=None)(self._render)

    def _render(self, index: int) -> bytes:
        with mpl.rc_context():
            plots.use_course_style()
            fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(fig)
            self._draw(fig, self.values[index])
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()

    def frame(self, index: int) -> bytes:
        """The PNG bytes of the figure at slider position ``index``."""
        return self._frame(check_int(index, "index", low=0, high=len(self.values) - 1))

    def to_html(self) -> str:
        """A self-contained HTML slider over all frames (no kernel, no network needed)."""
        frames = [base64.b64encode(self.frame(i)).decode("ascii") for i in range(len(self.values))]
        labels = [self.format_value(v) for v in self.values]
        alts = [self.alt(v) for v in self.values]
        payload = json.dumps({"frames": frames, "labels": labels, "alts": alts}).replace("</", "<\\/")
        i = self.start
        png = self.frame(i)
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        caption = (f"Explorer at {self.label} = {labels[i]}, one of its {len(frames)} positions "
                   f"(move its slider on the course site). {alts[i]}")
        # The label and the value never break; on a narrow screen the slider moves to a line of its own. The
        # frame keeps its drawn width (up to 42rem, the site's column) and scrolls sideways inside its box
        # instead of shrinking its text on a phone. Printed, the explorer is its shown frame and a caption.
        return (
            '<div class="lc-explorer">'
            '<label style="display:flex;flex-wrap:wrap;gap:0.25em 0.75em;align-items:center">'
            f'<span style="white-space:nowrap">{html.escape(self.label)}</span>'
            f'<input type="range" min="0" max="{len(frames) - 1}" step="1" value="{i}" '
            f'aria-valuetext="{html.escape(labels[i])}" style="flex:1 1 8em;min-width:8em;max-width:24em">'
            f'<output style="white-space:nowrap">{html.escape(labels[i])}</output></label>'
            '<div class="lc-explorer-frame" style="overflow-x:auto">'
            f'<img src="data:image/png;base64,{frames[i]}" alt="{html.escape(alts[i])}" '
            f'width="{width}" height="{height}" '
            f'style="max-width:100%;height:auto;min-width:min({width}px,42rem);background:#fff"></div>'
            f'<p class="lc-explorer-caption" style="display:none">{html.escape(caption)}</p>'
            f'<script type="application/json">{payload}</script>'
            f'<script>{_SCRIPT}</script></div>'
        )

    def widget(self):
        """A live ipywidgets view: a slider whose callback draws the chosen frame."""
        import ipywidgets

        options = [(self.format_value(v), i) for i, v in enumerate(self.values)]
        slider = ipywidgets.SelectionSlider(options=options, value=self.start, description=self.label,
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout=ipywidgets.Layout(width="32em"))
        image = ipywidgets.Image(value=self.frame(self.start), format="png")

        def show(change) -> None:
            image.value = self.frame(change["new"])

        slider.observe(show, names="value")
        return ipywidgets.VBox([slider, image])

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {
            "text/plain": f"<Explorer: {self.label}, {len(self.values)} positions>",
            "text/html": self.to_html(),
        }
        if live_widgets_enabled():
            # The widget-view MIME type, as ipywidgets 8 writes it; ipywidgets 7 (Colab's) has no
            # _repr_mimebundle_ but the same message protocol (version 2), so both front ends render it.
            view = {"version_major": 2, "version_minor": 0, "model_id": self.widget().model_id}
            bundle["application/vnd.jupyter.widget-view+json"] = view
        return bundle


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
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    degree = check_int(degree, "degree", low=1)
    lambdas = as_float_array(lambdas, "lambdas", ndim=1)
    if not 1 <= lambdas.size <= 25:
        raise ValueError(f"lambdas must hold between 1 and 25 strengths (each is a pre-rendered frame), "
                         f"got {lambdas.size}")
    if np.any(lambdas <= 0):
        raise ValueError(f"lambdas must all be > 0, got {lambdas.min()}")
    if np.any(np.diff(lambdas) <= 0):
        raise ValueError("lambdas must be strictly increasing")
    train_idx, val_idx = np.asarray(train_idx), np.asarray(val_idx)
    x_tr, y_tr, x_va, y_va = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
    fits = [fit_polynomial(x_tr, y_tr, degree, lam=float(lam)) for lam in lambdas]
    train_err = np.array([mean_squared_error(y_tr, f.predict(x_tr)) for f in fits])
    val_err = np.array([mean_squared_error(y_va, f.predict(x_va)) for f in fits])
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


# --- Chapter 4: subgradients (one weight under a constant vs a proportional penalty step) ---
from ._validation import check_real  # noqa: E402
from .dynamics import l1_step, l2_step, prox_l1_step, trajectory  # noqa: E402

#: The three penalty-only update rules of chapter 4: (legend label, rule, colour, line style, marker, marker
#: keywords). The L1 subgradient and the clipped L1 steps coincide until the weight enters the band
#: :math:`|w| < \eta\lambda`, so their markers are drawn to stay apart: large open circles underneath, small filled
#: triangles on top (``zorder``), squares in between.
PENALTY_RULES = (
    ("L1 subgradient step", l1_step, plots.COLORS["blue"], "-", "o",
     {"markersize": 10, "markerfacecolor": "none", "markeredgewidth": 1.5, "zorder": 2}),
    ("L2 step (weight decay)", l2_step, plots.COLORS["vermillion"], "--", "s", {"markersize": 4.5, "zorder": 3}),
    ("clipped L1 step (proximal)", prox_l1_step, plots.COLORS["green"], ":", "^",
     {"markersize": 6.5, "markeredgecolor": plots.COLORS["black"], "markeredgewidth": 0.7, "zorder": 4}),
)


def penalty_step_explorer(w0: float = 1.0, *, lr: float = 0.1, lam: float = 0.7, n_steps: int = 40,
                          steps: Sequence[int] | None = None, start: int = 0) -> Explorer:
    r"""Slide the step index :math:`k`: one weight under each penalty alone, and the size of its steps.

    The three rules of :mod:`lecture_code.dynamics` with no data gradient,

    .. math::

        w_{k+1} = w_k - \eta\lambda\operatorname{sign}(w_k), \qquad
        w_{k+1} = (1 - \eta\lambda)\,w_k, \qquad
        w_{k+1} = S(w_k, \eta\lambda),

    start from the same :math:`w_0`. Left: the trajectories up to step
    :math:`k`, with the band :math:`|w| < \eta\lambda` marked. Right: the size
    :math:`|w_i - w_{i-1}|` of each step taken so far: constant
    :math:`\eta\lambda` for L1, shrinking with :math:`|w|` for L2, 0 once the
    clipped (proximal) weight has landed on 0. The legend labels and markers are
    those of :data:`PENALTY_RULES`.

    Parameters
    ----------
    w0 : float, default 1.0
        Starting weight :math:`w_0 \ne 0`.
    lr : float, default 0.1
        Step size :math:`\eta > 0`.
    lam : float, default 0.7
        Penalty strength :math:`\lambda > 0`, with :math:`\eta\lambda < 1`.
    n_steps : int, default 40
        Length of the trajectories.
    steps : sequence of int, optional
        The slider positions :math:`k`, strictly increasing (at most 25, each in ``[0, n_steps]``). The
        slider gives every position the same width, so evenly spaced values (e.g. ``range(0, 41, 5)``) make
        it move evenly in :math:`k`; default: about 20 evenly spaced values.
    start : int, default 0
        Initial slider index.
    """
    w0 = float(check_real(w0, "w0"))
    if w0 == 0:
        raise ValueError("w0 must be non-zero (every rule keeps w = 0 at 0)")
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    if lr * lam >= 1:
        raise ValueError(f"lr * lam must be < 1 (the L2 step multiplies w by 1 - lr * lam), got {lr * lam:g}")
    n_steps = check_int(n_steps, "n_steps", low=1)
    if steps is None:
        steps = range(0, n_steps + 1, max(1, -(-n_steps // 20)))
    steps = [check_int(k, "steps", low=0, high=n_steps) for k in steps]
    if not 1 <= len(steps) <= 25:
        raise ValueError(f"steps must hold between 1 and 25 positions (each is a pre-rendered frame), got {len(steps)}")
    if any(b <= a for a, b in zip(steps, steps[1:])):
        raise ValueError("steps must be strictly increasing")
    paths = {label: trajectory(rule, w0, n_steps, lr=lr, lam=lam) for label, rule, *_ in PENALTY_RULES}
    sizes = {label: np.abs(np.diff(path)) for label, path in paths.items()}
    band = lr * lam
    all_w = np.concatenate(list(paths.values()))
    w_lim = (min(all_w.min(), -band) - 0.08 * abs(w0), max(all_w.max(), band) + 0.08 * abs(w0))
    i_all = np.arange(n_steps + 1)

    def draw(fig: Figure, k: int) -> None:
        left, right = fig.subplots(1, 2)
        for edge in (-band, band):
            left.axhline(edge, color=plots.COLORS["black"], linestyle="-.", linewidth=1.0,
                         label=r"$\pm\eta\lambda$" if edge > 0 else None)
        left.axhline(0.0, color=plots.COLORS["black"], linewidth=0.8)
        for label, _, color, style, marker, marker_kw in PENALTY_RULES:
            left.plot(i_all, paths[label], color=color, linestyle=style, alpha=0.2, linewidth=1.2)
            left.plot(i_all[: k + 1], paths[label][: k + 1], color=color, linestyle=style, marker=marker,
                      label=label, **marker_kw)
            if k > 0:
                right.plot(i_all[1: k + 1], sizes[label][:k], color=color, linestyle=style, marker=marker,
                           label=label, **marker_kw)
        left.axvline(k, color=plots.COLORS["black"], linestyle=":", linewidth=1.0)
        left.set(xlim=(-0.5, n_steps + 0.5), ylim=w_lim, xlabel="step $k$", ylabel="weight $w_k$",
                 title=f"One weight after k = {k} steps")
        left.legend(loc="upper right", fontsize=8)
        right.axhline(band, color=plots.COLORS["black"], linestyle="-.", linewidth=1.0, label=r"$\eta\lambda$")
        right.set(xlim=(-0.5, n_steps + 0.5), ylim=(-0.05 * band, 1.25 * band), xlabel="step $k$",
                  ylabel=r"step size $|w_k - w_{k-1}|$", title="Size of each penalty step")
        right.legend(loc="center right", fontsize=8)

    def alt(k: int) -> str:
        values = [paths[label][k] for label, *_ in PENALTY_RULES]
        text = (f"Left: one weight starting at {w0:g} under the L1 subgradient step (open circles), the L2 "
                f"weight-decay step (squares) and the clipped L1 (proximal) step (small triangles), shown up to "
                f"step {k}; after {k} steps the weights are {values[0]:.3f}, {values[1]:.3f} and {values[2]:.3f}")
        if values[2] == 0:
            text += " (the clipped weight is exactly 0)"
        text += f". Right: the size of each step so far; the L1 subgradient step always has size {band:.3f}"
        if k > 0:
            text += f", the last L2 step had size {sizes[PENALTY_RULES[1][0]][k - 1]:.3f}"
        return text + "."

    return Explorer(draw, steps, label="step k", alt=alt, format_value=lambda k: f"k = {k}", start=start)


# --- Chapter 3: L1 regularization (the constrained two-weight picture under a moving radius s) ---
from ._validation import check_Xy  # noqa: E402
from .constrained import constrained_least_squares, least_squares_loss_grid  # noqa: E402
from .solvers import least_squares  # noqa: E402


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


# --- Chapter 2: L2 regularization ---
from .shrinkage import effective_degrees_of_freedom  # noqa: E402


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
    x, y : array_like of shape (n,)
        The whole sample; ``train_idx`` and ``val_idx`` say which points train and which validate.
    degree : int
        Polynomial degree :math:`d \ge 1`.
    lambdas : sequence of float
        The slider positions, each :math:`\lambda > 0` (keep it to about 25 or fewer: one frame each).
    start : int
        Initial slider index.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    degree = check_int(degree, "degree", low=1)
    lambdas = as_float_array(lambdas, "lambdas", ndim=1)
    if np.any(lambdas <= 0):
        raise ValueError(f"lambdas must all be > 0, got {lambdas.min()}")
    train_idx, val_idx = np.asarray(train_idx), np.asarray(val_idx)
    x_tr, y_tr, x_va, y_va = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
    fits = [fit_polynomial(x_tr, y_tr, degree, lam=float(lam)) for lam in lambdas]
    features = fits[0].features(x_tr)
    dfs = effective_degrees_of_freedom(features, lambdas)
    val_err = np.array([mean_squared_error(y_va, f.predict(x_va)) for f in fits])
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


# --- Chapter 11: study questions (3, 4, 6, 8) ---
from ._validation import as_float_array, check_int, check_real  # noqa: E402
from .bias_variance import BiasVariance  # noqa: E402
from .dynamics import l2_step, trajectory  # noqa: E402
from matplotlib.ticker import LogLocator, NullLocator  # noqa: E402


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


# --- Chapter 11: study questions (1, 2, 5, 7) ---
from .nn import MLP as _MLP  # noqa: E402

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


# --- Chapter 10: regularization in neural networks (decision boundary under a λ slider) ---
from ._validation import as_float_array, check_real  # noqa: E402
from .datasets2d import grid_2d as _grid_2d  # noqa: E402
from .nn import MLP as _NN_MLP  # noqa: E402


def penalty_boundary_explorer(X, y, lambdas: Sequence[float], networks: dict, *, X_val=None, y_val=None,
                              resolution: int = 120, small: float = 1e-2, start: int = 0) -> Explorer:
    r"""Slide the penalty strength :math:`\lambda`: the decision boundaries of networks trained with it.

    ``networks`` maps a panel title (e.g. ``"L2"``, ``"L1"``) to a list of trained
    binary classifiers (:class:`lecture_code.nn.MLP` with one output), one per entry
    of ``lambdas`` — for instance the networks of :func:`lecture_code.nn.train_path`.
    Training happens before, so every frame is only drawn. Each panel shows the
    probability :math:`\hat y` of class 1 over the plane, the boundary :math:`\hat y = 1/2`, the training
    points, and in its title the training (and validation) accuracy and how many
    weights are below ``small`` in absolute value.

    Parameters
    ----------
    X, y : training points (n, 2) and 0/1 labels (n,)
    lambdas : sequence of float
        The slider positions (at most 20: each is a pre-rendered frame).
    networks : dict of str -> list of MLP
    X_val, y_val : optional validation data, drawn faintly and scored
    resolution : int
        Grid points per axis.
    small : float
        Threshold for counting near-zero weights.
    start : int
        Initial slider index.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    lambdas = [check_real(lam, "lambdas", low=0.0) for lam in lambdas]
    if not 1 <= len(lambdas) <= 20:
        raise ValueError(f"lambdas must hold between 1 and 20 values (each is a pre-rendered frame), got {len(lambdas)}")
    if not isinstance(networks, dict) or not networks:
        raise TypeError("networks must be a non-empty dict of title -> list of MLP")
    for title, nets in networks.items():
        if len(nets) != len(lambdas) or not all(isinstance(m, _NN_MLP) and m.sizes[-1] == 1 for m in nets):
            raise ValueError(f"networks[{title!r}] must hold one binary MLP (one output) per lambda")
    small = check_real(small, "small", low=0.0, low_open=True)
    xx, yy, points = _grid_2d(X if X_val is None else np.vstack([X, X_val]), resolution=resolution, margin=0.3)
    stats = {}
    for title, nets in networks.items():
        for i, m in enumerate(nets):
            w = np.concatenate([W.ravel() for W in m.weights])
            stats[title, i] = {
                "proba": m.predict_proba(points).reshape(xx.shape),
                "train": m.accuracy(X, y),
                "val": None if X_val is None else m.accuracy(X_val, y_val),
                "small": int(np.count_nonzero(np.abs(w) < small)),
                "size": w.size,
            }

    def describe(title, i):
        s = stats[title, i]
        text = f"train {s['train']:.0%}"
        if s["val"] is not None:
            text += f", validation {s['val']:.1%}"
        return text, f"{s['small']}/{s['size']} weights below {small:g}"

    def draw(fig: Figure, lam: float) -> None:
        i = lambdas.index(lam)
        axes = np.atleast_1d(fig.subplots(1, len(networks)))
        for k, (ax, title) in enumerate(zip(axes, networks)):
            acc, sparsity = describe(title, i)
            plots.plot_decision_boundary(ax, xx, yy, stats[title, i]["proba"], X, y,
                                         X_faint=None if X_val is None else X_val[:150],
                                         y_faint=None if y_val is None else y_val[:150], legend=k == 0)
            ax.set_title(f"{title}, λ = {lam:g}\n{acc}\n{sparsity}", fontsize=10)
            if k > 0:
                ax.set_ylabel("")

    def alt(lam: float) -> str:
        i = lambdas.index(lam)
        parts = []
        for title in networks:
            acc, sparsity = describe(title, i)
            parts.append(f"{title} penalty: {acc}; {sparsity}")
        return (f"Decision boundaries of the same network trained with penalty strength λ = {lam:g}, one panel per "
                "penalty, over the training points of both classes. " + ". ".join(parts) + ".")

    return Explorer(draw, lambdas, label="penalty strength λ", alt=alt, format_value=lambda v: f"λ = {v:g}",
                    start=start, figsize=(4.2 * len(networks), 4.6))


# --- Chapter 6: elastic net (the path and the two-weight picture under an (α, λ) slider) ---
from .solvers import enet_path  # noqa: E402

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


# --- Chapter 5: soft thresholding (the lasso path under a λ cursor) ---
from ._validation import check_real, check_Xy  # noqa: E402
from .solvers import lasso_path as _lasso_path  # noqa: E402


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
        true_coef = as_float_array(true_coef, "true_coef", ndim=1)
        if true_coef.shape[0] != p:
            raise ValueError(f"true_coef must have one entry per column of X ({p}), got {true_coef.shape[0]}")
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


# --- Chapter 7: L1 versus L2 (risk of the tuned penalties against the number of relevant features) ---
def l1_vs_l2_explorer(ks: Sequence[int], risks, coef_true, coefs, *, methods: Sequence[str] = ("ridge", "lasso",
                      "elastic net"), start: int = 0) -> Explorer:
    r"""Slide the number :math:`k` of relevant features: one example fit (left) and the risk of every penalty (right).

    Nothing is fitted here: the notebook runs the simulation (for instance with
    :func:`lecture_code.comparison.compare_penalties`) and passes its results.

    *Left*: the example problem at this :math:`k`, its features sorted by the
    true weight :math:`w^\star_j` (black line), with the cross-validated weights
    of the first two ``methods`` (by default ridge and the lasso) as markers;
    exact zeros sit on the axis. *Right*: the mean risk relative to the oracle,
    :math:`\mathbb E(y - \hat y)^2/\sigma^2`, of every method against
    :math:`k`, ± one standard error over the simulated problems, with the current
    :math:`k` marked.

    Parameters
    ----------
    ks : sequence of int
        Numbers of relevant features, increasing; at most 20 (each is a pre-rendered frame).
    risks : array_like of shape (len(ks), n_problems, len(methods))
        Relative risk of every method on every problem (at least two problems per k).
    coef_true : array_like of shape (len(ks), p)
        True weights of the example problem at each k.
    coefs : array_like of shape (len(ks), len(methods), p)
        Fitted weights of the example problem.
    methods : sequence of str, default ("ridge", "lasso", "elastic net")
        Names, keys of :data:`lecture_code.plots.PENALTY_STYLES`.
    start : int, default 0
        Initial slider index.
    """
    ks = [check_int(k, "ks", low=0) for k in ks]
    if not ks or len(ks) > 20 or any(b <= a for a, b in zip(ks, ks[1:])):
        raise ValueError(f"ks must be 1 to 20 increasing integers, got {ks}")
    methods = list(methods)
    unknown = [m for m in methods if m not in plots.PENALTY_STYLES]
    if len(methods) < 2 or unknown:
        raise ValueError(f"methods must name at least two of {sorted(plots.PENALTY_STYLES)}, got {methods}")
    risks = as_float_array(risks, "risks", ndim=3)
    if risks.shape[0] != len(ks) or risks.shape[2] != len(methods) or risks.shape[1] < 2:
        raise ValueError(f"risks must have shape ({len(ks)}, n_problems >= 2, {len(methods)}), got {risks.shape}")
    coef_true = as_float_array(coef_true, "coef_true", ndim=2)
    p = coef_true.shape[1]
    if coef_true.shape[0] != len(ks):
        raise ValueError(f"coef_true must have {len(ks)} rows, got shape {coef_true.shape}")
    coefs = as_float_array(coefs, "coefs", ndim=3)
    if coefs.shape != (len(ks), len(methods), p):
        raise ValueError(f"coefs must have shape {(len(ks), len(methods), p)}, got {coefs.shape}")
    mean = risks.mean(axis=1)
    se = risks.std(axis=1, ddof=1) / np.sqrt(risks.shape[1])
    wins = (risks[:, :, 1] < risks[:, :, 0]).mean(axis=1)
    low, high = float((mean - se).min()), float((mean + se).max())
    reach = 1.1 * max(float(np.abs(coef_true).max()), float(np.abs(coefs[:, :2]).max()))

    def draw(fig: Figure, k: int) -> None:
        i = ks.index(k)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1.0]})
        order = np.argsort(-coef_true[i], kind="stable")
        rank = np.arange(p)
        left.plot(rank, coef_true[i, order], color=plots.COLORS["black"], linewidth=1.5, label=r"true $w^\star_j$")
        for m in range(2):
            colour, _, marker = plots.PENALTY_STYLES[methods[m]]
            left.plot(rank, coefs[i, m, order], linestyle="none", marker=marker, markersize=5, color=colour,
                      markerfacecolor="none" if m == 0 else colour,
                      label=f"{methods[m]}: {np.count_nonzero(coefs[i, m])} of {p} ≠ 0")
        left.axhline(0.0, color=plots.COLORS["black"], linewidth=0.6)
        left.set(xlabel="feature, sorted by true weight", ylabel="weight $w_j$", ylim=(-reach, reach),
                 title=f"Example problem, k = {k} relevant features")
        left.legend(loc="lower left", fontsize=8)
        for m, name in enumerate(methods):
            colour, style, marker = plots.PENALTY_STYLES[name]
            right.plot(ks, mean[:, m], color=colour, linestyle=style, marker=marker, label=name)
            right.fill_between(ks, mean[:, m] - se[:, m], mean[:, m] + se[:, m], color=colour, alpha=0.15)
        right.axvline(k, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set(xlabel="relevant features $k$", ylabel=r"risk / oracle, $\mathbb{E}(y-\hat y)^2/\sigma^2$",
                  ylim=(low - 0.05 * (high - low), high + 0.05 * (high - low)),
                  title=f"{methods[1]} beats {methods[0]} on {wins[i]:.0%} of problems")
        right.legend(loc="upper left", fontsize=8)

    def alt(k: int) -> str:
        i = ks.index(k)
        parts = ", ".join(f"{name} {mean[i, m]:.2f}" for m, name in enumerate(methods))
        best = methods[int(np.argmin(mean[i]))]
        zeros = ", ".join(f"{methods[m]} keeps {np.count_nonzero(coefs[i, m])} of {p} weights" for m in range(2))
        return (f"Left: true and fitted weights of one problem with {k} relevant feature{'s' if k != 1 else ''} "
                f"out of {p}, sorted by the "
                f"true weight; {zeros}. Right: mean risk relative to the oracle against the number of relevant "
                f"features from {ks[0]} to {ks[-1]}, with k = {k} marked; there the means are {parts}, so {best} "
                f"predicts best, and {methods[1]} beats {methods[0]} on {wins[i]:.0%} of the problems.")

    return Explorer(draw, ks, label="relevant features k", alt=alt, format_value=lambda k: f"k = {k}", start=start,
                    figsize=(10.5, 4.2))
