r"""The internals the teaching solvers share: centring, the penalty, the duality gap, the stopping rule.

A student reading a solver meets four helpers from here: :func:`_setup` (validate the arguments, centre
``X`` and ``y``, start the monitor), :class:`_Monitor` (at each iterate, the correlations
:math:`X^\top(y - Xw)/n` the update needs, the record of :math:`J` and the stop on the relative duality
gap, the rule stated in :mod:`lecture_code.solvers`), :func:`_exact_gap` and :func:`_lipschitz`. The path engine
(:mod:`lecture_code.solvers._path_engine`) reuses :class:`_Centred` and :func:`_primal_dual`.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import check_bool, check_int, check_real, check_Xy
from ..exceptions import ConvergenceWarning
from .results import FitResult


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
    """What every iteration of the iterative solvers measures, the objective history and the stopping rule."""

    def __init__(self, solver: str, prob: _Centred, lam: float, alpha: float, tol: float, max_iter: int):
        self.solver, self.prob, self.lam, self.alpha, self.tol = solver, prob, lam, alpha, tol
        self.max_iter = max_iter
        self.history: list[float] = []
        self.gap = np.inf
        # At lam = 0 there is no gap: measure the gradient relative to its value at w = 0.
        self.grad_scale = float(np.abs(prob.X.T @ prob.y).max()) / prob.n if lam == 0 else 0.0

    def measure(self, w: np.ndarray) -> np.ndarray:
        """The correlations Xᵀr/n at ``w`` (r = y - Xw; minus the gradient of the loss), after recording
        J(w) and the optimality measure (the relative duality gap, or gradient norm at lam = 0)."""
        X, y, n = self.prob.X, self.prob.y, self.prob.n
        r = y - X @ w
        corr = X.T @ r / n
        r2 = float(r @ r) / n
        self.history.append(0.5 * r2 + _penalty(w, self.lam, self.alpha))
        if self.lam > 0:
            self.gap = self.prob.relative(_gap(r2, float(r @ y) / n, corr, w, self.lam, self.alpha))
        else:
            grad = float(np.abs(corr).max())
            self.gap = grad / self.grad_scale if self.grad_scale > 0 else grad
        return corr

    def done(self, k: int) -> bool:
        """Stop at iteration ``k``: the last measure met ``tol``, or ``k`` is ``max_iter``."""
        return self.gap <= self.tol or k == self.max_iter

    def result(self, w: np.ndarray, n_iter: int) -> FitResult:
        converged = bool(self.gap <= self.tol)
        if not converged:
            measure = "relative duality gap" if self.lam > 0 else "relative gradient norm"
            warnings.warn(f"{self.solver} reached max_iter={n_iter} with {measure} {self.gap:.3g} > tol={self.tol:.3g}",
                          ConvergenceWarning, stacklevel=3)
        return FitResult(coef=w, intercept=self.prob.intercept(w), n_iter=n_iter, gap=float(self.gap),
                         converged=converged, history=np.array(self.history))


def _setup(solver: str, X, y, lam, alpha, fit_intercept, tol,
           max_iter) -> tuple[_Centred, float, float, int, _Monitor]:
    """Validate the arguments every iterative solver shares, centre, and start the solver's monitor."""
    X, y = check_Xy(X, y)
    lam, alpha = _check_penalty(lam, alpha)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    prob = _centre(X, y, fit_intercept)
    return prob, lam, alpha, max_iter, _Monitor(solver, prob, lam, alpha, tol, max_iter)


def _lipschitz(X: np.ndarray) -> float:
    """Lipschitz constant σ_max(X)²/n of the loss gradient (1 when X = 0: any step is then exact)."""
    return float(np.linalg.norm(X, 2)) ** 2 / X.shape[0] or 1.0
