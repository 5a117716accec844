"""Tests for lecture_code.solvers.screening (strong and gap-safe rules, and the screened coordinate-descent path).

Objective (course convention): J(w, b) = 1/(2n)|y - Xw - b|^2 + lam |w|_1, scikit-learn's Lasso(alpha=lam).
References: scikit-learn's Lasso at a tight tolerance (the solution the path must reach, and
the features that are really zero, which a safe rule must never miss), the rules' formulas written out here,
and the exact knots of the counterexample's path (computed here from its Gram matrix by hand).
"""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from lecture_code import ConvergenceWarning
from lecture_code.solvers.screening import (ScreenedPath, gap_safe_rule, screened_lasso_path, strong_rule,
                                            strong_rule_counterexample)


def make_data(n, p, rho=0.5, seed=0, k=5):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p))
    X = np.empty((n, p))
    X[:, 0] = Z[:, 0]
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * Z[:, j]
    X = X * rng.uniform(0.5, 2.0, p) + 1.0
    w = np.zeros(p)
    w[rng.choice(p, k, replace=False)] = rng.choice([-2.0, 1.0, 1.5], k)
    return X, X @ w + rng.standard_normal(n) + 2.0


def sk_lasso(X, y, lam):
    return Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(X, y)


def test_strong_rule_formula():
    corr = np.array([0.9, -0.5, 0.2, -0.65, 0.0])
    np.testing.assert_array_equal(strong_rule(corr, 1.0, 0.8), [True, False, False, True, False])  # |c| >= 0.6
    np.testing.assert_array_equal(strong_rule(corr, 1.0, 0.5), [True] * 5)                         # 2 lam - prev = 0
    with pytest.raises(ValueError, match="lam must be <="):
        strong_rule(corr, 0.5, 0.8)
    with pytest.raises(ValueError, match="lam_prev"):
        strong_rule(corr, 0.0, 0.0)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", [(50, 200), (80, 30)])
def test_gap_safe_rule_never_discards_an_active_feature(seed, shape):
    X, y = make_data(*shape, seed=seed)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    lam_max = np.abs(Xc.T @ yc).max() / len(y)
    for frac in (0.5, 0.2, 0.05):
        lam = frac * lam_max
        exact = sk_lasso(X, y, lam).coef_
        # From three points: zero, the exact solution, and a poor one (the solution halved).
        rough = 0.5 * exact
        for w in (np.zeros(X.shape[1]), exact, rough):
            discard, radius = gap_safe_rule(X, y, w, lam)
            assert not np.any(discard & (exact != 0))
        # At the solution the sphere shrinks to a point and the test discards every feature with |c_j| < lam.
        discard, radius = gap_safe_rule(X, y, exact, lam)
        assert radius < 1e-5
        c = Xc.T @ (yc - Xc @ exact) / len(y)
        np.testing.assert_array_equal(discard[np.abs(c) < 0.99 * lam], True)


def test_gap_safe_radius_formula():
    X, y = make_data(40, 10, seed=5)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n, lam = len(y), 0.3
    w = np.zeros(10)
    w[2] = 0.5
    r = yc - Xc @ w
    corr = Xc.T @ r / n
    theta = r / n * min(1.0, lam / np.abs(corr).max())
    primal = 0.5 * r @ r / n + lam * np.abs(w).sum()
    dual = theta @ yc - 0.5 * n * theta @ theta
    discard, radius = gap_safe_rule(X, y, w, lam)
    assert np.isclose(radius, np.sqrt(2 * (primal - dual) / n))
    np.testing.assert_array_equal(discard, np.abs(Xc.T @ theta) + radius * np.linalg.norm(Xc, axis=0) < lam)


@pytest.mark.parametrize("rule", ["none", "strong", "gap_safe"])
@pytest.mark.parametrize("shape", [(50, 200), (80, 30)])
def test_screened_path_reaches_the_lasso_solution(rule, shape):
    X, y = make_data(*shape, seed=1)
    path = screened_lasso_path(X, y, n_lambdas=15, eps=0.02, rule=rule, tol=1e-10)
    assert isinstance(path, ScreenedPath) and np.all(path.gaps <= 1e-10)
    for i in (1, 7, 14):
        ref = sk_lasso(X, y, path.lambdas[i])
        np.testing.assert_allclose(path.coefs[:, i], ref.coef_, atol=1e-5)
        assert np.isclose(path.intercepts[i], ref.intercept_, atol=1e-5)


def test_rules_discard_features_and_save_work_on_a_wide_problem():
    X, y = make_data(60, 400, seed=2)
    runs = {rule: screened_lasso_path(X, y, n_lambdas=20, eps=0.05, rule=rule, tol=1e-8)
            for rule in ("none", "strong", "gap_safe")}
    assert np.all(runs["none"].n_discarded == 0)
    assert runs["strong"].n_discarded[1:].mean() > 300
    assert runs["gap_safe"].n_discarded_final[1:].mean() > 200
    assert runs["strong"].n_column_ops.sum() < 0.5 * runs["none"].n_column_ops.sum()
    assert runs["gap_safe"].n_column_ops.sum() < runs["none"].n_column_ops.sum()
    np.testing.assert_allclose(runs["strong"].coefs, runs["none"].coefs, atol=1e-4)
    np.testing.assert_allclose(runs["gap_safe"].coefs, runs["none"].coefs, atol=1e-4)


def test_counterexample_has_the_documented_path_and_the_violation_is_caught():
    X, y = strong_rule_counterexample()
    n = len(y)
    np.testing.assert_allclose(X.T @ X / n, [[1, 0.9, 0], [0.9, 1, 0.3], [0, 0.3, 1]], atol=1e-12)
    np.testing.assert_allclose(X.T @ y / n, [1, 0.5, 0.05], atol=1e-12)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    # By hand: with feature 0 alone active, c_1(lam) = 0.5 - 0.9 (1 - lam) reaches -lam at lam = 4/19, and c_2 stays
    # 0.05. Then d = G_AA^{-1} (1, -1) = (10, -10) and c_2 grows at rate 10 (G_20 - G_21) = -3: it reaches lam at
    # lam = (0.05 + 3 * 4/19) / 4.
    lam1, lam2 = 4 / 19, (0.05 + 12 / 19) / 4
    for lam, active in ((0.5 * (1 + lam1), {0}), (0.5 * (lam1 + lam2), {0, 1}), (0.9 * lam2, {0, 1, 2})):
        assert set(np.flatnonzero(sk_lasso(X, y, lam).coef_)) == active
    lams = [1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.16, 0.12, 0.08]
    path = screened_lasso_path(X, y, lambdas=lams, rule="strong", tol=1e-12)
    assert path.n_violations.tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 0]
    for i, lam in enumerate(lams):
        np.testing.assert_allclose(path.coefs[:, i], sk_lasso(X, y, lam).coef_, atol=1e-8)
    # The basis is arbitrary: another seed and n give the same Gram matrix.
    X2, y2 = strong_rule_counterexample(25, seed=3)
    np.testing.assert_allclose(X2.T @ X2 / 25, X.T @ X / n, atol=1e-12)


def test_convergence_warning_states_the_gap():
    X, y = make_data(50, 100, seed=3)
    with pytest.warns(ConvergenceWarning, match="relative duality gap"):
        screened_lasso_path(X, y, n_lambdas=5, rule="none", tol=1e-14, max_iter=2)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(rule="safe"), ValueError, "rule must be"),
    (dict(lambdas=[0.5, -0.1]), ValueError, "lambdas must all be > 0"),
    (dict(tol=0.0), ValueError, "tol"),
    (dict(max_iter=0), ValueError, "max_iter"),
    (dict(n_lambdas=2.5), TypeError, "n_lambdas"),
    (dict(fit_intercept="yes"), TypeError, "fit_intercept"),
])
def test_bad_arguments(kwargs, error, match):
    X, y = make_data(30, 10)
    with pytest.raises(error, match=match):
        screened_lasso_path(X, y, **kwargs)


def test_gap_safe_rule_bad_arguments_and_no_mutation():
    X, y = make_data(30, 10)
    X0, y0 = X.copy(), y.copy()
    with pytest.raises(ValueError, match="one entry per column"):
        gap_safe_rule(X, y, np.zeros(9), 0.1)
    with pytest.raises(ValueError, match="lam"):
        gap_safe_rule(X, y, np.zeros(10), 0.0)
    screened_lasso_path(X, y, n_lambdas=5)
    gap_safe_rule(X, y, np.ones(10), 0.1)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    with pytest.raises(ValueError, match="n must be >= 5"):
        strong_rule_counterexample(4)
