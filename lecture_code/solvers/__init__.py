r"""The course's solvers, one family per module (read them in this order).

Every solver minimises, in the course notation,

.. math::

    J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
              + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big),

with :math:`\lambda \ge 0`, :math:`\alpha \in [0, 1]` and the bias :math:`b`
never penalised. With ``fit_intercept=True`` the bias is fitted by centring
``X`` and ``y``; then :math:`b = \bar y - \bar x^\top w`.

In scikit-learn's terms: ``Lasso(alpha=λ)`` is :math:`\alpha = 1`,
``ElasticNet(alpha=λ, l1_ratio=α)`` the general case and ``Ridge(alpha=n·λ)``
:math:`\alpha = 0` (Ridge puts no :math:`1/n` in front of its loss).

**The arguments every solver shares**, described here once: ``X`` (array_like of shape (n, p)) and ``y``
(array_like of shape (n,)) are the data; ``lam`` is :math:`\lambda \ge 0` and ``alpha`` is
:math:`\alpha \in [0, 1]` (default 1, the lasso); ``fit_intercept`` (default True) fits the bias by
centring; ``tol`` is the stopping rule below and ``max_iter`` the number of iterations allowed. A solver's
docstring refers here for them (or to a solver that takes the same ones) and describes its own arguments in full.

**One stopping rule for every iterative solver.** For :math:`\lambda > 0` a
solver stops when the duality gap (see :func:`duality_gap`), an upper bound
on :math:`J(w, b) - \min J`, satisfies

.. math::

    P(w) - D(\theta) \le \mathrm{tol}\cdot J(0),
    \qquad J(0) = \tfrac{1}{2n}\lVert y - \bar y\rVert^2

(the objective at :math:`w = 0` with the intercept fitted), so ``tol`` means
the same thing for every solver and every data scale. At :math:`\lambda = 0`
(plain least squares) the dual has no usable feasible point and no gap
exists; the solvers then stop when the relative gradient norm
:math:`\lVert X^\top r\rVert_\infty / \lVert X^\top y\rVert_\infty` (centred data)
is at most ``tol``. The paths require :math:`\lambda > 0`. When ``max_iter``
comes first a :class:`~lecture_code.ConvergenceWarning` states the measure
reached.

The modules, in reading order (``lecture_code/solvers/<name>.py``):

- ``results``: :class:`FitResult`, :class:`PathResult`, what every solver returns;
- ``closed_form``: :func:`least_squares`, :func:`ridge`;
- ``gradient``: :func:`gradient_descent` (weight decay), :func:`subgradient_descent`;
- ``proximal``: :func:`ista`, :func:`fista`;
- ``coordinate_descent``: :func:`coordinate_descent`;
- ``certificates``: :func:`duality_gap`, :func:`kkt_violation`;
- ``paths``: :func:`enet_path`, :func:`lasso_path` (warm starts along a grid of :math:`\lambda`);
- ``lars``: :func:`lars_path` (the exact lasso path, knot by knot);
- ``screening``: strong and gap-safe rules, :func:`screened_lasso_path`;
- ``group_lasso``, ``logistic``, ``nonconvex`` (SCAD and MCP regression), ``many_responses``
  (many problems on one design at once).

Engineering, not course material: ``_problem`` (the helpers the teaching solvers share: centring,
the gap, the stopping rule), ``_path_engine`` and ``_gram_rows`` (the active-set Newton method and
the Gram-row cache that make the paths fast).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from .certificates import duality_gap, kkt_violation
from .closed_form import least_squares, ridge
from .coordinate_descent import coordinate_descent
from .gradient import gradient_descent, subgradient_descent
from .group_lasso import group_lasso, group_lasso_lambda_max, group_lasso_path, group_penalty, prox_group_lasso
from .lars import LarsPath, lars_path
from .logistic import logistic_lambda_max, logistic_path, logistic_regression
from .many_responses import lasso_many, lasso_many_cv, ridge_many
from .nonconvex import nonconvex_regression
from .paths import enet_path, lasso_path
from .proximal import fista, ista
from .results import FitResult, PathResult
from .screening import gap_safe_rule, screened_lasso_path, strong_rule

__all__ = [
    "FitResult",
    "LarsPath",
    "PathResult",
    "coordinate_descent",
    "duality_gap",
    "enet_path",
    "fista",
    "gap_safe_rule",
    "gradient_descent",
    "group_lasso",
    "group_lasso_lambda_max",
    "group_lasso_path",
    "group_penalty",
    "ista",
    "kkt_violation",
    "lars_path",
    "lasso_many",
    "lasso_many_cv",
    "lasso_path",
    "least_squares",
    "logistic_lambda_max",
    "logistic_path",
    "logistic_regression",
    "nonconvex_regression",
    "prox_group_lasso",
    "ridge",
    "ridge_many",
    "screened_lasso_path",
    "strong_rule",
    "subgradient_descent",
]
