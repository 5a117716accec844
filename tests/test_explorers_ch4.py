"""Chapter 4's explorer: one weight under the L1, L2 and proximal L1 steps, slid over the step index."""

import base64
import json
import re

import numpy as np
import pytest

from lecture_code.explorers import penalty_step_explorer
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402




def test_one_distinct_frame_and_label_per_step():
    explorer = penalty_step_explorer(1.0, lr=0.1, lam=0.7, n_steps=20, steps=[0, 10, 20], start=1)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["k = 0", "k = 10", "k = 20"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 3


def test_alt_text_states_the_closed_form_weights():
    w0, lr, lam = 1.0, 0.1, 0.7
    explorer = penalty_step_explorer(w0, lr=lr, lam=lam, n_steps=40, steps=[0, 10, 16])
    alts = _payload(explorer.to_html())["alts"]
    # k = 10: L1 at 1 - 10 * 0.07 = 0.3 (also the proximal weight), L2 at 0.93^10.
    numbers = [float(v) for v in re.findall(r"-?\d+\.\d{3}", alts[1].split("Right")[0])]
    np.testing.assert_allclose(numbers, [1 - 10 * lr * lam, (1 - lr * lam) ** 10, 1 - 10 * lr * lam], atol=5e-4)
    assert "exactly 0" not in alts[1]
    # ceil(1 / 0.07) = 15: from step 15 on the proximal weight is exactly 0; the L1 subgradient weight is not.
    assert "the clipped weight is exactly 0" in alts[2]
    assert "0.070" in alts[2]
    # The alt text names each series by its marker, as the legend and the chapter's caption do.
    assert all(m in alts[0] for m in ("open circles", "squares", "small triangles"))


def test_legend_and_markers_keep_every_series_visible():
    from lecture_code.explorers import PENALTY_RULES

    labels = [rule[0] for rule in PENALTY_RULES]
    assert labels == ["L1 subgradient step", "L2 step (weight decay)", "clipped L1 step (proximal)"]
    (_, _, _, _, m_l1, kw_l1), _, (_, _, _, _, m_prox, kw_prox) = PENALTY_RULES
    # The two L1 rules coincide until the band: the clipped step's filled triangles are drawn on top of, and
    # smaller than, the L1 step's open circles, so neither hides the other.
    assert (m_l1, m_prox) == ("o", "^") and kw_l1["markerfacecolor"] == "none"
    assert kw_prox["zorder"] > kw_l1["zorder"] and kw_prox["markersize"] < kw_l1["markersize"]
    explorer = penalty_step_explorer(1.0, lr=0.1, lam=0.7, n_steps=20, steps=[10])
    fig = __import__("matplotlib.figure", fromlist=["Figure"]).Figure()
    explorer._draw(fig, 10)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert all(label in legend for label in labels)


def test_default_positions_are_at_most_25():
    explorer = penalty_step_explorer(n_steps=200)
    assert 1 < len(explorer.values) <= 25 and explorer.values[0] == 0 and max(explorer.values) <= 200


@pytest.mark.parametrize("kwargs, error, match", [
    ({"w0": 0.0}, ValueError, "w0 must be non-zero"),
    ({"w0": "1"}, TypeError, "w0 must be a real number"),
    ({"lr": 0.0}, ValueError, "lr must be > 0"),
    ({"lam": 0.0}, ValueError, "lam must be > 0"),
    ({"lr": 1.0, "lam": 1.0}, ValueError, "lr \\* lam must be < 1"),
    ({"n_steps": 0}, ValueError, "n_steps must be >= 1"),
    ({"steps": [0, 41]}, ValueError, "steps must be <= 40"),
    ({"steps": list(range(26))}, ValueError, "between 1 and 25 positions"),
    ({"steps": [0, 1.5]}, TypeError, "steps must be an integer"),
    ({"steps": [0, 10, 5]}, ValueError, "steps must be strictly increasing"),
])
def test_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        penalty_step_explorer(**kwargs)
