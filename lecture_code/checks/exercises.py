r"""Self-checks for the function-writing exercises, each with its catalogue of named mistakes.

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
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import CheckReport, _call, _check_callable, _finish, _Stop

__all__ = [
    "MISTAKES", "Mistake", "check_gap_safe", "check_gradient_check", "check_group_ista", "check_homogeneity_gap",
    "check_ista", "check_ista_centred", "check_jaccard", "check_kkt_violation", "check_laplace_posterior_mean",
    "check_loo_residuals", "check_polynomial_fit", "check_precision_recall", "check_project_l1_ball",
    "check_prox_elastic_net", "check_shallow_sawtooth", "check_subgradient_step",
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
    Mistake("no centring", lambda X, y, lam, k: _ista(X, y, lam, k, centre=False),
            "run ISTA on the centred data X_c = X − mean(X), y_c = y − mean(y) (the bias is fitted by centring), "
            "then b = mean(y) − mean(X)·w"),
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


# --- chapter 7: precision, recall, Jaccard -----------------------------------------------------------------------

def _pr(selected, true_support):
    from ..comparison import support_precision_recall
    return tuple(float(v) for v in support_precision_recall(selected, true_support))


def _pr_zero_empty(selected, true_support):
    s, t = set(np.asarray(selected).tolist()), set(np.asarray(true_support).tolist())
    hits = len(s & t)
    return (hits / len(s) if s else 0.0), (hits / len(t) if t else 0.0)


_register(
    "my_precision_recall",
    Mistake("precision and recall swapped", lambda s, t: _pr(s, t)[::-1],
            "precision divides the hits by the number selected, |S|; recall by the number relevant, |S*|"),
    Mistake("empty sets score 0", _pr_zero_empty,
            "the course's convention: an empty selection has precision 1 (no false discovery) and an empty true "
            "support gives recall 1"),
)


def _sets():
    empty = np.array([], dtype=int)
    return [(np.array([0, 2, 5, 7]), np.array([0, 1, 2])), (np.array([3]), np.array([0, 1, 2, 3])),
            (np.arange(10), np.array([4, 9])), (empty, np.array([1, 2])), (np.array([4]), empty), (empty, empty)]


def check_precision_recall(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_precision_recall(selected, true_support) -> (precision, recall)``."""
    cases = [_Case((a, b), f"your function({a.tolist()}, {b.tolist()})") for a, b in _sets()]
    return _check_function("precision and recall", "my_precision_recall", fn, cases, _pr, rtol=0, atol=1e-12,
                           verbose=verbose)


def _jaccard(a, b):
    from ..comparison import jaccard_index
    return float(jaccard_index(a, b))


def _jaccard_min(a, b):
    a, b = set(np.asarray(a).tolist()), set(np.asarray(b).tolist())
    return len(a & b) / min(len(a), len(b)) if a and b else 1.0 if not (a or b) else 0.0


_register(
    "my_jaccard",
    Mistake("divides by the smaller set", _jaccard_min,
            "the Jaccard index divides |A ∩ B| by the size of the union |A ∪ B|, not of the smaller set"),
    Mistake("two empty sets score 0",
            lambda a, b: _jaccard(a, b) if (len(a) or len(b)) else 0.0,
            "by the course's convention two empty sets are identical: Jaccard index 1"),
)


def check_jaccard(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_jaccard(a, b)``: |A ∩ B| / |A ∪ B| (1.0 if both are empty)."""
    cases = [_Case((a, b), f"your function({a.tolist()}, {b.tolist()})") for a, b in _sets()]
    return _check_function("Jaccard index", "my_jaccard", fn, cases, _jaccard, rtol=0, atol=1e-12, verbose=verbose)


# --- chapter 8: posterior mean under a Laplace prior, leave-one-out residuals ------------------------------------

def _laplace_mean(z, s, tau):
    return _laplace_mean_lam(z, s, tau, s**2 / tau)


_register(
    "laplace_posterior_mean",
    Mistake("the posterior mode", lambda z, s, tau: _soft(z, s**2 / tau),
            "S(z, s²/τ) is the posterior *mode* (the lasso's soft threshold); the mean averages over the "
            "posterior and is never exactly 0 away from z = 0"),
    Mistake("λ = s/τ", lambda z, s, tau: _laplace_mean_lam(z, s, tau, s / tau),
            "the shift of the two normal pieces is λ = s²/τ, not s/τ"),
)


def _laplace_mean_lam(z, s, tau, lam):
    from scipy import stats
    z = np.asarray(z, dtype=float)
    m_plus, m_minus = z - lam, z + lam
    log_a = -z / tau + stats.norm.logcdf(m_plus / s)
    log_b = z / tau + stats.norm.logcdf(-m_minus / s)
    mean_plus = m_plus + s * np.exp(stats.norm.logpdf(m_plus / s) - stats.norm.logcdf(m_plus / s))
    mean_minus = m_minus - s * np.exp(stats.norm.logpdf(m_minus / s) - stats.norm.logcdf(-m_minus / s))
    top = np.maximum(log_a, log_b)
    wa, wb = np.exp(log_a - top), np.exp(log_b - top)
    return (wa * mean_plus + wb * mean_minus) / (wa + wb)


def check_laplace_posterior_mean(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``laplace_posterior_mean(z, s, tau)`` against the closed form (and its finiteness for large |z|)."""
    z = np.linspace(-2, 2, 41)
    cases = [_Case((z, 0.2, 0.2), "your function(np.linspace(-2, 2, 41), 0.2, 0.2)"),
             _Case((z, 0.5, 0.1), "your function(np.linspace(-2, 2, 41), 0.5, 0.1)"),
             _Case((np.array([-50.0, 50.0]), 0.2, 0.2), "your function([-50, 50], 0.2, 0.2) (large |z|/s)")]
    return _check_function("posterior mean under a Laplace prior", "laplace_posterior_mean", fn, cases,
                           _laplace_mean, rtol=1e-7, atol=1e-9, verbose=verbose)


def _loo(X, y, lam):
    from ..ridge_cv import ridge_loo_residuals
    return ridge_loo_residuals(X, y, [lam])[0]


def _loo_parts(X, y, lam, *, divide=True, bias=True, scale=None):
    X, y = np.asarray(X, float), np.asarray(y, float)
    n, p = X.shape
    Xc = X - X.mean(axis=0)
    H = Xc @ np.linalg.solve(Xc.T @ Xc + (n * lam if scale is None else scale * lam) * np.eye(p), Xc.T)
    if bias:
        H = H + 1.0 / n
    fitted = H @ y if bias else H @ (y - y.mean()) + y.mean()
    r = y - fitted
    return r / (1 - np.diag(H)) if divide else r


_register(
    "my_loo_residuals",
    Mistake("ordinary residuals", lambda X, y, lam: _loo_parts(X, y, lam, divide=False),
            "these are the training residuals y − ŷ; the leave-one-out residuals divide them by 1 − h_ii"),
    Mistake("forgets the bias's leverage", lambda X, y, lam: _loo_parts(X, y, lam, bias=False),
            "the hat matrix of a fit with a free bias includes (1/n)𝟏𝟏ᵀ, so h_ii gets 1/n added"),
    Mistake("penalty λ instead of nλ", lambda X, y, lam: _loo_parts(X, y, lam, scale=1.0),
            "with the course's 1/(2n) loss the system is (X_cᵀX_c + nλI)"),
)


def check_loo_residuals(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_loo_residuals(X, y, lam)``: ridge's leave-one-out residuals from the hat matrix."""
    X, y = _problem(20, 4, 9)
    cases = [_Case((X, y, lam), f"your function(X, y, {lam}) with X of shape (20, 4)") for lam in (0.01, 0.5)]
    return _check_function("leave-one-out residuals", "my_loo_residuals", fn, cases, _loo, rtol=1e-8, atol=1e-10,
                           verbose=verbose)


# --- chapter 9: gap-safe screening, group-lasso ISTA --------------------------------------------------------------

def _gap_safe(X, y, w, lam):
    from ..screening import gap_safe_rule
    return gap_safe_rule(X, y, w, lam)[0]


def _gap_safe_parts(X, y, w, lam, *, radius=True, centre=True, per_n=True):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if centre else (X, y)
    n = len(yc)
    r = yc - Xc @ w
    theta = r / n * min(1.0, lam / np.abs(Xc.T @ r / n).max())
    gap = 0.5 * r @ r / n + lam * np.abs(w).sum() - (theta @ yc - 0.5 * n * theta @ theta)
    rad = np.sqrt(2 * max(gap, 0.0) / (n if per_n else 1.0)) if radius else 0.0
    return np.abs(Xc.T @ theta) + rad * np.linalg.norm(Xc, axis=0) < lam


_register(
    "my_gap_safe",
    Mistake("no radius (unsafe)", lambda *a: _gap_safe_parts(*a, radius=False),
            "testing |x_jᵀθ| < λ at the dual point alone is not safe: add the sphere's radius √(2G/n) times ‖x_j‖"),
    Mistake("no centring", lambda *a: _gap_safe_parts(*a, centre=False),
            "with a free bias, centre X and y first (the lasso with intercept is the lasso on centred data)"),
    Mistake("radius √(2G)", lambda *a: _gap_safe_parts(*a, per_n=False),
            "the radius of the safe sphere is √(2G/n) in the course's scaling"),
)


def check_gap_safe(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_gap_safe(X, y, w, lam)``: the boolean mask of the features the gap-safe sphere test discards."""
    from ..solvers import ista
    X, y = _problem(30, 40, 10, k=4)
    lam = _lam_max(X, y) / 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        near = ista(X, y, lam, max_iter=100, tol=1e-16).coef
        far = ista(X, y, lam, max_iter=40, tol=1e-16).coef
    cases = [_Case((X, y, np.zeros(40), lam), "your function from w = 0"),
             _Case((X, y, far, lam), "your function from ISTA's weights after 40 steps"),
             _Case((X, y, near, lam), "your function from ISTA's weights after 100 steps")]
    # Every feature's test is at least 0.1 % of λ away from the boundary in these cases (ISTA's iterates approach
    # it as they converge), so the masks do not depend on the last bits of the arithmetic.
    return _check_function("gap-safe screening", "my_gap_safe", fn, cases, _gap_safe, verbose=verbose)


def _group_ista(X, y, lam, groups, n_iter, *, sqrt_size=True, blocks=True, centre=True):
    X, y, groups = np.asarray(X, float), np.asarray(y, float), np.asarray(groups)
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if centre else (X, y)
    n = len(yc)
    eta = 1 / np.linalg.eigvalsh(Xc.T @ Xc / n)[-1]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        z = w + eta * Xc.T @ (yc - Xc @ w) / n
        for g in np.unique(groups):
            block = groups == g
            t = eta * lam * (np.sqrt(block.sum()) if sqrt_size else 1.0)
            if blocks:
                norm = np.linalg.norm(z[block])
                w[block] = (1 - t / norm) * z[block] if norm > t else 0.0
            else:
                w[block] = _soft(z[block], t)
    return w


_register(
    "my_group_ista",
    Mistake("threshold without √p_g", lambda *a: _group_ista(*a, sqrt_size=False),
            "each group's threshold is ηλ√p_g, with p_g the size of the group"),
    Mistake("coordinate-wise thresholds", lambda *a: _group_ista(*a, blocks=False),
            "the group lasso shrinks a whole block by its norm, (1 − t/‖z_g‖)₊ z_g, not each coordinate"),
    Mistake("no centring", lambda *a: _group_ista(*a, centre=False),
            "centre X and y first: the bias is fitted by centring"),
)


def check_group_ista(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_group_ista(X, y, lam, groups, n_iter)``: ISTA for the group lasso, returning the weights."""
    X, y = _problem(40, 9, 12, k=3)
    groups = np.repeat(np.arange(3), 3)
    lam = 0.1 * _lam_max(X, y)
    cases = [_Case((X, y, lam, groups, k), f"your function(X, y, {lam:.3f}, groups, {k}) with 3 groups of 3")
             for k in (1, 5, 100)]
    return _check_function("group-lasso ISTA", "my_group_ista", fn, cases, _group_ista, rtol=1e-8, atol=1e-10,
                           verbose=verbose)


# --- chapter 10: the finite-difference gradient check -------------------------------------------------------------

def _tiny_net():
    from ..nn import MLP
    net = MLP([2, 3, 1], activation="tanh", init="xavier", seed=1)
    net.biases[0][:] = [0.1, -0.2, 0.3]
    net.biases[1][:] = -0.1
    rng = np.random.default_rng(3)
    X = rng.standard_normal((8, 2))
    y = (X[:, 0] - X[:, 1] > 0).astype(float)
    return net, X, y


def check_gradient_check(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_gradient_check(net, X, y, l2, h=1e-5, objective=None)``.

    On a tiny tanh network the relative error must be below 1e-7 for λ₂ = 0 and 0.1 (central differences; the
    forward difference gives about 1e-6); the network's parameters must be left as they were; and with an
    ``objective`` that adds a term back-propagation does not know about, the error must be large.
    """
    report = CheckReport("finite-difference gradient check")
    try:
        _check_callable(fn, report)
        for l2 in (0.0, 0.1):
            net, X, y = _tiny_net()
            before = [P.copy() for P in net.weights + net.biases]
            shown = f"your function(net, X, y, {l2})"
            value = _convert(report, _call(report, fn, (net, X, y, l2), shown), 0.0, shown)
            if not all(np.array_equal(P, Q) for P, Q in zip(before, net.weights + net.biases)):
                report.fail("mistake 'parameters not restored': after each perturbation put the entry back "
                            "(P[idx] = old); your function changed the network")
                raise _Stop
            if not np.isfinite(value) or value > 1e-7:
                if np.isfinite(value) and 3e-8 < value < 3e-5:
                    report.fail(f"mistake 'forward differences': {shown} returns {value:.1e}; use the central "
                                "difference (J(θ + h e_k) − J(θ − h e_k))/(2h), whose error is O(h²), not O(h)")
                else:
                    report.fail(f"{shown} returns {value:.3g}: for a correct back-propagation the relative error "
                                "of central differences is about 1e-10 (compare all weights, then all biases, "
                                "flattened in the order of net.weights + net.biases)")
                raise _Stop
        net, X, y = _tiny_net()

        def keras_like():
            return net.loss_and_gradients(X, y, loss="binary_cross_entropy")[0] + 0.1 * sum(
                float((W**2).sum()) for W in net.weights)

        shown = "your function(net, X, y, 0.0, objective=<J + 0.1·ΣW²>)"
        value = _convert(report, _call(report, fn, (net, X, y, 0.0, 1e-5, keras_like), shown), 0.0, shown)
        if not np.isfinite(value) or value < 1e-3:
            report.fail(f"mistake 'ignores objective': {shown} returns {value:.3g}; when `objective` is given, "
                        "the central differences must use objective() instead of the network's own loss")
    except _Stop:
        pass
    return _finish(report, verbose)


MISTAKES["my_gradient_check"] = [
    Mistake("forward differences", lambda *a: None, "use central differences, error O(h²)"),
    Mistake("parameters not restored", lambda *a: None, "put every perturbed entry back"),
    Mistake("ignores objective", lambda *a: None, "use objective() when it is given"),
]


# --- chapter 11: homogeneity of bias-free ReLU networks, the shallow sawtooth -------------------------------------

def _gap(mlp, X, c):
    X = np.asarray(X, float)
    return float(np.max(np.abs(mlp.predict(c * X) - c * mlp.predict(X))))


_register(
    "my_homogeneity_gap",
    Mistake("forgets the factor c", lambda m, X, c: float(np.max(np.abs(m.predict(c * np.asarray(X)) - m.predict(X)))),
            "compare f(c·x) with c·f(x), not with f(x)"),
    Mistake("mean instead of max", lambda m, X, c: float(np.mean(np.abs(m.predict(c * np.asarray(X))
                                                                       - c * m.predict(X)))),
            "return the largest gap over the rows, max_i |f(c x_i) − c f(x_i)|"),
    Mistake("signed gap", lambda m, X, c: float(np.max(m.predict(c * np.asarray(X)) - c * m.predict(X))),
            "take the absolute value before the maximum"),
)


def check_homogeneity_gap(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_homogeneity_gap(mlp, X, c)``: max_i |f(c x_i) − c f(x_i)|."""
    from ..nn import MLP
    rng = np.random.default_rng(2)
    X = rng.standard_normal((12, 2))
    with_bias = MLP([2, 8, 1], activation="relu", seed=3)
    for b in with_bias.biases:
        b[:] = 0.3 * rng.standard_normal(b.shape)
    tanh_free = MLP([2, 8, 1], activation="tanh", init="xavier", bias=False, seed=3)
    cases = [_Case((with_bias, X, 2.0), "your function(ReLU network with biases, X, 2.0)"),
             _Case((tanh_free, X, 3.0), "your function(bias-free tanh network, X, 3.0)"),
             _Case((with_bias, X, 0.5), "your function(ReLU network with biases, X, 0.5)")]
    return _check_function("homogeneity gap", "my_homogeneity_gap", fn, cases, _gap, rtol=1e-9, atol=1e-12,
                           verbose=verbose)


def check_shallow_sawtooth(fn: Callable, *, verbose: bool = True) -> CheckReport:
    """Check ``my_shallow_sawtooth(k)``: an ``MLP([1, 2**k, 1], activation="relu")`` equal to the k-fold tent map."""
    report = CheckReport("shallow sawtooth")
    try:
        _check_callable(fn, report)
        u = np.linspace(0, 1, 1025)
        for k in (1, 2, 3, 4):
            shown = f"your function({k})"
            net = _call(report, fn, (k,), shown)
            if net is None:
                report.fail(f"{shown} returned None: did you forget the `return` statement?")
                raise _Stop
            if not hasattr(net, "predict") or not hasattr(net, "sizes"):
                report.fail(f"{shown} should return an MLP, it returned {type(net).__name__}")
                raise _Stop
            if list(net.sizes) != [1, 2**k, 1]:
                report.fail(f"mistake 'wrong architecture': {shown} has sizes {list(net.sizes)}; one hidden layer "
                            f"of 2**k = {2**k} units is enough (one unit per linear piece)")
                raise _Stop
            tent = u.copy()
            for _ in range(k):
                tent = 1 - np.abs(2 * tent - 1)
            got = np.asarray(net.predict(u[:, None]), dtype=float).reshape(-1)
            if got.shape != u.shape or not np.allclose(got, tent, atol=1e-9):
                if got.shape == u.shape and np.allclose(got, -tent, atol=1e-9):
                    report.fail(f"mistake 'upside down': {shown} computes −t^(k); the first slope is +2^k")
                else:
                    i = int(np.argmax(np.abs(got - tent))) if got.shape == u.shape else 0
                    report.fail(f"{shown}: at u = {u[i]:.4f} the network gives {got[i]:.4f}, the tent map "
                                f"{tent[i]:.4f} (kinks at j/2^k with slope changes ±2^(k+1), first slope 2^k)")
                raise _Stop
    except _Stop:
        pass
    return _finish(report, verbose)


MISTAKES["my_shallow_sawtooth"] = [
    Mistake("wrong architecture", lambda k: None, "one hidden layer of 2**k units"),
    Mistake("upside down", lambda k: None, "the first slope is +2^k"),
]
