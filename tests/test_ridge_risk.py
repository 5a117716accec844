"""lecture_code.ridge_risk against the matrix formulas E[w] = A X'X w*, Cov = s^2 A X'X A (no SVD), a Monte Carlo
with scikit-learn's Ridge, and the Hoerl-Kennard derivative argument checked by finite differences."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from lecture_code.ridge_risk import hoerl_kennard_bound, ridge_risk


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((30, 5))
    X[:, 4] = X[:, 3] + 0.1 * rng.standard_normal(30)             # two nearly collinear columns
    coef = np.array([2.0, -1.0, 0.5, 1.0, 1.0])
    return X, coef


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_risk_matches_the_matrix_formulas(design, fit_intercept):
    X, coef = design
    n, p = X.shape
    sigma = 0.7
    Xc = X - X.mean(axis=0) if fit_intercept else X
    lams = np.array([0.0, 1e-3, 0.05, 1.0])
    coef_risk = ridge_risk(X, coef, sigma, lams, fit_intercept=fit_intercept)
    fit_risk = ridge_risk(X, coef, sigma, lams, target="fit", fit_intercept=fit_intercept)
    for i, lam in enumerate(lams):
        A = np.linalg.inv(Xc.T @ Xc + n * lam * np.eye(p))
        mean = A @ Xc.T @ Xc @ coef
        cov = sigma**2 * A @ Xc.T @ Xc @ A
        assert np.isclose(coef_risk.bias2[i], np.sum((mean - coef) ** 2), rtol=1e-8, atol=1e-14)
        assert np.isclose(coef_risk.variance[i], np.trace(cov), rtol=1e-8)
        H = Xc @ A @ Xc.T
        fit_bias2 = np.sum((H @ Xc @ coef - Xc @ coef) ** 2) / n
        fit_var = sigma**2 * (np.trace(H @ H) + (1 if fit_intercept else 0)) / n
        assert np.isclose(fit_risk.bias2[i], fit_bias2, rtol=1e-8, atol=1e-14)
        assert np.isclose(fit_risk.variance[i], fit_var, rtol=1e-8)
    np.testing.assert_allclose(coef_risk.mse, coef_risk.bias2 + coef_risk.variance)
    assert coef_risk.bias2[0] < 1e-20                               # least squares is unbiased


def test_risk_matches_a_monte_carlo_with_scikit_learn(design):
    X, coef = design
    n = X.shape[0]
    sigma, lam, R = 0.7, 0.05, 2000
    rng = np.random.default_rng(0)
    errors = np.empty(R)
    for r in range(R):
        y = X @ coef + 3.0 + sigma * rng.standard_normal(n)
        errors[r] = np.sum((Ridge(alpha=n * lam).fit(X, y).coef_ - coef) ** 2)
    exact = ridge_risk(X, coef, sigma, lam).mse[0]
    assert abs(errors.mean() - exact) < 4 * errors.std(ddof=1) / np.sqrt(R)


def test_rank_deficient_design_counts_the_unseen_part_as_bias():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 6))                                 # p > n: a null space
    coef = rng.standard_normal(6)
    risk = ridge_risk(X, coef, 1.0, 0.0, fit_intercept=False)
    w_ls = np.linalg.pinv(X) @ X @ coef                              # E[minimum-norm least squares]
    assert np.isclose(risk.bias2[0], np.sum((w_ls - coef) ** 2), rtol=1e-8)


def test_hoerl_kennard_every_lambda_below_the_bound_beats_least_squares(design):
    X, coef = design
    sigma = 0.7
    bound = hoerl_kennard_bound(X, coef, sigma)
    lams = np.linspace(0, bound, 201)
    mse = ridge_risk(X, coef, sigma, lams).mse
    assert np.all(np.diff(mse) < 0)                                  # decreasing all the way to the bound
    # The derivative formula of the docstring against a finite difference of the exact risk.
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    _, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    theta = Vt @ coef
    k, h = 0.3, 1e-6
    derivative = np.sum(2 * d**2 * (k * theta**2 - sigma**2) / (d**2 + k) ** 3)
    fd = (ridge_risk(X, coef, sigma, (k + h) / n).mse[0] - ridge_risk(X, coef, sigma, (k - h) / n).mse[0]) / (2 * h)
    assert np.isclose(derivative, fd, rtol=1e-5)
    assert np.isclose(bound, sigma**2 / (n * np.max(theta**2)))


@pytest.mark.parametrize("call, error, match", [
    (lambda X, c: ridge_risk(X, c[:3], 1.0, 0.1), ValueError, "coef must have one entry per column"),
    (lambda X, c: ridge_risk(X, c, -1.0, 0.1), ValueError, "noise must be >= 0"),
    (lambda X, c: ridge_risk(X, c, 1.0, [-0.1]), ValueError, "lambdas must be >= 0"),
    (lambda X, c: ridge_risk(X, c, 1.0, 0.1, target="weights"), ValueError, "target must be 'coef' or 'fit'"),
    (lambda X, c: hoerl_kennard_bound(X, np.zeros(5), 1.0), ValueError, "coef must not be all zero"),
    (lambda X, c: hoerl_kennard_bound(X[:3], c, 1.0), ValueError, "full column rank"),
    (lambda X, c: hoerl_kennard_bound(X, c, 0.0), ValueError, "noise must be > 0"),
])
def test_bad_arguments_are_rejected(design, call, error, match):
    X, coef = design
    with pytest.raises(error, match=match):
        call(X, coef)
