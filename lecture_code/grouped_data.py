r"""Regression data with groups of strongly correlated features.

The elastic-net chapter needs features that come in *groups*: inside a group
the features are near copies of one another, across groups they are
independent. The lasso tends to keep some members of such a group and drop the
others, and which ones it keeps changes from sample to sample; the elastic net
with :math:`\alpha < 1` tends to keep the group together (the "grouping effect"
of Zou & Hastie, 2005).

Construction (a one-factor model per group). For group :math:`g` draw a
latent :math:`Z_g \sim N(0, 1)` and for each member :math:`k` an independent
:math:`E_{gk} \sim N(0, 1)`; then

.. math::

    X_{gk} = \sqrt{\rho}\, Z_g + \sqrt{1-\rho}\, E_{gk},

so every feature has variance 1, two members of the same group have
correlation :math:`\rho`, and members of different groups are uncorrelated:
the population covariance is block diagonal with blocks
:math:`(1-\rho) I + \rho\,\mathbf{1}\mathbf{1}^\top`.

:func:`cross_validated_selection` repeats the chapter's experiment over many
such data sets: for every data set and every mixing parameter :math:`\alpha`
of a grid it chooses :math:`\lambda` by k-fold cross-validation along a
warm-started path and records the weights the chosen model keeps, so that a
claim about *which features the lasso or the elastic net keeps* can be stated
as a count over data sets rather than read off one sample.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_real, check_seed

__all__ = ["GroupSelection", "GroupedData", "cross_validated_selection", "grouped_covariance",
           "make_grouped_regression"]


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
    noise, intercept, seed
        As for :func:`lecture_code.data.make_regression`.

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


_RULES = ("min", "1se")


@dataclass(frozen=True)
class GroupSelection:
    r"""Cross-validated elastic-net fits on many grouped data sets (:func:`cross_validated_selection`).

    Index ``s`` runs over the data sets (``seeds[s]``), index ``a`` over the mixing
    parameters (``alphas[a]``). The dictionaries have one entry per rule of choosing
    :math:`\lambda` along a cross-validation curve: ``"min"`` (the smallest mean
    validation error) and ``"1se"`` (the largest :math:`\lambda` within one standard
    error of it).

    Attributes
    ----------
    seeds : ndarray of shape (N,)
        The seed of each data set.
    alphas : ndarray of shape (m,)
        The grid of :math:`\alpha`, as given.
    cv_min : ndarray of shape (N, m)
        The smallest mean cross-validation error along the path of each :math:`\alpha`.
    cv_se : ndarray of shape (N, m)
        The standard error of that mean (standard deviation of the fold errors / :math:`\sqrt{k}`).
    lambdas : dict of str to ndarray of shape (N, m)
        The :math:`\lambda` each rule chooses.
    coefs : dict of str to ndarray of shape (N, m, p)
        The weights fitted on the whole (standardised) sample at that :math:`\lambda`.
    choice_margin : dict of str to ndarray of shape (N, m)
        How far the chosen grid point is from losing its place, relative to the errors compared:
        for ``"min"`` the gap between the smallest and the second smallest mean validation error,
        divided by the smallest; for ``"1se"`` also the distance of every mean error from the
        threshold (minimum + one standard error), divided by the threshold. A choice that
        rounding could change has a margin near :math:`10^{-12}`.
    support_margin : dict of str to ndarray of shape (N, m)
        How far each fit is from changing its set of non-zero weights: the smallest of
        :math:`|w_j|` over the non-zero weights and of
        :math:`1 - |x_j^\top r|/(n\lambda\alpha)` over the zero weights (standardised centred
        features, :math:`r` the residual; this is positive by the KKT conditions).
    groups : ndarray of shape (p,)
        The group label of each feature.
    support : ndarray
        Indices of the relevant features (the same in every data set).
    """

    seeds: np.ndarray
    alphas: np.ndarray
    cv_min: np.ndarray
    cv_se: np.ndarray
    lambdas: dict
    coefs: dict
    choice_margin: dict
    support_margin: dict
    groups: np.ndarray
    support: np.ndarray

    @property
    def best_alpha(self) -> np.ndarray:
        """Index into ``alphas`` of the smallest ``cv_min`` of every data set (first one on ties), shape (N,)."""
        return np.argmin(self.cv_min, axis=1)

    def coef_at(self, alpha: float, rule: str = "min") -> np.ndarray:
        """The fitted weights of every data set at one :math:`\alpha` of the grid, shape (N, p)."""
        alpha = check_real(alpha, "alpha")
        hit = np.flatnonzero(np.isclose(self.alphas, alpha, rtol=0.0, atol=1e-12))
        if hit.size == 0:
            raise ValueError(f"alpha = {alpha} is not on the grid {self.alphas.tolist()}")
        return self.coefs[_check_rule(rule)][:, hit[0]]

    def tuned_coef(self, rule: str = "min") -> np.ndarray:
        """The weights at the cross-validated :math:`\alpha` (``best_alpha``) of every data set, shape (N, p)."""
        return self.coefs[_check_rule(rule)][np.arange(self.seeds.size), self.best_alpha]


def _check_rule(rule: str) -> str:
    if rule not in _RULES:
        raise ValueError(f"rule must be 'min' or '1se', got {rule!r}")
    return rule


def _support_margin(Xc: np.ndarray, yc: np.ndarray, w: np.ndarray, lam: float, alpha: float) -> float:
    """Distance of a fit from a change of its support (see ``GroupSelection.support_margin``)."""
    corr = Xc.T @ (yc - Xc @ w) / yc.size
    zero = w == 0
    parts = [np.abs(w[~zero]), 1.0 - np.abs(corr[zero]) / (lam * alpha)]
    return float(np.concatenate(parts).min())


def cross_validated_selection(seeds: Sequence[int], alphas: Sequence[float] = (1.0, 0.9, 0.7, 0.5, 0.3, 0.1), *,
                              n: int = 80, n_groups: int = 3, group_size: int = 4, rho: float = 0.9,
                              noise: float = 4.0, n_relevant_groups: int = 1, effect: float = 1.0,
                              n_folds: int = 5, n_lambdas: int = 20, eps: float = 1e-3,
                              tol: float = 1e-10) -> GroupSelection:
    r"""Choose :math:`\lambda` by cross-validation for each :math:`\alpha`, on many grouped data sets.

    For every seed :math:`s`: draw ``make_grouped_regression(n, ..., seed=s)``,
    standardise the features (:func:`lecture_code.features.fit_standardizer`) and
    split the rows into ``n_folds`` folds (``k_fold_splits(n, n_folds, seed=s)``).
    Then, for every :math:`\alpha` of the grid, minimise the course objective

    .. math::

        J(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert_2^2
                  + \lambda\Big(\alpha\lVert w\rVert_1 + \frac{1-\alpha}{2}\lVert w\rVert_2^2\Big)

    on the grid of ``n_lambdas`` values from
    :math:`\lambda_{\max}(\alpha) = \lVert X_c^\top y_c\rVert_\infty/(n\alpha)` down to
    ``eps`` times it (geometric, the grid of :func:`lecture_code.solvers.enet_path`),
    with one warm-started path per fold
    (:func:`lecture_code.model_selection.path_validation_curve`). Each rule picks a
    :math:`\lambda` on the curve — ``"min"`` the smallest mean validation error,
    ``"1se"`` the largest :math:`\lambda` within one standard error of it — and the
    whole sample is fitted there. Choosing :math:`\alpha` as well is then
    ``GroupSelection.best_alpha``: the :math:`\alpha` with the smallest
    cross-validation error, as scikit-learn's ``ElasticNetCV`` does with a list of
    ``l1_ratio``.

    Parameters
    ----------
    seeds : sequence of int
        One data set per seed (at least one, each >= 0).
    alphas : sequence of float, default (1.0, 0.9, 0.7, 0.5, 0.3, 0.1)
        The mixing parameters, each :math:`0 < \alpha \le 1` (1 is the lasso; ridge, :math:`\alpha = 0`,
        has no :math:`\lambda_{\max}`).
    n, n_groups, group_size, rho, noise, n_relevant_groups, effect
        The data, as in :func:`make_grouped_regression` (``n`` at least ``n_folds``).
    n_folds : int, default 5
        Folds of the cross-validation, at least 2.
    n_lambdas : int, default 20
        Grid size, at least 2.
    eps : float, default 1e-3
        Smallest :math:`\lambda` of the grid relative to :math:`\lambda_{\max}`, :math:`0 < \varepsilon < 1`.
    tol : float, default 1e-10
        Relative duality gap of every fit (:func:`lecture_code.solvers.enet_path`).

    Returns
    -------
    GroupSelection

    Examples
    --------
    >>> study = cross_validated_selection(range(2), alphas=(1.0, 0.5))
    >>> study.coefs["min"].shape, study.cv_min.shape
    ((2, 2, 12), (2, 2))
    """
    from .features import fit_standardizer
    from .model_selection import k_fold_splits, path_validation_curve
    from .solvers import enet_path

    seeds = np.array([check_int(s, "seed", low=0) for s in seeds], dtype=int)
    if seeds.size == 0:
        raise ValueError("seeds must not be empty")
    alphas = np.array([check_real(a, "alpha", low=0.0, high=1.0, low_open=True) for a in alphas])
    if alphas.size == 0:
        raise ValueError("alphas must not be empty")
    n_folds = check_int(n_folds, "n_folds", low=2)
    n = check_int(n, "n", low=n_folds)
    n_groups = check_int(n_groups, "n_groups", low=1)
    group_size = check_int(group_size, "group_size", low=1)
    n_lambdas = check_int(n_lambdas, "n_lambdas", low=2)
    eps = check_real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    shape, p = (seeds.size, alphas.size), n_groups * group_size
    cv_min, cv_se = np.empty(shape), np.empty(shape)
    lambdas = {rule: np.empty(shape) for rule in _RULES}
    coefs = {rule: np.empty(shape + (p,)) for rule in _RULES}
    choice_margin = {rule: np.empty(shape) for rule in _RULES}
    support_margin = {rule: np.empty(shape) for rule in _RULES}
    for s, seed in enumerate(seeds):
        data = make_grouped_regression(n, n_groups=n_groups, group_size=group_size, rho=rho,
                                       n_relevant_groups=n_relevant_groups, effect=effect, noise=noise,
                                       seed=int(seed))
        X, y = fit_standardizer(data.X).transform(data.X), data.y
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        splits = k_fold_splits(n, n_folds, seed=int(seed))
        top = np.abs(Xc.T @ yc).max() / n
        for a, alpha in enumerate(alphas):
            grid = np.geomspace(top / alpha, eps * top / alpha, n_lambdas)
            curve = path_validation_curve(X, y, grid, splits, alpha=alpha, tol=tol)
            errors, best = curve.mean_val, curve.best_index
            cv_min[s, a], cv_se[s, a] = errors[best], curve.se_val[best]
            runner_up = np.partition(errors, 1)[1]
            margin_min = (runner_up - errors[best]) / errors[best]
            bar = errors[best] + curve.se_val[best]
            margins = {"min": margin_min, "1se": min(margin_min, float(np.abs(errors - bar).min() / bar))}
            indices = {"min": best, "1se": curve.one_standard_error_index(simpler="high")}
            for rule in _RULES:
                lam = curve.params[indices[rule]]
                w = enet_path(X, y, alpha, lambdas=[lam], tol=tol).coefs[:, 0]
                lambdas[rule][s, a], coefs[rule][s, a] = lam, w
                choice_margin[rule][s, a] = margins[rule]
                support_margin[rule][s, a] = _support_margin(Xc, yc, w, lam, alpha)
    return GroupSelection(seeds=seeds, alphas=alphas, cv_min=cv_min, cv_se=cv_se, lambdas=lambdas, coefs=coefs,
                          choice_margin=choice_margin, support_margin=support_margin, groups=data.groups,
                          support=data.support)
