"""The students' self-checks: a correct answer passes, each typical mistake is named, nothing crashes."""

import numpy as np
import pytest

from lecture_code.checks import check_l1_backprop, check_ridge, check_soft_threshold


# --- soft thresholding -------------------------------------------------------------------------------------------

def st_correct(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def st_scalar_only(z, t):      # correct, but written with Python branches: fails on arrays
    if z > t:
        return z - t
    if z < -t:
        return z + t
    return 0.0


SOFT_THRESHOLD_MISTAKES = {
    "no dead zone": (lambda z, t: z - t * np.sign(z), "values inside the dead zone |z| ≤ t must be exactly 0"),
    "forgets the sign": (lambda z, t: np.maximum(np.abs(z) - t, 0) if z >= 0 else z - t,
                         "a negative z must move up towards 0"),
    "no shrinkage": (lambda z, t: np.where(np.abs(z) > t, z, 0.0), "outside the dead zone values shrink by t"),
    "hard threshold at 2t": (lambda z, t: np.sign(z) * np.maximum(np.abs(z) - 2 * t, 0.0), "S(0.5, 0.3) should be 0.2"),
    "forgets return": (lambda z, t: None, "did you forget the `return` statement?"),
    "returns a string": (lambda z, t: "0.2", "should return a single number"),
    "raises": (lambda z, t: 1 / 0, "raised ZeroDivisionError: division by zero"),
    "scalar only": (st_scalar_only, "raised ValueError"),
}


def test_correct_soft_threshold_passes(capsys):
    report = check_soft_threshold(st_correct)
    assert report.passed and report.n_checks == 12
    assert "all 12 checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", SOFT_THRESHOLD_MISTAKES)
def test_each_soft_threshold_mistake_is_named(mistake, capsys):
    fn, message = SOFT_THRESHOLD_MISTAKES[mistake]
    report = check_soft_threshold(fn)
    assert not report.passed
    assert any(message in line for line in report.feedback), report.feedback
    assert message in capsys.readouterr().out


def test_the_issue_example_message():
    report = check_soft_threshold(lambda z, t: z - t, verbose=False)
    assert "your function returns -0.2 for z = 0.1, t = 0.3; values inside the dead zone |z| ≤ t must be exactly 0" \
        in report.feedback


def test_a_non_function_is_reported_not_raised():
    report = check_soft_threshold(st_correct(1.0, 0.5), verbose=False)
    assert not report.passed and "pass your function itself" in report.feedback[0]


# --- ridge -------------------------------------------------------------------------------------------------------

def ridge_correct(X, y, lam):
    n, p = X.shape
    return np.linalg.solve(X.T @ X + n * lam * np.eye(p), X.T @ y)


RIDGE_MISTAKES = {
    "forgets n": (lambda X, y, lam: np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y), "nλI"),
    "factor two": (lambda X, y, lam: np.linalg.solve(X.T @ X + 2 * len(y) * lam * np.eye(X.shape[1]), X.T @ y),
                   "off by a factor 2"),
    "least squares": (lambda X, y, lam: np.linalg.lstsq(X, y, rcond=None)[0], "the penalty λ is missing"),
    "transposed system": (lambda X, y, lam: np.linalg.solve(X @ X.T + lam * np.eye(len(y)), y)[: X.shape[1]],
                          "the gradient of the objective at your weights"),
    "returns intercept too": (lambda X, y, lam: np.append(ridge_correct(X, y, lam), 0.0), "should return an array of shape"),
    "wrong argument order": (lambda y, X, lam: ridge_correct(X, y, lam), "raised"),
}


def test_correct_ridge_passes():
    assert check_ridge(ridge_correct, verbose=False).passed


@pytest.mark.parametrize("mistake", RIDGE_MISTAKES)
def test_each_ridge_mistake_is_named(mistake):
    fn, message = RIDGE_MISTAKES[mistake]
    report = check_ridge(fn, verbose=False)
    assert not report.passed
    assert any(message in line for line in report.feedback), report.feedback


# --- L1 in back-propagation --------------------------------------------------------------------------------------

L1_MISTAKES = {
    "L2 instead": (lambda W, g, lam: g + lam * W, "that is the L2 (weight decay) term"),
    "factor two": (lambda W, g, lam: g + 2 * lam * np.sign(W), "there is no factor 2"),
    "penalty only": (lambda W, g, lam: lam * np.sign(W), "add the data gradient"),
    "penalty forgotten": (lambda W, g, lam: g, "returned grad_W unchanged"),
    "too large at zero": (lambda W, g, lam: g + lam * (np.sign(W) + 3.0 * (W == 0)), "must lie in [-λ, λ]"),
    "wrong sign": (lambda W, g, lam: g - lam * np.sign(W), "the gradient should be"),
    "returns a list": (lambda W, g, lam: (g + lam * np.sign(W)).tolist()[:2], "should return an array of shape (4, 3)"),
}


@pytest.mark.parametrize("answer", [lambda W, g, lam: g + lam * np.sign(W),
                                    lambda W, g, lam: g + lam * np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.5))])
def test_correct_l1_gradients_pass(answer):
    assert check_l1_backprop(answer, verbose=False).passed


@pytest.mark.parametrize("mistake", L1_MISTAKES)
def test_each_l1_mistake_is_named(mistake):
    fn, message = L1_MISTAKES[mistake]
    report = check_l1_backprop(fn, verbose=False)
    assert not report.passed
    assert any(message in line for line in report.feedback), report.feedback


def test_the_check_does_not_let_a_student_function_modify_its_inputs_affect_the_verdict():
    def mutating(W, g, lam):
        W[:] = 0.0
        g += lam * np.sign(W)
        return g

    assert not check_l1_backprop(mutating, verbose=False).passed
