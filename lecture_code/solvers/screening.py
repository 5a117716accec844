r"""Screening rules: discard features before solving the lasso, and a path solver that uses them.

For the lasso in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1 ,

the KKT conditions (centred data, correlations :math:`c_j = x_j^\top(y - Xw)/n`) say that
:math:`|c_j(\lambda)| < \lambda` forces :math:`w_j(\lambda) = 0`. A screening rule predicts
which features satisfy it *before* the problem is solved, from cheap information, so that
the solver never touches them.

* **Sequential strong rule** (Tibshirani, Bien, Friedman, Hastie, Simon, Taylor & Tibshirani
  2012). Going from :math:`\lambda_{k-1}` to :math:`\lambda_k < \lambda_{k-1}`, discard
  feature :math:`j` if :math:`|c_j(\lambda_{k-1})| < 2\lambda_k - \lambda_{k-1}`. It is exact
  when every :math:`c_j(\lambda)` changes at most as fast as :math:`\lambda` itself
  (:math:`|c_j(\lambda) - c_j(\lambda')| \le |\lambda - \lambda'|`), which is usual but not
  guaranteed: the rule can discard a feature that belongs in the model (a *violation*), so the
  KKT conditions of the discarded features are checked after solving and violators are put back.
* **Gap-safe sphere rule** (Fercoq, Gramfort & Salmon 2015). Any primal point :math:`w` gives a
  dual-feasible point :math:`\theta = \frac rn\min\big(1, \lambda/\lVert X^\top r/n\rVert_\infty\big)`
  (feasible means :math:`\lVert X^\top\theta\rVert_\infty \le \lambda`),
  :math:`r = y - Xw`, and the duality gap :math:`\operatorname{gap} = J(w) - D(\theta)`. The dual objective
  :math:`D(\theta) = \theta^\top y - \tfrac n2\lVert\theta\rVert^2` is :math:`n`-strongly concave,
  so the dual optimum :math:`\theta^\star = r^\star/n` lies in the ball of radius
  :math:`\sqrt{2\operatorname{gap}/n}` around :math:`\theta`. If :math:`|x_j^\top\theta| + \sqrt{2\operatorname{gap}/n}\,\lVert x_j\rVert < \lambda`,
  then :math:`|x_j^\top\theta^\star| < \lambda` and :math:`w_j^\star = 0` — guaranteed, never a
  violation. The better :math:`w` (smaller gap), the more it discards.

:func:`screened_lasso_path` runs cyclic coordinate descent along a path with either rule (or
none) and counts the work in *column operations* — an inner product :math:`x_j^\top r` or an
update :math:`r \leftarrow r - \delta x_j`, each :math:`O(n)` — a measure of cost that does not
depend on the machine. This module imports only numpy and the course's helpers.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_per_column, check_real, check_seed, check_Xy
from .paths import _check_path_inputs, _default_grid, _given_grid, _warn_unconverged

__all__ = ["ScreenedPath", "gap_safe_rule", "screened_lasso_path", "strong_rule", "strong_rule_counterexample"]

RULES = ("none", "strong", "gap_safe")


def strong_rule(corr_prev, lam_prev: float, lam: float) -> np.ndarray:
    r"""The sequential strong rule: which features to *keep* at :math:`\lambda` given the correlations at :math:`\lambda_{\text{prev}}`.

    Keeps :math:`j` iff :math:`|c_j(\lambda_{\text{prev}})| \ge 2\lambda - \lambda_{\text{prev}}`, where
    :math:`c(\lambda_{\text{prev}}) = X^\top(y - Xw(\lambda_{\text{prev}}))/n` on centred data (at
    :math:`\lambda_{\text{prev}} = \lambda_{\max}`, :math:`w = 0` and :math:`c = X^\top y/n`: the basic strong rule).
    Not safe: check the KKT conditions of the discarded features after solving.

    Parameters
    ----------
    corr_prev : array_like of shape (p,)
        :math:`c(\lambda_{\text{prev}})`.
    lam_prev : float
        :math:`\lambda_{\text{prev}} > 0`.
    lam : float
        :math:`0 < \lambda \le \lambda_{\text{prev}}`.

    Returns
    -------
    ndarray of bool, shape (p,)
        True for the features kept.
    """
    corr_prev = as_float_array(corr_prev, "corr_prev", ndim=1)
    lam_prev = check_real(lam_prev, "lam_prev", low=0.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0, high=lam_prev, low_open=True)
    return np.abs(corr_prev) >= 2.0 * lam - lam_prev


def _sphere(corr: np.ndarray, r: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float, n: int) -> tuple[float, float]:
    """The dual point theta = scale * r / n, scale = min(1, lam / ||corr||_inf), and the duality gap J(w) - D(theta)."""
    top = float(np.abs(corr).max()) if corr.size else 0.0
    scale = 1.0 if top <= lam else lam / top
    primal = 0.5 * float(r @ r) / n + lam * float(np.abs(w).sum())
    theta_y = scale * float(r @ y) / n                    # theta^T y with theta = scale * r / n
    theta_sq = scale**2 * float(r @ r) / n**2
    dual = theta_y - 0.5 * n * theta_sq
    # Rounding can make the computed gap 0 (or negative) at a solution, and the sphere a point: then a feature
    # with |c_j| = lam, rounded down, would be discarded. A floor of a few ulps of J keeps the ball honest.
    gap = max(primal - dual, 8.0 * np.finfo(float).eps * primal)
    return scale, gap


def gap_safe_rule(X, y, w, lam: float, *, fit_intercept: bool = True) -> tuple[np.ndarray, float]:
    r"""The gap-safe sphere test at :math:`\lambda` from any point :math:`w`: which features are *guaranteed* zero.

    With :math:`r = y - Xw` (centred data), :math:`\theta = \frac rn\min(1, \lambda/\lVert X^\top r/n\rVert_\infty)`
    and the duality gap :math:`\operatorname{gap} = J(w) - D(\theta)`, :math:`D(\theta) = \theta^\top y - \frac n2\lVert\theta\rVert^2`,
    feature :math:`j` is discarded iff

    .. math::

        |x_j^\top\theta| + \sqrt{2\operatorname{gap}/n}\,\lVert x_j\rVert_2 < \lambda ,

    which implies :math:`w_j^\star(\lambda) = 0` for the lasso
    :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda\lVert w\rVert_1` (module docstring).

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    w : array_like of shape (p,)
        Any weights (the better, the more the test discards).
    lam : float
        :math:`\lambda > 0`.
    fit_intercept : bool, default True

    Returns
    -------
    discard : ndarray of bool, shape (p,)
        True for the features proved to be zero at the optimum.
    radius : float
        :math:`\sqrt{2\operatorname{gap}/n}`.
    """
    X, y = check_Xy(X, y)
    w = check_per_column(w, X, "w")
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    if check_bool(fit_intercept, "fit_intercept"):
        X, y = X - X.mean(axis=0), y - y.mean()
    n = X.shape[0]
    r = y - X @ w
    corr = X.T @ r / n
    scale, gap = _sphere(corr, r, y, w, lam, n)
    radius = float(np.sqrt(2.0 * gap / n))
    return scale * np.abs(corr) + radius * np.linalg.norm(X, axis=0) < lam, radius


@dataclass(frozen=True)
class ScreenedPath:
    r"""What :func:`screened_lasso_path` returns.

    Attributes
    ----------
    lambdas : ndarray of shape (k,)
        Decreasing penalty strengths.
    coefs : ndarray of shape (p, k)
    intercepts : ndarray of shape (k,)
    gaps : ndarray of shape (k,)
        Relative duality gap :math:`(P - D)/J(0)` of the full problem at each :math:`\lambda`.
    n_discarded : ndarray of int, shape (k,)
        Features the rule discarded at each :math:`\lambda` before solving.
    n_discarded_final : ndarray of int, shape (k,)
        Features left out of the final solve: for the strong rule the discarded ones minus the
        violators put back, for the gap-safe rule those discarded before and while solving.
    n_violations : ndarray of int, shape (k,)
        Discarded features that failed the KKT check afterwards and were put back (strong rule only).
    n_column_ops : ndarray of int, shape (k,)
        Work at each :math:`\lambda`: inner products :math:`x_j^\top r` plus residual updates.
    rule : str
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray
    n_discarded: np.ndarray
    n_discarded_final: np.ndarray
    n_violations: np.ndarray
    n_column_ops: np.ndarray
    rule: str


class _Problem:
    """Centred data in the layout the coordinate loop wants: rows of Xᵀ are the columns of X."""

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.n, self.p = X.shape
        self.XT = np.ascontiguousarray(X.T)
        self.y = y
        self.sq = np.einsum("ij,ij->i", self.XT, self.XT) / self.n      # ||x_j||^2 / n
        self.norms = np.sqrt(self.sq * self.n)                           # ||x_j||
        self.j0 = 0.5 * float(y @ y) / self.n
        self.ops = 0

    def corr(self, r: np.ndarray, features: np.ndarray) -> np.ndarray:
        self.ops += features.size
        return self.XT[features] @ r / self.n

    def sweep(self, w: np.ndarray, r: np.ndarray, features: np.ndarray, lam: float) -> None:
        """One cyclic coordinate-descent pass over ``features``, in place: w_j <- S(x_j^T r_j / n, lam) / (|x_j|^2/n)."""
        XT, n, sq = self.XT, self.n, self.sq
        for j in features:
            if sq[j] == 0.0:
                continue
            x_j = XT[j]
            z = float(x_j @ r) / n + sq[j] * w[j]
            new = np.sign(z) * max(abs(z) - lam, 0.0) / sq[j]
            self.ops += 1
            if new != w[j]:
                r -= (new - w[j]) * x_j
                self.ops += 1
                w[j] = new

    def solve(self, w: np.ndarray, r: np.ndarray, features: np.ndarray, lam: float, target: float, max_iter: int,
              safe: bool) -> tuple[np.ndarray, float]:
        """Coordinate descent on ``features`` until the gap of the problem restricted to them is <= target.

        With ``safe``, every gap evaluation also runs the gap-safe test on the remaining features (dynamic
        screening) and drops those it proves to be zero (their weights are 0 already or set to 0 with r updated).
        """
        gap = np.inf
        for _ in range(max_iter):
            corr = self.corr(r, features)
            scale, gap = _sphere(corr, r, self.y, w[features], lam, self.n)
            if gap <= target:
                break
            if safe:
                radius = np.sqrt(2.0 * gap / self.n)
                drop = scale * np.abs(corr) + radius * self.norms[features] < lam
                for j in features[drop & (w[features] != 0)]:
                    r += w[j] * self.XT[j]
                    self.ops += 1
                    w[j] = 0.0
                features = features[~drop]
            self.sweep(w, r, features, lam)
        return features, gap


def screened_lasso_path(X, y, lambdas=None, n_lambdas: int = 50, eps: float = 1e-2, *, rule: str = "strong",
                        fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 10_000) -> ScreenedPath:
    r"""The lasso path by cyclic coordinate descent with warm starts, with a screening rule or none.

    For each :math:`\lambda` of a decreasing grid minimises
    :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1`
    (scikit-learn's ``Lasso(alpha=λ)``) to a relative duality gap :math:`\le` ``tol``, starting
    from the previous solution. ``rule`` decides which features coordinate descent visits:

    * ``"none"``: all :math:`p`, at every pass;
    * ``"strong"``: the sequential strong set :math:`\{j : |c_j(\lambda_{k-1})| \ge 2\lambda_k - \lambda_{k-1}\}`
      plus the previous active set; after solving, the KKT condition :math:`|c_j(\lambda_k)| \le \lambda_k`
      of every discarded feature is checked, violators are added back and the problem is solved again;
    * ``"gap_safe"``: the features that survive the gap-safe test at the warm start, and the test is
      repeated at every gap evaluation (dynamic screening); no check is needed, the rule is safe.

    Parameters
    ----------
    X, y, lambdas, n_lambdas, eps, fit_intercept
        The data and the grid, as for :func:`~lecture_code.solvers.lasso_path` (here ``n_lambdas=50``,
        ``eps=1e-2``).
    rule : {"none", "strong", "gap_safe"}, default "strong"
    tol : float, default 1e-6
        Relative duality gap :math:`(P - D)/J(0)` required at every :math:`\lambda`.
    max_iter : int, default 10000
        Coordinate-descent passes allowed per :math:`\lambda`.

    Returns
    -------
    ScreenedPath

    Warns
    -----
    ConvergenceWarning
        When some :math:`\lambda` ran out of passes, stating the largest relative gap reached.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    X, y, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_inputs(X, y, n_lambdas, eps, fit_intercept, tol,
                                                                            max_iter)
    x_mean, y_mean = (X.mean(axis=0), float(y.mean())) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    prob = _Problem(X - x_mean, y - y_mean)
    p, everyone = prob.p, np.arange(prob.p)
    corr = prob.corr(prob.y.copy(), everyone)
    lam_max = float(np.abs(corr).max())
    lambdas = _default_grid(lam_max, eps, n_lambdas) if lambdas is None else _given_grid(lambdas)
    k = lambdas.size
    coefs, gaps = np.zeros((p, k)), np.zeros(k)
    discarded, final, violations, ops = (np.zeros(k, dtype=int) for _ in range(4))
    w, r = np.zeros(p), prob.y.copy()
    lam_prev, target = max(lam_max, float(lambdas[0])), tol * prob.j0
    for i, lam in enumerate(lambdas):
        prob.ops = 0
        if rule == "none":
            kept = everyone
        elif rule == "strong":
            kept = np.flatnonzero(strong_rule(corr, lam_prev, lam) | (w != 0))
        else:
            corr = prob.corr(r, everyone)
            scale, gap0 = _sphere(corr, r, prob.y, w, lam, prob.n)
            kept = np.flatnonzero(scale * np.abs(corr) + np.sqrt(2.0 * gap0 / prob.n) * prob.norms >= lam)
            for j in np.setdiff1d(np.flatnonzero(w), kept):      # proved zero: start from 0 there
                r += w[j] * prob.XT[j]
                w[j] = 0.0
        discarded[i] = p - kept.size
        kept, gap = prob.solve(w, r, kept, lam, target, max_iter, safe=rule == "gap_safe")
        if rule == "strong":
            while True:       # the KKT check of the discarded features; violators go back in
                corr = prob.corr(r, everyone)
                outside = np.setdiff1d(everyone, kept)
                bad = outside[np.abs(corr[outside]) > lam]
                if bad.size == 0:
                    break
                violations[i] += bad.size
                kept, gap = prob.solve(w, r, np.union1d(kept, bad), lam, target, max_iter, safe=False)
        final[i] = p - kept.size
        coefs[:, i], gaps[i], ops[i] = w, gap / prob.j0 if prob.j0 > 0 else gap, prob.ops
        lam_prev = lam
    _warn_unconverged("screened_lasso_path", gaps, tol, max_iter)
    return ScreenedPath(lambdas=lambdas, coefs=coefs, intercepts=y_mean - x_mean @ coefs, gaps=gaps,
                        n_discarded=discarded, n_discarded_final=final, n_violations=violations, n_column_ops=ops, rule=rule)


def strong_rule_counterexample(n: int = 10, *, seed=0) -> tuple[np.ndarray, np.ndarray]:
    r"""A small data set on which the sequential strong rule discards a feature that belongs in the model.

    Three centred features with Gram matrix and correlations with :math:`y`

    .. math::

        \frac{X^\top X}{n} = \begin{pmatrix} 1 & 0.9 & 0 \\ 0.9 & 1 & 0.3 \\ 0 & 0.3 & 1\end{pmatrix},
        \qquad \frac{X^\top y}{n} = \begin{pmatrix} 1 \\ 0.5 \\ 0.05 \end{pmatrix},

    and :math:`\lVert y\rVert^2/n` one more than the part least squares explains. The lasso path (exactly,
    whatever ``n`` and ``seed``, which only choose the orthonormal basis the columns are drawn in): feature 0
    enters at :math:`\lambda_{\max} = 1`, feature 1 with a negative sign at :math:`\lambda = 4/19 \approx 0.211`,
    feature 2 at :math:`\lambda \approx 0.170`. Between the last two knots the two active features, 0.9-correlated
    and of opposite signs, make :math:`c_2(\lambda)` grow three times as fast as :math:`\lambda` falls, so the
    strong rule from :math:`\lambda = 0.2` to :math:`0.16` discards feature 2 although it is active at 0.16.

    Parameters
    ----------
    n : int, default 10
        Samples, at least 5 (four directions orthogonal to the constant are needed).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    X : ndarray of shape (n, 3)
        Centred columns with :math:`\lVert x_j\rVert^2/n = 1`.
    y : ndarray of shape (n,)
        Centred.
    """
    n = check_int(n, "n", low=5)
    rng = check_seed(seed)
    G = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.3], [0.0, 0.3, 1.0]])
    c = np.array([1.0, 0.5, 0.05])
    moments = np.block([[G, c[:, None]], [c[None, :], np.array([[c @ np.linalg.solve(G, c) + 1.0]])]])
    basis = rng.standard_normal((n, 4))
    basis -= basis.mean(axis=0)                        # orthogonal to the constant: centred columns
    Q, _ = np.linalg.qr(basis)
    Z = np.sqrt(n) * Q @ np.linalg.cholesky(moments).T  # Z^T Z / n = moments exactly
    return Z[:, :3], Z[:, 3]
