"""lecture_code.degrees_of_freedom against exact degrees of freedom: the trace of a hat matrix (least squares,
ridge) and, for soft thresholding of an orthonormal design, E #{|z_j| > t} from the normal distribution."""

import numpy as np
import pytest
from scipy import stats

from lecture_code.degrees_of_freedom import covariance_df, lasso_df_estimate, mallows_cp
from lecture_code.ridge_risk import ridge_risk


def _draws(mean, sigma, R, seed):
    return mean[:, None] + sigma * np.random.default_rng(seed).standard_normal((mean.size, R))


def test_covariance_df_of_a_linear_smoother_is_its_trace_within_monte_carlo_error():
    rng = np.random.default_rng(0)
    n, p, sigma = 40, 6, 2.0
    X = rng.standard_normal((n, p))
    H = X @ np.linalg.solve(X.T @ X + 15.0 * np.eye(p), X.T)       # a ridge hat matrix
    mu = X @ rng.standard_normal(p) * 3
    Y = _draws(mu, sigma, 4000, 1)
    df, se = covariance_df(H @ Y, Y, mu, sigma)
    df_cv, se_cv = covariance_df(H @ Y, Y, mu, sigma, reference=H @ mu)
    exact = np.trace(H)
    assert abs(df - exact) < 4 * se and abs(df_cv - exact) < 4 * se_cv
    assert se_cv < se / 2                                            # the control variate removes most noise
    # least squares with p columns: df = p
    P = X @ np.linalg.pinv(X)
    df_ls, se_ls = covariance_df(P @ Y, Y, mu, sigma, reference=P @ mu)
    assert abs(df_ls - p) < 4 * se_ls


def test_soft_thresholding_df_is_the_expected_number_of_survivors():
    # Orthonormal design X = I: the lasso is soft thresholding of z = y at t, and df = sum_j P(|y_j| > t).
    mu = np.array([0.0, 0.5, 1.0, 2.0, 3.0, -1.5, 0.2, 0.0])
    sigma, t, R = 1.0, 1.0, 20_000
    Y = _draws(mu, sigma, R, 2)
    fitted = np.sign(Y) * np.maximum(np.abs(Y) - t, 0.0)
    exact = np.sum(stats.norm.sf((t - mu) / sigma) + stats.norm.cdf((-t - mu) / sigma))
    df, se = covariance_df(fitted, Y, mu, sigma, reference=np.sign(mu) * np.maximum(np.abs(mu) - t, 0))
    assert abs(df - exact) < 4 * se
    counts = lasso_df_estimate(fitted, fit_intercept=False)
    assert abs(counts.mean() - exact) < 4 * counts.std(ddof=1) / np.sqrt(R)


def test_lasso_df_estimate_counts_non_zeros_plus_the_bias():
    W = np.array([[0.0, 1.0], [2.0, 0.0], [0.0, -3.0]])
    assert np.array_equal(lasso_df_estimate(W), [2, 3])
    assert np.array_equal(lasso_df_estimate(W, fit_intercept=False), [1, 2])
    assert lasso_df_estimate(np.array([0.0, 1.0])) == 2


def test_mallows_cp_is_unbiased_for_the_in_sample_prediction_error_of_ridge():
    rng = np.random.default_rng(3)
    n, p, sigma, lam = 30, 5, 1.0, 0.1
    X = rng.standard_normal((n, p))
    coef = rng.standard_normal(p)
    Xc = X - X.mean(axis=0)
    H = np.full((n, n), 1 / n) + Xc @ np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T)
    mu = X @ coef
    Y = _draws(mu, sigma, 4000, 4)
    rss = np.sum((Y - H @ Y) ** 2, axis=0)
    cp = mallows_cp(rss, np.trace(H), sigma**2, n)
    truth = sigma**2 + ridge_risk(X, coef, sigma, lam, target="fit").mse[0]
    assert abs(cp.mean() - truth) < 4 * cp.std(ddof=1) / np.sqrt(cp.size)


@pytest.mark.parametrize("call, error, match", [
    (lambda: covariance_df(np.ones((3, 4)), np.ones((3, 5)), np.ones(3), 1.0), ValueError, "same shape"),
    (lambda: covariance_df(np.ones((3, 1)), np.ones((3, 1)), np.ones(3), 1.0), ValueError, "at least 2 draws"),
    (lambda: covariance_df(np.ones((3, 4)), np.ones((3, 4)), np.ones(2), 1.0), ValueError, "mean must have shape"),
    (lambda: covariance_df(np.ones((3, 4)), np.ones((3, 4)), np.ones(3), 0.0), ValueError, "noise must be > 0"),
    (lambda: covariance_df(np.ones((3, 4)), np.ones((3, 4)), np.ones(3), 1.0, reference=np.ones(4)), ValueError,
     "reference must have shape"),
    (lambda: lasso_df_estimate("w"), TypeError, "coefs must be an array"),
    (lambda: mallows_cp(-1.0, 2.0, 1.0, 10), ValueError, "must be >= 0"),
    (lambda: mallows_cp(1.0, 2.0, 1.0, 0), ValueError, "n must be >= 1"),
])
def test_bad_arguments_are_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()
