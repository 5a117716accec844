"""lecture_code: the algorithms, data, plots and explorers of the course.

Every chapter of the book imports this package; it is the single source of the
course's algorithms. The objective all solvers share, in the course notation:

    J(w, b) = 1/(2n) ||y - Xw - b||^2 + lambda * (alpha ||w||_1 + (1 - alpha)/2 ||w||_2^2)

Modules, one purpose each:

- data: ``data`` (seeded regression data), ``grouped_data`` (correlated groups),
  ``datasets2d`` (two-dimensional classification sets), ``features``
  (polynomial features, standardisation);
- numerics: ``penalties`` (values, subgradients, proximal operators),
  ``solvers`` (ridge, gradient and subgradient descent, ISTA/FISTA, coordinate
  descent, paths, duality gaps), ``constrained`` (the norm-ball forms),
  ``shrinkage`` (SVD view of ridge), ``dynamics`` (one-weight update rules),
  ``polynomial`` (the running example), ``nn`` (a small network from scratch);
- experiments: ``model_selection`` (splits, cross-validation),
  ``bias_variance`` (Monte-Carlo decomposition), ``comparison`` (tuned
  penalties compared), ``experiments`` (multi-seed network runs);
- presentation: ``plots`` (one figure style), ``widgets`` (explorers that also
  work without a kernel), ``checks`` (students' self-checks).
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
