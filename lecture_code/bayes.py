r"""Penalties as priors: ridge and the lasso as posterior modes, and the posterior mean beside them.

The model is the linear model with Gaussian noise on centred data (no bias),
:math:`y = Xw + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)`, and a prior with
independent coordinates:

- Gaussian, :math:`w_j \sim N(0, \tau^2)`: :math:`-\log \pi(w) = \lVert w\rVert_2^2/(2\tau^2) + \text{const}`;
- Laplace (double exponential) with scale :math:`\tau`, :math:`\pi(w_j) = e^{-|w_j|/\tau}/(2\tau)`:
  :math:`-\log \pi(w) = \lVert w\rVert_1/\tau + \text{const}`.

(:math:`\tau` is the prior's scale in both cases; :math:`b` is kept for the bias.)

The negative log posterior, multiplied by :math:`\sigma^2/n` (which moves no minimiser), is

.. math::

    \frac{1}{2n}\lVert y - Xw\rVert_2^2 + \frac{\sigma^2}{n\tau^2}\cdot\frac12\lVert w\rVert_2^2
    \qquad\text{or}\qquad
    \frac{1}{2n}\lVert y - Xw\rVert_2^2 + \frac{\sigma^2}{n\tau}\,\lVert w\rVert_1 ,

the course objective with :math:`\lambda = \sigma^2/(n\tau^2)` (ridge) or :math:`\lambda = \sigma^2/(n\tau)`
(lasso): the penalised estimates are posterior **modes** (MAP estimates). The posterior
**mean** is another estimate, the one that minimises the expected squared error under the
model; it has no closed form for the Laplace prior and is computed here by quadrature on a
grid, in one or two dimensions.

Numerics only (numpy); nothing here imports matplotlib.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_real, check_Xy
from .penalties import soft_threshold

__all__ = ["GridPosterior", "grid_posterior", "lasso_lambda_from_prior", "prior_density", "ridge_lambda_from_prior",
           "scalar_posterior"]

PRIORS = ("gaussian", "laplace")


def _check_prior(prior: str) -> str:
    if prior not in PRIORS:
        raise ValueError(f"prior must be 'gaussian' or 'laplace', got {prior!r}")
    return prior


def ridge_lambda_from_prior(noise_var: float, prior_var: float, n: int) -> float:
    r"""The ridge strength whose solution is the MAP estimate under the prior :math:`w_j \sim N(0, \tau^2)`.

    .. math::

        \lambda = \frac{\sigma^2}{n\,\tau^2}

    (course convention :math:`\frac{1}{2n}\lVert y - Xw\rVert^2 + \frac{\lambda}{2}\lVert w\rVert^2`).

    Parameters
    ----------
    noise_var : float
        :math:`\sigma^2 > 0`.
    prior_var : float
        :math:`\tau^2 > 0`.
    n : int
        Number of samples, :math:`n \ge 1`.
    """
    noise_var = check_real(noise_var, "noise_var", low=0.0, low_open=True)
    prior_var = check_real(prior_var, "prior_var", low=0.0, low_open=True)
    return noise_var / (check_int(n, "n", low=1) * prior_var)


def lasso_lambda_from_prior(noise_var: float, prior_scale: float, n: int) -> float:
    r"""The lasso strength whose solution is the MAP estimate under the Laplace prior with scale :math:`\tau`.

    .. math::

        \lambda = \frac{\sigma^2}{n\,\tau}

    (course convention :math:`\frac{1}{2n}\lVert y - Xw\rVert^2 + \lambda\lVert w\rVert_1`; the prior
    :math:`\pi(w_j) = e^{-|w_j|/\tau}/(2\tau)` has variance :math:`2\tau^2`).

    Parameters
    ----------
    noise_var : float
        :math:`\sigma^2 > 0`.
    prior_scale : float
        :math:`\tau > 0`.
    n : int
        Number of samples, :math:`n \ge 1`.
    """
    noise_var = check_real(noise_var, "noise_var", low=0.0, low_open=True)
    prior_scale = check_real(prior_scale, "prior_scale", low=0.0, low_open=True)
    return noise_var / (check_int(n, "n", low=1) * prior_scale)


def _log_prior(W: np.ndarray, prior: str, scale: float) -> np.ndarray:
    """Log prior density, summed over the last axis (independent coordinates)."""
    if prior == "gaussian":
        return np.sum(-0.5 * (W / scale) ** 2 - 0.5 * np.log(2 * np.pi * scale**2), axis=-1)
    return np.sum(-np.abs(W) / scale - np.log(2 * scale), axis=-1)


def prior_density(w, prior: str, scale: float) -> np.ndarray:
    r"""Density of one coordinate's prior at the points ``w``.

    ``"gaussian"``: :math:`N(0, \tau^2)`; ``"laplace"``: :math:`e^{-|w|/\tau}/(2\tau)`; :math:`\tau` = ``scale``.

    Parameters
    ----------
    w : array_like
        Points (any shape).
    prior : {"gaussian", "laplace"}
    scale : float
        :math:`\tau > 0`.

    Returns
    -------
    ndarray of the shape of ``w``
    """
    w = as_float_array(w, "w", ndim=(0, 1, 2))
    prior = _check_prior(prior)
    scale = check_real(scale, "scale", low=0.0, low_open=True)
    return np.exp(_log_prior(w[..., None], prior, scale))


@dataclass(frozen=True)
class GridPosterior:
    r"""A posterior density tabulated on a grid, in one or two dimensions.

    Attributes
    ----------
    grids : tuple of ndarray
        One increasing, evenly spaced axis per coordinate of :math:`w`.
    density : ndarray
        The posterior density at the grid points (shape ``(len(grids[0]),)`` or
        ``(len(grids[0]), len(grids[1]))``, first axis :math:`w_1`), normalised so that
        its integral by the trapezoidal rule is 1.
    mean : ndarray of shape (p,)
        The posterior mean :math:`E[w \mid y]` by the trapezoidal rule.
    mode : ndarray of shape (p,)
        The grid point of highest density (the MAP estimate to within one grid spacing).
    """

    grids: tuple
    density: np.ndarray
    mean: np.ndarray
    mode: np.ndarray


def _trapezoid_weights(grid: np.ndarray) -> np.ndarray:
    h = grid[1] - grid[0]
    weights = np.full(grid.size, h)
    weights[[0, -1]] = h / 2
    return weights


def grid_posterior(X, y, grids, *, noise_var: float, prior: str, scale: float) -> GridPosterior:
    r"""The posterior of :math:`w` (one or two coordinates) on a grid, its mean and its mode.

    With :math:`y = Xw + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)` (centred data, no bias),

    .. math::

        \pi(w \mid y) \propto \exp\Big(-\frac{\lVert y - Xw\rVert_2^2}{2\sigma^2}\Big)\prod_j \pi(w_j),

    evaluated in log space (no overflow) at every grid point, normalised and integrated by
    the trapezoidal rule. The grids must cover the region where the posterior has its mass:
    their ends should be several posterior standard deviations from the mean.

    Parameters
    ----------
    X : array_like of shape (n, p), p = 1 or 2
    y : array_like of shape (n,)
    grids : sequence of p array_like
        Evenly spaced, increasing axes, at least 3 points each.
    noise_var : float
        :math:`\sigma^2 > 0`.
    prior : {"gaussian", "laplace"}
    scale : float
        The prior's scale :math:`\tau > 0` (Gaussian standard deviation or Laplace scale).

    Returns
    -------
    GridPosterior
    """
    X, y = check_Xy(X, y)
    p = X.shape[1]
    if p not in (1, 2):
        raise ValueError(f"X must have 1 or 2 columns (a grid in 1 or 2 dimensions), got {p}")
    if isinstance(grids, np.ndarray) or len(grids) != p:
        raise ValueError(f"grids must be a sequence of {p} axes, one per column of X")
    axes = []
    for k, g in enumerate(grids):
        g = as_float_array(g, f"grids[{k}]", ndim=1)
        steps = np.diff(g)
        if g.size < 3 or np.any(steps <= 0) or not np.allclose(steps, steps[0], rtol=1e-9, atol=0.0):
            raise ValueError(f"grids[{k}] must be increasing and evenly spaced with at least 3 points")
        axes.append(g)
    noise_var = check_real(noise_var, "noise_var", low=0.0, low_open=True)
    prior = _check_prior(prior)
    scale = check_real(scale, "scale", low=0.0, low_open=True)
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)          # (..., p)
    # ||y - Xw||^2 = y'y - 2 w'X'y + w'X'Xw: only the sufficient statistics are needed.
    G, c = X.T @ X, X.T @ y
    quad = np.einsum("...i,ij,...j->...", mesh, G, mesh) - 2 * mesh @ c
    log_post = -0.5 * quad / noise_var + _log_prior(mesh, prior, scale)
    unnorm = np.exp(log_post - log_post.max())
    weights = _trapezoid_weights(axes[0])
    if p == 2:
        weights = weights[:, None] * _trapezoid_weights(axes[1])[None, :]
    total = float(np.sum(weights * unnorm))
    density = unnorm / total
    mean = np.array([np.sum(weights * density * mesh[..., k]) for k in range(p)])
    mode = mesh[np.unravel_index(np.argmax(log_post), log_post.shape)]
    return GridPosterior(grids=tuple(axes), density=density, mean=mean, mode=np.array(mode))


def scalar_posterior(z, *, se: float, prior: str, scale: float, n_grid: int = 4001) -> tuple[np.ndarray, np.ndarray]:
    r"""Posterior mode and mean of one weight whose least-squares estimate is :math:`z` with standard error :math:`s`.

    The likelihood of a single weight (or of one coordinate of an orthonormal design,
    :math:`X^\top X = nI`, where :math:`z = x_j^\top y/n` and :math:`s^2 = \sigma^2/n`) is
    :math:`\propto \exp(-(w - z)^2/(2s^2))`. With the prior:

    - Gaussian :math:`N(0, \tau^2)`: mode = mean = :math:`z/(1 + s^2/\tau^2)`, the ridge solution
      :math:`z/(1 + \lambda)` with :math:`\lambda = s^2/\tau^2`;
    - Laplace with scale :math:`\tau`: mode :math:`= S(z, s^2/\tau)`, the lasso's soft threshold with
      :math:`\lambda = s^2/\tau`; the mean by Simpson's rule on about ``n_grid`` points spanning
      :math:`[\min(0, z) - 12s,\ \max(0, z) + 12s]` (which holds all but a negligible part of the mass),
      with the kink at 0 as a grid node.

    Parameters
    ----------
    z : float or array_like of shape (m,)
        Least-squares estimates.
    se : float
        Their standard error :math:`s > 0`.
    prior : {"gaussian", "laplace"}
    scale : float
        :math:`\tau > 0`.
    n_grid : int, default 4001
        Quadrature points per estimate (at least 101); raise it when ``scale`` is much smaller
        than ``se`` (the posterior is then about as narrow as the prior).

    Returns
    -------
    mode, mean : ndarray of the shape of ``z``
    """
    z = as_float_array(z, "z", ndim=(0, 1))
    se = check_real(se, "se", low=0.0, low_open=True)
    prior = _check_prior(prior)
    scale = check_real(scale, "scale", low=0.0, low_open=True)
    n_grid = check_int(n_grid, "n_grid", low=101)
    lam = se**2 / scale**2 if prior == "gaussian" else se**2 / scale
    if prior == "gaussian":
        mode = z / (1 + lam)
        return mode, mode.copy()
    mode = soft_threshold(z, lam)
    zz = np.atleast_1d(z)
    # Simpson's rule on [lo, 0] and on [0, hi]: the kink of |w| at 0 is a grid node, and on each side the
    # integrand is smooth, so the rule keeps its O(h^4) accuracy.
    half = 2 * (n_grid // 4) + 1                                          # an even number of intervals per side
    t = np.linspace(0.0, 1.0, half)
    lo, hi = np.minimum(0.0, zz) - 12 * se, np.maximum(0.0, zz) + 12 * se
    W = np.concatenate([lo[:, None] * (1 - t[None, :]), hi[:, None] * t[None, 1:]], axis=1)   # (m, 2 half - 1)
    log_post = -0.5 * ((W - zz[:, None]) / se) ** 2 - np.abs(W) / scale
    unnorm = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    simpson = np.ones(half)
    simpson[1:-1:2], simpson[2:-1:2] = 4.0, 2.0
    simpson /= 3 * (half - 1)
    weights = np.zeros_like(W)
    weights[:, :half] = -lo[:, None] * simpson[None, :]
    weights[:, half - 1:] += hi[:, None] * simpson[None, :]
    mean = np.sum(unnorm * W * weights, axis=1) / np.sum(unnorm * weights, axis=1)
    return mode, mean.reshape(z.shape)
