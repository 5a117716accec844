r"""Comparing penalties on simulated problems: tuned fits, their exact risk, their selected features.

Chapter 7 tests claims such as "L2 usually predicts better than L1" on many
simulated problems. Each problem needs the same four steps, collected here:

* :func:`cross_validated_fit` tunes :math:`\lambda` of one penalty of the
  elastic-net family by k-fold cross-validation and refits on all the data.
  It minimises, for the chosen :math:`\lambda`, the course objective

  .. math::

      J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
                + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

  with :math:`\alpha = 0` ridge, :math:`\alpha = 1` the lasso, in between the
  elastic net (scikit-learn's ``RidgeCV``/``LassoCV``/``ElasticNetCV`` on the
  same folds and grid). :func:`default_lambdas` gives every penalty a grid of
  the same resolution (points per decade); ridge is cross-validated in closed
  form by :func:`ridge_validation_curve` (one SVD per fold for the whole grid).
* :func:`expected_test_mse` is the exact prediction risk of a fitted linear
  model when the inputs are Gaussian with a known covariance, so no test set
  (and no test-set noise) is needed; :func:`ar1_covariance` is the covariance
  of :func:`lecture_code.data.make_regression`.
* :func:`support_precision_recall` scores a selected set of features against
  the true support; :func:`jaccard_index` and :func:`selection_stability`
  measure how much a selection changes under bootstrap resampling.
* :func:`noise_for_snr` sets the noise level of :func:`lecture_code.data.make_regression`
  for a given signal-to-noise ratio.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_lambdas, check_real, check_seed, check_Xy
from .data import RegressionData
from .model_selection import ValidationCurve, _errors_over_splits, k_fold_splits, path_validation_curve
from .solvers import enet_path, ridge

__all__ = ["CVFit", "PenaltyComparison", "ar1_covariance", "compare_penalties", "cross_validated_fit",
           "default_lambdas", "expected_test_mse", "jaccard_index", "mean_pairwise_jaccard", "noise_for_snr",
           "ridge_validation_curve", "selection_stability", "support_precision_recall"]


_BLAS_CONTROLLER = None


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """A context in which numpy's BLAS runs on one thread; the previous setting is restored on exit.

    The problems compared here are small (a few hundred rows), and a threaded BLAS gains nothing on
    them; on a machine with more busy threads than cores it loses a great deal: each small SVD
    waits for a sleeping helper thread, and was measured up to a hundred times slower than on one
    thread. Without ``threadpoolctl`` (installed with scikit-learn) this is a no-op.
    """
    global _BLAS_CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:                                     # pragma: no cover - threadpoolctl ships with scikit-learn
        return contextlib.nullcontext()
    if _BLAS_CONTROLLER is None:
        _BLAS_CONTROLLER = ThreadpoolController()           # created after numpy is loaded, so it sees its BLAS
    return _BLAS_CONTROLLER.limit(limits=1, user_api="blas")


def ar1_covariance(p: int, rho: float) -> np.ndarray:
    r"""The covariance :math:`\Sigma_{jk} = \rho^{|j-k|}` of the features of :func:`~lecture_code.data.make_regression`.

    Parameters
    ----------
    p : int
        Number of features (at least 1).
    rho : float
        Correlation of neighbouring features, :math:`-1 < \rho < 1`.

    Returns
    -------
    ndarray of shape (p, p)
    """
    p = check_int(p, "p", low=1)
    rho = check_real(rho, "rho", low=-1.0, high=1.0, low_open=True, high_open=True)
    j = np.arange(p)
    return rho ** np.abs(j[:, None] - j[None, :]).astype(float)


def expected_test_mse(coef, intercept: float, coef_true, intercept_true: float, cov, noise: float) -> float:
    r"""Exact expected squared error of :math:`\hat y = x^\top w + b` on a new point.

    For a new input :math:`x \sim N(0, \Sigma)` and target
    :math:`y = x^\top w^\star + b^\star + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2)`
    independent of :math:`x`,

    .. math::

        \mathbb E\,(y - x^\top w - b)^2 = \sigma^2 + (w - w^\star)^\top \Sigma\, (w - w^\star) + (b - b^\star)^2 ,

    because :math:`x` has mean zero (the cross terms vanish). The first term is
    the error of the oracle that knows :math:`w^\star, b^\star`; the rest is the
    *excess* risk of the fit. Dividing by :math:`\sigma^2` gives the risk
    relative to the oracle (1 is perfect).

    Parameters
    ----------
    coef, coef_true : array_like of shape (p,)
        Fitted :math:`w` and true :math:`w^\star`.
    intercept, intercept_true : float
        Fitted :math:`b` and true :math:`b^\star`.
    cov : array_like of shape (p, p)
        Covariance :math:`\Sigma` of the inputs (symmetric positive semi-definite).
    noise : float
        Noise standard deviation :math:`\sigma \ge 0`.

    Returns
    -------
    float
    """
    coef = as_float_array(coef, "coef", ndim=1)
    coef_true = as_float_array(coef_true, "coef_true", ndim=1)
    if coef_true.shape != coef.shape:
        raise ValueError(f"coef_true must have the shape of coef {coef.shape}, got {coef_true.shape}")
    cov = as_float_array(cov, "cov", ndim=2)
    if cov.shape != (coef.size, coef.size):
        raise ValueError(f"cov must have shape {(coef.size, coef.size)}, got {cov.shape}")
    intercept = check_real(intercept, "intercept")
    intercept_true = check_real(intercept_true, "intercept_true")
    noise = check_real(noise, "noise", low=0.0)
    e = coef - coef_true
    return float(noise**2 + e @ cov @ e + (intercept - intercept_true) ** 2)


def default_lambdas(X, y, alpha: float, *, per_decade: int = 5, decades: int = 4) -> np.ndarray:
    r"""A decreasing geometric grid of :math:`\lambda` with ``per_decade`` points per decade, for any :math:`\alpha`.

    Every penalty gets the same resolution, so that a comparison between
    penalties is not a comparison between grids. Each grid reaches the limit of
    its penalty at the top:

    * :math:`\alpha > 0`: from :math:`\lambda_{\max} = \lVert X_c^\top y_c\rVert_\infty/(n\alpha)`,
      where every weight is exactly zero (the null model; a larger :math:`\lambda`
      gives the same fit), down ``decades`` decades, to
      :math:`10^{-\text{decades}}\lambda_{\max}`; ``decades * per_decade + 1`` points
      (the grid of :func:`~lecture_code.solvers.enet_path` with ``eps`` :math:`= 10^{-\text{decades}}`).
    * :math:`\alpha = 0` (ridge): no finite :math:`\lambda` sets every weight to
      zero, so the grid is placed on the scale of the data. With :math:`d_1` the
      largest singular value of :math:`X_c` and :math:`s = d_1^2/n`, ridge shrinks
      the fit along the principal direction :math:`j` by the factor
      :math:`d_j^2/(d_j^2 + n\lambda) \le 1/(1 + \lambda/s)`, so the grid runs from
      :math:`10^{\text{decades}}\,s` (every direction shrunk at least
      :math:`10^{\text{decades}}`-fold: the null model to that precision) down to
      :math:`10^{-\text{decades}}\,s`; ``2 * decades * per_decade + 1`` points.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alpha : float
        :math:`\alpha \in [0, 1]`.
    per_decade : int, default 5
        Grid points per decade (at least 1): consecutive values differ by the factor
        :math:`10^{1/\text{per\_decade}}`.
    decades : int, default 4
        Depth of the grid below its top for :math:`\alpha > 0`, and on each side of :math:`s` for ridge (at least 1).

    Returns
    -------
    ndarray, decreasing
    """
    X, y = check_Xy(X, y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    per_decade = check_int(per_decade, "per_decade", low=1)
    decades = check_int(decades, "decades", low=1)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = X.shape[0]
    if alpha > 0:
        top, steps = float(np.abs(Xc.T @ yc).max()) / (n * alpha), decades * per_decade
    else:
        with _one_blas_thread():
            top = 10.0**decades * float(np.linalg.norm(Xc, 2)) ** 2 / n
        steps = 2 * decades * per_decade
    if top <= 0:
        raise ValueError("X and y carry no signal to scale the grid (X_c^T y_c = 0 or X_c = 0); pass lambdas")
    return top * 10.0 ** (-np.arange(steps + 1) / per_decade)


def ridge_validation_curve(X, y, lambdas, splits: Sequence[tuple[np.ndarray, np.ndarray]]) -> ValidationCurve:
    r"""Cross-validate ridge over a whole grid of :math:`\lambda` in closed form: one SVD per split.

    On each training part (centred: :math:`X_c`, :math:`y_c`, with means
    :math:`\bar x`, :math:`\bar y`, and :math:`n_t` rows) the thin SVD
    :math:`X_c = U D V^\top` gives the ridge solution of the course objective for
    every :math:`\lambda` at once,

    .. math::

        w(\lambda) = (X_c^\top X_c + n_t\lambda I)^{-1} X_c^\top y_c
                   = V\,\mathrm{diag}\!\Big(\frac{d_i}{d_i^2 + n_t\lambda}\Big)\,U^\top y_c ,
        \qquad b(\lambda) = \bar y - \bar x^\top w(\lambda),

    a :math:`p \times m` matrix of weights from one product, where refitting would
    solve :math:`m` linear systems. Both parts are then scored by their mean
    squared error. The result equals
    :func:`~lecture_code.model_selection.path_validation_curve` with ``alpha=0``
    (and scikit-learn's ``Ridge(alpha=n_t·λ)`` refitted on each part) to rounding.
    BLAS runs on one thread meanwhile (these matrices are small, and a threaded
    BLAS on a busy machine makes each small SVD far slower).

    Parameters
    ----------
    X, y, lambdas, splits
        As for :func:`~lecture_code.model_selection.path_validation_curve`, with every :math:`\lambda > 0`.

    Returns
    -------
    ValidationCurve
        ``params`` is the grid in decreasing order.
    """
    X, y = check_Xy(X, y)
    lambdas = np.sort(check_lambdas(lambdas))[::-1]

    def errors(tr, va):
        tr, va = np.asarray(tr), np.asarray(va)
        if tr.size == 0 or va.size == 0:
            raise ValueError("every split needs a non-empty training and validation part")
        x_mean, y_mean = X[tr].mean(axis=0), y[tr].mean()
        U, d, Vt = np.linalg.svd(X[tr] - x_mean, full_matrices=False)
        shrink = d[:, None] / (d[:, None] ** 2 + tr.size * lambdas[None, :])
        W = Vt.T @ (shrink * (U.T @ (y[tr] - y_mean))[:, None])                     # (p, m), one column per lambda
        return (np.mean((y[tr, None] - y_mean - (X[tr] - x_mean) @ W) ** 2, axis=0),
                np.mean((y[va, None] - y_mean - (X[va] - x_mean) @ W) ** 2, axis=0))

    with _one_blas_thread():
        return _errors_over_splits(lambdas, splits, errors)


@dataclass(frozen=True)
class CVFit:
    r"""A penalised fit whose :math:`\lambda` was chosen by k-fold cross-validation.

    Attributes
    ----------
    alpha : float
        The mixing parameter :math:`\alpha` (0 ridge, 1 lasso).
    curve : ValidationCurve
        Training and validation errors of every fold over the grid, from
        :func:`~lecture_code.model_selection.path_validation_curve` (or, for ridge,
        :func:`ridge_validation_curve`); ``curve.params`` is the grid, decreasing.
    coef : ndarray of shape (p,)
        Weights refitted on all the data at the chosen :math:`\lambda`.
    intercept : float
    """

    alpha: float
    curve: ValidationCurve
    coef: np.ndarray
    intercept: float

    @property
    def lambdas(self) -> np.ndarray:
        """The grid, decreasing."""
        return self.curve.params

    @property
    def cv_errors(self) -> np.ndarray:
        """Validation mean squared error of fold ``i`` (row) at ``lambdas[j]`` (column)."""
        return self.curve.val_errors

    @property
    def best_index(self) -> int:
        """Index of the smallest mean validation error (the largest :math:`\\lambda` on ties)."""
        return self.curve.best_index

    @property
    def lam(self) -> float:
        """The chosen :math:`\\lambda`."""
        return float(self.lambdas[self.best_index])

    @property
    def cv_mean(self) -> np.ndarray:
        """Mean validation error over the folds, per :math:`\\lambda`."""
        return self.curve.mean_val

    @property
    def support(self) -> np.ndarray:
        """Indices of the non-zero refitted weights (the selected features)."""
        return np.flatnonzero(self.coef)

    def predict(self, X) -> np.ndarray:
        """Return :math:`\\hat y = Xw + b`."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.coef.size:
            raise ValueError(f"X must have {self.coef.size} columns, got {X.shape[1]}")
        return X @ self.coef + self.intercept


def cross_validated_fit(X, y, alpha: float, *, lambdas=None, per_decade: int = 5, decades: int = 4, k: int = 5,
                        seed=0, tol: float = 1e-4) -> CVFit:
    r"""Choose :math:`\lambda` by k-fold cross-validation, then refit on all the data.

    For the lasso and the elastic net (:math:`\alpha > 0`), the whole path over
    the grid is computed on the other folds with
    :func:`~lecture_code.solvers.enet_path` (warm starts) and scored on the
    fold, by :func:`~lecture_code.model_selection.path_validation_curve`; for
    ridge (:math:`\alpha = 0`), one SVD per fold gives the whole grid in closed
    form (:func:`ridge_validation_curve`). The :math:`\lambda` with the smallest
    mean validation error wins (the first, i.e. the largest, on ties). The
    refit on all the data runs the path from the top of the grid down to it
    (warm starts again), or, for ridge, solves in closed form
    (:func:`~lecture_code.solvers.ridge`). BLAS runs on one thread meanwhile:
    the problems are small, and a threaded BLAS on a busy machine only slows them.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alpha : float
        :math:`\alpha \in [0, 1]`: 0 ridge, 1 lasso.
    lambdas : array_like of shape (m,), optional
        The grid (all > 0). Default :func:`default_lambdas` with ``per_decade`` and ``decades``.
    per_decade : int, default 5
    decades : int, default 4
    k : int, default 5
        Number of folds (:func:`~lecture_code.model_selection.k_fold_splits`).
    seed : int or numpy.random.Generator, default 0
        Seed of the fold assignment.
    tol : float, default 1e-4
        Relative duality gap of every path solution for :math:`\alpha > 0` (loose is enough to rank
        :math:`\lambda`; ridge is exact).

    Returns
    -------
    CVFit
    """
    X, y = check_Xy(X, y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    if lambdas is None:
        lambdas = default_lambdas(X, y, alpha, per_decade=per_decade, decades=decades)
    else:
        lambdas = check_lambdas(lambdas)
    splits = k_fold_splits(X.shape[0], k, seed=seed)
    with _one_blas_thread():
        if alpha == 0:
            curve = ridge_validation_curve(X, y, lambdas, splits)
            refit = ridge(X, y, float(curve.params[curve.best_index]))
            return CVFit(alpha=alpha, curve=curve, coef=refit.coef, intercept=float(refit.intercept))
        curve = path_validation_curve(X, y, lambdas, splits, alpha=alpha, tol=tol)
        grid, best = curve.params, curve.best_index
        refit = enet_path(X, y, alpha, lambdas=grid[:best + 1], tol=tol)
    return CVFit(alpha=alpha, curve=curve, coef=refit.coefs[:, -1].copy(), intercept=float(refit.intercepts[-1]))


@dataclass(frozen=True)
class PenaltyComparison:
    r"""Several cross-validated penalties fitted to one simulated problem, scored against the truth.

    Attributes
    ----------
    alphas : tuple of float
        The mixing parameters compared (0 ridge, 1 lasso).
    fits : tuple of CVFit
        One cross-validated fit per entry of ``alphas``.
    relative_risk : ndarray of shape (len(alphas),)
        :func:`expected_test_mse` divided by :math:`\sigma^2`: 1 is the oracle.
    precision, recall : ndarray of shape (len(alphas),)
        :func:`support_precision_recall` of each fit's non-zero weights.
    """

    alphas: tuple
    fits: tuple
    relative_risk: np.ndarray
    precision: np.ndarray
    recall: np.ndarray


def compare_penalties(data: RegressionData, cov, *, alphas: Sequence[float] = (0.0, 1.0, 0.5), k: int = 5, seed=0,
                      per_decade: int = 5, decades: int = 4) -> PenaltyComparison:
    r"""Tune each penalty by cross-validation on ``data`` and score it by its exact risk and its selected features.

    Parameters
    ----------
    data : RegressionData
        A problem from :func:`lecture_code.data.make_regression`; it carries the truth
        :math:`w^\star`, :math:`b^\star` and :math:`\sigma`.
    cov : array_like of shape (p, p)
        The covariance of the inputs (:func:`ar1_covariance` for ``make_regression``).
    alphas : sequence of float, default (0.0, 1.0, 0.5)
        The penalties: ridge, lasso, elastic net with :math:`\alpha = 1/2`.
    k : int, default 5
        Folds.
    seed : int, default 0
        Seed of the folds (the same folds for every penalty: a paired comparison).
    per_decade, decades : int, default 5 and 4
        The grids (:func:`default_lambdas`): the same resolution for every penalty.

    Returns
    -------
    PenaltyComparison
    """
    if not isinstance(data, RegressionData):
        raise TypeError(f"data must be a RegressionData (from make_regression), got {type(data).__name__}")
    if data.noise <= 0:
        raise ValueError("data.noise must be > 0: the risk is reported relative to the noise variance")
    alphas = tuple(check_real(a, "alphas", low=0.0, high=1.0) for a in alphas)
    if not alphas:
        raise ValueError("alphas must not be empty")
    fits = tuple(cross_validated_fit(data.X, data.y, a, k=k, seed=seed, per_decade=per_decade, decades=decades)
                 for a in alphas)
    risk = np.array([expected_test_mse(f.coef, f.intercept, data.coef, data.intercept, cov, data.noise)
                     for f in fits]) / data.noise**2
    scores = np.array([support_precision_recall(f.support, data.support) for f in fits])
    return PenaltyComparison(alphas=alphas, fits=fits, relative_risk=risk, precision=scores[:, 0], recall=scores[:, 1])


def _as_index_set(support, name: str) -> set[int]:
    arr = np.asarray(support)
    if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
        raise TypeError(f"{name} must be a 1-D array of integer feature indices, got dtype {arr.dtype} "
                        f"and shape {arr.shape}")
    return {int(j) for j in arr}


def support_precision_recall(selected, true_support) -> tuple[float, float]:
    r"""Precision and recall of a selected set of features against the true support.

    With :math:`S` the selected and :math:`S^\star` the relevant features,

    .. math::

        \text{precision} = \frac{|S \cap S^\star|}{|S|}, \qquad
        \text{recall} = \frac{|S \cap S^\star|}{|S^\star|} .

    A model that keeps every feature (ridge) has recall 1 and precision
    :math:`|S^\star|/p`. By the convention of the false discovery rate, an empty
    selection has precision 1 (it makes no false discovery); an empty true
    support gives recall 1.

    Parameters
    ----------
    selected, true_support : array_like of int
        Feature indices (e.g. ``np.flatnonzero(coef)``).

    Returns
    -------
    precision, recall : float
    """
    s = _as_index_set(selected, "selected")
    t = _as_index_set(true_support, "true_support")
    hits = len(s & t)
    precision = hits / len(s) if s else 1.0
    recall = hits / len(t) if t else 1.0
    return precision, recall


def jaccard_index(a, b) -> float:
    r"""Jaccard index :math:`|A \cap B| / |A \cup B|` of two sets of feature indices (1 if both are empty)."""
    a, b = _as_index_set(a, "a"), _as_index_set(b, "b")
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def mean_pairwise_jaccard(supports: Sequence) -> float:
    """Mean :func:`jaccard_index` over all pairs of a list of selected sets (at least two)."""
    if isinstance(supports, (str, bytes)) or len(supports) < 2:
        raise ValueError("supports must be a sequence of at least two selected sets")
    m = len(supports)
    values = [jaccard_index(supports[i], supports[j]) for i in range(m) for j in range(i + 1, m)]
    return float(np.mean(values))


def selection_stability(X, y, alpha: float, lam: float, *, n_resamples: int = 20, seed=0,
                        tol: float = 1e-6) -> tuple[list[np.ndarray], float]:
    r"""Selected features over bootstrap resamples at a fixed :math:`\lambda`, and their mean pairwise Jaccard index.

    Each resample draws :math:`n` rows with replacement, fits the penalty
    :math:`\lambda(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2)` and
    records the non-zero weights. A mean Jaccard index of 1 means every
    resample selects the same set.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alpha : float
        :math:`\alpha \in (0, 1]` (ridge, :math:`\alpha = 0`, selects everything).
    lam : float
        :math:`\lambda > 0`.
    n_resamples : int, default 20
        At least 2.
    seed : int or numpy.random.Generator, default 0
    tol : float, default 1e-6

    Returns
    -------
    supports : list of ndarray
        The selected indices of each resample.
    stability : float
        :func:`mean_pairwise_jaccard` of ``supports``.
    """
    X, y = check_Xy(X, y)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    n_resamples = check_int(n_resamples, "n_resamples", low=2)
    rng = check_seed(seed)
    n = X.shape[0]
    supports = []
    for _ in range(n_resamples):
        rows = rng.integers(0, n, size=n)
        path = enet_path(X[rows], y[rows], alpha, lambdas=[lam], tol=tol)
        supports.append(np.flatnonzero(path.coefs[:, 0]))
    return supports, mean_pairwise_jaccard(supports)


def noise_for_snr(n_informative: int, snr: float) -> float:
    r"""Noise level :math:`\sigma` at which :func:`lecture_code.data.make_regression` has a given signal-to-noise ratio.

    Its ``n_informative`` true weights have magnitudes uniform on :math:`[1, 3]`, so
    :math:`E\lVert w^\star\rVert^2 = k \cdot E[w^2] = k \cdot \tfrac{13}{3}`; with standardised
    independent features the signal variance is :math:`\lVert w^\star\rVert^2`, and
    :math:`\sigma = \sqrt{13k / (3\,\mathrm{snr})}` gives :math:`E\lVert w^\star\rVert^2/\sigma^2 = \mathrm{snr}`.

    Parameters
    ----------
    n_informative : int
        :math:`k \ge 1`.
    snr : float
        The ratio, :math:`> 0`.
    """
    n_informative = check_int(n_informative, "n_informative", low=1)
    snr = check_real(snr, "snr", low=0.0, low_open=True)
    return float(np.sqrt(13.0 / 3.0 * n_informative / snr))
