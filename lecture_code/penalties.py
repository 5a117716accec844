r"""The course's penalties, their (sub)gradients and proximal operators.

The solvers minimise, in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
              + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

with :math:`\lambda \ge 0`, :math:`\alpha \in [0, 1]` and the bias :math:`b`
unpenalised (fitted by centring when ``fit_intercept=True``). In
scikit-learn's terms this is ``Lasso(alpha=λ)`` for :math:`\alpha = 1`,
``ElasticNet(alpha=λ, l1_ratio=α)`` in general and ``Ridge(alpha=n·λ)`` for
:math:`\alpha = 0` (Ridge has no :math:`1/n` in front of its loss).

The functions here are the penalty *without* the factor :math:`\lambda`; the
solvers multiply by it. Every function takes a scalar or a 1-D array ``w``;
the elementwise operators (``soft_threshold``, ``prox_elastic_net``) also
accept 2-D arrays, e.g. a grid for a plot.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_real

__all__ = ["elastic_net", "elastic_net_subgradient", "l1", "l1_subdifferential", "l1_subgradient", "l2", "l2_gradient",
           "prox_elastic_net", "soft_threshold"]


def _vector(w, name: str = "w") -> np.ndarray:
    return as_float_array(w, name, ndim=(0, 1))


def _elementwise(z, name: str) -> np.ndarray:
    return as_float_array(z, name, ndim=(0, 1, 2))


def _threshold(t, z: np.ndarray) -> np.ndarray:
    """Validate a threshold ``t`` >= 0 that must broadcast against ``z``."""
    t = _elementwise(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be >= 0 everywhere")
    try:
        np.broadcast_shapes(z.shape, t.shape)
    except ValueError:
        raise ValueError(f"t of shape {t.shape} does not broadcast against z of shape {z.shape}") from None
    return t


def _soft_threshold(z, t):
    """Unvalidated soft thresholding, the kernel shared with the solvers' inner loops."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _prox_elastic_net(z, t, alpha: float):
    """Unvalidated elastic-net prox, the kernel shared with the solvers' inner loops."""
    return _soft_threshold(z, t * alpha) / (1.0 + t * (1.0 - alpha))


def l1(w) -> float:
    r"""The L1 norm :math:`\lVert w\rVert_1 = \sum_j |w_j|`.

    Parameters
    ----------
    w : float or array_like of shape (p,)

    Returns
    -------
    float
    """
    return float(np.abs(_vector(w)).sum())


def l2(w) -> float:
    r"""Half the squared L2 norm, :math:`\tfrac12\lVert w\rVert_2^2`.

    The factor :math:`\tfrac12` makes the gradient simply :math:`w`
    (see :func:`l2_gradient`).

    Parameters and return value as in :func:`l1`.
    """
    w = _vector(w)
    return 0.5 * float(np.sum(w * w))


def elastic_net(w, alpha: float) -> float:
    r"""The elastic-net penalty :math:`\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2`.

    ``alpha=1`` is :func:`l1` (lasso), ``alpha=0`` is :func:`l2` (ridge).

    Parameters
    ----------
    w : float or array_like of shape (p,)
    alpha : float
        Mixing parameter :math:`\alpha \in [0, 1]` (scikit-learn's ``l1_ratio``).

    Returns
    -------
    float
    """
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    return alpha * l1(w) + (1.0 - alpha) * l2(w)


def l2_gradient(w) -> np.ndarray:
    r"""Gradient of :func:`l2`: :math:`\nabla \tfrac12\lVert w\rVert_2^2 = w`.

    Parameters as in :func:`l1`.

    Returns
    -------
    ndarray
        A new array equal to ``w``.
    """
    return _vector(w)


def l1_subgradient(w) -> np.ndarray:
    r"""The minimum-norm subgradient of :math:`\lVert w\rVert_1`: :math:`\operatorname{sign}(w)`.

    .. math::

        g_j = \begin{cases} \operatorname{sign}(w_j) & w_j \ne 0, \\ 0 & w_j = 0, \end{cases}

    the element of smallest magnitude of the subdifferential
    :math:`\partial|w_j|` (which is the whole interval :math:`[-1, 1]` at 0,
    see :func:`l1_subdifferential`).

    Parameters as in :func:`l1`.

    Returns
    -------
    ndarray
        Entries in :math:`\{-1, 0, 1\}`.
    """
    return np.sign(_vector(w))


def l1_subdifferential(w) -> tuple[np.ndarray, np.ndarray]:
    r"""The subdifferential of :math:`\lVert w\rVert_1`, coordinate by coordinate, as intervals.

    .. math::

        \partial |w_j| = \begin{cases} \{\operatorname{sign}(w_j)\} & w_j \ne 0, \\ [-1, 1] & w_j = 0. \end{cases}

    Parameters as in :func:`l1`.

    Returns
    -------
    low, high : ndarray
        Interval bounds per coordinate: ``low == high == sign(w_j)`` where
        :math:`w_j \ne 0` and ``(-1, 1)`` where :math:`w_j = 0`.
    """
    sign = np.sign(_vector(w))
    return np.where(sign == 0, -1.0, sign), np.where(sign == 0, 1.0, sign)


def elastic_net_subgradient(w, alpha: float) -> np.ndarray:
    r"""The minimum-norm subgradient of :func:`elastic_net`: :math:`\alpha\operatorname{sign}(w) + (1-\alpha)w`.

    At :math:`w_j = 0` the subdifferential is :math:`[-\alpha, \alpha]` and
    this returns its minimum-norm element 0. For ``alpha=0`` it is the
    gradient of :func:`l2`.

    Parameters
    ----------
    w : float or array_like of shape (p,)
    alpha : float
        :math:`\alpha \in [0, 1]`.

    Returns
    -------
    ndarray
    """
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    w = _vector(w)
    return alpha * np.sign(w) + (1.0 - alpha) * w


def soft_threshold(z, t) -> np.ndarray:
    r"""Soft thresholding :math:`S(z, t) = \operatorname{sign}(z)\max(|z| - t, 0)`, elementwise.

    It is the proximal operator of :math:`t\lVert\cdot\rVert_1`:

    .. math::

        S(z, t) = \operatorname*{arg\,min}_x \; \tfrac12 (x - z)^2 + t|x|,

    so values in the dead zone :math:`|z| \le t` become exactly 0 and all
    others move towards 0 by :math:`t`.

    Parameters
    ----------
    z : float or array_like (up to 2-D)
    t : float or array_like, broadcastable against ``z``
        Threshold(s), :math:`t \ge 0`.

    Returns
    -------
    ndarray or numpy float
        Of the broadcast shape of ``z`` and ``t`` (a numpy scalar for scalar inputs).
    """
    z = _elementwise(z, "z")
    t = _threshold(t, z)
    return _soft_threshold(z, t)[()]


def prox_elastic_net(z, t, alpha: float) -> np.ndarray:
    r"""Proximal operator of :math:`t\big(\alpha\lVert\cdot\rVert_1 + \frac{1-\alpha}{2}\lVert\cdot\rVert_2^2\big)`.

    .. math::

        \operatorname{prox}(z) = \operatorname*{arg\,min}_x \; \tfrac12\lVert x - z\rVert_2^2
            + t\Big(\alpha\lVert x\rVert_1 + \frac{1-\alpha}{2}\lVert x\rVert_2^2\Big)
            = \frac{S(z, t\alpha)}{1 + t(1-\alpha)}:

    soft thresholding (the L1 part) followed by a uniform shrinkage (the L2
    part). ``alpha=1`` gives :func:`soft_threshold`, ``alpha=0`` gives
    :math:`z / (1 + t)`.

    Parameters
    ----------
    z : float or array_like (up to 2-D)
    t : float or array_like, broadcastable against ``z``
        Step :math:`t \ge 0` (in a proximal-gradient method, step size times :math:`\lambda`).
    alpha : float
        :math:`\alpha \in [0, 1]`.

    Returns
    -------
    ndarray or numpy float
    """
    z = _elementwise(z, "z")
    t = _threshold(t, z)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    return _prox_elastic_net(z, t, alpha)[()]
