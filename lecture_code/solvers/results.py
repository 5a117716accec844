r"""What the solvers return: :class:`FitResult` (one fit) and :class:`PathResult` (a path).

:class:`_FoldErrors` gives every cross-validation result of the package (``ManyCV`` here,
``lecture_code.model_selection.ValidationCurve``) its cross-validation estimate.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FitResult", "PathResult"]


class _FoldErrors:
    """A cross-validation result whose ``val_errors`` has one row per fold (axis 0), then the grid."""

    @property
    def mean_val(self) -> np.ndarray:
        """Validation error averaged over the folds: the cross-validation estimate at every grid point."""
        return self.val_errors.mean(axis=0)


@dataclass(frozen=True)
class FitResult:
    """What a solver returns.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        The weights :math:`w`.
    intercept : float
        The bias :math:`b` (0 when ``fit_intercept=False``).
    n_iter : int
        Iterations performed (0 for closed forms).
    gap : float
        The optimality measure reached: for :math:`\\lambda > 0` the relative
        duality gap :math:`(P - D)/J(0)`, the quantity compared with ``tol``;
        at :math:`\\lambda = 0` the relative gradient norm (0 for ``least_squares``).
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    history : ndarray
        The objective :math:`J` at the starting point and after each
        iteration (length ``n_iter + 1``; empty for closed forms), for
        convergence plots.
    """

    coef: np.ndarray
    intercept: float
    n_iter: int = 0
    gap: float = 0.0
    converged: bool = True
    history: np.ndarray = field(default_factory=lambda: np.empty(0))

    def predict(self, X) -> np.ndarray:
        """Return :math:`\\hat y = Xw + b` for a design matrix ``X`` of shape (m, p)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.shape[0]:
            raise ValueError(f"X must be 2-D with {self.coef.shape[0]} columns, got shape {X.shape}")
        return X @ self.coef + self.intercept


@dataclass(frozen=True)
class PathResult:
    """What :func:`lasso_path` and :func:`enet_path` return.

    Attributes
    ----------
    lambdas : ndarray of shape (k,)
        The penalty strengths, in decreasing order.
    coefs : ndarray of shape (p, k)
        ``coefs[:, i]`` are the weights at ``lambdas[i]``.
    intercepts : ndarray of shape (k,)
    gaps : ndarray of shape (k,)
        Relative duality gap :math:`(P - D)/J(0)` reached at each :math:`\\lambda`.
    n_iter : ndarray of shape (k,)
        Inner iterations spent at each :math:`\\lambda`.
    alpha : float
        The mixing parameter :math:`\\alpha` of the path.
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray
    n_iter: np.ndarray
    alpha: float
