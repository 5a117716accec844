r"""Seeded data sets used across the chapters.

Every generator takes a ``seed`` (an integer or a ``numpy.random.Generator``)
so that every figure and every number in the book is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_real, check_seed


def true_curve(x) -> np.ndarray:
    r"""The smooth function behind the overfitting example, :math:`f(x) = \sin(2\pi x)`."""
    x = as_float_array(x, "x", ndim=(0, 1), allow_empty=True)
    return np.sin(2.0 * np.pi * x)


@dataclass(frozen=True)
class CurveData:
    """A one-dimensional regression sample :math:`y_i = f(x_i) + \\varepsilon_i`.

    Attributes
    ----------
    x, y : ndarray of shape (n,)
        Inputs in ``[0, 1]`` and noisy targets.
    noise : float
        The standard deviation :math:`\\sigma` of :math:`\\varepsilon_i`.
    """

    x: np.ndarray
    y: np.ndarray
    noise: float


def make_curve_data(n: int = 30, *, noise: float = 0.25, seed=0) -> CurveData:
    r"""Draw :math:`n` points :math:`x_i \sim U(0, 1)`, :math:`y_i = \sin(2\pi x_i) + \varepsilon_i`.

    Parameters
    ----------
    n : int, default 30
        Number of points (at least 1).
    noise : float, default 0.25
        Standard deviation :math:`\sigma \ge 0` of the Gaussian noise :math:`\varepsilon_i \sim N(0, \sigma^2)`.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    CurveData
        Points sorted by ``x`` (plots then draw them left to right).
    """
    n = check_int(n, "n", low=1)
    noise = check_real(noise, "noise", low=0.0)
    rng = check_seed(seed)
    x = np.sort(rng.uniform(0.0, 1.0, size=n))
    y = true_curve(x) + noise * rng.standard_normal(n)
    return CurveData(x=x, y=y, noise=noise)
