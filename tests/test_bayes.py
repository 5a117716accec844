"""lecture_code.bayes against independent references: scipy quadrature, the closed-form Gaussian posterior,
the truncated-normal mixture of the Laplace posterior, and the course's ridge and lasso solvers (the MAP)."""

import numpy as np
import pytest
from scipy import integrate, special, stats

from lecture_code import solvers
from lecture_code.bayes import (grid_posterior, lasso_lambda_from_prior, prior_density, ridge_lambda_from_prior,
                                scalar_posterior)


def _laplace_posterior_mean(z, s, b):
    """E[w | z] for w ~ Laplace(b), z | w ~ N(w, s^2): a mixture of two truncated normals (closed form)."""
    m_plus, m_minus = z - s**2 / b, z + s**2 / b
    # log weights of the two halves: exp(-z/b + s^2/(2b^2)) Phi(m+/s) and exp(z/b + s^2/(2b^2)) Phi(-m-/s)
    log_a = -z / b + stats.norm.logcdf(m_plus / s)
    log_c = z / b + stats.norm.logcdf(-m_minus / s)
    mean_plus = m_plus + s * np.exp(stats.norm.logpdf(m_plus / s) - stats.norm.logcdf(m_plus / s))
    mean_minus = m_minus - s * np.exp(stats.norm.logpdf(m_minus / s) - stats.norm.logcdf(-m_minus / s))
    top = np.maximum(log_a, log_c)
    wa, wc = np.exp(log_a - top), np.exp(log_c - top)
    return (wa * mean_plus + wc * mean_minus) / (wa + wc)


def test_lambda_formulas_are_the_map_correspondence():
    assert np.isclose(ridge_lambda_from_prior(4.0, 2.0, 50), 4.0 / 100)
    assert np.isclose(lasso_lambda_from_prior(4.0, 0.5, 40), 4.0 / 20)


def test_prior_densities_integrate_to_one_and_have_the_stated_variance():
    for prior, scale, var in (("gaussian", 1.7, 1.7**2), ("laplace", 0.8, 2 * 0.8**2)):
        f = lambda w: float(prior_density(w, prior, scale))
        assert abs(integrate.quad(f, -np.inf, np.inf)[0] - 1) < 1e-8
        assert abs(integrate.quad(lambda w: w * w * f(w), -np.inf, np.inf)[0] - var) < 1e-7
    np.testing.assert_allclose(prior_density(np.array([0.3, -1.0]), "gaussian", 2.0), stats.norm(0, 2).pdf([0.3, -1.0]))
    np.testing.assert_allclose(prior_density(np.array([0.3, -1.0]), "laplace", 2.0), stats.laplace(0, 2).pdf([0.3, -1.0]))


@pytest.mark.parametrize("s, b", [(1.0, 0.7), (0.3, 2.0), (2.0, 0.5)])
def test_laplace_posterior_mean_matches_the_closed_form_and_scipy_quadrature(s, b):
    z = np.array([-6.0, -2.0, -0.5, 0.0, 0.2, 1.0, 3.0, 8.0])
    mode, mean = scalar_posterior(z, se=s, prior="laplace", scale=b)
    np.testing.assert_allclose(mean, _laplace_posterior_mean(z, s, b), atol=1e-8 * max(s, 1))
    for zi, mi in zip(z[[1, 4, 6]], mean[[1, 4, 6]]):
        f = lambda w: np.exp(-0.5 * ((w - zi) / s) ** 2 - abs(w) / b)
        num = integrate.quad(lambda w: w * f(w), -np.inf, 0)[0] + integrate.quad(lambda w: w * f(w), 0, np.inf)[0]
        den = integrate.quad(f, -np.inf, 0)[0] + integrate.quad(f, 0, np.inf)[0]
        assert abs(mi - num / den) < 1e-8
    # the mode is the soft threshold at lambda = s^2 / b; the mean is never exactly 0 except at z = 0
    lam = s**2 / b
    np.testing.assert_allclose(mode, np.sign(z) * np.maximum(np.abs(z) - lam, 0), atol=1e-15)
    assert np.all(mean[z != 0] != 0) and np.all(np.sign(mean[z != 0]) == np.sign(z[z != 0]))


def test_gaussian_posterior_mode_and_mean_are_the_ridge_shrink():
    z = np.linspace(-3, 3, 7)
    mode, mean = scalar_posterior(z, se=0.5, prior="gaussian", scale=1.0)
    np.testing.assert_allclose(mode, z / (1 + 0.25), rtol=1e-14)
    np.testing.assert_allclose(mean, mode, rtol=1e-14)
    _, scalar_mean = scalar_posterior(1.5, se=0.5, prior="gaussian", scale=1.0)
    assert np.ndim(scalar_mean) == 0 and np.isclose(scalar_mean, 1.2)


@pytest.fixture(scope="module")
def two_features():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    X[:, 1] += 0.8 * X[:, 0]
    X -= X.mean(axis=0)
    y = X @ np.array([1.0, 0.1]) + rng.standard_normal(20)
    return X, y - y.mean()


def test_gaussian_grid_posterior_mean_is_the_closed_form_and_the_ridge_solution(two_features):
    X, y = two_features
    n, sigma2, tau2 = 20, 1.0, 0.5
    axis = np.linspace(-3, 3, 601)
    post = grid_posterior(X, y, (axis, axis), noise_var=sigma2, prior="gaussian", scale=np.sqrt(tau2))
    exact = np.linalg.solve(X.T @ X + sigma2 / tau2 * np.eye(2), X.T @ y)
    np.testing.assert_allclose(post.mean, exact, atol=1e-6)
    lam = ridge_lambda_from_prior(sigma2, tau2, n)
    np.testing.assert_allclose(solvers.ridge(X, y, lam, fit_intercept=False).coef, exact, rtol=1e-10)
    assert np.abs(post.mode - exact).max() <= axis[1] - axis[0]
    h = axis[1] - axis[0]
    assert abs(post.density.sum() * h * h - 1) < 0.01              # normalised (trapezoid: the edges carry nothing)


def test_laplace_grid_posterior_mode_is_the_lasso_and_the_mean_is_dense(two_features):
    X, y = two_features
    n, sigma2, b = 20, 1.0, 0.1
    lam = lasso_lambda_from_prior(sigma2, b, n)
    lasso = solvers.coordinate_descent(X, y, lam, tol=1e-14, max_iter=100_000, fit_intercept=False)
    assert np.count_nonzero(lasso.coef) == 1                        # a sparse mode
    axis = np.linspace(-2, 3, 1001)                                # contains 0 as a node
    post = grid_posterior(X, y, (axis, axis), noise_var=sigma2, prior="laplace", scale=b)
    assert np.abs(post.mode - lasso.coef).max() <= axis[1] - axis[0] + 1e-12
    # mean by scipy's 2-D quadrature of the unnormalised posterior
    G, c = X.T @ X, X.T @ y
    f = lambda w2, w1: np.exp(-0.5 * (np.array([w1, w2]) @ G @ np.array([w1, w2]) - 2 * c @ [w1, w2]) / sigma2
                              - (abs(w1) + abs(w2)) / b - 10.0)
    opts = dict(epsabs=1e-13, epsrel=1e-10)
    pieces = [(-2, 0), (0, 3)]
    den = sum(integrate.dblquad(f, a1, b1, a2, b2, **opts)[0] for a1, b1 in pieces for a2, b2 in pieces)
    m1 = sum(integrate.dblquad(lambda w2, w1: w1 * f(w2, w1), a1, b1, a2, b2, **opts)[0]
             for a1, b1 in pieces for a2, b2 in pieces)
    assert abs(post.mean[0] - m1 / den) < 1e-4
    assert np.all(np.abs(post.mean) > 0.01)                         # the mean is not sparse


def test_one_dimensional_grid_posterior_agrees_with_scalar_posterior():
    rng = np.random.default_rng(2)
    n, sigma = 25, 1.5
    x = np.ones((n, 1))
    y = 0.4 + sigma * rng.standard_normal(n)
    z, se = y.mean(), sigma / np.sqrt(n)
    axis = np.linspace(-2, 2, 40_001)
    post = grid_posterior(x, y, (axis,), noise_var=sigma**2, prior="laplace", scale=0.2)
    mode, mean = scalar_posterior(z, se=se, prior="laplace", scale=0.2)
    assert abs(post.mean[0] - mean) < 1e-6 and abs(post.mode[0] - mode) <= 1e-4


@pytest.mark.parametrize("call, error, match", [
    (lambda: ridge_lambda_from_prior(0.0, 1.0, 10), ValueError, "noise_var must be > 0"),
    (lambda: lasso_lambda_from_prior(1.0, -1.0, 10), ValueError, "prior_scale must be > 0"),
    (lambda: lasso_lambda_from_prior(1.0, 1.0, 0), ValueError, "n must be >= 1"),
    (lambda: prior_density([0.0], "cauchy", 1.0), ValueError, "prior must be 'gaussian' or 'laplace'"),
    (lambda: scalar_posterior([1.0], se=0.0, prior="laplace", scale=1.0), ValueError, "se must be > 0"),
    (lambda: scalar_posterior([1.0], se=1.0, prior="laplace", scale=1.0, n_grid=10), ValueError, "n_grid must be >= 101"),
    (lambda: grid_posterior(np.ones((5, 3)), np.ones(5), [np.linspace(0, 1, 5)] * 3, noise_var=1.0, prior="laplace",
                            scale=1.0), ValueError, "1 or 2 columns"),
    (lambda: grid_posterior(np.ones((5, 1)), np.ones(5), [np.array([0.0, 1.0, 3.0])], noise_var=1.0,
                            prior="laplace", scale=1.0), ValueError, "evenly spaced"),
    (lambda: grid_posterior(np.ones((5, 1)), np.ones(5), np.linspace(0, 1, 5), noise_var=1.0, prior="laplace",
                            scale=1.0), ValueError, "grids must be a sequence"),
    (lambda: grid_posterior(np.ones((5, 1)), "y", [np.linspace(0, 1, 5)], noise_var=1.0, prior="laplace",
                            scale=1.0), TypeError, "y must be an array"),
])
def test_bad_arguments_are_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()
