"""lecture_code.solvers.many_responses against scikit-learn, lecture_code.solvers' single-response solvers and the KKT conditions."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import Lasso, Ridge

from lecture_code import ConvergenceWarning
from lecture_code.data import make_regression
from lecture_code.solvers.many_responses import lasso_many, lasso_many_cv, ridge_many
from lecture_code.model_selection import k_fold_splits, path_validation_curve


@pytest.fixture(scope="module")
def problem():
    data = make_regression(60, 8, n_informative=3, rho=0.7, noise=1.0, intercept=1.5, seed=3)
    rng = np.random.default_rng(0)
    Y = (data.X @ data.coef + 1.5)[:, None] + rng.standard_normal((60, 25))
    return data.X, Y


def test_ridge_many_matches_scikit_learn_ridge_for_every_response_and_strength(problem):
    X, Y = problem
    n = X.shape[0]
    lams = np.array([1e-3, 0.1, 2.0])
    fits = ridge_many(X, Y, lams)
    assert fits.coefs.shape == (3, 8, 25) and fits.intercepts.shape == (3, 25)
    for i, lam in enumerate(lams):
        for r in (0, 7, 24):
            ref = Ridge(alpha=n * lam).fit(X, Y[:, r])
            np.testing.assert_allclose(fits.coefs[i, :, r], ref.coef_, rtol=1e-9, atol=1e-12)
            assert abs(fits.intercepts[i, r] - ref.intercept_) < 1e-9
    fitted = fits.fitted(X)
    np.testing.assert_allclose(fitted[1, :, 3], X @ fits.coefs[1, :, 3] + fits.intercepts[1, 3], rtol=1e-12)


def test_ridge_many_at_zero_is_least_squares(problem):
    X, Y = problem
    fits = ridge_many(X, Y[:, :3], 0.0, fit_intercept=False)
    np.testing.assert_allclose(fits.coefs[0], np.linalg.lstsq(X, Y[:, :3], rcond=None)[0], rtol=1e-9, atol=1e-12)
    assert np.all(fits.intercepts == 0)


def test_lasso_many_matches_scikit_learn_lasso_and_satisfies_kkt(problem):
    X, Y = problem
    n = X.shape[0]
    lams = np.array([0.5, 0.05, 0.2, 0.01])              # any order
    fits = lasso_many(X, Y, lams, tol=1e-13)
    assert np.all(fits.gaps <= 1e-13)
    Xc = X - X.mean(axis=0)
    for i, lam in enumerate(lams):
        for r in (0, 11, 24):
            ref = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(X, Y[:, r])
            np.testing.assert_allclose(fits.coefs[i, :, r], ref.coef_, atol=1e-7)
            assert abs(fits.intercepts[i, r] - ref.intercept_) < 1e-7
        # KKT for every response: |x_j' r / n| <= lam, with equality and the weight's sign where w_j != 0.
        W = fits.coefs[i]
        corr = Xc.T @ ((Y - Y.mean(axis=0)) - Xc @ W) / n
        assert np.all(np.abs(corr) <= lam * (1 + 1e-7))
        active = W != 0
        np.testing.assert_allclose(corr[active], lam * np.sign(W[active]), rtol=1e-6)


def test_lasso_many_with_penalty_factors_is_the_lasso_on_rescaled_columns(problem):
    X, Y = problem
    rng = np.random.default_rng(1)
    v = rng.uniform(0.3, 3.0, size=(8, 25))                # a different weighting per response
    fits = lasso_many(X, Y, 0.1, penalty_factor=v, tol=1e-13)
    for r in (0, 5, 20):
        ref = Lasso(alpha=0.1, tol=1e-14, max_iter=1_000_000).fit(X / v[:, r], Y[:, r])
        np.testing.assert_allclose(fits.coefs[0, :, r], ref.coef_ / v[:, r], atol=1e-7)
    shared = lasso_many(X, Y[:, :2], 0.1, penalty_factor=v[:, 0], tol=1e-13)
    ref = Lasso(alpha=0.1, tol=1e-14, max_iter=1_000_000).fit(X / v[:, 0], Y[:, 1])
    np.testing.assert_allclose(shared.coefs[0, :, 1], ref.coef_ / v[:, 0], atol=1e-7)


def test_lasso_many_above_lambda_max_is_all_zero_and_the_intercept_is_the_mean(problem):
    X, Y = problem
    lam_max = np.abs((X - X.mean(0)).T @ (Y - Y.mean(0))).max() / X.shape[0]
    fits = lasso_many(X, Y, lam_max * 1.001)
    assert np.all(fits.coefs == 0)
    np.testing.assert_allclose(fits.intercepts[0], Y.mean(axis=0), rtol=1e-12)


def test_lasso_many_warns_with_the_gap_when_it_stops_early(problem):
    X, Y = problem
    with pytest.warns(ConvergenceWarning, match="largest relative duality gap"):
        lasso_many(X, Y, 0.001, tol=1e-16, max_iter=1)


def test_lasso_many_cv_matches_path_validation_curve_per_response(problem):
    X, Y = problem
    lams = np.geomspace(0.5, 0.01, 8)
    splits = k_fold_splits(X.shape[0], 5, seed=0)
    cv = lasso_many_cv(X, Y[:, :4], lams, splits, tol=1e-12)
    assert cv.val_errors.shape == (5, 8, 4)
    for r in range(4):
        ref = path_validation_curve(X, Y[:, r], lams, splits, tol=1e-12)     # its grid is in decreasing order
        np.testing.assert_allclose(cv.mean_val[:, r], ref.mean_val, rtol=1e-7)
        assert cv.best_index[r] == ref.best_index and cv.best_lambda[r] == lams[ref.best_index]


def test_inputs_are_not_modified(problem):
    X, Y = problem
    X0, Y0 = X.copy(), Y.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lasso_many(X, Y, 0.1)
        ridge_many(X, Y, 0.1)
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)


@pytest.mark.parametrize("call, error, match", [
    (lambda X, Y: lasso_many(X, Y[:-1], 0.1), ValueError, "Y must have one row per row of X"),
    (lambda X, Y: lasso_many(X, Y[:, 0], 0.1), ValueError, "Y must be 2-D"),
    (lambda X, Y: lasso_many(X, Y, 0.0), ValueError, "lambdas must be > 0"),
    (lambda X, Y: lasso_many(X, Y, 0.1, penalty_factor=np.ones(3)), ValueError, "penalty_factor must have shape"),
    (lambda X, Y: lasso_many(X, Y, 0.1, penalty_factor=np.zeros(8)), ValueError, "penalty_factor must be > 0"),
    (lambda X, Y: lasso_many(X, Y, 0.1, max_iter=0), ValueError, "max_iter must be >= 1"),
    (lambda X, Y: ridge_many(X, Y, -1.0), ValueError, "lambdas must be >= 0"),
    (lambda X, Y: lasso_many_cv(X, Y, [0.1], []), ValueError, "splits must not be empty"),
    (lambda X, Y: ridge_many(X, "Y", 1.0), TypeError, "Y must be an array"),
    (lambda X, Y: ridge_many(X, Y, 1.0, fit_intercept=1), TypeError, "fit_intercept must be True or False"),
])
def test_bad_arguments_are_rejected(problem, call, error, match):
    X, Y = problem
    with pytest.raises(error, match=match):
        call(X, Y)
