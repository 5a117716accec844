"""lecture_code.ridge_cv against explicit leave-one-out refits (lecture_code.solvers.ridge and scikit-learn's
Ridge on n - 1 points), the explicit hat matrix, and scikit-learn's RidgeCV leave-one-out values."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge, RidgeCV

from lecture_code import solvers
from lecture_code.ridge_cv import ridge_cv_curves, ridge_hat_diagonal, ridge_loo_residuals
from lecture_code.shrinkage import effective_degrees_of_freedom


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((25, 6)) @ np.diag([1, 2, 0.5, 1, 3, 0.1])
    y = X @ rng.standard_normal(6) + 4.0 + rng.standard_normal(25)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_hat_diagonal_is_the_diagonal_of_the_explicit_hat_matrix(data, fit_intercept):
    X, y = data
    n, p = X.shape
    lams = np.array([0.0, 0.01, 1.0])
    h = ridge_hat_diagonal(X, lams, fit_intercept=fit_intercept)
    for i, lam in enumerate(lams):
        Z = np.column_stack([np.ones(n), X]) if fit_intercept else X
        P = np.diag([0.0] + [1.0] * p) if fit_intercept else np.eye(p)      # the bias is not penalised
        H = Z @ np.linalg.solve(Z.T @ Z + n * lam * P, Z.T)
        np.testing.assert_allclose(h[i], np.diag(H), rtol=1e-9, atol=1e-12)
    trace = h.sum(axis=1) - (1 if fit_intercept else 0)
    np.testing.assert_allclose(trace, effective_degrees_of_freedom(X, lams, fit_intercept=fit_intercept), rtol=1e-10)


def test_loo_residuals_equal_explicit_refits_with_the_same_sum_form_penalty(data):
    X, y = data
    n = X.shape[0]
    lam = 0.05
    loo = ridge_loo_residuals(X, y, lam)[0]
    for i in range(n):
        keep = np.arange(n) != i
        # course strength n*lam/(n-1) on n-1 points = the same sum-form penalty n*lam*||w||^2
        refit = solvers.ridge(X[keep], y[keep], n * lam / (n - 1))
        assert np.isclose(y[i] - refit.predict(X[i:i + 1])[0], loo[i], rtol=1e-9, atol=1e-12)
        sk = Ridge(alpha=n * lam).fit(X[keep], y[keep])
        assert np.isclose(y[i] - sk.predict(X[i:i + 1])[0], loo[i], rtol=1e-9, atol=1e-12)


def test_curves_match_scikit_learn_ridgecv_and_the_gcv_formula(data):
    X, y = data
    n = X.shape[0]
    lams = np.geomspace(1e-4, 10, 12)
    curves = ridge_cv_curves(X, y, lams)
    sk = RidgeCV(alphas=n * lams, store_cv_results=True).fit(X, y)        # efficient LOO, squared errors
    np.testing.assert_allclose(curves.loo, sk.cv_results_.mean(axis=0), rtol=1e-8)
    for i, lam in enumerate(lams):
        fit = solvers.ridge(X, y, lam)
        rss = np.sum((y - fit.predict(X)) ** 2)
        trace = 1 + effective_degrees_of_freedom(X, lam)
        assert np.isclose(curves.gcv[i], rss / n / (1 - trace / n) ** 2, rtol=1e-9)
        assert np.isclose(curves.trace[i], trace, rtol=1e-10)
    assert curves.best_loo == int(np.argmin(curves.loo)) and curves.best_gcv == int(np.argmin(curves.gcv))
    assert np.all(curves.loo_se > 0)


@pytest.mark.parametrize("call, error, match", [
    (lambda X, y: ridge_cv_curves(X, y[:-1], 0.1), ValueError, "same number of rows"),
    (lambda X, y: ridge_cv_curves(X, y, -0.1), ValueError, "lambdas must be >= 0"),
    (lambda X, y: ridge_loo_residuals(X, y, [[0.1]]), ValueError, "lambdas must be 0-D or 1-D"),
    (lambda X, y: ridge_hat_diagonal(X, 0.1, fit_intercept="yes"), TypeError, "fit_intercept must be True or False"),
])
def test_bad_arguments_are_rejected(data, call, error, match):
    X, y = data
    with pytest.raises(error, match=match):
        call(X, y)
