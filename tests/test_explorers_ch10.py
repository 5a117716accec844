"""Chapter 10's plotting helper and explorer: decision boundaries of networks trained with a penalty."""

import base64
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lecture_code import plots  # noqa: E402
from lecture_code.datasets2d import grid_2d, make_moons  # noqa: E402
from lecture_code.nn import MLP, train_path  # noqa: E402
from lecture_code.explorers import penalty_boundary_explorer  # noqa: E402
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402




@pytest.fixture(scope="module")
def trained():
    X, y = make_moons(30, noise=0.25, seed=0)
    X_val, y_val = make_moons(200, noise=0.25, seed=1)
    lambdas = [0.0, 0.003, 0.03]
    base = MLP([2, 8, 1], activation="tanh", init="xavier", seed=0)
    options = dict(loss="binary_cross_entropy", lr=0.5, epochs=150, record_every=50)
    nets = {"L2": [m for m, _ in train_path(base, X, y, lambdas, penalty="l2", **options)],
            "L1": [m for m, _ in train_path(base, X, y, lambdas, penalty="l1", **options)]}
    return X, y, X_val, y_val, lambdas, nets


def test_decision_boundary_draws_the_half_level_and_one_marker_per_class():
    X, y = make_moons(20, noise=0.1, seed=0)
    xx, yy, points = grid_2d(X, resolution=40)
    proba = 1 / (1 + np.exp(-(points[:, 1] - 0.25) * 5)).reshape(xx.shape)   # boundary: the line x2 = 0.25
    fig, ax = plt.subplots()
    plots.plot_decision_boundary(ax, xx, yy, proba, X, y, title="t")
    half = [c for c in ax.collections if hasattr(c, "levels") and list(c.levels) == [0.5]]
    assert len(half) == 1, "exactly one p = 1/2 contour"
    vertices = np.vstack([p.vertices for p in half[0].get_paths() if len(p.vertices)])
    np.testing.assert_allclose(vertices[:, 1], 0.25, atol=0.02)   # drawn where the probability crosses 1/2
    sizes = {int((y == 0).sum()), int((y == 1).sum())}
    scatters = [c for c in ax.collections if not hasattr(c, "levels") and c.get_offsets().shape[0] in sizes]
    assert len(scatters) == 2
    assert scatters[0].get_paths()[0].vertices.shape != scatters[1].get_paths()[0].vertices.shape  # circle vs triangle
    assert ax.get_title() == "t" and [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    plt.close(fig)


def test_explorer_has_one_frame_per_lambda_and_alt_text_with_the_accuracies(trained):
    X, y, X_val, y_val, lambdas, nets = trained
    explorer = penalty_boundary_explorer(X, y, lambdas, nets, X_val=X_val, y_val=y_val, start=1)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["λ = 0", "λ = 0.003", "λ = 0.03"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 3
    for i, alt in enumerate(payload["alts"]):
        for name in ("L2", "L1"):
            net = nets[name][i]
            val = np.mean((net.forward(X_val)[:, 0] > 0) == y_val)   # accuracy computed independently
            small = int(sum(np.sum(np.abs(W) < 1e-2) for W in net.weights))
            assert f"{name} penalty: train {np.mean((net.forward(X)[:, 0] > 0) == y):.0%}, validation {val:.1%}" in alt
            assert f"{small}/{net.n_parameters - 9} weights below 0.01" in alt


def test_explorer_without_validation_and_with_one_panel(trained):
    X, y, _, _, lambdas, nets = trained
    explorer = penalty_boundary_explorer(X, y, lambdas[:2], {"L2": nets["L2"][:2]})
    alt = explorer.alt(lambdas[0])
    assert "validation" not in alt and "L1" not in alt
    assert explorer.frame(0).startswith(PNG_MAGIC)


@pytest.mark.parametrize("change, error, match", [
    ({"lambdas": [0.1] * 21}, ValueError, "between 1 and 20"),
    ({"lambdas": [-0.1, 0.0, 0.1]}, ValueError, "lambdas must be >= 0"),
    ({"networks": {}}, TypeError, "non-empty dict"),
    ({"networks": {"L2": []}}, ValueError, "one binary MLP"),
    ({"networks": {"L2": [MLP([2, 3, 2])] * 3}}, ValueError, "one binary MLP"),
    ({"small": 0.0}, ValueError, "small must be > 0"),
])
def test_explorer_rejects_bad_arguments(trained, change, error, match):
    X, y, _, _, lambdas, nets = trained
    kwargs = {"lambdas": lambdas, "networks": nets, **change}
    with pytest.raises(error, match=match):
        penalty_boundary_explorer(X, y, kwargs.pop("lambdas"), kwargs.pop("networks"), **kwargs)
