r"""Chapter 7's explorer (L1 versus L2): the risk of the tuned penalties against the number of relevant features.

Import rule: may import matplotlib, ipywidgets, lecture_code.plots and the numerics; nothing imports
this module but the notebooks and lecture_code.explorers, and it imports nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import plots
from .._validation import as_float_array, check_int
from .explorer import Explorer

__all__ = ["l1_vs_l2_explorer"]


def l1_vs_l2_explorer(ks: Sequence[int], risks, coef_true, coefs, *, methods: Sequence[str] = ("ridge", "lasso",
                      "elastic net"), start: int = 0) -> Explorer:
    r"""Slide the number :math:`k` of relevant features: one example fit (left) and the risk of every penalty (right).

    Nothing is fitted here: the notebook runs the simulation (for instance with
    :func:`lecture_code.comparison.compare_penalties`) and passes its results.

    *Left*: the example problem at this :math:`k`, its features sorted by the
    true weight :math:`w^\star_j` (black line), with the cross-validated weights
    of the first two ``methods`` (by default ridge and the lasso) as markers;
    exact zeros sit on the axis. *Right*: the mean risk relative to the oracle,
    :math:`\mathbb E(y - \hat y)^2/\sigma^2`, of every method against
    :math:`k`, ± one standard error over the simulated problems, with the current
    :math:`k` marked.

    Parameters
    ----------
    ks : sequence of int
        Numbers of relevant features, increasing; at most 20 (each is a pre-rendered frame).
    risks : array_like of shape (len(ks), n_problems, len(methods))
        Relative risk of every method on every problem (at least two problems per k).
    coef_true : array_like of shape (len(ks), p)
        True weights of the example problem at each k.
    coefs : array_like of shape (len(ks), len(methods), p)
        Fitted weights of the example problem.
    methods : sequence of str, default ("ridge", "lasso", "elastic net")
        Names, keys of :data:`lecture_code.plots.PENALTY_STYLES`.
    start : int, default 0
        Initial slider index.
    """
    ks = [check_int(k, "ks", low=0) for k in ks]
    if not ks or len(ks) > 20 or any(b <= a for a, b in zip(ks, ks[1:])):
        raise ValueError(f"ks must be 1 to 20 increasing integers, got {ks}")
    methods = list(methods)
    unknown = [m for m in methods if m not in plots.PENALTY_STYLES]
    if len(methods) < 2 or unknown:
        raise ValueError(f"methods must name at least two of {sorted(plots.PENALTY_STYLES)}, got {methods}")
    risks = as_float_array(risks, "risks", ndim=3)
    if risks.shape[0] != len(ks) or risks.shape[2] != len(methods) or risks.shape[1] < 2:
        raise ValueError(f"risks must have shape ({len(ks)}, n_problems >= 2, {len(methods)}), got {risks.shape}")
    coef_true = as_float_array(coef_true, "coef_true", ndim=2)
    p = coef_true.shape[1]
    if coef_true.shape[0] != len(ks):
        raise ValueError(f"coef_true must have {len(ks)} rows, got shape {coef_true.shape}")
    coefs = as_float_array(coefs, "coefs", ndim=3)
    if coefs.shape != (len(ks), len(methods), p):
        raise ValueError(f"coefs must have shape {(len(ks), len(methods), p)}, got {coefs.shape}")
    mean = risks.mean(axis=1)
    se = risks.std(axis=1, ddof=1) / np.sqrt(risks.shape[1])
    wins = (risks[:, :, 1] < risks[:, :, 0]).mean(axis=1)
    low, high = float((mean - se).min()), float((mean + se).max())
    reach = 1.1 * max(float(np.abs(coef_true).max()), float(np.abs(coefs[:, :2]).max()))

    def draw(fig: Figure, k: int) -> None:
        i = ks.index(k)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1.0]})
        order = np.argsort(-coef_true[i], kind="stable")
        rank = np.arange(p)
        left.plot(rank, coef_true[i, order], color=plots.COLORS["black"], linewidth=1.5, label=r"true $w^\star_j$")
        for m in range(2):
            colour, _, marker = plots.PENALTY_STYLES[methods[m]]
            left.plot(rank, coefs[i, m, order], linestyle="none", marker=marker, markersize=5, color=colour,
                      markerfacecolor="none" if m == 0 else colour,
                      label=f"{methods[m]}: {np.count_nonzero(coefs[i, m])} of {p} ≠ 0")
        left.axhline(0.0, color=plots.COLORS["black"], linewidth=0.6)
        left.set(xlabel="feature, sorted by true weight", ylabel="weight $w_j$", ylim=(-reach, reach),
                 title=f"Example problem, k = {k} relevant features")
        left.legend(loc="lower left", fontsize=8)
        for m, name in enumerate(methods):
            colour, style, marker = plots.PENALTY_STYLES[name]
            right.plot(ks, mean[:, m], color=colour, linestyle=style, marker=marker, label=name)
            right.fill_between(ks, mean[:, m] - se[:, m], mean[:, m] + se[:, m], color=colour, alpha=0.15)
        right.axvline(k, color=plots.COLORS["black"], linestyle=":", linewidth=1.5)
        right.set(xlabel="relevant features $k$", ylabel=r"risk / oracle, $\mathbb{E}(y-\hat y)^2/\sigma^2$",
                  ylim=(low - 0.05 * (high - low), high + 0.05 * (high - low)),
                  title=f"{methods[1]} beats {methods[0]} on {wins[i]:.0%} of problems")
        right.legend(loc="upper left", fontsize=8)

    def alt(k: int) -> str:
        i = ks.index(k)
        parts = ", ".join(f"{name} {mean[i, m]:.2f}" for m, name in enumerate(methods))
        best = methods[int(np.argmin(mean[i]))]
        zeros = ", ".join(f"{methods[m]} keeps {np.count_nonzero(coefs[i, m])} of {p} weights" for m in range(2))
        return (f"Left: true and fitted weights of one problem with {k} relevant feature{'s' if k != 1 else ''} "
                f"out of {p}, sorted by the "
                f"true weight; {zeros}. Right: mean risk relative to the oracle against the number of relevant "
                f"features from {ks[0]} to {ks[-1]}, with k = {k} marked; there the means are {parts}, so {best} "
                f"predicts best, and {methods[1]} beats {methods[0]} on {wins[i]:.0%} of the problems.")

    return Explorer(draw, ks, label="relevant features k", alt=alt, format_value=lambda k: f"k = {k}", start=start,
                    figsize=(10.5, 4.2))
