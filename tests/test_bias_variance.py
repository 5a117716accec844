"""The Monte-Carlo bias-variance decomposition against cases with a closed form."""

import numpy as np
import pytest

from lecture_code.bias_variance import BiasVariance, bias_variance, decompose
from lecture_code.data import make_curve_data, true_curve
from lecture_code.polynomial import fit_polynomial


def _noise_sets(n_sets, x, f, sigma, seed):
    """Training sets with a fixed design x and targets f(x) + sigma * N(0, 1)."""
    rng = np.random.default_rng(seed)
    return [(x, f(x) + sigma * rng.standard_normal(x.shape[0])) for _ in range(n_sets)]


def _mean_model(x, y):
    level = float(np.mean(y))
    return lambda x_new: np.full(np.shape(x_new)[0], level)


def test_constant_model_fitted_to_noise_has_the_textbook_decomposition():
    # y = c + eps, the model predicts the sample mean: bias 0, variance sigma^2/n, test error sigma^2 (1 + 1/n).
    n, sigma, c, S = 10, 0.5, 1.5, 4000
    x = np.linspace(0, 1, n)
    sets = _noise_sets(S, x, lambda t: np.full_like(t, c), sigma, seed=1)
    x_test = np.linspace(0, 1, 7)
    res = bias_variance(_mean_model, sets, x_test, np.full(7, c), noise=sigma, seed=2)
    var_exact = sigma**2 / n
    # Relative Monte-Carlo error of a variance estimate from S draws is about sqrt(2/S) ~ 2.2 %.
    assert res.variance == pytest.approx(var_exact, rel=4 * np.sqrt(2 / S))
    # The bias^2 estimate is (mean of S sample means - c)^2, of expectation var_exact / S.
    assert res.bias2 < 10 * var_exact / S
    assert res.noise == pytest.approx(sigma**2)
    assert res.test_mse == pytest.approx(sigma**2 * (1 + 1 / n), abs=4 * res.test_mse_se)
    assert res.total == pytest.approx(sigma**2 * (1 + 1 / n), rel=0.01)


def test_ols_variance_equals_sigma2_times_the_leverage_of_the_test_points():
    # Fixed design X (n x p), true f linear: OLS is unbiased and Var f_hat(x_t) = sigma^2 x_t^T (X^T X)^{-1} x_t.
    rng = np.random.default_rng(3)
    n, p, sigma, S = 15, 3, 0.7, 3000
    X = rng.standard_normal((n, p))
    w_true = np.array([1.0, -2.0, 0.5])
    X_test = rng.standard_normal((9, p))
    sets = _noise_sets(S, X, lambda A: A @ w_true, sigma, seed=4)

    def ols(X_train, y_train):
        w = np.linalg.lstsq(X_train, y_train, rcond=None)[0]
        return lambda X_new: X_new @ w

    res = bias_variance(ols, sets, X_test, X_test @ w_true, noise=sigma, seed=5)
    leverage = np.einsum("ij,jk,ik->i", X_test, np.linalg.inv(X.T @ X), X_test)
    np.testing.assert_allclose(res.pointwise_variance, sigma**2 * leverage, rtol=5 * np.sqrt(2 / S))
    assert res.variance == pytest.approx(sigma**2 * np.trace(X_test @ np.linalg.inv(X.T @ X) @ X_test.T) / 9,
                                         rel=4 * np.sqrt(2 / S))
    assert res.bias2 < 0.01 * res.variance


def test_ridge_bias_and_variance_match_the_linear_smoother_formulas():
    # Ridge without intercept on a fixed design is a linear smoother f_hat = H y with H = X_t (X^T X + n lam I)^{-1} X^T:
    # mean prediction H f(x), variance sigma^2 * (row norms of H)^2.
    rng = np.random.default_rng(6)
    n, p, sigma, lam, S = 20, 4, 0.5, 0.3, 3000
    X = rng.standard_normal((n, p))
    w_true = np.array([2.0, -1.0, 0.0, 3.0])
    X_test = rng.standard_normal((12, p))
    f_train, f_test = X @ w_true, X_test @ w_true
    sets = _noise_sets(S, X, lambda A: A @ w_true, sigma, seed=7)

    def ridge(X_train, y_train):
        w = np.linalg.solve(X_train.T @ X_train + n * lam * np.eye(p), X_train.T @ y_train)
        return lambda X_new: X_new @ w

    res = bias_variance(ridge, sets, X_test, f_test, noise=sigma, seed=8)
    H = X_test @ np.linalg.solve(X.T @ X + n * lam * np.eye(p), X.T)
    bias2_exact = np.mean((H @ f_train - f_test) ** 2)
    var_exact = sigma**2 * np.mean(np.sum(H**2, axis=1))
    assert res.variance == pytest.approx(var_exact, rel=4 * np.sqrt(2 / S))
    # The estimated mean prediction is off by about sqrt(var / S).
    np.testing.assert_allclose(res.mean_prediction, H @ f_train, atol=5 * np.sqrt(var_exact * 3 / S))
    assert res.bias2 == pytest.approx(bias2_exact, rel=0.05)
    assert bias2_exact > 0.1  # the case really has bias


def test_noise_free_misspecified_model_has_exact_bias_and_no_variance():
    # A constant fitted to a noise-free line on a fixed design predicts mean(f(x_train)) every time.
    x = np.linspace(0, 1, 11)
    sets = [(x, 2 * x + 1)] * 5
    x_test = np.array([0.0, 0.25, 1.0])
    res = bias_variance(_mean_model, sets, x_test, 2 * x_test + 1, noise=0.0)
    assert res.variance == 0.0
    assert res.bias2 == pytest.approx(np.mean((2.0 - (2 * x_test + 1)) ** 2), abs=1e-14)
    assert res.test_mse == pytest.approx(res.bias2, abs=1e-14) and res.noise == 0.0


def test_decompose_identity_is_exact_on_the_sample():
    rng = np.random.default_rng(9)
    predictions = rng.standard_normal((50, 8)) * 3 + 1
    f_test = rng.standard_normal(8)
    res = decompose(predictions, f_test, noise=0.0)
    assert res.bias2 + res.variance == pytest.approx(np.mean((predictions - f_test) ** 2), rel=1e-12)
    np.testing.assert_allclose(res.pointwise_variance, predictions.var(axis=0), rtol=1e-12)
    assert np.isnan(res.test_mse) and np.isnan(res.test_mse_se) and np.isnan(res.identity_se) and res.n_sets == 50


def test_decompose_standard_error_is_the_spread_of_per_set_errors():
    predictions = np.zeros((4, 2))
    y_test = np.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0], [1.0, 3.0]])
    res = decompose(predictions, np.zeros(2), noise=1.0, y_test=y_test)
    per_set = np.array([1.0, 4.0, 0.0, 5.0])
    assert res.test_mse == pytest.approx(2.5)
    assert res.test_mse_se == pytest.approx(np.std(per_set, ddof=1) / 2)
    # the difference test_mse - total is the mean of (y - f_hat)^2 - (f - f_hat)^2 - sigma^2 over all 8 entries
    terms = y_test**2 - 1.0
    assert res.test_mse - res.total == pytest.approx(terms.mean())
    assert res.identity_se == pytest.approx(np.std(terms, ddof=1) / np.sqrt(8))


def test_identity_standard_error_has_its_closed_form_and_is_calibrated():
    # Given the fits, e = sigma^2 (eps^2 - 1) + 2 sigma eps (f - f_hat) has variance 2 sigma^4 + 4 sigma^2 (f - f_hat)^2
    # for Gaussian eps; and (test_mse - total) / identity_se is then close to N(0, 1) over repeated test draws.
    rng = np.random.default_rng(11)
    S, m, sigma = 60, 40, 0.5
    predictions = rng.normal(size=(S, m))
    f_test = rng.normal(size=m)
    exact_se = np.sqrt((2 * sigma**4 + 4 * sigma**2 * np.mean((f_test - predictions) ** 2)) / (S * m))
    z = []
    for _ in range(400):
        y_test = f_test + sigma * rng.standard_normal((S, m))
        res = decompose(predictions, f_test, noise=sigma, y_test=y_test)
        assert res.identity_se == pytest.approx(exact_se, rel=0.1)
        z.append((res.test_mse - res.total) / res.identity_se)
    z = np.array(z)
    # 400 draws: the mean of z has standard error 0.05, the standard deviation about 0.035
    assert abs(z.mean()) < 0.2 and 0.85 < z.std() < 1.15
    # ... and it is far smaller than the standard error of the measured test error itself
    assert res.identity_se < 0.5 * res.test_mse_se


def test_identity_standard_error_without_noise_or_targets():
    predictions = np.arange(6.0).reshape(3, 2)
    f_test = np.array([1.0, 2.0])
    exact = decompose(predictions, f_test, noise=0.0, y_test=np.tile(f_test, (3, 1)))
    assert exact.identity_se == 0.0 and exact.test_mse == pytest.approx(exact.total)
    assert np.isnan(decompose(predictions, f_test, noise=0.1).identity_se)


def test_polynomial_decomposition_sums_to_the_measured_test_error():
    sets = [make_curve_data(25, noise=0.3, seed=s) for s in range(300)]
    grid = np.linspace(0, 1, 40)
    for degree in (1, 5):
        res = bias_variance(lambda x, y: fit_polynomial(x, y, degree).predict, sets, grid, true_curve(grid),
                            noise=0.3, seed=10)
        assert isinstance(res, BiasVariance)
        assert abs(res.total - res.test_mse) < 4 * res.test_mse_se
        assert abs(res.total - res.test_mse) < 4 * res.identity_se
        if degree == 5:   # a flexible model: the spread of the fits dominates test_mse_se, not the test noise
            assert res.identity_se < 0.1 * res.test_mse_se
    # A straight line cannot follow a sine: at degree 1 bias dominates variance.
    line = bias_variance(lambda x, y: fit_polynomial(x, y, 1).predict, sets, grid, true_curve(grid), noise=0.3)
    assert line.bias2 > 5 * line.variance


@pytest.mark.parametrize("kwargs, error, match", [
    ({"fit": 3}, TypeError, "fit must be callable"),
    ({"training_sets": []}, ValueError, "training_sets must be a non-empty"),
    ({"f_test": np.zeros(4)}, ValueError, "f_test must have one value per test input"),
    ({"noise": -1.0}, ValueError, "noise must be >= 0"),
    ({"fit": lambda x, y: 1.0}, TypeError, "fit must return a callable predictor"),
    ({"fit": lambda x, y: (lambda t: np.zeros(2))}, ValueError, "the predictor must return shape"),
    ({"x_test": "abc"}, TypeError, "x_test must be an array"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
])
def test_bias_variance_rejects_bad_arguments(kwargs, error, match):
    args = {"fit": _mean_model, "training_sets": [(np.arange(3.0), np.ones(3))], "x_test": np.zeros(3),
            "f_test": np.zeros(3), "noise": 0.1} | kwargs
    with pytest.raises(error, match=match):
        bias_variance(args.pop("fit"), args.pop("training_sets"), args.pop("x_test"), args.pop("f_test"), **args)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"predictions": np.zeros(3)}, ValueError, "predictions must be 2-D"),
    ({"f_test": np.zeros(2)}, ValueError, r"f_test must have shape \(3,\)"),
    ({"y_test": np.zeros((1, 3))}, ValueError, "y_test must have the shape of predictions"),
    ({"noise": "a"}, TypeError, "noise must be a real number"),
    ({"predictions": np.full((2, 3), np.nan)}, ValueError, "predictions must contain only finite values"),
])
def test_decompose_rejects_bad_arguments(kwargs, error, match):
    args = {"predictions": np.zeros((2, 3)), "f_test": np.zeros(3), "noise": 0.1} | kwargs
    with pytest.raises(error, match=match):
        decompose(args.pop("predictions"), args.pop("f_test"), **args)


def test_the_predictions_are_kept_row_by_training_set():
    sets = [(np.arange(3.0), np.full(3, float(s))) for s in range(4)]
    res = bias_variance(_mean_model, sets, np.zeros(2), np.zeros(2), noise=0.0)
    np.testing.assert_array_equal(res.predictions, np.repeat(np.arange(4.0)[:, None], 2, axis=1))
    assert res.n_sets == 4 and res.mean_prediction.tolist() == [1.5, 1.5]
