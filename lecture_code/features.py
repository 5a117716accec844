r"""Feature maps: polynomial features and standardisation.

The overfitting chapter reads a polynomial of degree :math:`d`,
:math:`\hat y = w_0 + \sum_{j=1}^{d} w_j x^j`, as a single-layer linear network
whose :math:`d` inputs are :math:`x, x^2, \dots, x^d` and whose bias neuron
carries :math:`w_0`. :func:`polynomial_features` builds those inputs.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int


def polynomial_features(x, degree: int) -> np.ndarray:
    r"""Return the design matrix :math:`X_{ij} = x_i^{\,j}`, :math:`j = 1, \dots, d`.

    The constant column is left out: the bias :math:`w_0` is fitted separately
    and never penalised.

    Parameters
    ----------
    x : array_like of shape (n,)
        Inputs.
    degree : int
        The degree :math:`d \ge 0`; ``degree=0`` gives an (n, 0) matrix (the
        model is the bias alone).

    Returns
    -------
    ndarray of shape (n, degree)
    """
    x = as_float_array(x, "x", ndim=1)
    degree = check_int(degree, "degree", low=0)
    return x[:, None] ** np.arange(1, degree + 1)


@dataclass(frozen=True)
class Standardizer:
    r"""Column-wise standardisation :math:`z_{ij} = (x_{ij} - \bar x_j) / s_j`, with the column mean :math:`\bar x_j`.

    ``mean`` and ``scale`` are learnt on the training set only (:func:`fit_standardizer`)
    and applied unchanged to validation and test sets, so no information leaks
    from held-out data. A constant column gets ``scale = 1``.
    """

    mean: np.ndarray
    scale: np.ndarray

    def transform(self, X) -> np.ndarray:
        """Return ``(X - mean) / scale`` as a new array."""
        X = as_float_array(X, "X", ndim=2, allow_empty=True)
        if X.shape[1] != self.mean.shape[0]:
            raise ValueError(f"X must have {self.mean.shape[0]} columns, got {X.shape[1]}")
        return (X - self.mean) / self.scale


def fit_standardizer(X) -> Standardizer:
    r"""Learn the mean :math:`\bar x_j` and the standard deviation :math:`s_j` (with :math:`1/n`) of each column of ``X``.

    Parameters
    ----------
    X : array_like of shape (n, p)

    Returns
    -------
    Standardizer
    """
    X = as_float_array(X, "X", ndim=2)
    scale = X.std(axis=0)
    return Standardizer(mean=X.mean(axis=0), scale=np.where(scale > 0, scale, 1.0))
