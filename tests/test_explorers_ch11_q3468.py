"""The explorers of chapter 11, questions 3 and 8 (bias-variance, learning rate): inputs, frames and alt text."""

import base64
import json
import re

import numpy as np
import pytest

from lecture_code.bias_variance import decompose
from lecture_code.explorers import bias_variance_explorer, learning_rate_explorer
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402




@pytest.fixture(scope="module")
def decompositions():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 15)
    f = np.sin(2 * np.pi * x)
    # Spread 1/(1 + i): predictions f + shift + noise, so bias² = shift² and variance ~ spread².
    results = [decompose(f + 0.1 * i + rng.standard_normal((30, 15)) / (1 + i), f, noise=0.2) for i in range(3)]
    return x, f, results


def test_bias_variance_explorer_has_one_frame_per_value_with_the_numbers_in_its_alt_text(decompositions):
    x, f, results = decompositions
    ex = bias_variance_explorer(x, f, results, [1e-3, 1e-2, 1e-1], n_curves=5, start=1)
    data = _payload(ex.to_html())
    frames = [base64.b64decode(s) for s in data["frames"]]
    assert len(frames) == 3 and all(fr.startswith(PNG_MAGIC) for fr in frames) and len(set(frames)) == 3
    assert data["labels"] == ["λ = 1e-03", "λ = 1e-02", "λ = 1e-01"]
    for alt, r in zip(data["alts"], results):
        assert f"squared bias {r.bias2:.4f}" in alt and f"variance {r.variance:.4f}" in alt
        assert f"their sum {r.bias2 + r.variance + 0.04:.4f}" in alt
        assert "predictions of 5 models" in alt and "over 30 training sets" in alt


def test_bias_variance_explorer_accepts_a_linear_parameter(decompositions):
    x, f, results = decompositions
    ex = bias_variance_explorer(x, f, results, [1, 2, 3], name="degree d", log_x=False)
    assert _payload(ex.to_html())["labels"] == ["degree d = 1", "degree d = 2", "degree d = 3"]


@pytest.mark.parametrize("change, error, match", [
    ({"values": [1.0, 2.0]}, ValueError, "results must have one entry per value"),
    ({"values": list(range(26))}, ValueError, "between 1 and 25 positions"),
    ({"f_test": np.zeros(3)}, ValueError, "f_test must have the shape of x_test"),
    ({"results": ["a", "b", "c"]}, TypeError, "results must hold BiasVariance objects"),
    ({"x_test": np.linspace(0, 1, 14), "f_test": np.zeros(14)}, ValueError, "predictions at the 14 test inputs"),
    ({"n_curves": 0}, ValueError, "n_curves must be >= 1"),
])
def test_bias_variance_explorer_rejects_bad_arguments(decompositions, change, error, match):
    x, f, results = decompositions
    args = {"x_test": x, "f_test": f, "results": results, "values": [1.0, 2.0, 3.0]} | change
    with pytest.raises(error, match=match):
        bias_variance_explorer(args.pop("x_test"), args.pop("f_test"), args.pop("results"), args.pop("values"),
                               **args)


def test_learning_rate_explorer_follows_the_closed_form_and_names_the_regime():
    M, mu, w0, n_steps = 10.0, 1.0, np.array([-1.0, 0.5]), 12
    lrs = [0.05, 0.15, 0.2, 0.25]
    ex = learning_rate_explorer(M, mu, lrs, w0=tuple(w0), n_steps=n_steps)
    alts = _payload(ex.to_html())["alts"]
    for lr, alt in zip(lrs, alts):
        # Closed form of gradient descent on J = (M w1^2 + mu w2^2)/2: w_k = (1 - lr h)^k w0.
        w_final = (1 - lr * np.array([M, mu])) ** n_steps * w0
        j_final = 0.5 * (M * w_final[0] ** 2 + mu * w_final[1] ** 2)
        assert f"ending at {j_final:.2g}" in alt
        assert f"{lr * M / 2:.2f} times 2/M" in alt
    assert "converges without zig-zag" in alts[0]                     # lr < 1/M
    assert "converges, zig-zagging" in alts[1]                        # 1/M < lr < 2/M
    assert "neither converges nor diverges" in alts[2]                # lr = 2/M
    assert "diverges: the loss grows" in alts[3] and "rate 1.500" in alts[3]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"M": 1.0, "mu": 2.0}, ValueError, "mu must be <= M"),
    ({"M": -1.0}, ValueError, "M must be > 0"),
    ({"lrs": []}, ValueError, "between 1 and 25 step sizes"),
    ({"lrs": [0.1, -0.1]}, ValueError, "lrs must be > 0"),
    ({"w0": (1.0, 2.0, 3.0)}, ValueError, "w0 must hold two numbers"),
    ({"n_steps": 0}, ValueError, "n_steps must be >= 1"),
])
def test_learning_rate_explorer_rejects_bad_arguments(kwargs, error, match):
    args = {"M": 10.0, "mu": 1.0, "lrs": [0.1]} | kwargs
    with pytest.raises(error, match=match):
        learning_rate_explorer(args.pop("M"), args.pop("mu"), args.pop("lrs"), **args)
