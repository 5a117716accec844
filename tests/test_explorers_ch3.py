"""Chapter 3: the constrained two-weight picture (plot helper and explorer).

Reference: with an orthonormal design (X_c^T X_c / n = I) the loss is
½‖w − ŵ‖² + const, so the constrained solutions are the Euclidean projections
of the least-squares weights ŵ, which for two weights are computed here by hand.
"""

import re

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lecture_code import plots  # noqa: E402
from lecture_code.explorers import constraint_geometry_explorer  # noqa: E402


def _orthonormal_problem(w_hat, n=40, seed=0):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, 2))
    Z -= Z.mean(axis=0)
    Q, _ = np.linalg.qr(Z)               # centred, orthonormal columns
    X = np.sqrt(n) * Q                   # X_c^T X_c / n = I
    noise = rng.standard_normal(n)
    noise -= noise.mean() + Q @ (Q.T @ noise)   # residual orthogonal to X and to the constant
    return X, X @ np.asarray(w_hat) + 1.0 + 0.1 * noise


def _l1_projection_2d(v, s):
    """Projection of a 2-vector onto the L1 ball, case by case."""
    a = np.abs(v)
    if a.sum() <= s:
        return v
    big, small = np.argmax(a), np.argmin(a)
    if a[big] - a[small] >= s:           # the corner on the axis of the larger weight
        out = np.zeros(2)
        out[big] = np.sign(v[big]) * s
        return out
    theta = (a.sum() - s) / 2.0          # an edge: subtract the same amount from both
    return np.sign(v) * (a - theta)


def _coordinates(alt):
    return [tuple(map(float, m)) for m in re.findall(r"\((-?\d+\.\d+), (-?\d+\.\d+)\)", alt)]


@pytest.mark.parametrize("s", [0.4, 1.2, 2.0, 3.5])
def test_explorer_alt_text_states_the_projections_for_an_orthonormal_design(s):
    w_hat = np.array([2.0, 0.8])
    X, y = _orthonormal_problem(w_hat)
    explorer = constraint_geometry_explorer(X, y, [s])
    alt = explorer.alt(s)
    ols, l1, l2 = _coordinates(alt)
    np.testing.assert_allclose(ols, w_hat, atol=0.006)
    np.testing.assert_allclose(l1, _l1_projection_2d(w_hat, s), atol=0.006)
    l2_expected = w_hat * min(1.0, s / np.linalg.norm(w_hat))
    np.testing.assert_allclose(l2, l2_expected, atol=0.006)
    has_zero = _l1_projection_2d(w_hat, s)[1] == 0.0
    assert ("w2 exactly zero (a corner)" in alt) == has_zero
    assert ("no zero weight" in alt) == (not has_zero)


def test_explorer_renders_one_distinct_frame_per_radius():
    X, y = _orthonormal_problem([1.5, -0.5])
    explorer = constraint_geometry_explorer(X, y, [0.5, 1.0, 1.5], start=1)
    frames = [explorer.frame(i) for i in range(3)]
    assert all(f.startswith(b"\x89PNG") for f in frames) and len(set(frames)) == 3
    assert explorer.start == 1 and explorer.format_value(1.0) == "s = 1.00"


@pytest.mark.parametrize("kwargs, error, match", [
    ({"X": np.ones((5, 3))}, ValueError, "exactly 2 columns"),
    ({"s_values": []}, ValueError, "between 1 and 25"),
    ({"s_values": list(np.linspace(0.1, 2, 26))}, ValueError, "between 1 and 25"),
    ({"s_values": [0.0, 1.0]}, ValueError, "s_values must be > 0"),
    ({"s_values": ["a"]}, TypeError, "s_values must be a real number"),
    ({"start": 5}, ValueError, "start must be <= 1"),
])
def test_explorer_rejects_bad_arguments(kwargs, error, match):
    X, y = _orthonormal_problem([1.0, 1.0], n=5)
    args = {"X": X, "y": y, "s_values": [0.5, 1.0]} | kwargs
    with pytest.raises(error, match=match):
        constraint_geometry_explorer(args.pop("X"), args.pop("y"), args.pop("s_values"), **args)


def test_plot_constraint_geometry_draws_both_balls_and_the_solutions():
    w1, w2 = np.meshgrid(np.linspace(-2, 3, 50), np.linspace(-2, 2, 40))
    loss = 0.5 * ((w1 - 2.0) ** 2 + (w2 - 0.5) ** 2)
    s, w_l1, w_l2 = 1.2, np.array([1.2, 0.0]), np.array([1.16, 0.29])
    ax = Figure().subplots()
    plots.plot_constraint_geometry(ax, w1, w2, loss, s, w_ols=np.array([2.0, 0.5]), w_l1=w_l1,
                                   loss_l1=0.5 * (0.8**2 + 0.5**2), w_l2=w_l2, loss_l2=0.5 * (0.84**2 + 0.21**2))
    lines = {line.get_label(): line for line in ax.get_lines()}
    diamond = np.column_stack(lines[r"$\|w\|_1 \leq s$"].get_data())
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), s)                 # every vertex on |w1| + |w2| = s
    assert {tuple(v) for v in diamond[:4]} == {(s, 0), (0, s), (-s, 0), (0, -s)}
    circle = np.column_stack(lines[r"$\|w\|_2 \leq s$"].get_data())
    np.testing.assert_allclose(np.linalg.norm(circle, axis=1), s)
    np.testing.assert_allclose(np.ravel(lines["L1 solution"].get_data()), w_l1)
    np.testing.assert_allclose(np.ravel(lines["L2 solution"].get_data()), w_l2)
    assert lines[r"least squares $\hat w$"].get_marker() == "X"
    # No figure relies on colour alone: the two balls differ in line style, the solutions in marker.
    assert lines[r"$\|w\|_1 \leq s$"].get_linestyle() != lines[r"$\|w\|_2 \leq s$"].get_linestyle()
    assert lines["L1 solution"].get_marker() != lines["L2 solution"].get_marker()
    assert ax.get_aspect() == 1.0 and ax.get_legend() is not None
