"""SVD view of ridge: shrinkage factors, effective degrees of freedom, conditioning.

References are computed independently: the ridge hat matrix built by solving
the normal equations, numpy.linalg.cond of the system matrix, scikit-learn's
Ridge fitted values, and the eigenvalues of the Gram matrix.
"""

import numpy as np
import pytest

from lecture_code.shrinkage import (effective_degrees_of_freedom, normal_equations_error, ridge_condition_number,
                                    shrinkage_factors, singular_values)


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 6)) @ np.diag([3.0, 2.0, 1.0, 0.5, 0.2, 0.1]) + 4.0
    y = X @ rng.standard_normal(6) + rng.standard_normal(30)
    return X, y


def _hat_matrix(X, lam, centre=True):
    Xc = X - X.mean(0) if centre else X
    n, p = Xc.shape
    return Xc @ np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T)


@pytest.mark.parametrize("lam", [1e-4, 0.01, 0.3, 5.0])
@pytest.mark.parametrize("centre", [True, False])
def test_df_is_the_trace_of_the_ridge_hat_matrix(design, lam, centre):
    X, _ = design
    assert effective_degrees_of_freedom(X, lam, fit_intercept=centre) == pytest.approx(
        np.trace(_hat_matrix(X, lam, centre)), rel=1e-10)


def test_df_limits_are_p_at_zero_and_zero_at_infinity(design):
    X, _ = design
    assert effective_degrees_of_freedom(X, 0.0) == pytest.approx(X.shape[1], abs=1e-12)
    assert effective_degrees_of_freedom(X, 1e12) < 1e-8
    df = effective_degrees_of_freedom(X, np.geomspace(1e-6, 1e4, 50))
    assert df.shape == (50,) and np.all(np.diff(df) < 0)


def test_df_at_zero_is_the_rank_when_p_exceeds_n():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 20))
    # Centring removes one dimension: rank(X_c) = n - 1 = 7.
    assert effective_degrees_of_freedom(X, 0.0) == pytest.approx(7.0, abs=1e-12)
    assert effective_degrees_of_freedom(X, 0.0, fit_intercept=False) == pytest.approx(8.0, abs=1e-12)
    assert effective_degrees_of_freedom(X, 0.1) == pytest.approx(np.trace(_hat_matrix(X, 0.1)), rel=1e-10)


def test_hat_matrix_trace_with_intercept_matches_scikit_learn_ridge(design):
    # scikit-learn's Ridge(alpha = n λ) with an intercept: its fitted values are (1/n 11ᵀ + H_λ) y,
    # so the full smoother has trace 1 + df(λ). Recover that smoother column by column.
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, _ = design
    n, lam = X.shape[0], 0.05
    smoother = np.column_stack([sklearn.Ridge(alpha=n * lam).fit(X, e).predict(X) for e in np.eye(n)])
    assert np.trace(smoother) == pytest.approx(1.0 + effective_degrees_of_freedom(X, lam), rel=1e-8)


def test_shrinkage_factors_reproduce_the_ridge_fit(design):
    X, y = design
    n, lam = X.shape[0], 0.2
    Xc, yc = X - X.mean(0), y - y.mean()
    U, d, _ = np.linalg.svd(Xc, full_matrices=False)
    fitted_svd = U @ (shrinkage_factors(X, lam) * (U.T @ yc))
    np.testing.assert_allclose(fitted_svd, _hat_matrix(X, lam) @ yc, atol=1e-10)
    np.testing.assert_allclose(d, singular_values(X))


def test_shrinkage_factors_are_in_the_unit_interval_and_ordered(design):
    X, _ = design
    factors = shrinkage_factors(X, np.array([0.0, 0.01, 1.0]))
    assert factors.shape == (3, X.shape[1])
    np.testing.assert_allclose(factors[0], 1.0)
    assert np.all((factors[1:] > 0) & (factors[1:] < 1))
    # Directions of small spread (small d_j) are shrunk most.
    assert np.all(np.diff(factors[1:], axis=1) < 0)


def test_singular_values_match_the_gram_eigenvalues(design):
    X, _ = design
    Xc = X - X.mean(0)
    eig = np.sort(np.linalg.eigvalsh(Xc.T @ Xc))[::-1]
    np.testing.assert_allclose(singular_values(X) ** 2, eig, rtol=1e-10)
    np.testing.assert_allclose(singular_values(X, fit_intercept=False), np.linalg.svd(X, compute_uv=False))


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.1, 10.0])
def test_condition_number_matches_numpy_cond(design, lam):
    X, _ = design
    Xc = X - X.mean(0)
    n, p = Xc.shape
    expected = np.linalg.cond(Xc.T @ Xc + n * lam * np.eye(p))
    assert ridge_condition_number(X, lam) == pytest.approx(expected, rel=1e-8)


def test_condition_number_at_zero_is_the_square_of_cond_x(design):
    X, _ = design
    Xc = X - X.mean(0)
    assert ridge_condition_number(X, 0.0) == pytest.approx(np.linalg.cond(Xc) ** 2, rel=1e-10)


def test_condition_number_decreases_to_one(design):
    X, _ = design
    kappa = ridge_condition_number(X, np.geomspace(1e-6, 1e6, 30))
    assert np.all(np.diff(kappa) < 0) and kappa[-1] == pytest.approx(1.0, abs=1e-5)


def test_condition_number_is_infinite_for_a_singular_gram_matrix():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 9))
    assert ridge_condition_number(X, 0.0) == np.inf
    n = X.shape[0]
    Xc = X - X.mean(0)
    assert ridge_condition_number(X, 0.5) == pytest.approx(np.linalg.cond(Xc.T @ Xc + n * 0.5 * np.eye(9)),
                                                          rel=1e-8)


def test_a_constant_design_is_handled():
    X = np.ones((4, 2))
    assert effective_degrees_of_freedom(X, 0.0) == 0.0
    assert ridge_condition_number(X, 1.0) == 1.0
    np.testing.assert_array_equal(shrinkage_factors(X, 0.0), [0.0, 0.0])


def test_scalar_and_array_return_types(design):
    X, _ = design
    assert isinstance(effective_degrees_of_freedom(X, 0.1), float)
    assert isinstance(ridge_condition_number(X, 0.1), float)
    assert effective_degrees_of_freedom(X, [0.1, 1.0]).shape == (2,)
    assert shrinkage_factors(X, 0.1).shape == (6,)


@pytest.mark.parametrize("func", [effective_degrees_of_freedom, ridge_condition_number, shrinkage_factors])
def test_bad_arguments_raise_naming_the_argument(design, func):
    X, _ = design
    with pytest.raises(ValueError, match="lam must be >= 0"):
        func(X, -0.1)
    with pytest.raises(ValueError, match="lam must be"):
        func(X, np.ones((2, 2)))
    with pytest.raises(ValueError, match="X must be 2-D"):
        func(X[:, 0], 0.1)
    with pytest.raises(TypeError, match="fit_intercept"):
        func(X, 0.1, fit_intercept="yes")
    with pytest.raises(TypeError, match="lam"):
        func(X, "0.1")
    with pytest.raises(ValueError, match="lam must contain only finite"):
        func(X, np.inf)


def _degree15_design(seed):
    """Standardised powers x, ..., x^15 of 20 points uniform on [0, 1]: kappa(X_c^T X_c) around 1e24."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 1.0, 20))
    raw = x[:, None] ** np.arange(1, 16)
    return (raw - raw.mean(0)) / raw.std(0), np.sin(2 * np.pi * x) + 0.25 * rng.standard_normal(20)


@pytest.mark.parametrize("lam", [1e-3, 0.1])
def test_normal_equations_error_matches_a_hand_computation(design, lam):
    X, y = design
    Xc, yc = X - X.mean(0), y - y.mean()
    n, p = Xc.shape
    w_normal = np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T @ yc)
    w_ref = np.linalg.lstsq(np.vstack([Xc, np.sqrt(n * lam) * np.eye(p)]), np.concatenate([yc, np.zeros(p)]),
                            rcond=None)[0]                       # ridge as an augmented least-squares problem
    expected = np.abs(w_normal - w_ref).max() / np.abs(w_ref).max()
    assert normal_equations_error(X, y, lam) == pytest.approx(expected, rel=0.5, abs=1e-14)
    assert normal_equations_error(X, y, lam) < 1e-12               # well conditioned: nothing is lost


def test_normal_equations_error_returns_inf_instead_of_raising(design, monkeypatch):
    # Some BLAS kernels meet an exactly zero pivot in a matrix singular in floating point, others do not:
    # the function must give the same kind of answer on every machine.
    X, y = design

    def singular(*args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(np.linalg, "solve", singular)
    assert normal_equations_error(X, y, 0.0) == np.inf


def test_normal_equations_error_on_an_exactly_singular_gram_matrix():
    X = np.array([[1.0, 2.0, 2.0], [2.0, 1.0, 1.0], [0.0, 3.0, 3.0], [4.0, 1.0, 1.0]])   # two equal columns
    y = np.array([1.0, 0.0, 2.0, 1.0])
    assert normal_equations_error(X, y, 0.0) == np.inf or normal_equations_error(X, y, 0.0) > 1e-3
    assert normal_equations_error(X, y, 0.1) < 1e-12


@pytest.mark.parametrize("seed", range(40))
def test_normal_equations_on_the_degree15_design_never_raise_and_lose_every_digit_at_lambda_0(seed):
    Z, y = _degree15_design(seed)
    assert ridge_condition_number(Z, 0.0) > 1e20
    err0 = normal_equations_error(Z, y, 0.0)
    assert err0 == np.inf or err0 > 0.1                            # no correct digit, or LU refuses
    for lam in (1e-6, 1e-3):                                       # the penalty restores the digits: err <~ kappa eps
        kappa = ridge_condition_number(Z, lam)
        assert normal_equations_error(Z, y, lam) < 100 * kappa * np.finfo(float).eps


def test_normal_equations_error_validates_its_arguments(design):
    X, y = design
    with pytest.raises(ValueError, match="lam must be a single number"):
        normal_equations_error(X, y, [0.1, 1.0])
    with pytest.raises(ValueError, match="lam must be >= 0"):
        normal_equations_error(X, y, -1.0)
    with pytest.raises(ValueError, match="same number of rows"):
        normal_equations_error(X, y[:-1], 0.1)
    with pytest.raises(TypeError, match="fit_intercept"):
        normal_equations_error(X, y, 0.1, fit_intercept=1)
