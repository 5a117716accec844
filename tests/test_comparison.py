"""lecture_code.comparison: cross-validated penalties, exact risk, selection scores.

References are independent of the code under test: scikit-learn's LassoCV, ElasticNetCV and Ridge on the
same folds and grids, Monte-Carlo estimates of the prediction risk, explicit covariance formulas, and
scikit-learn's precision, recall and Jaccard scores on indicator vectors.
"""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge, RidgeCV
from sklearn.metrics import jaccard_score, precision_score, recall_score

from lecture_code.comparison import (CVFit, ar1_covariance, compare_penalties, cross_validated_fit, default_lambdas,
                                     expected_test_mse, jaccard_index, mean_pairwise_jaccard, ridge_validation_curve,
                                     selection_stability, support_precision_recall)
from lecture_code.data import make_regression
from lecture_code.model_selection import k_fold_splits, path_validation_curve


@pytest.fixture(scope="module")
def problem():
    return make_regression(100, 20, n_informative=4, rho=0.5, noise=1.5, intercept=2.0, seed=3)


# ----------------------------------------------------------------------------- covariance and risk
def test_ar1_covariance_matches_the_formula_and_the_generator():
    cov = ar1_covariance(6, 0.7)
    for j in range(6):
        for k in range(6):
            assert cov[j, k] == pytest.approx(0.7 ** abs(j - k), rel=1e-15)
    big = make_regression(200_000, 6, rho=0.7, seed=0)
    np.testing.assert_allclose(np.cov(big.X, rowvar=False), cov, atol=0.01)
    np.testing.assert_array_equal(ar1_covariance(4, 0.0), np.eye(4))


def test_expected_test_mse_agrees_with_monte_carlo(problem):
    rng = np.random.default_rng(1)
    w = problem.coef + rng.normal(0, 0.3, problem.coef.size)
    b = problem.intercept - 0.4
    cov = ar1_covariance(problem.coef.size, 0.5)
    exact = expected_test_mse(w, b, problem.coef, problem.intercept, cov, problem.noise)
    fresh = make_regression(400_000, 20, n_informative=4, rho=0.5, noise=1.5, intercept=2.0, seed=3)
    X = fresh.X                       # fresh Gaussian inputs with the same covariance; the truth is problem's
    y = X @ problem.coef + problem.intercept + problem.noise * rng.standard_normal(X.shape[0])
    monte_carlo = np.mean((y - X @ w - b) ** 2)
    assert monte_carlo == pytest.approx(exact, rel=0.01)


def test_expected_test_mse_of_the_truth_is_the_noise_variance():
    w = np.array([1.0, -2.0])
    assert expected_test_mse(w, 0.5, w, 0.5, np.eye(2), 0.7) == pytest.approx(0.49, rel=1e-15)
    # identity covariance: sigma^2 + ||e||^2 + (b - b*)^2
    assert expected_test_mse([0.0, 0.0], 1.0, w, 0.5, np.eye(2), 0.0) == pytest.approx(5.0 + 0.25, rel=1e-15)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(coef=[1.0], coef_true=[1.0, 2.0]), ValueError, "coef_true"),
    (dict(cov=np.eye(3)), ValueError, "cov"),
    (dict(noise=-1.0), ValueError, "noise"),
    (dict(intercept="a"), TypeError, "intercept"),
])
def test_expected_test_mse_rejects_bad_arguments(kwargs, error, match):
    args = dict(coef=[1.0, 2.0], intercept=0.0, coef_true=[1.0, 2.0], intercept_true=0.0, cov=np.eye(2), noise=1.0)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        expected_test_mse(**args)


# ----------------------------------------------------------------------------- grids
def test_default_lambdas_top_is_where_the_lasso_and_elastic_net_vanish(problem):
    X, y = problem.X, problem.y
    for alpha in (1.0, 0.5):
        grid = default_lambdas(X, y, alpha, per_decade=2, decades=2)
        assert grid.shape == (5,) and np.all(np.diff(grid) < 0)
        assert grid[-1] / grid[0] == pytest.approx(1e-2)
        at_top = ElasticNet(alpha=grid[0] * 1.0001, l1_ratio=alpha, tol=1e-12).fit(X, y)
        below = ElasticNet(alpha=grid[0] * 0.99, l1_ratio=alpha, tol=1e-12).fit(X, y)
        assert np.all(at_top.coef_ == 0) and np.any(below.coef_ != 0)


def test_default_ridge_grid_spans_decades_either_side_of_the_squared_top_singular_value(problem):
    X, y = problem.X, problem.y
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    scale = np.linalg.svd(Xc, compute_uv=False)[0] ** 2 / n
    grid = default_lambdas(X, y, 0.0, per_decade=3, decades=2)
    assert grid.shape == (13,)
    assert grid[0] == pytest.approx(100 * scale) and grid[-1] == pytest.approx(1e-2 * scale)
    # At the top every principal direction is shrunk at least 100-fold: the fit is the null model to 1 %.
    w_top = Ridge(alpha=n * grid[0]).fit(X, y).coef_
    w_ls = Ridge(alpha=0.0).fit(X, y).coef_
    assert np.linalg.norm(w_top) <= 1e-2 * np.linalg.norm(w_ls)


@pytest.mark.parametrize("per_decade, decades", [(5, 4), (3, 2), (1, 1)])
def test_default_grids_have_the_same_resolution_for_every_penalty(problem, per_decade, decades):
    for alpha in (0.0, 0.5, 1.0):
        grid = default_lambdas(problem.X, problem.y, alpha, per_decade=per_decade, decades=decades)
        np.testing.assert_allclose(np.diff(np.log10(grid)), -1 / per_decade, rtol=1e-12)
        assert grid.size == (2 if alpha == 0 else 1) * decades * per_decade + 1


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(alpha=1.5), ValueError, "alpha"),
    (dict(alpha=1.0, per_decade=0), ValueError, "per_decade"),
    (dict(alpha=0.0, decades=0), ValueError, "decades"),
    (dict(alpha=1.0, per_decade=2.0), TypeError, "per_decade"),
])
def test_default_lambdas_rejects_bad_arguments(problem, kwargs, error, match):
    with pytest.raises(error, match=match):
        default_lambdas(problem.X, problem.y, **kwargs)


def test_default_lambdas_without_signal_raises():
    X = np.ones((10, 3))
    with pytest.raises(ValueError, match="lambdas"):
        default_lambdas(X, np.arange(10.0), 1.0)


# ----------------------------------------------------------------------------- cross-validation
def test_cross_validated_lasso_matches_lasso_cv(problem):
    X, y = problem.X, problem.y
    fit = cross_validated_fit(X, y, 1.0, per_decade=4, decades=3, k=5, seed=4, tol=1e-10)
    folds = k_fold_splits(X.shape[0], 5, seed=4)
    reference = LassoCV(alphas=fit.lambdas, cv=folds, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(reference.mse_path_.T, fit.cv_errors, rtol=1e-5)
    assert reference.alpha_ == pytest.approx(fit.lam)
    np.testing.assert_allclose(fit.coef, reference.coef_, atol=1e-6)
    assert fit.intercept == pytest.approx(reference.intercept_, abs=1e-6)
    assert isinstance(fit, CVFit) and fit.alpha == 1.0
    np.testing.assert_allclose(fit.cv_mean, reference.mse_path_.mean(axis=1), rtol=1e-5)


def test_cross_validated_elastic_net_matches_elastic_net_cv(problem):
    X, y = problem.X, problem.y
    fit = cross_validated_fit(X, y, 0.5, per_decade=3, decades=3, k=4, seed=2, tol=1e-10)
    folds = k_fold_splits(X.shape[0], 4, seed=2)
    reference = ElasticNetCV(l1_ratio=0.5, alphas=fit.lambdas, cv=folds, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(reference.mse_path_.T, fit.cv_errors, rtol=1e-5)
    assert reference.alpha_ == pytest.approx(fit.lam)
    np.testing.assert_allclose(fit.coef, reference.coef_, atol=1e-6)


def test_cross_validated_ridge_matches_scikit_learn_ridge_fold_by_fold(problem):
    X, y = problem.X, problem.y
    lambdas = np.geomspace(10.0, 1e-3, 9)
    fit = cross_validated_fit(X, y, 0.0, lambdas=lambdas, k=5, seed=0)
    folds = k_fold_splits(X.shape[0], 5, seed=0)
    errors = np.array([[np.mean((y[va] - Ridge(alpha=tr.size * lam).fit(X[tr], y[tr]).predict(X[va])) ** 2)
                        for lam in lambdas] for tr, va in folds])
    np.testing.assert_allclose(fit.cv_errors, errors, rtol=1e-9)
    best = int(np.argmin(errors.mean(axis=0)))
    assert fit.best_index == best and fit.lam == lambdas[best]
    refit = Ridge(alpha=X.shape[0] * lambdas[best]).fit(X, y)
    np.testing.assert_allclose(fit.coef, refit.coef_, atol=1e-10)
    np.testing.assert_allclose(fit.predict(X[:3]), refit.predict(X[:3]), atol=1e-10)
    assert fit.support.size == X.shape[1]
    np.testing.assert_allclose(fit.cv_mean, errors.mean(axis=0), rtol=1e-9)


def test_ridge_validation_curve_matches_explicit_refits_and_the_path_curve(problem):
    X, y = problem.X, problem.y
    lambdas = np.geomspace(1e-4, 30.0, 11)                       # given increasing: used decreasing
    folds = k_fold_splits(X.shape[0], 4, seed=6)
    curve = ridge_validation_curve(X, y, lambdas, folds)
    np.testing.assert_array_equal(curve.params, lambdas[::-1])
    for i, (tr, va) in enumerate(folds):
        for j, lam in enumerate(curve.params):
            model = Ridge(alpha=tr.size * lam).fit(X[tr], y[tr])
            assert curve.train_errors[i, j] == pytest.approx(np.mean((y[tr] - model.predict(X[tr])) ** 2), rel=1e-9)
            assert curve.val_errors[i, j] == pytest.approx(np.mean((y[va] - model.predict(X[va])) ** 2), rel=1e-9)
    reference = path_validation_curve(X, y, lambdas, folds, alpha=0.0)
    np.testing.assert_allclose(curve.val_errors, reference.val_errors, rtol=1e-10)
    np.testing.assert_allclose(curve.train_errors, reference.train_errors, rtol=1e-10)


def test_ridge_validation_curve_on_a_wide_rank_deficient_problem():
    wide = make_regression(30, 60, n_informative=5, rho=0.9, noise=0.5, seed=2)
    lambdas = np.geomspace(10.0, 1e-6, 8)
    folds = k_fold_splits(30, 3, seed=0)
    curve = ridge_validation_curve(wide.X, wide.y, lambdas, folds)
    for i, (tr, va) in enumerate(folds):
        for j, lam in enumerate(lambdas):
            model = Ridge(alpha=tr.size * lam, solver="svd").fit(wide.X[tr], wide.y[tr])
            assert curve.val_errors[i, j] == pytest.approx(np.mean((wide.y[va] - model.predict(wide.X[va])) ** 2),
                                                           rel=1e-7)


def test_cross_validated_ridge_picks_what_ridge_cv_picks(problem):
    X, y = problem.X, problem.y
    folds = k_fold_splits(X.shape[0], 5, seed=1)               # n = 100: every training part has 80 rows
    fit = cross_validated_fit(X, y, 0.0, k=5, seed=1)
    assert fit.lambdas.size == 41                                # 5 per decade, 4 decades either side
    reference = RidgeCV(alphas=80 * fit.lambdas, cv=folds, scoring="neg_mean_squared_error").fit(X, y)
    assert reference.alpha_ == pytest.approx(80 * fit.lam)
    np.testing.assert_allclose(fit.coef, Ridge(alpha=X.shape[0] * fit.lam).fit(X, y).coef_, atol=1e-10)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(lambdas=[1.0, 0.0]), ValueError, "lambdas"),
    (dict(splits=[]), ValueError, "splits"),
    (dict(splits=[(np.arange(10), np.array([], dtype=int))]), ValueError, "split"),
])
def test_ridge_validation_curve_rejects_bad_arguments(problem, kwargs, error, match):
    args = dict(lambdas=[1.0, 0.1], splits=k_fold_splits(problem.X.shape[0], 3))
    args.update(kwargs)
    with pytest.raises(error, match=match):
        ridge_validation_curve(problem.X, problem.y, **args)


def test_cross_validated_fit_sorts_a_given_grid_and_rejects_bad_ones(problem):
    fit = cross_validated_fit(problem.X, problem.y, 1.0, lambdas=[0.01, 1.0, 0.1], k=3)
    np.testing.assert_array_equal(fit.lambdas, [1.0, 0.1, 0.01])
    with pytest.raises(ValueError, match="lambdas"):
        cross_validated_fit(problem.X, problem.y, 1.0, lambdas=[0.1, 0.0])
    with pytest.raises(ValueError, match="alpha"):
        cross_validated_fit(problem.X, problem.y, -0.1)
    with pytest.raises(ValueError, match="k"):
        cross_validated_fit(problem.X, problem.y, 1.0, k=1)
    with pytest.raises(ValueError, match="X"):
        fit.predict(problem.X[:, :3])


# ----------------------------------------------------------------------------- comparisons
def test_compare_penalties_scores_each_fit_by_its_exact_risk(problem):
    cov = ar1_covariance(20, 0.5)
    result = compare_penalties(problem, cov, alphas=(0.0, 1.0), seed=1, per_decade=2, decades=3)
    assert result.alphas == (0.0, 1.0) and len(result.fits) == 2
    for fit, risk, prec, rec in zip(result.fits, result.relative_risk, result.precision, result.recall):
        expected = expected_test_mse(fit.coef, fit.intercept, problem.coef, problem.intercept, cov, problem.noise)
        assert risk == pytest.approx(expected / problem.noise**2, rel=1e-12) and risk >= 1.0
        assert (prec, rec) == support_precision_recall(np.flatnonzero(fit.coef), problem.support)
    assert result.precision[0] == pytest.approx(4 / 20) and result.recall[0] == 1.0


def test_compare_penalties_rejects_bad_arguments(problem):
    with pytest.raises(TypeError, match="data"):
        compare_penalties((problem.X, problem.y), np.eye(20))
    noiseless = make_regression(30, 5, noise=0.0, seed=0)
    with pytest.raises(ValueError, match="noise"):
        compare_penalties(noiseless, np.eye(5))
    with pytest.raises(ValueError, match="alphas"):
        compare_penalties(problem, np.eye(20), alphas=())


# ----------------------------------------------------------------------------- selection scores
def _indicator(indices, p):
    v = np.zeros(p, dtype=int)
    v[list(indices)] = 1
    return v


@pytest.mark.parametrize("selected, truth", [([0, 1, 2, 7], [1, 2, 3]), ([5], [5]), (list(range(10)), [2, 4]),
                                             ([8, 9], [0, 1])])
def test_precision_recall_and_jaccard_match_scikit_learn(selected, truth):
    p = 10
    sel, tru = _indicator(selected, p), _indicator(truth, p)
    precision, recall = support_precision_recall(np.array(selected), np.array(truth))
    assert precision == pytest.approx(precision_score(tru, sel, zero_division=0.0))
    assert recall == pytest.approx(recall_score(tru, sel))
    assert jaccard_index(np.array(selected), np.array(truth)) == pytest.approx(jaccard_score(tru, sel))


def test_selection_score_conventions_for_empty_sets():
    empty = np.array([], dtype=int)
    assert support_precision_recall(empty, np.array([1, 2])) == (1.0, 0.0)
    assert support_precision_recall(np.array([1]), empty) == (0.0, 1.0)
    assert jaccard_index(empty, empty) == 1.0
    assert jaccard_index(empty, np.array([3])) == 0.0


def test_selection_scores_reject_non_integer_indices():
    with pytest.raises(TypeError, match="selected"):
        support_precision_recall(np.array([0.5, 1.0]), np.array([1]))
    with pytest.raises(TypeError, match="b"):
        jaccard_index(np.array([1]), np.array([[1]]))


def test_mean_pairwise_jaccard_by_hand():
    sets = [np.array([0, 1]), np.array([1, 2]), np.array([0, 1])]
    # pairs: (01,12) = 1/3, (01,01) = 1, (12,01) = 1/3
    assert mean_pairwise_jaccard(sets) == pytest.approx((1 / 3 + 1 + 1 / 3) / 3)
    with pytest.raises(ValueError, match="supports"):
        mean_pairwise_jaccard([np.array([0])])


def test_selection_stability_replays_the_bootstrap_with_scikit_learn(problem):
    X, y = problem.X, problem.y
    lam = 0.3
    supports, stability = selection_stability(X, y, 1.0, lam, n_resamples=6, seed=5, tol=1e-10)
    rng = np.random.default_rng(5)
    expected = []
    for _ in range(6):
        rows = rng.integers(0, X.shape[0], size=X.shape[0])
        coef = Lasso(alpha=lam, tol=1e-12, max_iter=100_000).fit(X[rows], y[rows]).coef_
        expected.append(np.flatnonzero(np.abs(coef) > 1e-9))
    for got, want in zip(supports, expected):
        np.testing.assert_array_equal(got, want)
    assert stability == pytest.approx(mean_pairwise_jaccard(expected))
    assert 0 < stability <= 1


def test_selection_stability_is_one_when_nothing_is_selected(problem):
    lam_max = default_lambdas(problem.X, problem.y, 1.0)[0]
    supports, stability = selection_stability(problem.X, problem.y, 1.0, 10 * lam_max, n_resamples=3)
    assert stability == 1.0 and all(s.size == 0 for s in supports)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(alpha=0.0, lam=1.0), ValueError, "alpha"),
    (dict(alpha=1.0, lam=0.0), ValueError, "lam"),
    (dict(alpha=1.0, lam=1.0, n_resamples=1), ValueError, "n_resamples"),
])
def test_selection_stability_rejects_bad_arguments(problem, kwargs, error, match):
    with pytest.raises(error, match=match):
        selection_stability(problem.X, problem.y, **kwargs)


def test_noise_for_snr_gives_the_stated_signal_to_noise_ratio():
    from lecture_code.comparison import noise_for_snr
    from lecture_code.data import make_regression

    # E[w^2] for |w| uniform on [1, 3] is (3^3 - 1^3) / (3 * 2) = 13/3; check it by simulation as well.
    ratios = []
    for seed in range(400):
        d = make_regression(10, 30, n_informative=6, noise=noise_for_snr(6, 3.0), seed=seed)
        ratios.append(d.coef @ d.coef / d.noise**2)
    assert np.mean(ratios) == pytest.approx(3.0, rel=0.03)
    with pytest.raises(ValueError, match="snr must be > 0"):
        noise_for_snr(3, 0.0)


def test_cross_validation_runs_blas_on_one_thread_and_restores_the_setting(problem):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import lecture_code.comparison as comparison

    def blas_threads():
        return [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]

    before = blas_threads()
    with comparison._one_blas_thread():
        inside = blas_threads()
    assert all(t == 1 for t in inside) and blas_threads() == before
    cross_validated_fit(problem.X, problem.y, 0.0, k=3)
    assert blas_threads() == before
    # The same fit with and without the limit (a thread count moves only the last bits).
    folds = k_fold_splits(problem.X.shape[0], 4, seed=0)
    lambdas = np.geomspace(10.0, 1e-3, 6)
    with threadpoolctl.threadpool_limits(2, "blas"):
        callers = blas_threads()
        curve = ridge_validation_curve(problem.X, problem.y, lambdas, folds)
        assert blas_threads() == callers                                    # the caller's setting is back
    reference = path_validation_curve(problem.X, problem.y, lambdas, folds, alpha=0.0)
    np.testing.assert_allclose(curve.val_errors, reference.val_errors, rtol=1e-10)
