r"""Solvers for the course's penalised least-squares problems.

Every solver minimises, in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
              + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

with :math:`\lambda \ge 0`, :math:`\alpha \in [0, 1]` and the bias :math:`b`
never penalised. With ``fit_intercept=True`` the bias is fitted by centring
``X`` and ``y``; then :math:`b = \bar y - \bar x^\top w`.

In scikit-learn's terms: ``Lasso(alpha=λ)`` is :math:`\alpha = 1`,
``ElasticNet(alpha=λ, l1_ratio=α)`` the general case and ``Ridge(alpha=n·λ)``
:math:`\alpha = 0` (Ridge puts no :math:`1/n` in front of its loss).

**One stopping rule for every iterative solver.** For :math:`\lambda > 0` a
solver stops when the duality gap (see :func:`duality_gap`), an upper bound
on :math:`J(w, b) - \min J`, satisfies

.. math::

    P(w) - D(\theta) \le \mathrm{tol}\cdot J(0),
    \qquad J(0) = \tfrac{1}{2n}\lVert y - \bar y\rVert^2

(the objective at :math:`w = 0` with the intercept fitted), so ``tol`` means
the same thing for every solver and every data scale. At :math:`\lambda = 0`
(plain least squares) the dual has no usable feasible point and no gap
exists; the solvers then stop when the relative gradient norm
:math:`\lVert X^\top r\rVert_\infty / \lVert X^\top y\rVert_\infty` (centred data)
is at most ``tol``. The paths require :math:`\lambda > 0`. When ``max_iter``
comes first a :class:`~lecture_code.ConvergenceWarning` states the measure
reached.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real, check_Xy
from .exceptions import ConvergenceWarning
from .penalties import _prox_elastic_net

__all__ = [
    "FitResult",
    "PathResult",
    "coordinate_descent",
    "duality_gap",
    "enet_path",
    "fista",
    "gradient_descent",
    "ista",
    "kkt_violation",
    "lasso_path",
    "least_squares",
    "ridge",
    "subgradient_descent",
]


@dataclass(frozen=True)
class FitResult:
    """What a solver returns.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        The weights :math:`w`.
    intercept : float
        The bias :math:`b` (0 when ``fit_intercept=False``).
    n_iter : int
        Iterations performed (0 for closed forms).
    gap : float
        The optimality measure reached: for :math:`\\lambda > 0` the relative
        duality gap :math:`(P - D)/J(0)`, the quantity compared with ``tol``;
        at :math:`\\lambda = 0` the relative gradient norm (0 for ``least_squares``).
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    history : ndarray
        The objective :math:`J` at the starting point and after each
        iteration (length ``n_iter + 1``; empty for closed forms), for
        convergence plots.
    """

    coef: np.ndarray
    intercept: float
    n_iter: int = 0
    gap: float = 0.0
    converged: bool = True
    history: np.ndarray = field(default_factory=lambda: np.empty(0))

    def predict(self, X) -> np.ndarray:
        """Return :math:`\\hat y = Xw + b` for a design matrix ``X`` of shape (m, p)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.shape[0]:
            raise ValueError(f"X must be 2-D with {self.coef.shape[0]} columns, got shape {X.shape}")
        return X @ self.coef + self.intercept


@dataclass(frozen=True)
class PathResult:
    """What :func:`lasso_path` and :func:`enet_path` return.

    Attributes
    ----------
    lambdas : ndarray of shape (k,)
        The penalty strengths, in decreasing order.
    coefs : ndarray of shape (p, k)
        ``coefs[:, i]`` are the weights at ``lambdas[i]``.
    intercepts : ndarray of shape (k,)
    gaps : ndarray of shape (k,)
        Relative duality gap :math:`(P - D)/J(0)` reached at each :math:`\\lambda`.
    n_iter : ndarray of shape (k,)
        Inner iterations spent at each :math:`\\lambda`.
    alpha : float
        The mixing parameter :math:`\\alpha` of the path.
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray
    n_iter: np.ndarray
    alpha: float


# --------------------------------------------------------------------------
# Shared pieces: centring, the objective, the duality gap, the stopping rule.
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Centred:
    """The centred problem every solver works on, and the way back to (w, b)."""

    X: np.ndarray
    y: np.ndarray
    x_mean: np.ndarray
    y_mean: float

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def j0(self) -> float:
        """J(0): the objective at w = 0 (intercept fitted), the scale of ``tol``."""
        return 0.5 * float(self.y @ self.y) / self.n

    def intercept(self, w: np.ndarray) -> float:
        return self.y_mean - float(self.x_mean @ w)

    def relative(self, gap: float) -> float:
        """A gap in units of J(0), the scale of ``tol`` (unchanged when J(0) = 0, where w = 0 is exact)."""
        return gap / self.j0 if self.j0 > 0 else gap


def _centre(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> _Centred:
    if not fit_intercept:
        return _Centred(X, y, np.zeros(X.shape[1]), 0.0)
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return _Centred(X - x_mean, y - y_mean, x_mean, y_mean)


def _check_penalty(lam, alpha, *, lam_positive: bool = False) -> tuple[float, float]:
    lam = check_real(lam, "lam", low=0.0, low_open=lam_positive)
    return lam, check_real(alpha, "alpha", low=0.0, high=1.0)


def _penalty(w: np.ndarray, lam: float, alpha: float) -> float:
    return lam * (alpha * float(np.abs(w).sum()) + 0.5 * (1.0 - alpha) * float(w @ w))


def _gap(r2: float, ry: float, corr: np.ndarray, w: np.ndarray, lam: float, alpha: float) -> float:
    r"""Duality gap of the centred problem at ``w`` (absolute, in units of J).

    Inputs are ``r2`` = :math:`\lVert r\rVert^2/n`, ``ry`` = :math:`r^\top y/n`
    and ``corr`` = :math:`X^\top r/n` for the residual :math:`r = y - Xw`.
    Two dual points are built from the residual and the better one is used:

    * (A) for :math:`\alpha > 0`, the residual rescaled into the dual-feasible
      set :math:`\lVert X^\top\theta - \mu w\rVert_\infty \le \kappa` (the
      elastic net seen as a lasso on augmented data; scikit-learn's choice);
    * (B) for :math:`\alpha < 1`, the residual itself with the exact conjugate
      of the penalty, :math:`\lVert S(X^\top\theta, \kappa)\rVert^2/(2\mu)`
      (every point is feasible; the only option for ridge),

    with :math:`\kappa = \lambda\alpha`, :math:`\mu = \lambda(1-\alpha)`.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    ww = float(w @ w)
    primal = 0.5 * r2 + kappa * float(np.abs(w).sum()) + 0.5 * mu * ww
    dual = -np.inf
    if kappa > 0:
        dual_norm = float(np.abs(corr - mu * w).max())
        scale = 1.0 if dual_norm <= kappa else kappa / dual_norm
        dual = scale * ry - 0.5 * scale**2 * (r2 + mu * ww)
    if mu > 0:
        excess = np.maximum(np.abs(corr) - kappa, 0.0)  # |soft threshold|, all the square needs
        dual = max(dual, ry - 0.5 * r2 - float(excess @ excess) / (2.0 * mu))
    return primal - dual


def _exact_gap(prob: _Centred, w: np.ndarray, lam: float, alpha: float) -> tuple[float, np.ndarray]:
    """Absolute gap and correlations X^T r/n from the residual itself (no Gram rounding)."""
    r = prob.y - prob.X @ w
    n = prob.n
    corr = prob.X.T @ r / n
    return _gap(float(r @ r) / n, float(r @ prob.y) / n, corr, w, lam, alpha), corr


class _Monitor:
    """Objective history and the stopping rule shared by the iterative solvers."""

    def __init__(self, solver: str, prob: _Centred, lam: float, alpha: float, tol: float):
        self.solver, self.prob, self.lam, self.alpha, self.tol = solver, prob, lam, alpha, tol
        self.history: list[float] = []
        self.gap = np.inf
        # At lam = 0 there is no gap: measure the gradient relative to its value at w = 0.
        self.grad_scale = float(np.abs(prob.X.T @ prob.y).max()) / prob.n if lam == 0 else 0.0

    def converged(self, r: np.ndarray, corr: np.ndarray, w: np.ndarray) -> bool:
        """Record J(w) and the optimality measure at ``w``; ``r`` = y - Xw, ``corr`` = Xᵀr/n."""
        n, y = self.prob.n, self.prob.y
        r2 = float(r @ r) / n
        self.history.append(0.5 * r2 + _penalty(w, self.lam, self.alpha))
        if self.lam > 0:
            self.gap = self.prob.relative(_gap(r2, float(r @ y) / n, corr, w, self.lam, self.alpha))
        else:
            grad = float(np.abs(corr).max())
            self.gap = grad / self.grad_scale if self.grad_scale > 0 else grad
        return self.gap <= self.tol

    def result(self, w: np.ndarray, n_iter: int) -> FitResult:
        converged = bool(self.gap <= self.tol)
        if not converged:
            measure = "relative duality gap" if self.lam > 0 else "relative gradient norm"
            warnings.warn(f"{self.solver} reached max_iter={n_iter} with {measure} {self.gap:.3g} > tol={self.tol:.3g}",
                          ConvergenceWarning, stacklevel=3)
        return FitResult(coef=w, intercept=self.prob.intercept(w), n_iter=n_iter, gap=float(self.gap),
                         converged=converged, history=np.array(self.history))


def _setup(X, y, lam, alpha, fit_intercept, tol, max_iter) -> tuple[_Centred, float, float, float, int]:
    """Validate the arguments every iterative solver shares, then centre."""
    X, y = check_Xy(X, y)
    lam, alpha = _check_penalty(lam, alpha)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    return _centre(X, y, fit_intercept), lam, alpha, tol, max_iter


def _lipschitz(X: np.ndarray) -> float:
    """Lipschitz constant σ_max(X)²/n of the loss gradient (1 when X = 0: any step is then exact)."""
    return float(np.linalg.norm(X, 2)) ** 2 / X.shape[0] or 1.0


# --------------------------------------------------------------------------
# Optimality certificates
# --------------------------------------------------------------------------

def _check_solution(X, y, w, b, fit_intercept) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, bool]:
    X, y = check_Xy(X, y)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w must have one entry per column of X ({X.shape[1]}), got {w.shape[0]}")
    b = check_real(b, "b")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if not fit_intercept and b != 0:
        raise ValueError(f"b must be 0 when fit_intercept=False, got {b}")
    return X, y, w, b, fit_intercept


def duality_gap(X, y, w, b: float, lam: float, alpha: float = 1.0, *, fit_intercept: bool = True) -> float:
    r"""The duality gap of :math:`J` at :math:`(w, b)`: a computable bound on :math:`J(w, b) - \min J`.

    For the course objective

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
                  + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big)

    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``,
    ``Ridge(alpha=n·λ)`` in scikit-learn) every dual-feasible :math:`\theta`
    gives :math:`D(\theta) \le \min J \le J(w, b)`, with

    .. math::

        D(\theta) = \theta^\top y - \frac{n}{2}\lVert\theta\rVert^2 - g^*(X^\top\theta),
        \qquad \mathbf 1^\top\theta = 0 \text{ if the bias is fitted},

    where :math:`g^*` is the convex conjugate of the penalty. The dual point
    is built from the residual :math:`r = y - Xw` (centred), :math:`\theta = s\,r/n`,
    scaled into the feasible set when :math:`\alpha > 0`; at the optimum the
    gap is exactly 0. With a fitted bias, a non-optimal ``b`` adds
    :math:`\tfrac12 \bar r^2`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    w : array_like of shape (p,)
    b : float
        The bias; must be 0 when ``fit_intercept=False``.
    lam : float
        :math:`\lambda > 0` (at :math:`\lambda = 0` no gap exists; use :func:`kkt_violation`).
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    fit_intercept : bool, default True
        Whether the problem has a free bias (then the bound is on the joint minimum over ``w`` and ``b``).

    Returns
    -------
    float
        :math:`J(w, b) - D(\theta) \ge 0` (up to rounding), in the units of
        :math:`J`. Solvers report it divided by :math:`J(0)`.
    """
    X, y, w, b, fit_intercept = _check_solution(X, y, w, b, fit_intercept)
    lam, alpha = _check_penalty(lam, alpha, lam_positive=True)
    prob = _centre(X, y, fit_intercept)
    offset = (prob.intercept(w) - b) if fit_intercept else 0.0  # = mean of y - Xw - b
    return _exact_gap(prob, w, lam, alpha)[0] + 0.5 * offset**2


def kkt_violation(X, y, w, b: float, lam: float, alpha: float = 1.0, *, fit_intercept: bool = True) -> float:
    r"""How far :math:`(w, b)` is from satisfying the optimality (KKT) conditions of :math:`J`.

    With :math:`c = X^\top(y - Xw - b)/n - \lambda(1-\alpha)w`, the point is
    optimal for :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``, ``Ridge(alpha=n·λ)``) iff

    .. math::

        c_j = \lambda\alpha\operatorname{sign}(w_j) \text{ if } w_j \ne 0, \qquad
        |c_j| \le \lambda\alpha \text{ if } w_j = 0,

    and, with a fitted bias, the mean residual is 0. This returns the largest
    violation, i.e. :math:`\lVert\cdot\rVert_\infty` of the minimum-norm
    subgradient of :math:`J` (in gradient units, so compare it with
    :math:`\lambda` or :math:`\lVert X^\top y\rVert_\infty/n`).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    w : array_like of shape (p,)
    b : float
        The bias; must be 0 when ``fit_intercept=False``.
    lam : float
        :math:`\lambda \ge 0`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    fit_intercept : bool, default True

    Returns
    -------
    float
        0 exactly at a solution (up to rounding).
    """
    X, y, w, b, fit_intercept = _check_solution(X, y, w, b, fit_intercept)
    lam, alpha = _check_penalty(lam, alpha)
    r = y - X @ w - b
    c = X.T @ r / X.shape[0] - lam * (1.0 - alpha) * w
    kappa = lam * alpha
    violation = np.where(w != 0, np.abs(c - kappa * np.sign(w)), np.maximum(np.abs(c) - kappa, 0.0))
    bias = abs(float(r.mean())) if fit_intercept else 0.0
    return max(float(violation.max()), bias)


# --------------------------------------------------------------------------
# Closed forms
# --------------------------------------------------------------------------

def least_squares(X, y, *, fit_intercept: bool = True) -> FitResult:
    r"""Ordinary least squares: minimise :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2`.

    Solved through the SVD of the (centred) design matrix, which is stable
    even when :math:`X^\top X` is close to singular; when it is singular the
    minimum-norm solution is returned.

    Parameters
    ----------
    X : array_like of shape (n, p)
        Design matrix.
    y : array_like of shape (n,)
        Targets.
    fit_intercept : bool, default True
        Fit the unpenalised bias :math:`b` by centring.

    Returns
    -------
    FitResult
        ``coef`` = :math:`w`, ``intercept`` = :math:`b`.
    """
    X, y = check_Xy(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    prob = _centre(X, y, fit_intercept)
    coef, *_ = np.linalg.lstsq(prob.X, prob.y, rcond=None)
    return FitResult(coef=coef, intercept=prob.intercept(coef))


def _ridge_coefs(X: np.ndarray, y: np.ndarray, lams: np.ndarray) -> np.ndarray:
    r"""Ridge weights for each :math:`\lambda` in ``lams``, as columns, from one thin SVD.

    With :math:`X = U\Sigma V^\top`, :math:`(X^\top X + n\lambda I)^{-1}X^\top y
    = V\,\mathrm{diag}\big(\sigma_i/(\sigma_i^2 + n\lambda)\big)\,U^\top y`: no
    inverse is formed, and the thin SVD costs :math:`O(np\min(n, p))`, so it
    works on the smaller of :math:`X^\top X` and :math:`XX^\top` by itself.
    At :math:`\lambda = 0` tiny singular values are dropped (minimum-norm
    least squares).
    """
    n = X.shape[0]
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > np.finfo(float).eps * max(X.shape) * (s[0] if s.size else 0.0)
    s = np.where(keep, s, 0.0)
    denom = s[:, None] ** 2 + n * lams[None, :]
    shrink = np.divide(s[:, None], denom, out=np.zeros_like(denom), where=keep[:, None])
    return Vt.T @ (shrink * (U.T @ y)[:, None])


def ridge(X, y, lam: float, *, fit_intercept: bool = True) -> FitResult:
    r"""Ridge regression in closed form: :math:`w = (X^\top X + n\lambda I)^{-1}X^\top y` (centred data).

    Minimises the course objective with :math:`\alpha = 0`,

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \frac{\lambda}{2}\lVert w\rVert_2^2,

    which is scikit-learn's ``Ridge(alpha=n·λ)``. The solution is computed
    from the thin SVD :math:`X = U\Sigma V^\top` as
    :math:`w = V\,\mathrm{diag}\big(\sigma_i/(\sigma_i^2 + n\lambda)\big)U^\top y`:
    numerically stable, no matrix is inverted, and the cost
    :math:`O(np\min(n, p))` automatically uses the cheaper side when
    :math:`p > n`. ``lam=0`` gives minimum-norm least squares.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0`.
    fit_intercept : bool, default True
        Fit the unpenalised bias by centring.

    Returns
    -------
    FitResult
        ``gap`` is the relative duality gap of the computed solution (rounding
        level; 0 at ``lam=0``).
    """
    X, y = check_Xy(X, y)
    lam, _ = _check_penalty(lam, 0.0)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    prob = _centre(X, y, fit_intercept)
    w = _ridge_coefs(prob.X, prob.y, np.array([lam]))[:, 0]
    gap = prob.relative(_exact_gap(prob, w, lam, 0.0)[0]) if lam > 0 else 0.0
    return FitResult(coef=w, intercept=prob.intercept(w), gap=gap)


# --------------------------------------------------------------------------
# First-order iterative solvers
# --------------------------------------------------------------------------

def gradient_descent(X, y, lam: float = 0.0, *, lr: float | None = None, max_iter: int = 10_000,
                     tol: float = 1e-8, fit_intercept: bool = True) -> FitResult:
    r"""Gradient descent on the L2-penalised squared loss, written as weight decay.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`
    (the course objective with :math:`\alpha = 0`, scikit-learn's
    ``Ridge(alpha=n·λ)``; ``lam=0`` is plain least squares). With
    :math:`L(w) = \frac{1}{2n}\lVert y - Xw\rVert^2` on centred data, each step is

    .. math::

        w \leftarrow (1 - \eta\lambda)\, w - \eta \nabla L(w),
        \qquad \nabla L(w) = -\tfrac{1}{n} X^\top (y - Xw),

    i.e. the weights first decay by the factor :math:`1 - \eta\lambda`, then
    follow the data gradient. The bias is :math:`\bar y - \bar x^\top w`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float, default 0.0
        :math:`\lambda \ge 0`.
    lr : float, optional
        Step size :math:`\eta`; must satisfy :math:`0 < \eta < 2/L_J` to converge.
        Default :math:`1/L_J` with :math:`L_J = \sigma_{\max}(X)^2/n + \lambda` (centred X).
    max_iter : int, default 10000
    tol : float, default 1e-8
        Stop when the relative duality gap is at most ``tol`` (for
        ``lam=0``: the relative gradient norm; see the module docstring).
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the measure reached.

    Raises
    ------
    FloatingPointError
        When the iterates blow up because ``lr`` is too large.
    """
    prob, lam, _, tol, max_iter = _setup(X, y, lam, 0.0, fit_intercept, tol, max_iter)
    lipschitz = _lipschitz(prob.X) + lam
    lr = 1.0 / lipschitz if lr is None else check_real(lr, "lr", low=0.0, low_open=True)
    X, y, n = prob.X, prob.y, prob.n
    monitor = _Monitor("gradient_descent", prob, lam, 0.0, tol)
    w = np.zeros(X.shape[1])
    for k in range(max_iter + 1):
        r = y - X @ w
        corr = X.T @ r / n  # = -∇L(w)
        if monitor.converged(r, corr, w) or k == max_iter:
            break
        if not np.isfinite(monitor.history[-1]):
            raise FloatingPointError(f"gradient descent diverged at iteration {k}: lr={lr} is too large "
                                     f"(it must be below 2/L = {2.0 / lipschitz:.4g})")
        w = (1.0 - lr * lam) * w + lr * corr
    return monitor.result(w, k)


def subgradient_descent(X, y, lam: float, alpha: float = 1.0, *, lr: float | None = None, max_iter: int = 5_000,
                        tol: float = 1e-4, fit_intercept: bool = True) -> FitResult:
    r"""Subgradient descent on the lasso (elastic-net) objective, with step :math:`\eta_k = \eta_0/\sqrt{k+1}`.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (scikit-learn's ``Lasso(alpha=λ)`` for :math:`\alpha = 1`,
    ``ElasticNet(alpha=λ, l1_ratio=α)`` otherwise) by

    .. math::

        w_{k+1} = w_k - \frac{\eta_0}{\sqrt{k+1}}\Big(-\tfrac1n X^\top(y - Xw_k)
                  + \lambda\big(\alpha\operatorname{sign}(w_k) + (1-\alpha)w_k\big)\Big),

    using the minimum-norm subgradient (:math:`\operatorname{sign}(0) = 0`).
    The course uses it to show what the proximal methods fix: the iterates
    oscillate around 0 and essentially never land *exactly* on 0, so the
    returned (last) iterate has no exact zeros even where the lasso solution
    has them. Nothing is rounded to zero. The objective is not monotone
    (see ``history``) and the gap decreases like :math:`O(1/\sqrt{k})`, hence
    the loose default ``tol``.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    lr : float, optional
        :math:`\eta_0 > 0`; default :math:`1/L` with :math:`L = \sigma_{\max}(X)^2/n + \lambda(1-\alpha)`.
    max_iter : int, default 5000
    tol : float, default 1e-4
        Stopping rule on the relative duality gap (module docstring).
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        The last iterate; ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first (common: that is the lesson).
    """
    prob, lam, alpha, tol, max_iter = _setup(X, y, lam, alpha, fit_intercept, tol, max_iter)
    lr = (1.0 / (_lipschitz(prob.X) + lam * (1.0 - alpha)) if lr is None
          else check_real(lr, "lr", low=0.0, low_open=True))
    X, y, n = prob.X, prob.y, prob.n
    monitor = _Monitor("subgradient_descent", prob, lam, alpha, tol)
    w = np.zeros(X.shape[1])
    for k in range(max_iter + 1):
        r = y - X @ w
        corr = X.T @ r / n
        if monitor.converged(r, corr, w) or k == max_iter:
            break
        subgradient = -corr + lam * (alpha * np.sign(w) + (1.0 - alpha) * w)
        w = w - lr / math.sqrt(k + 1) * subgradient
    return monitor.result(w, k)


def ista(X, y, lam: float, alpha: float = 1.0, *, max_iter: int = 10_000, tol: float = 1e-6,
         fit_intercept: bool = True) -> FitResult:
    r"""ISTA: proximal gradient descent on the elastic-net objective.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``, ``Ridge(alpha=n·λ)``
    in scikit-learn) by a gradient step on the smooth loss followed by the
    proximal operator of the penalty (see :func:`~lecture_code.penalties.prox_elastic_net`):

    .. math::

        w_{k+1} = \frac{S\big(w_k + \eta X^\top(y - Xw_k)/n,\; \eta\lambda\alpha\big)}{1 + \eta\lambda(1-\alpha)},
        \qquad \eta = \frac{n}{\sigma_{\max}(X)^2}.

    The soft threshold sets coordinates *exactly* to zero. :math:`J` decreases
    monotonically, at rate :math:`O(1/k)` in general.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0` (at 0, plain gradient descent on least squares).
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    max_iter : int, default 10000
    tol : float, default 1e-6
        Stopping rule on the relative duality gap (module docstring).
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    prob, lam, alpha, tol, max_iter = _setup(X, y, lam, alpha, fit_intercept, tol, max_iter)
    step = 1.0 / _lipschitz(prob.X)
    X, y, n = prob.X, prob.y, prob.n
    monitor = _Monitor("ista", prob, lam, alpha, tol)
    w = np.zeros(X.shape[1])
    for k in range(max_iter + 1):
        r = y - X @ w
        corr = X.T @ r / n  # the negative gradient of the loss, also what the gap needs
        if monitor.converged(r, corr, w) or k == max_iter:
            break
        w = _prox_elastic_net(w + step * corr, step * lam, alpha)
    return monitor.result(w, k)


def fista(X, y, lam: float, alpha: float = 1.0, *, restart: bool = True, max_iter: int = 10_000,
          tol: float = 1e-6, fit_intercept: bool = True) -> FitResult:
    r"""FISTA: accelerated proximal gradient on the elastic-net objective, with adaptive restart.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``, ``Ridge(alpha=n·λ)``
    in scikit-learn). The ISTA step is taken from an extrapolated point:

    .. math::

        z_k = w_k + \frac{t_{k-1} - 1}{t_k}(w_k - w_{k-1}), \qquad
        w_{k+1} = \operatorname{prox}_{\eta\lambda}\big(z_k + \eta X^\top(y - Xz_k)/n\big), \qquad
        t_{k+1} = \frac{1 + \sqrt{1 + 4t_k^2}}{2},

    which improves the rate to :math:`O(1/k^2)`. With ``restart=True`` the
    momentum is reset (:math:`t = 1`) whenever it points against the step
    just taken, :math:`(z_k - w_{k+1})^\top(w_{k+1} - w_k) > 0`
    (O'Donoghue & Candès' gradient scheme); this removes the oscillations and
    gives fast linear convergence once the support is found. :math:`J` is
    not monotone without restart.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    restart : bool, default True
        Adaptive restart of the momentum.
    max_iter : int, default 10000
    tol : float, default 1e-6
        Stopping rule on the relative duality gap (module docstring).
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        ``history`` holds :math:`J(w_k)` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    prob, lam, alpha, tol, max_iter = _setup(X, y, lam, alpha, fit_intercept, tol, max_iter)
    restart = check_bool(restart, "restart")
    step = 1.0 / _lipschitz(prob.X)
    X, y, n = prob.X, prob.y, prob.n
    monitor = _Monitor("fista", prob, lam, alpha, tol)
    w = w_prev = np.zeros(X.shape[1])
    corr_prev = None
    t = 1.0
    for k in range(max_iter + 1):
        r = y - X @ w
        corr = X.T @ r / n
        if monitor.converged(r, corr, w) or k == max_iter:
            break
        t_next = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        beta = (t - 1.0) / t_next
        # The residual is affine in w, so X^T r at the extrapolated point is the same
        # extrapolation of X^T r at w_k and w_{k-1}: no extra matrix product per step.
        z = w + beta * (w - w_prev)
        corr_z = corr if corr_prev is None else corr + beta * (corr - corr_prev)
        w_next = _prox_elastic_net(z + step * corr_z, step * lam, alpha)
        if restart and (z - w_next) @ (w_next - w) > 0:
            t_next = 1.0
        w_prev, corr_prev, w, t = w, corr, w_next, t_next
    return monitor.result(w, k)


def _cd_epoch(G: np.ndarray, corr: np.ndarray, w: np.ndarray, kappa: float, mu: float) -> None:
    r"""One cyclic pass of coordinate descent, in place, on the Gram (covariance) form.

    ``G`` = :math:`X^\top X/n` and ``corr`` = :math:`X^\top r/n` (kept up to
    date). With the other weights fixed, :math:`J` is a 1-D problem in
    :math:`w_j` whose solution is a soft threshold:

    .. math::

        w_j \leftarrow \frac{S(z_j, \lambda\alpha)}{G_{jj} + \lambda(1-\alpha)},
        \qquad z_j = \tfrac1n X_j^\top(r + X_j w_j) = \mathrm{corr}_j + G_{jj} w_j.

    Changing :math:`w_j` by :math:`\delta` changes every correlation by
    :math:`-\delta G_{:j}`, an update of length p instead of a product with X.
    """
    for j in range(w.shape[0]):
        g_jj = G[j, j]
        if g_jj == 0.0:  # a constant column: the penalty alone decides, its weight stays 0
            continue
        z = corr[j] + g_jj * w[j]
        new = math.copysign(max(abs(z) - kappa, 0.0), z) / (g_jj + mu)
        if new != w[j]:
            corr -= (new - w[j]) * G[j]
            w[j] = new


def coordinate_descent(X, y, lam: float, alpha: float = 1.0, *, max_iter: int = 1_000, tol: float = 1e-6,
                       fit_intercept: bool = True) -> FitResult:
    r"""Cyclic coordinate descent: repeated one-dimensional soft thresholding.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`
    (``Lasso(alpha=λ)``, ``ElasticNet(alpha=λ, l1_ratio=α)``, ``Ridge(alpha=n·λ)``
    in scikit-learn; the algorithm of glmnet and scikit-learn). For each
    coordinate in turn, with the others fixed, the exact minimiser is

    .. math::

        w_j \leftarrow \frac{S\big(\tfrac1n X_j^\top(y - Xw + X_j w_j),\; \lambda\alpha\big)}
                            {\tfrac1n\lVert X_j\rVert^2 + \lambda(1-\alpha)}.

    The correlations :math:`X^\top r/n` are kept up to date with the Gram
    matrix :math:`X^\top X/n` (computed once), so a coordinate update costs
    :math:`O(p)`. One iteration is one pass over all coordinates; the gap is
    checked after each pass.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda \ge 0`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]`.
    max_iter : int, default 1000
        Maximum number of passes.
    tol : float, default 1e-6
        Stopping rule on the relative duality gap (module docstring).
    fit_intercept : bool, default True

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` after each pass.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    prob, lam, alpha, tol, max_iter = _setup(X, y, lam, alpha, fit_intercept, tol, max_iter)
    X, y, n = prob.X, prob.y, prob.n
    G = X.T @ X / n
    monitor = _Monitor("coordinate_descent", prob, lam, alpha, tol)
    w = np.zeros(X.shape[1])
    for k in range(max_iter + 1):
        # Recompute the residual exactly once per pass: the gap is then free of drift.
        r = y - X @ w
        corr = X.T @ r / n
        if monitor.converged(r, corr, w) or k == max_iter:
            break
        _cd_epoch(G, corr, w, lam * alpha, lam * (1.0 - alpha))
    return monitor.result(w, k)


# --------------------------------------------------------------------------
# Regularisation paths
# --------------------------------------------------------------------------

class _GramRows:
    r"""Rows of the Gram matrix :math:`G = X^\top X/n`, computed only for features that enter a model.

    Along a sparse path only a fraction of the features is ever non-zero, and
    every quantity the path solver needs comes from their rows: the
    correlations of *all* features with the residual,
    :math:`X^\top r/n = X^\top y/n - G w` (a product with the rows of the
    non-zero weights), and the small blocks :math:`G_{AA}` of the Newton
    steps. A row costs one product with X when its feature first enters and is
    kept for the rest of the path (storage grows by doubling). When
    :math:`n \ge p` the whole Gram matrix is computed at once instead: most
    features enter a path sooner or later, and one large product is cheaper.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray):
        n, p = X.shape
        self.X, self.n = X, n
        self.xty = X.T @ y / n
        self.yy = float(y @ y) / n
        self.pos = np.full(p, -1)  # row of each feature in self._rows, -1 if not computed
        self.index = np.empty(0, dtype=np.intp)  # feature of each row
        self._rows = np.empty((min(p, 32), p))
        self.face = None  # the last face system solved, see _newton_on_face
        self._memo = ((None, None), (None, None))  # see corr
        if n >= p:  # X^T X is recognised by numpy as a symmetric product (half the work)
            self._rows = X.T @ X / n
            self.index = np.arange(p)
            self.pos = self.index.copy()

    def add(self, features: np.ndarray) -> None:
        new = features[self.pos[features] < 0]
        if new.size == 0:
            return
        m, need = self.index.size, self.index.size + new.size
        if need > self._rows.shape[0]:
            grown = np.empty((max(need, 2 * self._rows.shape[0]), self._rows.shape[1]))
            grown[:m] = self._rows[:m]
            self._rows = grown
        self._rows[m:need] = self.X[:, new].T @ self.X / self.n
        self.pos[new] = np.arange(m, need)
        self.index = np.concatenate([self.index, new])

    def corr(self, w: np.ndarray) -> np.ndarray:
        """:math:`X^\\top(y - Xw)/n` for a ``w`` whose non-zero entries all have rows (read-only result).

        The last two results are remembered by the identity of ``w`` (the path
        never modifies a weight vector in place): a new :math:`\\lambda` starts
        from the previous solution, whose correlations are then free.
        """
        for seen, corr in self._memo:
            if seen is w:
                return corr
        corr = self.xty - self._rows[: self.index.size].T @ w[self.index]
        self._memo = ((w, corr), self._memo[0])
        return corr

    def block(self, features: np.ndarray) -> np.ndarray:
        """The block :math:`G_{AA}` for features that have rows."""
        return self._rows.take(self.pos[features], axis=0).take(features, axis=1)  # much faster than np.ix_

    def gap(self, w: np.ndarray, corr: np.ndarray, lam: float, alpha: float) -> float:
        """Absolute duality gap at ``w`` from Gram quantities (``corr`` = :meth:`corr` (w)), no product with X."""
        xty_w = float(self.xty @ w)
        r2 = self.yy - 2.0 * xty_w + float(w @ (self.xty - corr))  # ||y - Xw||^2/n, as w^T G w = w^T(X^T y/n - corr)
        return _gap(r2, self.yy - xty_w, corr, w, lam, alpha)


def _active_set_newton(gram: _GramRows, w: np.ndarray, lam: float, alpha: float, target_gap: float,
                       max_steps: int, face_optimal: bool = False) -> tuple[np.ndarray, int, float]:
    r"""Solve the elastic net at one :math:`\lambda` by guessing the signs of the solution.

    A primal active-set method (in the spirit of Lee et al.'s feature-sign
    search). On an orthant face (fixed signs) J is a quadratic, minimised by
    one linear solve (:func:`_newton_on_face`). Repeat:

    * if the face minimiser keeps the signs, move there. Then zero weights
      that violate their KKT condition :math:`|c_j| \le \kappa`, with
      :math:`c = X^\top r/n` checked on *all* features (so none is ever
      wrongly left out), join the support with the sign of :math:`c_j`, all
      at once. Those whose weight in the new face minimiser has the wrong
      sign stay at 0 and the face is solved again without them; only if
      none is left does the largest violator join alone (from a face
      minimiser, a single entering weight always moves the right way).
      Entering one violator at a time after every such failure used to cost
      two solves per feature on long stretches of a path with p > n;
    * otherwise move towards it only until the first weight reaches 0, and
      drop that weight. J decreases on the segment because it is convex and
      equals the face quadratic there.

    ``face_optimal`` says that ``w`` is already the minimiser of J on its
    face (the caller knows it when ``w`` comes from
    :func:`_same_face_minimiser`), so that violators may join at the first
    step. It stops when the duality gap (from Gram quantities, free here) is
    at most ``target_gap``, or at an exact solution: a face minimiser without
    KKT violators. From a warm start on a path the signs rarely change
    between two :math:`\lambda`, so a few solves of a small system suffice.
    Returns ``(w, steps, gap)``; the gap exceeds the target when the steps
    ran out or a system was numerically singular (duplicated columns entering
    together, say): the caller then falls back to coordinate descent.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    face_optimal = face_optimal or not w.any()  # w = 0 minimises J on its face {0}
    slack = 1e-12 * kappa  # rounding allowance in the KKT check
    step = 0
    while True:
        corr = gram.corr(w)
        gap = gram.gap(w, corr, lam, alpha)
        free = w != 0
        excess = np.where(free, -np.inf, np.abs(corr) - kappa)
        violators = excess > slack
        if gap <= target_gap or (face_optimal and not violators.any()) or step == max_steps:
            return w, step, gap
        enter = violators if face_optimal else np.zeros_like(free)
        single = on_edge = False
        while True:
            support = np.flatnonzero(free | enter)
            gram.add(support)
            entering = enter[support]
            signs = np.where(entering, np.sign(corr[support]), np.sign(w[support]))
            target = _newton_on_face(gram, support, signs, kappa, mu)
            step += 1
            if target is None:
                return w, step, gap
            wrong = signs * target < 0
            wrong_entry = wrong & entering
            if not wrong_entry.any():
                break
            if single:
                # The face with the largest violator is (numerically) singular: X_j is in the span of the support
                # (p > n). Move along the face's edge instead, until a weight leaves.
                moved = _enter_one(gram, w, corr, int(np.argmax(excess)), kappa, mu)
                if moved is None:
                    return w, step, gap
                (w, face_optimal), on_edge = moved, True
                break
            if step == max_steps:
                return w, step, gap
            # Entering weights whose face minimiser has the wrong sign stay at 0: solve again without them,
            # or, if none is left, with the largest violator alone (from a face minimiser, a single entering
            # weight always moves the right way).
            enter[support[wrong_entry]] = False
            if not enter.any():
                enter[np.argmax(excess)] = single = True
        if on_edge:
            continue
        current = w[support]
        w = np.zeros_like(w)
        if not wrong.any():
            w[support] = target
            face_optimal = True
            continue
        # Step to the first sign change; J decreases on the segment (convex, equal to the face quadratic there).
        ratios = np.full(support.size, np.inf)
        ratios[wrong] = current[wrong] / (current[wrong] - target[wrong])
        t = ratios.min()
        moved = current + t * (target - current)
        moved[ratios <= t] = 0.0
        w[support] = moved
        face_optimal = False


def _enter_one(gram: _GramRows, w: np.ndarray, corr: np.ndarray, j: int, kappa: float,
               mu: float) -> tuple[np.ndarray, bool] | None:
    r"""Let the violator ``j`` join the support of a face minimiser ``w``, by a line search on the new face.

    With :math:`A` the support, :math:`s_j = \operatorname{sign}(c_j)` and
    :math:`H = G + \mu I`, the direction :math:`d = s_j(-H_{AA}^{-1}H_{Aj}, 1)`
    keeps the face's KKT conditions on :math:`A` and J along it is
    :math:`J(w) - (|c_j| - \kappa)t + \tfrac12\sigma t^2` with the Schur
    complement :math:`\sigma = H_{jj} - H_{jA}H_{AA}^{-1}H_{Aj} \ge 0`. It
    moves to the minimum :math:`t = (|c_j| - \kappa)/\sigma`, or, first, to
    where a weight of :math:`A` reaches 0 (dropped): the only way forward
    when :math:`\sigma = 0`, i.e. :math:`X_j` lies in the span of
    :math:`X_A` (more features than samples), where the face system is
    singular. Returns ``(w, face_optimal)``, or None if no step is possible.
    """
    free = np.flatnonzero(w)
    B = gram.block(np.append(free, j))
    B.flat[:: free.size + 2] += mu
    try:
        z = np.linalg.solve(B[:-1, :-1], B[:-1, -1]) if free.size else np.empty(0)
    except np.linalg.LinAlgError:
        return None
    s_j, drive = np.sign(corr[j]), abs(corr[j]) - kappa
    schur = B[-1, -1] - B[:-1, -1] @ z
    t_min = drive / schur if schur > 0 else np.inf
    d = -s_j * z
    current = w[free]
    shrinking = current * d < 0
    ratios = np.full(free.size, np.inf)
    ratios[shrinking] = -current[shrinking] / d[shrinking]
    t = min(t_min, ratios.min(initial=np.inf))
    if not (np.isfinite(t) and t > 0 and np.all(np.isfinite(z))):
        return None
    moved = current + t * d
    moved[ratios <= t] = 0.0
    w = np.zeros_like(w)
    w[free] = moved
    w[j] = s_j * t
    return w, bool(t_min <= t)


def _newton_on_face(gram: _GramRows, support: np.ndarray, signs: np.ndarray, kappa: float,
                    mu: float) -> np.ndarray | None:
    r"""Minimiser of J over the weights in ``support`` with their signs fixed, or None if numerically singular.

    With the signs :math:`s` known, :math:`\lVert w\rVert_1 = s^\top w` and J
    is a quadratic whose minimiser solves
    :math:`(G_{AA} + \mu I)\,w_A = X_A^\top y/n - \kappa s`. It is affine
    in :math:`\kappa`, :math:`w_A(\kappa) = w_A(\kappa_0) - (\kappa - \kappa_0)v`
    with :math:`(G_{AA} + \mu I)v = s`, and :math:`v` costs one more
    right-hand side: the last face solved is kept in ``gram.face``. On a
    lasso path (:math:`\mu = 0`) the next :math:`\lambda` usually starts on
    the same face, which then costs no solve at all.
    """
    face = _cached_face(gram, support, signs, mu)
    if face is not None:
        w = face[3] - (kappa - face[5]) * face[4]
    else:
        H = gram.block(support)
        H.flat[:: support.size + 1] += mu
        try:
            wv = np.linalg.solve(H, np.column_stack((gram.xty[support] - kappa * signs, signs)))
        except np.linalg.LinAlgError:
            return None
        w = wv[:, 0]
        gram.face = (support, signs, mu, w, wv[:, 1], kappa)
    return w if np.all(np.isfinite(w)) else None


def _cached_face(gram: _GramRows, support: np.ndarray, signs: np.ndarray, mu: float) -> tuple | None:
    """``gram.face`` if it is the face system for these support, signs and mu."""
    face = gram.face
    if (face is not None and face[2] == mu and face[0].size == support.size and np.array_equal(face[0], support)
            and np.array_equal(face[1], signs)):
        return face
    return None


def _same_face_minimiser(gram: _GramRows, w: np.ndarray, kappa: float, mu: float) -> np.ndarray | None:
    r"""The minimiser of J on the face of ``w``, from the last face system solved, if that is ``w``'s face.

    None if the kept face is another one (or has another :math:`\mu`), or if
    its minimiser at this :math:`\kappa` leaves the face (a sign changes).
    """
    face = gram.face
    if face is None or face[2] != mu:
        return None
    support, signs = face[0], face[1]
    if np.count_nonzero(w) != support.size or not np.array_equal(np.sign(w[support]), signs):
        return None
    target = face[3] - (kappa - face[5]) * face[4]
    if not np.all(signs * target > 0):
        return None
    guess = np.zeros_like(w)
    guess[support] = target
    return guess


def _cd_fallback(prob: _Centred, gram: _GramRows, w: np.ndarray, lam: float, alpha: float, target_gap: float,
                 max_epochs: int) -> tuple[np.ndarray, int, float]:
    """Coordinate descent on a working set, for the rare λ where the active-set method gives up.

    The working set is every feature that is non-zero or violates its KKT
    condition; every 10 passes the exact gap is computed and new violators join.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    gap, corr = _exact_gap(prob, w, lam, alpha)
    epochs = 0
    while gap > target_gap and epochs < max_epochs:
        work = np.flatnonzero((w != 0) | (np.abs(corr) > kappa))
        gram.add(work)
        G = gram.block(work)
        w_work, corr_work = w[work], corr[work]
        for _ in range(min(10, max_epochs - epochs)):
            _cd_epoch(G, corr_work, w_work, kappa, mu)
            epochs += 1
        w = np.zeros_like(w)
        w[work] = w_work
        gap, corr = _exact_gap(prob, w, lam, alpha)
    return w, epochs, gap


def _check_path_args(X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter):
    X, y = check_Xy(X, y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    n_lambdas = check_int(n_lambdas, "n_lambdas", low=1)
    eps = check_real(eps, "eps", low=0.0, high=1.0, low_open=True)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    if lambdas is not None:
        lambdas = as_float_array(lambdas, "lambdas", ndim=1)
        if np.any(lambdas <= 0):
            raise ValueError("lambdas must all be > 0 (at lam = 0 use least_squares)")
        lambdas = np.sort(lambdas)[::-1]
    elif alpha == 0:
        raise ValueError("alpha must be > 0 when lambdas is None: the ridge path (alpha=0) has no finite "
                         "lam_max where all weights vanish; pass lambdas explicitly")
    return X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter


def enet_path(X, y, alpha: float, lambdas=None, n_lambdas: int = 100, eps: float = 1e-3, *,
              fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 1_000) -> PathResult:
    r"""The elastic-net regularisation path: solutions for a decreasing grid of :math:`\lambda`.

    For each :math:`\lambda` minimises

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
                  + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big)

    (scikit-learn's ``ElasticNet(alpha=λ, l1_ratio=α)``; its ``enet_path``
    solves the same problem but never centres, so compare on centred data).

    **Grid.** All weights are zero iff :math:`\lVert X^\top y\rVert_\infty/n \le \lambda\alpha`
    (the KKT condition at :math:`w = 0`, centred data), so

    .. math::

        \lambda_{\max} = \frac{\lVert X^\top y\rVert_\infty}{n\alpha}

    exactly, and the default grid is ``geomspace(λ_max, eps·λ_max, n_lambdas)``.
    For :math:`\alpha = 0` (ridge) there is no finite :math:`\lambda_{\max}`:
    ``lambdas`` must then be given (else ``ValueError``) and the path is the
    ridge closed form (one SVD for all :math:`\lambda`). If
    :math:`X^\top y = 0` every weight is zero for every :math:`\lambda` and the
    grid is ``geomspace(1, eps, n_lambdas)``.

    **Solver.** Warm starts along the grid and, at each :math:`\lambda`, a
    primal active-set (sign-guessing Newton) method: the KKT conditions of
    all p features are checked at every step, using rows of the Gram matrix
    that are computed only for features that enter, and violators join the
    working set; with the signs of the solution known, one small linear
    solve gives it exactly. (This replaces strong-rule screening: from a warm
    start the sequential strong rule's candidate set always contains the KKT
    violators, and the full KKT check costs only a p × (support size)
    product.) Before any solve, a guess is tried: for the lasso, the exact
    minimiser of the new J on the face of the last solution, from the last
    face system solved (its solution is affine in :math:`\lambda`, so this
    costs no solve), else the linear extrapolation of the last two
    solutions (the path is smooth in :math:`\lambda`); at a loose ``tol``
    it is often accepted as it is, and otherwise the active-set method starts
    from it when it is a face minimiser. Every
    solution is certified by its duality gap (computed from the Gram rows, so
    without another product with X); a :math:`\lambda` where the active-set
    method gives up (degenerate designs) is finished by coordinate descent.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alpha : float
        :math:`\alpha \in [0, 1]` (scikit-learn's ``l1_ratio``).
    lambdas : array_like of shape (k,), optional
        The grid, all > 0 (sorted into decreasing order). Default: the geometric grid above.
    n_lambdas : int, default 100
    eps : float, default 1e-3
        :math:`\lambda_{\min}/\lambda_{\max}` for the default grid, in (0, 1].
    fit_intercept : bool, default True
    tol : float, default 1e-6
        Each solution satisfies relative duality gap :math:`\le` ``tol`` (module docstring).
    max_iter : int, default 1000
        Maximum inner iterations (Newton steps plus coordinate-descent passes) per :math:`\lambda`.

    Returns
    -------
    PathResult

    Warns
    -----
    ConvergenceWarning
        When some :math:`\lambda` ran out of iterations, stating the largest gap reached.
    """
    X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_args(
        X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter)
    prob = _centre(X, y, fit_intercept)
    p = prob.X.shape[1]
    if lambdas is None:
        lam_max = float(np.abs(prob.X.T @ prob.y).max()) / (prob.n * alpha)
        lambdas = np.geomspace(lam_max, eps * lam_max, n_lambdas) if lam_max > 0 else np.geomspace(1.0, eps, n_lambdas)
    k = lambdas.size
    coefs, gaps, n_iter = np.zeros((p, k)), np.zeros(k), np.zeros(k, dtype=int)
    if alpha == 0:
        coefs = _ridge_coefs(prob.X, prob.y, lambdas)
        gaps = np.array([prob.relative(_exact_gap(prob, coefs[:, i], lam, 0.0)[0]) for i, lam in enumerate(lambdas)])
    else:
        gram = _GramRows(prob.X, prob.y)
        target = tol * prob.j0
        w = w_before = np.zeros(p)
        for i, lam in enumerate(lambdas):
            # First a guess, often within tol already, and then no system is solved. For the lasso the last
            # face system solved gives the exact minimiser of the new J on the face of w without another solve;
            # otherwise the path is smooth in lambda, so extrapolate the last two solutions.
            guess, steps = _same_face_minimiser(gram, w, lam * alpha, lam * (1.0 - alpha)), 0
            on_face = guess is not None
            if not on_face:
                slope = 0.0 if i < 2 else (lam - lambdas[i - 1]) / (lambdas[i - 1] - lambdas[i - 2])
                guess = w + slope * (w - w_before) if slope else w
            w_before = w
            gap = gram.gap(guess, gram.corr(guess), lam, alpha)
            if gap <= target:
                w = guess
            else:
                w, steps, gap = _active_set_newton(gram, guess if on_face else w, lam, alpha, target, max_iter,
                                                   face_optimal=on_face)
            if gap > target:
                w, epochs, gap = _cd_fallback(prob, gram, w, lam, alpha, target, max_iter - steps)
                steps += epochs
            coefs[:, i], gaps[i], n_iter[i] = w, prob.relative(gap), steps
    intercepts = prob.y_mean - prob.x_mean @ coefs
    failed = gaps > tol
    if failed.any():
        warnings.warn(f"enet_path: {failed.sum()} of {k} lambdas reached max_iter={max_iter}; largest relative "
                      f"duality gap {gaps.max():.3g} > tol={tol:.3g}", ConvergenceWarning, stacklevel=2)
    return PathResult(lambdas=lambdas, coefs=coefs, intercepts=intercepts, gaps=gaps, n_iter=n_iter, alpha=alpha)


def lasso_path(X, y, lambdas=None, n_lambdas: int = 100, eps: float = 1e-3, *, fit_intercept: bool = True,
               tol: float = 1e-6, max_iter: int = 1_000) -> PathResult:
    r"""The lasso regularisation path: :func:`enet_path` with :math:`\alpha = 1`.

    For each :math:`\lambda` minimises
    :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1`
    (scikit-learn's ``Lasso(alpha=λ)``), on the grid
    ``geomspace(λ_max, eps·λ_max, n_lambdas)`` with
    :math:`\lambda_{\max} = \lVert X^\top y\rVert_\infty/n` (centred data) unless
    ``lambdas`` is given. See :func:`enet_path` for the algorithm, the
    parameters and the result.

    Returns
    -------
    PathResult
    """
    return enet_path(X, y, 1.0, lambdas, n_lambdas, eps, fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
