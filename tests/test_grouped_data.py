"""Grouped regression data (chapter 6): the correlation structure against the stated values."""

import numpy as np
import pytest

from lecture_code.grouped_data import GroupedData, grouped_covariance, make_grouped_regression


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_within_group_correlation_is_rho_and_across_groups_zero(rho):
    data = make_grouped_regression(200_000, n_groups=3, group_size=4, rho=rho, seed=1)
    C = np.corrcoef(data.X, rowvar=False)
    same = data.groups[:, None] == data.groups[None, :]
    off_diagonal = ~np.eye(12, dtype=bool)
    np.testing.assert_allclose(C[same & off_diagonal], rho, atol=0.01)
    np.testing.assert_allclose(C[~same], 0.0, atol=0.01)


def test_features_have_unit_variance_and_zero_mean():
    X = make_grouped_regression(200_000, rho=0.9, seed=2).X
    np.testing.assert_allclose(X.var(axis=0), 1.0, atol=0.02)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=0.01)


def test_sample_covariance_matches_the_block_matrix_written_out():
    data = make_grouped_regression(200_000, n_groups=2, group_size=3, rho=0.8, seed=3)
    a, b = 1.0, 0.8
    expected = np.array([
        [a, b, b, 0, 0, 0],
        [b, a, b, 0, 0, 0],
        [b, b, a, 0, 0, 0],
        [0, 0, 0, a, b, b],
        [0, 0, 0, b, a, b],
        [0, 0, 0, b, b, a],
    ])
    np.testing.assert_allclose(np.cov(data.X, rowvar=False), expected, atol=0.02)
    np.testing.assert_allclose(grouped_covariance(2, 3, 0.8), expected, rtol=0, atol=1e-15)


def test_groups_coefficients_and_support():
    data = make_grouped_regression(50, n_groups=3, group_size=4, n_relevant_groups=2, effect=1.5, seed=0)
    assert isinstance(data, GroupedData)
    np.testing.assert_array_equal(data.groups, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    np.testing.assert_array_equal(data.coef, [1.5] * 8 + [0.0] * 4)
    np.testing.assert_array_equal(data.support, np.arange(8))
    np.testing.assert_array_equal(data.members(2), [8, 9, 10, 11])
    assert data.rho == 0.9 and data.noise == 1.0 and data.X.shape == (50, 12)


def test_targets_follow_the_linear_model_with_the_stated_noise():
    data = make_grouped_regression(200_000, rho=0.9, noise=2.0, intercept=3.0, seed=4)
    residual = data.y - data.X @ data.coef - data.intercept
    assert abs(residual.mean()) < 0.02
    assert abs(residual.std() - 2.0) < 0.02
    # Least squares on a large sample recovers the true weights and bias (an independent check of y).
    design = np.column_stack([np.ones(len(data.y)), data.X])
    fitted = np.linalg.lstsq(design, data.y, rcond=None)[0]
    np.testing.assert_allclose(fitted, np.r_[3.0, data.coef], atol=0.05)


def test_noise_free_targets_are_exact():
    data = make_grouped_regression(30, noise=0.0, seed=5)
    np.testing.assert_allclose(data.y, data.X @ data.coef, rtol=0, atol=1e-12)


def test_reproducible_with_a_seed_and_different_across_seeds():
    a, b = make_grouped_regression(40, seed=7), make_grouped_regression(40, seed=7)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.allclose(a.X, make_grouped_regression(40, seed=8).X)
    c = make_grouped_regression(40, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.X, c.X)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"rho": 1.0}, ValueError, "rho must be < 1"),
    ({"rho": -0.1}, ValueError, "rho must be >= 0"),
    ({"n": 0}, ValueError, "n must be >= 1"),
    ({"n_groups": 0}, ValueError, "n_groups must be >= 1"),
    ({"group_size": 1.5}, TypeError, "group_size must be an integer"),
    ({"n_relevant_groups": 4}, ValueError, "n_relevant_groups must be <= 3"),
    ({"noise": -1.0}, ValueError, "noise must be >= 0"),
    ({"effect": "big"}, TypeError, "effect must be a real number"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
])
def test_bad_arguments_are_rejected_by_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_grouped_regression(**kwargs)


def test_members_rejects_unknown_group():
    with pytest.raises(ValueError, match="group must be <= 2"):
        make_grouped_regression(10).members(3)


def test_grouped_covariance_rejects_bad_rho():
    with pytest.raises(ValueError, match="rho must be < 1"):
        grouped_covariance(2, 2, 1.0)
