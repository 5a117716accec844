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



def test_compact_png_keeps_the_picture_on_white_in_fewer_bytes():
    """A transparent RGBA figure with eight anti-aliased curves: the compact PNG differs from the original
    composited on white (PIL's own alpha compositing is the reference) by less than one grey level on average and
    by at most 12 levels on 99 % of the pixels (256 colours cannot hold every anti-aliased edge); it is smaller;
    the text survives."""
    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    x = np.linspace(0, 1, 200)
    for k, colour in enumerate(plots.COLORS.values()):
        ax.plot(x, np.sin(6 * x + k), color=colour)
    ax.set(xlabel="x", ylabel="y")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", transparent=True)
    png = buffer.getvalue()
    original = Image.open(io.BytesIO(png))
    assert original.mode == "RGBA" and original.getextrema()[3][0] == 0        # the test has transparent pixels
    reference = np.asarray(Image.alpha_composite(Image.new("RGBA", original.size, "white"), original).convert("RGB"),
                           dtype=int)
    small = plots.compact_png(png, {"Course": "check"})
    image = Image.open(io.BytesIO(small))
    assert image.mode == "P" and image.size == original.size and image.text["Course"] == "check"
    error = np.abs(np.asarray(image.convert("RGB"), dtype=int) - reference).max(axis=2)
    assert error.mean() < 1 and np.quantile(error, 0.99) <= 12
    assert len(small) < len(png)
