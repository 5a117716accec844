"""lecture_code: the algorithms, data, plots and explorers of the course.

Every chapter of the book imports this package; it is the single source of the
course's algorithms. The objective all solvers share, in the course notation:

    J(w, b) = 1/(2n) ||y - Xw - b||^2 + lambda * (alpha ||w||_1 + (1 - alpha)/2 ||w||_2^2)

Modules: ``data`` (seeded data sets), ``features`` (polynomial features,
standardisation), ``penalties`` and ``solvers`` (the numerics),
``model_selection`` (splits, cross-validation), ``plots`` (one figure style)
and ``widgets`` (interactive explorers that also render without a kernel).
"""

from .exceptions import ConvergenceWarning
from .solvers import FitResult, gradient_descent, least_squares

__all__ = ["ConvergenceWarning", "FitResult", "gradient_descent", "least_squares"]
__version__ = "0.1.0"
