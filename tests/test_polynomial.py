"""Polynomial fits against numpy.polyfit and the normal equations."""

import numpy as np
import pytest

from lecture_code import ConvergenceWarning
from lecture_code.data import make_curve_data
from lecture_code.model_selection import k_fold_splits, train_validation_split, validation_curve
from lecture_code.polynomial import fit_polynomial, ridge_fitter, ridge_validation_curve


@pytest.fixture(scope="module")
def sample():
    return make_curve_data(25, noise=0.2, seed=4)


@pytest.mark.parametrize("degree", [1, 2, 5, 9])
def test_least_squares_fit_equals_numpy_polyfit(sample, degree):
    fit = fit_polynomial(sample.x, sample.y, degree)
    grid = np.linspace(0, 1, 50)
    np.testing.assert_allclose(fit.predict(grid), np.polyval(np.polyfit(sample.x, sample.y, degree), grid),
                               atol=1e-8)


def test_gradient_descent_converges_to_the_least_squares_weights(sample):
    closed = fit_polynomial(sample.x, sample.y, 2)
    descent = fit_polynomial(sample.x, sample.y, 2, method="gd", max_iter=100_000, tol=1e-12)
    assert descent.result.converged
    np.testing.assert_allclose(descent.coef, closed.coef, atol=1e-8)
    assert descent.intercept == pytest.approx(closed.intercept, abs=1e-8)
    # The objective history is non-increasing for a step of 1/L on a convex quadratic.
    assert np.all(np.diff(descent.result.history) <= 1e-15)


def test_gradient_descent_warns_when_it_stops_early(sample):
    with pytest.warns(ConvergenceWarning, match="reached max_iter=10"):
        fit = fit_polynomial(sample.x, sample.y, 3, method="gd", max_iter=10)
    assert not fit.result.converged and fit.result.n_iter == 10


def test_penalised_fit_solves_the_ridge_normal_equations(sample):
    lam, degree = 1e-2, 6
    fit = fit_polynomial(sample.x, sample.y, degree, lam=lam)
    Z = fit.features(sample.x)
    Zc, yc, n = Z - Z.mean(0), sample.y - sample.y.mean(), len(sample.y)
    w = np.linalg.solve(Zc.T @ Zc + n * lam * np.eye(degree), Zc.T @ yc)
    np.testing.assert_allclose(fit.coef, w, atol=1e-10)
    assert fit.intercept == pytest.approx(sample.y.mean() - Z.mean(0) @ w, abs=1e-10)


def test_features_are_standardised_on_the_training_points(sample):
    fit = fit_polynomial(sample.x, sample.y, 4)
    Z = fit.features(sample.x)
    np.testing.assert_allclose(Z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(0), 1, rtol=1e-12)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"degree": 0}, ValueError, "degree must be >= 1"),
    ({"degree": 2, "lam": -1.0}, ValueError, "lam must be >= 0"),
    ({"degree": 2, "method": "newton"}, ValueError, "method must be 'lstsq' or 'gd'"),
    ({"degree": 2, "max_iter": 5}, TypeError, "method='lstsq' takes no solver options"),
])
def test_fit_polynomial_rejects_bad_arguments(sample, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_polynomial(sample.x, sample.y, **kwargs)


def test_fit_polynomial_rejects_mismatched_x_and_y():
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        fit_polynomial([0.1, 0.2, 0.3], [1.0, 2.0], 1)


def test_ridge_fitter_is_the_validation_curve_form_of_fit_polynomial(sample):
    from lecture_code.polynomial import ridge_fitter

    predict = ridge_fitter(5)(sample.x, sample.y, 1e-3)
    grid = np.linspace(0, 1, 9)
    np.testing.assert_allclose(predict(grid), fit_polynomial(sample.x, sample.y, 5, lam=1e-3).predict(grid))
    with pytest.raises(ValueError, match="degree must be >= 1"):
        ridge_fitter(0)


@pytest.mark.parametrize("degree, lambdas, rtol", [
    (5, np.array([0.0, 1e-6, 1e-3, 0.1, 10.0]), 1e-9),           # well conditioned, lambda = 0 included
    (15, np.geomspace(1e-6, 10, 8), 1e-6),                        # the chapter's ill-conditioned degree
])
def test_ridge_validation_curve_equals_the_generic_one(sample, degree, lambdas, rtol):
    splits = k_fold_splits(len(sample.x), 5, seed=1) + [train_validation_split(len(sample.x), seed=2)]
    fast = ridge_validation_curve(sample.x, sample.y, degree, lambdas, splits)
    generic = validation_curve(ridge_fitter(degree), sample.x, sample.y, lambdas, splits)
    np.testing.assert_allclose(fast.train_errors, generic.train_errors, rtol=rtol)
    np.testing.assert_allclose(fast.val_errors, generic.val_errors, rtol=rtol)
    np.testing.assert_array_equal(fast.params, lambdas)


def test_ridge_validation_curve_at_lambda_zero_is_least_squares():
    # 12 points, degree 15: more weights than points, so least squares is the minimum-norm interpolant.
    data = make_curve_data(12, noise=0.2, seed=0)
    curve = ridge_validation_curve(data.x, data.y, 15, [0.0], [(np.arange(12), np.arange(12))])
    assert curve.train_errors[0, 0] < 1e-12


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lambdas": [-1.0]}, ValueError, "lambdas must be >= 0"),
    ({"degree": 0}, ValueError, "degree must be >= 1"),
    ({"splits": []}, ValueError, "splits must not be empty"),
    ({"lambdas": [[0.1]]}, ValueError, "lambdas must be 1-D"),
])
def test_ridge_validation_curve_rejects_bad_arguments(sample, kwargs, error, match):
    args = {"x": sample.x, "y": sample.y, "degree": 3, "lambdas": [0.1], "splits": k_fold_splits(25, 5)} | kwargs
    with pytest.raises(error, match=match):
        ridge_validation_curve(**args)
