r"""A small neural network from scratch, readable in one sitting (chapter 10).

Read in this order (``lecture_code/nn/<name>.py``):

- ``functions``: the activations, their derivatives and the losses (:func:`sigmoid`, ``ACTIVATIONS``, ``LOSSES``);
- ``mlp``: the network, :class:`MLP`: forward pass, back-propagation, ``loss_and_gradients``;
- ``train``: :func:`train` (mini-batch SGD or Adam, L1/L2 penalties, weight decay, dropout), :func:`train_path`
  and the recorded :class:`History`;
- ``curvature``: :func:`hessian_top_eigenvalue`, the curvature that limits the learning rate.

Engineering, not course material: ``_stacked`` trains many networks of one architecture at once
(:func:`train_stack`, and :func:`lecture_code.experiments.train_seeds` through it).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from .curvature import hessian_top_eigenvalue
from .functions import ACTIVATIONS, LOSSES, sigmoid
from .mlp import MLP, accuracy
from ._stacked import train_stack
from .train import History, train, train_path

__all__ = ["ACTIVATIONS", "LOSSES", "MLP", "History", "accuracy", "hessian_top_eigenvalue", "sigmoid", "train",
           "train_path", "train_stack"]
