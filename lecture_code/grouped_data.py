r"""Regression data with groups of strongly correlated features.

The elastic-net chapter needs features that come in *groups*: inside a group
the features are near copies of one another, across groups they are
independent. The lasso tends to keep one member of such a group and drop the
others, and which one it keeps changes from sample to sample; the elastic net
keeps the group together (the "grouping effect" of Zou & Hastie, 2005).

Construction (a one-factor model per group). For group :math:`g` draw a
latent :math:`Z_g \sim N(0, 1)` and for each member :math:`k` an independent
:math:`E_{gk} \sim N(0, 1)`; then

.. math::

    X_{gk} = \sqrt{\rho}\, Z_g + \sqrt{1-\rho}\, E_{gk},

so every feature has variance 1, two members of the same group have
correlation :math:`\rho`, and members of different groups are uncorrelated:
the population covariance is block diagonal with blocks
:math:`(1-\rho) I + \rho\,\mathbf{1}\mathbf{1}^\top`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_real, check_seed

__all__ = ["GroupedData", "grouped_covariance", "make_grouped_regression"]


@dataclass(frozen=True)
class GroupedData:
    r"""A regression sample :math:`y = Xw^\star + b^\star + \varepsilon` with grouped features.

    Attributes
    ----------
    X : ndarray of shape (n, p)
        Features, :math:`p` = ``n_groups * group_size``; columns ``g*group_size``
        to ``(g+1)*group_size - 1`` form group :math:`g`.
    y : ndarray of shape (n,)
    coef : ndarray of shape (p,)
        The true weights :math:`w^\star`: ``effect`` on every member of a relevant group, 0 elsewhere.
    intercept : float
        The true bias :math:`b^\star`.
    noise : float
        The noise standard deviation :math:`\sigma`.
    groups : ndarray of shape (p,)
        The group label of each feature.
    rho : float
        The population within-group correlation :math:`\rho`.
    """

    X: np.ndarray
    y: np.ndarray
    coef: np.ndarray
    intercept: float
    noise: float
    groups: np.ndarray
    rho: float

    @property
    def support(self) -> np.ndarray:
        """Indices of the non-zero true weights (the members of the relevant groups)."""
        return np.flatnonzero(self.coef)

    def members(self, group: int) -> np.ndarray:
        """Indices of the features of group ``group``."""
        group = check_int(group, "group", low=0, high=int(self.groups.max()))
        return np.flatnonzero(self.groups == group)


def grouped_covariance(n_groups: int, group_size: int, rho: float) -> np.ndarray:
    r"""The population covariance (= correlation) matrix of :func:`make_grouped_regression`'s features.

    .. math::

        \Sigma = \operatorname{blockdiag}\big((1-\rho) I_m + \rho\,\mathbf{1}_m\mathbf{1}_m^\top\big)
        \quad (\text{``n_groups`` blocks of size } m = \text{``group_size''}).

    Parameters
    ----------
    n_groups, group_size : int
        At least 1 each.
    rho : float
        Within-group correlation, :math:`0 \le \rho < 1`.

    Returns
    -------
    ndarray of shape (p, p)
    """
    n_groups = check_int(n_groups, "n_groups", low=1)
    group_size = check_int(group_size, "group_size", low=1)
    rho = check_real(rho, "rho", low=0.0, high=1.0, high_open=True)
    block = (1.0 - rho) * np.eye(group_size) + rho * np.ones((group_size, group_size))
    return np.kron(np.eye(n_groups), block)


def make_grouped_regression(n: int = 100, *, n_groups: int = 3, group_size: int = 4, rho: float = 0.9,
                            n_relevant_groups: int = 1, effect: float = 1.0, noise: float = 1.0,
                            intercept: float = 0.0, seed=0) -> GroupedData:
    r"""Draw a linear regression problem whose features come in correlated groups.

    Features follow the one-factor model of the module docstring: variance 1,
    correlation :math:`\rho` inside a group, 0 across groups. The first
    ``n_relevant_groups`` groups are relevant: each of their members has true
    weight ``effect``; all other weights are exactly 0. Then
    :math:`y = Xw^\star + b^\star + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma^2 I)`.

    Parameters
    ----------
    n : int, default 100
        Samples, at least 1.
    n_groups : int, default 3
        Number of groups, at least 1.
    group_size : int, default 4
        Features per group, at least 1.
    rho : float, default 0.9
        Within-group correlation, :math:`0 \le \rho < 1`.
    n_relevant_groups : int, default 1
        How many groups (the first ones) carry signal, :math:`0 \le k \le` ``n_groups``.
    effect : float, default 1.0
        The true weight of every member of a relevant group.
    noise : float, default 1.0
        :math:`\sigma \ge 0`.
    intercept : float, default 0.0
        :math:`b^\star`.
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    GroupedData

    Examples
    --------
    >>> data = make_grouped_regression(200, rho=0.9, seed=0)
    >>> data.X.shape, data.support.tolist()
    ((200, 12), [0, 1, 2, 3])
    """
    n = check_int(n, "n", low=1)
    n_groups = check_int(n_groups, "n_groups", low=1)
    group_size = check_int(group_size, "group_size", low=1)
    rho = check_real(rho, "rho", low=0.0, high=1.0, high_open=True)
    n_relevant_groups = check_int(n_relevant_groups, "n_relevant_groups", low=0, high=n_groups)
    effect = check_real(effect, "effect")
    noise = check_real(noise, "noise", low=0.0)
    intercept = check_real(intercept, "intercept")
    rng = check_seed(seed)
    p = n_groups * group_size
    groups = np.repeat(np.arange(n_groups), group_size)
    latent = rng.standard_normal((n, n_groups))
    own = rng.standard_normal((n, p))
    X = np.sqrt(rho) * latent[:, groups] + np.sqrt(1.0 - rho) * own
    coef = np.where(groups < n_relevant_groups, effect, 0.0)
    y = X @ coef + intercept + noise * rng.standard_normal(n)
    return GroupedData(X=X, y=y, coef=coef, intercept=intercept, noise=noise, groups=groups, rho=rho)
