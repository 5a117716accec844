"""Grouped regression data (chapter 6): the correlation structure against the stated values, and the
cross-validated selection study against an independent scikit-learn computation."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet

from lecture_code.grouped_data import (GroupedData, GroupSelection, cross_validated_selection, grouped_covariance,
                                       make_grouped_regression)
from lecture_code.model_selection import k_fold_splits


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_within_group_correlation_is_rho_and_across_groups_zero(rho):
    data = make_grouped_regression(200_000, n_groups=3, group_size=4, rho=rho, seed=1)
    C = np.corrcoef(data.X, rowvar=False)
    same = data.groups[:, None] == data.groups[None, :]
    off_diagonal = ~np.eye(12, dtype=bool)
    np.testing.assert_allclose(C[same & off_diagonal], rho, atol=0.01)
    np.testing.assert_allclose(C[~same], 0.0, atol=0.01)


def test_features_have_unit_variance_and_zero_mean():
    X = make_grouped_regression(200_000, rho=0.9, seed=2).X
    np.testing.assert_allclose(X.var(axis=0), 1.0, atol=0.02)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=0.01)


def test_sample_covariance_matches_the_block_matrix_written_out():
    data = make_grouped_regression(200_000, n_groups=2, group_size=3, rho=0.8, seed=3)
    a, b = 1.0, 0.8
    expected = np.array([
        [a, b, b, 0, 0, 0],
        [b, a, b, 0, 0, 0],
        [b, b, a, 0, 0, 0],
        [0, 0, 0, a, b, b],
        [0, 0, 0, b, a, b],
        [0, 0, 0, b, b, a],
    ])
    np.testing.assert_allclose(np.cov(data.X, rowvar=False), expected, atol=0.02)
    np.testing.assert_allclose(grouped_covariance(2, 3, 0.8), expected, rtol=0, atol=1e-15)


def test_groups_coefficients_and_support():
    data = make_grouped_regression(50, n_groups=3, group_size=4, n_relevant_groups=2, effect=1.5, seed=0)
    assert isinstance(data, GroupedData)
    np.testing.assert_array_equal(data.groups, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    np.testing.assert_array_equal(data.coef, [1.5] * 8 + [0.0] * 4)
    np.testing.assert_array_equal(data.support, np.arange(8))
    np.testing.assert_array_equal(data.members(2), [8, 9, 10, 11])
    assert data.rho == 0.9 and data.noise == 1.0 and data.X.shape == (50, 12)


def test_targets_follow_the_linear_model_with_the_stated_noise():
    data = make_grouped_regression(200_000, rho=0.9, noise=2.0, intercept=3.0, seed=4)
    residual = data.y - data.X @ data.coef - data.intercept
    assert abs(residual.mean()) < 0.02
    assert abs(residual.std() - 2.0) < 0.02
    # Least squares on a large sample recovers the true weights and bias (an independent check of y).
    design = np.column_stack([np.ones(len(data.y)), data.X])
    fitted = np.linalg.lstsq(design, data.y, rcond=None)[0]
    np.testing.assert_allclose(fitted, np.r_[3.0, data.coef], atol=0.05)


def test_noise_free_targets_are_exact():
    data = make_grouped_regression(30, noise=0.0, seed=5)
    np.testing.assert_allclose(data.y, data.X @ data.coef, rtol=0, atol=1e-12)


def test_reproducible_with_a_seed_and_different_across_seeds():
    a, b = make_grouped_regression(40, seed=7), make_grouped_regression(40, seed=7)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.allclose(a.X, make_grouped_regression(40, seed=8).X)
    c = make_grouped_regression(40, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.X, c.X)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"rho": 1.0}, ValueError, "rho must be < 1"),
    ({"rho": -0.1}, ValueError, "rho must be >= 0"),
    ({"n": 0}, ValueError, "n must be >= 1"),
    ({"n_groups": 0}, ValueError, "n_groups must be >= 1"),
    ({"group_size": 1.5}, TypeError, "group_size must be an integer"),
    ({"n_relevant_groups": 4}, ValueError, "n_relevant_groups must be <= 3"),
    ({"noise": -1.0}, ValueError, "noise must be >= 0"),
    ({"effect": "big"}, TypeError, "effect must be a real number"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
])
def test_bad_arguments_are_rejected_by_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_grouped_regression(**kwargs)


def test_members_rejects_unknown_group():
    with pytest.raises(ValueError, match="group must be <= 2"):
        make_grouped_regression(10).members(3)


def test_grouped_covariance_rejects_bad_rho():
    with pytest.raises(ValueError, match="rho must be < 1"):
        grouped_covariance(2, 2, 1.0)


# --------------------------------------------------------------------------
# cross_validated_selection
# --------------------------------------------------------------------------

SMALL = dict(n_lambdas=8, eps=1e-2)          # a coarse grid keeps the scikit-learn reference cheap


@pytest.fixture(scope="module")
def small_study():
    return cross_validated_selection([0, 3], alphas=(1.0, 0.5), **SMALL)


def _reference(seed, alpha, *, n=80, n_folds=5, n_lambdas=8, eps=1e-2):
    """The study for one data set and one alpha, recomputed with scikit-learn's ElasticNet (one fit per lambda)."""
    data = make_grouped_regression(n, n_groups=3, group_size=4, rho=0.9, noise=4.0, seed=seed)
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0)
    y = data.y
    top = np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max() / n
    grid = np.geomspace(top / alpha, eps * top / alpha, n_lambdas)
    errors = np.empty((n_folds, n_lambdas))
    for f, (tr, va) in enumerate(k_fold_splits(n, n_folds, seed=seed)):
        for j, lam in enumerate(grid):
            model = ElasticNet(alpha=lam, l1_ratio=alpha, tol=1e-12, max_iter=100_000).fit(X[tr], y[tr])
            errors[f, j] = np.mean((y[va] - model.predict(X[va])) ** 2)
    mean, se = errors.mean(axis=0), errors.std(axis=0, ddof=1) / np.sqrt(n_folds)
    best = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[best] + se[best])
    chosen = {"min": grid[best], "1se": grid[within].max()}
    coefs = {rule: ElasticNet(alpha=lam, l1_ratio=alpha, tol=1e-12, max_iter=100_000).fit(X, y).coef_
             for rule, lam in chosen.items()}
    return mean[best], se[best], chosen, coefs


@pytest.mark.parametrize("s, seed", [(0, 0), (1, 3)])
@pytest.mark.parametrize("a, alpha", [(0, 1.0), (1, 0.5)])
def test_choices_and_fits_match_scikit_learn(small_study, s, seed, a, alpha):
    cv_min, cv_se, chosen, coefs = _reference(seed, alpha, **SMALL)
    assert np.isclose(small_study.cv_min[s, a], cv_min, rtol=1e-6)
    assert np.isclose(small_study.cv_se[s, a], cv_se, rtol=1e-5)
    for rule in ("min", "1se"):
        assert np.isclose(small_study.lambdas[rule][s, a], chosen[rule], rtol=1e-12)
        np.testing.assert_allclose(small_study.coefs[rule][s, a], coefs[rule], atol=1e-6)


def test_tuned_alpha_is_the_smallest_cv_error_and_coef_at_indexes_the_grid(small_study):
    assert isinstance(small_study, GroupSelection)
    np.testing.assert_array_equal(small_study.best_alpha, np.argmin(small_study.cv_min, axis=1))
    for rule in ("min", "1se"):
        tuned = small_study.tuned_coef(rule)
        for s, a in enumerate(small_study.best_alpha):
            np.testing.assert_array_equal(tuned[s], small_study.coefs[rule][s, a])
        np.testing.assert_array_equal(small_study.coef_at(0.5, rule), small_study.coefs[rule][:, 1])
    np.testing.assert_array_equal(small_study.support, [0, 1, 2, 3])
    assert small_study.coefs["min"].shape == (2, 2, 12) and small_study.groups.tolist() == [0] * 4 + [1] * 4 + [2] * 4


def test_one_standard_error_rule_picks_a_stronger_penalty_and_fewer_features(small_study):
    assert np.all(small_study.lambdas["1se"] >= small_study.lambdas["min"])
    kept = {rule: np.count_nonzero(small_study.coefs[rule], axis=2) for rule in ("min", "1se")}
    assert np.all(kept["1se"] <= kept["min"])


def test_margins_are_the_kkt_slack_and_the_gap_to_a_tie(small_study):
    for rule in ("min", "1se"):
        assert np.all(small_study.support_margin[rule] > 0)      # KKT: zero weights strictly inside the dead zone
        assert np.all(small_study.choice_margin[rule] > 0)
    assert np.all(small_study.choice_margin["1se"] <= small_study.choice_margin["min"])
    # The support margin written out for one fit: smallest |w_j| != 0 and slack 1 - |x_j^T r|/(n lam alpha).
    data = make_grouped_regression(80, seed=3, noise=4.0)
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0)
    Xc, yc = X - X.mean(axis=0), data.y - data.y.mean()
    w, lam = small_study.coefs["min"][1, 1], small_study.lambdas["min"][1, 1]
    corr = Xc.T @ (yc - Xc @ w) / 80
    expected = min(np.abs(w[w != 0]).min(), (1 - np.abs(corr[w == 0]) / (lam * 0.5)).min())
    assert np.isclose(small_study.support_margin["min"][1, 1], expected, rtol=1e-9)


def test_each_data_set_is_independent_of_the_others():
    together = cross_validated_selection([1, 2], alphas=(0.5,), **SMALL)
    alone = cross_validated_selection([2], alphas=(0.5,), **SMALL)
    np.testing.assert_array_equal(together.coefs["min"][1], alone.coefs["min"][0])
    np.testing.assert_array_equal(together.cv_min[1], alone.cv_min[0])


@pytest.mark.parametrize("args, kwargs, error, match", [
    ([], {}, ValueError, "seeds must not be empty"),
    ([-1], {}, ValueError, "seed must be >= 0"),
    ([1.5], {}, TypeError, "seed must be an integer"),
    ([0], {"alphas": ()}, ValueError, "alphas must not be empty"),
    ([0], {"alphas": (0.0,)}, ValueError, "alpha must be > 0"),
    ([0], {"alphas": (1.5,)}, ValueError, "alpha must be <= 1"),
    ([0], {"n": 4}, ValueError, "n must be >= 5"),
    ([0], {"n_folds": 1}, ValueError, "n_folds must be >= 2"),
    ([0], {"n_lambdas": 1}, ValueError, "n_lambdas must be >= 2"),
    ([0], {"eps": 1.0}, ValueError, "eps must be < 1"),
    ([0], {"tol": 0.0}, ValueError, "tol must be > 0"),
])
def test_cross_validated_selection_rejects_bad_arguments_by_name(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        cross_validated_selection(args, **kwargs)


def test_coef_at_and_tuned_coef_reject_unknown_values(small_study):
    with pytest.raises(ValueError, match="alpha = 0.3 is not on the grid"):
        small_study.coef_at(0.3)
    with pytest.raises(ValueError, match="rule must be 'min' or '1se'"):
        small_study.tuned_coef("median")
