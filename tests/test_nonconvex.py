"""Tests for lecture_code.nonconvex (SCAD, MCP, hard thresholding and coordinate descent with them).

References, independent of the module: brute-force minimisation over a fine grid of the one-dimensional
problems 1/2 (x - z)^2 + P(x) and (v/2) x^2 - z x + P(x); the penalties as integrals of the derivatives Fan & Li
(2001) and Zhang (2010) define them by (numerical quadrature); soft thresholding from lecture_code.penalties;
least squares on the support (numpy.linalg.lstsq) for the unbiasedness property.
"""

import numpy as np
import pytest

from lecture_code import ConvergenceWarning
from lecture_code.nonconvex import hard_threshold, mcp_penalty, mcp_threshold, scad_penalty, scad_threshold
from lecture_code.solvers.nonconvex import nonconvex_regression
from lecture_code.penalties import soft_threshold

GRID = np.linspace(-10, 10, 200_001)   # spacing 1e-4


def brute(z, penalty, v=1.0):
    z = np.atleast_1d(z)
    return GRID[np.argmin(0.5 * v * GRID[None, :] ** 2 - z[:, None] * GRID[None, :] + penalty(GRID)[None, :], axis=1)]


def integral_of(derivative, t):
    """P(t) = int_0^|t| P'(u) du by the trapezoid rule on a fine grid."""
    u = np.linspace(0, abs(t), 20_001)
    d = derivative(u)
    return float(np.sum(0.5 * (d[1:] + d[:-1]) * np.diff(u)))


@pytest.mark.parametrize("lam, a", [(1.0, 3.7), (0.5, 2.5), (2.0, 5.0)])
def test_scad_penalty_is_the_integral_of_its_derivative(lam, a):
    deriv = lambda u: lam * ((u <= lam) + np.maximum(a * lam - u, 0) / ((a - 1) * lam) * (u > lam))   # Fan & Li (2.7)
    for t in (0.3 * lam, lam, 2 * lam, a * lam, 1.5 * a * lam, -2 * lam):
        assert abs(scad_penalty(t, lam, a) - integral_of(deriv, t)) < 1e-6
    assert np.isclose(scad_penalty(100.0, lam, a), (a + 1) * lam**2 / 2)


@pytest.mark.parametrize("lam, gamma", [(1.0, 3.0), (0.5, 1.5), (2.0, 10.0)])
def test_mcp_penalty_is_the_integral_of_its_derivative(lam, gamma):
    deriv = lambda u: np.maximum(lam - u / gamma, 0)                                                  # Zhang (2.1)
    for t in (0.3 * lam, lam, gamma * lam, 2 * gamma * lam, -lam):
        assert abs(mcp_penalty(t, lam, gamma) - integral_of(deriv, t)) < 1e-6


@pytest.mark.parametrize("lam", [0.5, 1.0])
def test_thresholds_are_the_minimisers(lam):
    z = np.linspace(-6, 6, 121)
    np.testing.assert_allclose(scad_threshold(z, lam), brute(z, lambda x: scad_penalty(x, lam)), atol=2e-4)
    np.testing.assert_allclose(mcp_threshold(z, lam, 2.0), brute(z, lambda x: mcp_penalty(x, lam, 2.0)), atol=2e-4)
    hard = brute(z, lambda x: 0.5 * lam**2 * (x != 0))
    keep = np.abs(np.abs(z) - lam) > 1e-3            # away from the tie at |z| = lam
    np.testing.assert_allclose(hard_threshold(z, lam)[keep], hard[keep], atol=2e-4)


def test_threshold_shapes_unbiased_beyond_the_knee_and_limits():
    z = np.linspace(-8, 8, 1601)
    lam = 1.0
    big = np.abs(z) > 3.7
    np.testing.assert_array_equal(scad_threshold(z, lam)[big], z[big])      # no shrinkage of large inputs
    np.testing.assert_array_equal(mcp_threshold(z, lam, 3.0)[np.abs(z) > 3], z[np.abs(z) > 3])
    small = np.abs(z) <= 2
    np.testing.assert_allclose(scad_threshold(z, lam)[small], soft_threshold(z[small], lam), atol=1e-15)
    np.testing.assert_array_equal(mcp_threshold(z, lam, 3.0)[np.abs(z) <= lam], 0.0)
    # continuity: no jump larger than the grid step times the largest slope
    for f in (scad_threshold(z, lam), mcp_threshold(z, lam, 3.0)):
        assert np.abs(np.diff(f)).max() < 0.01 * 1.6 + 1e-12      # slopes (a-1)/(a-2) = 1.59 and gamma/(gamma-1) = 1.5
    # gamma -> infinity: soft thresholding; gamma -> 1: hard thresholding
    np.testing.assert_allclose(mcp_threshold(z, lam, 1e8), soft_threshold(z, lam), atol=1e-6)
    away = np.abs(np.abs(z) - lam) > 1e-3
    np.testing.assert_allclose(mcp_threshold(z, lam, 1 + 1e-9)[away], hard_threshold(z, lam)[away], atol=1e-12)


def make_data(n=120, p=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] += 0.5 * X[:, 0]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w = np.zeros(p)
    w[[0, 3, 7]] = [3.0, -2.0, 1.5]
    return X, X @ w + rng.standard_normal(n) + 1.0


@pytest.mark.parametrize("penalty, gamma", [("mcp", 3.0), ("scad", 3.7)])
def test_regression_is_a_coordinatewise_minimum(penalty, gamma):
    X, y = make_data()
    lam = 0.3
    fit = nonconvex_regression(X, y, lam, penalty=penalty, gamma=gamma, tol=1e-12)
    pen = (lambda x: mcp_penalty(x, lam, gamma)) if penalty == "mcp" else (lambda x: scad_penalty(x, lam, gamma))
    assert fit.converged and np.all(np.diff(fit.history) <= 1e-12)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    r = yc - Xc @ fit.coef
    for j in range(X.shape[1]):
        v = Xc[:, j] @ Xc[:, j] / n
        z = Xc[:, j] @ r / n + v * fit.coef[j]
        assert abs(brute(z, pen, v)[0] - fit.coef[j]) < 2e-4
    assert np.isclose(fit.intercept, y.mean() - X.mean(axis=0) @ fit.coef)


def test_mcp_is_unbiased_for_large_weights():
    """When every non-zero weight exceeds gamma*lam the penalty is flat there: the fit is least squares on the support."""
    X, y = make_data(seed=1)
    lam, gamma = 0.3, 3.0
    fit = nonconvex_regression(X, y, lam, penalty="mcp", gamma=gamma, tol=1e-14)
    support = np.flatnonzero(fit.coef)
    assert support.tolist() == [0, 3, 7] and np.all(np.abs(fit.coef[support]) > gamma * lam)
    Xs = np.column_stack([X[:, support], np.ones(len(y))])
    ols, *_ = np.linalg.lstsq(Xs, y, rcond=None)
    np.testing.assert_allclose(fit.coef[support], ols[:-1], atol=1e-10)


def test_orthonormal_design_reduces_to_the_threshold():
    rng = np.random.default_rng(2)
    n, p = 50, 8
    A = rng.standard_normal((n, p))
    A -= A.mean(axis=0)
    X = np.sqrt(n) * np.linalg.qr(A)[0]
    y = X @ np.array([3, -2, 1, 0.5, 0.2, 0, 0, 0.0]) + 0.5 * rng.standard_normal(n)
    z = X.T @ (y - y.mean()) / n
    for penalty, rule in (("mcp", lambda z: mcp_threshold(z, 0.4, 3.0)), ("scad", lambda z: scad_threshold(z, 0.4))):
        fit = nonconvex_regression(X, y, 0.4, penalty=penalty, tol=1e-14)
        np.testing.assert_allclose(fit.coef, rule(z), atol=1e-12)


def test_columns_must_make_the_coordinate_problems_convex():
    X, y = make_data()
    with pytest.raises(ValueError, match="standardise X"):
        nonconvex_regression(0.3 * X, y, 0.1, penalty="mcp", gamma=3.0)    # ||x_j||^2/n * gamma = 0.27 < 1
    nonconvex_regression(0.3 * X, y, 0.1, penalty="mcp", gamma=20.0)       # fine with a larger gamma


def test_convergence_warning():
    X, y = make_data()
    with pytest.warns(ConvergenceWarning, match="relative change"):
        nonconvex_regression(X, y, 0.05, tol=1e-16, max_iter=1)


@pytest.mark.parametrize("call, error, match", [
    (lambda: scad_penalty(1.0, 1.0, a=2.0), ValueError, "a must be > 2"),
    (lambda: mcp_penalty(1.0, 1.0, gamma=1.0), ValueError, "gamma must be > 1"),
    (lambda: mcp_threshold(1.0, 0.0), ValueError, "lam"),
    (lambda: hard_threshold("z", 1.0), TypeError, "z must be"),
    (lambda: nonconvex_regression(*make_data(), 0.1, penalty="lasso"), ValueError, "penalty must be"),
    (lambda: nonconvex_regression(*make_data(), 0.1, w0=np.zeros(3)), ValueError, "w0"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_inputs_not_modified():
    X, y = make_data()
    X0, y0, w0 = X.copy(), y.copy(), np.ones(12)
    nonconvex_regression(X, y, 0.2, w0=w0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w0, 1.0)
