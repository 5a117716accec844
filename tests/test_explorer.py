"""Explorers: the kernel-free HTML form, the live widget, and their inputs."""

import base64
import html
import json
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from lecture_code.data import make_curve_data
from lecture_code.model_selection import train_validation_split
from lecture_code.polynomial import fit_polynomial
from lecture_code.explorers import (SITE_BUILD_VARIABLE, Explorer, polynomial_degree_explorer,
                               polynomial_lambda_explorer)
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402



def _draw(fig: Figure, value: float) -> None:
    ax = fig.subplots()
    ax.plot([0, 1], [0, value])
    ax.set(xlabel="x", ylabel="y", title=f"slope {value}")



@pytest.fixture
def explorer():
    return Explorer(_draw, [0.5, 1.0, 2.0], label="slope <s>", alt=lambda v: f"A line of slope {v}.", start=1)


def test_static_html_carries_one_distinct_png_frame_and_alt_text_per_value(explorer):
    page = explorer.to_html()
    data = _payload(page)
    frames = [base64.b64decode(f) for f in data["frames"]]
    assert len(frames) == 3 and all(f.startswith(PNG_MAGIC) for f in frames)
    assert len(set(frames)) == 3
    assert data["alts"] == ["A line of slope 0.5.", "A line of slope 1.0.", "A line of slope 2.0."]
    assert data["labels"] == ["0.5", "1.0", "2.0"]
    # The initial picture is the start frame, with its alt text, so the page is useful without JavaScript.
    assert f'src="data:image/png;base64,{data["frames"][1]}"' in page
    assert 'alt="A line of slope 1.0."' in page
    assert 'type="range" min="0" max="2" step="1" value="1"' in page
    assert html.escape("slope <s>") in page and "slope <s>" not in page


def test_static_html_needs_no_network(explorer):
    page = explorer.to_html()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "http://" not in page and "https://" not in page


def test_a_live_kernel_draws_only_the_frames_it_shows(monkeypatch):
    drawn = []
    counting = Explorer(lambda fig, v: (drawn.append(v), _draw(fig, v)), [0.5, 1.0, 2.0, 4.0], label="slope",
                        alt=lambda v: f"A line of slope {v}.", start=2)
    monkeypatch.delenv(SITE_BUILD_VARIABLE, raising=False)
    counting._repr_mimebundle_()
    assert drawn == [2.0]
    monkeypatch.setenv(SITE_BUILD_VARIABLE, "1")
    counting._repr_mimebundle_()
    assert sorted(drawn) == [0.5, 1.0, 2.0, 4.0]


def test_site_build_gives_html_only(monkeypatch, explorer):
    monkeypatch.setenv(SITE_BUILD_VARIABLE, "1")
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}


def test_live_mode_adds_a_widget_whose_slider_redraws_the_image(monkeypatch, explorer):
    monkeypatch.delenv(SITE_BUILD_VARIABLE, raising=False)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle
    # The view reference is the one ipywidgets itself writes (written by hand, so that ipywidgets 7 works too).
    own = explorer.widget()._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]
    ours = bundle["application/vnd.jupyter.widget-view+json"]
    assert set(ours) == set(own) and {k: ours[k] for k in ("version_major", "version_minor")} == \
        {k: own[k] for k in ("version_major", "version_minor")}
    # Beside the widget, the start frame alone (a viewer without a kernel shows it): no slider, no script.
    page = bundle["text/html"]
    assert page.count("<img") == 1 and "<script" not in page and 'type="range"' not in page
    assert f'src="data:image/png;base64,{base64.b64encode(explorer.frame(1)).decode("ascii")}"' in page
    assert 'alt="A line of slope 1.0."' in page and "one of its 3 positions" in page
    box = explorer.widget()
    slider, image = box.children
    assert image.value == explorer.frame(1)
    slider.value = 2
    assert image.value == explorer.frame(2) != explorer.frame(1)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"draw": None}, TypeError, "draw must be callable"),
    ({"values": []}, ValueError, "values must be a non-empty sequence"),
    ({"label": ""}, ValueError, "label must be a non-empty string"),
    ({"start": 3}, ValueError, "start must be <= 2"),
    ({"alt": "text"}, TypeError, "alt must be callable"),
])
def test_explorer_rejects_bad_arguments(kwargs, error, match):
    args = {"draw": _draw, "values": [1, 2, 3], "label": "v", "alt": str} | kwargs
    draw, values = args.pop("draw"), args.pop("values")
    with pytest.raises(error, match=match):
        Explorer(draw, values, **args)


def test_polynomial_degree_explorer_describes_each_degree():
    data = make_curve_data(20, seed=0)
    tr, va = train_validation_split(20, seed=0)
    explorer = polynomial_degree_explorer(data.x, data.y, tr, va, degrees=[1, 3, 9], start=1)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["1", "3", "9"]
    for d, alt in zip([1, 3, 9], payload["alts"]):
        assert f"degree-{d} polynomial" in alt
        numbers = [float(v) for v in re.findall(r"error (?:is )?(\d+\.\d+)", alt)]
        assert len(numbers) == 2 and all(np.isfinite(numbers))


def test_polynomial_lambda_explorer_describes_each_strength():
    data = make_curve_data(30, noise=0.25, seed=0)
    tr, va = train_validation_split(30, val_fraction=1 / 3, seed=0)
    lambdas = [1e-24, 1e-3, 1e3]
    explorer = polynomial_lambda_explorer(data.x, data.y, tr, va, 15, lambdas, start=1)
    assert isinstance(explorer, Explorer) and explorer.start == 1
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["λ = 1e-24", "λ = 1e-03", "λ = 1e+03"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 3
    for lam, alt in zip(lambdas, payload["alts"]):
        fit = fit_polynomial(data.x[tr], data.y[tr], 15, lam=lam)
        train = np.mean((data.y[tr] - fit.predict(data.x[tr])) ** 2)
        val = np.mean((data.y[va] - fit.predict(data.x[va])) ** 2)
        assert f"lambda = {lam:.0e}" in alt
        numbers = [float(v) for v in re.findall(r"error is ([\d.e+-]+) and the validation error ([\d.e+-]+)\.", alt)[0]]
        np.testing.assert_allclose(numbers, [train, val], rtol=5e-3)
    # The nearly unpenalised fit swings out of the plotted range, the chapter's lambda does not.
    assert "swings out of the plotted range" in payload["alts"][0]
    assert "stays within the plotted range" in payload["alts"][1]


@pytest.mark.parametrize("lambdas, match", [
    ([1e-3, 0.0], "lambdas must all be > 0"),
    ([1e-1, 1e-3], "lambdas must be strictly increasing"),
    (np.geomspace(1e-6, 1, 26), "between 1 and 25 strengths"),
])
def test_polynomial_lambda_explorer_rejects_bad_strengths(lambdas, match):
    data = make_curve_data(20, seed=0)
    tr, va = train_validation_split(20, seed=0)
    with pytest.raises(ValueError, match=match):
        polynomial_lambda_explorer(data.x, data.y, tr, va, 5, lambdas)
