"""lecture_code.plots draws every figure to be read where the site shows it (text >= 9 px, on white)."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from lecture_code import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _style():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield
    plt.close("all")


def _wide_figure():
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for ax in axes:
        ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2, label="a curve")
        ax.legend(fontsize=8)
        ax.text(0.1, 0.8, "a note", fontsize=7)
        ax.set_title("A panel")
    return fig


def test_text_the_site_would_shrink_under_9_px_is_raised():
    fig = _wide_figure()
    floor = plots.make_legible(fig)
    shown = plots.smallest_text_px(fig) * plots.shown_scale(fig.get_figwidth() * fig.dpi)
    assert shown >= plots.TARGET_TEXT_PX - 1e-9
    assert floor > 8                                    # the 8-point legend and the 7-point note were raised
    titles = [ax.title.get_fontsize() for ax in fig.axes]
    assert all(t >= 13 for t in titles)                 # larger text is left as it was


def test_a_narrow_figure_with_large_text_is_left_alone():
    fig, ax = plt.subplots(figsize=(6.4, 4))
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend()
    fig.draw_without_rendering()
    before = sorted(t.get_fontsize() for t in plots._texts(fig))
    plots.make_legible(fig)
    assert sorted(t.get_fontsize() for t in plots._texts(fig)) == before


def test_figure_png_is_opaque_small_and_records_its_smallest_text():
    fig = _wide_figure()
    plain = plots._print_png(fig)
    png, metadata = plots.figure_png(fig)
    assert png.startswith(b"\x89PNG")
    text_px = plots.png_text_px(png)
    assert text_px == pytest.approx(metadata[plots.TEXT_PX_KEY], abs=0.01)
    width, _ = plots._png_size(png)
    assert text_px * plots.shown_scale(width) >= plots.MIN_TEXT_PX
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    assert image.getpixel((0, 0)) == (255, 255, 255, 255)
    assert len(png) < 0.7 * len(plain)                  # 256 colours

