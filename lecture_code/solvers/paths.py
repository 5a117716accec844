r"""Regularisation paths: :func:`enet_path` and :func:`lasso_path`, warm-started along a grid of :math:`\lambda`.

What a student reads here is the grid (:math:`\lambda_{\max}` from the KKT condition at
:math:`w = 0`), the ridge path in closed form and the result; the solve at each :math:`\lambda` is done
by the path engine, :mod:`lecture_code.solvers._path_engine`, which is engineering documented as such.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_real, check_Xy
from ..exceptions import ConvergenceWarning
from ._path_engine import _solve_path
from ._problem import _centre, _exact_gap
from .closed_form import _ridge_coefs
from .results import PathResult

__all__ = ["enet_path", "lasso_path"]


def _check_path_inputs(X, y, n_lambdas, eps, fit_intercept, tol, max_iter):
    """What every path of the package takes: the data, the grid's size and ratio, the intercept, ``tol``, ``max_iter``."""
    X, y = check_Xy(X, y)
    return (X, y, check_int(n_lambdas, "n_lambdas", low=1), check_real(eps, "eps", low=0.0, high=1.0, low_open=True),
            check_bool(fit_intercept, "fit_intercept"), check_real(tol, "tol", low=0.0, low_open=True),
            check_int(max_iter, "max_iter", low=1))


def _given_grid(lambdas, hint: str = "") -> np.ndarray:
    """A grid the caller gives: every strength > 0, sorted into decreasing order."""
    lambdas = as_float_array(lambdas, "lambdas", ndim=1)
    if np.any(lambdas <= 0):
        raise ValueError(f"lambdas must all be > 0{hint}")
    return np.sort(lambdas)[::-1]


def _default_grid(lam_max: float, eps: float, n_lambdas: int) -> np.ndarray:
    r"""``geomspace(λ_max, eps·λ_max, n_lambdas)``, or from 1 when :math:`\lambda_{\max} = 0` (all weights are 0)."""
    return np.geomspace(lam_max, eps * lam_max, n_lambdas) if lam_max > 0 else np.geomspace(1.0, eps, n_lambdas)


def _warn_unconverged(path: str, measures: np.ndarray, tol: float, max_iter: int,
                      measure: str = "relative duality gap") -> None:
    """The one warning of a path whose solves at some strengths ran out of iterations before ``tol``."""
    failed = measures > tol
    if failed.any():
        warnings.warn(f"{path}: {failed.sum()} of {measures.size} lambdas reached max_iter={max_iter}; largest "
                      f"{measure} {measures.max():.3g} > tol={tol:.3g}", ConvergenceWarning, stacklevel=3)


def _check_path_args(X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter):
    X, y, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_inputs(X, y, n_lambdas, eps, fit_intercept, tol,
                                                                            max_iter)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    if lambdas is not None:
        lambdas = _given_grid(lambdas, " (at lam = 0 use least_squares)")
    elif alpha == 0:
        raise ValueError("alpha must be > 0 when lambdas is None: the ridge path (alpha=0) has no finite "
                         "lam_max where all weights vanish; pass lambdas explicitly")
    return X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter


def enet_path(X, y, alpha: float, lambdas=None, n_lambdas: int = 100, eps: float = 1e-3, *,
              fit_intercept: bool = True, tol: float = 1e-6, max_iter: int = 1_000) -> PathResult:
    r"""The elastic-net regularisation path: solutions for a decreasing grid of :math:`\lambda`.

    For each :math:`\lambda` minimises

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
                  + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big)

    (scikit-learn's ``ElasticNet(alpha=λ, l1_ratio=α)``; its ``enet_path``
    solves the same problem but never centres, so compare on centred data).

    **Grid.** All weights are zero iff :math:`\lVert X^\top y\rVert_\infty/n \le \lambda\alpha`
    (the KKT condition at :math:`w = 0`, centred data), so

    .. math::

        \lambda_{\max} = \frac{\lVert X^\top y\rVert_\infty}{n\alpha}

    exactly, and the default grid is ``geomspace(λ_max, eps·λ_max, n_lambdas)``.
    For :math:`\alpha = 0` (ridge) there is no finite :math:`\lambda_{\max}`:
    ``lambdas`` must then be given (else ``ValueError``) and the path is the
    ridge closed form (one SVD for all :math:`\lambda`). If
    :math:`X^\top y = 0` every weight is zero for every :math:`\lambda` and the
    grid is ``geomspace(1, eps, n_lambdas)``.

    **Solver.** Warm starts along the grid and, at each :math:`\lambda`, a
    primal active-set (sign-guessing Newton) method: the KKT conditions of
    all p features are checked at every face minimiser, using rows of the
    Gram matrix that are computed only for features that enter, and
    violators join the working set; with the signs of the solution known,
    one linear solve gives it exactly. (This replaces strong-rule screening:
    from a warm start the sequential strong rule's candidate set always
    contains the KKT violators, and the full KKT check costs only a
    p × (support size) product.) Before any solve, a guess is tried: for the
    lasso, the exact minimiser of the new J on the face of the last solution
    (its solution is affine in :math:`\lambda`, so this costs no solve),
    otherwise the linear extrapolation of the last two solutions; at a loose
    ``tol`` it is often accepted as it is. At a loose ``tol`` (1e-5 or more)
    and while it works, only every other point of the grid is solved this
    way, and the points in between are first tried as the linear
    interpolation of their neighbours (the lasso path is piecewise linear in
    :math:`\lambda`). Every solution is
    certified by its duality gap (computed from the Gram rows, so without
    another product with X); a :math:`\lambda` where the active-set method
    gives up (degenerate designs) is finished by coordinate descent. The
    machinery that makes this fast (kept inverses of the face systems,
    among others) is documented in ``lecture_code/solvers/_path_engine.py``.

    Parameters
    ----------
    X : array_like of shape (n, p)
    y : array_like of shape (n,)
    alpha : float
        :math:`\alpha \in [0, 1]` (scikit-learn's ``l1_ratio``).
    lambdas : array_like of shape (k,), optional
        The grid, all > 0 (sorted into decreasing order). Default: the geometric grid above.
    n_lambdas : int, default 100
    eps : float, default 1e-3
        :math:`\lambda_{\min}/\lambda_{\max}` for the default grid, in (0, 1].
    fit_intercept : bool, default True
    tol : float, default 1e-6
        Each solution satisfies relative duality gap :math:`\le` ``tol`` (see :mod:`lecture_code.solvers`).
    max_iter : int, default 1000
        Maximum inner iterations (Newton steps plus coordinate-descent passes) per :math:`\lambda`.

    Returns
    -------
    PathResult

    Warns
    -----
    ConvergenceWarning
        When some :math:`\lambda` ran out of iterations, stating the largest gap reached.
    """
    X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter = _check_path_args(
        X, y, alpha, lambdas, n_lambdas, eps, fit_intercept, tol, max_iter)
    prob = _centre(X, y, fit_intercept)
    if lambdas is None:
        lambdas = _default_grid(float(np.abs(prob.X.T @ prob.y).max()) / (prob.n * alpha), eps, n_lambdas)
    k = lambdas.size
    if alpha == 0:
        coefs = _ridge_coefs(prob.X, prob.y, lambdas)
        gaps = np.array([prob.relative(_exact_gap(prob, coefs[:, i], lam, 0.0)[0]) for i, lam in enumerate(lambdas)])
        n_iter = np.zeros(k, dtype=int)
    else:
        coefs, gaps, n_iter = _solve_path(prob, lambdas, alpha, tol, max_iter)
    intercepts = prob.y_mean - prob.x_mean @ coefs
    _warn_unconverged("enet_path", gaps, tol, max_iter)
    return PathResult(lambdas=lambdas, coefs=coefs, intercepts=intercepts, gaps=gaps, n_iter=n_iter, alpha=alpha)


def lasso_path(X, y, lambdas=None, n_lambdas: int = 100, eps: float = 1e-3, *, fit_intercept: bool = True,
               tol: float = 1e-6, max_iter: int = 1_000) -> PathResult:
    r"""The lasso regularisation path: :func:`enet_path` with :math:`\alpha = 1`.

    For each :math:`\lambda` minimises
    :math:`J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2 + \lambda\lVert w\rVert_1`
    (scikit-learn's ``Lasso(alpha=λ)``), on the grid
    ``geomspace(λ_max, eps·λ_max, n_lambdas)`` with
    :math:`\lambda_{\max} = \lVert X^\top y\rVert_\infty/n` (centred data) unless
    ``lambdas`` is given. See :func:`enet_path` for the algorithm, the
    parameters and the result.

    Returns
    -------
    PathResult
    """
    return enet_path(X, y, 1.0, lambdas, n_lambdas, eps, fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
