r"""One gradient-type step on the weights, and the trajectory of repeated steps.

These are the update rules behind the step-size argument for sparsity. With a
step size :math:`\eta > 0`, a penalty strength :math:`\lambda \ge 0` and the
gradient :math:`g = \nabla L(w)` of the data loss (0 to study the penalty
alone), the three rules are, coordinate by coordinate,

.. math::

    \text{L1 (subgradient):}\quad & w^+ = w - \eta\big(g + \lambda\operatorname{sign}(w)\big), \\
    \text{L2 (weight decay):}\quad & w^+ = w - \eta\big(g + \lambda w\big) = (1 - \eta\lambda)\,w - \eta g, \\
    \text{L1 (proximal):}\quad & w^+ = S(w - \eta g,\ \eta\lambda),
        \quad S(z, t) = \operatorname{sign}(z)\max(|z| - t, 0).

The L2 rule is the gradient step for the penalty
:math:`\frac{\lambda}{2}\lVert w\rVert_2^2` (the course's ``l2``, whose
gradient is :math:`\lambda w`). The penalty's own part of an L1 step has the
constant size :math:`\eta\lambda` whatever :math:`w` is; the L2 part has the
size :math:`\eta\lambda|w|`, which shrinks with :math:`w`. The proximal step
is the L1 step clipped so that it never crosses 0: it lands on exactly 0 when
:math:`|w - \eta g| \le \eta\lambda`.

Every rule acts elementwise on a scalar or a 1-D array, so the same functions
serve one weight (chapter 4) and a whole layer (chapter 10).

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import as_float_array, check_int, check_real
from .penalties import _soft_threshold

__all__ = ["l1_step", "l2_step", "prox_l1_step", "trajectory"]


def _weights(w, name: str = "w") -> np.ndarray:
    return as_float_array(w, name, ndim=(0, 1))


def _gradient(grad, w: np.ndarray) -> np.ndarray:
    grad = as_float_array(grad, "grad", ndim=(0, 1))
    if grad.ndim != 0 and grad.shape != w.shape:
        raise ValueError(f"grad must be a scalar or have the shape of w {w.shape}, got shape {grad.shape}")
    return grad


def _check(w, lr, lam, grad):
    w = _weights(w)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0)
    return w, lr, lam, _gradient(grad, w)


def l1_step(w, lr: float, lam: float, grad=0.0) -> np.ndarray:
    r"""One subgradient step on :math:`L(w) + \lambda\lVert w\rVert_1`.

    .. math::

        w^+ = w - \eta\big(g + \lambda\operatorname{sign}(w)\big),

    with :math:`\operatorname{sign}(0) = 0` (the minimum-norm subgradient of
    :math:`|w|` at 0). The penalty moves every non-zero weight by exactly
    :math:`\eta\lambda` towards 0, however small the weight is, so a weight
    with :math:`0 < |w| < \eta\lambda` jumps *over* 0.

    Parameters
    ----------
    w : float or array_like of shape (p,)
        Current weights.
    lr : float
        Step size :math:`\eta > 0`.
    lam : float
        Penalty strength :math:`\lambda \ge 0`.
    grad : float or array_like of shape (p,), default 0.0
        Gradient :math:`g` of the data loss at ``w`` (0: the penalty alone).

    Returns
    -------
    ndarray or numpy float
        The new weights (a numpy scalar for a scalar ``w``).
    """
    w, lr, lam, grad = _check(w, lr, lam, grad)
    return (w - lr * (grad + lam * np.sign(w)))[()]


def l2_step(w, lr: float, lam: float, grad=0.0) -> np.ndarray:
    r"""One gradient step on :math:`L(w) + \frac{\lambda}{2}\lVert w\rVert_2^2` (weight decay).

    .. math::

        w^+ = w - \eta(g + \lambda w) = (1 - \eta\lambda)\,w - \eta g .

    With :math:`g = 0` and :math:`0 < \eta\lambda < 1` this multiplies the
    weight by :math:`1 - \eta\lambda`: after :math:`k` steps
    :math:`w_k = (1 - \eta\lambda)^k w_0`, which is never exactly 0 unless
    :math:`w_0 = 0` (in floating point it only underflows to 0 once
    :math:`|w_k|` drops below about :math:`10^{-308}`). (For :math:`\eta\lambda = 1` it is 0 after one step; for
    :math:`1 < \eta\lambda < 2` it flips sign every step; for
    :math:`\eta\lambda > 2` it diverges.)

    Parameters and return value as in :func:`l1_step`.
    """
    w, lr, lam, grad = _check(w, lr, lam, grad)
    return ((1.0 - lr * lam) * w - lr * grad)[()]


def prox_l1_step(w, lr: float, lam: float, grad=0.0) -> np.ndarray:
    r"""One proximal-gradient step on :math:`L(w) + \lambda\lVert w\rVert_1`.

    .. math::

        w^+ = S(w - \eta g,\ \eta\lambda)
            = \operatorname*{arg\,min}_v \; \tfrac{1}{2}\lVert v - (w - \eta g)\rVert_2^2 + \eta\lambda\lVert v\rVert_1,

    where :math:`S(z, t) = \operatorname{sign}(z)\max(|z| - t, 0)` is soft
    thresholding. With :math:`g = 0` it is the L1 step of :func:`l1_step`
    clipped at 0: a weight with :math:`|w| > \eta\lambda` moves by
    :math:`\eta\lambda` towards 0, a weight with :math:`|w| \le \eta\lambda`
    becomes exactly 0 and stays there.

    Parameters and return value as in :func:`l1_step`.
    """
    w, lr, lam, grad = _check(w, lr, lam, grad)
    return _soft_threshold(w - lr * grad, lr * lam)[()]


def trajectory(update: Callable, w0, n_steps: int, *, lr: float, lam: float,
               grad: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    r"""Iterate an update rule: :math:`w_{k+1} = \text{update}(w_k, \eta, \lambda, \nabla L(w_k))`.

    Parameters
    ----------
    update : callable ``update(w, lr, lam, grad) -> w_new``
        One of :func:`l1_step`, :func:`l2_step`, :func:`prox_l1_step`, or a
        rule with the same signature.
    w0 : float or array_like of shape (p,)
        Starting weights :math:`w_0`.
    n_steps : int
        Number of steps :math:`K \ge 0`.
    lr : float
        Step size :math:`\eta > 0`.
    lam : float
        Penalty strength :math:`\lambda \ge 0`.
    grad : callable ``grad(w) -> ndarray``, optional
        Gradient of the data loss :math:`\nabla L`; ``None`` studies the
        penalty alone (:math:`\nabla L = 0`).

    Returns
    -------
    ndarray of shape (n_steps + 1,) or (n_steps + 1, p)
        Row :math:`k` is :math:`w_k`; row 0 is :math:`w_0`.

    Examples
    --------
    >>> trajectory(l2_step, 1.0, 3, lr=0.5, lam=1.0)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    if not callable(update):
        raise TypeError(f"update must be callable, got {type(update).__name__}")
    if grad is not None and not callable(grad):
        raise TypeError(f"grad must be callable or None, got {type(grad).__name__}")
    w = _weights(w0, "w0")
    n_steps = check_int(n_steps, "n_steps", low=0)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0)
    path = np.empty((n_steps + 1,) + w.shape)
    path[0] = w
    for k in range(n_steps):
        g = 0.0 if grad is None else grad(path[k].copy())
        path[k + 1] = update(path[k], lr, lam, g)
    return path
