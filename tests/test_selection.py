"""lecture_code.selection against independent references: regressions of each feature on the support (the
irrepresentable values), scikit-learn's Lasso and least squares (relaxed lasso), the KKT conditions of the
weighted lasso (adaptive lasso), and scipy's linregress / a uniform null distribution (OLS p-values)."""

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import Lasso, LinearRegression

from lecture_code.data import make_regression
from lecture_code.selection import adaptive_lasso, irrepresentable_values, ols_pvalues, refit_on_support, relaxed_lasso


def test_irrepresentable_values_are_regression_coefficients_on_the_support_times_the_signs():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 6))
    X[:, 5] = 0.6 * X[:, 0] + 0.6 * X[:, 1] + 0.5 * rng.standard_normal(200)
    Xc = X - X.mean(axis=0)
    S, signs = np.array([0, 1, 2]), np.array([1.0, 1.0, -1.0])
    eta = irrepresentable_values(Xc.T @ Xc / 200, S, signs)
    for value, j in zip(eta, [3, 4, 5]):
        beta = LinearRegression().fit(X[:, S], X[:, j]).coef_            # regression of x_j on the support
        assert np.isclose(value, abs(beta @ signs), rtol=1e-9)
    assert eta[2] > 1 > max(eta[:2])                                    # the correlated feature violates it
    # population version: Sigma with x3 = (x1 + x2) rho-correlated
    Sigma = np.array([[1, 0, 0.6], [0, 1, 0.6], [0.6, 0.6, 1]])
    assert np.isclose(irrepresentable_values(Sigma, [0, 1], [1, 1])[0], 1.2)
    assert np.isclose(irrepresentable_values(Sigma, [0, 1], [1, -1])[0], 0.0)


@pytest.fixture(scope="module")
def data():
    d = make_regression(80, 10, n_informative=3, rho=0.5, noise=1.0, intercept=1.0, seed=2)
    return d.X, d.y


def test_relaxed_lasso_is_the_lasso_at_phi_one_and_least_squares_on_the_selection_at_phi_zero(data):
    X, y = data
    lam = 0.3
    lasso = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(X, y)
    A = np.flatnonzero(lasso.coef_)
    assert 0 < A.size < 10
    one = relaxed_lasso(X, y, lam, 1.0)
    np.testing.assert_allclose(one.coef, lasso.coef_, atol=1e-7)
    zero = relaxed_lasso(X, y, lam, 0.0)
    ols = LinearRegression().fit(X[:, A], y)
    np.testing.assert_allclose(zero.coef[A], ols.coef_, rtol=1e-9)
    assert np.all(zero.coef[np.setdiff1d(np.arange(10), A)] == 0) and np.isclose(zero.intercept, ols.intercept_)
    half = relaxed_lasso(X, y, lam, 0.5)
    ref = Lasso(alpha=0.5 * lam, tol=1e-14, max_iter=1_000_000).fit(X[:, A], y)
    np.testing.assert_allclose(half.coef[A], ref.coef_, atol=1e-7)
    empty = relaxed_lasso(X, y, 100.0, 0.0)
    assert np.all(empty.coef == 0) and np.isclose(empty.intercept, y.mean())


def test_refit_on_support_matches_least_squares_per_column(data):
    X, y = data
    rng = np.random.default_rng(1)
    Y = y[:, None] + rng.standard_normal((80, 4))
    W = np.zeros((10, 4))
    W[[0, 3], 0] = 1.0
    W[[0, 3], 1] = -2.0
    W[[5], 2] = 0.1                                                     # column 3: empty support
    coefs, intercepts = refit_on_support(X, Y, W)
    for r, A in enumerate(([0, 3], [0, 3], [5])):
        ols = LinearRegression().fit(X[:, A], Y[:, r])
        np.testing.assert_allclose(coefs[A, r], ols.coef_, rtol=1e-9)
        assert np.isclose(intercepts[r], ols.intercept_)
    assert np.all(coefs[:, 3] == 0) and np.isclose(intercepts[3], Y[:, 3].mean())


def test_adaptive_lasso_satisfies_the_weighted_kkt_conditions(data):
    X, y = data
    n = X.shape[0]
    lam, gamma = 0.05, 1.0
    fit = adaptive_lasso(X, y, lam, gamma=gamma)
    initial = LinearRegression().fit(X, y).coef_
    v = 1 / np.abs(initial) ** gamma
    r = y - X @ fit.coef - fit.intercept
    corr = (X - X.mean(axis=0)).T @ r / n
    active = fit.coef != 0
    np.testing.assert_allclose(corr[active], lam * v[active] * np.sign(fit.coef[active]), rtol=1e-6)
    assert np.all(np.abs(corr[~active]) <= lam * v[~active] * (1 + 1e-8))
    assert abs(r.mean()) < 1e-12
    # a zero initial weight keeps the feature out
    init = initial.copy()
    init[[0, 1]] = 0.0
    assert np.all(adaptive_lasso(X, y, lam, initial=init).coef[[0, 1]] == 0)


def test_ols_pvalues_match_linregress_and_are_uniform_under_a_fixed_null_model():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(30)
    y = 0.3 * x + rng.standard_normal(30)
    assert np.isclose(ols_pvalues(x[:, None], y)[0], stats.linregress(x, y).pvalue, rtol=1e-9)
    X = rng.standard_normal((40, 3))
    pvals = np.array([ols_pvalues(X, rng.standard_normal(40)) for _ in range(400)]).ravel()
    assert stats.kstest(pvals, "uniform").pvalue > 0.001


@pytest.mark.parametrize("call, error, match", [
    (lambda X, y: irrepresentable_values(np.ones((3, 2)), [0], [1]), ValueError, "symmetric square"),
    (lambda X, y: irrepresentable_values(np.eye(3), [0, 0], [1, 1]), ValueError, "distinct indices"),
    (lambda X, y: irrepresentable_values(np.eye(3), [0], [0.5]), ValueError, "each \\+1 or -1"),
    (lambda X, y: irrepresentable_values(np.eye(3), [], []), ValueError, "non-empty"),
    (lambda X, y: relaxed_lasso(X, y, 0.1, 1.5), ValueError, "phi must be <= 1"),
    (lambda X, y: relaxed_lasso(X, y, 0.0, 0.5), ValueError, "lam must be > 0"),
    (lambda X, y: adaptive_lasso(X, y, 0.1, gamma=0.0), ValueError, "gamma must be > 0"),
    (lambda X, y: adaptive_lasso(X, y, 0.1, initial=np.ones(3)), ValueError, "initial must have shape"),
    (lambda X, y: refit_on_support(X, y[:, None], np.ones((3, 1))), ValueError, "expected Y of shape"),
    (lambda X, y: ols_pvalues(X[:5], y[:5]), ValueError, "need more samples than parameters"),
])
def test_bad_arguments_are_rejected(data, call, error, match):
    X, y = data
    with pytest.raises(error, match=match):
        call(X, y)
