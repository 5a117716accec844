"""One figure style for the whole course, and the drawing functions chapters share.

Every function here only draws what it is given on the axes it is given; the
numbers come from the numerical modules. Colours are the Okabe–Ito palette,
which stays distinguishable under the common forms of colour blindness; lines
also differ in style so that no figure relies on colour alone.

Figures are drawn to be read where they are shown. The course site shows a
figure at most :data:`COLUMN_PX` CSS pixels wide, so a figure drawn 1,200 px
wide is shrunk to about half, and its 9-point legend with it. In Jupyter,
:func:`use_course_style` therefore shows every figure through
:func:`figure_png`, which first raises any text that would be shown smaller
than :data:`MIN_TEXT_PX` (:func:`make_legible`), draws on white (readable in a
dark theme too), and stores the size of the smallest text in the PNG, which
the site uses to keep a figure at least that legible on a phone.

Import rule: may import matplotlib and numpy; nothing from book/ or tests/ (and no module outside
plots and explorers imports matplotlib).
"""

from __future__ import annotations

import io
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


#: The widest a figure is shown on the course site (CSS px): the text column of a desktop page.
COLUMN_PX = 672
#: The smallest text, in CSS px as shown, that a course figure may have on the site (desktop and phone).
MIN_TEXT_PX = 9.0
#: What the legibility pass aims at: a little above the minimum, so cropping to the drawn area keeps it.
TARGET_TEXT_PX = 9.5
#: The PNG text key that records the smallest text of a figure, in the PNG's own pixels.
TEXT_PX_KEY = "lecture_code:smallest-text-px"


def use_course_style() -> None:
    """Set matplotlib defaults for every figure of the course (fonts, palette, layout).

    In IPython (Jupyter, Binder, Colab, the site build) it also shows every figure through
    :func:`figure_png`, so that no figure text is shown smaller than :data:`MIN_TEXT_PX`.
    """
    _install_png_formatter()
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
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
    })


def _texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def smallest_text_px(fig) -> float:
    """The size of the smallest visible text of ``fig``, in pixels of the figure as drawn (at ``fig.dpi``)."""
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return min(sizes) * fig.dpi / 72.0 if sizes else float("inf")


def shown_scale(width_px: float, column_px: float = COLUMN_PX) -> float:
    """How much the site shrinks an image ``width_px`` pixels wide: it is shown at most ``column_px`` wide."""
    return min(1.0, column_px / width_px)


def make_legible(fig, *, width_px: float | None = None, text_px: float = TARGET_TEXT_PX,
                 column_px: float = COLUMN_PX) -> float:
    """Raise every text of ``fig`` that would be shown smaller than ``text_px`` CSS px on the site; return the
    smallest font size kept, in points.

    A figure ``width_px`` pixels wide (by default its width at ``fig.dpi``) is shown at
    :func:`shown_scale` of its size, so every text gets at least
    ``text_px / shown_scale · 72 / dpi`` points. Tick labels are raised through ``tick_params``, so that
    ticks created when the figure is drawn again get the size too. Larger text is left as it is.
    """
    fig.draw_without_rendering()                     # lays out the figure: its ticks and labels now exist
    width_px = width_px or fig.get_figwidth() * fig.dpi
    floor_pt = text_px / shown_scale(width_px, column_px) * 72.0 / fig.dpi
    for ax in fig.get_axes():
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for which in ("major", "minor"):
                labels = axis.get_ticklabels(which=which)
                if labels and min(t.get_fontsize() for t in labels) < floor_pt:
                    ax.tick_params(axis=name, which=which, labelsize=max(floor_pt, max(t.get_fontsize() for t in labels)))
    for text in _texts(fig):
        if text.get_fontsize() < floor_pt:
            text.set_fontsize(floor_pt)
    return floor_pt


def _print_png(fig, metadata: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", dpi=fig.dpi, bbox_inches="tight", facecolor="white",
                            metadata=metadata)
    return buffer.getvalue()


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def figure_png(fig) -> tuple[bytes, dict]:
    """The PNG of ``fig`` as the course shows it, and its display metadata.

    The figure is made legible for the width it is drawn at (:func:`make_legible`), cropped to what is
    drawn, on white, and stored with 256 colours (a third of the bytes; matplotlib's figures have few
    colours). The PNG records the smallest text in its own pixels under :data:`TEXT_PX_KEY`, which the site
    reads to keep every figure at least :data:`MIN_TEXT_PX` on any screen.
    """
    width_px = None
    for _ in range(3):                               # cropping changes the width the site scales by
        make_legible(fig, width_px=width_px)
        png = _print_png(fig)
        width_px, _ = _png_size(png)
        smallest = smallest_text_px(fig)
        if smallest * shown_scale(width_px) >= MIN_TEXT_PX:
            break
    info = {TEXT_PX_KEY: f"{smallest:.2f}"}
    png = compact_png(png, info)
    return png, {TEXT_PX_KEY: round(smallest, 2)}


def compact_png(png: bytes, info: dict[str, str] | None = None) -> bytes:
    """``png`` flattened onto white and stored with 256 colours (about a third of the bytes), with ``info`` as text.

    Matplotlib's figures have few colours, so nothing visible is lost. Every figure the course shows goes through
    here: :func:`figure_png` for the notebooks' figures, the explorers for each of their frames.
    """
    try:
        from PIL import Image, PngImagePlugin
    except ImportError:                              # pillow comes with matplotlib; keep the full PNG otherwise
        return png
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    text = PngImagePlugin.PngInfo()
    for key, value in (info or {}).items():
        text.add_text(key, value)
    out = io.BytesIO()
    small.save(out, format="png", optimize=True, pnginfo=text)
    return out.getvalue()


def png_text_px(png: bytes) -> float | None:
    """The smallest text size :func:`figure_png` stored in a PNG (its own pixels), or None."""
    from PIL import Image

    value = Image.open(io.BytesIO(png)).text.get(TEXT_PX_KEY)
    return float(value) if value else None


_FORMATTER_INSTALLED = False


def _install_png_formatter() -> None:
    """Show every matplotlib figure in IPython through :func:`figure_png` (nothing happens outside IPython)."""
    global _FORMATTER_INSTALLED
    if _FORMATTER_INSTALLED:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # The inline backend registers its own PNG formatter when pyplot first resolves it: resolve it now, so that
    # the course's formatter is registered after it and stays.
    resolve = getattr(plt, "_get_backend_mod", None)
    if resolve is not None:
        resolve()
    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
    _FORMATTER_INSTALLED = True


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


# --- Chapter 3: L1 regularization (the two-weight picture of the constrained problems) ---
#: How the two constraint sets and their solutions are drawn everywhere: (colour, line style, marker).
L1_BALL_STYLE = (COLORS["vermillion"], "-", "s")
L2_BALL_STYLE = (COLORS["blue"], "--", "o")


def plot_constraint_geometry(ax: Axes, w1: np.ndarray, w2: np.ndarray, loss: np.ndarray, s: float, *,
                             w_ols: np.ndarray, w_l1: np.ndarray | None = None, loss_l1: float | None = None,
                             w_l2: np.ndarray | None = None, loss_l2: float | None = None, n_levels: int = 6,
                             legend: bool = True) -> None:
    r"""Draw loss contours, the L1 diamond and L2 disc of radius ``s``, and where they are touched.

    The grey ellipses are level sets of the loss (``loss`` on the grid ``w1``,
    ``w2``), centred on the least-squares weights ``w_ols`` (a black cross).
    The diamond :math:`\lVert w\rVert_1 \le s` (solid) and the disc
    :math:`\lVert w\rVert_2 \le s` (dashed) are drawn with their constrained
    solutions ``w_l1`` (square) and ``w_l2`` (circle); when the solution's
    loss is given, the contour through it (the smallest ellipse that reaches
    the set) is drawn in the same colour and style.
    """
    base = float(loss.min())
    touching = [level for level in (loss_l1, loss_l2) if level is not None and level > base]
    # Ellipses at evenly spaced "radii": a multiple of the touching one when known, else of the whole grid.
    if touching:
        scale = max(touching) - base
        levels = base + scale * (np.arange(1, n_levels + 1) / 3.0) ** 2
    else:
        levels = base + (float(loss.max()) - base) * np.linspace(0.0, 1.0, n_levels + 2)[1:-1] ** 2
    ax.contour(w1, w2, loss, levels=levels, colors="0.6", linewidths=0.8)
    ax.axhline(0.0, color=COLORS["black"], linewidth=0.6)
    ax.axvline(0.0, color=COLORS["black"], linewidth=0.6)
    t = np.linspace(0.0, 2.0 * np.pi, 200)
    for name, (color, style, marker), xs, ys, w, level in (
        ("L1", L1_BALL_STYLE, s * np.array([1, 0, -1, 0, 1]), s * np.array([0, 1, 0, -1, 0]), w_l1, loss_l1),
        ("L2", L2_BALL_STYLE, s * np.cos(t), s * np.sin(t), w_l2, loss_l2),
    ):
        norm = r"\|w\|_1" if name == "L1" else r"\|w\|_2"
        ax.plot(xs, ys, color=color, linestyle=style, linewidth=1.8, label=f"${norm} \\leq s$")
        if w is None:
            continue
        if level is not None and level > base:
            ax.contour(w1, w2, loss, levels=[level], colors=color, linestyles=":", linewidths=1.5)
        ax.plot(*w, marker=marker, color=color, markersize=9, markeredgecolor=COLORS["black"], linestyle="none",
                zorder=4, label=f"{name} solution")
    ax.plot(*w_ols, marker="X", color=COLORS["black"], markersize=9, linestyle="none", zorder=4,
            label=r"least squares $\hat w$")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(float(w1.min()), float(w1.max()))
    ax.set_ylim(float(w2.min()), float(w2.max()))
    ax.set_xlabel("weight $w_1$")
    ax.set_ylabel("weight $w_2$")
    if legend:
        ax.legend(loc="lower left", fontsize=8)


# --- Chapter 10: regularization in neural networks (decision boundaries in the plane) ---
#: Class label -> (colour, marker) for 2-D classification data: the classes differ in colour and shape.
CLASS_STYLES = ((COLORS["blue"], "o"), (COLORS["vermillion"], "^"), (COLORS["green"], "s"), (COLORS["orange"], "D"))


def plot_decision_boundary(ax: Axes, xx: np.ndarray, yy: np.ndarray, proba: np.ndarray, X: np.ndarray,
                           y: np.ndarray, *, title: str | None = None, legend: bool = True,
                           X_faint: np.ndarray | None = None, y_faint: np.ndarray | None = None) -> None:
    """Draw a binary classifier's probability of class 1 on a grid, its 0.5 contour and the labelled points.

    ``proba`` has the shape of ``xx``/``yy`` (for instance ``mlp.predict_proba(points).reshape(xx.shape)``
    with ``xx, yy, points = datasets2d.grid_2d(X)``). The background shades from class 0 (light blue) to
    class 1 (light orange); the decision boundary :math:`p = 1/2` is a solid black line; points are
    drawn with a different marker per class. ``X_faint``/``y_faint`` (e.g. validation points) are
    drawn small and hollow behind the main points.
    """
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("course_binary", ["#cfe3f2", "#ffffff", "#f6d2b8"])
    ax.contourf(xx, yy, proba, levels=np.linspace(0.0, 1.0, 11), cmap=cmap, vmin=0.0, vmax=1.0)
    ax.contour(xx, yy, proba, levels=[0.5], colors=COLORS["black"], linewidths=1.8)
    labels = np.asarray(y).astype(int)
    if X_faint is not None:
        faint = np.asarray(y_faint).astype(int)
        for k in np.unique(faint):
            color, marker = CLASS_STYLES[k % len(CLASS_STYLES)]
            ax.scatter(X_faint[faint == k, 0], X_faint[faint == k, 1], s=8, marker=marker, facecolors="none",
                       edgecolors=color, linewidths=0.5, alpha=0.5, zorder=2)
    for k in np.unique(labels):
        color, marker = CLASS_STYLES[k % len(CLASS_STYLES)]
        ax.scatter(X[labels == k, 0], X[labels == k, 1], s=36, marker=marker, color=color,
                   edgecolors=COLORS["black"], linewidths=0.6, zorder=3, label=f"class {k}")
    ax.set_xlim(float(xx.min()), float(xx.max()))
    ax.set_ylim(float(yy.min()), float(yy.max()))
    ax.set_xlabel("feature $x_1$")
    ax.set_ylabel("feature $x_2$")
    ax.grid(False)
    if title is not None:
        ax.set_title(title)
    if legend:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)


# --- Chapter 6: elastic net and the Lq family (boundaries of penalty balls in the plane) ---
from ._validation import check_int as _check_int, check_real as _check_real  # noqa: E402


def _ball_angles(n_points: int) -> np.ndarray:
    """Angles on [0, 2π] that include the four axis directions exactly (where corners sit)."""
    n_points = _check_int(n_points, "n_points", low=2)
    k = -(-(n_points - 1) // 4)   # points per quadrant, rounded up
    return np.linspace(0.0, 2.0 * np.pi, 4 * k + 1)


def _unit_directions(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of ``theta`` with the rounding noise at the axis angles set to exactly 0."""
    c, s = np.cos(theta), np.sin(theta)
    c[np.abs(c) < 1e-12] = 0.0
    s[np.abs(s) < 1e-12] = 0.0
    return c, s


def lq_ball_boundary(q: float, *, radius: float = 1.0, n_points: int = 721) -> tuple[np.ndarray, np.ndarray]:
    r"""Points on the boundary :math:`|w_1|^q + |w_2|^q = r^q` of the Lq ball of radius :math:`r`, for drawing.

    In polar form :math:`w = \rho(\theta)(\cos\theta, \sin\theta)` with
    :math:`\rho(\theta) = r\,(|\cos\theta|^q + |\sin\theta|^q)^{-1/q}`; the
    axis directions are always among the angles, so the corners of
    :math:`q \le 1` are drawn exactly. Returns ``(w1, w2)``, a closed curve
    (first point = last point) of ``4·ceil((n_points-1)/4) + 1`` points.
    """
    q = _check_real(q, "q", low=0.0, low_open=True)
    radius = _check_real(radius, "radius", low=0.0, low_open=True)
    cos, sin = _unit_directions(_ball_angles(n_points))
    rho = radius * (np.abs(cos) ** q + np.abs(sin) ** q) ** (-1.0 / q)
    return rho * cos, rho * sin


def elastic_net_ball_boundary(alpha: float, *, level: float | None = None,
                              n_points: int = 721) -> tuple[np.ndarray, np.ndarray]:
    r"""Points on the boundary :math:`\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2 = c` in the plane, for drawing.

    The default level :math:`c = (1+\alpha)/2` is the penalty of :math:`(1, 0)`,
    so the ball passes through :math:`(\pm1, 0)` and :math:`(0, \pm1)` like the
    unit Lq balls. Along the direction :math:`u(\theta)`, with
    :math:`s = |\cos\theta| + |\sin\theta|`, the radius solves
    :math:`\frac{1-\alpha}{2}\rho^2 + \alpha s\rho - c = 0`:

    .. math::

        \rho(\theta) = \frac{2c}{\alpha s + \sqrt{\alpha^2 s^2 + 2(1-\alpha)c}}

    (the positive root, written without cancellation). ``level=0`` gives the
    single point 0 repeated. Returns ``(w1, w2)``, a closed curve.
    """
    alpha = _check_real(alpha, "alpha", low=0.0, high=1.0)
    level = (1.0 + alpha) / 2.0 if level is None else _check_real(level, "level", low=0.0)
    cos, sin = _unit_directions(_ball_angles(n_points))
    s = np.abs(cos) + np.abs(sin)
    denominator = alpha * s + np.sqrt(alpha**2 * s**2 + 2.0 * (1.0 - alpha) * level)
    rho = np.divide(2.0 * level, denominator, out=np.zeros_like(s), where=denominator > 0)
    return rho * cos, rho * sin


def plot_ball(ax: Axes, w1: np.ndarray, w2: np.ndarray, *, color: str, linestyle: str = "-", label: str | None = None,
              fill_alpha: float = 0.15) -> None:
    """Draw a closed ball boundary ``(w1, w2)`` with a light fill of the same colour."""
    ax.fill(w1, w2, color=color, alpha=fill_alpha, linewidth=0)
    ax.plot(w1, w2, color=color, linestyle=linestyle, label=label)


# --- Chapter 5: soft thresholding (the regularization path) ---
#: How highlighted features are drawn on a path: colours, line styles and markers cycle independently.
PATH_COLORS = tuple(COLORS[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky"))
PATH_LINESTYLES = ("-", "--", "-.", ":")
PATH_MARKERS = ("o", "s", "^", "D", "v", "P")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")   # plain text draws faster than mathtext


def plot_coefficient_path(ax: Axes, lambdas: np.ndarray, coefs: np.ndarray, *, highlight: Sequence[int] = (),
                          lam_max: float | None = None, legend: bool = True) -> None:
    r"""Draw every weight :math:`w_j(\lambda)` of a regularization path against :math:`\lambda` (log scale).

    ``coefs[:, i]`` holds the weights at ``lambdas[i]``, as returned by
    :func:`lecture_code.solvers.lasso_path`. The features listed in
    ``highlight`` (for instance the true support) are drawn as labelled lines,
    each with its own colour, line style and marker; all other features as thin
    grey lines under one legend entry. ``lam_max`` adds a dotted vertical line
    at :math:`\lambda_{\max}`, where every weight has become zero.
    """
    lambdas = np.asarray(lambdas, dtype=float)
    coefs = np.asarray(coefs, dtype=float)
    if coefs.ndim != 2 or coefs.shape[1] != lambdas.shape[0]:
        raise ValueError(f"coefs must have shape (p, {lambdas.shape[0]}) to match lambdas, got {coefs.shape}")
    highlight = [int(j) for j in highlight]
    if any(not 0 <= j < coefs.shape[0] for j in highlight):
        raise ValueError(f"highlight must hold feature indices in [0, {coefs.shape[0] - 1}], got {highlight}")
    every = max(1, lambdas.size // 8)
    others = [j for j in range(coefs.shape[0]) if j not in highlight]
    for k, j in enumerate(others):
        ax.plot(lambdas, coefs[j], color="0.55", linewidth=0.9, linestyle="-",
                label="other features" if k == 0 else None)
    for k, j in enumerate(highlight):
        ax.plot(lambdas, coefs[j], color=PATH_COLORS[k % len(PATH_COLORS)],
                linestyle=PATH_LINESTYLES[k % len(PATH_LINESTYLES)], marker=PATH_MARKERS[k % len(PATH_MARKERS)],
                markevery=every, markersize=5, linewidth=1.8, label="w" + str(j).translate(_SUBSCRIPTS))
    ax.axhline(0.0, color=COLORS["black"], linewidth=0.8)
    if lam_max is not None:
        ax.axvline(lam_max, color=COLORS["black"], linestyle=":", linewidth=1.5, label=r"$\lambda_{\max}$")
    ax.set_xscale("log")
    ax.set_xlabel(r"penalty $\lambda$ (log scale)")
    ax.set_ylabel(r"weight $w_j(\lambda)$")
    if legend:
        ax.legend(fontsize=8)


# --- Chapter 7: L1 versus L2 (one look per penalty in every comparison figure) ---
#: How chapter 7 draws each penalty: (colour, line style, marker). Ridge and the lasso reuse the
#: colours of the L2 and L1 balls of chapter 3; every penalty also has its own line style and marker.
PENALTY_STYLES = {
    "ridge": (COLORS["blue"], "--", "o"),
    "lasso": (COLORS["vermillion"], "-", "s"),
    "elastic net": (COLORS["green"], "-.", "^"),
}
