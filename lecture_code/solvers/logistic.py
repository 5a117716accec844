r"""Penalised logistic regression: the course's penalties on the log-loss.

For labels :math:`y_i \in \{0, 1\}` and scores (logits) :math:`\hat z_i = x_i^\top w + b`, the model's
probability is :math:`\hat y_i = \operatorname{sigm}(\hat z_i) = 1/(1 + e^{-\hat z_i})` and the course
minimises the *mean* log-loss plus the elastic-net penalty,

.. math::

    J(w, b) = \frac1n\sum_{i=1}^n \Big[\log\big(1 + e^{\hat z_i}\big) - y_i\hat z_i\Big]
              + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

with the bias :math:`b` never penalised (:math:`\alpha = 1`: L1, :math:`\alpha = 0`: L2).
scikit-learn's ``LogisticRegression(C=C, l1_ratio=α)`` minimises
:math:`C\sum_i[\dots] + \alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2`, i.e. the
*sum* of the losses; dividing by :math:`nC` gives the course objective, so

.. math::

    C = \frac{1}{n\lambda}

(:func:`sklearn_C`).

:func:`logistic_regression` solves it by **proximal Newton**, the method of glmnet (Friedman,
Hastie & Tibshirani 2010, section 3): at the current scores :math:`s = Xw + b`, with
:math:`\hat y = \operatorname{sigm}(s)` and weights :math:`W_i = \hat y_i(1 - \hat y_i)`, the mean log-loss is replaced by
its second-order Taylor expansion, a weighted least-squares loss
:math:`\frac{1}{2n}\sum_i W_i(z_i - x_i^\top v - c)^2` with the working response
:math:`z = s + (y - \hat y)/W`; that penalised weighted least-squares problem is an elastic net on
rescaled data and is solved exactly by :func:`lecture_code.solvers.enet_path` (for :math:`\alpha = 0`
by its normal equations); a backtracking line
search along the step keeps :math:`J` decreasing. The iteration stops when the KKT conditions hold to
``tol`` (there is no convenient duality gap here): the largest entry of the minimum-norm
subgradient, relative to the gradient at the start, :math:`\lVert X^\top(y - \bar y)\rVert_\infty/n`.
:func:`logistic_path` follows a decreasing grid from
:math:`\lambda_{\max} = \lVert X^\top(y - \bar y)\rVert_\infty/(n\alpha)`, where every weight is zero,
with warm starts. This module imports only numpy and the course's helpers (the solvers, for the inner problem).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_per_column, check_real, check_Xy
from ..exceptions import ConvergenceWarning
from .paths import _check_path_inputs, _given_grid, _warn_unconverged
from .results import FitResult

__all__ = ["LogisticPath", "log_loss", "logistic_lambda_max", "logistic_path", "logistic_regression",
           "predict_proba", "sklearn_C", "sklearn_logistic"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _mean_loss(scores: np.ndarray, y: np.ndarray) -> float:
    """Mean of log(1 + e^s) - y s, computed stably (logaddexp)."""
    return float(np.mean(np.logaddexp(0.0, scores) - y * scores))


def _check_labels(y: np.ndarray) -> np.ndarray:
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold labels 0 and 1 only")
    return y


def predict_proba(X, w, b: float) -> np.ndarray:
    r"""The model's probabilities :math:`\operatorname{sigm}(Xw + b)` of the label 1.

    Parameters
    ----------
    X : array_like of shape (m, p)
    w : array_like of shape (p,)
    b : float

    Returns
    -------
    ndarray of shape (m,)
    """
    X = as_float_array(X, "X", ndim=2)
    w = check_per_column(w, X, "w")
    return _sigmoid(X @ w + check_real(b, "b"))


def log_loss(y, proba) -> float:
    r"""The mean log-loss :math:`-\frac1n\sum_i [y_i\log\hat y_i + (1 - y_i)\log(1 - \hat y_i)]` of probabilities :math:`\hat y`.

    Parameters
    ----------
    y : array_like of shape (n,)
        Labels 0 and 1.
    proba : array_like of shape (n,)
        Probabilities of the label 1, in [0, 1] (clipped to :math:`[10^{-15}, 1 - 10^{-15}]`).

    Returns
    -------
    float
    """
    y = _check_labels(as_float_array(y, "y", ndim=1))
    proba = as_float_array(proba, "proba", ndim=1)
    if proba.shape != y.shape:
        raise ValueError(f"proba must have the shape of y {y.shape}, got {proba.shape}")
    if np.any((proba < 0) | (proba > 1)):
        raise ValueError("proba must lie in [0, 1]")
    proba = np.clip(proba, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(proba) + (1 - y) * np.log(1 - proba)))


def sklearn_C(lam: float, n: int) -> float:
    r"""scikit-learn's ``C`` for the course's :math:`\lambda`: :math:`C = 1/(n\lambda)`.

    ``LogisticRegression(C=sklearn_C(λ, n), l1_ratio=α)`` minimises the course objective
    (module docstring) multiplied by :math:`nC`: the same minimiser.
    """
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    return 1.0 / (check_int(n, "n", low=1) * lam)


def sklearn_logistic(C: float, l1_ratio: float, **options):
    r"""scikit-learn's ``LogisticRegression`` with inverse strength ``C`` and mixing ``l1_ratio``, on any version.

    From scikit-learn 1.8 the penalty is read from ``l1_ratio`` alone (1: L1, 0: L2, between: elastic
    net) and ``penalty`` is deprecated; before 1.8, ``l1_ratio`` is ignored unless
    ``penalty="elasticnet"`` — a plain ``LogisticRegression(C=C, l1_ratio=1)`` there silently fits
    **L2**. This builds the estimator that fits the same problem on both sides of that change.

    Parameters
    ----------
    C : float
        scikit-learn's inverse penalty strength, :math:`C = 1/(n\lambda)` in the course's units (:func:`sklearn_C`).
    l1_ratio : float in [0, 1]
        The course's :math:`lpha`.
    **options
        Passed on (``solver``, ``tol``, ``max_iter``, ...). The solver must support the penalty:
        ``"saga"`` supports every ``l1_ratio``; ``"liblinear"`` only 0 and 1; ``"newton-cholesky"`` and
        ``"lbfgs"`` only 0.

    Returns
    -------
    sklearn.linear_model.LogisticRegression
        Not fitted.
    """
    import sklearn
    from sklearn.linear_model import LogisticRegression

    C = check_real(C, "C", low=0.0, low_open=True)
    l1_ratio = check_real(l1_ratio, "l1_ratio", low=0.0, high=1.0)
    if "penalty" in options:
        raise TypeError("penalty is set from l1_ratio; do not pass it")
    if tuple(int(part) for part in sklearn.__version__.split(".")[:2]) >= (1, 8):
        return LogisticRegression(C=C, l1_ratio=l1_ratio, **options)
    penalty = {0.0: "l2", 1.0: "l1"}.get(l1_ratio, "elasticnet")
    mixing = {"l1_ratio": l1_ratio} if penalty == "elasticnet" else {}
    return LogisticRegression(C=C, penalty=penalty, **mixing, **options)


def _kkt(corr: np.ndarray, w: np.ndarray, bias_grad: float, lam: float, alpha: float) -> float:
    r"""Largest entry of the minimum-norm subgradient of J; ``corr`` is :math:`X^\top(y - \hat y)/n`."""
    c = corr - lam * (1.0 - alpha) * w
    kappa = lam * alpha
    viol = np.where(w != 0, np.abs(c - kappa * np.sign(w)), np.maximum(np.abs(c) - kappa, 0.0))
    return max(float(viol.max()) if viol.size else 0.0, abs(bias_grad))


class _Problem:
    """Data and labels, and the scale of the stopping rule."""

    def __init__(self, X: np.ndarray, y: np.ndarray, fit_intercept: bool):
        self.X, self.y, self.fit_intercept = X, y, fit_intercept
        n = X.shape[0]
        ybar = float(y.mean()) if fit_intercept else 0.5
        self.scale = (float(np.abs(X.T @ (y - ybar)).max()) / n if X.shape[1] else 0.0) or 1.0

    def objective(self, w: np.ndarray, b: float, lam: float, alpha: float) -> float:
        return _mean_loss(self.X @ w + b, self.y) + lam * _penalty(w, alpha)


def _penalty(w: np.ndarray, alpha: float) -> float:
    return alpha * float(np.abs(w).sum()) + 0.5 * (1.0 - alpha) * float(w @ w)


def _newton_step(prob: _Problem, scores: np.ndarray, pi: np.ndarray, lam: float, alpha: float) -> tuple[np.ndarray, float]:
    r"""Minimiser :math:`(v, c)` of the quadratic model of the loss plus the exact penalty.

    :math:`\frac{1}{2n}\sum_i W_i(z_i - x_i^\top v - c)^2 + \lambda P_\alpha(v)`: the best :math:`c` is the
    weighted mean :math:`\bar z_W - \bar x_W^\top v`, and what remains is an ordinary elastic net on the rows
    :math:`\sqrt{W_i}(x_i - \bar x_W)`, :math:`\sqrt{W_i}(z_i - \bar z_W)`.
    """
    from .paths import enet_path

    W = np.maximum(pi * (1.0 - pi), 1e-12)       # the floor keeps z finite where a point is fitted perfectly
    z = scores + (prob.y - pi) / W
    if prob.fit_intercept:
        x_mean, z_mean = W @ prob.X / W.sum(), float(W @ z / W.sum())
    else:
        x_mean, z_mean = np.zeros(prob.X.shape[1]), 0.0
    root = np.sqrt(W)
    Xw, zw = (prob.X - x_mean) * root[:, None], (z - z_mean) * root
    n, p = Xw.shape
    if alpha == 0.0:      # ridge: the normal equations (X^T X / n + lam I) v = X^T z / n, a p x p solve
        v = np.linalg.solve(Xw.T @ Xw / n + lam * np.eye(p), Xw.T @ zw / n)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            v = enet_path(Xw, zw, alpha, lambdas=[lam], fit_intercept=False, tol=1e-12, max_iter=10_000).coefs[:, 0]
    return v, (z_mean - float(x_mean @ v)) if prob.fit_intercept else 0.0


def _prox_newton(prob: _Problem, w: np.ndarray, b: float, lam: float, alpha: float, tol: float,
                 max_iter: int) -> tuple[np.ndarray, float, int, float, list[float]]:
    """Proximal Newton with backtracking from (w, b) until the relative KKT violation is <= tol."""
    X, y, n = prob.X, prob.y, prob.X.shape[0]
    history: list[float] = []
    violation = np.inf
    for k in range(max_iter + 1):
        scores = X @ w + b
        pi = _sigmoid(scores)
        resid = y - pi
        value = _mean_loss(scores, y) + lam * _penalty(w, alpha)
        history.append(value)
        bias_grad = -float(resid.mean()) if prob.fit_intercept else 0.0
        violation = _kkt(X.T @ resid / n, w, bias_grad, lam, alpha) / prob.scale
        if violation <= tol or k == max_iter:
            break
        v, c = _newton_step(prob, scores, pi, lam, alpha)
        dw, db = v - w, c - b
        # Sufficient decrease (Armijo) along the step; the predicted decrease D < 0 is the first-order change.
        predicted = float(-(X.T @ resid / n) @ dw + bias_grad * db) + lam * (_penalty(v, alpha) - _penalty(w, alpha))
        # (A few ulps of slack: near the solution both sides differ only by rounding.)
        step, slack = 1.0, 16 * np.finfo(float).eps * abs(value)
        while (step > 1e-10 and prob.objective(w + step * dw, b + step * db, lam, alpha)
               > value + 0.25 * step * predicted + slack):
            step *= 0.5
        w, b = w + step * dw, b + step * db
    return w, b, k, violation, history


def _start(prob: _Problem) -> float:
    """The best bias for w = 0: the log-odds of the mean label (0 without an intercept)."""
    if not prob.fit_intercept:
        return 0.0
    ybar = float(prob.y.mean())
    if ybar in (0.0, 1.0):
        raise ValueError("y must contain both labels 0 and 1")
    return float(np.log(ybar / (1.0 - ybar)))


def logistic_regression(X, y, lam: float, alpha: float = 1.0, *, fit_intercept: bool = True, tol: float = 1e-6,
                        max_iter: int = 100) -> FitResult:
    r"""Penalised logistic regression by proximal Newton (glmnet's method).

    Minimises

    .. math::

        J(w, b) = \frac1n\sum_{i=1}^n \Big[\log\big(1 + e^{x_i^\top w + b}\big) - y_i(x_i^\top w + b)\Big]
                  + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big)

    for labels :math:`y_i \in \{0, 1\}`: scikit-learn's
    ``LogisticRegression(C=1/(nλ), l1_ratio=α)`` (:func:`sklearn_C`). Each iteration replaces the
    log-loss by its quadratic (Taylor) model at the current point, a weighted least-squares loss with
    weights :math:`\hat y_i(1 - \hat y_i)`, solves that penalised problem exactly (an elastic net, by
    :func:`lecture_code.solvers.enet_path`), and moves towards its solution with a backtracking line
    search that guarantees a sufficient decrease of :math:`J`.

    Parameters
    ----------
    X : array_like of shape (n, p)
        Features (standardise them first: the penalty treats all weights alike).
    y : array_like of shape (n,)
        Labels 0 and 1, both present when ``fit_intercept=True``.
    lam : float
        :math:`\lambda > 0`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`: 1 is the L1 penalty, 0 the L2 penalty.
    fit_intercept : bool, default True
    tol : float, default 1e-6
        Stop when the largest KKT violation, divided by :math:`\lVert X^\top(y - \bar y)\rVert_\infty/n`, is at most ``tol``.
    max_iter : int, default 100
        Newton steps allowed.

    Returns
    -------
    FitResult
        ``gap`` holds the relative KKT violation reached, ``history`` the objective after each Newton step.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the relative KKT violation reached.
    """
    X, y = check_Xy(X, y)
    _check_labels(y)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    prob = _Problem(X, y, fit_intercept)
    w, b, k, violation, history = _prox_newton(prob, np.zeros(X.shape[1]), _start(prob), lam, alpha, tol, max_iter)
    converged = violation <= tol
    if not converged:
        warnings.warn(f"logistic_regression reached max_iter={max_iter} with relative KKT violation {violation:.3g} "
                      f"> tol={tol:.3g}", ConvergenceWarning, stacklevel=2)
    return FitResult(coef=w, intercept=float(b), n_iter=k, gap=float(violation), converged=converged,
                     history=np.array(history))


def logistic_lambda_max(X, y, alpha: float = 1.0, *, fit_intercept: bool = True) -> float:
    r"""The smallest :math:`\lambda` at which every weight is 0: :math:`\lVert X^\top(y - \bar y)\rVert_\infty/(n\alpha)`.

    At :math:`w = 0` the best bias makes :math:`\operatorname{sigm}(b) = \bar y`, so the loss gradient is
    :math:`-X^\top(y - \bar y)/n`, and the KKT conditions of the L1 part hold iff its entries are at most
    :math:`\lambda\alpha` in size (:math:`\bar y` is replaced by 1/2 without an intercept). Requires :math:`\alpha > 0`.
    """
    X, y = check_Xy(X, y)
    _check_labels(y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True)
    centre = float(y.mean()) if check_bool(fit_intercept, "fit_intercept") else 0.5
    return float(np.abs(X.T @ (y - centre)).max()) / (X.shape[0] * alpha)


@dataclass(frozen=True)
class LogisticPath:
    """What :func:`logistic_path` returns: ``coefs[:, i]``, ``intercepts[i]`` solve the problem at ``lambdas[i]``."""

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    violations: np.ndarray
    n_iter: np.ndarray
    alpha: float


def logistic_path(X, y, lambdas=None, alpha: float = 1.0, n_lambdas: int = 30, eps: float = 1e-2, *,
                  fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 100) -> LogisticPath:
    r"""Penalised logistic regression along a decreasing grid of :math:`\lambda`, with warm starts.

    Solves :func:`logistic_regression`'s problem for each :math:`\lambda` of the grid, starting each
    solve from the previous solution. The default grid is ``geomspace(λ_max, eps·λ_max, n_lambdas)``
    with :math:`\lambda_{\max}` from :func:`logistic_lambda_max` (it needs :math:`\alpha > 0`; for
    :math:`\alpha = 0` pass ``lambdas``).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lambdas : array_like, optional
        All > 0, sorted into decreasing order.
    alpha : float, default 1.0
    n_lambdas : int, default 30
    eps : float, default 1e-2
    fit_intercept : bool, default True
    tol : float, default 1e-6
    max_iter : int, default 100
        Newton steps allowed per :math:`\lambda`.

    Returns
    -------
    LogisticPath

    Warns
    -----
    ConvergenceWarning
        When some :math:`\lambda` ran out of Newton steps, stating the largest relative KKT violation.
    """
    X, y, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_inputs(X, y, n_lambdas, eps, fit_intercept, tol,
                                                                            max_iter)
    _check_labels(y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    if lambdas is None:
        if alpha == 0:
            raise ValueError("alpha must be > 0 when lambdas is None (the L2 path has no finite lam_max); "
                             "pass lambdas")
        lam_max = logistic_lambda_max(X, y, alpha, fit_intercept=fit_intercept)
        lambdas = np.geomspace(lam_max, eps * lam_max, n_lambdas)
    else:
        lambdas = _given_grid(lambdas)
    prob = _Problem(X, y, fit_intercept)
    k = lambdas.size
    coefs, intercepts, violations = np.zeros((X.shape[1], k)), np.zeros(k), np.zeros(k)
    n_iter = np.zeros(k, dtype=int)
    w, b = np.zeros(X.shape[1]), _start(prob)
    for i, lam in enumerate(lambdas):
        w, b, n_iter[i], violations[i], _ = _prox_newton(prob, w, b, lam, alpha, tol, max_iter)
        coefs[:, i], intercepts[i] = w, b
    _warn_unconverged("logistic_path", violations, tol, max_iter, measure="relative KKT violation")
    return LogisticPath(lambdas=lambdas, coefs=coefs, intercepts=intercepts, violations=violations, n_iter=n_iter,
                        alpha=alpha)
