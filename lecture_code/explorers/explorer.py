r"""The explorer mechanism: :class:`Explorer`, a slider joined to a computation and a figure.

An :class:`Explorer` renders one figure per slider position. It is displayed
in two forms at once:

* in Jupyter, Binder or Colab, a live ipywidgets slider whose Python callback
  draws the figure for the chosen value;
* on the static course site, a self-contained HTML slider over the
  pre-rendered frames, with a few lines of inline JavaScript and per-frame alt
  text: it works with no kernel and no network, and the first frame is a useful
  static picture on its own.

The site build sets the environment variable ``LECTURE_CODE_SITE_BUILD=1``;
then no live widget is created, so the page carries no widget state and loads
no widget JavaScript. In a live kernel the widget draws a frame when the
slider reaches it, and the HTML beside it (what a notebook viewer without a
kernel, such as GitHub's, shows instead) is the start frame alone with its
caption: a live notebook never renders frames nobody looks at.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int

__all__ = ["Explorer", "live_widgets_enabled", "SITE_BUILD_VARIABLE"]


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
        return plots.compact_png(buffer.getvalue())

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
        width, height = self._start_size()
        caption = self._caption("move its slider on the course site")
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

    def _start_size(self) -> tuple[int, int]:
        """Width and height in pixels of the start frame (read from its PNG header)."""
        png = self.frame(self.start)
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

    def _caption(self, how_to_move: str) -> str:
        value = self.values[self.start]
        return (f"Explorer at {self.label} = {self.format_value(value)}, one of its {len(self.values)} positions "
                f"({how_to_move}). {self.alt(value)}")

    def picture_html(self) -> str:
        """The frame at the start position with its caption: the static stand-in for the live widget."""
        png, alt = self.frame(self.start), self.alt(self.values[self.start])
        caption = self._caption("run the notebook in Jupyter to move its slider, or see the course site")
        return (
            '<figure class="lc-explorer">'
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" alt="{html.escape(alt)}" '
            f'style="max-width:min(100%,{self._start_size()[0]}px);height:auto;background:#fff">'
            f'<figcaption>{html.escape(caption)}</figcaption></figure>'
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
        bundle = {"text/plain": f"<Explorer: {self.label}, {len(self.values)} positions>"}
        if not live_widgets_enabled():
            bundle["text/html"] = self.to_html()
        else:
            bundle["text/html"] = self.picture_html()      # all a viewer without a kernel shows
            # The widget-view MIME type, as ipywidgets 8 writes it; ipywidgets 7 (Colab's) has no
            # _repr_mimebundle_ but the same message protocol (version 2), so both front ends render it.
            view = {"version_major": 2, "version_minor": 0, "model_id": self.widget().model_id}
            bundle["application/vnd.jupyter.widget-view+json"] = view
        return bundle
