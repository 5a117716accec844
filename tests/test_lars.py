"""Tests for lecture_code.solvers.lars (the homotopy / LARS path of the lasso).

Objective (course convention): J(w, b) = 1/(2n)|y - Xw - b|^2 + lam |w|_1, scikit-learn's Lasso(alpha=lam).
References, all independent of the module: scikit-learn's lars_path (its `alphas` are the same knots),
scikit-learn's coordinate-descent Lasso and lecture_code.solvers.coordinate_descent between the knots, the
KKT conditions written out here, least squares (numpy.linalg.lstsq) at the end of the path, and the published
diabetes path of Efron et al. (2004).
"""

import numpy as np
import pytest
from sklearn.linear_model import Lasso
from sklearn.linear_model import lars_path as sk_lars_path

from lecture_code import solvers
from lecture_code.solvers.lars import LarsPath, lars_path
from lecture_code.real_data import diabetes


def make_data(n, p, rho=0.5, seed=0):
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T * rng.uniform(0.5, 2.0, p) + rng.normal(size=p)
    w = np.zeros(p)
    w[:4] = [2.0, -1.5, 1.0, 0.5]
    return X, X @ w + rng.standard_normal(n) + 3.0


SHAPES = {"n>p": (40, 8, 0.5), "p>n": (20, 40, 0.5), "correlated": (30, 12, 0.95), "square": (25, 25, 0.8)}


@pytest.fixture(scope="module")
def diabetes_data():
    d = diabetes()
    return d.X, d.y


@pytest.mark.parametrize("method", ["lasso", "lar"])
def test_diabetes_knots_and_weights_match_sklearn(diabetes_data, method):
    X, y = diabetes_data
    path = lars_path(X, y, method=method)
    alphas, _, coefs = sk_lars_path(X, y, method=method)
    np.testing.assert_allclose(path.lambdas, alphas, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(path.coefs, coefs, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_paths_match_sklearn_on_centred_data(shape, seed):
    n, p, rho = SHAPES[shape]
    X, y = make_data(n, p, rho, seed)
    path = lars_path(X, y)
    alphas, _, coefs = sk_lars_path(X - X.mean(axis=0), y - y.mean(), method="lasso")
    assert path.lambdas.size == alphas.size
    np.testing.assert_allclose(path.lambdas, alphas, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(path.coefs, coefs, rtol=1e-7, atol=1e-7 * np.abs(coefs).max())
    np.testing.assert_allclose(path.intercepts, y.mean() - X.mean(axis=0) @ path.coefs, atol=1e-9)


def test_diabetes_reproduces_the_published_path(diabetes_data):
    """Efron et al. (2004), diabetes data: LARS enters the covariates in the order 3, 9, 4, 7, 2, 10, 5, 8, 6, 1
    (numbered from 1); the lasso path takes 12 steps: covariate 7 leaves at step 11 and re-enters at step 12; both
    end at the least-squares fit, sum |w_j| about 3460 in the paper's units (unit-length columns)."""
    X, y = diabetes_data
    lar, lasso = lars_path(X, y, method="lar"), lars_path(X, y, method="lasso")
    published = [3, 9, 4, 7, 2, 10, 5, 8, 6, 1]
    assert [j + 1 for j in lar.entry_order] == published
    assert [j + 1 for j in lasso.entry_order] == published
    steps = [(e.feature + 1, e.kind) for e in lasso.events]
    assert len(steps) == 12 and steps[10] == (7, "leave") and steps[11] == (7, "enter")
    assert len(lar.events) == 10 and all(e.kind == "enter" for e in lar.events)
    ols, *_ = np.linalg.lstsq(X, y, rcond=None)
    for path in (lar, lasso):
        assert path.lambdas[-1] == 0.0
        np.testing.assert_allclose(path.coefs[:, -1], ols, atol=1e-8)
    assert abs(np.abs(ols).sum() - 3460) < 1


@pytest.mark.parametrize("shape", ["n>p", "correlated", "p>n"])
def test_between_knots_the_path_is_the_coordinate_descent_solution(shape):
    n, p, rho = SHAPES[shape]
    X, y = make_data(n, p, rho, seed=3)
    path = lars_path(X, y)
    k = min(path.lambdas.size - 1, 12)
    for lo, hi in zip(path.lambdas[1:k], path.lambdas[: k - 1]):
        for lam in (0.75 * hi + 0.25 * lo, 0.5 * (hi + lo)):
            sk = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(X, y)
            np.testing.assert_allclose(path.coef_at(lam), sk.coef_, atol=1e-7)
            cd = solvers.coordinate_descent(X, y, lam, tol=1e-14, max_iter=100_000)
            np.testing.assert_allclose(path.coef_at(lam), cd.coef, atol=1e-7)


def test_kkt_conditions_hold_at_every_knot(diabetes_data):
    X, y = diabetes_data
    path = lars_path(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    for lam, w in zip(path.lambdas, path.coefs.T):
        c = Xc.T @ (yc - Xc @ w) / n
        active = w != 0
        np.testing.assert_allclose(c[active], lam * np.sign(w[active]), atol=1e-9)
        assert np.all(np.abs(c[~active]) <= lam + 1e-9)


def test_the_path_is_piecewise_linear_and_zero_above_lambda_max(diabetes_data):
    X, y = diabetes_data
    path = lars_path(X, y)
    assert np.all(np.diff(path.lambdas) < 0)
    np.testing.assert_array_equal(path.coef_at(2 * path.lambdas[0]), 0.0)
    lo, hi = path.lambdas[3], path.lambdas[2]
    ts = np.linspace(0, 1, 5)
    inside = path.coef_at(hi + ts * (lo - hi))
    np.testing.assert_allclose(inside, np.outer(path.coefs[:, 2], 1 - ts) + np.outer(path.coefs[:, 3], ts), atol=1e-12)
    assert np.isclose(path.lambdas[0], np.abs(X.T @ (y - y.mean())).max() / len(y))


def test_no_intercept_matches_sklearn_on_raw_data():
    X, y = make_data(30, 6, seed=4)
    path = lars_path(X, y, fit_intercept=False)
    alphas, _, coefs = sk_lars_path(X, y, method="lasso")
    np.testing.assert_allclose(path.lambdas, alphas, rtol=1e-9)
    np.testing.assert_allclose(path.coefs, coefs, atol=1e-7)
    np.testing.assert_array_equal(path.intercepts, 0.0)


def test_max_steps_truncates_and_constant_y_gives_an_empty_path(diabetes_data):
    X, y = diabetes_data
    path = lars_path(X, y, max_steps=3)
    assert path.lambdas.size == 4 and path.lambdas[-1] > 0
    flat = lars_path(X, np.full(len(y), 2.0))
    assert flat.lambdas.tolist() == [0.0] and flat.events == ()
    with pytest.raises(ValueError, match="lam must be >="):
        path.coef_at(0.5 * path.lambdas[-1])


def test_inputs_are_not_modified_and_result_type():
    X, y = make_data(20, 5)
    X0, y0 = X.copy(), y.copy()
    path = lars_path(X, y)
    assert isinstance(path, LarsPath)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(method="forward"), ValueError, "method must be"),
    (dict(fit_intercept=1), TypeError, "fit_intercept"),
    (dict(max_steps=0), ValueError, "max_steps"),
    (dict(max_steps=2.0), TypeError, "max_steps"),
])
def test_bad_arguments(kwargs, error, match):
    X, y = make_data(20, 5)
    with pytest.raises(error, match=match):
        lars_path(X, y, **kwargs)


def test_bad_data():
    X, y = make_data(20, 5)
    with pytest.raises(ValueError, match="same number of rows"):
        lars_path(X, y[:-1])
    with pytest.raises(ValueError, match="finite"):
        lars_path(np.where(X > 1, np.nan, X), y)
    with pytest.raises(TypeError, match="X must be"):
        lars_path("X", y)
