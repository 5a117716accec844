"""Tests for lecture_code.solvers.group_lasso.

Objective: J(w, b) = 1/(2n)|y - Xw - b|^2 + lam sum_g sqrt(p_g) |w_g|_2.
References, independent of the module: the KKT conditions written out here (X_g^T r/n = lam sqrt(p_g) w_g/|w_g|
on a non-zero block, |X_g^T r/n| <= lam sqrt(p_g) on a zero block), the subgradient characterisation of the
prox, soft thresholding (lecture_code.penalties) and scikit-learn's Lasso for groups of size one, the closed
form for an orthonormal design, and a brute-force minimisation of the prox's one-block problem.
"""

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import Lasso

from lecture_code import ConvergenceWarning
from lecture_code.solvers.group_lasso import (group_lasso, group_lasso_lambda_max, group_lasso_path, group_penalty,
                                              make_factor_regression, prox_group_lasso)
from lecture_code.penalties import soft_threshold

GROUPS = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3])


def make_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, GROUPS.size)) * rng.uniform(0.5, 2, GROUPS.size) + 1.0
    X[:, 1] += 0.8 * X[:, 0]                   # correlated inside a group
    w = np.array([1.0, -0.5, 0.3, 0, 0, 0, 2.0, 0.0, -1.0, 0.5])
    return X, X @ w + rng.standard_normal(n) + 3.0


def kkt_violation(X, y, w, b, lam, groups):
    n = len(y)
    r = y - X @ w - b
    c = X.T @ r / n
    worst = abs(r.mean())
    for g in np.unique(groups):
        idx = groups == g
        size, norm = idx.sum(), np.linalg.norm(w[idx])
        if norm > 0:
            worst = max(worst, np.abs(c[idx] - lam * np.sqrt(size) * w[idx] / norm).max())
        else:
            worst = max(worst, np.linalg.norm(c[idx]) - lam * np.sqrt(size))
    return worst


def test_penalty_value():
    w = np.array([3.0, 4.0, 0.0, 0.0, -2.0, 1.0, 0, 0, 0, 0])
    assert np.isclose(group_penalty(w, GROUPS), np.sqrt(3) * 5 + np.sqrt(2) * 2 + 1 + 0)


def test_prox_satisfies_its_optimality_condition_and_a_brute_force_check():
    rng = np.random.default_rng(1)
    for t in (0.1, 0.5, 2.0):
        z = rng.normal(scale=2.0, size=GROUPS.size)
        x = prox_group_lasso(z, t, GROUPS)
        for g in np.unique(GROUPS):
            idx = GROUPS == g
            thr = t * np.sqrt(idx.sum())
            if np.linalg.norm(x[idx]) > 0:       # z_g - x_g = thr * x_g / |x_g|
                np.testing.assert_allclose(z[idx] - x[idx], thr * x[idx] / np.linalg.norm(x[idx]), atol=1e-12)
            else:                                # z_g in the ball of radius thr
                assert np.linalg.norm(z[idx]) <= thr
            f = lambda v: 0.5 * np.sum((v - z[idx]) ** 2) + thr * np.sqrt(np.sum(v**2) + 1e-30)
            best = minimize(f, z[idx], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-14, maxiter=20000))
            assert f(x[idx]) <= best.fun + 1e-9


def test_prox_with_singleton_groups_is_soft_thresholding():
    z = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(prox_group_lasso(z, 0.7, np.arange(13)), soft_threshold(z, 0.7), atol=1e-15)


@pytest.mark.parametrize("frac", [0.6, 0.2, 0.03])
def test_solution_satisfies_the_kkt_conditions(frac):
    X, y = make_data()
    lam = frac * group_lasso_lambda_max(X, y, GROUPS)
    fit = group_lasso(X, y, lam, GROUPS, tol=1e-13, max_iter=100_000)
    assert fit.converged and fit.gap <= 1e-13
    assert kkt_violation(X, y, fit.coef, fit.intercept, lam, GROUPS) < 1e-6
    assert fit.history[-1] <= fit.history[0]
    # whole groups: every block is all zero or all non-zero
    for g in np.unique(GROUPS):
        block = fit.coef[GROUPS == g]
        assert np.all(block == 0) or np.all(block != 0)


def test_singleton_groups_give_the_lasso():
    X, y = make_data(seed=2)
    lam = 0.1
    fit = group_lasso(X, y, lam, np.arange(GROUPS.size), tol=1e-14, max_iter=100_000)
    ref = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(fit.coef, ref.coef_, atol=1e-7)
    assert np.isclose(fit.intercept, ref.intercept_, atol=1e-7)


def test_orthonormal_design_has_the_closed_form():
    """With X^T X / n = I (centred), J separates by block and the solution is the prox of X^T y / n."""
    rng = np.random.default_rng(3)
    n = 40
    A = rng.standard_normal((n, GROUPS.size))
    A -= A.mean(axis=0)
    Q, _ = np.linalg.qr(A)
    X = np.sqrt(n) * Q
    y = X @ rng.normal(size=GROUPS.size) + rng.standard_normal(n)
    lam = 0.4
    fit = group_lasso(X, y, lam, GROUPS, tol=1e-14)
    np.testing.assert_allclose(fit.coef, prox_group_lasso(X.T @ (y - y.mean()) / n, lam, GROUPS), atol=1e-10)


def test_lambda_max_is_where_every_group_vanishes():
    X, y = make_data(seed=4)
    lam_max = group_lasso_lambda_max(X, y, GROUPS)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    expected = max(np.linalg.norm(Xc[:, GROUPS == g].T @ yc) / len(y) / np.sqrt(np.sum(GROUPS == g)) for g in range(4))
    assert np.isclose(lam_max, expected)
    assert np.all(group_lasso(X, y, lam_max * (1 + 1e-9), GROUPS).coef == 0)
    assert np.any(group_lasso(X, y, lam_max * 0.99, GROUPS, tol=1e-10).coef != 0)


def test_path_matches_single_fits_and_kkt():
    X, y = make_data(seed=5)
    path = group_lasso_path(X, y, GROUPS, n_lambdas=12, eps=0.01, tol=1e-12)
    assert np.all(path.coefs[:, 0] == 0) and np.all(path.gaps <= 1e-12)
    for i in (3, 8, 11):
        assert kkt_violation(X, y, path.coefs[:, i], path.intercepts[i], path.lambdas[i], GROUPS) < 1e-5
        single = group_lasso(X, y, path.lambdas[i], GROUPS, tol=1e-13, max_iter=100_000)
        np.testing.assert_allclose(path.coefs[:, i], single.coef, atol=1e-5)


def test_groups_need_not_be_contiguous():
    X, y = make_data(seed=6)
    perm = np.random.default_rng(0).permutation(GROUPS.size)
    lam = 0.2
    a = group_lasso(X, y, lam, GROUPS, tol=1e-13, max_iter=100_000)
    b = group_lasso(X[:, perm], y, lam, GROUPS[perm] + 7, tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(b.coef, a.coef[perm], atol=1e-7)


def test_factor_data():
    d = make_factor_regression(400, 6, 4, n_relevant=2, seed=0)
    assert d.X.shape == (400, 18) and d.groups.tolist() == np.repeat(np.arange(6), 3).tolist()
    for k in range(6):        # treatment coding: at most one dummy of a factor is 1; level 0 is all zeros
        block = d.X[:, 3 * k: 3 * k + 3]
        assert set(np.unique(block.sum(axis=1))) <= {0.0, 1.0}
        np.testing.assert_array_equal(block.sum(axis=1) == 0, d.levels[:, k] == 0)
        freq = np.bincount(d.levels[:, k], minlength=4) / 400
        assert np.all(np.abs(freq - 0.25) < 0.08)
    assert np.all(d.coef[:6] != 0) and np.all(d.coef[6:] == 0) and d.relevant == (0, 1)
    # latent correlation rho > 0 makes neighbouring factors' levels positively associated
    assert np.corrcoef(d.levels[:, 0], d.levels[:, 1])[0, 1] > 0.2


def test_convergence_warning():
    X, y = make_data()
    with pytest.warns(ConvergenceWarning, match="relative duality gap"):
        group_lasso(X, y, 0.01, GROUPS, tol=1e-15, max_iter=3)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(lam=0.0), ValueError, "lam"),
    (dict(groups=GROUPS[:-1]), ValueError, "one label per feature"),
    (dict(groups=GROUPS.astype(float)), TypeError, "integer labels"),
    (dict(tol=-1.0), ValueError, "tol"),
    (dict(w0=np.zeros(3)), ValueError, "w0"),
])
def test_bad_arguments(kwargs, error, match):
    X, y = make_data()
    args = dict(lam=0.1, groups=GROUPS) | kwargs
    with pytest.raises(error, match=match):
        group_lasso(X, y, args.pop("lam"), args.pop("groups"), **args)


def test_inputs_not_modified():
    X, y = make_data()
    X0, y0, w0 = X.copy(), y.copy(), np.ones(GROUPS.size)
    group_lasso(X, y, 0.1, GROUPS, w0=w0)
    group_lasso_path(X, y, GROUPS, n_lambdas=3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w0, 1.0)
    with pytest.raises(ValueError, match="t must be >= 0"):
        prox_group_lasso(np.ones(10), -1.0, GROUPS)
    with pytest.raises(ValueError, match="n_levels"):
        make_factor_regression(n_levels=1)
