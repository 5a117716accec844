"""The chapters' explorers: a slider joined to a computation and a figure, one module per chapter.

Read ``explorer.py`` first: :class:`Explorer` (a live ipywidgets slider in Jupyter, a kernel-free HTML
slider over pre-rendered frames on the site) and :func:`live_widgets_enabled`. Then each chapter's
module holds the explorers that chapter shows: ``ch01_overfitting``, ``ch02_l2_regularization``,
``ch03_l1_regularization``, ``ch04_subgradients``, ``ch05_soft_thresholding``, ``ch06_elastic_net``,
``ch07_l1_vs_l2``, ``ch08_statistics``, ``ch09_algorithms``, ``ch10_neural_networks``,
``ch11_study_questions``. Every one is re-exported here.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this package but the notebooks, and it imports nothing from book/ or tests/.
"""

from .ch01_overfitting import polynomial_degree_explorer, polynomial_lambda_explorer
from .ch02_l2_regularization import ridge_polynomial_explorer
from .ch03_l1_regularization import constraint_geometry_explorer
from .ch04_subgradients import PENALTY_RULES, penalty_step_explorer
from .ch05_soft_thresholding import lasso_path_explorer
from .ch06_elastic_net import elastic_net_explorer
from .ch07_l1_vs_l2 import l1_vs_l2_explorer
from .ch08_statistics import posterior_explorer
from .ch09_algorithms import lars_segment_explorer, lars_segments
from .ch10_neural_networks import penalty_boundary_explorer
from .ch11_study_questions import (bias_variance_explorer, gradient_depth_explorer, layer_gradient_norms,
                                   learning_rate_explorer)
from .explorer import SITE_BUILD_VARIABLE, Explorer, live_widgets_enabled

__all__ = [
    "PENALTY_RULES",
    "SITE_BUILD_VARIABLE",
    "Explorer",
    "bias_variance_explorer",
    "constraint_geometry_explorer",
    "elastic_net_explorer",
    "gradient_depth_explorer",
    "l1_vs_l2_explorer",
    "lars_segment_explorer",
    "lars_segments",
    "lasso_path_explorer",
    "layer_gradient_norms",
    "learning_rate_explorer",
    "live_widgets_enabled",
    "penalty_boundary_explorer",
    "penalty_step_explorer",
    "polynomial_degree_explorer",
    "polynomial_lambda_explorer",
    "posterior_explorer",
    "ridge_polynomial_explorer",
]
