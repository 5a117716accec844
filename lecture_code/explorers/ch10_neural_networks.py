r"""Chapter 10's explorer (neural networks): the decision boundary of trained networks under a λ slider.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import as_float_array, check_real
from ..datasets2d import grid_2d as _grid_2d
from ..nn import MLP as _NN_MLP
from .explorer import Explorer

__all__ = ["penalty_boundary_explorer"]


def penalty_boundary_explorer(X, y, lambdas: Sequence[float], networks: dict, *, X_val=None, y_val=None,
                              resolution: int = 120, small: float = 1e-2, start: int = 0) -> Explorer:
    r"""Slide the penalty strength :math:`\lambda`: the decision boundaries of networks trained with it.

    ``networks`` maps a panel title (e.g. ``"L2"``, ``"L1"``) to a list of trained
    binary classifiers (:class:`lecture_code.nn.MLP` with one output), one per entry
    of ``lambdas`` — for instance the networks of :func:`lecture_code.nn.train_path`.
    Training happens before, so every frame is only drawn. Each panel shows the
    probability :math:`\hat y` of class 1 over the plane, the boundary :math:`\hat y = 1/2`, the training
    points, and in its title the training (and validation) accuracy and how many
    weights are below ``small`` in absolute value.

    Parameters
    ----------
    X, y : training points (n, 2) and 0/1 labels (n,)
    lambdas : sequence of float
        The slider positions (at most 20: each is a pre-rendered frame).
    networks : dict of str -> list of MLP
    X_val, y_val : optional validation data, drawn faintly and scored
    resolution : int
        Grid points per axis.
    small : float
        Threshold for counting near-zero weights.
    start : int
        Initial slider index.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    lambdas = [check_real(lam, "lambdas", low=0.0) for lam in lambdas]
    if not 1 <= len(lambdas) <= 20:
        raise ValueError(f"lambdas must hold between 1 and 20 values (each is a pre-rendered frame), got {len(lambdas)}")
    if not isinstance(networks, dict) or not networks:
        raise TypeError("networks must be a non-empty dict of title -> list of MLP")
    for title, nets in networks.items():
        if len(nets) != len(lambdas) or not all(isinstance(m, _NN_MLP) and m.sizes[-1] == 1 for m in nets):
            raise ValueError(f"networks[{title!r}] must hold one binary MLP (one output) per lambda")
    small = check_real(small, "small", low=0.0, low_open=True)
    xx, yy, points = _grid_2d(X if X_val is None else np.vstack([X, X_val]), resolution=resolution, margin=0.3)
    stats = {}
    for title, nets in networks.items():
        for i, m in enumerate(nets):
            w = np.concatenate([W.ravel() for W in m.weights])
            stats[title, i] = {
                "proba": m.predict_proba(points).reshape(xx.shape),
                "train": m.accuracy(X, y),
                "val": None if X_val is None else m.accuracy(X_val, y_val),
                "small": int(np.count_nonzero(np.abs(w) < small)),
                "size": w.size,
            }

    def describe(title, i):
        s = stats[title, i]
        text = f"train {s['train']:.0%}"
        if s["val"] is not None:
            text += f", validation {s['val']:.1%}"
        return text, f"{s['small']}/{s['size']} weights below {small:g}"

    def draw(fig: Figure, lam: float) -> None:
        i = lambdas.index(lam)
        axes = np.atleast_1d(fig.subplots(1, len(networks)))
        for k, (ax, title) in enumerate(zip(axes, networks)):
            acc, sparsity = describe(title, i)
            plots.plot_decision_boundary(ax, xx, yy, stats[title, i]["proba"], X, y,
                                         X_faint=None if X_val is None else X_val[:150],
                                         y_faint=None if y_val is None else y_val[:150], legend=k == 0)
            ax.set_title(f"{title}, λ = {lam:g}\n{acc}\n{sparsity}", fontsize=10)
            if k > 0:
                ax.set_ylabel("")

    def alt(lam: float) -> str:
        i = lambdas.index(lam)
        parts = []
        for title in networks:
            acc, sparsity = describe(title, i)
            parts.append(f"{title} penalty: {acc}; {sparsity}")
        return (f"Decision boundaries of the same network trained with penalty strength λ = {lam:g}, one panel per "
                "penalty, over the training points of both classes. " + ". ".join(parts) + ".")

    return Explorer(draw, lambdas, label="penalty strength λ", alt=alt, format_value=lambda v: f"λ = {v:g}",
                    start=start, figsize=(4.2 * len(networks), 4.6))
