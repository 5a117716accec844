r"""Two real data sets, shipped with scikit-learn (no download), in the form the chapters use them.

- :func:`diabetes`: the data of Efron, Hastie, Johnstone & Tibshirani (2004), *Least angle
  regression*: 442 patients, 10 baseline variables (age, sex, body-mass index, blood
  pressure and six blood serum measurements), and a measure of disease progression one
  year later. The paper standardises each variable to mean 0 and unit Euclidean length,
  :math:`\sum_i x_{ij} = 0`, :math:`\sum_i x_{ij}^2 = 1`, and centres the response; its
  Figure 1 plots the lasso path against :math:`\lVert \hat w\rVert_1` in those units.
- :func:`breast_cancer`: the Wisconsin diagnostic breast cancer data (Street, Wolberg &
  Mangasarian 1993): 569 tumours, 30 features of cell nuclei, malignant (1) or benign (0).

scikit-learn is imported only when a loader is called: it is an optional dependency of
the package (the "book" extra), needed by the chapters, not by the algorithms.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RealData:
    """A real data set: design ``X`` (n, p), response ``y`` (n,), and the feature names in column order."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]


def diabetes() -> RealData:
    r"""The diabetes data as Efron et al. (2004) use it.

    Returns
    -------
    RealData
        ``X`` of shape (442, 10) with every column centred and of unit Euclidean length,
        :math:`\mathbf 1^\top x_j = 0`, :math:`\lVert x_j\rVert_2 = 1`; ``y`` the disease
        progression, centred (its mean, 152.1, removed); names ``age, sex, bmi, bp, s1, ..., s6``.
    """
    from sklearn.datasets import load_diabetes

    raw = load_diabetes(scaled=False)
    X = raw.data - raw.data.mean(axis=0)
    X = X / np.linalg.norm(X, axis=0)
    y = raw.target - raw.target.mean()
    return RealData(X=X, y=y, feature_names=tuple(raw.feature_names))


def breast_cancer() -> RealData:
    """The Wisconsin diagnostic breast cancer data, unscaled; ``y`` is 1 for malignant, 0 for benign.

    Returns
    -------
    RealData
        ``X`` of shape (569, 30) in the original units (standardise before penalising: the features'
        scales differ by four orders of magnitude); ``y`` of 212 ones and 357 zeros.
    """
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer()
    # scikit-learn codes malignant as 0 and benign as 1; the course's positive class is the malignant tumour.
    y = (raw.target == 0).astype(float)
    return RealData(X=np.array(raw.data, dtype=float), y=y, feature_names=tuple(raw.feature_names))
