"""Tests for lecture_code.solvers.logistic (L1, L2 and elastic-net penalised logistic regression).

Objective (course convention): J(w, b) = mean_i [log(1 + e^{s_i}) - y_i s_i] + lam (alpha|w|_1 + (1-alpha)/2 |w|^2),
s = Xw + b. scikit-learn's LogisticRegression(C, l1_ratio=alpha) minimises C * sum_i[...] + penalty, so C = 1/(n lam).
References: scikit-learn's LogisticRegression at that C (newton-cholesky for L2, saga for L1 and the elastic net,
at tight tolerances), the KKT conditions written out here, and sklearn.metrics for the log-loss.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss as sk_log_loss

from lecture_code import ConvergenceWarning
from lecture_code.solvers.logistic import (log_loss, logistic_lambda_max, logistic_path, logistic_regression,
                                           predict_proba, sklearn_C)


def make_data(n=150, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] += 0.7 * X[:, 0]
    w = np.zeros(p)
    w[:3] = [1.5, -1.0, 0.8]
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w - 0.5)))).astype(float)
    return X, y


def sk_fit(X, y, lam, alpha):
    C = 1.0 / (len(y) * lam)
    if alpha == 0:
        model = LogisticRegression(C=C, l1_ratio=0.0, solver="newton-cholesky", tol=1e-14, max_iter=1000)
    else:
        model = LogisticRegression(C=C, l1_ratio=alpha, solver="saga", tol=1e-12, max_iter=500_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return model.fit(X, y)


def kkt(X, y, w, b, lam, alpha):
    n = len(y)
    r = y - 1 / (1 + np.exp(-(X @ w + b)))
    c = X.T @ r / n - lam * (1 - alpha) * w
    viol = np.where(w != 0, np.abs(c - lam * alpha * np.sign(w)), np.maximum(np.abs(c) - lam * alpha, 0))
    return max(viol.max(), abs(r.mean()))


@pytest.mark.parametrize("alpha", [1.0, 0.5, 0.0])
@pytest.mark.parametrize("lam", [0.05, 0.01, 0.002])
def test_matches_sklearn_at_C_equal_one_over_n_lambda(alpha, lam):
    X, y = make_data()
    fit = logistic_regression(X, y, lam, alpha, tol=1e-10)
    ref = sk_fit(X, y, lam, alpha)
    assert fit.converged and kkt(X, y, fit.coef, fit.intercept, lam, alpha) < 1e-9
    np.testing.assert_allclose(fit.coef, ref.coef_[0], atol=1e-5)
    assert abs(fit.intercept - ref.intercept_[0]) < 1e-5
    np.testing.assert_array_equal(fit.coef == 0, np.abs(ref.coef_[0]) < 1e-9)
    assert np.isclose(sklearn_C(lam, len(y)), 1 / (len(y) * lam))


def test_C_of_the_sum_convention_is_a_different_model():
    """C = 1/lam (forgetting the n) fits a much weaker penalty: not the same model."""
    X, y = make_data()
    lam = 0.05
    fit = logistic_regression(X, y, lam, 1.0, tol=1e-10)
    wrong = LogisticRegression(C=1 / lam, l1_ratio=1.0, solver="saga", tol=1e-10, max_iter=200_000).fit(X, y)
    assert np.count_nonzero(wrong.coef_) > np.count_nonzero(fit.coef)


def test_lambda_max_and_path():
    X, y = make_data(seed=1)
    lam_max = logistic_lambda_max(X, y)
    assert np.isclose(lam_max, np.abs(X.T @ (y - y.mean())).max() / len(y))
    assert np.all(logistic_regression(X, y, lam_max * (1 + 1e-9)).coef == 0)
    assert np.any(logistic_regression(X, y, lam_max * 0.98, tol=1e-10).coef != 0)
    path = logistic_path(X, y, n_lambdas=10, eps=0.01, tol=1e-10)
    assert np.all(path.coefs[:, 0] == 0) and np.isclose(path.intercepts[0], np.log(y.mean() / (1 - y.mean())))
    for i in (2, 6, 9):
        assert kkt(X, y, path.coefs[:, i], path.intercepts[i], path.lambdas[i], 1.0) < 1e-9
        np.testing.assert_allclose(path.coefs[:, i], sk_fit(X, y, path.lambdas[i], 1.0).coef_[0], atol=1e-5)
    # L2 path needs an explicit grid
    with pytest.raises(ValueError, match="alpha must be > 0 when lambdas is None"):
        logistic_path(X, y, alpha=0.0)
    l2 = logistic_path(X, y, lambdas=[0.1, 0.01], alpha=0.0, tol=1e-10)
    np.testing.assert_allclose(l2.coefs[:, 1], sk_fit(X, y, 0.01, 0.0).coef_[0], atol=1e-6)


def test_no_intercept():
    X, y = make_data(seed=2)
    fit = logistic_regression(X, y, 0.01, 0.0, fit_intercept=False, tol=1e-10)
    ref = LogisticRegression(C=1 / (len(y) * 0.01), l1_ratio=0.0, fit_intercept=False, solver="newton-cholesky",
                             tol=1e-14).fit(X, y)
    np.testing.assert_allclose(fit.coef, ref.coef_[0], atol=1e-6)
    assert fit.intercept == 0.0


def test_probabilities_and_log_loss():
    X, y = make_data(seed=3)
    fit = logistic_regression(X, y, 0.02, 0.0, tol=1e-10)
    ref = sk_fit(X, y, 0.02, 0.0)
    proba = predict_proba(X, fit.coef, fit.intercept)
    np.testing.assert_allclose(proba, ref.predict_proba(X)[:, 1], atol=1e-6)
    assert np.isclose(log_loss(y, proba), sk_log_loss(y, proba))
    # history is the objective; it never increases (line search) and ends at J of the solution
    J = log_loss(y, proba) + 0.02 * 0.5 * fit.coef @ fit.coef
    assert np.isclose(fit.history[-1], J) and np.all(np.diff(fit.history) <= 1e-12)
    # extreme scores do not overflow
    assert np.all(np.isfinite(predict_proba(np.array([[1e4], [-1e4]]), np.array([1.0]), 0.0)))


def test_convergence_warning():
    X, y = make_data()
    with pytest.warns(ConvergenceWarning, match="relative KKT violation"):
        logistic_regression(X, y, 0.001, 1.0, tol=1e-15, max_iter=1)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(lam=0.0), ValueError, "lam"),
    (dict(alpha=1.5), ValueError, "alpha"),
    (dict(tol=0.0), ValueError, "tol"),
    (dict(max_iter=0), ValueError, "max_iter"),
    (dict(fit_intercept=None), TypeError, "fit_intercept"),
])
def test_bad_arguments(kwargs, error, match):
    X, y = make_data()
    args = dict(lam=0.1) | kwargs
    with pytest.raises(error, match=match):
        logistic_regression(X, y, args.pop("lam"), **args)


def test_bad_labels_and_no_mutation():
    X, y = make_data()
    with pytest.raises(ValueError, match="labels 0 and 1"):
        logistic_regression(X, 2 * y, 0.1)
    with pytest.raises(ValueError, match="both labels"):
        logistic_regression(X, np.ones(len(y)), 0.1)
    with pytest.raises(ValueError, match="proba must lie"):
        log_loss(y, np.full(len(y), 1.5))
    with pytest.raises(ValueError, match="lam"):
        sklearn_C(0.0, 10)
    X0, y0 = X.copy(), y.copy()
    logistic_path(X, y, n_lambdas=4)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("l1_ratio, penalty", [(1.0, "l1"), (0.0, "l2"), (0.5, "elasticnet")])
def test_sklearn_logistic_sets_the_penalty_on_old_and_new_scikit_learn(monkeypatch, l1_ratio, penalty):
    import sklearn

    from lecture_code.solvers.logistic import sklearn_logistic

    new = sklearn_logistic(2.0, l1_ratio, solver="saga").get_params()
    assert new["C"] == 2.0 and new["l1_ratio"] == l1_ratio and new["penalty"] in ("deprecated", penalty)
    monkeypatch.setattr(sklearn, "__version__", "1.7.2")       # before 1.8, l1_ratio alone is ignored
    old = sklearn_logistic(2.0, l1_ratio, solver="saga").get_params()
    assert old["penalty"] == penalty and old["C"] == 2.0
    assert old["l1_ratio"] == (l1_ratio if penalty == "elasticnet" else LogisticRegression().get_params()["l1_ratio"])
    with pytest.raises(TypeError, match="penalty is set from l1_ratio"):
        sklearn_logistic(2.0, l1_ratio, penalty="l2")
    with pytest.raises(ValueError, match="l1_ratio"):
        sklearn_logistic(2.0, 1.5)


def test_sklearn_logistic_fits_the_course_problem():
    from lecture_code.solvers.logistic import sklearn_logistic

    X, y = make_data()
    lam = 0.01
    fit = logistic_regression(X, y, lam, 1.0, tol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        ref = sklearn_logistic(sklearn_C(lam, len(y)), 1.0, solver="saga", tol=1e-12, max_iter=500_000).fit(X, y)
    np.testing.assert_allclose(fit.coef, ref.coef_[0], atol=1e-5)
