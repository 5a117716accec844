r"""Gradient methods: :func:`gradient_descent` (ridge as weight decay) and :func:`subgradient_descent` (lasso).

Both stop on the rule of :mod:`lecture_code.solvers` (relative duality gap; relative gradient norm at
:math:`\lambda = 0`), recorded by :class:`~lecture_code.solvers._problem._Monitor`.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_real
from ._problem import _lipschitz, _setup
from .results import FitResult

__all__ = ["gradient_descent", "subgradient_descent"]


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
    X, y, fit_intercept
        The data and the bias, as every solver takes them (:mod:`lecture_code.solvers`).
    lam : float, default 0.0
        :math:`\lambda \ge 0` (here :math:`\alpha = 0`).
    lr : float, optional
        Step size :math:`\eta`; must satisfy :math:`0 < \eta < 2/L_J` to converge.
        Default :math:`1/L_J` with :math:`L_J = \sigma_{\max}(X)^2/n + \lambda` (centred X).
    max_iter : int, default 10000
    tol : float, default 1e-8
        Stop when the relative duality gap is at most ``tol`` (for
        ``lam=0``: the relative gradient norm; see :mod:`lecture_code.solvers`).

    Returns
    -------
    FitResult
        ``history`` holds :math:`J` per iteration; ``gap`` the measure the rule stopped on (the relative
        duality gap, or at ``lam=0`` the relative gradient norm).

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first, stating the measure reached.

    Raises
    ------
    FloatingPointError
        When the iterates blow up because ``lr`` is too large.
    """
    prob, lam, _, max_iter, monitor = _setup("gradient_descent", X, y, lam, 0.0, fit_intercept, tol, max_iter)
    lipschitz = _lipschitz(prob.X) + lam
    lr = 1.0 / lipschitz if lr is None else check_real(lr, "lr", low=0.0, low_open=True)
    w = np.zeros(prob.X.shape[1])
    for k in range(max_iter + 1):
        corr = monitor.measure(w)  # X^T (y - Xw)/n = -∇L(w)
        if monitor.done(k):
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
    X, y, lam, alpha, fit_intercept
        The problem, as every solver takes it (:mod:`lecture_code.solvers`).
    lr : float, optional
        :math:`\eta_0 > 0`; default :math:`1/L` with :math:`L = \sigma_{\max}(X)^2/n + \lambda(1-\alpha)`.
    max_iter : int, default 5000
    tol : float, default 1e-4
        Stopping rule on the relative duality gap (see :mod:`lecture_code.solvers`), loose because the
        gap falls slowly.

    Returns
    -------
    FitResult
        The last iterate; ``history`` holds :math:`J` per iteration.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first (common: that is the lesson).
    """
    prob, lam, alpha, max_iter, monitor = _setup("subgradient_descent", X, y, lam, alpha, fit_intercept, tol,
                                                 max_iter)
    lr = (1.0 / (_lipschitz(prob.X) + lam * (1.0 - alpha)) if lr is None
          else check_real(lr, "lr", low=0.0, low_open=True))
    w = np.zeros(prob.X.shape[1])
    for k in range(max_iter + 1):
        corr = monitor.measure(w)  # X^T (y - Xw)/n = -∇L(w)
        if monitor.done(k):
            break
        subgradient = -corr + lam * (alpha * np.sign(w) + (1.0 - alpha) * w)
        w = w - lr / math.sqrt(k + 1) * subgradient
    return monitor.result(w, k)
