"""lecture_code.early_stopping against gradient descent run step by step (a plain loop and
lecture_code.solvers.gradient_descent) and against the ridge solution."""

import warnings

import numpy as np
import pytest

from lecture_code import ConvergenceWarning, solvers
from lecture_code.early_stopping import (equivalent_lambda, gradient_descent_filter, gradient_descent_iterates,
                                         ridge_filter)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((30, 8)) @ np.diag(np.geomspace(3, 0.01, 8))
    y = X @ rng.standard_normal(8) + 1.0 + 0.1 * rng.standard_normal(30)
    return X, y


def test_closed_form_iterates_equal_the_gradient_descent_loop(data):
    X, y = data
    n = X.shape[0]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    lr = n / np.linalg.norm(Xc, 2) ** 2 * 0.9
    steps = [0, 1, 7, 50, 300]
    coefs, intercepts = gradient_descent_iterates(X, y, lr, steps)
    w = np.zeros(X.shape[1])
    for k in range(301):
        if k in steps:
            i = steps.index(k)
            np.testing.assert_allclose(coefs[:, i], w, rtol=1e-9, atol=1e-12)
            assert np.isclose(intercepts[i], y.mean() - X.mean(axis=0) @ w)
        w = w + lr / n * Xc.T @ (yc - Xc @ w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)         # a fixed number of steps on purpose
        packaged = solvers.gradient_descent(X, y, 0.0, lr=lr, max_iter=50, tol=1e-300)
    np.testing.assert_allclose(coefs[:, 3], packaged.coef, rtol=1e-9, atol=1e-12)
    assert np.isclose(intercepts[3], packaged.intercept)


def test_many_steps_reach_least_squares_and_a_step_above_one_still_matches(data):
    X, y = data
    n = X.shape[0]
    d1 = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)[0]
    coefs, _ = gradient_descent_iterates(X, y, 1.5 * n / d1**2, [1e30])        # eta d_1^2 / n = 1.5 in (1, 2)
    np.testing.assert_allclose(coefs[:, 0], solvers.least_squares(X, y).coef, rtol=1e-6)
    lr = 1.5 * n / d1**2
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.zeros(8)
    for _ in range(5):
        w = w + lr / n * Xc.T @ (yc - Xc @ w)
    np.testing.assert_allclose(gradient_descent_iterates(X, y, lr, 5)[0][:, 0], w, rtol=1e-9)


def test_filters_the_small_direction_limit_and_the_equivalent_lambda():
    d = np.array([10.0, 1.0, 1e-3, 1e-9])
    n, lr, k = 50, 0.4, 1e4
    f_gd = gradient_descent_filter(d, n, lr, k)
    np.testing.assert_allclose(f_gd[:3], 1 - (1 - lr * d[:3] ** 2 / n) ** k, rtol=1e-6)   # naive: exact enough here
    assert 1 - (1 - lr * d[3] ** 2 / n) ** k == 0.0                   # ... but not for the smallest d
    lam = equivalent_lambda(lr, k)
    f_ridge = ridge_filter(d, n, lam)
    np.testing.assert_allclose(f_ridge, d**2 / (d**2 + n * lam))
    # for small d both are ~ k lr d^2 / n = d^2 / (n lam)
    np.testing.assert_allclose(f_gd[-2:], k * lr * d[-2:] ** 2 / n, rtol=1e-4)
    np.testing.assert_allclose(f_ridge[-2:], d[-2:] ** 2 / (n * lam), rtol=1e-4)
    assert f_gd[0] == 1.0 and f_ridge[0] > 0.99
    # accurate where the naive formula loses everything: 1 - (1 - 1e-20)^1e5 = 1e-15
    assert np.isclose(gradient_descent_filter(1e-10, 1, 1.0, 1e5), 1e-15, rtol=1e-9)
    assert gradient_descent_filter(d, n, lr, [1.0, 2.0]).shape == (2, 4)
    assert np.ndim(gradient_descent_filter(1.0, n, lr, 3.0)) == 0
    # the usual step 1/M makes a_1 = 1 up to rounding: one step then fits that direction completely
    assert np.isclose(gradient_descent_filter(3.0, 9, (1 + 1e-15), 2.5), 1.0)
    assert ridge_filter(d, n, [0.1, 1.0]).shape == (2, 4)


@pytest.mark.parametrize("call, error, match", [
    (lambda: gradient_descent_filter([1.0], 1, 2.0, 1), ValueError, "lr is too large"),
    (lambda: gradient_descent_filter([-1.0], 1, 0.1, 1), ValueError, "d must be >= 0"),
    (lambda: gradient_descent_filter([1.0], 1, 0.1, -1), ValueError, "k must be >= 0"),
    (lambda: ridge_filter([1.0], 1, 0.0), ValueError, "lam must be > 0"),
    (lambda: gradient_descent_filter([1.0], 1, 1.5, 2.5), ValueError, "whole numbers of steps"),
    (lambda: equivalent_lambda(0.1, 0), ValueError, "k must be > 0"),
    (lambda: equivalent_lambda(0.0, 1), ValueError, "lr must be > 0"),
    (lambda: gradient_descent_iterates(np.ones((3, 2)), np.ones(4), 0.1, 1), ValueError, "same number of rows"),
])
def test_bad_arguments_are_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()
