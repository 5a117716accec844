r"""Non-convex penalties that stop shrinking large weights: SCAD and MCP.

The lasso moves every surviving weight towards 0 by the same amount, so large, important weights
are biased. The :math:`L_q` penalties with :math:`q < 1` avoid that but their thresholding rule
jumps. SCAD (Fan & Li 2001) and MCP (Zhang 2010) keep the corner of :math:`|w|` at 0 (sparsity),
flatten out for large :math:`|w|` (no bias), and have continuous thresholding rules. For one
weight, per unit :math:`\lambda > 0`:

* **SCAD**, :math:`a > 2` (Fan & Li suggest 3.7): :math:`P(w) = \lambda|w|` for :math:`|w| \le \lambda`,
  :math:`\frac{2a\lambda|w| - w^2 - \lambda^2}{2(a-1)}` for :math:`\lambda < |w| \le a\lambda`, and the
  constant :math:`\frac{(a+1)\lambda^2}{2}` beyond;
* **MCP**, :math:`\gamma > 1`: :math:`P(w) = \lambda|w| - \frac{w^2}{2\gamma}` for :math:`|w| \le \gamma\lambda`
  and :math:`\frac{\gamma\lambda^2}{2}` beyond.

Their thresholding functions solve :math:`\min_x \tfrac12(x - z)^2 + P(x)`:

* soft: :math:`S(z, \lambda)` (the lasso, :func:`lecture_code.penalties.soft_threshold`);
* hard: :math:`z\,\mathbb 1\{|z| > \lambda\}` (the penalty :math:`\frac{\lambda^2}{2}\mathbb 1\{x \ne 0\}`);
* SCAD: :math:`S(z, \lambda)` for :math:`|z| \le 2\lambda`, :math:`\frac{(a-1)z - \operatorname{sign}(z)a\lambda}{a-2}`
  for :math:`2\lambda < |z| \le a\lambda`, :math:`z` beyond;
* MCP ("firm" thresholding): :math:`\frac{S(z, \lambda)}{1 - 1/\gamma}` for :math:`|z| \le \gamma\lambda`,
  :math:`z` beyond. As :math:`\gamma \to \infty` it becomes soft, as :math:`\gamma \to 1` hard thresholding.

The solver that uses them, :func:`lecture_code.solvers.nonconvex_regression`, lives in
``lecture_code/solvers/nonconvex.py``.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_real
from .penalties import _soft_threshold

__all__ = ["hard_threshold", "mcp_penalty", "mcp_threshold", "scad_penalty", "scad_threshold"]


def _z_and_lam(z, lam) -> tuple[np.ndarray, float]:
    return as_float_array(z, "z", ndim=(0, 1, 2)), check_real(lam, "lam", low=0.0, low_open=True)


def _z_lam_and_shape(z, lam, name: str, value) -> tuple[np.ndarray, float, float]:
    """:func:`_z_and_lam` and the penalty's shape parameter: SCAD's ``a`` > 2 or MCP's ``gamma`` > 1."""
    z, lam = _z_and_lam(z, lam)
    return z, lam, check_real(value, name, low=2.0 if name == "a" else 1.0, low_open=True)


def scad_penalty(w, lam: float, a: float = 3.7) -> np.ndarray:
    r"""The SCAD penalty :math:`P_{\lambda, a}(w)` of Fan & Li (2001), elementwise (module docstring).

    Its derivative for :math:`w > 0` is :math:`\lambda` up to :math:`\lambda`, then falls linearly,
    :math:`(a\lambda - w)/(a - 1)`, to 0 at :math:`a\lambda`: the penalty is flat beyond :math:`a\lambda`.

    Parameters
    ----------
    w : float or array_like
    lam : float
        :math:`\lambda > 0`.
    a : float, default 3.7
        :math:`a > 2`.

    Returns
    -------
    ndarray (a numpy scalar for scalar input)
    """
    w, lam, a = _z_lam_and_shape(w, lam, "a", a)
    t = np.abs(w)
    middle = (2 * a * lam * t - t**2 - lam**2) / (2 * (a - 1))
    return np.where(t <= lam, lam * t, np.where(t <= a * lam, middle, 0.5 * (a + 1) * lam**2))[()]


def mcp_penalty(w, lam: float, gamma: float = 3.0) -> np.ndarray:
    r"""The minimax concave penalty (MCP) of Zhang (2010), elementwise.

    :math:`P(w) = \lambda|w| - w^2/(2\gamma)` for :math:`|w| \le \gamma\lambda`, :math:`\gamma\lambda^2/2` beyond:
    its derivative falls linearly from :math:`\lambda` at 0 to 0 at :math:`\gamma\lambda`.

    Parameters and return value as for :func:`scad_penalty`, with ``gamma`` (:math:`\gamma > 1`) in place of ``a``.
    """
    w, lam, gamma = _z_lam_and_shape(w, lam, "gamma", gamma)
    t = np.abs(w)
    return np.where(t <= gamma * lam, lam * t - t**2 / (2 * gamma), 0.5 * gamma * lam**2)[()]


def hard_threshold(z, lam: float) -> np.ndarray:
    r"""Hard thresholding :math:`z\,\mathbb 1\{|z| > \lambda\}`, the minimiser of :math:`\tfrac12(x - z)^2 + \tfrac{\lambda^2}{2}\mathbb 1\{x \ne 0\}`.

    (At :math:`|z| = \lambda` both 0 and :math:`z` are minimisers; 0 is returned.)
    """
    z, lam = _z_and_lam(z, lam)
    return np.where(np.abs(z) > lam, z, 0.0)[()]


def _scad_rule(z: np.ndarray, lam: float, a: float, v) -> np.ndarray:
    r"""Minimiser of :math:`\frac v2 x^2 - zx + P_{\text{SCAD}}(x)` (needs :math:`v(a - 1) > 1`)."""
    t = np.abs(z)
    soft = _soft_threshold(z, lam) / v
    middle = ((a - 1) * z - np.sign(z) * a * lam) / ((a - 1) * v - 1)
    return np.where(t <= lam * (1 + v), soft, np.where(t <= a * lam * v, middle, z / v))


def _mcp_rule(z: np.ndarray, lam: float, gamma: float, v) -> np.ndarray:
    r"""Minimiser of :math:`\frac v2 x^2 - zx + P_{\text{MCP}}(x)` (needs :math:`v\gamma > 1`)."""
    return np.where(np.abs(z) <= v * gamma * lam, _soft_threshold(z, lam) / (v - 1 / gamma), z / v)


def scad_threshold(z, lam: float, a: float = 3.7) -> np.ndarray:
    r"""The SCAD thresholding rule: :math:`\operatorname*{arg\,min}_x \tfrac12(x - z)^2 + P_{\lambda, a}(x)`, elementwise.

    Soft thresholding for :math:`|z| \le 2\lambda`, a linear interpolation
    :math:`\frac{(a-1)z - \operatorname{sign}(z)a\lambda}{a-2}` up to :math:`a\lambda`, and :math:`z` itself
    beyond: large inputs are not shrunk.

    Parameters as for :func:`scad_penalty`, with the input ``z`` in place of ``w``.
    """
    z, lam, a = _z_lam_and_shape(z, lam, "a", a)
    return _scad_rule(z, lam, a, 1.0)[()]


def mcp_threshold(z, lam: float, gamma: float = 3.0) -> np.ndarray:
    r"""The MCP ("firm") thresholding rule: :math:`\operatorname*{arg\,min}_x \tfrac12(x - z)^2 + P_{\lambda,\gamma}(x)`.

    :math:`S(z, \lambda)/(1 - 1/\gamma)` for :math:`|z| \le \gamma\lambda`, :math:`z` beyond.

    Parameters as for :func:`mcp_penalty`, with the input ``z`` in place of ``w``.
    """
    z, lam, gamma = _z_lam_and_shape(z, lam, "gamma", gamma)
    return _mcp_rule(z, lam, gamma, 1.0)[()]
