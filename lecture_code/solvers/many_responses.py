r"""Ridge and the lasso for many responses that share one design: Monte Carlo at the cost of a matrix product.

The statistics chapter asks how an estimator behaves over many noise draws
:math:`y^{(r)} = \mu + \varepsilon^{(r)}`, :math:`r = 1, \dots, R`, with the design
:math:`X` fixed. Every draw is a separate problem of the course objective

.. math::

    J_r(w, b) = \frac{1}{2n}\lVert y^{(r)} - Xw - b\rVert_2^2 + \lambda\,\mathrm{pen}(w),

but they all share :math:`X`, so the work that depends on :math:`X` alone (an SVD, a
Gram matrix :math:`X_c^\top X_c/n`) is done once, and each iteration updates all
:math:`R` problems with one array operation. The columns of ``Y`` are the responses.

- :func:`ridge_many`: :math:`\mathrm{pen}(w) = \tfrac12\lVert w\rVert_2^2`, in closed form from
  one thin SVD (the same formula as :func:`lecture_code.solvers.ridge`).
- :func:`lasso_many_cv`: :math:`k`-fold cross-validation of the lasso strength for every response at once
  (the folds split the rows, which the responses share).
- :func:`lasso_many`: the weighted lasso :math:`\mathrm{pen}(w) = \sum_j v_j|w_j|` (``v = 1`` is
  the lasso; other :math:`v_j > 0`, possibly different per response, give the adaptive lasso
  and glmnet's standardisation), by cyclic coordinate descent on the Gram form, stopped by
  each problem's duality gap as in :mod:`lecture_code.solvers`.

The bias is never penalised and is fitted by centring. Numerics only (numpy); nothing
here imports matplotlib.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_real, check_Xy
from ..exceptions import ConvergenceWarning
from .results import _FoldErrors

__all__ = ["ManyCV", "ManyFits", "lasso_many", "lasso_many_cv", "ridge_many"]


@dataclass(frozen=True)
class ManyFits:
    """Fits of one penalised problem to many responses, at one or more strengths.

    Attributes
    ----------
    lambdas : ndarray of shape (m,)
        The strengths, in the order given.
    coefs : ndarray of shape (m, p, R)
        ``coefs[i, :, r]`` are the weights for response ``r`` at ``lambdas[i]``.
    intercepts : ndarray of shape (m, R)
    gaps : ndarray of shape (m, R)
        Relative duality gap :math:`(P - D)/J_r(0)` reached (0 for the closed form of ridge).
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray

    def fitted(self, X) -> np.ndarray:
        r"""Fitted values :math:`Xw + b`, shape (m, n, R), for a design ``X`` of shape (n, p)."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.coefs.shape[1]:
            raise ValueError(f"X must have {self.coefs.shape[1]} columns, got {X.shape[1]}")
        return np.einsum("np,mpr->mnr", X, self.coefs) + self.intercepts[:, None, :]


def _check(X, Y, lambdas, fit_intercept, *, positive: bool):
    X, Y = check_Xy(X, Y, name="Y", ndim=2)
    lams = as_float_array(lambdas, "lambdas", ndim=(0, 1))
    if np.any(lams < 0) or (positive and np.any(lams == 0)):
        raise ValueError(f"lambdas must be {'> 0' if positive else '>= 0'}, got {lams.min()}")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = Y.mean(axis=0) if fit_intercept else np.zeros(Y.shape[1])
    return X - x_mean, Y - y_mean, np.atleast_1d(lams), x_mean, y_mean


def ridge_many(X, Y, lambdas, *, fit_intercept: bool = True) -> ManyFits:
    r"""Ridge weights for every response (column of ``Y``) and every strength, from one thin SVD.

    For each response :math:`y` and strength :math:`\lambda \ge 0` this minimises
    :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`; with the centred
    design :math:`X_c = UDV^\top`,

    .. math::

        w(\lambda) = V\,\operatorname{diag}\Big(\frac{d_j}{d_j^2 + n\lambda}\Big)\,U^\top y_c ,
        \qquad b = \bar y - \bar x^\top w ,

    so all :math:`R` responses cost one product :math:`U^\top Y_c` per design and one more per
    :math:`\lambda`. At :math:`\lambda = 0` numerically zero :math:`d_j` are dropped (minimum-norm
    least squares), as :func:`lecture_code.solvers.ridge` does.

    Parameters
    ----------
    X : array_like of shape (n, p)
    Y : array_like of shape (n, R)
        One response per column.
    lambdas : float or array_like of shape (m,)
        Strengths :math:`\lambda \ge 0`.
    fit_intercept : bool, default True

    Returns
    -------
    ManyFits
        ``coefs`` of shape (m, p, R); ``gaps`` are zeros (a closed form).
    """
    Xc, Yc, lams, x_mean, y_mean = _check(X, Y, lambdas, fit_intercept, positive=False)
    n = Xc.shape[0]
    U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    keep = d > np.finfo(float).eps * max(Xc.shape) * (d[0] if d.size else 0.0)
    UtY = U.T @ Yc                                                     # (k, R)
    coefs = np.empty((lams.size, Xc.shape[1], Yc.shape[1]))
    for i, lam in enumerate(lams):
        denom = d**2 + n * lam
        gain = np.divide(d, denom, out=np.zeros_like(d), where=keep & (denom > 0))
        coefs[i] = Vt.T @ (gain[:, None] * UtY)
    intercepts = y_mean[None, :] - np.einsum("p,mpr->mr", x_mean, coefs)
    return ManyFits(lambdas=lams, coefs=coefs, intercepts=intercepts, gaps=np.zeros((lams.size, Yc.shape[1])))


def _penalty_factor(penalty_factor, p: int, R: int) -> np.ndarray:
    if penalty_factor is None:
        return np.ones((p, R))
    v = as_float_array(penalty_factor, "penalty_factor", ndim=(1, 2))
    if v.shape not in ((p,), (p, R)):
        raise ValueError(f"penalty_factor must have shape ({p},) or ({p}, {R}), got {v.shape}")
    if np.any(v <= 0):
        raise ValueError("penalty_factor must be > 0 everywhere (drop a column to leave it out of the model)")
    return np.broadcast_to(v.reshape(p, -1), (p, R)).copy()


def _relative_gaps(W, corr, ry, V, lam, j0) -> np.ndarray:
    r"""Relative duality gaps of all R weighted-lasso problems at once.

    With :math:`\mathrm{corr} = X_c^\top r/n` and ``ry`` :math:`= r^\top y_c/n = \lVert y_c\rVert^2/n - w^\top c`:
    :math:`\lVert r\rVert^2/n = ` ``ry`` :math:`- w^\top\mathrm{corr}`; the residual scaled by
    :math:`s = \min(1, \min_j \lambda v_j/|\mathrm{corr}_j|)` is dual feasible and
    :math:`D = s\,r^\top y/n - \tfrac{s^2}{2}\lVert r\rVert^2/n`.
    """
    r2 = ry - np.einsum("pr,pr->r", W, corr)
    primal = 0.5 * r2 + lam * np.einsum("pr,pr->r", V, np.abs(W))
    with np.errstate(divide="ignore"):
        ratio = np.where(np.abs(corr) > 0, lam * V / np.abs(corr), np.inf)
    s = np.minimum(1.0, ratio.min(axis=0))
    dual = s * ry - 0.5 * s**2 * r2
    gap = np.maximum(primal - dual, 0.0)
    return np.divide(gap, j0, out=gap.copy(), where=j0 > 0)


def _newton_on_supports(G: np.ndarray, C: np.ndarray, W: np.ndarray, thresholds: np.ndarray) -> None:
    r"""Move, in place, each response towards the exact minimiser on its current support and signs.

    With support :math:`A` and signs :math:`s_A` fixed, :math:`J` restricted to that face is a quadratic whose
    minimiser solves :math:`G_{AA} w_A = c_A - \lambda v_A \odot s_A`. Along the segment from the current
    point to it :math:`J` decreases; the step goes to the minimiser if it keeps the signs :math:`s_A`, and
    otherwise stops where the first weight reaches 0, which then leaves the support (the step of the
    active-set and homotopy methods). Coordinate descent only has to find which weights enter.
    Responses are grouped by support, so each distinct support costs one small solve.
    """
    active = W != 0
    p = W.shape[0]
    if p <= 62:                                             # one integer key per support: a cheap grouping
        keys = active.T.astype(np.int64) @ (np.int64(1) << np.arange(p, dtype=np.int64))
    else:
        keys = np.unique(active.T, axis=0, return_inverse=True)[1].ravel()
    order = np.argsort(keys, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(keys[order]) != 0])
    with np.errstate(divide="ignore", invalid="ignore"):
        for cols in np.split(order, starts[1:]):
            A = np.flatnonzero(active[:, cols[0]])
            if A.size == 0:
                continue
            rows, cols = A[:, None], cols[None, :]
            current = W[rows, cols]
            signs = np.sign(current)
            try:
                candidate = np.linalg.solve(G[rows, A[None, :]], C[rows, cols] - thresholds[rows, cols] * signs)
            except np.linalg.LinAlgError:                   # a singular face (p > n): leave it to the sweeps
                continue
            # Walk from the current point towards the face minimiser; stop where the first weight reaches 0.
            step = candidate - current
            reach = np.where(np.sign(candidate) != signs, -current / step, np.inf)   # in (0, 1] where it crosses
            t = np.minimum(reach.min(axis=0), 1.0)
            moved = current + t * step
            moved[reach <= t] = 0.0                         # the weight that reached 0 leaves the support
            W[rows, cols] = moved


def lasso_many(X, Y, lambdas, *, penalty_factor=None, fit_intercept: bool = True, tol: float = 1e-8,
               max_iter: int = 10_000) -> ManyFits:
    r"""The (weighted) lasso for every response (column of ``Y``) and every strength, all at once.

    For each response :math:`y` and each :math:`\lambda > 0` this minimises

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\sum_j v_j\,|w_j| ,

    (``v = 1``: the lasso, scikit-learn's ``Lasso(alpha=λ)``) by cyclic coordinate descent on
    the Gram form, :math:`w_j \leftarrow S(\mathrm{corr}_j + G_{jj}w_j,\ \lambda v_j)/G_{jj}` with
    :math:`G = X_c^\top X_c/n` and :math:`\mathrm{corr} = X_c^\top r/n`, updating all :math:`R`
    problems in one array operation per coordinate. The strengths are visited from the
    largest down, each warm-started at the previous solution. A problem is solved when its
    relative duality gap is at most ``tol`` (the rule of :mod:`lecture_code.solvers`); the
    sweeps continue until all are.

    Parameters
    ----------
    X, Y, fit_intercept
        As for :func:`ridge_many`.
    lambdas : float or array_like of shape (m,)
        Strengths :math:`\lambda > 0`, in any order.
    penalty_factor : array_like of shape (p,) or (p, R), optional
        The weights :math:`v_j > 0` (the same for every response, or one column per response).
        Default all ones.
    tol : float, default 1e-8
        Relative duality gap at which a problem counts as solved.
    max_iter : int, default 10000
        Maximum number of sweeps per strength.

    Returns
    -------
    ManyFits

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` sweeps leave some problem above ``tol``, stating the largest gap reached.
    """
    Xc, Yc, lams, x_mean, y_mean = _check(X, Y, lambdas, fit_intercept, positive=True)
    tol = check_real(tol, "tol", low=0.0)
    max_iter = check_int(max_iter, "max_iter", low=1)
    n, p = Xc.shape
    R = Yc.shape[1]
    V = _penalty_factor(penalty_factor, p, R)
    G = Xc.T @ Xc / n
    C = Xc.T @ Yc / n                                       # X_c^T y_c / n, per response
    yy = np.einsum("nr,nr->r", Yc, Yc) / n
    j0 = 0.5 * yy
    order = np.argsort(-lams, kind="stable")
    coefs = np.empty((lams.size, p, R))
    gaps = np.empty((lams.size, R))
    W = np.zeros((p, R))
    worst = 0.0
    for i in order:
        lam = lams[i]
        gap = np.empty(R)
        todo = np.arange(R)                                 # the problems not yet solved at this lambda
        for sweep in range(max_iter + 1):
            Wt, Ct = W[:, todo], C[:, todo]
            corr = Ct - G @ Wt                              # recomputed once per sweep: no drift in the gap
            gap[todo] = _relative_gaps(Wt, corr, yy[todo] - np.einsum("pr,pr->r", Wt, Ct), V[:, todo], lam,
                                       j0[todo])
            todo = todo[gap[todo] > tol]
            if todo.size == 0 or sweep == max_iter:
                break
            Wt, Ct, thresholds = W[:, todo], C[:, todo], lam * V[:, todo]
            corr = Ct - G @ Wt
            for j in range(p):
                g_jj = G[j, j]
                if g_jj == 0.0:                             # a constant column: its weight stays 0
                    continue
                z = corr[j] + g_jj * Wt[j]
                new = np.sign(z) * np.maximum(np.abs(z) - thresholds[j], 0.0) / g_jj
                delta = new - Wt[j]
                if np.any(delta):
                    corr -= np.outer(G[:, j], delta)
                    Wt[j] = new
            _newton_on_supports(G, Ct, Wt, thresholds)
            W[:, todo] = Wt
        worst = max(worst, float(gap.max()))
        coefs[i], gaps[i] = W, gap
    if worst > tol:
        warnings.warn(f"lasso_many stopped after max_iter={max_iter} sweeps with a largest relative duality gap "
                      f"of {worst:.2e} > tol={tol:.1e}", ConvergenceWarning, stacklevel=2)
    intercepts = y_mean[None, :] - np.einsum("p,mpr->mr", x_mean, coefs)
    return ManyFits(lambdas=lams, coefs=coefs, intercepts=intercepts, gaps=gaps)


@dataclass(frozen=True)
class ManyCV(_FoldErrors):
    r"""Cross-validation errors of the lasso for many responses.

    Attributes
    ----------
    lambdas : ndarray of shape (m,)
        The grid, as given.
    val_errors : ndarray of shape (k, m, R)
        Mean squared validation error of fold ``i`` at ``lambdas[j]`` for response ``r``; its mean over the
        folds, ``mean_val`` (shape (m, R)), is the cross-validation estimate.
    """

    lambdas: np.ndarray
    val_errors: np.ndarray

    @property
    def best_index(self) -> np.ndarray:
        """For each response, the index of the grid's smallest mean validation error (shape (R,))."""
        return np.argmin(self.mean_val, axis=0)

    @property
    def best_lambda(self) -> np.ndarray:
        """For each response, the strength with the smallest mean validation error (shape (R,))."""
        return self.lambdas[self.best_index]


def lasso_many_cv(X, Y, lambdas, splits, *, penalty_factor=None, tol: float = 1e-8,
                  max_iter: int = 10_000) -> ManyCV:
    r"""Cross-validate the (weighted) lasso strength for every response (column of ``Y``) at once.

    For each split, :func:`lasso_many` fits the whole grid to the training rows of all responses
    (warm starts along the grid), and each fit is scored by its mean squared error on the
    validation rows: the curve of :func:`lecture_code.model_selection.path_validation_curve`, for
    :math:`R` responses for the price of a few more array operations.

    Parameters
    ----------
    X, Y
        As for :func:`ridge_many`.
    lambdas : array_like of shape (m,)
        Strengths :math:`\lambda > 0`.
    splits : sequence of (train_idx, val_idx)
        From :func:`lecture_code.model_selection.k_fold_splits`.
    penalty_factor, tol, max_iter
        As for :func:`lasso_many`.

    Returns
    -------
    ManyCV
    """
    X, Y = check_Xy(X, Y, name="Y", ndim=2)
    lams = as_float_array(lambdas, "lambdas", ndim=1)
    if len(splits) == 0:
        raise ValueError("splits must not be empty")
    val = np.empty((len(splits), lams.size, Y.shape[1]))
    for i, (tr, va) in enumerate(splits):
        fits = lasso_many(X[tr], Y[tr], lams, penalty_factor=penalty_factor, tol=tol, max_iter=max_iter)
        val[i] = np.mean((Y[va][None, :, :] - fits.fitted(X[va])) ** 2, axis=1)
    return ManyCV(lambdas=lams, val_errors=val)
