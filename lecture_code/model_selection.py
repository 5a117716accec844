r"""Held-out validation and k-fold cross-validation.

A model's parameters are fitted on training data; its hyper-parameter (the
degree :math:`d`, the strength :math:`\lambda`) is chosen on data the fit never
saw. These helpers make the splits and collect train and validation errors over
a grid of hyper-parameters.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_paired, check_real, check_seed, check_splits, check_Xy
from .solvers.results import _FoldErrors


def mean_squared_error(y_true, y_pred) -> float:
    r"""Return :math:`\frac{1}{n}\sum_i (y_i - \hat y_i)^2`."""
    y_true, y_pred = check_paired(y_true, y_pred, ("y_true", "y_pred"))
    return float(np.mean((y_true - y_pred) ** 2))


def _squared_errors(y_true, y_pred, name: str) -> np.ndarray:
    y_true, y_pred = check_paired(y_true, y_pred, ("y_true", name))
    if y_true.size < 2:
        raise ValueError(f"a standard error needs at least 2 points, got {y_true.size}")
    return (y_true - y_pred) ** 2


def mse_with_standard_error(y_true, y_pred) -> tuple[float, float]:
    r"""The mean squared error on :math:`m` points and its standard error.

    With the squared errors :math:`e_i = (y_i - \hat y_i)^2`,
    :math:`\mathrm{MSE} = \bar e = \frac1m\sum_i e_i`. If the :math:`m` points are an
    independent sample and the model is fixed (fitted on other data), the :math:`e_i` are
    i.i.d. and the standard error of :math:`\bar e` is

    .. math::

        \mathrm{se} = \frac{s_e}{\sqrt m}, \qquad s_e^2 = \frac{1}{m - 1}\sum_i (e_i - \bar e)^2 ,

    how far the MSE of another sample of :math:`m` points would typically be from this one.
    It says nothing about a model *chosen* on the same points (that MSE is biased low).

    Parameters
    ----------
    y_true, y_pred : array_like of shape (m,)
        At least 2 points.

    Returns
    -------
    mse, se : float
    """
    e = _squared_errors(y_true, y_pred, "y_pred")
    return float(e.mean()), float(e.std(ddof=1) / np.sqrt(e.size))


def paired_mse_difference(y_true, y_pred_a, y_pred_b) -> tuple[float, float]:
    r"""Difference of two models' mean squared errors on the same points, and its standard error.

    With :math:`\delta_i = (y_i - \hat y_{a,i})^2 - (y_i - \hat y_{b,i})^2`, the difference
    :math:`\mathrm{MSE}_a - \mathrm{MSE}_b = \bar\delta` has standard error
    :math:`s_\delta/\sqrt m` (:math:`s_\delta` the sample standard deviation, ``ddof=1``).
    Scoring both models on the same points cancels the variation they share (a point hard
    for one is usually hard for the other), so this is usually smaller than either MSE's
    own standard error; a difference smaller than it is one the :math:`m` points cannot
    resolve.

    Parameters
    ----------
    y_true, y_pred_a, y_pred_b : array_like of shape (m,)
        At least 2 points.

    Returns
    -------
    difference, se : float
        :math:`\mathrm{MSE}_a - \mathrm{MSE}_b` and its standard error.
    """
    delta = _squared_errors(y_true, y_pred_a, "y_pred_a") - _squared_errors(y_true, y_pred_b, "y_pred_b")
    return float(delta.mean()), float(delta.std(ddof=1) / np.sqrt(delta.size))


def train_validation_split(n: int, *, val_fraction: float = 0.3, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Split ``range(n)`` at random into training and validation indices.

    Parameters
    ----------
    n : int
        Number of samples (at least 2).
    val_fraction : float, default 0.3
        Fraction of samples held out, in (0, 1); at least one sample lands on each side.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    train_idx, val_idx : ndarray of int
        Sorted, disjoint, together ``range(n)``.
    """
    n = check_int(n, "n", low=2)
    val_fraction = check_real(val_fraction, "val_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
    perm = check_seed(seed).permutation(n)
    n_val = min(n - 1, max(1, round(val_fraction * n)))
    return np.sort(perm[n_val:]), np.sort(perm[:n_val])


def k_fold_splits(n: int, k: int = 5, *, seed=0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffle ``range(n)`` and cut it into ``k`` folds of near-equal size.

    Returns
    -------
    list of (train_idx, val_idx)
        Fold ``i`` is validated on its own indices and trained on all others;
        every index is validated exactly once.
    """
    n = check_int(n, "n", low=2)
    k = check_int(k, "k", low=2, high=n)
    folds = np.array_split(check_seed(seed).permutation(n), k)
    return [(np.sort(np.concatenate(folds[:i] + folds[i + 1:])), np.sort(fold)) for i, fold in enumerate(folds)]


Predictor = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ValidationCurve(_FoldErrors):
    """Train and validation errors over a grid of hyper-parameters.

    Attributes
    ----------
    params : ndarray of shape (m,)
        The hyper-parameter grid, as given.
    train_errors, val_errors : ndarray of shape (k, m)
        Mean squared error of split ``i`` (row) at ``params[j]`` (column); ``mean_val``, the validation error
        averaged over the splits, is the cross-validation estimate.
    """

    params: np.ndarray
    train_errors: np.ndarray
    val_errors: np.ndarray

    @property
    def mean_train(self) -> np.ndarray:
        """Training error averaged over splits."""
        return self.train_errors.mean(axis=0)

    @property
    def se_val(self) -> np.ndarray:
        r"""Standard error of :attr:`mean_val`: sample std over splits / :math:`\sqrt{k}` (0 for one split)."""
        k = self.val_errors.shape[0]
        if k == 1:
            return np.zeros(self.val_errors.shape[1])
        return self.val_errors.std(axis=0, ddof=1) / np.sqrt(k)

    @property
    def best_index(self) -> int:
        """Index of the smallest mean validation error (first one on ties)."""
        return int(np.argmin(self.mean_val))

    def one_standard_error_index(self, *, simpler: str) -> int:
        """The simplest model whose mean validation error is within one standard error of the best.

        Parameters
        ----------
        simpler : {"low", "high"}
            Which end of ``params`` is simpler: ``"low"`` for a degree, ``"high"`` for :math:`\\lambda`.
        """
        if simpler not in ("low", "high"):
            raise ValueError(f"simpler must be 'low' or 'high', got {simpler!r}")
        best = self.best_index
        ok = np.flatnonzero(self.mean_val <= self.mean_val[best] + self.se_val[best])
        order = np.argsort(self.params[ok], kind="stable")
        return int(ok[order[0]] if simpler == "low" else ok[order[-1]])


def _errors_over_splits(params, splits, errors: Callable) -> ValidationCurve:
    """The curve of a grid ``params``: ``errors(train_idx, val_idx)`` gives one split's training and validation
    errors at every parameter, and the splits are stacked as rows."""
    check_splits(splits)
    train = np.empty((len(splits), len(params)))
    val = np.empty_like(train)
    for i, (tr, va) in enumerate(splits):
        train[i], val[i] = errors(tr, va)
    return ValidationCurve(params=np.asarray(params), train_errors=train, val_errors=val)


def validation_curve(fit: Callable[[np.ndarray, np.ndarray, object], Predictor], X, y,
                     params: Sequence, splits: Sequence[tuple[np.ndarray, np.ndarray]]) -> ValidationCurve:
    """Fit on each training part and score on its validation part, for every hyper-parameter.

    Parameters
    ----------
    fit : callable ``fit(X_train, y_train, param) -> predict``
        Returns a function mapping inputs to predictions.
    X : array_like of shape (n,) or (n, p)
        Inputs (1-D for the polynomial examples).
    y : array_like of shape (n,)
    params : sequence
        The hyper-parameter grid.
    splits : sequence of (train_idx, val_idx)
        From :func:`train_validation_split` (one split) or :func:`k_fold_splits`.

    Returns
    -------
    ValidationCurve
    """
    X = as_float_array(X, "X", ndim=(1, 2))
    y = as_float_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    if len(params) == 0:
        raise ValueError("params must not be empty")

    def errors(tr, va):
        rows = []
        for param in params:
            predict = fit(X[tr], y[tr], param)
            rows.append((mean_squared_error(y[tr], predict(X[tr])), mean_squared_error(y[va], predict(X[va]))))
        return np.array(rows).T

    return _errors_over_splits(params, splits, errors)


def path_validation_curve(X, y, lambdas, splits: Sequence[tuple[np.ndarray, np.ndarray]], *, alpha: float = 1.0,
                          **path_options) -> ValidationCurve:
    r"""Cross-validate the elastic-net (lasso, ridge) strength :math:`\lambda` with one path per split.

    For each split, :func:`lecture_code.solvers.enet_path` fits the whole grid on
    the training part with warm starts (much cheaper than one fit per
    :math:`\lambda`), and every fitted model is scored by its mean squared error on
    both parts. The objective is the course's
    :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert^2)`.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    lambdas : array_like of shape (m,)
        The grid, every :math:`\lambda > 0`; it is used in decreasing order.
    splits : sequence of (train_idx, val_idx)
        From :func:`k_fold_splits` or :func:`train_validation_split`.
    alpha : float, default 1.0
        :math:`\alpha \in [0, 1]` (1 lasso, 0 ridge).
    **path_options
        Passed to ``enet_path`` (``tol``, ``max_iter``, ``fit_intercept``).

    Returns
    -------
    ValidationCurve
        ``params`` is the grid in decreasing order, the order of ``enet_path``.
    """
    from .solvers import enet_path

    lambdas = np.sort(as_float_array(lambdas, "lambdas", ndim=1))[::-1]
    X, y = check_Xy(X, y)

    def errors(tr, va):
        path = enet_path(X[tr], y[tr], alpha, lambdas=lambdas, **path_options)
        return (np.mean((y[tr, None] - X[tr] @ path.coefs - path.intercepts) ** 2, axis=0),
                np.mean((y[va, None] - X[va] @ path.coefs - path.intercepts) ** 2, axis=0))

    return _errors_over_splits(lambdas, splits, errors)
