"""Tests for lecture_code.solvers.

Objective (course convention): J(w, b) = 1/(2n)|y - Xw - b|^2 + lam (alpha |w|_1 + (1 - alpha)/2 |w|^2),
which is sklearn's ElasticNet(alpha=lam, l1_ratio=alpha), Lasso(alpha=lam) and Ridge(alpha=n lam).

Every check compares with an independent reference: scikit-learn at a tight
tolerance (its paths on data we centre ourselves), the normal equations,
the KKT conditions and the primal objective written out here, or a known
mathematical property. Nothing is compared with the code's own output.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from sklearn.linear_model import enet_path as sk_enet_path

import lecture_code as lc
from lecture_code import ConvergenceWarning

SOLVERS = {"ista": lc.ista, "fista": lc.fista, "coordinate_descent": lc.coordinate_descent}
TIGHT = dict(tol=1e-14, max_iter=100_000)
ALPHAS = [1.0, 0.5, 0.1]


# ------------------------------------------------------------------ data


def make_data(n, p, rho=0.3, seed=0, intercept=3.0):
    """Correlated Gaussian features (corr rho^|i-j|) of unequal scales and non-zero means; 4 true weights."""
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T * rng.uniform(0.5, 2.0, p) + rng.normal(size=p)
    w = np.zeros(p)
    w[rng.choice(p, 4, replace=False)] = [-2.0, 1.5, 1.0, -1.0]
    y = X @ w + 0.5 * rng.standard_normal(n) + intercept
    return X, y


SHAPES = {
    "n>p": dict(n=40, p=10),
    "p>n": dict(n=20, p=40),
    "correlated": dict(n=40, p=12, rho=0.95),
    "correlated p>n": dict(n=20, p=40, rho=0.95),
}


@pytest.fixture(params=list(SHAPES), scope="module")
def data(request):
    return make_data(**SHAPES[request.param])


def centred(X, y, fit_intercept):
    if not fit_intercept:
        return X, y
    return X - X.mean(axis=0), y - y.mean()


def lam_max(X, y, alpha, fit_intercept=True):
    Xc, yc = centred(X, y, fit_intercept)
    return np.abs(Xc.T @ yc).max() / (len(y) * alpha)


def objective(X, y, w, b, lam, alpha):
    r = y - X @ w - b
    return r @ r / (2 * len(y)) + lam * (alpha * np.abs(w).sum() + 0.5 * (1 - alpha) * w @ w)


def kkt(X, y, w, b, lam, alpha, fit_intercept):
    """Largest violation of the optimality conditions, written out independently of the package."""
    r = y - X @ w - b
    c = X.T @ r / len(y) - lam * (1 - alpha) * w
    on = w != 0
    viol = np.concatenate([np.abs(c[on] - lam * alpha * np.sign(w[on])),
                           np.maximum(np.abs(c[~on]) - lam * alpha, 0.0), [abs(r.mean()) if fit_intercept else 0.0]])
    return viol.max()


def sklearn_fit(X, y, lam, alpha, fit_intercept):
    model = (Lasso(alpha=lam) if alpha == 1 else ElasticNet(alpha=lam, l1_ratio=alpha))
    model.set_params(fit_intercept=fit_intercept, tol=1e-13, max_iter=1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        model.fit(X, y)
    return model.coef_, model.intercept_


def assert_certified(X, y, res, lam, alpha, fit_intercept):
    """KKT near 0 and a non-negative duality gap that bounds the suboptimality against sklearn's solution."""
    scale = np.abs(X.T @ y).max() / len(y) + 1.0
    assert kkt(X, y, res.coef, res.intercept, lam, alpha, fit_intercept) <= 1e-6 * scale
    gap = lc.duality_gap(X, y, res.coef, res.intercept, lam, alpha, fit_intercept=fit_intercept)
    assert gap >= -1e-12
    ref_coef, ref_b = sklearn_fit(X, y, lam, alpha, fit_intercept)
    subopt = objective(X, y, res.coef, res.intercept, lam, alpha) - objective(X, y, ref_coef, ref_b, lam, alpha)
    assert subopt <= gap + 1e-12


# --------------------------------------------------- agreement with references


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("solver", list(SOLVERS))
def test_solvers_match_sklearn(data, solver, alpha, fit_intercept):
    X, y = data
    lam = 0.1 * lam_max(X, y, alpha, fit_intercept)
    res = SOLVERS[solver](X, y, lam, alpha, fit_intercept=fit_intercept, **TIGHT)
    ref_coef, ref_b = sklearn_fit(X, y, lam, alpha, fit_intercept)
    np.testing.assert_allclose(res.coef, ref_coef, atol=1e-6)
    assert res.intercept == pytest.approx(ref_b, abs=1e-6)
    assert res.converged and res.gap <= 1e-14
    assert_certified(X, y, res, lam, alpha, fit_intercept)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_path_matches_sklearn_enet_path_on_centred_data(data, alpha, fit_intercept):
    X, y = data
    path = lc.enet_path(X, y, alpha, n_lambdas=20, eps=1e-2, fit_intercept=fit_intercept, tol=1e-14)
    Xc, yc = centred(X, y, fit_intercept)  # sklearn's paths never centre
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        _, ref, _ = sk_enet_path(Xc, yc, l1_ratio=alpha, alphas=path.lambdas, tol=1e-13, max_iter=1_000_000)
    np.testing.assert_allclose(path.coefs, ref, atol=1e-6)
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if fit_intercept else (np.zeros(X.shape[1]), 0.0)
    np.testing.assert_allclose(path.intercepts, y_mean - x_mean @ ref, atol=1e-6)
    for i, lam in enumerate(path.lambdas):
        assert kkt(X, y, path.coefs[:, i], path.intercepts[i], lam, alpha, fit_intercept) <= 1e-9
        gap = lc.duality_gap(X, y, path.coefs[:, i], path.intercepts[i], lam, alpha, fit_intercept=fit_intercept)
        assert -1e-12 <= gap <= 1e-14 * objective(Xc, yc, 0 * path.coefs[:, i], 0.0, lam, alpha) + 1e-15


def test_lasso_path_is_enet_path_with_alpha_one_and_matches_sklearn_lasso():
    X, y = make_data(30, 50, rho=0.5, seed=3)
    path = lc.lasso_path(X, y, n_lambdas=15, tol=1e-14)
    assert path.alpha == 1.0
    for i in (3, 9, 14):
        ref_coef, ref_b = sklearn_fit(X, y, path.lambdas[i], 1.0, True)
        np.testing.assert_allclose(path.coefs[:, i], ref_coef, atol=1e-6)
        assert path.intercepts[i] == pytest.approx(ref_b, abs=1e-6)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_all_solvers_agree(data, alpha):
    X, y = data
    lam = 0.05 * lam_max(X, y, alpha)
    coefs = [f(X, y, lam, alpha, **TIGHT).coef for f in SOLVERS.values()]
    coefs.append(lc.enet_path(X, y, alpha, lambdas=[lam], tol=1e-14).coefs[:, 0])
    for coef in coefs[1:]:
        np.testing.assert_allclose(coef, coefs[0], atol=1e-6)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(40, 10), (15, 60)])
def test_ridge_matches_normal_equations_and_sklearn(shape, fit_intercept):
    X, y = make_data(*shape, rho=0.8)
    n, p = X.shape
    lam = 0.3
    Xc, yc = centred(X, y, fit_intercept)
    expected = np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T @ yc)
    res = lc.ridge(X, y, lam, fit_intercept=fit_intercept)
    np.testing.assert_allclose(res.coef, expected, atol=1e-10, rtol=0)
    sk = Ridge(alpha=n * lam, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    np.testing.assert_allclose(res.coef, sk.coef_, atol=1e-9)
    assert res.intercept == pytest.approx(sk.intercept_, abs=1e-9)


def test_ridge_at_zero_is_minimum_norm_least_squares():
    X, y = make_data(10, 25)
    Xc, yc = centred(X, y, True)
    np.testing.assert_allclose(lc.ridge(X, y, 0.0).coef, np.linalg.pinv(Xc) @ yc, atol=1e-9)


@pytest.mark.parametrize("solver", list(SOLVERS) + ["gradient_descent"])
def test_elastic_net_at_alpha_zero_is_ridge(data, solver):
    X, y = data
    n, p = X.shape
    lam = 0.2
    Xc, yc = centred(X, y, True)
    expected = np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T @ yc)
    if solver == "gradient_descent":
        res = lc.gradient_descent(X, y, lam, **TIGHT)
    else:
        res = SOLVERS[solver](X, y, lam, 0.0, **TIGHT)
    np.testing.assert_allclose(res.coef, expected, atol=1e-6)
    path = lc.enet_path(X, y, 0.0, lambdas=[1.0, lam])
    np.testing.assert_allclose(path.coefs[:, 1], expected, atol=1e-9)


def test_lam_zero_is_least_squares_with_gradient_stopping_rule():
    X, y = make_data(40, 8)
    Xc, yc = centred(X, y, True)
    expected = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    for f in (lc.fista, lc.coordinate_descent):
        res = f(X, y, 0.0, tol=1e-12, max_iter=100_000)
        np.testing.assert_allclose(res.coef, expected, atol=1e-8)
        assert res.gap <= 1e-12
    res = lc.gradient_descent(X, y, 0.0, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(res.coef, expected, atol=1e-8)


# ----------------------------------------------------- certificates themselves


def test_duality_gap_bounds_suboptimality_at_arbitrary_points():
    X, y = make_data(25, 30, rho=0.6, seed=4)
    rng = np.random.default_rng(1)
    for alpha in (1.0, 0.5, 0.0):
        lam = 0.1 * (lam_max(X, y, alpha) if alpha > 0 else 1.0)
        if alpha > 0:
            ref_coef, ref_b = sklearn_fit(X, y, lam, alpha, True)
        else:
            ref = Ridge(alpha=len(y) * lam).fit(X, y)
            ref_coef, ref_b = ref.coef_, ref.intercept_
        best = objective(X, y, ref_coef, ref_b, lam, alpha)
        for scale in (0.0, 0.01, 1.0):
            w = ref_coef + scale * rng.standard_normal(X.shape[1])
            b = ref_b + scale
            gap = lc.duality_gap(X, y, w, b, lam, alpha)
            assert gap >= objective(X, y, w, b, lam, alpha) - best - 1e-10
        assert lc.duality_gap(X, y, ref_coef, ref_b, lam, alpha) == pytest.approx(0.0, abs=1e-9)


def test_kkt_violation_matches_the_written_out_conditions():
    X, y = make_data(25, 10)
    rng = np.random.default_rng(2)
    for alpha, fit in [(1.0, True), (0.3, False), (0.0, True)]:
        w = rng.standard_normal(10) * (rng.random(10) < 0.5)
        b = 0.7 if fit else 0.0
        assert lc.kkt_violation(X, y, w, b, 0.4, alpha, fit_intercept=fit) == pytest.approx(
            kkt(X, y, w, b, 0.4, alpha, fit), rel=1e-12)


def test_lambda_max_is_exact():
    X, y = make_data(30, 12, seed=5)
    for alpha in (1.0, 0.5, 0.1):
        top = lam_max(X, y, alpha)
        path = lc.enet_path(X, y, alpha, n_lambdas=10, tol=1e-12)
        assert path.lambdas[0] == pytest.approx(top, rel=1e-12)
        np.testing.assert_allclose(path.lambdas, np.geomspace(top, 1e-3 * top, 10), rtol=1e-12)
        assert not path.coefs[:, 0].any()
        assert lc.fista(X, y, top * (1 - 1e-3), alpha, tol=1e-12).coef.any()
        ref, _ = sklearn_fit(X, y, top * (1 - 1e-3), alpha, True)
        assert ref.any()


# ---------------------------------------------------------- the course's claims


def test_subgradient_descent_gives_no_exact_zeros_where_prox_methods_do():
    X, y = make_data(60, 15, seed=6)
    lam = 0.3 * lam_max(X, y, 1.0)
    sparse = lc.fista(X, y, lam, **TIGHT).coef
    assert (sparse == 0).sum() >= 5  # the lasso solution has exact zeros...
    for f in (lc.ista, lc.coordinate_descent):
        np.testing.assert_array_equal(f(X, y, lam, **TIGHT).coef == 0, sparse == 0)
    with pytest.warns(ConvergenceWarning, match="subgradient_descent reached max_iter"):
        sub = lc.subgradient_descent(X, y, lam, max_iter=3000, tol=1e-12)
    assert np.all(sub.coef != 0)  # ...that subgradient descent never produces
    assert np.abs(sub.coef - sparse).max() < 0.05  # although it does approach the solution
    best = objective(X, y, sparse, lc.fista(X, y, lam, **TIGHT).intercept, lam, 1.0)
    assert best < sub.history[-1] < 1.02 * best


def test_ridge_never_zeroes_a_weight():
    X, y = make_data(30, 50, seed=7)
    for lam in np.geomspace(1e-4, 1e3, 15):
        assert np.all(lc.ridge(X, y, lam).coef != 0)


def test_lasso_weights_reach_zero_as_lambda_grows():
    X, y = make_data(40, 20, seed=8)
    path = lc.lasso_path(X, y, n_lambdas=40, tol=1e-12)
    nonzeros = (path.coefs != 0).sum(axis=0)
    assert nonzeros[0] == 0 and nonzeros[-1] >= 10
    l1 = np.abs(path.coefs).sum(axis=0)
    assert np.all(np.diff(l1) >= -1e-10)  # |w(lam)|_1 never increases with lam (lambdas are decreasing)
    # every weight that is non-zero somewhere is zero for all lambda large enough
    for j in np.flatnonzero(path.coefs.any(axis=1)):
        first = np.flatnonzero(path.coefs[j])[0]
        assert first > 0 and not path.coefs[j, :first].any()


def test_fista_history_and_restart():
    X, y = make_data(40, 12, rho=0.95, seed=9)
    lam = 0.05 * lam_max(X, y, 1.0)
    res = lc.fista(X, y, lam, tol=1e-12)
    plain = lc.fista(X, y, lam, tol=1e-12, restart=False, max_iter=50_000)
    slow = lc.ista(X, y, lam, tol=1e-12, max_iter=50_000)
    assert res.history.shape == (res.n_iter + 1,)
    assert res.history[0] == pytest.approx(objective(X, y, np.zeros(12), y.mean(), lam, 1.0))
    assert res.history[-1] == pytest.approx(objective(X, y, res.coef, res.intercept, lam, 1.0))
    assert res.n_iter < plain.n_iter and res.n_iter < slow.n_iter
    assert np.all(np.diff(slow.history) <= 1e-12)  # ISTA is monotone


def test_convergence_warning_states_the_gap():
    X, y = make_data(40, 12, rho=0.95)
    for f in (*SOLVERS.values(), lc.subgradient_descent):
        with pytest.warns(ConvergenceWarning, match=r"reached max_iter=2 with relative duality gap \S+ > tol=1e-12"):
            res = f(X, y, 0.1, tol=1e-12, max_iter=2)
        assert not res.converged and res.gap > 1e-12 and res.n_iter == 2
    with pytest.warns(ConvergenceWarning, match="relative gradient norm"):
        lc.gradient_descent(X, y, 0.0, max_iter=2)
    with pytest.warns(ConvergenceWarning, match="relative duality gap"):
        lc.gradient_descent(X, y, 0.1, max_iter=2)
    with pytest.warns(ConvergenceWarning, match=r"enet_path: \d+ of 10 lambdas reached max_iter=1; largest"):
        path = lc.lasso_path(X, y, n_lambdas=10, tol=1e-14, max_iter=1)
    assert path.gaps.max() > 1e-14


# --------------------------------------------------------- awkward but valid data


def test_constant_and_duplicated_columns_and_single_sample():
    X, y = make_data(30, 6, seed=10)
    X = np.column_stack([X, np.full(30, 2.0), X[:, 0]])  # a constant column and a copy of column 0
    for alpha in (1.0, 0.5):
        lam = 0.1 * lam_max(X, y, alpha)
        results = [f(X, y, lam, alpha, **TIGHT) for f in SOLVERS.values()]
        results.append(lc.enet_path(X, y, alpha, n_lambdas=10, tol=1e-12))
        for res in results[:-1]:
            assert res.coef[6] == 0.0  # the constant column carries nothing once centred
            assert kkt(X, y, res.coef, res.intercept, lam, alpha, True) <= 1e-6
            if alpha < 1:  # strictly convex: the two copies share the weight equally
                assert res.coef[0] == pytest.approx(res.coef[7], abs=1e-6)
        path = results[-1]
        for i, lam_i in enumerate(path.lambdas):
            assert kkt(X, y, path.coefs[:, i], path.intercepts[i], lam_i, alpha, True) <= 1e-8
    # n = 1: with an intercept there is nothing left to explain
    for f in (*SOLVERS.values(), lc.subgradient_descent, lc.gradient_descent):
        res = f([[1.0, 2.0]], [5.0], 0.1)
        np.testing.assert_array_equal(res.coef, 0.0)
        assert res.intercept == 5.0
    assert lc.ridge([[1.0, 2.0]], [5.0], 0.1).intercept == 5.0
    path = lc.lasso_path([[1.0, 2.0]], [5.0], n_lambdas=3)
    assert not path.coefs.any() and np.all(path.intercepts == 5.0)


def test_zero_target_and_zero_design():
    X, y = make_data(20, 5)
    res = lc.fista(X, np.full(20, 4.0), 0.1)
    assert not res.coef.any() and res.intercept == 4.0 and res.n_iter == 0
    res = lc.ista(np.zeros((20, 5)), y, 0.1, fit_intercept=False)
    assert not res.coef.any()


def test_path_lambdas_are_sorted_decreasing_and_ridge_path_needs_them():
    X, y = make_data(20, 5)
    path = lc.enet_path(X, y, 0.5, lambdas=[0.01, 1.0, 0.1])
    np.testing.assert_array_equal(path.lambdas, [1.0, 0.1, 0.01])
    assert path.coefs.shape == (5, 3) and path.gaps.shape == (3,) and path.n_iter.shape == (3,)
    with pytest.raises(ValueError, match="alpha must be > 0 when lambdas is None"):
        lc.enet_path(X, y, 0.0)


# ----------------------------------------------------------------- bad input

PUBLIC = {
    "ridge": lambda X, y, **kw: lc.ridge(X, y, kw.get("lam", 0.1)),
    "gradient_descent": lambda X, y, **kw: lc.gradient_descent(X, y, kw.get("lam", 0.1), max_iter=5),
    "subgradient_descent": lambda X, y, **kw: lc.subgradient_descent(X, y, kw.get("lam", 0.1), kw.get("alpha", 1.0),
                                                                     max_iter=5, tol=1.0),
    "ista": lambda X, y, **kw: lc.ista(X, y, kw.get("lam", 0.1), kw.get("alpha", 1.0), tol=1.0),
    "fista": lambda X, y, **kw: lc.fista(X, y, kw.get("lam", 0.1), kw.get("alpha", 1.0), tol=1.0),
    "coordinate_descent": lambda X, y, **kw: lc.coordinate_descent(X, y, kw.get("lam", 0.1), kw.get("alpha", 1.0),
                                                                   tol=1.0),
    "enet_path": lambda X, y, **kw: lc.enet_path(X, y, kw.get("alpha", 0.5), lambdas=[kw.get("lam", 0.1)]),
    "duality_gap": lambda X, y, **kw: lc.duality_gap(X, y, np.zeros(np.shape(X)[-1]), 0.0, kw.get("lam", 0.1),
                                                     kw.get("alpha", 1.0)),
    "kkt_violation": lambda X, y, **kw: lc.kkt_violation(X, y, np.zeros(np.shape(X)[-1]), 0.0, kw.get("lam", 0.1),
                                                         kw.get("alpha", 1.0)),
}
GOOD_X, GOOD_Y = make_data(8, 4)


def with_nan(a):
    a = np.array(a, dtype=float)
    a.flat[1] = np.nan
    return a


def with_inf(a):
    a = np.array(a, dtype=float)
    a.flat[0] = np.inf
    return a


BAD = [
    (dict(X=with_nan(GOOD_X)), ValueError, "X must contain only finite"),
    (dict(y=with_inf(GOOD_Y)), ValueError, "y must contain only finite"),
    (dict(y=GOOD_Y[:-1]), ValueError, "same number of rows"),
    (dict(X=np.empty((0, 3)), y=np.empty(0)), ValueError, "X must not be empty"),
    (dict(X=GOOD_X[:, 0]), ValueError, "X must be 2-D"),
    (dict(X=GOOD_X.astype(str)), TypeError, "X must be an array of real numbers"),
    (dict(y=np.array(["a"] * 8, dtype=object)), TypeError, "y must be an array of real numbers"),
    (dict(lam=-1.0), ValueError, "lam must be >= 0"),
    (dict(lam="0.1"), TypeError, "lam must be a real number"),
]
BAD_ALPHA = [(dict(alpha=1.5), ValueError, "alpha must be <= 1"), (dict(alpha=-0.1), ValueError, "alpha must be >= 0")]


@pytest.mark.parametrize("name, bad, error, match", [
    (name, *case) for name in PUBLIC for case in BAD + BAD_ALPHA
    if not ("alpha" in case[0] and name in ("ridge", "gradient_descent"))  # these have no alpha argument
])
def test_bad_input_raises_a_clear_error_and_changes_nothing(name, bad, error, match):
    if name == "enet_path" and "lam" in bad:
        match = match.replace("lam must be >= 0", "lambdas must all be > 0").replace(
            "lam must be a real number", "lambdas must be an array of real numbers")
    if name == "duality_gap" and bad.get("lam") == -1.0:
        match = "lam must be > 0"
    args = dict(X=GOOD_X.copy(), y=GOOD_Y.copy(), **{k: v for k, v in bad.items() if k not in ("X", "y")})
    args.update({k: v for k, v in bad.items() if k in ("X", "y")})
    before = {k: np.array(v, copy=True) for k, v in args.items() if k in ("X", "y")}
    with pytest.raises(error, match=match):
        PUBLIC[name](**args)
    for k, v in before.items():
        np.testing.assert_array_equal(args[k], v)


@pytest.mark.parametrize("call, error, match", [
    (lambda: lc.fista(GOOD_X, GOOD_Y, 0.1, tol=0.0), ValueError, "tol must be > 0"),
    (lambda: lc.ista(GOOD_X, GOOD_Y, 0.1, max_iter=0), ValueError, "max_iter must be >= 1"),
    (lambda: lc.ista(GOOD_X, GOOD_Y, 0.1, max_iter=2.5), TypeError, "max_iter must be an integer"),
    (lambda: lc.fista(GOOD_X, GOOD_Y, 0.1, fit_intercept="yes"), TypeError, "fit_intercept must be True or False"),
    (lambda: lc.duality_gap(GOOD_X, GOOD_Y, np.zeros(4), 0.0, 0.0), ValueError, "lam must be > 0"),
    (lambda: lc.duality_gap(GOOD_X, GOOD_Y, np.zeros(5), 0.0, 0.1), ValueError, "w must have one entry per column"),
    (lambda: lc.kkt_violation(GOOD_X, GOOD_Y, np.zeros(4), 1.0, 0.1, fit_intercept=False), ValueError,
     "b must be 0 when fit_intercept=False"),
    (lambda: lc.lasso_path(GOOD_X, GOOD_Y, eps=0.0), ValueError, "eps must be > 0"),
    (lambda: lc.lasso_path(GOOD_X, GOOD_Y, n_lambdas=0), ValueError, "n_lambdas must be >= 1"),
    (lambda: lc.lasso_path(GOOD_X, GOOD_Y, lambdas=[0.1, -1.0]), ValueError, "lambdas must all be > 0"),
    (lambda: lc.gradient_descent(GOOD_X, GOOD_Y, 0.1, lr=-1.0), ValueError, "lr must be > 0"),
])
def test_bad_options_raise_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_callers_arrays_are_never_modified():
    X, y = make_data(20, 30, seed=11)
    X0, y0 = X.copy(), y.copy()
    lc.ridge(X, y, 0.1)
    lc.gradient_descent(X, y, 0.1, max_iter=10, tol=1.0)
    lc.subgradient_descent(X, y, 0.1, max_iter=10, tol=1.0)
    for f in SOLVERS.values():
        f(X, y, 0.1, 0.5, max_iter=10, tol=1.0)
    lc.lasso_path(X, y, n_lambdas=5)
    lc.enet_path(X, y, 0.5, lambdas=np.array([0.5, 0.1]))
    w = np.ones(30)
    lc.duality_gap(X, y, w, 0.5, 0.1)
    lc.kkt_violation(X, y, w, 0.5, 0.1)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w, 1.0)


def test_least_squares_and_predict():
    X, y = make_data(30, 6)
    Xc, yc = centred(X, y, True)
    res = lc.least_squares(X, y)
    np.testing.assert_allclose(res.coef, np.linalg.lstsq(Xc, yc, rcond=None)[0], atol=1e-10)
    np.testing.assert_allclose(res.predict(X[:3]), X[:3] @ res.coef + res.intercept)
    with pytest.raises(ValueError, match="X must be 2-D with 6 columns"):
        res.predict(X[:, :5])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_gradient_descent_with_too_large_a_step_reports_divergence():
    X, y = make_data(30, 6)
    with pytest.raises(FloatingPointError, match="lr=.* is too large"):
        lc.gradient_descent(X, y, 0.1, lr=1e3)


# ------------------------------------------------- regression cases met by the chapters


def test_lasso_path_regression_case_from_chapter_3_converges_and_matches_coordinate_descent():
    """Once hit max_iter at lam ~ 0.0775: the active-set loop cycled and the CD fallback got 0 iterations."""
    from lecture_code.data import make_regression

    d = make_regression(n=100, p=40, n_informative=5, rho=0.3, noise=1.0, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = lc.lasso_path(d.X, d.y, n_lambdas=80, eps=1e-3)
        tight = lc.lasso_path(d.X, d.y, n_lambdas=80, eps=1e-3, tol=1e-12)
    assert np.all(path.gaps <= 1e-6) and np.any(np.abs(path.lambdas - 0.0775) < 0.005)
    Xc, yc = centred(d.X, d.y, True)
    j0 = yc @ yc / (2 * len(yc))
    for i, lam in enumerate(path.lambdas):
        ref = lc.coordinate_descent(d.X, d.y, lam, tol=1e-13, max_iter=100_000)
        np.testing.assert_allclose(tight.coefs[:, i], ref.coef, atol=1e-6)
        best = objective(d.X, d.y, ref.coef, ref.intercept, lam, 1.0)
        assert objective(d.X, d.y, path.coefs[:, i], path.intercepts[i], lam, 1.0) - best <= 1e-6 * j0 + 1e-12


def test_lasso_path_on_the_ill_conditioned_degree_15_polynomial_converges():
    """The study questions' case: standardised powers x..x^15 (condition number ~1e12), a long path."""
    from lecture_code.data import make_curve_data
    from lecture_code.polynomial import fit_polynomial

    d = make_curve_data(20, noise=0.25, seed=0)
    Z = fit_polynomial(d.x, d.y, 15).features(d.x)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = lc.lasso_path(Z, d.y, n_lambdas=23, eps=1e-5)
    assert np.all(path.gaps <= 1e-6)
    for i, lam in enumerate(path.lambdas):
        assert kkt(Z, d.y, path.coefs[:, i], path.intercepts[i], lam, 1.0, True) <= 1e-3 * lam


# ------------------------------------------------- internals of the path solver


def test_face_minimiser_and_its_cache_match_the_written_out_normal_equations():
    """The face system (G_AA + mu I) w_A = X_A^T y/n - kappa s, solved fresh and (lasso) from the kept face at
    another kappa."""
    from lecture_code.solvers._path_engine import _GramRows, _newton_on_face, _same_face_minimiser

    X, y = centred(*make_data(30, 60, rho=0.5, seed=4), True)
    n = len(y)
    support, signs = np.array([3, 7, 20, 41]), np.array([1.0, -1.0, 1.0, -1.0])
    XA = X[:, support]

    def reference(kappa, mu, s=signs):
        return np.linalg.lstsq(XA.T @ XA / n + mu * np.eye(4), XA.T @ y / n - kappa * s, rcond=None)[0]

    for mu in (0.0, 0.3):
        gram = _GramRows(X, y)
        gram.add(support)
        np.testing.assert_allclose(_newton_on_face(gram, support, signs, 0.2, mu), reference(0.2, mu), rtol=1e-9)
        assert (gram.face is not None) == (mu == 0.0)  # kept for the lasso only: the elastic net's mu moves with lam
        # Same face, same mu, another kappa: for the lasso answered from the kept face (no new solve), still exact.
        np.testing.assert_allclose(_newton_on_face(gram, support, signs, 0.15, mu), reference(0.15, mu), rtol=1e-9)
        # Another mu or other signs: solved again.
        np.testing.assert_allclose(_newton_on_face(gram, support, signs, 0.15, mu + 0.1), reference(0.15, mu + 0.1),
                                   rtol=1e-9)
        flipped = signs.copy()
        flipped[0] = -1.0
        np.testing.assert_allclose(_newton_on_face(gram, support, flipped, 0.1, mu), reference(0.1, mu, flipped),
                                   rtol=1e-9)

    # _same_face_minimiser: only for the kept face, the same mu, and when the signs are kept.
    gram = _GramRows(X, y)
    gram.add(support)
    kappa = 0.05
    signs_w = np.sign(np.linalg.solve(XA.T @ XA / n, XA.T @ y / n))  # at kappa -> 0 the signs of least squares
    target = _newton_on_face(gram, support, signs_w, kappa, 0.0)
    assert np.all(np.sign(target) == signs_w)
    w = np.zeros(X.shape[1])
    w[support] = target
    expected = reference(0.9 * kappa, 0.0, signs_w)
    assert np.all(np.sign(expected) == signs_w)
    guess = _same_face_minimiser(gram, w, 0.9 * kappa, 0.0)
    np.testing.assert_allclose(guess[support], expected, rtol=1e-9)
    assert np.count_nonzero(guess) == 4
    assert _same_face_minimiser(gram, w, 100.0, 0.0) is None  # the face minimiser there has other signs
    assert _same_face_minimiser(gram, w, 0.9 * kappa, 0.01) is None  # mu changed
    w_other = w.copy()
    w_other[0] = 1.0  # another support
    assert _same_face_minimiser(gram, w_other, 0.9 * kappa, 0.0) is None


@pytest.mark.parametrize("direct", [0, None])
@pytest.mark.parametrize("shape", [(400, 150), (120, 300)])
def test_kept_face_inverse_follows_entering_and_leaving_features_and_changes_of_mu(shape, direct, monkeypatch):
    """_FaceInverse against the written-out normal equations (G_AA + mu I) x = b, solved directly, along a random
    walk of supports: one or several features joining, features leaving, mu drifting (conjugate gradients) and
    jumping (rebuild), the lasso's mu = 0, and a feature in the span of the support (p > n, singular: None).
    ``direct=0`` keeps the inverse even for small faces; None uses the engine's threshold (faces of ~100 and more)."""
    from lecture_code.solvers._gram_rows import _FaceInverse, _GramRows

    if direct is not None:
        monkeypatch.setattr(_FaceInverse, "DIRECT", direct)
    n, p = shape
    X, y = centred(*make_data(n, p, rho=0.7, seed=12), True)
    G = X.T @ X / n
    gram = _GramRows(X, y)
    rng = np.random.default_rng(3)
    support = np.sort(rng.choice(p, 100, replace=False))
    for it in range(60):
        mu = 0.0 if it < 20 else 0.05 * 0.9 ** (it - 20) if it < 50 else [0.3, 1e-3, 0.02][it % 3]
        gram.add(support)
        b = rng.standard_normal((support.size, 2))
        x = gram.inverse.solve(support, b, mu)
        expected = np.linalg.solve(G[np.ix_(support, support)] + mu * np.eye(support.size), b)
        np.testing.assert_allclose(x, expected, rtol=1e-7, atol=1e-7 * np.abs(expected).max())
        leave = rng.choice(support, rng.integers(0, 4), replace=False)
        join = rng.choice(np.setdiff1d(np.arange(p), support), rng.integers(0, 4), replace=False)
        support = np.sort(np.concatenate([np.setdiff1d(support, leave), join]))
    if n < p:  # a feature in the span of the others makes the lasso's face singular
        span = np.sort(rng.choice(p, n - 1, replace=False))  # centred X has rank n - 1: these span its columns
        gram.add(span)
        assert gram.inverse.solve(span, np.ones(span.size), 0.0) is not None
        extra = np.sort(np.append(span, np.setdiff1d(np.arange(p), span)[0]))
        gram.add(extra)
        assert gram.inverse.solve(extra, np.ones(extra.size), 0.0) is None


@pytest.mark.parametrize("tol", [2e-4, 1e-9])
@pytest.mark.parametrize("alpha", [1.0, 0.5])
@pytest.mark.parametrize("shape", [(150, 40), (40, 150)])
def test_path_at_loose_and_tight_tol_is_within_tol_of_sklearns_optimum(shape, alpha, tol):
    """Every accepted point (extrapolated, from the kept face or after active-set steps) is within tol*J(0)."""
    X, y = make_data(*shape, rho=0.8, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = lc.enet_path(X, y, alpha, n_lambdas=40, eps=1e-3, tol=tol)
    Xc, yc = centred(X, y, True)
    j0 = yc @ yc / (2 * len(yc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        _, ref, _ = sk_enet_path(Xc, yc, l1_ratio=alpha, alphas=path.lambdas, tol=1e-13, max_iter=1_000_000)
    for i, lam in enumerate(path.lambdas):
        subopt = objective(Xc, yc, path.coefs[:, i], 0.0, lam, alpha) - objective(Xc, yc, ref[:, i], 0.0, lam, alpha)
        assert subopt <= tol * j0 + 1e-12
        gap = lc.duality_gap(X, y, path.coefs[:, i], path.intercepts[i], lam, alpha)
        assert path.gaps[i] <= tol and gap <= tol * j0 * (1 + 1e-6) + 1e-13


def test_path_on_the_benchmark_problem_p_greater_than_n_takes_few_active_set_steps():
    """Performance guard: entering violators whose face minimiser has the wrong sign used to fall back to one
    feature at a time (338 steps for the elastic net, 381 for the lasso on 100 lambdas); now well under 250."""
    from lecture_code.data import make_regression

    d = make_regression(200, 1000, n_informative=15, rho=0.6, noise=2.5, seed=0)
    for alpha in (1.0, 0.5):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            path = lc.enet_path(d.X, d.y, alpha, n_lambdas=100, tol=2e-4)
        assert np.all(path.gaps <= 2e-4)
        assert path.n_iter.sum() < 250


def test_enter_one_follows_the_new_face_and_handles_a_feature_in_the_span_of_the_support():
    """Bordering step: the exact face minimiser when the new face system is regular; otherwise J still decreases
    along the singular face until a weight leaves (the only way forward when p > n)."""
    from lecture_code.solvers._path_engine import _enter_one, _GramRows

    rng = np.random.default_rng(8)
    n = 50
    X = rng.standard_normal((n, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # column 3 lies in the span of columns 0 and 1
    X, y = centred(X, X[:, :3] @ [1.0, 2.0, 0.5] + 0.3 * rng.standard_normal(n), True)

    def face_minimiser(support, signs, kappa):
        XA = X[:, support]
        return np.linalg.solve(XA.T @ XA / n, XA.T @ y / n - kappa * signs)

    def J(w, kappa):
        return objective(X, y, w, 0.0, kappa, 1.0)

    # Regular case: support {0, 1} at a kappa where feature 2 violates its KKT condition.
    kappa = 0.05
    w = np.zeros(4)
    w[[0, 1]] = face_minimiser([0, 1], np.array([1.0, 1.0]), kappa)
    assert np.all(w[[0, 1]] > 0)
    gram = _GramRows(X, y)
    corr = X.T @ (y - X @ w) / n
    assert abs(corr[2]) > kappa
    new, face_optimal = _enter_one(gram, w, corr, 2, kappa, 0.0)
    assert face_optimal
    np.testing.assert_allclose(new[[0, 1, 2]], face_minimiser([0, 1, 2], np.sign(new[[0, 1, 2]]), kappa), rtol=1e-9)
    assert new[3] == 0.0

    # Singular case: feature 3 = x0 + x1 joining the support {0, 1} (weights of equal signs, so its correlation
    # is 2 kappa: a violator); sigma = 0, so the step must stop where a weight reaches 0, with J lower than before.
    corr = X.T @ (y - X @ w) / n
    assert abs(corr[3]) > kappa
    new, face_optimal = _enter_one(gram, w, corr, 3, kappa, 0.0)
    assert not face_optimal and np.count_nonzero(new[[0, 1]]) == 1 and new[3] > 0 and new[2] == 0.0
    assert J(new, kappa) < J(w, kappa) - 1e-3
    np.testing.assert_allclose(X @ new, X @ w, atol=1e-9)  # moved along the null direction of the face


def test_lasso_path_with_p_greater_than_n_and_a_support_of_full_rank_converges():
    """Once a face with rank(X) features had a violator whose single-feature face system was singular:
    the path gave up to coordinate descent at 8 lambdas (max_iter). Now the entering step follows the face edge."""
    from lecture_code.data import make_regression

    d = make_regression(n=29, p=48, n_informative=17, rho=0.99, noise=2.994437664587297, seed=184546)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = lc.lasso_path(d.X, d.y, n_lambdas=50, eps=1e-4, tol=1e-10)
    assert np.all(path.gaps <= 1e-10) and path.n_iter.max() < 100
    Xc, yc = centred(d.X, d.y, True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        _, ref, _ = sk_enet_path(Xc, yc, l1_ratio=1.0, alphas=path.lambdas, tol=1e-13, max_iter=1_000_000)
    j0 = yc @ yc / (2 * len(yc))
    for i, lam in enumerate(path.lambdas):
        assert objective(Xc, yc, path.coefs[:, i], 0.0, lam, 1.0) - objective(Xc, yc, ref[:, i], 0.0, lam, 1.0) \
            <= 1e-10 * j0 + 1e-12


# ------------------------------------------------- the problems of benchmarks/solvers.py

# (n, p, rho, seed) of make_regression(n, p, n_informative=15, rho=rho, noise=2.5, seed=seed), as in the benchmark:
# the shapes the path engine was first tuned on, and the three it was not.
BENCHMARK_PROBLEMS = {
    "n>p": (1000, 200, 0.6, 0),
    "p>n": (200, 1000, 0.6, 0),
    "p>n seed 1": (200, 1000, 0.6, 1),
    "correlated": (400, 400, 0.9, 0),
    "tall": (5000, 40, 0.6, 0),
}


def written_out_gap(X, y, w, lam, alpha):
    """Duality gap for centred X, y and no intercept, from the residual r: the better of two dual points,
    theta = s r/n scaled into the feasible set |X^T theta - mu w|_inf <= kappa (alpha > 0), and theta = r/n with
    the exact conjugate of the penalty, |S(X^T theta, kappa)|^2/(2 mu) (alpha < 1)."""
    n = len(y)
    kappa, mu = lam * alpha, lam * (1 - alpha)
    r = y - X @ w
    c = X.T @ r / n
    primal = r @ r / (2 * n) + kappa * np.abs(w).sum() + mu / 2 * w @ w
    duals = []
    if kappa > 0:
        s = min(1.0, kappa / np.abs(c - mu * w).max())
        duals.append(s * (r @ y) / n - s**2 / 2 * (r @ r / n + mu * w @ w))
    if mu > 0:
        soft = np.maximum(np.abs(c) - kappa, 0.0)
        duals.append((r @ y) / n - (r @ r) / (2 * n) - soft @ soft / (2 * mu))
    return primal - max(duals)


@pytest.mark.parametrize("alpha", [1.0, 0.5])
@pytest.mark.parametrize("problem", [name for name in BENCHMARK_PROBLEMS if name not in ("n>p", "p>n")])
def test_paths_on_the_benchmark_problems_the_engine_was_not_tuned_on(problem, alpha):
    """Correctness on the benchmark's problems (no timing here): at the benchmark's two tolerances every point of
    the 100-point path is certified by a duality gap written out here, and is within tol * J(0) of
    scikit-learn's optimum at a tight tolerance (every 11th point; same centred data, same grid)."""
    from lecture_code.data import make_regression

    n, p, rho, seed = BENCHMARK_PROBLEMS[problem]
    d = make_regression(n, p, n_informative=15, rho=rho, noise=2.5, seed=seed)
    X, y = centred(d.X, d.y, True)
    j0 = y @ y / (2 * n)
    paths = {}
    for tol in (2e-4, 1e-10):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            paths[tol] = lc.enet_path(X, y, alpha, n_lambdas=100, fit_intercept=False, tol=tol)
        path = paths[tol]
        assert path.lambdas[0] == pytest.approx(np.abs(X.T @ y).max() / (n * alpha), rel=1e-12)
        assert not path.coefs[:, 0].any() and path.coefs[:, -1].any()
        for i, lam in enumerate(path.lambdas):
            assert path.gaps[i] <= tol
            assert written_out_gap(X, y, path.coefs[:, i], lam, alpha) <= tol * j0 * (1 + 1e-6) + 1e-13
    some = np.arange(0, 100, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        _, ref, _ = sk_enet_path(np.asfortranarray(X), y, l1_ratio=alpha, alphas=paths[1e-10].lambdas[some],
                                 tol=1e-10, max_iter=1_000_000)
    for tol, path in paths.items():
        for j, i in enumerate(some):
            lam = path.lambdas[i]
            subopt = objective(X, y, path.coefs[:, i], 0.0, lam, alpha) - objective(X, y, ref[:, j], 0.0, lam, alpha)
            assert subopt <= tol * j0 + 1e-12 * j0


@pytest.mark.parametrize("alpha", [1.0, 0.5])
@pytest.mark.parametrize("problem", ["n>p", "p>n"])
def test_interpolated_points_of_the_benchmark_paths_satisfy_the_kkt_conditions_at_a_tight_tol(problem, alpha):
    """At tol = 1e-12 every point, whether interpolated between its neighbours or solved, satisfies the KKT
    conditions as written out in this file (kkt), with a fitted intercept."""
    from lecture_code.data import make_regression

    n, p, rho, seed = BENCHMARK_PROBLEMS[problem]
    d = make_regression(n, p, n_informative=15, rho=rho, noise=2.5, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = lc.enet_path(d.X, d.y, alpha, n_lambdas=40, tol=1e-12)
    Xc, yc = centred(d.X, d.y, True)
    scale = np.abs(Xc.T @ yc).max() / n  # lambda_max * alpha: the size of the correlations
    for i, lam in enumerate(path.lambdas):
        assert kkt(d.X, d.y, path.coefs[:, i], path.intercepts[i], lam, alpha, True) <= 1e-6 * scale
