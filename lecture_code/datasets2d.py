r"""Seeded two-dimensional classification data, small enough to draw decision boundaries.

Each generator returns ``(X, y)`` with ``X`` of shape (n, 2) (float64) and
integer labels ``y`` of shape (n,), shuffled with the given seed, so that a
network from :mod:`lecture_code.nn` can be trained on them and its decision
boundary drawn over ``X``.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int, check_real, check_seed

__all__ = ["make_moons", "make_spirals", "make_xor", "grid_2d"]


def _noise_and_rng(noise, seed) -> tuple[float, np.random.Generator]:
    return check_real(noise, "noise", low=0.0), check_seed(seed)


def _finish(X, y, noise, rng):
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_moons(n_samples: int = 200, *, noise: float = 0.1, seed=0):
    r"""Two interleaving half circles (the same points as scikit-learn's ``make_moons``).

    Class 0: :math:`(\cos t, \sin t)`; class 1: :math:`(1 - \cos t, \tfrac12 - \sin t)`,
    with :math:`t` evenly spaced on :math:`[0, \pi]` (``n_samples // 2`` points in
    class 0, the rest in class 1), plus Gaussian noise of standard deviation ``noise``.

    Parameters
    ----------
    n_samples : int >= 2
    noise : float >= 0
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)
    """
    n_samples = check_int(n_samples, "n_samples", low=2)
    noise, rng = _noise_and_rng(noise, seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   np.column_stack([1 - np.cos(t1), 1 - np.sin(t1) - 0.5])])
    y = np.concatenate([np.zeros(n0, int), np.ones(n1, int)])
    return _finish(X, y, noise, rng)


def make_spirals(n_samples: int = 200, *, n_classes: int = 2, turns: float = 1.0, noise: float = 0.1, seed=0):
    r"""Interleaved Archimedean spirals, one arm per class.

    Arm :math:`k` holds points :math:`r(\cos\theta, \sin\theta)` with
    :math:`r = s`, :math:`\theta = 2\pi(\text{turns}\cdot s + k/K)` for
    :math:`s` evenly spaced on :math:`[0.05, 1]`, plus Gaussian noise (std ``noise``).
    The classes have ``n_samples // n_classes`` points (the first arms get the remainder).

    Parameters
    ----------
    n_samples : int >= n_classes
    n_classes : int >= 2
    turns : float > 0
    noise, seed
        As for :func:`make_moons`.

    Returns
    -------
    X, y
        As for :func:`make_moons`.
    """
    n_classes = check_int(n_classes, "n_classes", low=2)
    n_samples = check_int(n_samples, "n_samples", low=n_classes)
    turns = check_real(turns, "turns", low=0.0, low_open=True)
    noise, rng = _noise_and_rng(noise, seed)
    counts = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    Xs, ys = [], []
    for k, m in enumerate(counts):
        s = np.linspace(0.05, 1.0, m)
        theta = 2 * np.pi * (turns * s + k / n_classes)
        Xs.append(np.column_stack([s * np.cos(theta), s * np.sin(theta)]))
        ys.append(np.full(m, k))
    return _finish(np.vstack(Xs), np.concatenate(ys), noise, rng)


def make_xor(n_samples: int = 200, *, noise: float = 0.0, seed=0):
    r"""Points uniform on :math:`[-1, 1]^2` labelled :math:`y = [x_1 x_2 > 0]` (XOR of the signs).

    No linear classifier can do better than chance-like accuracy here; one hidden
    layer suffices. ``noise`` is added to ``X`` after labelling.

    Parameters and return value as for :func:`make_moons` (here ``n_samples`` >= 1 and no noise by default).
    """
    n_samples = check_int(n_samples, "n_samples", low=1)
    noise, rng = _noise_and_rng(noise, seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + noise * rng.standard_normal(X.shape), y


def grid_2d(X, *, resolution: int = 200, margin: float = 0.5):
    """A grid covering the points ``X`` (n, 2) plus ``margin``: returns ``xx, yy`` (resolution × resolution)
    and the stacked points of shape (resolution², 2), ready for ``contourf`` of a classifier's output."""
    from ._validation import as_float_array

    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns, got shape {X.shape}")
    resolution = check_int(resolution, "resolution", low=2)
    margin = check_real(margin, "margin", low=0.0)
    lo, hi = X.min(0) - margin, X.max(0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])
