"""Chapter 5: the lasso-path explorer and the coefficient-path plot, checked against scikit-learn and closed forms."""

import base64
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import Lasso  # noqa: E402

from lecture_code.data import make_regression  # noqa: E402
from lecture_code.plots import plot_coefficient_path  # noqa: E402
from lecture_code.explorers import lasso_path_explorer  # noqa: E402
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402



@pytest.fixture(scope="module")
def problem():
    return make_regression(60, 8, n_informative=3, rho=0.3, noise=0.5, intercept=1.0, seed=3)


@pytest.fixture(scope="module")
def explorer(problem):
    return lasso_path_explorer(problem.X, problem.y, n_frames=4, eps=1e-2, true_coef=problem.coef, start=1)



def _frame_lambdas(X, y, n_frames, eps):
    """The documented grid: geometric from lambda_max = ||Xc^T yc||_inf / n, four grid points per frame."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    lam_max = np.abs(Xc.T @ yc).max() / X.shape[0]
    return np.geomspace(lam_max, eps * lam_max, 4 * (n_frames - 1) + 1)[::4]


def test_one_distinct_png_frame_per_position(explorer):
    payload = _payload(explorer.to_html())
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert len(frames) == 4 and all(f.startswith(PNG_MAGIC) for f in frames)
    assert len(set(frames)) == 4
    assert len(payload["alts"]) == 4 and len(set(payload["alts"])) == 4


def test_labels_run_down_from_the_closed_form_lambda_max(problem, explorer):
    labels = _payload(explorer.to_html())["labels"]
    expected = _frame_lambdas(problem.X, problem.y, 4, 1e-2)
    assert labels == [f"λ = {lam:.3g}" for lam in expected]


def test_alt_text_non_zero_counts_match_scikit_learn(problem, explorer):
    alts = _payload(explorer.to_html())["alts"]
    p = problem.X.shape[1]
    for lam, alt in zip(_frame_lambdas(problem.X, problem.y, 4, 1e-2), alts):
        reference = Lasso(alpha=lam, tol=1e-12, max_iter=100_000).fit(problem.X, problem.y).coef_
        active = np.flatnonzero(np.abs(reference) > 1e-10)
        if active.size == 0:
            assert f"all {p} exactly zero" in alt
        else:
            assert f"{active.size} of {p} non-zero (features {', '.join(map(str, active))})" in alt
        found = np.intersect1d(active, problem.support).size
        assert f"{found} of them in the model" in alt


def test_first_frame_is_the_empty_model(explorer):
    alt = _payload(explorer.to_html())["alts"][0]
    assert "all 8 exactly zero" in alt and "0 of them in the model" in alt


def test_without_true_coef_the_support_is_not_mentioned(problem):
    alt = _payload(lasso_path_explorer(problem.X, problem.y, n_frames=2).to_html())["alts"][1]
    assert "true non-zero" not in alt


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_frames": 1}, ValueError, "n_frames must be >= 2"),
    ({"n_frames": 21}, ValueError, "n_frames must be <= 20"),
    ({"n_frames": 2.5}, TypeError, "n_frames must be an integer"),
    ({"eps": 0.0}, ValueError, "eps must be > 0"),
    ({"eps": 1.0}, ValueError, "eps must be < 1"),
    ({"start": 5, "n_frames": 5}, ValueError, "start must be <= 4"),
    ({"true_coef": np.ones(3)}, ValueError, "true_coef must have one entry per column of X"),
    ({"true_coef": "abc"}, TypeError, "true_coef must be an array"),
])
def test_rejects_bad_arguments(problem, kwargs, error, match):
    with pytest.raises(error, match=match):
        lasso_path_explorer(problem.X, problem.y, **kwargs)


def test_rejects_mismatched_data(problem):
    with pytest.raises(ValueError, match="X must be 2-D"):
        lasso_path_explorer(problem.X[:, 0], problem.y)
    with pytest.raises(ValueError, match="same number of rows"):
        lasso_path_explorer(problem.X, problem.y[:-1])


def test_plot_coefficient_path_draws_every_weight_on_a_log_axis():
    lambdas = np.array([1.0, 0.5, 0.25])
    coefs = np.array([[0.0, 0.2, 0.5], [0.0, 0.0, -0.3], [0.0, 0.1, 0.1]])
    fig, ax = plt.subplots()
    try:
        plot_coefficient_path(ax, lambdas, coefs, highlight=[1], lam_max=1.0)
        assert ax.get_xscale() == "log"
        weight_lines = [line for line in ax.get_lines() if np.array_equal(line.get_xdata(), lambdas)]
        assert len(weight_lines) == 3
        drawn = sorted(tuple(line.get_ydata()) for line in weight_lines)
        assert drawn == sorted(tuple(row) for row in coefs)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["other features", "w₁", r"$\lambda_{\max}$"]
        assert any(np.all(np.asarray(line.get_xdata()) == 1.0) for line in ax.get_lines())   # lambda_max line
    finally:
        plt.close(fig)


@pytest.mark.parametrize("coefs, highlight, match", [
    (np.zeros((2, 4)), (), "coefs must have shape"),
    (np.zeros(3), (), "coefs must have shape"),
    (np.zeros((2, 3)), (2,), "highlight must hold feature indices"),
])
def test_plot_coefficient_path_rejects_bad_shapes(coefs, highlight, match):
    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match=match):
            plot_coefficient_path(ax, np.array([1.0, 0.5, 0.25]), coefs, highlight=highlight)
    finally:
        plt.close(fig)
