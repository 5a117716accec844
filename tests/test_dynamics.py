"""One-weight update rules against closed forms and scalar reference formulas."""

import math

import numpy as np
import pytest

from lecture_code.dynamics import l1_step, l2_step, prox_l1_step, trajectory


def soft_threshold_reference(z: float, t: float) -> float:
    """Soft thresholding written out case by case, independently of lecture_code."""
    if z > t:
        return z - t
    if z < -t:
        return z + t
    return 0.0


# --- L2: geometric decay --------------------------------------------------------------------------------------


def test_l2_trajectory_is_exactly_geometric_with_dyadic_numbers():
    # eta * lam = 1/4: every product is exact in binary floating point.
    path = trajectory(l2_step, 3.0, 30, lr=0.5, lam=0.5)
    assert np.array_equal(path, 3.0 * 0.75 ** np.arange(31))


@pytest.mark.parametrize("w0, lr, lam", [(1.0, 0.1, 0.45), (-2.5, 0.03, 1.7), (0.2, 1.0, 0.6)])
def test_l2_trajectory_is_geometric_and_never_zero(w0, lr, lam):
    k = np.arange(201)
    path = trajectory(l2_step, w0, 200, lr=lr, lam=lam)
    np.testing.assert_allclose(path, (1 - lr * lam) ** k * w0, rtol=1e-12, atol=0)
    assert np.all(path != 0) and np.all(np.sign(path) == np.sign(w0))


def test_l2_step_with_a_data_gradient_converges_to_the_ridge_solution():
    # L(w) = a/2 (w - c)^2, so gradient descent on L + lam/2 w^2 satisfies
    # w_k - w* = (1 - eta (a + lam))^k (w0 - w*) with w* = a c / (a + lam).
    a, c, lam, lr, w0 = 2.0, 1.5, 0.5, 0.1, -1.0
    w_star = a * c / (a + lam)
    path = trajectory(l2_step, w0, 60, lr=lr, lam=lam, grad=lambda w: a * (w - c))
    expected = w_star + (1 - lr * (a + lam)) ** np.arange(61) * (w0 - w_star)
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-14)


# --- L1 subgradient: constant steps, then oscillation ---------------------------------------------------------


@pytest.mark.parametrize("w0, lr, lam", [(1.0, 0.1, 0.3), (-0.77, 0.05, 0.9), (5.0, 0.5, 0.33)])
def test_l1_magnitude_falls_by_exactly_eta_lambda_until_below_it_then_oscillates(w0, lr, lam):
    step = lr * lam
    first_inside = math.floor(abs(w0) / step)   # |w0| - K step < step  <=>  K > |w0|/step - 1
    assert abs(w0) / step != first_inside        # the exact-multiple case is tested separately
    path = trajectory(l1_step, w0, first_inside + 20, lr=lr, lam=lam)
    mags = np.abs(path)
    # Before the band: |w_k| = |w0| - k * eta * lam, all of the same sign as w0, and |w_k| >= eta * lam.
    k = np.arange(first_inside + 1)
    np.testing.assert_allclose(mags[: first_inside + 1], abs(w0) - k * step, atol=1e-12)
    assert np.all(mags[:first_inside] >= step)
    assert np.all(np.sign(path[: first_inside + 1]) == np.sign(w0))
    # Inside the band: never zero, alternating sign, period 2, amplitude at most eta * lam.
    tail = path[first_inside:]
    assert np.all(np.abs(tail) < step) and np.all(tail != 0)
    assert np.all(np.sign(tail[1:]) == -np.sign(tail[:-1]))
    np.testing.assert_allclose(tail[2:], tail[:-2], atol=1e-12)
    np.testing.assert_allclose(np.abs(np.diff(tail)), step, rtol=1e-12)


def test_l1_lands_on_zero_only_from_an_exact_multiple_of_the_step():
    # eta * lam = 1/16 and w0 = 1: exact in binary, so w_16 = 0 and sign(0) = 0 keeps it there.
    path = trajectory(l1_step, 1.0, 20, lr=0.125, lam=0.5)
    assert np.array_equal(path[:17], 1.0 - np.arange(17) / 16)
    assert np.all(path[16:] == 0.0)


def test_l1_step_with_a_gradient_matches_the_scalar_formula():
    rng = np.random.default_rng(0)
    w, g = rng.normal(size=7), rng.normal(size=7)
    w[2] = 0.0
    lr, lam = 0.3, 0.8
    sign = [1.0 if v > 0 else -1.0 if v < 0 else 0.0 for v in w]
    expected = [wi - lr * (gi + lam * si) for wi, gi, si in zip(w, g, sign)]
    np.testing.assert_allclose(l1_step(w, lr, lam, grad=g), expected, rtol=1e-15)


# --- L1 proximal: exact zeros ---------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0.0, 0.05, 0.3, 1.0])
def test_prox_step_equals_the_scalar_soft_threshold(t):
    z = np.linspace(-2, 2, 401)
    lr = 0.5
    got = prox_l1_step(z, lr, t / lr)
    expected = [soft_threshold_reference(v, t) for v in z]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_prox_step_with_a_gradient_thresholds_the_gradient_step():
    rng = np.random.default_rng(1)
    w, g = rng.normal(size=9), rng.normal(size=9)
    lr, lam = 0.4, 0.7
    expected = [soft_threshold_reference(wi - lr * gi, lr * lam) for wi, gi in zip(w, g)]
    np.testing.assert_allclose(prox_l1_step(w, lr, lam, grad=g), expected, atol=1e-15)


def test_prox_trajectory_lands_on_exactly_zero_and_stays():
    w0, lr, lam = 1.0, 0.1, 0.3
    path = trajectory(prox_l1_step, w0, 60, lr=lr, lam=lam)
    first_zero = math.ceil(w0 / (lr * lam))           # = 34
    assert np.all(path[:first_zero] > 0)
    assert np.all(path[first_zero:] == 0.0)
    # While it is outside the dead zone it moves exactly like the subgradient step.
    sub = trajectory(l1_step, w0, first_zero - 1, lr=lr, lam=lam)
    np.testing.assert_allclose(path[:first_zero], sub, atol=1e-12)


@pytest.mark.parametrize("c, expected", [(0.4, 0.0), (-0.3, 0.0), (1.5, 1.0), (-2.0, -1.5)])
def test_proximal_gradient_solves_the_one_dimensional_lasso(c, expected):
    # min_w 1/2 (w - c)^2 + lam |w| has the solution S(c, lam); with eta = 1 one step reaches it.
    lam = 0.5
    assert soft_threshold_reference(c, lam) == expected
    path = trajectory(prox_l1_step, 3.0, 5, lr=1.0, lam=lam, grad=lambda w: w - c)
    assert np.all(path[1:] == expected)
    # The subgradient method with the same data never settles on an exact 0.
    sub = trajectory(l1_step, 3.0, 200, lr=0.07, lam=lam, grad=lambda w: w - c)
    if expected == 0.0:
        assert np.all(sub != 0) and np.abs(sub[-20:]).max() < 0.07 * (abs(c) + lam) + 1e-12


# --- Shapes and input validation ------------------------------------------------------------------------------


def test_scalar_in_scalar_out_and_vectors_elementwise():
    assert np.ndim(l1_step(0.5, 0.1, 1.0)) == 0 and np.ndim(prox_l1_step(0.5, 0.1, 1.0)) == 0
    w0 = np.array([1.0, -0.5, 0.0])
    path = trajectory(prox_l1_step, w0, 10, lr=0.1, lam=1.0)
    assert path.shape == (11, 3)
    for j in range(3):
        np.testing.assert_array_equal(path[:, j], trajectory(prox_l1_step, w0[j], 10, lr=0.1, lam=1.0))


def test_inputs_are_not_modified():
    w = np.array([1.0, -2.0])
    for rule in (l1_step, l2_step, prox_l1_step):
        rule(w, 0.1, 1.0)
    trajectory(l1_step, w, 5, lr=0.1, lam=1.0)
    assert np.array_equal(w, [1.0, -2.0])


@pytest.mark.parametrize("rule", [l1_step, l2_step, prox_l1_step])
@pytest.mark.parametrize("args, error, match", [
    (("a", 0.1, 1.0), TypeError, "w must be an array of real numbers"),
    (([[1.0]], 0.1, 1.0), ValueError, "w must be 0-D or 1-D"),
    ((1.0, 0.0, 1.0), ValueError, "lr must be > 0"),
    ((1.0, 0.1, -1.0), ValueError, "lam must be >= 0"),
    ((1.0, "x", 1.0), TypeError, "lr must be a real number"),
    (([1.0, 2.0], 0.1, 1.0, [1.0, 2.0, 3.0]), ValueError, "grad must be a scalar or have the shape of w"),
    ((np.nan, 0.1, 1.0), ValueError, "w must contain only finite values"),
])
def test_step_rules_reject_bad_arguments(rule, args, error, match):
    with pytest.raises(error, match=match):
        rule(*args)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"update": None}, TypeError, "update must be callable"),
    ({"n_steps": -1}, ValueError, "n_steps must be >= 0"),
    ({"n_steps": 2.5}, TypeError, "n_steps must be an integer"),
    ({"lr": -0.1}, ValueError, "lr must be > 0"),
    ({"lam": -1.0}, ValueError, "lam must be >= 0"),
    ({"grad": 1.0}, TypeError, "grad must be callable or None"),
    ({"w0": [[1.0]]}, ValueError, "w0 must be 0-D or 1-D"),
])
def test_trajectory_rejects_bad_arguments(kwargs, error, match):
    args = {"update": l1_step, "w0": 1.0, "n_steps": 3, "lr": 0.1, "lam": 1.0} | kwargs
    update, w0, n_steps = args.pop("update"), args.pop("w0"), args.pop("n_steps")
    with pytest.raises(error, match=match):
        trajectory(update, w0, n_steps, **args)
