r"""The homotopy (LARS) algorithm: the whole lasso path, knot by knot.

For the lasso in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1 ,

the solution :math:`w(\lambda)` is piecewise linear in :math:`\lambda`. On the
centred data, with the correlations :math:`c(\lambda) = X^\top(y - Xw(\lambda))/n`,
the KKT conditions say :math:`c_j = \lambda s_j` on the active set
:math:`A = \{j : w_j \ne 0\}` (:math:`s_j = \operatorname{sign}(w_j)`) and
:math:`|c_j| \le \lambda` elsewhere. As long as :math:`A` and :math:`s` stay fixed,

.. math::

    w_A(\lambda) = G_{AA}^{-1}\Big(\tfrac1n X_A^\top y - \lambda s_A\Big), \qquad G = X^\top X/n,

which is linear in :math:`\lambda`. The path changes direction only at *knots*,
where a feature enters (an inactive :math:`|c_j|` reaches :math:`\lambda`) or, with
the lasso modification, leaves (an active :math:`w_j` reaches 0). Least angle
regression (``method="lar"``) is the same walk without the exits (Efron, Hastie,
Johnstone & Tibshirani 2004).

:func:`lars_path` computes every knot exactly (no tolerance, no grid);
:class:`LarsPath` interpolates between them. This module imports only numpy and the
course's validation helpers (no plotting, no scikit-learn).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_Xy

__all__ = ["LarsEvent", "LarsPath", "lars_path"]


@dataclass(frozen=True)
class LarsEvent:
    """One change of the active set: ``feature`` enters or leaves at knot number ``knot`` (at ``lam``)."""

    knot: int
    lam: float
    feature: int
    kind: str   # "enter" or "leave"


@dataclass(frozen=True)
class LarsPath:
    r"""The knots of the lasso (or LAR) path and the weights at each.

    Attributes
    ----------
    lambdas : ndarray of shape (k,)
        The knots :math:`\lambda_0 = \lambda_{\max} > \lambda_1 > \dots`, in decreasing order
        (the last is 0 when the path reaches the least-squares end).
    coefs : ndarray of shape (p, k)
        ``coefs[:, i]`` is :math:`w(\lambda_i)`; between two knots every weight is linear in :math:`\lambda`.
    intercepts : ndarray of shape (k,)
        :math:`b = \bar y - \bar x^\top w` at each knot.
    events : tuple of LarsEvent
        Entries and exits in the order they happen (an event at knot ``i`` changes the direction
        of the path on :math:`[\lambda_{i+1}, \lambda_i]`).
    method : str
        ``"lasso"`` or ``"lar"``.
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    events: tuple[LarsEvent, ...]
    method: str

    @property
    def entry_order(self) -> tuple[int, ...]:
        """Features in the order of their first entry."""
        seen: list[int] = []
        for event in self.events:
            if event.kind == "enter" and event.feature not in seen:
                seen.append(event.feature)
        return tuple(seen)

    def coef_at(self, lam) -> np.ndarray:
        r"""The weights :math:`w(\lambda)` at any :math:`\lambda \ge \lambda_{\text{last}}`, by linear interpolation.

        Parameters
        ----------
        lam : float or array_like of shape (m,)
            Values :math:`\lambda \ge` ``lambdas[-1]``; above :math:`\lambda_{\max}` the weights are 0.

        Returns
        -------
        ndarray of shape (p,) for a scalar ``lam``, (p, m) for an array.
        """
        lam_arr = as_float_array(lam, "lam", ndim=(0, 1))
        if np.any(lam_arr < self.lambdas[-1]):
            raise ValueError(f"lam must be >= the last knot {self.lambdas[-1]:.6g}, where the path stops")
        flat = np.atleast_1d(lam_arr)
        knots = self.lambdas[::-1]            # increasing, for np.interp
        out = np.array([np.interp(flat, knots, row[::-1], right=0.0) for row in self.coefs])
        return out[:, 0] if lam_arr.ndim == 0 else out


def _step_to_next_knot(c: np.ndarray, beta: np.ndarray, lam: float, inactive: np.ndarray, w_active: np.ndarray,
                       d: np.ndarray, lasso: bool, just_left: int, tiny: float) -> tuple[float, int, str]:
    r"""Length :math:`h` of the straight piece that starts at :math:`\lambda`, and the event that ends it.

    Along the piece :math:`\lambda \to \lambda - h`, :math:`w_A \to w_A + h d` and
    :math:`c_j \to c_j - h\beta_j`. An inactive :math:`j` enters when
    :math:`|c_j - h\beta_j| = \lambda - h`; an active weight leaves (lasso only)
    when :math:`w_j + h d_j = 0`. The piece ends at :math:`\lambda = 0` if nothing happens first.
    A feature that has just left sits at :math:`|c_j| = \lambda` on the side of its old sign: that root is
    :math:`h = 0` and is skipped; it may re-enter later only through the other equation.
    """
    h, feature, kind = lam, -1, "end"
    with np.errstate(divide="ignore", invalid="ignore"):
        up = (lam - c[inactive]) / (1.0 - beta[inactive])     # c_j - h beta_j = +(lam - h)
        down = (lam + c[inactive]) / (1.0 + beta[inactive])    # c_j - h beta_j = -(lam - h)
    left = inactive == just_left
    if left.any():
        (up if c[just_left] > 0 else down)[left] = np.inf
    for cand in (up, down):
        cand = np.where(np.isfinite(cand) & (cand > tiny), cand, np.inf)
        if cand.size and cand.min() < h:
            i = int(np.argmin(cand))
            h, feature, kind = float(cand[i]), int(inactive[i]), "enter"
    if lasso:
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = -w_active / d
        cross = np.where(np.isfinite(cross) & (cross > tiny), cross, np.inf)
        if cross.size and cross.min() < h:
            i = int(np.argmin(cross))
            h, feature, kind = float(cross[i]), i, "leave"   # index into the active list
    return h, feature, kind


def lars_path(X, y, *, method: str = "lasso", fit_intercept: bool = True, max_steps: int | None = None) -> LarsPath:
    r"""The exact lasso path (or the LAR path) by the homotopy method: every knot, from :math:`\lambda_{\max}` to 0.

    Follows :math:`w(\lambda)`, the minimiser of

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1

    (scikit-learn's ``Lasso(alpha=λ)``; its ``lars_path`` reports the same knots as
    ``alphas``), from :math:`\lambda_{\max} = \lVert X^\top y\rVert_\infty/n` (centred data),
    where :math:`w = 0`, down to :math:`\lambda = 0`, the least-squares fit (or, when
    :math:`p \ge n`, until the residual is 0). At each knot the active set changes by one
    feature; between knots the direction is :math:`dw_A/d(-\lambda) = G_{AA}^{-1}s_A`
    (module docstring). With ``method="lasso"`` a weight that reaches 0 leaves the active
    set (the lasso modification of Efron et al. 2004); with ``method="lar"`` it crosses 0 and
    stays, which is least angle regression — a different path once the first exit would occur.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    method : {"lasso", "lar"}, default "lasso"
    fit_intercept : bool, default True
        Centre ``X`` and ``y`` (the bias is never penalised).
    max_steps : int, optional
        Stop after this many knots after :math:`\lambda_{\max}` (default: run to the end).

    Returns
    -------
    LarsPath
        Knots, weights at the knots, and the entry/exit events.

    Notes
    -----
    Each step solves one linear system :math:`G_{AA}d = s_A` of the size of the active set
    (a Cholesky update would make it cheaper; this version reads like the math). Exact ties
    between two features entering at the same :math:`\lambda` are resolved one at a time.
    """
    X, y = check_Xy(X, y)
    if method not in ("lasso", "lar"):
        raise ValueError(f"method must be 'lasso' or 'lar', got {method!r}")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    if max_steps is not None:
        max_steps = check_int(max_steps, "max_steps", low=1)
    x_mean, y_mean = (X.mean(axis=0), float(y.mean())) if fit_intercept else (np.zeros(p), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    rank = int(np.linalg.matrix_rank(Xc))
    lasso = method == "lasso"

    w = np.zeros(p)
    c = Xc.T @ yc / n
    lam = float(np.abs(c).max())
    lambdas, coefs, events = [lam], [w.copy()], []
    if lam == 0.0:                                   # y is constant (or orthogonal to every column)
        return _finish(lambdas, coefs, events, x_mean, y_mean, method)
    tiny = 1e-12 * lam
    active = [int(np.argmax(np.abs(c)))]
    events.append(LarsEvent(0, lam, active[0], "enter"))
    just_left = -1
    while lam > 0 and (max_steps is None or len(lambdas) <= max_steps):
        A = np.array(active)
        s = np.sign(c[A])
        G_AA = Xc[:, A].T @ Xc[:, A] / n
        d = np.linalg.solve(G_AA, s)                 # dw_A per unit decrease of lambda
        beta = Xc.T @ (Xc[:, A] @ d) / n             # dc per unit decrease of lambda (beta_A = s_A)
        inactive = np.array([j for j in range(p) if j not in active], dtype=int)
        if len(active) >= rank:                      # the residual reaches 0 at lambda = 0: nobody can enter
            inactive = inactive[:0]
        h, feature, kind = _step_to_next_knot(c, beta, lam, inactive, w[A], d, lasso, just_left, tiny)
        w[A] += h * d
        lam = max(lam - h, 0.0)
        just_left = -1
        if kind == "leave":
            feature = active.pop(feature)
            w[feature] = 0.0                          # exactly: it leaves the model here
            just_left = feature
        # Correlations from the residual itself, so that rounding does not accumulate from knot to knot.
        c = Xc.T @ (yc - Xc @ w) / n
        if kind == "enter":
            active.append(feature)
        if kind == "end" or lam <= tiny:
            lam = 0.0
        lambdas.append(lam)
        coefs.append(w.copy())
        if kind != "end":
            events.append(LarsEvent(len(lambdas) - 1, lam, feature, kind))
        if lam == 0.0:
            break
    return _finish(lambdas, coefs, events, x_mean, y_mean, method)


def _finish(lambdas, coefs, events, x_mean, y_mean, method) -> LarsPath:
    coefs = np.column_stack(coefs)
    return LarsPath(lambdas=np.array(lambdas), coefs=coefs, intercepts=y_mean - x_mean @ coefs,
                    events=tuple(events), method=method)
