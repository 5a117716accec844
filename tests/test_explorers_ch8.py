"""The statistics chapter's posterior explorer: frames, labels and alt texts, with the numbers checked against
independent references (soft thresholding for the mode, scipy quadrature for the mean)."""

import base64

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate  # noqa: E402

from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402
from lecture_code.explorers import posterior_explorer  # noqa: E402


def _mean(z, s, b):
    f = lambda w: np.exp(-0.5 * ((w - z) / s) ** 2 - abs(w) / b)
    num = integrate.quad(lambda w: w * f(w), -np.inf, 0)[0] + integrate.quad(lambda w: w * f(w), 0, np.inf)[0]
    return num / (integrate.quad(f, -np.inf, 0)[0] + integrate.quad(f, 0, np.inf)[0])


def test_frames_labels_and_alt_texts_state_the_mode_and_the_mean():
    z_values, s, b = [-0.5, 0.3, 1.2, 2.5], 0.5, 0.4                  # lambda = s^2 / b = 0.625
    explorer = posterior_explorer(z_values, se=s, prior_scale=b, start=1)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["-0.50", "0.30", "1.20", "2.50"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 4
    for z, text in zip(z_values, payload["alts"]):
        mode = np.sign(z) * max(abs(z) - 0.625, 0.0)
        assert (f"is exactly 0" in text) == (mode == 0)
        if mode != 0:
            assert f"is {mode:.2f} and" in text
        assert f"its mean is {_mean(z, s, b):.2f}" in text
        assert "lambda = 0.62" in text or "lambda = 0.63" in text
    assert explorer.start == 1


@pytest.mark.parametrize("kwargs, error, match", [
    ({"z_values": [1.0, 0.5]}, ValueError, "z_values must be increasing"),
    ({"z_values": [0.5, 1.0], "se": 0.0}, ValueError, "se must be > 0"),
    ({"z_values": [0.5, 1.0], "prior_scale": -1.0}, ValueError, "prior_scale must be > 0"),
    ({"z_values": [0.5, 1.0], "start": 2}, ValueError, "start must be <= 1"),
])
def test_bad_arguments_are_rejected(kwargs, error, match):
    arguments = {"se": 0.5, "prior_scale": 0.4, **kwargs}
    with pytest.raises(error, match=match):
        posterior_explorer(**arguments)
