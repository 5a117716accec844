r"""The curvature that limits the learning rate: :func:`hessian_top_eigenvalue` (chapter 11, question 8).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_int, check_real, check_seed
from ..exceptions import ConvergenceWarning
from .functions import LOSSES, _check_choice
from .mlp import MLP

__all__ = ["hessian_top_eigenvalue"]


def hessian_top_eigenvalue(mlp: MLP, X, y, *, loss: str, l2: float = 0.0, h: float = 1e-5, tol: float = 1e-6,
                           max_iter: int = 500, seed=0) -> float:
    r"""The largest eigenvalue :math:`M` of the Hessian of the objective at the network's parameters.

    The objective is :math:`J(\theta) = L(\theta) + \frac{\lambda_2}{2}\sum_l\lVert W_l\rVert_F^2`
    (mean data loss on ``X, y`` plus the L2 penalty, full batch, no dropout), as a function of all
    parameters :math:`\theta` together, weights and biases. Near :math:`\theta` it is the quadratic
    :math:`J(\theta + d) \approx J(\theta) + \nabla J^\top d + \frac12 d^\top\nabla^2 J\, d`, on which
    full-batch gradient descent with step :math:`\eta` is stable only if :math:`\eta < 2/M`
    (chapter 11, question 8): :math:`M` is the curvature that limits the learning rate.

    Power iteration on Hessian-vector products, each a central difference of two back-propagated
    gradients (for a unit vector :math:`v`, the error is :math:`O(h^2)`):

    .. math::

        \nabla^2 J(\theta)\,v \approx \frac{\nabla J(\theta + hv) - \nabla J(\theta - hv)}{2h},
        \qquad v \leftarrow \frac{\nabla^2 J\,v}{\lVert\nabla^2 J\,v\rVert},

    stopped when the Rayleigh quotient :math:`v^\top\nabla^2 J\,v` changes by less than ``tol``
    (relative) between two iterations. Power iteration finds the eigenvalue of largest magnitude;
    if that one is negative (the smallest eigenvalue :math:`\mu < 0`: a saddle), it is repeated on
    :math:`\nabla^2 J - \mu I`, whose largest eigenvalue is :math:`M - \mu \ge 0`.

    Parameters
    ----------
    mlp : MLP
        The network (not modified). The activations must be differentiable where the data
        put them (tanh, sigmoid, identity; ReLU only away from its kink).
    X, y : the training data, as for :meth:`MLP.loss_and_gradients`
    loss : {"squared", "binary_cross_entropy", "softmax_cross_entropy"}
    l2 : float >= 0
        :math:`\lambda_2`; an L1 term is not allowed (it has no Hessian at 0).
    h : float > 0
        Finite-difference step along the unit vector :math:`v`.
    tol : float > 0
        Relative change of the Rayleigh quotient at which the iteration stops.
    max_iter : int >= 2
        Power iterations per run; a :class:`~lecture_code.ConvergenceWarning` states the last
        relative change when they are used up.
    seed : int or numpy.random.Generator
        The random start vector.

    Returns
    -------
    float
        :math:`M`, the largest (most positive) eigenvalue of :math:`\nabla^2 J(\theta)`.
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    X = mlp._check_X(X)
    loss = _check_choice(loss, "loss", LOSSES)
    y = mlp._check_y(y, loss, X.shape[0])
    l2 = check_real(l2, "l2", low=0.0)
    h = check_real(h, "h", low=0.0, low_open=True)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=2)
    rng = check_seed(seed)
    net = mlp.copy()
    arrays = net.weights + [b for b in net.biases if b is not None]
    theta = np.concatenate([a.ravel() for a in arrays])

    def set_params(values):
        start = 0
        for a in arrays:
            a[...] = values[start:start + a.size].reshape(a.shape)
            start += a.size

    def gradient(values):
        set_params(values)
        _, dW, db, _ = net._backprop(X, y, loss, 0.0, l2, 0.0, None)
        return np.concatenate([g.ravel() for g in dW] + [g.ravel() for g in db if g is not None])

    def hvp(v):
        return (gradient(theta + h * v) - gradient(theta - h * v)) / (2 * h)

    def power(shift):
        v = rng.standard_normal(theta.size)
        v /= np.linalg.norm(v)
        rayleigh, change = np.nan, np.inf
        for _ in range(max_iter):
            hv = hvp(v) - shift * v
            new = float(v @ hv)
            change = abs(new - rayleigh) / max(abs(new), np.finfo(float).tiny) if np.isfinite(rayleigh) else np.inf
            rayleigh = new
            norm = np.linalg.norm(hv)
            if norm == 0.0 or change <= tol:
                break
            v = hv / norm
        else:
            warnings.warn(f"power iteration stopped after {max_iter} iterations with a relative change of the "
                          f"eigenvalue estimate of {change:.1e} (tol={tol:g})", ConvergenceWarning, stacklevel=3)
        return rayleigh

    dominant = power(0.0)
    if dominant >= 0:
        return dominant
    return power(dominant) + dominant
