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
    primal, dual = _primal_dual(r2, ry, corr, w, lam, alpha)
    return primal - dual


def _primal_dual(r2: float, ry: float, corr: np.ndarray, w: np.ndarray, lam: float,
                 alpha: float) -> tuple[float, float]:
    """The primal value J(w) and the better of the two dual values of :func:`_gap` (same inputs)."""
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    ww = float(w @ w)
    primal = 0.5 * r2 + kappa * float(np.abs(w).sum()) + 0.5 * mu * ww
    dual = -np.inf
    if kappa > 0:
        dual_norm = float(np.abs(corr - mu * w).max() if mu > 0 else np.abs(corr).max())
        scale = 1.0 if dual_norm <= kappa else kappa / dual_norm
        dual = scale * ry - 0.5 * scale**2 * (r2 + mu * ww)
    if mu > 0:
        excess = np.maximum(np.abs(corr) - kappa, 0.0)  # |soft threshold|, all the square needs
        dual = max(dual, ry - 0.5 * r2 - float(excess @ excess) / (2.0 * mu))
    return primal, dual


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


# ==========================================================================
# The path engine (engineering, not course material)
# ==========================================================================
#
# Everything from here to ``_solve_at`` exists only to make enet_path and
# lasso_path fast; the chapters teach the solvers above, not this. It uses the
# rest of the module only through the shared helpers ``_Centred``,
# ``_primal_dual``, ``_exact_gap`` and ``_cd_epoch``, so that it can move as it
# is into a module of its own. What it guarantees is what every solver here
# guarantees: each returned point is certified by its duality gap; everything
# else is a way of finding such a point quickly.
#
# The pieces: ``_solve_path`` walks the grid (at a loose tol every other point
# solved, the points between them interpolated), ``_solve_at``
# solves one point from a guess, ``_active_set_newton`` is the sign-guessing
# Newton method, ``_FaceInverse`` its linear algebra, ``_GramRows`` the rows of
# X^T X it reads, ``_cd_fallback`` the safety net for degenerate designs.
#
# Costs, for a support of k features and m computed Gram rows: a KKT check of
# all p features is an m × p product, a face solve from scratch O(k³), an
# update of a kept face inverse O(k²), a Python step some 50 numpy calls.
# Profiles of the engine as it was tuned on the first two benchmark problems
# (benchmarks/solvers.py), on problems it was not tuned to (p > n at another
# seed, n = p with strong correlation, n ≫ p), showed: dense face solves and
# copies of Gram blocks out of m × p rows taking half the time when k is in
# the hundreds; long runs of one-feature steps (one solve per weight that
# leaves) after an extrapolated guess had put leaving weights on the wrong
# side of 0, or after many weights entered at once near the rank of X (p > n);
# and a fixed cost of some 150 µs per point of the grid. Against the first:
# ``_FaceInverse`` and the square Gram block of ``_GramRows``; against the
# second: the guesses kept on the last support (``_solve_at``), the cap on
# entering weights and the drop of all wrong-signed weights at once
# (``_active_set_newton``); against the third: the interpolated points
# (``_solve_path``) and the correlations computed only at face minimisers.


class _GramRows:
    r"""Rows of the Gram matrix :math:`G = X^\top X/n`, computed only for features that enter a model.

    Along a sparse path only a fraction of the features is ever non-zero, and
    every quantity the path solver needs comes from their rows: the
    correlations of *all* features with the residual,
    :math:`X^\top r/n = X^\top y/n - G w` (a product with the rows of the
    non-zero weights), and the blocks :math:`G_{AB}` of the face systems. A
    row costs one product with X when its feature first enters and is kept
    for the rest of the path (storage grows by doubling). The square block of
    the computed rows (``_inner``) is kept as well, so that a block
    :math:`G_{AB}` is copied out of an m × m array rather than out of m × p
    rows. When :math:`n \ge p` the whole Gram matrix is computed at once
    instead: most features enter a path sooner or later, and one large product
    is cheaper.

    It also carries the path's solver state: ``inverse`` (a
    :class:`_FaceInverse`) and ``face``, the last face system solved (see
    :func:`_newton_on_face`).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray):
        n, p = X.shape
        self.X, self.n = X, n
        self.xty = X.T @ y / n
        self.yy = float(y @ y) / n
        self.pos = np.full(p, -1)  # row of each feature in self._rows, -1 if not computed
        self.index = np.empty(0, dtype=np.intp)  # feature of each row
        cap = min(p, 32)
        self._rows, self._inner = np.empty((cap, p)), np.empty((cap, cap))
        self.face = None  # the last face system solved, see _newton_on_face
        self._memo = ((None, None), (None, None))  # see corr
        if n >= p:  # X^T X is recognised by numpy as a symmetric product (half the work)
            self._rows = self._inner = X.T @ X / n
            self.index = np.arange(p)
            self.pos = self.index.copy()
        self.diag = self._rows.diagonal().copy() if n >= p else np.einsum("ij,ij->j", X, X) / n  # G_jj
        self.rank_bound = min(n, p)
        self.inverse = _FaceInverse(self)

    def add(self, features: np.ndarray) -> None:
        """Compute the rows of ``features`` that are not there yet."""
        new = features[self.pos[features] < 0]
        if new.size == 0:
            return
        m, need = self.index.size, self.index.size + new.size
        if need > self._rows.shape[0]:
            cap = max(need, 2 * self._rows.shape[0])
            rows, inner = np.empty((cap, self._rows.shape[1])), np.empty((cap, cap))
            rows[:m], inner[:m, :m] = self._rows[:m], self._inner[:m, :m]
            self._rows, self._inner = rows, inner
        self._rows[m:need] = self.X[:, new].T @ self.X / self.n
        self.pos[new] = np.arange(m, need)
        self.index = np.concatenate([self.index, new])
        self._inner[m:need, :need] = self._rows[m:need].take(self.index, axis=1)
        self._inner[:m, m:need] = self._inner[m:need, :m].T

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

    def block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """The block :math:`G_{AB}` (``cols`` default: ``rows``) for features that have rows."""
        pos_rows = self.pos[rows]
        pos_cols = pos_rows if cols is None else self.pos[cols]
        return self._inner.take(pos_rows, axis=0).take(pos_cols, axis=1)  # much faster than np.ix_

    def gap(self, w: np.ndarray, corr: np.ndarray, lam: float, alpha: float) -> tuple[float, float]:
        """Absolute duality gap and J at ``w`` from Gram quantities (``corr`` = :meth:`corr` (w)), no product with X."""
        xty_w = float(self.xty @ w)
        r2 = self.yy - xty_w - float(w @ corr)  # ||y - Xw||^2/n, as w^T G w = w^T(X^T y/n - corr)
        primal, dual = _primal_dual(r2, self.yy - xty_w, corr, w, lam, alpha)
        return primal - dual, primal


class _FaceInverse:
    r"""Solves face systems :math:`(G_{AA} + \mu I)x = b`, keeping the inverse of large ones up to date.

    A face of fewer than ``DIRECT`` features is solved directly (LU, via
    ``np.linalg.solve``). For a larger one a direct solve, :math:`O(k^3)`,
    costs far more than following the few features that enter or leave
    between two solves: the inverse of :math:`H = G_{AA} + \mu I` is kept,
    with the block :math:`H` itself, in :math:`O(k^2)` per feature. A
    feature j joins by bordering: with :math:`h = H_{Aj}`, :math:`z = H^{-1}h`
    and the Schur complement :math:`s = H_{jj} - h^\top z > 0`,

    .. math::

        \begin{pmatrix} H & h\\ h^\top & H_{jj}\end{pmatrix}^{-1}
        = \begin{pmatrix} H^{-1} + zz^\top/s & -z/s\\ -z^\top/s & 1/s\end{pmatrix}

    (several features join at once with the block version). It leaves by the
    same formula read backwards: with :math:`u` the column of :math:`H^{-1}`
    for j, the inverse without j is :math:`(H^{-1})_{-j,-j} - u_{-j}u_{-j}^\top/u_j`.
    A Schur complement below ``SINGULAR`` times :math:`H_{jj}` means that
    :math:`X_j` lies (numerically) in the span of :math:`X_A` (more features
    than samples, lasso): that face is singular and :meth:`solve` returns None.
    When many features change at once the inverse is rebuilt from the block.

    **Elastic net.** :math:`\mu = \lambda(1-\alpha)` changes with
    :math:`\lambda`. The inverse is kept for a reference :math:`\mu_0`, and a
    system with another :math:`\mu` is solved by conjugate gradients
    preconditioned with it: the preconditioned matrix
    :math:`I + (\mu - \mu_0)H^{-1}` has its eigenvalues between
    :math:`\mu/\mu_0` and 1, so a few iterations suffice while
    :math:`\mu_0/\mu \le` ``DRIFT``; past that (about every 20 points of the
    default grid) the inverse is rebuilt at the new :math:`\mu`. The
    iterations stop as soon as the residual can no longer matter at the
    path's tolerance (``slack``, see :meth:`solve`).

    **Accuracy.** Every solution's residual is checked against the block;
    if needed it gets one step of iterative refinement, and an inverse that
    has drifted is rebuilt from the block (as accurate as a direct solve).
    """

    DIRECT = 96  # faces smaller than this are solved directly: LU is then as cheap as following the inverse
    SINGULAR = 1e-10  # relative Schur complement below which a joining feature makes the face singular
    DRIFT = 4.0  # the elastic net rebuilds the inverse when mu has changed by this factor

    def __init__(self, gram: _GramRows):
        p = gram.xty.size
        self.gram = gram
        self.features = np.empty(0, dtype=np.intp)  # the features of A, in the order of the rows of H
        self.slot = np.full(p, -1)  # row of each feature in H, -1 if not in A
        self.mu = 0.0
        self._H = self._Hinv = np.empty((0, 0))

    def solve(self, support: np.ndarray, rhs: np.ndarray, mu: float, slack: float = 0.0) -> np.ndarray | None:
        """:math:`(G_{AA} + \\mu I)^{-1}` ``rhs`` for A = ``support`` (``rhs`` in its order); None if singular.

        ``slack`` (units of J) allows an inexact solution with residual r when
        :math:`\\lVert r\\rVert_\\infty\\lVert x\\rVert_1` is below it (only the
        conjugate gradients use it): a face minimiser with residual r raises the
        duality gap by at most about :math:`2\\lVert r\\rVert_\\infty\\lVert x\\rVert_1`.
        """
        k = support.size
        if k < self.DIRECT:
            H = self.gram.block(support)
            H.flat[:: k + 1] += mu
            try:
                return np.linalg.solve(H, rhs)
            except np.linalg.LinAlgError:
                return None
        if not self._follow(support, mu):
            return None
        rows = self.slot[support]
        b = np.empty_like(rhs)
        b[rows] = rhs
        x = self._solve(b, mu, slack)
        if x is None:  # the kept inverse has drifted (or the face is nearly singular): rebuild it, solve again
            if not self._rebuild(self.features, mu):
                return None
            x = self._solve(b, mu, slack)
            if x is None:
                return None
        return x[rows]

    def _solve(self, b: np.ndarray, mu: float, slack: float) -> np.ndarray | None:
        k = self.features.size
        H, Hinv, shift = self._H[:k, :k], self._Hinv[:k, :k], mu - self.mu
        x = Hinv @ b
        if shift != 0.0:
            if b.ndim == 1:
                return self._cg(H, Hinv, shift, b, x, slack)
            cols = [self._cg(H, Hinv, shift, col, x0, slack) for col, x0 in zip(b.T, x.T)]
            return None if any(c is None for c in cols) else np.column_stack(cols)
        # The residual relative to |b| + |H||x| (a backward error) should be at rounding level (1e-14), as a
        # direct solve's is: the KKT checks at a tight tolerance rely on it. If not, up to two steps of iterative
        # refinement; still above 1e-10 after them means the kept inverse has drifted.
        scale = np.abs(b).max(axis=0) + self._hmax() * np.abs(x).sum(axis=0)
        for refinements in range(3):
            residual = b - H @ x
            size = np.abs(residual).max(axis=0)
            if np.all(size <= 1e-14 * scale) or refinements == 2:
                break
            x += Hinv @ residual
        return x if np.all(size <= 1e-10 * scale) else None

    def _hmax(self) -> float:
        """The largest entry of H (on its diagonal, H being positive definite)."""
        return float(self.gram.diag[self.features].max()) + self.mu

    def _cg(self, H, Hinv, shift, b, x, slack, max_iter=30):
        r"""Conjugate gradients for :math:`(H + \text{shift}\cdot I)x = b` from ``x``, preconditioner :math:`H^{-1}`."""
        floor = 1e-12 * (np.abs(b).max() + (self._hmax() + abs(shift)) * np.abs(x).sum())  # rounding level
        r = b - H @ x - shift * x
        z = Hinv @ r
        d, rz = z, float(r @ z)
        for it in range(max_iter + 1):
            r_max = np.abs(r).max()
            if r_max <= floor or r_max * np.abs(x).sum() <= slack:
                return x
            if it == max_iter:
                return None
            q = H @ d + shift * d
            step = rz / float(d @ q)
            x = x + step * d
            r = r - step * q
            z = Hinv @ r
            rz, rz_old = float(r @ z), rz
            d = z + (rz / rz_old) * d

    def _follow(self, support: np.ndarray, mu: float) -> bool:
        """Bring the kept inverse to the face ``support`` (False if that face is singular)."""
        inside = self.slot[support] >= 0
        joining = support[~inside]
        leaving = self.features.size - np.count_nonzero(inside)
        if (leaving + joining.size > 8 + support.size // 4  # cheaper (and more accurate) to start again
                or (mu > 0 and not self.mu / self.DRIFT <= mu <= self.DRIFT * self.mu)):
            return self._rebuild(support, mu)
        if leaving:
            keep = np.zeros(self.slot.size, dtype=bool)
            keep[support] = True
            for j in self.features[~keep[self.features]]:
                if not self._leave(j):
                    return self._rebuild(support, mu)
        return self._join(joining) if joining.size else True

    def _rebuild(self, features: np.ndarray, mu: float) -> bool:
        k = features.size
        H = self.gram.block(features)
        H.flat[:: k + 1] += mu
        try:
            Hinv = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            return False
        if not np.all(np.isfinite(Hinv)):
            return False
        self._reserve(k, keep=0)
        self._H[:k, :k], self._Hinv[:k, :k] = H, Hinv
        self.slot[self.features] = -1
        self.features, self.mu = features.copy(), mu
        self.slot[features] = np.arange(k)
        return True

    def _reserve(self, k: int, keep: int) -> None:
        if k > self._H.shape[0]:
            cap = max(k, 2 * self._H.shape[0], 2 * self.DIRECT)
            H, Hinv = np.empty((cap, cap)), np.empty((cap, cap))
            H[:keep, :keep], Hinv[:keep, :keep] = self._H[:keep, :keep], self._Hinv[:keep, :keep]
            self._H, self._Hinv = H, Hinv

    def _join(self, new: np.ndarray) -> bool:
        k, m = self.features.size, new.size
        C = self.gram.block(self.features, new)  # H_{A,new}: mu is only on the diagonal
        D = self.gram.block(new)
        D.flat[:: m + 1] += self.mu
        Hinv = self._Hinv[:k, :k]
        if m == 1:  # the common case, with vectors (an outer product is twice as fast as the matrix product)
            h = C[:, 0]
            z = Hinv @ h
            s = D[0, 0] - h @ z
            if not s > self.SINGULAR * D[0, 0]:
                return False
            zs = z / s
            Hinv += np.multiply.outer(z, zs)
            self._reserve(k + 1, keep=k)
            self._Hinv[:k, k] = self._Hinv[k, :k] = -zs
            self._Hinv[k, k] = 1.0 / s
        else:
            Z = Hinv @ C
            S = D - C.T @ Z  # the Schur complement of the new features
            try:
                L = np.linalg.cholesky(S)  # its squared diagonal: the one-feature Schur complements, in turn
            except np.linalg.LinAlgError:
                return False
            if not np.all(np.diag(L) ** 2 > self.SINGULAR * np.diag(D)):
                return False
            Sinv = np.linalg.inv(S)
            ZS = Z @ Sinv
            Hinv += ZS @ Z.T
            self._reserve(k + m, keep=k)
            self._Hinv[:k, k:k + m] = -ZS
            self._Hinv[k:k + m, :k] = -ZS.T
            self._Hinv[k:k + m, k:k + m] = Sinv
        H = self._H
        H[:k, k:k + m], H[k:k + m, :k], H[k:k + m, k:k + m] = C, C.T, D
        self.slot[new] = np.arange(k, k + m)
        self.features = np.concatenate([self.features, new])
        return True

    def _leave(self, j: int) -> bool:
        k, i = self.features.size, self.slot[j]
        last = k - 1
        if i != last:  # move j to the last row and column
            for M in (self._H, self._Hinv):
                M[[i, last], :k] = M[[last, i], :k]
                M[:k, [i, last]] = M[:k, [last, i]]
            other = self.features[last]
            self.features[i], self.features[last] = other, j
            self.slot[other], self.slot[j] = i, last
        u, d = self._Hinv[:last, last], self._Hinv[last, last]
        if not d > 0:
            return False
        self._Hinv[:last, :last] -= np.multiply.outer(u, u / d)
        self.features = self.features[:last]
        self.slot[j] = -1
        return True


def _newton_on_face(gram: _GramRows, support: np.ndarray, signs: np.ndarray, kappa: float,
                    mu: float, slack: float = 0.0) -> np.ndarray | None:
    r"""Minimiser of J over the weights in ``support`` with their signs fixed, or None if numerically singular.

    With the signs :math:`s` known, :math:`\lVert w\rVert_1 = s^\top w` and J
    is a quadratic whose minimiser solves
    :math:`(G_{AA} + \mu I)\,w_A = X_A^\top y/n - \kappa s` (with
    ``gram.inverse``, :class:`_FaceInverse`). For the lasso (:math:`\mu = 0`)
    it is affine in :math:`\kappa`,
    :math:`w_A(\kappa) = w_A(\kappa_0) - (\kappa - \kappa_0)v` with
    :math:`G_{AA}v = s`, and :math:`v` costs one more right-hand side: the
    last face solved is kept in ``gram.face``. The next :math:`\lambda`
    usually starts on the same face, which then costs no solve at all.
    """
    face = _cached_face(gram, support, signs, mu)
    if face is not None:
        w = face[3] - (kappa - face[5]) * face[4]
    elif mu == 0.0:
        wv = gram.inverse.solve(support, np.column_stack((gram.xty[support] - kappa * signs, signs)), mu)
        if wv is None:
            return None
        w = wv[:, 0]
        gram.face = (support, signs, mu, w, wv[:, 1], kappa)
    else:  # the elastic net's next lambda has another mu: no use keeping the face
        w = gram.inverse.solve(support, gram.xty[support] - kappa * signs, mu, slack)
        if w is None:
            return None
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
    gram.add(np.append(free, j))
    h = gram.block(free, np.array([j]))[:, 0]
    z = gram.inverse.solve(free, h, mu) if free.size else np.empty(0)
    if z is None:
        return None
    s_j, drive = np.sign(corr[j]), abs(corr[j]) - kappa
    schur = gram.block(np.array([j]))[0, 0] + mu - h @ z
    t_min = drive / schur if schur > _FaceInverse.SINGULAR * (gram.block(np.array([j]))[0, 0] + mu) else np.inf
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


def _active_set_newton(gram: _GramRows, w: np.ndarray, lam: float, alpha: float, target_gap: float,
                       max_steps: int, face_optimal: bool = False,
                       enter_first: bool = False) -> tuple[np.ndarray, int, float]:
    r"""Solve the elastic net at one :math:`\lambda` by guessing the signs of the solution.

    A primal active-set method (in the spirit of Lee et al.'s feature-sign
    search). On an orthant face (fixed signs) J is a quadratic, minimised by
    one linear solve (:func:`_newton_on_face`). Repeat:

    * if the face minimiser keeps the signs, move there. Then zero weights
      that violate their KKT condition :math:`|c_j| \le \kappa`, with
      :math:`c = X^\top r/n` checked on *all* features (so none is ever
      wrongly left out), join the support with the sign of :math:`c_j`, all
      at once (for the lasso at most half of the room left below the rank
      of X, the largest violators first: near that rank, p > n, a face with
      many entering weights is nearly singular and its minimiser
      meaningless). Those whose weight in the new face minimiser has the
      wrong sign (or that make the face singular) stay at 0 and the face is
      solved again without them; only if none is left does the largest
      violator join alone (from a face minimiser, a single entering weight
      always moves the right way; :func:`_enter_one` when its face is
      singular);
    * otherwise move towards it only until the first weight reaches 0, and
      drop that weight (J decreases on the segment because it is convex and
      equals the face quadratic there), or, when that gives a lower J, zero
      every weight of the wrong sign at once (:func:`_drop_all_wrong`): one
      solve instead of one per weight when the start was far off.

    J decreases at every step, so no face is visited twice. J is followed
    along the steps from the face quadratic; the correlations, the duality
    gap and the KKT check of all features (an m × p product) are computed
    only at face minimisers and at the start.

    ``face_optimal`` says that ``w`` is already the minimiser of J on its
    face (the caller knows it when ``w`` comes from
    :func:`_same_face_minimiser`), so that violators may join at the first
    step. ``enter_first`` lets them join at the first step anyway when there
    are at most ``_FEW_VIOLATORS`` of them: from a good extrapolation (the
    elastic net's guess) the few violators are the features about to enter,
    which saves the solve on the old face; many violators mean the guess is
    off, and entering them from a point that is not a face minimiser costs
    more steps than it saves. It stops when the duality gap (from Gram
    quantities) is at most ``target_gap``, or at an exact solution: a face
    minimiser without KKT violators. From a warm start on a path the signs
    rarely change between two :math:`\lambda`, so a few solves suffice.
    Returns ``(w, steps, gap)``; the gap exceeds the target when the steps
    ran out or a system was numerically singular (duplicated columns entering
    together, say): the caller then falls back to coordinate descent.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    face_optimal = face_optimal or not w.any()  # w = 0 minimises J on its face {0}
    slack = 1e-12 * kappa  # rounding allowance in the KKT check
    step, check = 0, True
    while True:
        if check:
            corr = gram.corr(w)
            gap, J = gram.gap(w, corr, lam, alpha)
            free = w != 0
            excess = np.where(free, -np.inf, np.abs(corr) - kappa)
            violators = excess > slack
            if gap <= target_gap or (face_optimal and not violators.any()):
                return w, step, gap
            few = step == 0 and enter_first and np.count_nonzero(violators) <= _FEW_VIOLATORS
            enter = violators if face_optimal or few else np.zeros_like(free)
            room = (gram.rank_bound - np.count_nonzero(free)) // 2
            if mu == 0.0 and np.count_nonzero(enter) > max(room, 1):
                # Near the rank of X (p > n) a face with many entering weights is (nearly) singular and its
                # minimiser meaningless: only the largest violators join, at most half of the room left.
                enter = np.zeros_like(free)
                enter[np.argsort(excess)[::-1][: max(room, 1)]] = True
        else:  # between face minimisers only the support and J are needed
            free = w != 0
            enter = np.zeros_like(free)
        if step == max_steps:
            return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
        single = False
        while True:
            support = np.flatnonzero(free | enter)
            gram.add(support)
            entering = enter[support]
            signs = np.where(entering, np.sign(corr[support]), np.sign(w[support]))
            target = _newton_on_face(gram, support, signs, kappa, mu, 0.05 * target_gap)
            step += 1
            current = w[support]
            if target is None:  # singular: entering weights make X_A rank-deficient (p > n)
                if not entering.any():
                    return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
                wrong_entry = entering
            else:
                b = gram.xty[support] - kappa * signs
                J_min = 0.5 * gram.yy - 0.5 * float(b @ target)  # J at the face minimiser, from H v* = b
                wrong = signs * target < 0
                if not wrong.any():
                    move = "minimiser"
                    break
                # Step to the first sign change: J decreases on the segment (convex, the face quadratic there).
                ratios = np.full(support.size, np.inf)
                ratios[wrong] = current[wrong] / (current[wrong] - target[wrong])  # 0 for an entering weight
                t = ratios.min()
                J_step = J_min + (1.0 - t) ** 2 * (J - J_min)
                J_drop = _drop_all_wrong(gram, support, target, wrong, J_min, mu)
                if J_drop < J_step:
                    move = "drop"
                    break
                wrong_entry = wrong & entering
                if not wrong_entry.any():
                    move = "first sign change"
                    break
            if single:
                # The face with the largest violator is (numerically) singular: X_j is in the span of the support
                # (p > n). Move along the face's edge instead, until a weight leaves.
                moved = _enter_one(gram, w, corr, int(np.argmax(excess)), kappa, mu)
                if moved is None:
                    return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
                move = "edge"
                break
            if step == max_steps:
                return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
            # Entering weights whose face minimiser has the wrong sign stay at 0: solve again without them,
            # or, if none is left, with the largest violator alone (from a face minimiser, a single entering
            # weight always moves the right way).
            enter[support[wrong_entry]] = False
            if not enter.any():
                enter[np.argmax(excess)] = single = True
        if move == "edge":
            (w, face_optimal), check = moved, True
            continue
        w = np.zeros_like(w)
        if move == "minimiser":
            w[support], J = target, J_min
        elif move == "drop":
            w[support], J = np.where(wrong, 0.0, target), J_drop
        else:
            moved = current + t * (target - current)
            moved[ratios <= t] = 0.0
            w[support], J = moved, J_step
        face_optimal = check = move == "minimiser"


_FEW_VIOLATORS = 4  # see _active_set_newton's enter_first


def _drop_all_wrong(gram: _GramRows, support: np.ndarray, target: np.ndarray, wrong: np.ndarray, J_min: float,
                    mu: float) -> float:
    r"""J after zeroing every wrong-signed weight of the face minimiser :math:`v^*` (W: those weights).

    The step to the first sign change drops one weight per face solved; when
    many weights of the face minimiser have the wrong sign (a start far from
    the new solution), that is one solve per weight. Zeroing all of them in
    the face minimiser lands on a sub-face, where J is the same face quadratic
    :math:`J(v^*) + \tfrac12(v - v^*)^\top H(v - v^*)`, that is
    :math:`J(v^*) + \tfrac12 v_W^{*\top} H_{WW} v^*_W`. The caller takes
    this move when it gives a lower J than the first sign change, so J still
    decreases at every step.
    """
    dropped = support[wrong]
    H = gram.block(dropped)
    H.flat[:: dropped.size + 1] += mu
    v = target[wrong]
    return J_min + 0.5 * float(v @ H @ v)


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


def _solve_path(prob: _Centred, lambdas: np.ndarray, alpha: float, tol: float,
                max_iter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The path engine's entry point: the solutions for ``lambdas`` (decreasing), each within ``tol``.

    Returns ``(coefs, gaps, n_iter)`` as in :class:`PathResult` (``gaps``
    relative to J(0)). Warm starts along the grid (:func:`_solve_at`), but
    not at every point: the lasso path is piecewise linear in
    :math:`\lambda` (and the elastic net's is smooth between changes of
    support), so once two solutions are known the points of the grid
    between them are, to within a loose ``tol``, their linear interpolation.
    The engine solves a subsequence of the grid, ``_STRIDE`` points apart at
    most, and tries the interpolation at the points in between: each is kept
    if its duality gap is within ``tol`` and solved from it otherwise. The
    stride grows while the interpolations are kept and falls back to 1 at
    the first that is not (the path changes fast there, or ``tol`` is
    tight), for a number of points that doubles at each failure: at a tight
    ``tol`` the interpolations almost never pass, and are soon hardly tried.
    Every point is certified by its own duality gap. This is done only at a
    loose ``tol`` (from ``_LOOSE_TOL`` = 1e-5 up, which includes 2e-4, the
    equivalent of scikit-learn's default): an interpolation is within ``tol``
    but, unlike the face minimiser a solve gives, no closer, and at the
    default ``tol`` = 1e-6 the course's pages compare whole paths
    (cross-validation curves) with scikit-learn's to six digits.
    """
    p, k = prob.X.shape[1], lambdas.size
    coefs, gaps, n_iter = np.zeros((p, k)), np.zeros(k), np.zeros(k, dtype=int)
    gram = _GramRows(prob.X, prob.y)
    j0 = prob.j0
    target = tol * j0

    def record(i, w, gap, steps):
        coefs[:, i], gaps[i], n_iter[i] = w, gap / j0 if j0 > 0 else gap, steps  # gap relative to J(0)

    last, stride, wait, patience = -1, 1, 0, 1
    max_stride = _STRIDE if tol >= _LOOSE_TOL else 1
    w, w_before, lam_last, lam_before = np.zeros(p), None, np.inf, np.inf  # the last two points solved
    while last < k - 1:
        i = min(last + stride, k - 1)
        lam = lambdas[i]
        w_i, gap, steps = _solve_at(prob, gram, lam, alpha, target, max_iter, w, w_before, lam_last, lam_before)
        record(i, w_i, gap, steps)
        kept_face, interpolated = gram.face, True
        for m in range(last + 1, i):  # the points in between, from the interpolation of their neighbours
            lam_m = lambdas[m]
            guess = w + (lam_m - lam_last) / (lam - lam_last) * (w_i - w)
            gap_m, steps_m = gram.gap(guess, gram.corr(guess), lam_m, alpha)[0], 0
            if gap_m > target:
                interpolated = False
                guess, steps_m, gap_m = _active_set_newton(gram, guess, lam_m, alpha, target, max_iter)
                if gap_m > target:
                    guess, epochs, gap_m = _cd_fallback(prob, gram, guess, lam_m, alpha, target, max_iter - steps_m)
                    steps_m += epochs
            record(m, guess, gap_m, steps_m)
        gram.face = kept_face  # the face of w_i, for the next guess
        if not interpolated:  # back to every point, and wait twice as long as last time before trying again
            stride, wait, patience = 1, patience, 2 * patience
        elif wait:
            wait -= 1
        else:
            stride = min(2 * stride, max_stride)
        if i - last > 1:
            w_before, lam_before = coefs[:, i - 1], lambdas[i - 1]
        else:
            w_before, lam_before = w, lam_last
        w, lam_last, last = w_i, lam, i
    return coefs, gaps, n_iter


_STRIDE = 2  # the largest step along the grid between two points solved (see _solve_path)
_LOOSE_TOL = 1e-5  # interpolated points only from this tol up (see _solve_path)


def _solve_at(prob: _Centred, gram: _GramRows, lam: float, alpha: float, target: float, max_iter: int,
              w: np.ndarray, w_before: np.ndarray | None, lam_last: float,
              lam_before: float) -> tuple[np.ndarray, float, int]:
    r"""Solve at ``lam`` from the solutions ``w`` at ``lam_last`` and ``w_before`` at ``lam_before`` (larger λ).

    Returns ``(w, gap, steps)``. First a guess, often within ``target``
    already so that no system is solved: for the lasso the exact minimiser
    of the new J on the face of ``w`` (:func:`_same_face_minimiser`);
    otherwise the linear extrapolation of the last two solutions on the
    support of ``w`` (a weight that would change sign stops at 0: the
    extrapolation of a weight that left, or is leaving, would put it on the
    wrong side of 0 and send the active-set method down a long series of
    one-feature steps). Then :func:`_active_set_newton`, and for the rare
    :math:`\lambda` where it gives up, :func:`_cd_fallback`.
    """
    guess, steps = _same_face_minimiser(gram, w, lam * alpha, lam * (1.0 - alpha)), 0
    on_face = guess is not None
    if not on_face:
        guess = w
        if w_before is not None and np.isfinite(lam_before):
            slope = (lam - lam_last) / (lam_last - lam_before)
            guess = np.where(w != 0, w + slope * (w - w_before), 0.0)
            guess[guess * w < 0] = 0.0
    gap = gram.gap(guess, gram.corr(guess), lam, alpha)[0]
    if gap <= target:
        return guess, gap, 0
    enet_guess = not on_face and alpha < 1.0  # an extrapolation (see _active_set_newton's enter_first)
    w, steps, gap = _active_set_newton(gram, guess if on_face or enet_guess else w, lam, alpha, target, max_iter,
                                       face_optimal=on_face, enter_first=enet_guess)
    if gap > target:
        w, epochs, gap = _cd_fallback(prob, gram, w, lam, alpha, target, max_iter - steps)
        steps += epochs
    return w, gap, steps


# --------------------------------------------------------------------------
# Regularisation paths (the public functions; the work is done by the path engine above)
# --------------------------------------------------------------------------

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
    all p features are checked at every face minimiser, using rows of the
    Gram matrix that are computed only for features that enter, and
    violators join the working set; with the signs of the solution known,
    one linear solve gives it exactly. (This replaces strong-rule screening:
    from a warm start the sequential strong rule's candidate set always
    contains the KKT violators, and the full KKT check costs only a
    p × (support size) product.) Before any solve, a guess is tried: for the
    lasso, the exact minimiser of the new J on the face of the last solution
    (its solution is affine in :math:`\lambda`, so this costs no solve),
    otherwise the linear extrapolation of the last two solutions; at a loose
    ``tol`` it is often accepted as it is. At a loose ``tol`` (1e-5 or more)
    and while it works, only every other point of the grid is solved this
    way, and the points in between are first tried as the linear
    interpolation of their neighbours (the lasso path is piecewise linear in
    :math:`\lambda`). Every solution is
    certified by its duality gap (computed from the Gram rows, so without
    another product with X); a :math:`\lambda` where the active-set method
    gives up (degenerate designs) is finished by coordinate descent. The
    machinery that makes this fast (kept inverses of the face systems,
    among others) is documented with the path engine in this module's
    source.

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
    if lambdas is None:
        lam_max = float(np.abs(prob.X.T @ prob.y).max()) / (prob.n * alpha)
        lambdas = np.geomspace(lam_max, eps * lam_max, n_lambdas) if lam_max > 0 else np.geomspace(1.0, eps, n_lambdas)
    k = lambdas.size
    if alpha == 0:
        coefs = _ridge_coefs(prob.X, prob.y, lambdas)
        gaps = np.array([prob.relative(_exact_gap(prob, coefs[:, i], lam, 0.0)[0]) for i, lam in enumerate(lambdas)])
        n_iter = np.zeros(k, dtype=int)
    else:
        coefs, gaps, n_iter = _solve_path(prob, lambdas, alpha, tol, max_iter)
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
