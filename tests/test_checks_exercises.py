"""The self-checks of the function-writing exercises: a correct answer passes, each catalogued mistake — planted
in a student-style function written here, independently of the catalogue — is named, nothing crashes."""

import numpy as np
import pytest
from scipy import stats

from lecture_code import checks
from lecture_code.checks import MISTAKES
from lecture_code.nn import MLP


def soft(z, t):
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


# --- correct answers, written as a student would ------------------------------------------------------------------

def polynomial_fit(x, y, degree):
    return np.linalg.lstsq(np.vander(x, degree + 1, increasing=True), y, rcond=None)[0]


def project_l1_ball(v, s):
    v = np.asarray(v, dtype=float)
    if np.abs(v).sum() <= s:
        return v.copy()
    if s == 0:
        return np.zeros_like(v)
    u = np.sort(np.abs(v))[::-1]
    excess = np.cumsum(u) - s
    k = np.flatnonzero(u - excess / np.arange(1, v.size + 1) > 0)[-1]
    return soft(v, excess[k] / (k + 1))


def kkt_violation(X, y, w, b, lam, *, mean=True, n=None, sign=1.0, active_inequality=False):
    r = y - X @ w - b
    c = X.T @ r / (X.shape[0] if n is None else n)
    if active_inequality:
        on_active = np.maximum(np.abs(c) - lam, 0.0)[w != 0]
    else:
        on_active = np.abs(c - sign * lam * np.sign(w))[w != 0]
    on_zeros = np.maximum(np.abs(c) - lam, 0.0)[w == 0]
    return max(on_active.max(initial=0.0), on_zeros.max(initial=0.0), abs(r.mean()) if mean else 0.0)


def subgradient_step(Xc, yc, w, lam, step):
    return w - step * (-Xc.T @ (yc - Xc @ w) / Xc.shape[0] + lam * np.sign(w))


def ista(X, y, lam, n_iter, *, threshold=None, centre=True, per_n=True):
    xm, ym = (X.mean(axis=0), y.mean()) if centre else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - xm, y - ym
    n = len(y)
    scale = n if per_n else 1
    eta = 1 / np.linalg.eigvalsh(Xc.T @ Xc / scale)[-1]
    w = np.zeros(X.shape[1])
    J = lambda w: 0.5 * np.mean((y - X @ w - (y.mean() - X.mean(0) @ w)) ** 2) + lam * np.abs(w).sum()
    history = [J(w)]
    for _ in range(n_iter):
        w = soft(w + eta * Xc.T @ (yc - Xc @ w) / scale, eta * lam if threshold is None else threshold)
        history.append(J(w))
    return w, y.mean() - X.mean(0) @ w, np.array(history)


def ista_centred(X, y, lam, n_iter=2000, *, eta_lam=True):
    eta = 1 / np.linalg.eigvalsh(X.T @ X / len(y))[-1]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        w = soft(w + eta * X.T @ (y - X @ w) / len(y), eta * lam if eta_lam else lam)
    return w


def prox_elastic_net(z, t, alpha):
    return soft(z, t * alpha) / (1 + t * (1 - alpha))


def precision_recall(selected, true_support):
    s, t = set(np.asarray(selected).tolist()), set(np.asarray(true_support).tolist())
    return (len(s & t) / len(s) if s else 1.0), (len(s & t) / len(t) if t else 1.0)


def jaccard(a, b):
    a, b = set(np.asarray(a).tolist()), set(np.asarray(b).tolist())
    return len(a & b) / len(a | b) if a | b else 1.0


def laplace_posterior_mean(z, s, tau, lam=None):
    z = np.asarray(z, dtype=float)
    lam = s**2 / tau if lam is None else lam
    mp, mm = z - lam, z + lam
    la, lb = -z / tau + stats.norm.logcdf(mp / s), z / tau + stats.norm.logcdf(-mm / s)
    ep = mp + s * np.exp(stats.norm.logpdf(mp / s) - stats.norm.logcdf(mp / s))
    em = mm - s * np.exp(stats.norm.logpdf(mm / s) - stats.norm.logcdf(-mm / s))
    top = np.maximum(la, lb)
    return (np.exp(la - top) * ep + np.exp(lb - top) * em) / (np.exp(la - top) + np.exp(lb - top))


def loo_residuals(X, y, lam, *, divide=True, bias=True, n_lam=True):
    n, p = X.shape
    Xc = X - X.mean(axis=0)
    H = Xc @ np.linalg.solve(Xc.T @ Xc + (n if n_lam else 1) * lam * np.eye(p), Xc.T) + (1 / n if bias else 0)
    r = y - (H @ y if bias else H @ (y - y.mean()) + y.mean())
    return r / (1 - np.diag(H)) if divide else r


def gap_safe(X, y, w, lam, *, radius=True, centre=True, per_n=True):
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if centre else (X, y)
    n = len(yc)
    r = yc - Xc @ w
    theta = r / n * min(1.0, lam / np.abs(Xc.T @ r / n).max())
    gap = 0.5 * r @ r / n + lam * np.abs(w).sum() - (theta @ yc - 0.5 * n * theta @ theta)
    rad = np.sqrt(2 * max(gap, 0.0) / (n if per_n else 1)) if radius else 0.0
    return np.abs(Xc.T @ theta) + rad * np.linalg.norm(Xc, axis=0) < lam


def group_ista(X, y, lam, groups, n_iter, *, sqrt_size=True, blocks=True, centre=True):
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if centre else (X, y)
    n = len(yc)
    eta = 1 / np.linalg.eigvalsh(Xc.T @ Xc / n)[-1]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        z = w + eta * Xc.T @ (yc - Xc @ w) / n
        for g in np.unique(groups):
            blk = groups == g
            t = eta * lam * (np.sqrt(blk.sum()) if sqrt_size else 1)
            if blocks:
                norm = np.linalg.norm(z[blk])
                w[blk] = (1 - t / norm) * z[blk] if norm > t else 0.0
            else:
                w[blk] = soft(z[blk], t)
    return w


def gradient_check(net, X, y, l2, h=1e-5, objective=None, *, central=True, restore=True, use_objective=True):
    def value():
        return net.loss_and_gradients(X, y, loss="binary_cross_entropy", l2=l2)[0]
    f = objective if (objective is not None and use_objective) else value
    _, dW, db = net.loss_and_gradients(X, y, loss="binary_cross_entropy", l2=l2)
    g = np.concatenate([a.ravel() for a in dW + db])
    g_hat = []
    for P in net.weights + net.biases:
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + h
            up = f()
            P[idx] = old - h if central else old
            down = f()
            if restore:
                P[idx] = old
            g_hat.append((up - down) / (2 * h if central else h))
    g_hat = np.array(g_hat)
    return np.linalg.norm(g - g_hat) / (np.linalg.norm(g) + np.linalg.norm(g_hat))


def homogeneity_gap(mlp, X, c):
    return float(np.max(np.abs(mlp.predict(c * X) - c * mlp.predict(X))))


def shallow_sawtooth(k, *, sign=1.0, width=None):
    N = 2**k
    net = MLP([1, width or N, 1], activation="relu", seed=0)
    net.weights[0][:] = 1.0
    net.biases[0][:] = -np.arange(width or N) / N
    changes = 2.0 * N * (-1.0) ** np.arange(width or N)
    changes[0] = N
    net.weights[1][:, 0] = sign * changes
    net.biases[1][:] = 0.0
    return net


CORRECT = {
    "check_polynomial_fit": polynomial_fit, "check_project_l1_ball": project_l1_ball,
    "check_kkt_violation": kkt_violation, "check_subgradient_step": subgradient_step, "check_ista": ista,
    "check_ista_centred": ista_centred, "check_prox_elastic_net": prox_elastic_net,
    "check_precision_recall": precision_recall, "check_jaccard": jaccard,
    "check_laplace_posterior_mean": laplace_posterior_mean, "check_loo_residuals": loo_residuals,
    "check_gap_safe": gap_safe, "check_group_ista": group_ista, "check_gradient_check": gradient_check,
    "check_homogeneity_gap": homogeneity_gap, "check_shallow_sawtooth": shallow_sawtooth,
}

# --- each catalogued mistake, as a student would make it ------------------------------------------------------------

PLANTED = {
    ("check_polynomial_fit", "decreasing powers"): lambda x, y, d: np.polyfit(x, y, d),
    ("check_polynomial_fit", "no constant column"): lambda x, y, d: np.r_[0.0, np.linalg.lstsq(
        np.column_stack([x**k for k in range(1, d + 1)]), y, rcond=None)[0]],
    ("check_project_l1_ball", "rescaling instead of thresholding"):
        lambda v, s: v * min(1.0, s / np.abs(v).sum()),
    ("check_project_l1_ball", "moves points inside the ball"):
        lambda v, s: np.zeros_like(v) if s == 0 else _always_threshold(v, s),
    ("check_project_l1_ball", "forgets the sign"): lambda v, s: np.abs(project_l1_ball(v, s)),
    ("check_kkt_violation", "forgets the bias condition"): lambda *a: kkt_violation(*a, mean=False),
    ("check_kkt_violation", "forgets 1/n"): lambda *a: kkt_violation(*a, n=1.0),
    ("check_kkt_violation", "wrong sign on the active set"): lambda *a: kkt_violation(*a, sign=-1.0),
    ("check_kkt_violation", "inequality on the active set"): lambda *a: kkt_violation(*a, active_inequality=True),
    ("check_subgradient_step", "sign(0) = 1"):
        lambda Xc, yc, w, lam, step: w - step * (-Xc.T @ (yc - Xc @ w) / len(yc) + lam * np.where(w >= 0, 1, -1)),
    ("check_subgradient_step", "forgets 1/n"):
        lambda Xc, yc, w, lam, step: w - step * (-Xc.T @ (yc - Xc @ w) + lam * np.sign(w)),
    ("check_subgradient_step", "L2 instead of L1"):
        lambda Xc, yc, w, lam, step: w - step * (-Xc.T @ (yc - Xc @ w) / len(yc) + lam * w),
    ("check_subgradient_step", "ascent on the loss"):
        lambda Xc, yc, w, lam, step: w - step * (Xc.T @ (yc - Xc @ w) / len(yc) + lam * np.sign(w)),
    ("check_ista", "threshold λ instead of ηλ"): lambda X, y, lam, k: ista(X, y, lam, k, threshold=lam),
    ("check_ista", "no centring"): lambda X, y, lam, k: ista(X, y, lam, k, centre=False),
    ("check_ista", "step from XᵀX without 1/n"): lambda X, y, lam, k: ista(X, y, lam, k, per_n=False),
    ("check_ista_centred", "threshold λ instead of ηλ"): lambda X, y, lam, k=2000: ista_centred(X, y, lam, k, eta_lam=False),
    ("check_ista_centred", "step from XᵀX without 1/n"): lambda X, y, lam, k=2000: _ista_centred_no_n(X, y, lam, k),
    ("check_prox_elastic_net", "forgets the denominator"): lambda z, t, a: soft(z, t * a),
    ("check_prox_elastic_net", "threshold t instead of tα"): lambda z, t, a: soft(z, t) / (1 + t * (1 - a)),
    ("check_prox_elastic_net", "denominator 1 + tα"): lambda z, t, a: soft(z, t * a) / (1 + t * a),
    ("check_prox_elastic_net", "shrink before thresholding"): lambda z, t, a: soft(np.asarray(z) / (1 + t - t * a), t * a),
    ("check_precision_recall", "precision and recall swapped"): lambda s, t: precision_recall(s, t)[::-1],
    ("check_precision_recall", "empty sets score 0"):
        lambda s, t: (len(set(s) & set(t)) / max(len(s), 1), len(set(s) & set(t)) / max(len(t), 1)),
    ("check_jaccard", "divides by the smaller set"):
        lambda a, b: len(set(a) & set(b)) / min(len(a), len(b)) if len(a) and len(b) else float(not (len(a) or len(b))),
    ("check_jaccard", "two empty sets score 0"): lambda a, b: len(set(a) & set(b)) / max(len(set(a) | set(b)), 1),
    ("check_laplace_posterior_mean", "the posterior mode"): lambda z, s, tau: soft(z, s**2 / tau),
    ("check_laplace_posterior_mean", "λ = s/τ"): lambda z, s, tau: laplace_posterior_mean(z, s, tau, lam=s / tau),
    ("check_loo_residuals", "ordinary residuals"): lambda X, y, lam: loo_residuals(X, y, lam, divide=False),
    ("check_loo_residuals", "forgets the bias's leverage"): lambda X, y, lam: loo_residuals(X, y, lam, bias=False),
    ("check_loo_residuals", "penalty λ instead of nλ"): lambda X, y, lam: loo_residuals(X, y, lam, n_lam=False),
    ("check_gap_safe", "no radius (unsafe)"): lambda *a: gap_safe(*a, radius=False),
    ("check_gap_safe", "no centring"): lambda *a: gap_safe(*a, centre=False),
    ("check_gap_safe", "radius √(2·gap)"): lambda *a: gap_safe(*a, per_n=False),
    ("check_group_ista", "threshold without √p_g"): lambda *a: group_ista(*a, sqrt_size=False),
    ("check_group_ista", "coordinate-wise thresholds"): lambda *a: group_ista(*a, blocks=False),
    ("check_group_ista", "no centring"): lambda *a: group_ista(*a, centre=False),
    ("check_gradient_check", "forward differences"):
        lambda net, X, y, l2, h=1e-5, objective=None: gradient_check(net, X, y, l2, h, objective, central=False),
    ("check_gradient_check", "parameters not restored"):
        lambda net, X, y, l2, h=1e-5, objective=None: gradient_check(net, X, y, l2, h, objective, restore=False),
    ("check_gradient_check", "ignores objective"):
        lambda net, X, y, l2, h=1e-5, objective=None: gradient_check(net, X, y, l2, h, objective, use_objective=False),
    ("check_homogeneity_gap", "forgets the factor c"): lambda m, X, c: float(np.max(np.abs(m.predict(c * X) - m.predict(X)))),
    ("check_homogeneity_gap", "mean instead of max"): lambda m, X, c: float(np.mean(np.abs(m.predict(c * X) - c * m.predict(X)))),
    ("check_homogeneity_gap", "signed gap"): lambda m, X, c: float(np.max(m.predict(c * X) - c * m.predict(X))),
    ("check_shallow_sawtooth", "wrong architecture"): lambda k: shallow_sawtooth(k, width=2**k + 1),
    ("check_shallow_sawtooth", "upside down"): lambda k: shallow_sawtooth(k, sign=-1.0),
}


def _always_threshold(v, s):
    u = np.sort(np.abs(v))[::-1]
    excess = np.cumsum(u) - s
    k = np.flatnonzero(u - excess / np.arange(1, v.size + 1) > 0)[-1]
    return soft(v, excess[k] / (k + 1))


def _ista_centred_no_n(X, y, lam, n_iter):
    eta = 1 / np.linalg.eigvalsh(X.T @ X)[-1]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        w = soft(w + eta * X.T @ (y - X @ w), eta * lam)
    return w


def _key(check_name: str) -> str:
    return {"check_polynomial_fit": "my_polynomial_fit", "check_project_l1_ball": "my_project_l1_ball",
            "check_kkt_violation": "my_kkt_violation", "check_subgradient_step": "my_subgradient_step",
            "check_ista": "my_ista", "check_ista_centred": "my_ista_centred",
            "check_prox_elastic_net": "my_prox_elastic_net", "check_precision_recall": "my_precision_recall",
            "check_jaccard": "my_jaccard", "check_laplace_posterior_mean": "laplace_posterior_mean",
            "check_loo_residuals": "my_loo_residuals", "check_gap_safe": "my_gap_safe",
            "check_group_ista": "my_group_ista", "check_gradient_check": "my_gradient_check",
            "check_homogeneity_gap": "my_homogeneity_gap", "check_shallow_sawtooth": "my_shallow_sawtooth"}[check_name]


@pytest.mark.parametrize("check_name", CORRECT)
def test_a_correct_answer_passes(check_name, capsys):
    report = getattr(checks, check_name)(CORRECT[check_name])
    assert report.passed, report.feedback
    assert "checks passed" in capsys.readouterr().out


def test_every_catalogued_mistake_is_planted_here():
    catalogued = {(check, m.name) for check in CORRECT for m in MISTAKES[_key(check)]}
    assert catalogued == set(PLANTED)


@pytest.mark.parametrize("check_name,mistake", sorted(PLANTED))
def test_each_planted_mistake_is_named(check_name, mistake):
    report = getattr(checks, check_name)(PLANTED[check_name, mistake], verbose=False)
    assert not report.passed
    assert any(f"mistake '{mistake}'" in line for line in report.feedback), report.feedback


@pytest.mark.parametrize("check_name", CORRECT)
@pytest.mark.parametrize("answer,expected", [
    (lambda *a, **k: None, "did you forget the `return` statement?"),
    (lambda *a, **k: 1 / 0, "raised ZeroDivisionError"),
    ("not a function", "pass your function itself"),
])
def test_a_broken_answer_is_reported_not_raised(check_name, answer, expected):
    report = getattr(checks, check_name)(answer, verbose=False)
    assert not report.passed and any(expected in line for line in report.feedback), report.feedback


def test_an_unknown_mistake_shows_the_first_case_that_differs():
    report = checks.check_prox_elastic_net(lambda z, t, a: soft(z, t * a) / (1 + t * (1 - a)) + 0.01, verbose=False)
    assert not report.passed and "expected" in report.feedback[0] and "mistake" not in report.feedback[0]


def test_a_student_function_that_mutates_its_inputs_does_not_change_the_verdict():
    def mutating(v, s):
        out = project_l1_ball(v, s)
        v[:] = 0.0
        return out

    assert checks.check_project_l1_ball(mutating, verbose=False).passed
