"""Norm-constrained least squares, checked against independent references.

References: the variational inequality that characterises a Euclidean
projection, scipy's general-purpose constrained optimiser, the L2 closed form,
scikit-learn's Lasso at a tight tolerance and the ridge normal equations.
"""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import Lasso

from lecture_code import ConvergenceWarning
from lecture_code.constrained import (constrained_least_squares, constraint_multiplier, least_squares_loss_grid,
                                      project_l1_ball, project_l2_ball)
from lecture_code.data import make_regression


def _random_in_l1_ball(rng, p, s, size):
    """Points spread over the L1 ball of radius s (directions from the sphere, random radii)."""
    z = rng.standard_normal((size, p))
    z /= np.abs(z).sum(axis=1, keepdims=True)
    return z * s * rng.uniform(0.0, 1.0, (size, 1)) ** (1.0 / p)


@pytest.mark.parametrize("seed", range(5))
def test_l1_projection_satisfies_the_variational_inequality(seed):
    # P is the projection onto a closed convex set C iff P in C and <v - P, z - P> <= 0 for every z in C.
    rng = np.random.default_rng(seed)
    p, s = 12, 1.5
    v = 3.0 * rng.standard_normal(p)
    proj = project_l1_ball(v, s)
    assert np.abs(proj).sum() == pytest.approx(s, rel=1e-12)       # v is outside, so P lies on the sphere
    candidates = _random_in_l1_ball(rng, p, s, 2000)
    corners = s * np.vstack([np.eye(p), -np.eye(p)])                 # the extreme points are the hardest test
    inner = (np.vstack([candidates, corners]) - proj) @ (v - proj)
    assert inner.max() <= 1e-10


@pytest.mark.parametrize("seed", range(3))
def test_l1_projection_matches_a_generic_constrained_optimiser(seed):
    rng = np.random.default_rng(100 + seed)
    p, s = 6, 1.0
    v = 2.0 * rng.standard_normal(p)
    # Split w = u - t with u, t >= 0: the L1 ball becomes the linear constraint sum(u + t) <= s.
    res = minimize(lambda x: 0.5 * np.sum((x[:p] - x[p:] - v) ** 2), np.zeros(2 * p),
                   jac=lambda x: np.concatenate([x[:p] - x[p:] - v, -(x[:p] - x[p:] - v)]),
                   bounds=[(0, None)] * (2 * p), method="SLSQP",
                   constraints=[{"type": "ineq", "fun": lambda x: s - x.sum(), "jac": lambda x: -np.ones(2 * p)}],
                   options={"ftol": 1e-14, "maxiter": 500})
    assert res.success
    np.testing.assert_allclose(project_l1_ball(v, s), res.x[:p] - res.x[p:], atol=1e-6)


def test_l1_projection_is_soft_thresholding_by_hand():
    # v = (3, -1, 0.5), s = 2: thresholding at theta = 1 gives (2, 0, 0), whose L1 norm is exactly 2.
    np.testing.assert_allclose(project_l1_ball([3.0, -1.0, 0.5], 2.0), [2.0, 0.0, 0.0])
    # v = (2, -2), s = 2: symmetric, theta = 1.
    np.testing.assert_allclose(project_l1_ball([2.0, -2.0], 2.0), [1.0, -1.0])
    # Ties and s = 0.
    np.testing.assert_allclose(project_l1_ball([1.0, 1.0, 1.0], 1.5), [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(project_l1_ball([1.0, -2.0], 0.0), [0.0, 0.0])


@pytest.mark.parametrize("project", [project_l1_ball, project_l2_ball])
def test_points_inside_the_ball_are_unchanged_and_not_aliased(project):
    v = np.array([0.3, -0.2, 0.1])
    out = project(v, 1.0)
    np.testing.assert_array_equal(out, v)
    out[0] = 99.0
    assert v[0] == 0.3


def test_l2_projection_closed_form():
    rng = np.random.default_rng(7)
    for _ in range(20):
        v = 5.0 * rng.standard_normal(8)
        s = rng.uniform(0.1, 3.0)
        expected = v / np.linalg.norm(v) * s if np.linalg.norm(v) > s else v
        np.testing.assert_allclose(project_l2_ball(v, s), expected, rtol=1e-14)
    np.testing.assert_array_equal(project_l2_ball([3.0, 4.0], 0.0), [0.0, 0.0])
    np.testing.assert_allclose(project_l2_ball([3.0, 4.0], 2.5), [1.5, 2.0])


@pytest.fixture(scope="module")
def data():
    return make_regression(80, 15, n_informative=4, rho=0.4, noise=0.5, intercept=2.0, seed=11)


@pytest.mark.parametrize("lam", [0.02, 0.2, 1.0])
def test_l1_constrained_solution_equals_the_lasso_at_the_matched_lambda(data, lam):
    lasso = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(data.X, data.y)
    s = np.abs(lasso.coef_).sum()
    fit = constrained_least_squares(data.X, data.y, s, norm="l1", tol=1e-14)
    assert fit.converged
    np.testing.assert_allclose(fit.coef, lasso.coef_, atol=1e-7)
    assert fit.intercept == pytest.approx(lasso.intercept_, abs=1e-7)
    # The recovered multiplier is the lambda we started from.
    assert constraint_multiplier(data.X, data.y, fit.coef, norm="l1") == pytest.approx(lam, rel=1e-6)


@pytest.mark.parametrize("lam", [0.01, 0.3, 3.0])
def test_l2_constrained_solution_equals_ridge_at_the_matched_lambda(data, lam):
    n, p = data.X.shape
    Xc, yc = data.X - data.X.mean(axis=0), data.y - data.y.mean()
    ridge = np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T @ yc)   # normal equations of ridge
    fit = constrained_least_squares(data.X, data.y, np.linalg.norm(ridge), norm="l2", tol=1e-15)
    np.testing.assert_allclose(fit.coef, ridge, atol=1e-6)
    assert fit.intercept == pytest.approx(data.y.mean() - data.X.mean(axis=0) @ ridge, abs=1e-6)
    assert constraint_multiplier(data.X, data.y, fit.coef, norm="l2") == pytest.approx(lam, rel=1e-5)


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_inactive_constraint_gives_least_squares_and_zero_multiplier(data, norm):
    ols = np.linalg.lstsq(np.column_stack([data.X, np.ones(len(data.y))]), data.y, rcond=None)[0]
    radius = 1.2 * (np.abs(ols[:-1]).sum() if norm == "l1" else np.linalg.norm(ols[:-1]))
    fit = constrained_least_squares(data.X, data.y, radius, norm=norm, tol=1e-13)
    np.testing.assert_allclose(fit.coef, ols[:-1], atol=1e-6)
    assert fit.intercept == pytest.approx(ols[-1], abs=1e-6)
    assert constraint_multiplier(data.X, data.y, fit.coef, norm=norm) < 1e-6


def test_zero_radius_gives_zero_weights_and_the_mean(data):
    fit = constrained_least_squares(data.X, data.y, 0.0)
    np.testing.assert_array_equal(fit.coef, np.zeros(data.X.shape[1]))
    assert fit.intercept == pytest.approx(data.y.mean())
    # For the L1 ball the smallest multiplier at w = 0 is lambda_max = ||X_c^T y_c||_inf / n.
    Xc, yc = data.X - data.X.mean(axis=0), data.y - data.y.mean()
    assert constraint_multiplier(data.X, data.y, fit.coef) == pytest.approx(np.abs(Xc.T @ yc).max() / len(yc))
    assert constraint_multiplier(data.X, data.y, fit.coef, norm="l2") == np.inf


def test_solution_is_feasible_history_is_the_loss_and_gap_bounds_it(data):
    fit = constrained_least_squares(data.X, data.y, 2.0, tol=1e-13)
    assert np.abs(fit.coef).sum() <= 2.0 + 1e-12
    loss = 0.5 * np.mean((data.y - fit.predict(data.X)) ** 2)
    assert fit.history[-1] == pytest.approx(loss, rel=1e-12)
    assert fit.n_iter == fit.history.size > 0
    # A much earlier iterate: its objective excess is bounded by the gap reported for it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        early = constrained_least_squares(data.X, data.y, 2.0, max_iter=3)
    assert not early.converged
    assert 0 <= early.history[-1] - loss <= early.gap + 1e-12


def test_no_intercept_mode_matches_lasso_without_intercept(data):
    lasso = Lasso(alpha=0.1, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(data.X, data.y)
    fit = constrained_least_squares(data.X, data.y, np.abs(lasso.coef_).sum(), fit_intercept=False, tol=1e-14)
    np.testing.assert_allclose(fit.coef, lasso.coef_, atol=1e-7)
    assert fit.intercept == 0.0


def test_coef_init_warm_start_reaches_the_same_solution_faster(data):
    cold = constrained_least_squares(data.X, data.y, 3.0, tol=1e-13)
    warm = constrained_least_squares(data.X, data.y, 3.0, tol=1e-13, coef_init=cold.coef)
    np.testing.assert_allclose(warm.coef, cold.coef, atol=1e-8)
    assert warm.n_iter < cold.n_iter


def test_max_iter_warns(data):
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        constrained_least_squares(data.X, data.y, 1.0, max_iter=2)


def test_loss_grid_matches_the_direct_loss_with_the_best_bias():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 2)) + [1.0, -2.0]
    y = X @ [1.5, -0.5] + 0.7 + 0.3 * rng.standard_normal(30)
    w1, w2 = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4))
    grid = least_squares_loss_grid(X, y, w1, w2)
    assert grid.shape == (4, 5)
    for i in range(4):
        for j in range(5):
            w = np.array([w1[i, j], w2[i, j]])
            b = y.mean() - X.mean(axis=0) @ w
            assert grid[i, j] == pytest.approx(0.5 * np.mean((y - X @ w - b) ** 2), rel=1e-12)
    no_b = least_squares_loss_grid(X, y, w1, w2, fit_intercept=False)
    assert no_b[0, 0] == pytest.approx(0.5 * np.mean((y - X @ [w1[0, 0], w2[0, 0]]) ** 2), rel=1e-12)


@pytest.mark.parametrize("call, error, match", [
    (lambda: project_l1_ball([1.0, 2.0], -1.0), ValueError, "s must be >= 0"),
    (lambda: project_l2_ball([[1.0, 2.0]], 1.0), ValueError, "v must be 1-D"),
    (lambda: project_l1_ball("ab", 1.0), TypeError, "v must be an array"),
    (lambda: project_l1_ball([1.0, np.nan], 1.0), ValueError, "v must contain only finite"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, norm="l3"), ValueError, "norm must be"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, norm=1), TypeError, "norm must be"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), -0.5), ValueError, "s must be >= 0"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(2), 1.0), ValueError, "same number of rows"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, tol=0.0), ValueError, "tol must be > 0"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, max_iter=0), ValueError, "max_iter must be >= 1"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, coef_init=[1.0]), ValueError, "coef_init must"),
    (lambda: constrained_least_squares(np.eye(3), np.ones(3), 1.0, fit_intercept=1), TypeError, "fit_intercept"),
    (lambda: constraint_multiplier(np.eye(3), np.ones(3), [1.0, 2.0]), ValueError, "coef must have shape"),
    (lambda: least_squares_loss_grid(np.eye(3), np.ones(3), 0.0, 0.0), ValueError, "exactly 2 columns"),
    (lambda: least_squares_loss_grid(np.ones((3, 2)), np.ones(3), np.zeros(2), np.zeros(3)), ValueError,
     "same shape"),
])
def test_bad_arguments_raise_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
