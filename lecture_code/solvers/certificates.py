r"""Optimality certificates: :func:`duality_gap` and :func:`kkt_violation`.

Both say how far a given :math:`(w, b)` is from a minimiser of the course objective, without knowing
the minimiser: the duality gap bounds :math:`J(w, b) - \min J` from above, the KKT violation measures
the smallest subgradient. Every iterative solver stops on the first (see :mod:`lecture_code.solvers`).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, check_per_column, check_real, check_Xy
from ._problem import _centre, _check_penalty, _exact_gap

__all__ = ["duality_gap", "kkt_violation"]


def _check_solution(X, y, w, b, fit_intercept) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, bool]:
    X, y = check_Xy(X, y)
    w = check_per_column(w, X, "w")
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
    X, y, w, b, alpha, fit_intercept
        As for :func:`duality_gap`.
    lam : float
        :math:`\lambda \ge 0` (the KKT conditions hold at :math:`\lambda = 0` too).

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
