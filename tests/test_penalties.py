"""Tests for lecture_code.penalties: values, (sub)gradients and proximal operators.

References are independent of the code under test: hand-computed values,
central finite differences, the defining optimality condition of a proximal
operator, and a brute-force minimisation on a fine grid.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lecture_code import penalties as P

# Reproducible and quick: a fixed, derandomised set of examples.
FAST = settings(max_examples=60, derandomize=True, deadline=None)

reals = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
thresholds = st.floats(0.0, 1e2, allow_nan=False, allow_infinity=False)
alphas = st.floats(0.0, 1.0)
vectors = arrays(np.float64, st.integers(1, 8), elements=reals)


def finite_difference(f, w, h=1e-6):
    w = np.asarray(w, dtype=float)
    grad = np.empty_like(w)
    for j in range(w.size):
        e = np.zeros_like(w)
        e[j] = h
        grad[j] = (f(w + e) - f(w - e)) / (2 * h)
    return grad


# ----------------------------------------------------------------- values


def test_values_by_hand():
    w = np.array([3.0, -4.0, 0.0])
    assert P.l1(w) == 7.0
    assert P.l2(w) == 12.5  # half of 9 + 16
    assert P.elastic_net(w, 0.25) == pytest.approx(0.25 * 7.0 + 0.75 * 12.5)
    assert P.elastic_net(w, 1.0) == 7.0
    assert P.elastic_net(w, 0.0) == 12.5
    assert P.l1(-2.5) == 2.5  # scalars are accepted


def test_smooth_gradients_match_finite_differences():
    w = np.array([0.7, -1.3, 2.0, -0.1])
    np.testing.assert_allclose(P.l2_gradient(w), finite_difference(P.l2, w), atol=1e-7)
    # Away from 0 the elastic net is differentiable, and its subgradient is the gradient.
    for alpha in (0.0, 0.3, 1.0):
        np.testing.assert_allclose(P.elastic_net_subgradient(w, alpha),
                                   finite_difference(lambda v: P.elastic_net(v, alpha), w), atol=1e-6)


def test_l1_subgradient_is_sign_with_zero_at_zero():
    np.testing.assert_array_equal(P.l1_subgradient([2.0, -0.5, 0.0]), [1.0, -1.0, 0.0])
    np.testing.assert_array_equal(P.elastic_net_subgradient([0.0, 2.0], 0.5), [0.0, 0.5 + 0.5 * 2.0])


def test_l1_subdifferential_is_the_interval_minus_one_one_at_zero():
    low, high = P.l1_subdifferential([2.0, -0.5, 0.0])
    np.testing.assert_array_equal(low, [1.0, -1.0, -1.0])
    np.testing.assert_array_equal(high, [1.0, -1.0, 1.0])


@FAST
@given(vectors)
def test_subgradient_inequality(w):
    """g in the subdifferential at w iff |v|_1 >= |w|_1 + g.(v - w) for all v; check the endpoints and random v."""
    rng = np.random.default_rng(0)
    low, high = P.l1_subdifferential(w)
    for g in (low, high, P.l1_subgradient(w)):
        for v in rng.normal(scale=10.0, size=(5, w.size)):
            assert np.abs(v).sum() >= np.abs(w).sum() + g @ (v - w) - 1e-9 * (1 + np.abs(v).sum())


# ----------------------------------------------------------- soft threshold


def test_soft_threshold_values_and_broadcasting():
    z = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(P.soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(P.soft_threshold(z, [0.0, 2.0, 1.0, 0.25, 3.0]), [-3.0, 0.0, 0.0, 0.25, 0.0])
    grid = np.array([[1.0, -2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(P.soft_threshold(grid, np.array([0.5, 1.0])), [[0.5, -1.0], [2.5, -3.0]])
    assert P.soft_threshold(5.0, 2.0) == 3.0


def test_soft_threshold_matches_brute_force_minimisation():
    """S(z, t) = argmin_x 1/2 (x - z)^2 + t|x|, here by exhaustive search on a fine grid."""
    xs = np.linspace(-6.0, 6.0, 120_001)
    for z, t in [(2.5, 1.0), (-0.7, 0.5), (0.3, 1.0), (-4.0, 0.0), (1.0, 1.0)]:
        best = xs[np.argmin(0.5 * (xs - z) ** 2 + t * np.abs(xs))]
        assert P.soft_threshold(z, t) == pytest.approx(best, abs=2e-4)


@FAST
@given(reals, thresholds)
def test_soft_threshold_optimality_condition(z, t):
    """x = prox(z) iff z - x is in t * d|x|: equal to t sign(x) if x != 0, within [-t, t] if x = 0."""
    x = P.soft_threshold(z, t)
    if x != 0:
        assert z - x == pytest.approx(t * np.sign(x), abs=1e-9 * (1 + abs(z)))
    else:
        assert abs(z) <= t


@FAST
@given(vectors, thresholds)
def test_soft_threshold_properties(z, t):
    out = P.soft_threshold(z, t)
    np.testing.assert_array_equal(P.soft_threshold(-z, t), -out)  # odd
    np.testing.assert_array_equal(out[np.abs(z) <= t], 0.0)  # dead zone
    np.testing.assert_array_equal(P.soft_threshold(z, 0.0), z)  # t = 0 is the identity
    assert np.all(np.abs(out) <= np.abs(z))  # shrinks


@FAST
@given(vectors, vectors, thresholds)
def test_soft_threshold_is_non_expansive(a, b, t):
    m = min(a.size, b.size)
    a, b = a[:m], b[:m]
    assert np.linalg.norm(P.soft_threshold(a, t) - P.soft_threshold(b, t)) <= np.linalg.norm(a - b) * (1 + 1e-12)


# ------------------------------------------------------- elastic-net prox


@FAST
@given(reals, thresholds, alphas)
def test_prox_elastic_net_optimality_condition(z, t, alpha):
    """x = prox(z) iff z - x is in t (alpha d|x| + (1 - alpha) x)."""
    x = P.prox_elastic_net(z, t, alpha)
    if x != 0:
        assert z - x == pytest.approx(t * (alpha * np.sign(x) + (1 - alpha) * x), rel=1e-9, abs=1e-9)
    else:
        assert abs(z) <= t * alpha * (1 + 1e-12)


@FAST
@given(vectors, thresholds, alphas)
def test_prox_elastic_net_properties(z, t, alpha):
    out = P.prox_elastic_net(z, t, alpha)
    np.testing.assert_array_equal(P.prox_elastic_net(-z, t, alpha), -out)
    np.testing.assert_array_equal(out[np.abs(z) <= t * alpha], 0.0)
    np.testing.assert_array_equal(P.prox_elastic_net(z, 0.0, alpha), z)
    # closed form, written out independently: S(z, t alpha) / (1 + t (1 - alpha))
    expected = np.sign(z) * np.maximum(np.abs(z) - t * alpha, 0) / (1 + t * (1 - alpha))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@FAST
@given(vectors, vectors, thresholds, alphas)
def test_prox_elastic_net_is_non_expansive(a, b, t, alpha):
    m = min(a.size, b.size)
    a, b = a[:m], b[:m]
    assert (np.linalg.norm(P.prox_elastic_net(a, t, alpha) - P.prox_elastic_net(b, t, alpha))
            <= np.linalg.norm(a - b) * (1 + 1e-12))


def test_prox_elastic_net_matches_brute_force_minimisation():
    xs = np.linspace(-6.0, 6.0, 120_001)
    for z, t, alpha in [(2.5, 1.0, 0.5), (-3.0, 2.0, 0.1), (0.2, 1.0, 0.9), (4.0, 1.5, 0.0)]:
        objective = 0.5 * (xs - z) ** 2 + t * (alpha * np.abs(xs) + 0.5 * (1 - alpha) * xs**2)
        assert P.prox_elastic_net(z, t, alpha) == pytest.approx(xs[np.argmin(objective)], abs=2e-4)


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, error, match", [
    (lambda: P.soft_threshold([1.0, 2.0], -0.1), ValueError, "t must be >= 0"),
    (lambda: P.soft_threshold([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "does not broadcast"),
    (lambda: P.soft_threshold([1.0, np.nan], 1.0), ValueError, "z must contain only finite"),
    (lambda: P.soft_threshold("abc", 1.0), TypeError, "z must be an array of real numbers"),
    (lambda: P.soft_threshold([], 1.0), ValueError, "z must not be empty"),
    (lambda: P.prox_elastic_net([1.0], 1.0, 1.5), ValueError, "alpha must be <= 1"),
    (lambda: P.prox_elastic_net([1.0], 1.0, -0.5), ValueError, "alpha must be >= 0"),
    (lambda: P.prox_elastic_net([1.0], np.inf, 0.5), ValueError, "t must contain only finite"),
    (lambda: P.elastic_net([1.0], 2.0), ValueError, "alpha"),
    (lambda: P.l1(np.ones((2, 2))), ValueError, "w must be 0-D or 1-D"),
    (lambda: P.l2(np.array(["a"], dtype=object)), TypeError, "w must be an array of real numbers"),
    (lambda: P.l1_subdifferential([np.inf]), ValueError, "w must contain only finite"),
])
def test_bad_input_raises_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_inputs_are_not_modified():
    z = np.array([3.0, -0.5, 1.0])
    t = np.array([1.0, 1.0, 2.0])
    z0, t0 = z.copy(), t.copy()
    for f in (lambda: P.soft_threshold(z, t), lambda: P.prox_elastic_net(z, t, 0.5), lambda: P.l2_gradient(z),
              lambda: P.l1_subgradient(z), lambda: P.l1_subdifferential(z), lambda: P.elastic_net_subgradient(z, 0.3)):
        f()
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(t, t0)
    # the gradient of l2 is a new array, not a view the caller could mutate
    assert not np.shares_memory(P.l2_gradient(z), z)
