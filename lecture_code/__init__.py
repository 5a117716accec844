"""lecture_code: the algorithms, data, plots and explorers of the course.

Every chapter of the book imports this package; it is the single source of the
course's algorithms. The objective all solvers share, in the course notation:

    J(w, b) = 1/(2n) ||y - Xw - b||^2 + lambda * (alpha ||w||_1 + (1 - alpha)/2 ||w||_2^2)

The package map, in reading order (each name is a file or folder under ``lecture_code/``):

- data: ``data`` (seeded regression data), ``grouped_data`` (correlated groups),
  ``datasets2d`` (two-dimensional classification sets), ``real_data``, ``features``
  (polynomial features, standardisation);
- numerics: ``penalties`` (values, subgradients, proximal operators), ``nonconvex`` (SCAD and MCP),
  ``solvers/`` (one family per module: closed forms, gradient and proximal methods, coordinate
  descent, certificates, paths, LARS, screening, group lasso, logistic, many responses; the path
  engine apart, as engineering), ``constrained`` (the norm-ball forms), ``shrinkage`` (SVD view of
  ridge), ``dynamics`` (one-weight update rules), ``polynomial`` (the running example),
  ``nn/`` (a small network from scratch: functions, mlp, train; the stacked trainer apart);
- statistics (chapter 8): ``bayes``, ``ridge_risk``, ``ridge_cv``, ``degrees_of_freedom``,
  ``selection``, ``early_stopping``, ``bias_variance``;
- experiments: ``model_selection`` (splits, cross-validation), ``comparison`` (tuned
  penalties compared), ``experiments`` (multi-seed network runs);
- presentation: ``plots`` (one figure style), ``explorers/`` (the mechanism in ``explorer.py``,
  then one module per chapter), ``checks/`` (students' self-checks).

Import rule: importing lecture_code imports the numerics only, never matplotlib or ipywidgets,
and nothing from book/ or tests/.
"""

from .exceptions import ConvergenceWarning
from .penalties import (elastic_net, elastic_net_subgradient, l1, l1_subdifferential, l1_subgradient, l2,
                        l2_gradient, prox_elastic_net, soft_threshold)
from .solvers import (FitResult, PathResult, coordinate_descent, duality_gap, enet_path, fista, gradient_descent,
                      ista, kkt_violation, lasso_path, least_squares, ridge, subgradient_descent)

__all__ = [
    "ConvergenceWarning",
    "FitResult",
    "PathResult",
    "coordinate_descent",
    "duality_gap",
    "elastic_net",
    "elastic_net_subgradient",
    "enet_path",
    "fista",
    "gradient_descent",
    "ista",
    "kkt_violation",
    "l1",
    "l1_subdifferential",
    "l1_subgradient",
    "l2",
    "l2_gradient",
    "lasso_path",
    "least_squares",
    "prox_elastic_net",
    "ridge",
    "soft_threshold",
    "subgradient_descent",
]
__version__ = "0.1.0"
