"""Chapter 6: the penalty-ball boundaries (plots) and the elastic-net explorer (widgets).

References: the defining equations of the balls, solved independently; scikit-learn's
ElasticNet(alpha=λ, l1_ratio=α) for the explorer's fitted weights.
"""

import base64
import json
import re

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lecture_code.grouped_data import make_grouped_regression  # noqa: E402
from lecture_code.plots import elastic_net_ball_boundary, lq_ball_boundary  # noqa: E402
from lecture_code.explorers import elastic_net_explorer  # noqa: E402
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402



@pytest.mark.parametrize("q", [0.5, 1.0, 1.5, 2.0, 4.0])
@pytest.mark.parametrize("radius", [1.0, 2.5])
def test_lq_boundary_points_satisfy_the_defining_equation(q, radius):
    w1, w2 = lq_ball_boundary(q, radius=radius, n_points=401)
    np.testing.assert_allclose(np.abs(w1) ** q + np.abs(w2) ** q, radius**q, rtol=1e-12)
    assert w1.size == 401 and w1[0] == w1[-1] and w2[0] == w2[-1]
    # the four axis points (where the corners of q <= 1 sit) are on the curve
    points = np.column_stack([w1, w2])
    for axis_point in ([radius, 0], [0, radius], [-radius, 0], [0, -radius]):
        assert np.min(np.linalg.norm(points - axis_point, axis=1)) < 1e-12


def test_lq_boundary_q2_is_the_circle():
    w1, w2 = lq_ball_boundary(2.0, n_points=101)
    theta = np.linspace(0, 2 * np.pi, 101)
    np.testing.assert_allclose(w1, np.cos(theta), atol=1e-12)
    np.testing.assert_allclose(w2, np.sin(theta), atol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("level", [None, 0.3, 2.0])
def test_elastic_net_boundary_points_satisfy_the_defining_equation(alpha, level):
    w1, w2 = elastic_net_ball_boundary(alpha, level=level, n_points=201)
    target = (1 + alpha) / 2 if level is None else level
    penalty = alpha * (np.abs(w1) + np.abs(w2)) + (1 - alpha) / 2 * (w1**2 + w2**2)
    np.testing.assert_allclose(penalty, target, rtol=1e-12)


def test_elastic_net_boundary_default_passes_through_the_unit_axis_points_and_level_zero_is_the_origin():
    w1, w2 = elastic_net_ball_boundary(0.3, n_points=9)
    np.testing.assert_allclose(w1[[0, 2, 4, 6]], [1, 0, -1, 0], atol=1e-12)
    np.testing.assert_allclose(w2[[0, 2, 4, 6]], [0, 1, 0, -1], atol=1e-12)
    z1, z2 = elastic_net_ball_boundary(0.5, level=0.0)
    assert np.all(z1 == 0) and np.all(z2 == 0)


def test_elastic_net_ball_with_alpha_one_is_the_diamond_and_alpha_zero_the_circle():
    w1, w2 = elastic_net_ball_boundary(1.0, level=1.0, n_points=101)
    np.testing.assert_allclose(np.abs(w1) + np.abs(w2), 1.0, rtol=1e-12)
    w1, w2 = elastic_net_ball_boundary(0.0, level=0.5, n_points=101)
    np.testing.assert_allclose(np.hypot(w1, w2), 1.0, rtol=1e-12)


@pytest.mark.parametrize("call, error, match", [
    (lambda: lq_ball_boundary(0.0), ValueError, "q must be > 0"),
    (lambda: lq_ball_boundary(1.0, radius=-1.0), ValueError, "radius must be > 0"),
    (lambda: lq_ball_boundary(1.0, n_points=1), ValueError, "n_points must be >= 2"),
    (lambda: lq_ball_boundary("1"), TypeError, "q must be a real number"),
    (lambda: elastic_net_ball_boundary(1.5), ValueError, "alpha must be <= 1"),
    (lambda: elastic_net_ball_boundary(0.5, level=-1.0), ValueError, "level must be >= 0"),
])
def test_ball_boundaries_reject_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.fixture(scope="module")
def grouped():
    data = make_grouped_regression(60, rho=0.9, noise=3.0, seed=0)
    return data.X, data.y, data.groups



def test_explorer_weights_match_scikit_learn(grouped):
    from sklearn.linear_model import ElasticNet

    X, y, groups = grouped
    explorer = elastic_net_explorer(X, y, [1.0, 0.4], [1.0, 0.2], pair=(0, 1), groups=groups)
    assert explorer.values == [(1.0, 1.0), (1.0, 0.2), (0.4, 1.0), (0.4, 0.2)]
    for (alpha, lam), w in explorer.solutions.items():
        reference = ElasticNet(alpha=lam, l1_ratio=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(w, reference.coef_, atol=1e-8)


def test_explorer_frames_labels_and_alt_text(grouped):
    X, y, groups = grouped
    explorer = elastic_net_explorer(X, y, [1.0, 0.2], [1.5], pair=(0, 1), groups=groups, grid_size=30, n_path=10)
    payload = _payload(explorer.to_html())
    assert payload["labels"] == ["α = 1, λ = 1.5", "α = 0.2, λ = 1.5"]
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 2
    for (alpha, lam), text in zip(explorer.values, payload["alts"]):
        w = explorer.solutions[alpha, lam]
        assert f"({w[0]:.2f}, {w[1]:.2f})" in text
        assert f"{np.count_nonzero(w)} of 12 weights are non-zero" in text
        if (w[0] == 0) != (w[1] == 0):
            assert "corner on an axis" in text


@pytest.mark.parametrize("kwargs, error, match", [
    ({"alphas": [0.0], "lambdas": [1.0]}, ValueError, "alphas must be > 0"),
    ({"alphas": [1.0], "lambdas": [0.0]}, ValueError, "lambdas must be > 0"),
    ({"alphas": [1.0] * 7, "lambdas": [1.0, 2.0, 3.0]}, ValueError, "at most 20 pairs"),
    ({"alphas": [1.0], "lambdas": [1.0], "pair": (2, 2)}, ValueError, "two different features"),
    ({"alphas": [1.0], "lambdas": [1.0], "pair": (0, 12)}, ValueError, "pair must be <= 11"),
    ({"alphas": [1.0], "lambdas": [1.0], "groups": np.zeros(5, dtype=int)}, ValueError, "groups must be"),
])
def test_explorer_rejects_bad_arguments(grouped, kwargs, error, match):
    X, y, _ = grouped
    with pytest.raises(error, match=match):
        elastic_net_explorer(X, y, **kwargs)
