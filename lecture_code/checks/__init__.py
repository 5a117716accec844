r"""Self-checks for students: call one on your own answer and read the feedback.

Each ``check_*`` function runs your function on reference cases, compares the
results with the course's own implementation, recognises the common mistakes
and says, in plain words, what is wrong and where. It never raises because of
your code: an exception inside your function, or a result of the wrong type or
shape, is reported as feedback.

>>> import numpy as np
>>> from lecture_code.checks import check_soft_threshold
>>> def my_soft_threshold(z, t):
...     return np.sign(z) * np.maximum(np.abs(z) - t, 0)
>>> check_soft_threshold(my_soft_threshold, verbose=False).passed
True

Import rule: numpy and lecture_code's reference implementations; never matplotlib or ipywidgets,
and nothing from book/ or tests/.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..penalties import soft_threshold
from ..solvers import ridge


@dataclass
class CheckReport:
    """The outcome of a self-check: ``passed`` and the feedback lines."""

    name: str
    passed: bool = True
    feedback: list[str] = field(default_factory=list)
    n_checks: int = 0

    def fail(self, message: str) -> None:
        self.passed = False
        self.feedback.append(message)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"✔ {self.name}: all {self.n_checks} checks passed."
        return "\n".join([f"✘ {self.name}: {len(self.feedback)} problem(s) found."] + [f"  - {m}" for m in self.feedback])


class _Stop(Exception):
    """Raised inside a check when further checks would only repeat the same problem."""


def _call(report: CheckReport, fn: Callable, args: tuple, shown: str):
    """Call the student's function; turn an exception into feedback."""
    report.n_checks += 1
    try:
        return fn(*args)
    except Exception as exc:  # the student's code may raise anything: report it, do not crash
        where = traceback.extract_tb(exc.__traceback__)[-1]
        report.fail(f"calling {shown} raised {type(exc).__name__}: {exc} (line {where.lineno} of {where.name})")
        raise _Stop from None


def _as_number(report: CheckReport, value, shown: str) -> float:
    if value is None:
        report.fail(f"{shown} returned None: did you forget the `return` statement?")
        raise _Stop
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or arr.size != 1:
        report.fail(f"{shown} should return a single number, it returned {type(value).__name__} {value!r}")
        raise _Stop
    return float(arr.reshape(()))


def _as_array(report: CheckReport, value, shape: tuple, shown: str) -> np.ndarray:
    if value is None:
        report.fail(f"{shown} returned None: did you forget the `return` statement?")
        raise _Stop
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        report.fail(f"{shown} should return an array of numbers, it returned {type(value).__name__}")
        raise _Stop
    if arr.shape != shape:
        report.fail(f"{shown} should return an array of shape {shape}, it returned shape {arr.shape}")
        raise _Stop
    return arr.astype(float)


def _finish(report: CheckReport, verbose: bool) -> CheckReport:
    if verbose:
        print(report)
    return report


def _check_callable(fn, report: CheckReport) -> None:
    if not callable(fn):
        report.fail(f"pass your function itself (without calling it), got {type(fn).__name__}")
        raise _Stop


def check_soft_threshold(fn: Callable, *, verbose: bool = True) -> CheckReport:
    r"""Check a student's :math:`S(z, t) = \operatorname{sign}(z)\max(|z| - t, 0)`.

    ``fn(z, t)`` must accept a number ``z`` and a threshold ``t >= 0``, and a
    NumPy array ``z`` with a number ``t`` (elementwise). Checked: the dead zone
    :math:`|z| \le t` gives exactly 0; outside it, values move towards 0 by ``t``
    (from both sides); ``t = 0`` is the identity; arrays work elementwise.
    """
    report = CheckReport("soft thresholding")
    try:
        _check_callable(fn, report)
        t = 0.3
        for z in (0.1, -0.1, 0.3, -0.3, 0.0, 0.5, -0.5, 2.0, -2.0):
            shown = f"your function({z}, {t})"
            got = _as_number(report, _call(report, fn, (z, t), shown), shown)
            want = float(soft_threshold(z, t))
            if got == want or abs(got - want) <= 1e-12:
                continue
            if abs(z) <= t:
                report.fail(f"your function returns {got:g} for z = {z}, t = {t}; values inside the dead zone "
                            f"|z| ≤ t must be exactly 0")
            elif z < 0 and abs(got - (z - t)) < 1e-12:
                report.fail(f"for z = {z}, t = {t} you return {got:g}: a negative z must move up towards 0, "
                            f"S({z}, {t}) = {want:g} (use the sign of z)")
            elif abs(got - z) < 1e-12:
                report.fail(f"for z = {z}, t = {t} you return z unchanged; outside the dead zone values shrink by t "
                            f"towards 0: S({z}, {t}) = {want:g}")
            else:
                report.fail(f"S({z}, {t}) should be {want:g}, your function returns {got:g}")
        if report.passed:
            for z in (0.7, -0.7):
                shown = f"your function({z}, 0.0)"
                got = _as_number(report, _call(report, fn, (z, 0.0), shown), shown)
                if abs(got - z) > 1e-12:
                    report.fail(f"with t = 0 nothing is thresholded: your function({z}, 0.0) should return {z}, "
                                f"it returns {got:g}")
            z = np.array([-1.5, -0.2, 0.0, 0.25, 0.9])
            shown = "your function(np.array([-1.5, -0.2, 0.0, 0.25, 0.9]), 0.3)"
            got = _as_array(report, _call(report, fn, (z, t), shown), z.shape, shown)
            if not np.allclose(got, soft_threshold(z, t), atol=1e-12):
                report.fail(f"on an array it returns {np.round(got, 4).tolist()}, expected "
                            f"{np.round(soft_threshold(z, t), 4).tolist()} (it must work elementwise)")
    except _Stop:
        pass
    return _finish(report, verbose)


def _ridge_problems() -> list[tuple[np.ndarray, np.ndarray, float]]:
    rng = np.random.default_rng(2024)
    problems = []
    for n, p, lam in ((40, 5, 0.1), (15, 30, 0.5)):
        X = rng.standard_normal((n, p))
        y = X @ rng.standard_normal(p) + 0.3 * rng.standard_normal(n)
        problems.append((X - X.mean(0), y - y.mean(), lam))
    return problems


def check_ridge(fn: Callable, *, verbose: bool = True) -> CheckReport:
    r"""Check a student's ridge solver ``fn(X, y, lam) -> w`` (centred data, no intercept).

    The solver must return the minimiser of
    :math:`\frac{1}{2n}\lVert y - Xw\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`, i.e. the solution of
    :math:`(X^\top X + n\lambda I)\,w = X^\top y`, as an array of shape (p,), on a
    problem with :math:`n > p` and one with :math:`p > n`.
    """
    report = CheckReport("ridge regression")
    try:
        _check_callable(fn, report)
        for X, y, lam in _ridge_problems():
            n, p = X.shape
            shown = f"your function(X, y, {lam}) with X of shape {X.shape}"
            got = _as_array(report, _call(report, fn, (X, y, lam), shown), (p,), shown)
            want = ridge(X, y, lam, fit_intercept=False).coef
            if np.allclose(got, want, rtol=1e-6, atol=1e-8):
                continue

            def solve(scale: float) -> np.ndarray:
                return np.linalg.solve(X.T @ X + scale * np.eye(p), X.T @ y)

            if np.allclose(got, solve(lam), rtol=1e-6):
                report.fail(f"{shown}: you solved (XᵀX + λI)w = Xᵀy; with the course's 1/(2n) scaling of the loss "
                            f"the system is (XᵀX + nλI)w = Xᵀy (n = {n})")
            elif np.allclose(got, solve(2 * n * lam), rtol=1e-6) or np.allclose(got, solve(n * lam / 2), rtol=1e-6):
                report.fail(f"{shown}: off by a factor 2 in the penalty: the gradient of (λ/2)‖w‖² is λw, "
                            f"so the system is (XᵀX + nλI)w = Xᵀy")
            elif np.allclose(X.T @ (X @ got - y), 0, atol=1e-8 * max(1, np.abs(X.T @ y).max())):
                report.fail(f"{shown}: these are least-squares weights; the penalty λ is missing")
            else:
                gradient = X.T @ (X @ got - y) / n + lam * got
                report.fail(f"{shown}: the weights differ from the ridge solution by up to "
                            f"{np.abs(got - want).max():.3g}; the gradient of the objective at your weights is "
                            f"{np.abs(gradient).max():.3g} (it must be 0 at the minimum)")
    except _Stop:
        pass
    return _finish(report, verbose)


def check_l1_backprop(fn: Callable, *, verbose: bool = True) -> CheckReport:
    r"""Check a student's weight gradient with an L1 penalty: ``fn(W, grad_W, lam) -> gradient``.

    Given a weight matrix :math:`W`, the gradient of the data loss ``grad_W``
    with respect to it, and :math:`\lambda`, the gradient of
    :math:`L + \lambda\sum_{ij}|W_{ij}|` is ``grad_W + lam * sign(W)``. At a weight
    exactly 0 any value of the subdifferential, ``grad_W`` plus a number in
    :math:`[-\lambda, \lambda]`, is accepted (``sign(0) = 0`` is the usual choice).
    """
    report = CheckReport("L1 term in back-propagation")
    try:
        _check_callable(fn, report)
        rng = np.random.default_rng(7)
        W = rng.standard_normal((4, 3))
        W[1, 2] = 0.0
        grad_W = rng.standard_normal((4, 3))
        lam = 0.05
        shown = "your function(W, grad_W, 0.05)"
        got = _as_array(report, _call(report, fn, (W.copy(), grad_W.copy(), lam), shown), W.shape, shown)
        nonzero = W != 0
        want = grad_W + lam * np.sign(W)
        if np.allclose(got[nonzero], want[nonzero], atol=1e-12):
            gap = got[~nonzero] - grad_W[~nonzero]
            if np.any(np.abs(gap) > lam + 1e-12):
                report.fail(f"at a weight that is exactly 0 the L1 term must lie in [-λ, λ] = [-{lam}, {lam}]; "
                            f"you add {gap[np.abs(gap) > lam][0]:g}")
        elif np.allclose(got, grad_W + lam * W, atol=1e-12):
            report.fail("you added λ·W: that is the L2 (weight decay) term; the L1 term is λ·sign(W), a step of "
                        "constant size whatever the weight")
        elif np.allclose(got, grad_W + 2 * lam * np.sign(W), atol=1e-12):
            report.fail("you added 2λ·sign(W): the derivative of λ|w| is λ·sign(w), there is no factor 2 "
                        "(the 2 belongs to the derivative of w²)")
        elif np.allclose(got, lam * np.sign(W), atol=1e-12):
            report.fail("you returned only the penalty's gradient: add the data gradient grad_W to it")
        elif np.allclose(got, grad_W, atol=1e-12):
            report.fail("you returned grad_W unchanged: the L1 penalty adds λ·sign(W)")
        else:
            i, j = np.unravel_index(np.argmax(np.abs(got - want)), W.shape)
            report.fail(f"for W[{i}, {j}] = {W[i, j]:.3f}, grad_W[{i}, {j}] = {grad_W[i, j]:.3f} the gradient should "
                        f"be {want[i, j]:.4f}, you return {got[i, j]:.4f}")
        if report.passed:
            shown = "your function(W, grad_W, 0.0)"
            got = _as_array(report, _call(report, fn, (W.copy(), grad_W.copy(), 0.0), shown), W.shape, shown)
            if not np.allclose(got, grad_W, atol=1e-12):
                report.fail("with λ = 0 the gradient must equal grad_W")
    except _Stop:
        pass
    return _finish(report, verbose)


# The self-checks of the function-writing exercises, built on the helpers above (lecture_code/checks/exercises.py
# for chapters 1-6, exercises_ch07_11.py for chapters 7-11).
from .exercises import *  # noqa: E402,F401,F403
from .exercises_ch07_11 import *  # noqa: E402,F401,F403
from .exercises import MISTAKES, Mistake  # noqa: E402,F401
