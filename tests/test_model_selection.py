"""Splits and validation curves, checked against their definitions."""

import numpy as np
import pytest

from lecture_code.model_selection import (ValidationCurve, k_fold_splits, mean_squared_error, mse_with_standard_error,
                                          paired_mse_difference, train_validation_split, validation_curve)


def test_mean_squared_error_definition():
    assert mean_squared_error([1.0, 2.0, 3.0], [1.0, 0.0, 3.0]) == pytest.approx(4.0 / 3.0)
    with pytest.raises(ValueError, match="same shape"):
        mean_squared_error([1.0, 2.0], [1.0])


def test_train_validation_split_partitions_and_is_seeded():
    tr, va = train_validation_split(30, val_fraction=1 / 3, seed=0)
    assert len(va) == 10 and len(tr) == 20
    assert sorted(np.concatenate([tr, va]).tolist()) == list(range(30))
    tr2, va2 = train_validation_split(30, val_fraction=1 / 3, seed=0)
    np.testing.assert_array_equal(va, va2)
    _, va3 = train_validation_split(30, val_fraction=1 / 3, seed=1)
    assert not np.array_equal(va, va3)


def test_split_keeps_one_point_on_each_side():
    tr, va = train_validation_split(2, val_fraction=0.01)
    assert len(tr) == 1 and len(va) == 1


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 1}, "n must be >= 2"),
    ({"n": 10, "val_fraction": 0.0}, "val_fraction must be > 0"),
    ({"n": 10, "val_fraction": 1.0}, "val_fraction must be < 1"),
])
def test_split_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_validation_split(**kwargs)


def test_k_fold_validates_every_index_once():
    splits = k_fold_splits(23, 5, seed=2)
    assert len(splits) == 5
    val = np.concatenate([va for _, va in splits])
    assert sorted(val.tolist()) == list(range(23))
    for tr, va in splits:
        assert set(tr).isdisjoint(va) and len(tr) + len(va) == 23
        assert len(va) in (4, 5)


def test_k_fold_rejects_more_folds_than_points():
    with pytest.raises(ValueError, match="k must be <= 3"):
        k_fold_splits(3, 4)


def _mean_model(X, y, shift):
    centre = y.mean() + shift
    return lambda X_new: np.full(len(X_new), centre)


def test_validation_curve_matches_hand_computed_errors():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    X = np.arange(4.0)
    splits = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    curve = validation_curve(_mean_model, X, y, params=[0.0, 1.0], splits=splits)
    # Split 1: train mean 0.5; shift 0 -> train MSE 0.25, val MSE ((1.5)^2 + (2.5)^2)/2 = 4.25.
    assert curve.train_errors[0, 0] == pytest.approx(0.25)
    assert curve.val_errors[0, 0] == pytest.approx(4.25)
    # Split 2 with shift 1: centre 3.5 -> val MSE ((3.5)^2 + (2.5)^2)/2 = 9.25.
    assert curve.val_errors[1, 1] == pytest.approx(9.25)
    np.testing.assert_allclose(curve.mean_val, curve.val_errors.mean(axis=0))


def test_one_standard_error_rule_picks_the_simplest_model_within_one_se():
    val = np.array([[1.0, 0.50, 0.40, 0.45], [1.2, 0.56, 0.40, 0.47], [1.1, 0.53, 0.46, 0.49]])
    curve = ValidationCurve(params=np.array([1, 2, 3, 4]), train_errors=np.zeros_like(val), val_errors=val)
    assert curve.best_index == 2
    se = val[:, 2].std(ddof=1) / np.sqrt(3)
    threshold = val[:, 2].mean() + se
    within = [j for j in range(4) if val[:, j].mean() <= threshold]
    assert curve.one_standard_error_index(simpler="low") == min(within)
    assert curve.one_standard_error_index(simpler="high") == max(within)
    with pytest.raises(ValueError, match="simpler must be"):
        curve.one_standard_error_index(simpler="small")


def test_validation_curve_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match="same number of rows"):
        validation_curve(_mean_model, np.zeros(3), np.zeros(4), [0.0], [(np.array([0]), np.array([1]))])
    with pytest.raises(ValueError, match="params must not be empty"):
        validation_curve(_mean_model, np.zeros(3), np.zeros(3), [], [(np.array([0]), np.array([1]))])


def test_path_validation_curve_equals_one_fit_per_lambda_and_fold():
    from sklearn.linear_model import ElasticNet

    from lecture_code.data import make_regression
    from lecture_code.model_selection import path_validation_curve

    d = make_regression(60, 8, n_informative=3, rho=0.4, seed=3)
    splits = k_fold_splits(60, 3, seed=1)
    lambdas = [0.02, 0.3, 0.1]
    curve = path_validation_curve(d.X, d.y, lambdas, splits, alpha=0.5, tol=1e-12)
    np.testing.assert_array_equal(curve.params, [0.3, 0.1, 0.02])
    for i, (tr, va) in enumerate(splits):
        for j, lam in enumerate(curve.params):
            model = ElasticNet(alpha=lam, l1_ratio=0.5, tol=1e-12, max_iter=100_000).fit(d.X[tr], d.y[tr])
            assert curve.val_errors[i, j] == pytest.approx(mean_squared_error(d.y[va], model.predict(d.X[va])),
                                                           rel=1e-6)
            assert curve.train_errors[i, j] == pytest.approx(mean_squared_error(d.y[tr], model.predict(d.X[tr])),
                                                             rel=1e-6)


def test_path_validation_curve_rejects_bad_input():
    from lecture_code.model_selection import path_validation_curve

    with pytest.raises(ValueError, match="same number of rows"):
        path_validation_curve(np.ones((4, 2)), np.ones(3), [0.1], [(np.array([0]), np.array([1]))])
    with pytest.raises(ValueError, match="splits must not be empty"):
        path_validation_curve(np.ones((4, 2)), np.ones(4), [0.1], [])


def test_mse_with_standard_error_by_hand():
    # squared errors 0, 4, 1, 9: mean 3.5, sample variance (3.5^2 + 0.5^2 + 2.5^2 + 5.5^2) / 3 = 49/3, se sqrt(49/12)
    mse, se = mse_with_standard_error([1.0, 2.0, 3.0, 4.0], [1.0, 0.0, 2.0, 1.0])
    assert mse == pytest.approx(3.5) and se == pytest.approx(np.sqrt(49.0 / 12.0))
    assert mse == pytest.approx(mean_squared_error([1.0, 2.0, 3.0, 4.0], [1.0, 0.0, 2.0, 1.0]))


def test_mse_standard_error_covers_the_spread_over_fresh_samples():
    # A fixed model scored on many independent samples of m points: the spread of the MSEs is the standard error.
    rng = np.random.default_rng(0)
    m, reps = 10, 20_000
    y = rng.standard_normal((reps, m))
    mses = np.mean(y**2, axis=1)                                   # the model predicts 0; squared errors are chi^2_1
    ses = np.array([mse_with_standard_error(row, np.zeros(m))[1] for row in y[:2000]])
    assert mses.std() == pytest.approx(np.sqrt(2.0 / m), rel=0.03)  # Var(chi^2_1) = 2
    assert np.mean(ses**2) == pytest.approx(2.0 / m, rel=0.1)        # unbiased on average


def test_paired_difference_is_the_difference_and_cancels_shared_noise():
    rng = np.random.default_rng(1)
    y = rng.standard_normal(50)
    a, b = 0.1 * rng.standard_normal(50), 0.1 * rng.standard_normal(50)
    diff, se = paired_mse_difference(y, a, b)
    assert diff == pytest.approx(mean_squared_error(y, a) - mean_squared_error(y, b), abs=1e-14)
    delta = (y - a) ** 2 - (y - b) ** 2
    assert se == pytest.approx(delta.std(ddof=1) / np.sqrt(50))
    # the shared part (y^2) cancels: the paired se is far below either model's own se
    assert se < 0.5 * mse_with_standard_error(y, a)[1]
    assert paired_mse_difference(y, a, a) == (0.0, 0.0)


@pytest.mark.parametrize("func, args, match", [
    (mse_with_standard_error, ([1.0], [1.0]), "at least 2 points"),
    (mse_with_standard_error, ([1.0, 2.0], [1.0]), "same shape"),
    (paired_mse_difference, ([1.0, 2.0], [1.0, 2.0], [1.0]), "y_pred_b must have the same shape"),
])
def test_standard_error_helpers_reject_bad_arguments(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)
