r"""The group lasso: select or drop whole groups of features.

When the features come in known groups, indexed by :math:`g` (the dummy columns of one
categorical factor, the channels of one sensor, the basis functions of one variable), the
group lasso of Yuan & Lin (2006) minimises, in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\,\Omega(w), \qquad
    \Omega(w) = \sum_g \sqrt{p_g}\,\lVert w_g\rVert_2 ,

where :math:`w_g` are the weights of group :math:`g` and :math:`p_g` its size. The Euclidean
norm (not squared) is not differentiable only where the *whole* block is 0, so the penalty
zeroes whole groups and, inside a group it keeps, shrinks like ridge. With groups of size 1 it
is the lasso.

* :func:`group_penalty` evaluates :math:`\Omega`;
* :func:`prox_group_lasso` is its proximal operator, block soft thresholding
  :math:`w_g = \max(0, 1 - t\sqrt{p_g}/\lVert z_g\rVert)\,z_g`;
* :func:`group_lasso` solves the problem by accelerated proximal gradient (FISTA with adaptive
  restart, each step a block soft thresholding of every group at once), stopped by the duality
  gap; :func:`group_lasso_path` follows a decreasing grid of :math:`\lambda` with warm starts from
  :math:`\lambda_{\max} = \max_g \lVert X_g^\top y\rVert/(n\sqrt{p_g})`.

The chapter's example, :func:`make_factor_regression`, is regression on categorical factors coded
as dummy columns, the setting of Yuan & Lin's first simulations: one group per factor.

This module imports only numpy and the course's helpers.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_per_column, check_real, check_seed, check_Xy
from ..data import _ar1_columns
from ..exceptions import ConvergenceWarning
from .paths import _check_path_inputs, _default_grid, _given_grid, _warn_unconverged
from .results import FitResult

__all__ = ["FactorData", "GroupLassoPath", "group_lasso", "group_lasso_lambda_max", "group_lasso_path",
           "group_penalty", "make_factor_regression", "prox_group_lasso"]


def _check_groups(groups, p: int) -> list[np.ndarray]:
    """Validate a label per feature; return the index array of each group, in order of first appearance."""
    groups = np.asarray(groups)
    if groups.ndim != 1 or groups.shape[0] != p:
        raise ValueError(f"groups must be 1-D with one label per feature ({p}), got shape {groups.shape}")
    if not np.issubdtype(groups.dtype, np.integer):
        raise TypeError(f"groups must hold integer labels, got dtype {groups.dtype}")
    _, first = np.unique(groups, return_index=True)
    return [np.flatnonzero(groups == groups[i]) for i in np.sort(first)]


def group_penalty(w, groups) -> float:
    r"""The group-lasso penalty :math:`\Omega(w) = \sum_g \sqrt{p_g}\,\lVert w_g\rVert_2` (without :math:`\lambda`).

    Parameters
    ----------
    w : array_like of shape (p,)
    groups : array_like of int, shape (p,)
        The group label of each feature.

    Returns
    -------
    float
    """
    w = as_float_array(w, "w", ndim=1)
    members = _check_groups(groups, w.shape[0])
    return float(sum(np.sqrt(idx.size) * np.linalg.norm(w[idx]) for idx in members))


def _block_threshold(z: np.ndarray, t: float) -> np.ndarray:
    """max(0, 1 - t / ||z||) z for one block (0 when ||z|| <= t)."""
    norm = float(np.linalg.norm(z))
    return z * (1.0 - t / norm) if norm > t else np.zeros_like(z)


def prox_group_lasso(z, t, groups) -> np.ndarray:
    r"""Block soft thresholding, the proximal operator of :math:`t\,\Omega`.

    .. math::

        \operatorname{prox}_{t\Omega}(z) = \operatorname*{arg\,min}_x \tfrac12\lVert x - z\rVert_2^2 + t\sum_g \sqrt{p_g}\lVert x_g\rVert_2,
        \qquad x_g = \max\Big(0,\ 1 - \frac{t\sqrt{p_g}}{\lVert z_g\rVert_2}\Big)\, z_g :

    a block whose norm is at most :math:`t\sqrt{p_g}` becomes exactly 0, every other block keeps its
    direction and loses :math:`t\sqrt{p_g}` of its length. For groups of size 1 it is soft thresholding.

    Parameters
    ----------
    z : array_like of shape (p,)
    t : float
        :math:`t \ge 0`.
    groups : array_like of int, shape (p,)

    Returns
    -------
    ndarray of shape (p,)
    """
    z = as_float_array(z, "z", ndim=1)
    t = check_real(t, "t", low=0.0)
    out = np.zeros_like(z)
    for idx in _check_groups(groups, z.shape[0]):
        out[idx] = _block_threshold(z[idx], t * np.sqrt(idx.size))
    return out


def _dual_norm(corr: np.ndarray, members: list[np.ndarray]) -> float:
    r""":math:`\Omega^*(v) = \max_g \lVert v_g\rVert/\sqrt{p_g}`, the dual norm of :math:`\Omega`."""
    return max(float(np.linalg.norm(corr[idx])) / np.sqrt(idx.size) for idx in members)


class _Gram:
    """The centred problem in Gram form: G = XᵀX/n, Xᵀy/n and yᵀy/n are all an iteration needs (p × p, not n × p)."""

    def __init__(self, X: np.ndarray, y: np.ndarray, members: list[np.ndarray]):
        n, p = X.shape
        self.G, self.Xty, self.yy = X.T @ X / n, X.T @ y / n, float(y @ y) / n
        self.label = np.empty(p, dtype=int)             # group number of each feature, from 0
        for g, idx in enumerate(members):
            self.label[idx] = g
        self.roots = np.sqrt(np.bincount(self.label, minlength=len(members)).astype(float))   # sqrt(p_g)
        self.M = float(np.linalg.eigvalsh(self.G)[-1]) if p else 0.0                          # Lipschitz constant

    def block_norms(self, v: np.ndarray) -> np.ndarray:
        return np.sqrt(np.bincount(self.label, weights=v * v, minlength=self.roots.size))

    def prox(self, z: np.ndarray, t: float) -> np.ndarray:
        """Block soft thresholding of every group at once: z_g * max(0, 1 - t sqrt(p_g) / ||z_g||)."""
        norms = self.block_norms(z)
        factor = np.maximum(1.0 - t * self.roots / np.where(norms > 0, norms, 1.0), 0.0)
        return z * factor[self.label]

    def objective_and_gap(self, w: np.ndarray, corr: np.ndarray, lam: float) -> tuple[float, float]:
        r"""J(w) and the duality gap, with the dual point :math:`\theta = s\,r/n`, :math:`s = \min(1, \lambda/\Omega^*(X^\top r/n))`."""
        rr = self.yy - 2.0 * float(w @ self.Xty) + float(w @ (self.Xty - corr))   # ||r||^2/n, as G w = Xty - corr
        ry = self.yy - float(w @ self.Xty)                                         # r^T y / n
        primal = 0.5 * rr + lam * float(self.roots @ self.block_norms(w))
        top = float(np.max(self.block_norms(corr) / self.roots)) if self.roots.size else 0.0
        s = 1.0 if top <= lam else lam / top
        return primal, primal - (s * ry - 0.5 * s**2 * rr)


_CHECK_EVERY = 5   # iterations between two evaluations of the duality gap (it costs as much as a step)


def _fista(gram: _Gram, w: np.ndarray, lam: float, target: float,
           max_iter: int) -> tuple[np.ndarray, int, float, list[float]]:
    """Accelerated proximal gradient (FISTA with adaptive restart) from w until the gap is <= target.

    Returns the weights, the iterations done, the last gap and the objective at every gap evaluation (every
    ``_CHECK_EVERY`` iterations and at the end).
    """
    eta = 1.0 / gram.M if gram.M > 0 else 1.0
    v, t = w.copy(), 1.0
    history: list[float] = []
    gap = np.inf
    for k in range(max_iter + 1):
        if k % _CHECK_EVERY == 0 or k == max_iter:
            value, gap = gram.objective_and_gap(w, gram.Xty - gram.G @ w, lam)
            history.append(value)
            if gap <= target or k == max_iter:
                break
        w_next = gram.prox(v - eta * (gram.G @ v - gram.Xty), eta * lam)
        t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        if float((v - w_next) @ (w_next - w)) > 0:  # the momentum points uphill: restart it (O'Donoghue & Candes)
            t_next, v = 1.0, w_next
        else:
            v = w_next + ((t - 1.0) / t_next) * (w_next - w)
        w, t = w_next, t_next
    return w, k, gap, history


def group_lasso_lambda_max(X, y, groups, *, fit_intercept: bool = True) -> float:
    r"""The smallest :math:`\lambda` at which every group is zero: :math:`\max_g \lVert X_g^\top y\rVert_2/(n\sqrt{p_g})` (centred data).

    It is the KKT condition at :math:`w = 0`: block :math:`g` may stay 0 iff
    :math:`\lVert X_g^\top y/n\rVert \le \lambda\sqrt{p_g}`.
    """
    X, y = check_Xy(X, y)
    members = _check_groups(groups, X.shape[1])
    if check_bool(fit_intercept, "fit_intercept"):
        X, y = X - X.mean(axis=0), y - y.mean()
    return _dual_norm(X.T @ y / X.shape[0], members)


def group_lasso(X, y, lam: float, groups, *, fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 10_000,
                w0=None) -> FitResult:
    r"""The group lasso by accelerated proximal gradient (FISTA) with block soft thresholding.

    Minimises

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\sum_g \sqrt{p_g}\,\lVert w_g\rVert_2 .

    Each iteration takes a gradient step on the loss from the extrapolated point :math:`v` and
    applies the prox of the penalty, block by block,

    .. math::

        w^{+} = \operatorname{prox}_{\eta\lambda\Omega}\big(v - \eta\nabla L(v)\big),
        \qquad \nabla L(v) = -X^\top(y - Xv)/n, \quad \eta = n/\sigma_{\max}(X)^2 ,

    with Nesterov momentum restarted whenever it points uphill (as
    :func:`lecture_code.solvers.fista`). The solver works on the Gram matrix :math:`X^\top X/n`
    and stops when the duality gap, with the dual point
    :math:`\theta = \frac rn\min(1, \lambda/\Omega^*(X^\top r/n))`,
    :math:`\Omega^*(v) = \max_g\lVert v_g\rVert/\sqrt{p_g}`, is at most ``tol`` :math:`\cdot J(0)`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lam : float
        :math:`\lambda > 0`, the strength of the group penalty.
    groups : array_like of int, shape (p,)
        The group label of each feature (any integers; a group's members need not be adjacent).
    fit_intercept : bool, default True
        Fit the unpenalised bias by centring.
    tol : float, default 1e-6
        Relative duality gap :math:`(P - D)/J(0)` at which to stop.
    max_iter : int, default 10000
        Maximum number of iterations.
    w0 : array_like of shape (p,), optional
        Starting weights (a warm start); default 0.

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` at every evaluation of the gap (the start, every fifth iteration and the
        last), ``gap`` the relative duality gap.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    X, y = check_Xy(X, y)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    members = _check_groups(groups, X.shape[1])
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    w = np.zeros(X.shape[1]) if w0 is None else check_per_column(w0, X, "w0")
    x_mean, y_mean = (X.mean(axis=0), float(y.mean())) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    j0 = 0.5 * float(yc @ yc) / Xc.shape[0] or 1.0
    w, k, gap, history = _fista(_Gram(Xc, yc, members), w, lam, tol * j0, max_iter)
    converged = gap <= tol * j0
    if not converged:
        warnings.warn(f"group_lasso reached max_iter={max_iter} with relative duality gap {gap / j0:.3g} > tol={tol:.3g}",
                      ConvergenceWarning, stacklevel=2)
    return FitResult(coef=w, intercept=y_mean - float(x_mean @ w), n_iter=k, gap=gap / j0, converged=converged,
                     history=np.array(history))


@dataclass(frozen=True)
class GroupLassoPath:
    """What :func:`group_lasso_path` returns: ``coefs[:, i]`` and ``intercepts[i]`` solve the problem at ``lambdas[i]``."""

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray
    n_iter: np.ndarray


def group_lasso_path(X, y, groups, lambdas=None, n_lambdas: int = 50, eps: float = 1e-3, *,
                     fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 10_000) -> GroupLassoPath:
    r"""The group-lasso path: :func:`group_lasso` on a decreasing grid of :math:`\lambda`, with warm starts.

    Minimises :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda\sum_g\sqrt{p_g}\lVert w_g\rVert_2`
    for each :math:`\lambda`. The default grid is ``geomspace(λ_max, eps·λ_max, n_lambdas)`` with
    :math:`\lambda_{\max}` from :func:`group_lasso_lambda_max`.

    Parameters
    ----------
    X, y, lambdas, n_lambdas, eps, fit_intercept
        The data and the grid, as for :func:`~lecture_code.solvers.enet_path` (here ``n_lambdas=50``).
    groups : array_like of int, shape (p,)
        As for :func:`group_lasso`.
    tol : float, default 1e-6
        As for :func:`group_lasso`, at every :math:`\lambda`.
    max_iter : int, default 10000
        Iterations allowed per :math:`\lambda`.

    Returns
    -------
    GroupLassoPath

    Warns
    -----
    ConvergenceWarning
        When some :math:`\lambda` ran out of iterations, stating the largest relative gap reached.
    """
    X, y, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_inputs(X, y, n_lambdas, eps, fit_intercept, tol,
                                                                            max_iter)
    members = _check_groups(groups, X.shape[1])
    x_mean, y_mean = (X.mean(axis=0), float(y.mean())) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    n, p = Xc.shape
    if lambdas is None:
        lambdas = _default_grid(_dual_norm(Xc.T @ yc / n, members), eps, n_lambdas)
    else:
        lambdas = _given_grid(lambdas)
    j0 = 0.5 * float(yc @ yc) / n or 1.0
    gram = _Gram(Xc, yc, members)
    coefs, gaps, n_iter = np.zeros((p, lambdas.size)), np.zeros(lambdas.size), np.zeros(lambdas.size, dtype=int)
    w = np.zeros(p)
    for i, lam in enumerate(lambdas):
        w, n_iter[i], gap, _ = _fista(gram, w, lam, tol * j0, max_iter)
        coefs[:, i], gaps[i] = w, gap / j0
    _warn_unconverged("group_lasso_path", gaps, tol, max_iter)
    return GroupLassoPath(lambdas=lambdas, coefs=coefs, intercepts=y_mean - x_mean @ coefs, gaps=gaps, n_iter=n_iter)


@dataclass(frozen=True)
class FactorData:
    r"""Regression on categorical factors, each coded by dummy columns (one group per factor).

    Attributes
    ----------
    X : ndarray of shape (n, K(L-1))
        Treatment coding: for factor :math:`k` and level :math:`l = 1, \dots, L-1` the column
        :math:`\mathbb 1\{\text{factor}_k = l\}` (level 0 is the reference, coded by all zeros).
    y : ndarray of shape (n,)
    levels : ndarray of int, shape (n, K)
        The level of every factor for every sample.
    groups : ndarray of int, shape (K(L-1),)
        The factor each column belongs to.
    coef : ndarray of shape (K(L-1),)
        The true dummy weights :math:`w^\star` (non-zero exactly on the relevant factors' columns).
    relevant : tuple of int
        The factors that enter the true model.
    """

    X: np.ndarray
    y: np.ndarray
    levels: np.ndarray
    groups: np.ndarray
    coef: np.ndarray
    relevant: tuple[int, ...]


def make_factor_regression(n: int = 200, n_factors: int = 10, n_levels: int = 4, *, n_relevant: int = 3,
                           rho: float = 0.5, effect: float = 1.0, noise: float = 1.0, seed=0) -> FactorData:
    r"""Draw a regression problem on correlated categorical factors (in the spirit of Yuan & Lin 2006).

    Latent Gaussians :math:`Z_1, \dots, Z_K` with :math:`\operatorname{corr}(Z_j, Z_k) = \rho^{|j-k|}` are
    cut at their quantiles :math:`1/L, \dots, (L-1)/L` into factors with :math:`L` equally likely levels.
    The first ``n_relevant`` factors matter: each of their :math:`L-1` dummy weights is drawn from
    :math:`N(0, \text{effect}^2)`; all other weights are 0. Then :math:`y = Xw^\star + \varepsilon`,
    :math:`\varepsilon \sim N(0, \sigma^2 I)`.

    Parameters
    ----------
    n : int, default 200
    n_factors : int, default 10
        :math:`K \ge 1`.
    n_levels : int, default 4
        :math:`L \ge 2` levels per factor, hence groups of :math:`L - 1` columns.
    n_relevant : int, default 3
        :math:`0 \le` ``n_relevant`` :math:`\le K`.
    rho : float, default 0.5
        Correlation parameter of the latent Gaussians, :math:`-1 < \rho < 1`.
    effect : float, default 1.0
        Standard deviation of the true dummy weights, :math:`> 0`.
    noise, seed
        As for :func:`lecture_code.data.make_regression`.

    Returns
    -------
    FactorData
    """
    n = check_int(n, "n", low=1)
    n_factors = check_int(n_factors, "n_factors", low=1)
    n_levels = check_int(n_levels, "n_levels", low=2)
    n_relevant = check_int(n_relevant, "n_relevant", low=0, high=n_factors)
    rho = check_real(rho, "rho", low=-1.0, high=1.0, low_open=True, high_open=True)
    effect = check_real(effect, "effect", low=0.0, low_open=True)
    noise = check_real(noise, "noise", low=0.0)
    rng = check_seed(seed)
    Z = _ar1_columns(rng.standard_normal((n_factors, n)).T, rho)  # one latent per column, n draws at a time
    # Cut each latent variable at the normal quantiles 1/L, ..., (L-1)/L (computed from erf, no scipy needed).
    grid = np.linspace(-8.0, 8.0, 160_001)
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(grid / np.sqrt(2.0)))
    cuts = np.interp(np.arange(1, n_levels) / n_levels, cdf, grid)
    levels = np.searchsorted(cuts, Z)
    X = np.concatenate([(levels[:, [k]] == np.arange(1, n_levels)).astype(float) for k in range(n_factors)], axis=1)
    groups = np.repeat(np.arange(n_factors), n_levels - 1)
    coef = np.where(groups < n_relevant, 1.0, 0.0) * effect * rng.standard_normal(groups.size)
    y = X @ coef + noise * rng.standard_normal(n)
    return FactorData(X=X, y=y, levels=levels, groups=groups, coef=coef, relevant=tuple(range(n_relevant)))
