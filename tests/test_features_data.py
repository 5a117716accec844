"""Data generators and feature maps, against closed forms and numpy references."""

import numpy as np
import pytest

from lecture_code.data import expected_squared_error, make_curve_data, true_curve
from lecture_code.features import fit_standardizer, polynomial_features


def test_polynomial_features_match_vandermonde():
    x = np.array([-1.5, 0.0, 0.3, 2.0])
    expected = np.vander(x, 5, increasing=True)[:, 1:]
    np.testing.assert_allclose(polynomial_features(x, 4), expected, rtol=1e-15, atol=0)


def test_polynomial_features_degree_zero_has_no_columns():
    assert polynomial_features([1.0, 2.0], 0).shape == (2, 0)


@pytest.mark.parametrize("degree, error, match", [
    (-1, ValueError, "degree must be >= 0"),
    (2.0, TypeError, "degree must be an integer"),
    (True, TypeError, "degree must be an integer"),
])
def test_polynomial_features_rejects_bad_degree(degree, error, match):
    with pytest.raises(error, match=match):
        polynomial_features([0.1, 0.2], degree)


@pytest.mark.parametrize("x, error, match", [
    ([], ValueError, "x must not be empty"),
    ([[0.1, 0.2]], ValueError, "x must be 1-D"),
    ([0.1, np.nan], ValueError, "x must contain only finite values"),
    ([0.1, np.inf], ValueError, "x must contain only finite values"),
    (["a", "b"], TypeError, "x must be an array of real numbers"),
    ("abc", TypeError, "x must be an array of real numbers"),
])
def test_polynomial_features_rejects_bad_x(x, error, match):
    with pytest.raises(error, match=match):
        polynomial_features(x, 2)


def test_standardizer_gives_zero_mean_unit_std_and_reuses_training_statistics():
    rng = np.random.default_rng(1)
    X = rng.normal(3.0, 2.0, size=(50, 3))
    s = fit_standardizer(X)
    Z = s.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-12)
    X_new = rng.normal(size=(5, 3))
    np.testing.assert_allclose(s.transform(X_new), (X_new - X.mean(0)) / X.std(0))


def test_standardizer_leaves_constant_columns_finite():
    X = np.column_stack([np.ones(4), np.arange(4.0)])
    Z = fit_standardizer(X).transform(X)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 0], 0.0)


def test_standardizer_rejects_wrong_width():
    s = fit_standardizer(np.ones((3, 2)))
    with pytest.raises(ValueError, match="X must have 2 columns"):
        s.transform(np.ones((3, 3)))


def test_caller_arrays_are_not_modified():
    X = np.arange(6.0).reshape(3, 2)
    before = X.copy()
    fit_standardizer(X).transform(X)
    polynomial_features(X[:, 0], 3)
    np.testing.assert_array_equal(X, before)


def test_curve_data_is_reproducible_sorted_and_has_the_stated_noise():
    a, b = make_curve_data(20, seed=3), make_curve_data(20, seed=3)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert np.all(np.diff(a.x) >= 0) and a.x.min() >= 0 and a.x.max() <= 1
    big = make_curve_data(200_000, noise=0.25, seed=0)
    residual = big.y - np.sin(2 * np.pi * big.x)
    assert abs(residual.std() - 0.25) < 0.003          # 4 standard errors of a std estimate
    assert abs(residual.mean()) < 0.003


def test_noise_free_curve_data_lies_on_the_sine():
    d = make_curve_data(10, noise=0.0, seed=0)
    np.testing.assert_allclose(d.y, np.sin(2 * np.pi * d.x))
    np.testing.assert_allclose(true_curve([0.25, 0.5]), [1.0, 0.0], atol=1e-15)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n": 0}, ValueError, "n must be >= 1"),
    ({"noise": -0.1}, ValueError, "noise must be >= 0"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
    ({"seed": 1.5}, TypeError, "seed must be an integer"),
])
def test_curve_data_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_curve_data(**kwargs)


def test_regression_data_has_the_stated_support_correlation_and_noise():
    from lecture_code.data import make_regression

    d = make_regression(200_000, 4, n_informative=2, rho=0.6, noise=0.5, intercept=1.5, seed=1)
    assert len(d.support) == 2 and np.all(np.abs(d.coef[d.support]) >= 1) and np.all(np.abs(d.coef) <= 3)
    corr = np.corrcoef(d.X, rowvar=False)
    expected = 0.6 ** np.abs(np.subtract.outer(np.arange(4), np.arange(4)))
    np.testing.assert_allclose(corr, expected, atol=0.01)
    np.testing.assert_allclose(d.X.std(axis=0), 1.0, atol=0.01)
    residual = d.y - d.X @ d.coef - d.intercept
    assert abs(residual.std() - 0.5) < 0.005
    # The least-squares estimate on this large sample recovers the true weights.
    A = np.column_stack([d.X, np.ones(len(d.y))])
    w = np.linalg.lstsq(A, d.y, rcond=None)[0]
    np.testing.assert_allclose(w[:4], d.coef, atol=0.01)
    assert w[4] == pytest.approx(1.5, abs=0.01)


def test_regression_data_is_reproducible_and_validated():
    from lecture_code.data import make_regression

    a, b = make_regression(10, 30, n_informative=30, seed=5), make_regression(10, 30, n_informative=30, seed=5)
    np.testing.assert_array_equal(a.X, b.X)
    assert np.count_nonzero(a.coef) == 30
    with pytest.raises(ValueError, match="n_informative must be <= 3"):
        make_regression(10, 3, n_informative=4)
    with pytest.raises(ValueError, match="rho must be < 1"):
        make_regression(10, 3, n_informative=2, rho=1.0)


def test_expected_squared_error_closed_forms():
    sigma = 0.25
    # the truth itself: only the noise is left
    assert expected_squared_error(true_curve, noise=sigma) == pytest.approx(sigma**2, abs=1e-15)
    # a constant c: sigma^2 + c^2 + int sin^2 = sigma^2 + c^2 + 1/2 (int sin = 0)
    assert expected_squared_error(lambda x: np.full_like(x, 0.3), noise=sigma) == pytest.approx(
        sigma**2 + 0.09 + 0.5, rel=1e-12)
    # the line y = x: int (x - sin 2 pi x)^2 = 1/3 - 2 int x sin(2 pi x) + 1/2 = 1/3 + 1/pi + 1/2
    assert expected_squared_error(lambda x: x, noise=0.0) == pytest.approx(1 / 3 + 1 / np.pi + 0.5, rel=1e-12)


def test_expected_squared_error_matches_fresh_data():
    # Monte Carlo: a fixed curve scored on 400,000 new points drawn by make_curve_data.
    curve = np.polynomial.Polynomial([0.2, 4.0, -9.0, 5.0])
    fresh = make_curve_data(400_000, noise=0.25, seed=3)
    e = (fresh.y - curve(fresh.x)) ** 2
    assert expected_squared_error(curve, noise=0.25) == pytest.approx(e.mean(), abs=4 * e.std() / np.sqrt(e.size))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"predict": 1.0, "noise": 0.1}, TypeError, "predict must be callable"),
    ({"predict": np.sin, "noise": -0.1}, ValueError, "noise must be >= 0"),
    ({"predict": np.sin, "noise": 0.1, "n_grid": 100}, ValueError, "n_grid must be odd"),
    ({"predict": lambda x: x[:-1], "noise": 0.1}, ValueError, "predict must return shape"),
    ({"predict": lambda x: x * np.nan, "noise": 0.1}, ValueError, "finite"),
])
def test_expected_squared_error_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        expected_squared_error(**kwargs)
