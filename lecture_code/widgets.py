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
        return (
            '<div class="lc-explorer">'
            '<label style="display:flex;gap:0.75em;align-items:center">'
            f'<span>{html.escape(self.label)}</span>'
            f'<input type="range" min="0" max="{len(frames) - 1}" step="1" value="{i}" '
            f'aria-valuetext="{html.escape(labels[i])}" style="flex:1;max-width:24em">'
            f'<output>{html.escape(labels[i])}</output></label>'
            f'<img src="data:image/png;base64,{frames[i]}" alt="{html.escape(alts[i])}" '
            'style="max-width:100%;height:auto">'
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
            bundle.update(self.widget()._repr_mimebundle_())
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
