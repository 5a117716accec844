"""Chapter 7: the penalty styles (plots) and the L1-versus-L2 explorer (widgets).

The explorer only draws what it is given, so the references are the inputs themselves: the
means and win rates stated in the alt text are recomputed here with numpy.
"""

import base64
import json
import re

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lecture_code.plots import PENALTY_STYLES  # noqa: E402
from lecture_code.explorers import l1_vs_l2_explorer  # noqa: E402
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402




@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(0)
    ks = [1, 5, 20]
    p = 12
    risks = 1.0 + rng.uniform(0.0, 1.0, size=(3, 4, 3))
    coef_true = np.zeros((3, p))
    coefs = np.zeros((3, 3, p))
    for i, k in enumerate(ks):
        k = min(k, p)
        coef_true[i, :k] = rng.uniform(1, 3, k)
        coefs[i, 0] = coef_true[i] + rng.normal(0, 0.2, p)        # ridge: every weight non-zero
        coefs[i, 1, :k] = coef_true[i, :k]                        # lasso: exactly the support
    return ks, risks, coef_true, coefs


def test_penalty_styles_differ_in_colour_line_style_and_marker():
    assert set(PENALTY_STYLES) == {"ridge", "lasso", "elastic net"}
    for position in range(3):
        assert len({style[position] for style in PENALTY_STYLES.values()}) == 3


def test_one_distinct_png_frame_and_label_per_k(inputs):
    ks, risks, coef_true, coefs = inputs
    explorer = l1_vs_l2_explorer(ks, risks, coef_true, coefs, start=1)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["k = 1", "k = 5", "k = 20"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 3
    assert explorer.start == 1


def test_alt_text_states_the_means_the_winner_and_the_win_rate(inputs):
    ks, risks, coef_true, coefs = inputs
    alts = _payload(l1_vs_l2_explorer(ks, risks, coef_true, coefs).to_html())["alts"]
    names = ("ridge", "lasso", "elastic net")
    for i, alt in enumerate(alts):
        mean = risks[i].mean(axis=0)
        for name, value in zip(names, mean):
            assert f"{name} {value:.2f}" in alt
        assert f"so {names[int(np.argmin(mean))]} predicts best" in alt
        assert f"{np.mean(risks[i, :, 1] < risks[i, :, 0]):.0%} of the problems" in alt
        assert f"lasso keeps {np.count_nonzero(coefs[i, 1])} of 12 weights" in alt
    assert "1 relevant feature out of" in alts[0] and "5 relevant features out of" in alts[1]


@pytest.mark.parametrize("change, error, match", [
    (dict(ks=[5, 1, 20]), ValueError, "ks"),
    (dict(ks=list(range(21))), ValueError, "ks"),
    (dict(methods=("ridge", "lasso", "best subset")), ValueError, "methods"),
    (dict(risks=np.ones((3, 1, 3))), ValueError, "risks"),
    (dict(coef_true=np.ones((2, 12))), ValueError, "coef_true"),
    (dict(coefs=np.ones((3, 2, 12))), ValueError, "coefs"),
    (dict(ks=[1.0, 5, 20]), TypeError, "ks"),
])
def test_explorer_rejects_bad_arguments(inputs, change, error, match):
    ks, risks, coef_true, coefs = inputs
    args = dict(ks=ks, risks=risks, coef_true=coef_true, coefs=coefs)
    args.update(change)
    with pytest.raises(error, match=match):
        l1_vs_l2_explorer(**args)
