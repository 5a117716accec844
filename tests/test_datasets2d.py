"""The 2-D classification generators against scikit-learn and their defining geometry."""

import numpy as np
import pytest
from sklearn.datasets import make_moons as sk_make_moons

from lecture_code.datasets2d import grid_2d, make_moons, make_spirals, make_xor


@pytest.mark.parametrize("n", [10, 11, 200])
def test_noiseless_moons_are_scikit_learns_points(n):
    X, y = make_moons(n, noise=0.0, seed=0)
    Xs, ys = sk_make_moons(n, noise=0.0, shuffle=False)
    for label in (0, 1):
        ours, theirs = X[y == label], Xs[ys == label]
        assert len(ours) == len(theirs)
        distances = np.linalg.norm(ours[:, None, :] - theirs[None, :, :], axis=2)
        assert distances.min(axis=1).max() <= 1e-12 and distances.min(axis=0).max() <= 1e-12


def test_moons_noise_has_the_requested_spread_and_seeds_reproduce():
    clean, y0 = make_moons(4000, noise=0.0, seed=1)
    X, y = make_moons(4000, noise=0.2, seed=1)
    np.testing.assert_array_equal(y, y0)  # same shuffle, noise added on top
    assert (X - clean).std() == pytest.approx(0.2, rel=0.03)
    np.testing.assert_array_equal(make_moons(50, seed=3)[0], make_moons(50, seed=3)[0])
    assert not np.array_equal(make_moons(50, seed=3)[0], make_moons(50, seed=4)[0])


def test_spirals_have_balanced_classes_and_lie_on_their_arms():
    X, y = make_spirals(301, n_classes=3, turns=1.5, noise=0.0, seed=0)
    assert X.shape == (301, 2) and sorted(np.bincount(y)) == [100, 100, 101]
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == pytest.approx(0.05) and r.max() == pytest.approx(1.0)
    theta = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * (1.5 * r + y / 3)
    np.testing.assert_allclose(np.angle(np.exp(1j * (theta - expected))), 0, atol=1e-9)


def test_xor_labels_are_the_sign_agreement():
    X, y = make_xor(500, seed=2)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    assert np.all(np.abs(X) <= 1) and 0.4 < y.mean() < 0.6


def test_grid_covers_the_points():
    X, _ = make_moons(30, seed=0)
    xx, yy, pts = grid_2d(X, resolution=7, margin=0.25)
    assert xx.shape == yy.shape == (7, 7) and pts.shape == (49, 2)
    assert pts[:, 0].min() == pytest.approx(X[:, 0].min() - 0.25)
    assert pts[:, 1].max() == pytest.approx(X[:, 1].max() + 0.25)


@pytest.mark.parametrize("call, error, match", [
    (lambda: make_moons(1), ValueError, "n_samples must be >= 2"),
    (lambda: make_moons(10, noise=-1.0), ValueError, "noise must be >= 0"),
    (lambda: make_moons(10.0), TypeError, "n_samples must be an integer"),
    (lambda: make_spirals(10, n_classes=1), ValueError, "n_classes must be >= 2"),
    (lambda: make_spirals(10, turns=0.0), ValueError, "turns must be > 0"),
    (lambda: make_xor(0), ValueError, "n_samples must be >= 1"),
    (lambda: grid_2d(np.zeros((3, 3))), ValueError, "X must have 2 columns"),
    (lambda: grid_2d(np.zeros((3, 2)), resolution=1), ValueError, "resolution must be >= 2"),
])
def test_generators_reject_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
