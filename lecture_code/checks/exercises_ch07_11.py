r"""Self-checks for the function-writing exercises of chapters 7-11 (the recipe is in ``exercises.py``).

Import rule: numpy and lecture_code's reference implementations; never matplotlib or ipywidgets,
and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from . import CheckReport, _call, _check_callable, _finish, _Stop
from .exercises import (MISTAKES, Mistake, _Case, _centred, _check_function, _convert, _lam_max, _no_centring, _problem,
                        _register, _soft)

__all__ = [
    "check_gap_safe", "check_gradient_check", "check_group_ista", "check_homogeneity_gap", "check_jaccard",
    "check_laplace_posterior_mean", "check_loo_residuals", "check_precision_recall", "check_shallow_sawtooth",
]


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
    from ..solvers.screening import gap_safe_rule
    return gap_safe_rule(X, y, w, lam)[0]


def _gap_safe_parts(X, y, w, lam, *, radius=True, centre=True, per_n=True):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    Xc, yc = _centred(X, y) if centre else (X, y)
    n = len(yc)
    r = yc - Xc @ w
    theta = r / n * min(1.0, lam / np.abs(Xc.T @ r / n).max())
    gap = 0.5 * r @ r / n + lam * np.abs(w).sum() - (theta @ yc - 0.5 * n * theta @ theta)
    rad = np.sqrt(2 * max(gap, 0.0) / (n if per_n else 1.0)) if radius else 0.0
    return np.abs(Xc.T @ theta) + rad * np.linalg.norm(Xc, axis=0) < lam


_register(
    "my_gap_safe",
    Mistake("no radius (unsafe)", lambda *a: _gap_safe_parts(*a, radius=False),
            "testing |x_jᵀθ| < λ at the dual point alone is not safe: add the sphere's radius √(2·gap/n) times ‖x_j‖"),
    _no_centring(_gap_safe_parts),
    Mistake("radius √(2·gap)", lambda *a: _gap_safe_parts(*a, per_n=False),
            "the radius of the safe sphere is √(2·gap/n) in the course's scaling, gap = J(w) − D(θ)"),
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
    Xc, yc = _centred(X, y) if centre else (X, y)
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
    _no_centring(_group_ista),
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
