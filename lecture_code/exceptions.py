"""Warnings raised by the course's iterative algorithms.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at ``max_iter`` before reaching its tolerance.

    The message states the optimality measure that was reached (for the
    convex solvers, the relative duality gap), so a reader can judge whether
    the returned point is good enough for the purpose at hand.
    """
