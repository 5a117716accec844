r"""Self-checks for the function-writing exercises of chapters 1-6, and the recipe they all follow.

Every ``check_*`` here follows one recipe. It calls the student's function on a few fixed cases (each call on
fresh copies of the inputs) and compares the results with the course's own implementation. When they differ,
it runs every mistake of its catalogue (``MISTAKES[name]``: a wrong implementation of the same function and
what it gets wrong) on the same cases: if the student's results match a mistake's on every case, the report
names it ("mistake 'threshold λ instead of ηλ': ..."); otherwise it shows the first case that differs. It
never raises because of the student's code: an exception, a ``None`` or a wrong shape is reported.

>>> import numpy as np
>>> from lecture_code.checks import check_prox_elastic_net
>>> wrong = lambda z, t, alpha: np.sign(z) * np.maximum(np.abs(z) - t * alpha, 0)
>>> "forgets the denominator" in str(check_prox_elastic_net(wrong, verbose=False))
True

The checks of chapters 7-11 are in ``exercises_ch07_11.py``; both are re-exported by
:mod:`lecture_code.checks`.

Import rule: numpy and lecture_code's reference implementations; never matplotlib or ipywidgets,
and nothing from book/ or tests/.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import CheckReport, _call, _check_callable, _finish, _Stop

__all__ = [
    "MISTAKES", "Mistake", "check_ista", "check_ista_centred", "check_kkt_violation", "check_polynomial_fit",
    "check_project_l1_ball", "check_prox_elastic_net", "check_subgradient_step",
]


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: its ``name``, a wrong implementation ``fn`` and what it gets wrong."""

    name: str
    fn: Callable
    explanation: str

    def message(self) -> str:
        return f"mistake '{self.name}': {self.explanation}"


#: For each check (by the exercise function's name), the mistakes it recognises.
MISTAKES: dict[str, list[Mistake]] = {}


@dataclass(frozen=True)
class _Case:
    args: tuple
    shown: str


def _convert(report: CheckReport, value, want, shown: str):
    """Turn the student's value into the form of ``want`` (a number, an array or a tuple of those)."""
    if value is None:
        report.fail(f"{shown} returned None: did you forget the `return` statement?")
        raise _Stop
    if isinstance(want, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(want):
            report.fail(f"{shown} should return {len(want)} values (a tuple), it returned {type(value).__name__}")
            raise _Stop
        return tuple(_convert(report, v, w, f"{shown}[{i}]") for i, (v, w) in enumerate(zip(value, want)))
    want = np.asarray(want)
    try:
        arr = np.asarray(value)
    except Exception:  # an object NumPy cannot read
        arr = np.asarray(None)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        kind = "a number" if want.ndim == 0 else "an array of numbers"
        report.fail(f"{shown} should return {kind}, it returned {type(value).__name__} {str(value)[:60]}")
        raise _Stop
    if want.ndim == 0 and arr.size == 1:
        return arr.reshape(()).astype(want.dtype if want.dtype == bool else float)
    if arr.shape != want.shape:
        report.fail(f"{shown} should return an array of shape {want.shape}, it returned shape {arr.shape}")
        raise _Stop
    return arr.astype(bool if want.dtype == bool else float)


def _close(got, want, rtol: float, atol: float) -> bool:
    if isinstance(want, tuple):
        return all(_close(g, w, rtol, atol) for g, w in zip(got, want))
    want = np.asarray(want)
    if want.dtype == bool:
        return bool(np.array_equal(np.asarray(got, dtype=bool), want))
    return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))


def _brief(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_brief(v) for v in value) + ")"
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"{arr.item():.6g}" if arr.dtype != bool else str(arr.item())
    flat = np.round(arr.astype(float), 4).ravel() if arr.dtype != bool else arr.ravel()
    return str(flat[:6].tolist())[:-1] + (", ...]" if flat.size > 6 else "]")


def _quiet(fn: Callable, args: tuple):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(args))


def _check_function(title: str, key: str, fn: Callable, cases: Sequence[_Case], reference: Callable, *,
                    rtol: float = 1e-7, atol: float = 1e-10, verbose: bool = True,
                    extra: Callable[[CheckReport], None] | None = None) -> CheckReport:
    """The common recipe: run the cases, compare with the reference, name a catalogued mistake."""
    report = CheckReport(title)
    try:
        _check_callable(fn, report)
        wants = [_quiet(reference, case.args) for case in cases]
        gots = []
        for case, want in zip(cases, wants):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = _call(report, fn, copy.deepcopy(case.args), case.shown)
            gots.append(_convert(report, value, want, case.shown))
        wrong = [i for i, (g, w) in enumerate(zip(gots, wants)) if not _close(g, w, rtol, atol)]
        if wrong:
            for mistake in MISTAKES.get(key, []):
                try:
                    theirs = [_quiet(mistake.fn, case.args) for case in cases]
                    if all(_close(g, _as_like(t, w), rtol, atol) for g, t, w in zip(gots, theirs, wants)):
                        report.fail(mistake.message())
                        break
                except Exception:  # a mistake that cannot even run on a case is not this student's mistake
                    continue
            else:
                i = wrong[0]
                report.fail(f"{cases[i].shown} returns {_brief(gots[i])}, expected {_brief(wants[i])}")
        elif extra is not None:
            extra(report)
    except _Stop:
        pass
    return _finish(report, verbose)


def _as_like(value, want):
    if isinstance(want, tuple):
        return tuple(_as_like(v, w) for v, w in zip(value, want))
    arr = np.asarray(value, dtype=bool if np.asarray(want).dtype == bool else float)
    return arr.reshape(np.shape(want)) if arr.size == np.size(want) else arr


def _register(key: str, *mistakes: Mistake) -> None:
    MISTAKES[key] = list(mistakes)


def _centred(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return X - X.mean(axis=0), y - y.mean()


def _no_centring(reference: Callable, then: str = "") -> Mistake:
    """The mistake of skipping the centring, planted by calling ``reference(*args, centre=False)``."""
    return Mistake("no centring", lambda *args: reference(*args, centre=False),
                   "centre X and y first, X_c = X − mean(X) and y_c = y − mean(y): the bias is fitted by centring "
                   "(with a free bias, the problem is the same problem on centred data)" + then)


def _problem(n: int, p: int, seed: int, k: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.normal(scale=2.0, size=p)        # columns with non-zero means
    w = np.zeros(p)
    w[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 2.0, k)
    y = X @ w + 1.5 + 0.5 * rng.standard_normal(n)
    return X, y


def _lam_max(X, y) -> float:
    Xc, yc = _centred(X, y)
    return float(np.abs(Xc.T @ yc).max() / len(yc))


# --- chapter 1: least squares from scratch ------------------------------------------------------------------------

def _poly_reference(x, y, degree):
    return np.linalg.lstsq(np.vander(np.asarray(x, float), degree + 1, increasing=True), y, rcond=None)[0]


_register(
    "my_polynomial_fit",
    Mistake("decreasing powers", lambda x, y, d: _poly_reference(x, y, d)[::-1],
            "your coefficients are in the order of numpy.polyfit (highest power first); the exercise asks for "
            "(w_0, w_1, ..., w_d), the coefficient of x^0 first (np.vander(x, d + 1, increasing=True))"),
    Mistake("no constant column", lambda x, y, d: np.concatenate([[0.0], np.linalg.lstsq(
        np.vander(np.asarray(x, float), d + 1, increasing=True)[:, 1:], y, rcond=None)[0]]),
            "your fit has no constant term (w_0 = 0): the matrix needs the column x^0 = 1"),
)


def check_polynomial_fit(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_polynomial_fit(x, y, degree)``: the least-squares coefficients (w_0, ..., w_degree) of raw powers."""
    rng = np.random.default_rng(11)
    x = np.sort(rng.uniform(0, 1, 15))
    y = np.sin(2 * np.pi * x) + 0.2 * rng.standard_normal(15)
    cases = [_Case((x, y, d), f"your function(x, y, {d}) on 15 points") for d in (1, 2, 3)]
    return _check_function("least-squares polynomial", "my_polynomial_fit", fn, cases, _poly_reference,
                           rtol=1e-6, atol=1e-8, verbose=verbose)


# --- chapter 3: projection onto the L1 ball -----------------------------------------------------------------------

def _project(v, s):
    from ..constrained import project_l1_ball
    return project_l1_ball(v, s)


def _project_scaled(v, s):
    v = np.asarray(v, float)
    norm = np.abs(v).sum()
    return v.copy() if norm <= s else v * s / norm


def _project_always(v, s):
    v = np.asarray(v, float)
    if s == 0:
        return np.zeros_like(v)
    u = np.sort(np.abs(v))[::-1]
    excess = np.cumsum(u) - s
    k = np.arange(1, v.size + 1)
    k_star = np.flatnonzero(u - excess / k > 0)[-1]
    return _soft(v, excess[k_star] / (k_star + 1))


_register(
    "my_project_l1_ball",
    Mistake("rescaling instead of thresholding", _project_scaled,
            "you multiply v by s/‖v‖₁; that lands on the sphere but is not the nearest point: the projection is "
            "the soft threshold S(v, θ) with θ chosen so that ‖S(v, θ)‖₁ = s"),
    Mistake("moves points inside the ball", _project_always,
            "a point already inside the ball (‖v‖₁ ≤ s) is its own projection and must be returned unchanged"),
    Mistake("forgets the sign", lambda v, s: np.abs(_project(v, s)),
            "negative coordinates must stay negative: use sign(v) · max(|v| − θ, 0)"),
)


def check_project_l1_ball(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_project_l1_ball(v, s)``: the Euclidean projection onto {z : ‖z‖₁ ≤ s}."""
    v1 = np.array([1.5, -0.3, 0.9, 0.1])
    v2 = np.array([0.2, -0.1, 0.3])
    v3 = np.array([3.0, -3.0, 1.0, -2.0, 0.0, 2.0])
    cases = [_Case((v1, 1.6), "your function([1.5, -0.3, 0.9, 0.1], 1.6)"),
             _Case((v2, 1.0), "your function([0.2, -0.1, 0.3], 1.0) (a point inside the ball)"),
             _Case((v3, 4.0), "your function([3, -3, 1, -2, 0, 2], 4.0) (ties in |v|)"),
             _Case((v1, 0.0), "your function([1.5, -0.3, 0.9, 0.1], 0.0) (the ball is the origin)")]
    return _check_function("projection onto the L1 ball", "my_project_l1_ball", fn, cases, _project,
                           rtol=1e-9, atol=1e-12, verbose=verbose)


# --- chapter 4: KKT certificate and one subgradient step ----------------------------------------------------------

def _kkt(X, y, w, b, lam):
    from ..solvers import kkt_violation
    return kkt_violation(X, y, w, b, lam)


def _kkt_parts(X, y, w, b, lam, *, mean=True, scale=None, sign=1.0, active=True):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    r = y - X @ w - b
    c = X.T @ r / (len(y) if scale is None else scale)
    if active:
        on_active = np.abs(c - sign * lam * np.sign(w))[w != 0]
    else:
        on_active = np.maximum(np.abs(c) - lam, 0.0)[w != 0]
    on_zeros = np.maximum(np.abs(c) - lam, 0.0)[w == 0]
    parts = [on_active.max(initial=0.0), on_zeros.max(initial=0.0)]
    return max(parts + ([abs(r.mean())] if mean else []))


_register(
    "my_kkt_violation",
    Mistake("forgets the bias condition", lambda X, y, w, b, lam: _kkt_parts(X, y, w, b, lam, mean=False),
            "with a fitted bias the mean residual must be 0 as well: include |mean(r)| in the maximum"),
    Mistake("forgets 1/n", lambda X, y, w, b, lam: _kkt_parts(X, y, w, b, lam, scale=1.0),
            "the correlations are c = Xᵀr/n, with the 1/n of the course's loss"),
    Mistake("wrong sign on the active set", lambda X, y, w, b, lam: _kkt_parts(X, y, w, b, lam, sign=-1.0),
            "at w_j ≠ 0 the condition is c_j = +λ·sign(w_j) (c_j is the correlation with the residual)"),
    Mistake("inequality on the active set",
            lambda X, y, w, b, lam: _kkt_parts(X, y, w, b, lam, active=False),
            "at w_j ≠ 0 the condition is the equality c_j = λ·sign(w_j), not |c_j| ≤ λ: measure |c_j − λ·sign(w_j)|"),
)


def _kkt_cases():
    from ..solvers import coordinate_descent
    X, y = _problem(30, 6, 4)
    lam = 0.2 * _lam_max(X, y)
    fit = coordinate_descent(X, y, lam, tol=1e-12)
    moved = fit.coef.copy()
    moved[np.flatnonzero(fit.coef)[0]] += 0.05
    rng = np.random.default_rng(5)
    w_any = np.where(rng.random(6) < 0.5, 0.0, rng.standard_normal(6))
    Xc = X - X.mean(axis=0)
    centred = coordinate_descent(Xc, y, lam, tol=1e-12)
    return [_Case((X, y, fit.coef, fit.intercept, lam), "your function at the lasso solution"),
            _Case((Xc, y, centred.coef, centred.intercept + 0.5, lam),
                  "your function at the solution (centred X) with the bias moved by 0.5"),
            _Case((X, y, moved, fit.intercept, lam), "your function at the solution with one weight moved by 0.05"),
            _Case((X, y, np.zeros(6), 0.0, lam), "your function at w = 0, b = 0"),
            _Case((X, y, w_any, 1.0, lam), "your function at a random point with some zero weights")]


def check_kkt_violation(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_kkt_violation(X, y, w, b, lam)``: the largest violation of the lasso KKT conditions."""
    return _check_function("lasso KKT violation", "my_kkt_violation", fn, _kkt_cases(), _kkt,
                           rtol=1e-8, atol=1e-10, verbose=verbose)


def _subgradient_step(Xc, yc, w, lam, step, *, n=None, zero=0.0, l2=False, sign=-1.0):
    Xc, yc, w = np.asarray(Xc, float), np.asarray(yc, float), np.asarray(w, float)
    penalty = lam * w if l2 else lam * np.where(w == 0, zero, np.sign(w))
    g = sign * Xc.T @ (yc - Xc @ w) / (Xc.shape[0] if n is None else n) + penalty
    return w - step * g


_register(
    "my_subgradient_step",
    Mistake("sign(0) = 1", lambda *a: _subgradient_step(*a, zero=1.0),
            "at a weight exactly 0 use the subgradient 0 of |w| (np.sign(0) = 0), not +1"),
    Mistake("forgets 1/n", lambda *a: _subgradient_step(*a, n=1.0),
            "the gradient of the loss is −Xcᵀ(yc − Xc w)/n, with the 1/n of the course's loss"),
    Mistake("L2 instead of L1", lambda *a: _subgradient_step(*a, l2=True),
            "you used λw, the gradient of (λ/2)‖w‖²; the L1 penalty's subgradient is λ·sign(w)"),
    Mistake("ascent on the loss", lambda *a: _subgradient_step(*a, sign=1.0),
            "the gradient of (1/2n)‖yc − Xc w‖² is −Xcᵀ(yc − Xc w)/n: mind the minus sign"),
)


def check_subgradient_step(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_subgradient_step(Xc, yc, w, lam, step)``: one subgradient step on the centred lasso."""
    X, y = _problem(25, 5, 6)
    Xc, yc = _centred(X, y)
    w = np.array([0.5, 0.0, -0.3, 0.0, 1.2])
    cases = [_Case((Xc, yc, np.zeros(5), 0.1, 0.05), "your function from w = 0"),
             _Case((Xc, yc, w, 0.1, 0.05), "your function from w = [0.5, 0, -0.3, 0, 1.2]"),
             _Case((Xc, yc, w, 0.0, 0.02), "your function with lam = 0")]
    return _check_function("one subgradient step", "my_subgradient_step", fn, cases, _subgradient_step,
                           rtol=1e-9, atol=1e-12, verbose=verbose)


# --- chapter 5: ISTA with the bias fitted by centring -------------------------------------------------------------

def _ista(X, y, lam, n_iter, *, threshold_eta=True, centre=True, per_n=True, history=True):
    from ..penalties import soft_threshold
    X, y = np.asarray(X, float), np.asarray(y, float)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if centre else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    n = len(yc)
    scale = n if per_n else 1.0
    eta = 1.0 / np.linalg.eigvalsh(Xc.T @ Xc / scale)[-1]
    w = np.zeros(X.shape[1])

    def objective(w):
        r = y - X @ w - (y.mean() - X.mean(axis=0) @ w)
        return 0.5 * (r @ r) / n + lam * np.abs(w).sum()

    values = [objective(w)]
    for _ in range(n_iter):
        w = soft_threshold(w + eta * Xc.T @ (yc - Xc @ w) / scale, eta * lam if threshold_eta else lam)
        values.append(objective(w))
    b = y.mean() - X.mean(axis=0) @ w
    return (w, b, np.array(values)) if history else w


_register(
    "my_ista",
    Mistake("threshold λ instead of ηλ", lambda X, y, lam, k: _ista(X, y, lam, k, threshold_eta=False),
            "the proximal step after a gradient step of size η thresholds at ηλ, not at λ"),
    _no_centring(_ista, "; then b = mean(y) − mean(X)·w"),
    Mistake("step from XᵀX without 1/n", lambda X, y, lam, k: _ista(X, y, lam, k, per_n=False),
            "η = 1/M with M the largest eigenvalue of X_cᵀX_c/n, and the gradient is −X_cᵀ(y_c − X_c w)/n"),
)


def check_ista(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_ista(X, y, lam, n_iter) -> (w, b, history)`` (chapter 5: ISTA, bias by centring)."""
    X, y = _problem(40, 8, 7)
    lam = 0.1 * _lam_max(X, y)
    cases = [_Case((X, y, lam, k), f"your function(X, y, {lam:.3f}, {k})") for k in (1, 10, 60)]
    return _check_function("ISTA", "my_ista", fn, cases, _ista, rtol=1e-8, atol=1e-10, verbose=verbose)


def _ista_centred(X, y, lam, n_iter=2000, *, threshold_eta=True, per_n=True):
    from ..penalties import soft_threshold
    X, y = np.asarray(X, float), np.asarray(y, float)
    n = len(y)
    scale = n if per_n else 1.0
    eta = 1.0 / np.linalg.eigvalsh(X.T @ X / scale)[-1]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        w = soft_threshold(w + eta * X.T @ (y - X @ w) / scale, eta * lam if threshold_eta else lam)
    return w


_register(
    "my_ista_centred",
    Mistake("threshold λ instead of ηλ", lambda X, y, lam, k=2000: _ista_centred(X, y, lam, k, threshold_eta=False),
            "the proximal step after a gradient step of size η thresholds at ηλ, not at λ"),
    Mistake("step from XᵀX without 1/n", lambda X, y, lam, k=2000: _ista_centred(X, y, lam, k, per_n=False),
            "η = 1/L with L the largest eigenvalue of XᵀX/n, and the gradient is −Xᵀ(y − Xw)/n"),
)


def check_ista_centred(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_ista(X, y, lam, n_iter)`` of the study questions (centred data, no intercept) -> the weights."""
    X, y = _centred(*_problem(40, 8, 8))
    lam = 0.1 * _lam_max(X, y)
    cases = [_Case((X, y, lam, k), f"your function(X, y, {lam:.3f}, {k})") for k in (1, 10, 200)]
    return _check_function("ISTA (centred data)", "my_ista_centred", fn, cases, _ista_centred,
                           rtol=1e-8, atol=1e-10, verbose=verbose)


# --- chapter 6: the elastic-net prox ------------------------------------------------------------------------------

def _prox_en(z, t, alpha):
    from ..penalties import prox_elastic_net
    return prox_elastic_net(z, t, alpha)


def _soft(z, t):
    z = np.asarray(z, float)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


_register(
    "my_prox_elastic_net",
    Mistake("forgets the denominator", lambda z, t, a: _soft(z, t * a),
            "after soft thresholding at tα, divide by 1 + t(1 − α): the L2 part shrinks proportionally"),
    Mistake("threshold t instead of tα", lambda z, t, a: _soft(z, t) / (1 + t * (1 - a)),
            "only the L1 part, of weight α, thresholds: the threshold is tα"),
    Mistake("denominator 1 + tα", lambda z, t, a: _soft(z, t * a) / (1 + t * a),
            "the proportional shrinkage comes from the L2 part, of weight 1 − α: divide by 1 + t(1 − α)"),
    Mistake("shrink before thresholding", lambda z, t, a: _soft(np.asarray(z, float) / (1 + t * (1 - a)), t * a),
            "threshold first, then divide: the prox is S(z, tα)/(1 + t(1 − α))"),
)


def check_prox_elastic_net(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_prox_elastic_net(z, t, alpha)``: the elastic-net prox, elementwise in z."""
    z = np.array([-2.5, -0.6, -0.2, 0.0, 0.1, 0.45, 1.0, 3.0])
    cases = [_Case((z, t, a), f"your function(z, {t}, {a}) with z = {z.tolist()}")
             for t, a in ((0.5, 0.5), (1.0, 0.25), (0.3, 1.0), (0.7, 0.0))]
    cases.append(_Case((1.3, 0.4, 0.5), "your function(1.3, 0.4, 0.5) (a number)"))
    return _check_function("elastic-net prox", "my_prox_elastic_net", fn, cases, _prox_en,
                           rtol=1e-10, atol=1e-12, verbose=verbose)
