r"""Chapter 4's explorer (subgradients): one weight under a constant versus a proportional penalty step.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import check_int, check_real
from ..dynamics import l1_step, l2_step, prox_l1_step, trajectory
from .explorer import Explorer

__all__ = ["PENALTY_RULES", "penalty_step_explorer"]


#: The three penalty-only update rules of chapter 4: (legend label, rule, colour, line style, marker, marker
#: keywords). The L1 subgradient and the clipped L1 steps coincide until the weight enters the band
#: :math:`|w| < \eta\lambda`, so their markers are drawn to stay apart: large open circles underneath, small filled
#: triangles on top (``zorder``), squares in between.
PENALTY_RULES = (
    ("L1 subgradient step", l1_step, plots.COLORS["blue"], "-", "o",
     {"markersize": 10, "markerfacecolor": "none", "markeredgewidth": 1.5, "zorder": 2}),
    ("L2 step (weight decay)", l2_step, plots.COLORS["vermillion"], "--", "s", {"markersize": 4.5, "zorder": 3}),
    ("clipped L1 step (proximal)", prox_l1_step, plots.COLORS["green"], ":", "^",
     {"markersize": 6.5, "markeredgecolor": plots.COLORS["black"], "markeredgewidth": 0.7, "zorder": 4}),
)


def penalty_step_explorer(w0: float = 1.0, *, lr: float = 0.1, lam: float = 0.7, n_steps: int = 40,
                          steps: Sequence[int] | None = None, start: int = 0) -> Explorer:
    r"""Slide the step index :math:`k`: one weight under each penalty alone, and the size of its steps.

    The three rules of :mod:`lecture_code.dynamics` with no data gradient,

    .. math::

        w_{k+1} = w_k - \eta\lambda\operatorname{sign}(w_k), \qquad
        w_{k+1} = (1 - \eta\lambda)\,w_k, \qquad
        w_{k+1} = S(w_k, \eta\lambda),

    start from the same :math:`w_0`. Left: the trajectories up to step
    :math:`k`, with the band :math:`|w| < \eta\lambda` marked. Right: the size
    :math:`|w_i - w_{i-1}|` of each step taken so far: constant
    :math:`\eta\lambda` for L1, shrinking with :math:`|w|` for L2, 0 once the
    clipped (proximal) weight has landed on 0. The legend labels and markers are
    those of :data:`PENALTY_RULES`.

    Parameters
    ----------
    w0 : float, default 1.0
        Starting weight :math:`w_0 \ne 0`.
    lr : float, default 0.1
        Step size :math:`\eta > 0`.
    lam : float, default 0.7
        Penalty strength :math:`\lambda > 0`, with :math:`\eta\lambda < 1`.
    n_steps : int, default 40
        Length of the trajectories.
    steps : sequence of int, optional
        The slider positions :math:`k`, strictly increasing (at most 25, each in ``[0, n_steps]``). The
        slider gives every position the same width, so evenly spaced values (e.g. ``range(0, 41, 5)``) make
        it move evenly in :math:`k`; default: about 20 evenly spaced values.
    start : int, default 0
        Initial slider index.
    """
    w0 = float(check_real(w0, "w0"))
    if w0 == 0:
        raise ValueError("w0 must be non-zero (every rule keeps w = 0 at 0)")
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    lam = check_real(lam, "lam", low=0.0, low_open=True)
    if lr * lam >= 1:
        raise ValueError(f"lr * lam must be < 1 (the L2 step multiplies w by 1 - lr * lam), got {lr * lam:g}")
    n_steps = check_int(n_steps, "n_steps", low=1)
    if steps is None:
        steps = range(0, n_steps + 1, max(1, -(-n_steps // 20)))
    steps = [check_int(k, "steps", low=0, high=n_steps) for k in steps]
    if not 1 <= len(steps) <= 25:
        raise ValueError(f"steps must hold between 1 and 25 positions (each is a pre-rendered frame), got {len(steps)}")
    if any(b <= a for a, b in zip(steps, steps[1:])):
        raise ValueError("steps must be strictly increasing")
    paths = {label: trajectory(rule, w0, n_steps, lr=lr, lam=lam) for label, rule, *_ in PENALTY_RULES}
    sizes = {label: np.abs(np.diff(path)) for label, path in paths.items()}
    band = lr * lam
    all_w = np.concatenate(list(paths.values()))
    w_lim = (min(all_w.min(), -band) - 0.08 * abs(w0), max(all_w.max(), band) + 0.08 * abs(w0))
    i_all = np.arange(n_steps + 1)

    def draw(fig: Figure, k: int) -> None:
        left, right = fig.subplots(1, 2)
        for edge in (-band, band):
            left.axhline(edge, color=plots.COLORS["black"], linestyle="-.", linewidth=1.0,
                         label=r"$\pm\eta\lambda$" if edge > 0 else None)
        left.axhline(0.0, color=plots.COLORS["black"], linewidth=0.8)
        for label, _, color, style, marker, marker_kw in PENALTY_RULES:
            left.plot(i_all, paths[label], color=color, linestyle=style, alpha=0.2, linewidth=1.2)
            left.plot(i_all[: k + 1], paths[label][: k + 1], color=color, linestyle=style, marker=marker,
                      label=label, **marker_kw)
            if k > 0:
                right.plot(i_all[1: k + 1], sizes[label][:k], color=color, linestyle=style, marker=marker,
                           label=label, **marker_kw)
        left.axvline(k, color=plots.COLORS["black"], linestyle=":", linewidth=1.0)
        left.set(xlim=(-0.5, n_steps + 0.5), ylim=w_lim, xlabel="step $k$", ylabel="weight $w_k$",
                 title=f"One weight after k = {k} steps")
        left.legend(loc="upper right", fontsize=8)
        right.axhline(band, color=plots.COLORS["black"], linestyle="-.", linewidth=1.0, label=r"$\eta\lambda$")
        right.set(xlim=(-0.5, n_steps + 0.5), ylim=(-0.05 * band, 1.25 * band), xlabel="step $k$",
                  ylabel=r"step size $|w_k - w_{k-1}|$", title="Size of each penalty step")
        right.legend(loc="center right", fontsize=8)

    def alt(k: int) -> str:
        values = [paths[label][k] for label, *_ in PENALTY_RULES]
        text = (f"Left: one weight starting at {w0:g} under the L1 subgradient step (open circles), the L2 "
                f"weight-decay step (squares) and the clipped L1 (proximal) step (small triangles), shown up to "
                f"step {k}; after {k} steps the weights are {values[0]:.3f}, {values[1]:.3f} and {values[2]:.3f}")
        if values[2] == 0:
            text += " (the clipped weight is exactly 0)"
        text += f". Right: the size of each step so far; the L1 subgradient step always has size {band:.3f}"
        if k > 0:
            text += f", the last L2 step had size {sizes[PENALTY_RULES[1][0]][k - 1]:.3f}"
        return text + "."

    return Explorer(draw, steps, label="step k", alt=alt, format_value=lambda k: f"k = {k}", start=start)
