"""The explorer of chapter 11, questions 1, 2, 5 and 7: per-layer gradient norms under a depth slider.

(Reconstructed: an earlier version of this file was overwritten by mistake; see the chapter-9 reports.)
"""

import base64
import json
import re

import numpy as np
import pytest

from lecture_code.datasets2d import make_moons
from lecture_code.nn import MLP
from lecture_code.explorers import gradient_depth_explorer, layer_gradient_norms


@pytest.fixture(scope="module")
def moons():
    return make_moons(60, noise=0.1, seed=0)


def test_layer_gradient_norms_is_the_geometric_mean_over_seeds_of_the_network_gradient_norms(moons):
    X, y = moons
    got = layer_gradient_norms(X, y, depth=3, width=8, activation="sigmoid", seeds=[0, 1])
    direct = [MLP([2, 8, 8, 8, 1], activation="sigmoid", init="xavier", seed=s).gradient_norms(
        X, y, loss="binary_cross_entropy") for s in (0, 1)]
    np.testing.assert_allclose(got, np.sqrt(direct[0] * direct[1]), rtol=1e-12)
    assert got.shape == (4,)


def test_relu_uses_he_initialisation(moons):
    X, y = moons
    got = layer_gradient_norms(X, y, depth=2, width=8, activation="relu", seeds=[3])
    direct = MLP([2, 8, 8, 1], activation="relu", init="he", seed=3).gradient_norms(X, y, loss="binary_cross_entropy")
    np.testing.assert_allclose(got, direct, rtol=1e-12)


def test_gradient_depth_explorer_renders_one_frame_per_depth(moons):
    X, y = moons
    ex = gradient_depth_explorer(X, y, depths=[1, 3], width=8, seeds=(0,))
    page = ex.to_html()
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page, re.S)
                      .group(1).replace("<\\/", "</"))
    assert len(data["frames"]) == 2
    assert all(base64.b64decode(f).startswith(b"\x89PNG") for f in data["frames"])
    assert "3 hidden layers" in data["alts"][1] and "sigmoid" in data["alts"][1]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"activation": "softplus"}, ValueError, "activation must be one of"),
    ({"seeds": []}, ValueError, "seeds must be a non-empty sequence"),
    ({"depth": 0}, ValueError, "depth must be >= 1"),
])
def test_layer_gradient_norms_rejects_bad_arguments(moons, kwargs, error, match):
    X, y = moons
    args = {"depth": 2, "width": 4, "activation": "tanh", "seeds": [0]} | kwargs
    with pytest.raises(error, match=match):
        layer_gradient_norms(X, y, **args)
