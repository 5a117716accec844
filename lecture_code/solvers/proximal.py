r"""Proximal methods: :func:`ista` (proximal gradient) and :func:`fista` (accelerated, with adaptive restart).

The proximal step is :func:`lecture_code.penalties.prox_elastic_net`; the stopping rule is that of
:mod:`lecture_code.solvers`.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_bool
from ..penalties import _prox_elastic_net
from ._problem import _lipschitz, _setup
from .results import FitResult

__all__ = ["fista", "ista"]


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
    X, y, lam, alpha, fit_intercept
        The problem, as every solver takes it (:mod:`lecture_code.solvers`); at ``lam=0`` ISTA is plain
        gradient descent on least squares.
    max_iter : int, default 10000
    tol : float, default 1e-6
        Stopping rule on the relative duality gap (see :mod:`lecture_code.solvers`).

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    prob, lam, alpha, max_iter, monitor = _setup("ista", X, y, lam, alpha, fit_intercept, tol, max_iter)
    step = 1.0 / _lipschitz(prob.X)
    w = np.zeros(prob.X.shape[1])
    for k in range(max_iter + 1):
        corr = monitor.measure(w)  # X^T (y - Xw)/n: the negative gradient of the loss (J and the gap recorded)
        if monitor.done(k):
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
    X, y, lam, alpha, max_iter, tol, fit_intercept
        As for :func:`ista`.
    restart : bool, default True
        Adaptive restart of the momentum.

    Returns
    -------
    FitResult
        As for :func:`ista`; ``history`` holds :math:`J(w_k)`, the objective at the iterates.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the gap reached.
    """
    prob, lam, alpha, max_iter, monitor = _setup("fista", X, y, lam, alpha, fit_intercept, tol, max_iter)
    restart = check_bool(restart, "restart")
    step = 1.0 / _lipschitz(prob.X)
    w = w_prev = np.zeros(prob.X.shape[1])
    corr_prev = None
    t = 1.0
    for k in range(max_iter + 1):
        corr = monitor.measure(w)
        if monitor.done(k):
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
