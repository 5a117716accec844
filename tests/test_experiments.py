"""Experiment helpers of chapter 11, checked against brute force, closed forms and plain calls of nn."""

import itertools

import numpy as np
import pytest

from lecture_code.experiments import (SeedRuns, count_linear_pieces, epochs_to_reach, fixed_budget_architectures,
                                      pairwise_disagreement, running_mean_gap, subnetwork_outputs, tent_map_network,
                                      train_seeds)
from lecture_code.nn import MLP, train


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(float)
    return X, y


# ----------------------------------------------------------------------------- several seeds
def test_train_seeds_reproduces_separate_runs(data):
    X, y = data
    for stacked in (False, True):
        runs = train_seeds([2, 5, 1], X, y, seeds=[4, 7], activation="tanh", init="xavier",
                           loss="binary_cross_entropy", lr=0.3, epochs=6, batch_size=10, stacked=stacked)
        assert isinstance(runs, SeedRuns) and runs.seeds == (4, 7)
        for s, model, hist in zip(runs.seeds, runs.models, runs.histories):
            ref = MLP([2, 5, 1], activation="tanh", init="xavier", seed=s)
            ref_hist = train(ref, X, y, loss="binary_cross_entropy", lr=0.3, epochs=6, batch_size=10, seed=s)
            for W, V in zip(model.weights + model.biases, ref.weights + ref.biases):
                np.testing.assert_allclose(W, V, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(hist.train_loss, ref_hist.train_loss, rtol=1e-12)
        assert runs.curves().shape == (2, 7)
        np.testing.assert_array_equal(runs.epochs, np.arange(7))
        np.testing.assert_array_equal(runs.final(), runs.curves()[:, -1])
        assert runs.curves("gradient_norms").shape == (2, 7, 2)


_HISTORY_FIELDS = ("train_loss", "objective", "weight_norms", "gradient_norms", "train_accuracy", "val_loss",
                   "val_accuracy")


@pytest.mark.parametrize("sizes, options", [
    ([2, 8, 8, 1], dict(activation="relu", loss="squared", lr=0.01, epochs=30, optimizer="adam", l1=1e-3, l2=1e-2)),
    ([2, 8, 8, 1], dict(activation="relu", loss="binary_cross_entropy", lr=0.1, epochs=10, batch_size=7,
                        dropout=0.3, weight_decay=0.01, record_every=3)),
    ([2, 6, 1], dict(activation="sigmoid", loss="squared", lr=0.1, epochs=10, batch_size=16, l1=0.01,
                     l1_mode="proximal", bias=False)),
    ([2, 6, 3], dict(activation="tanh", loss="softmax_cross_entropy", lr=0.2, epochs=10, batch_size=13)),
    ([2, 6, 6, 1], dict(activation="tanh", loss="squared", lr=0.05, epochs=8, optimizer="adam", batch_size=9,
                        dropout=0.2, l2=0.1, weight_decay=0.05, record_every=4)),
])
def test_stacked_training_equals_one_run_per_seed(data, sizes, options):
    # Every option of nn.train, trained once as a stack and once seed by seed: the same networks and histories
    # up to rounding, including the validation records and each seed's own shuffling and dropout masks.
    X, labels = data
    y = {"squared": np.sin(X[:, 0]) + X[:, 1], "binary_cross_entropy": labels,
         "softmax_cross_entropy": (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)}[options["loss"]]
    options = options | {"X_val": X[:9], "y_val": y[:9]}
    seeds = [0, 1, 2, 5]
    stacked = train_seeds(sizes, X, y, seeds=seeds, **options)
    separate = train_seeds(sizes, X, y, seeds=seeds, stacked=False, **options)
    for a, b, ma, mb in zip(stacked.histories, separate.histories, stacked.models, separate.models):
        assert (a.diverged, a.diverged_epoch, a.epochs_run) == (b.diverged, b.diverged_epoch, b.epochs_run)
        np.testing.assert_array_equal(a.epochs, b.epochs)
        for name in _HISTORY_FIELDS:
            va, vb = getattr(a, name), getattr(b, name)
            assert (va is None) == (vb is None), name
            if va is not None:
                np.testing.assert_allclose(va, vb, rtol=1e-10, atol=1e-13, err_msg=name)
        for W, V in zip(ma.weights + [c for c in ma.biases if c is not None],
                        mb.weights + [c for c in mb.biases if c is not None]):
            np.testing.assert_allclose(W, V, rtol=1e-10, atol=1e-13)
    # The seeds really differ (different initial weights and batches), so the comparison is not vacuous.
    assert not np.allclose(stacked.models[0].weights[0], stacked.models[1].weights[0])


@pytest.mark.parametrize("options", [dict(lr=3.0, epochs=40, record_every=7),
                                     dict(lr=0.9, epochs=40, batch_size=8, optimizer="adam"),
                                     dict(lr=50.0, epochs=5, batch_size=8)])
def test_stacked_training_stops_each_diverging_seed_where_train_does(data, options):
    X, _ = data
    y = 30 * np.sin(X[:, 0])
    stacked = train_seeds([2, 16, 16, 1], X, y, seeds=[0, 1, 2, 5], loss="squared", **options)
    separate = train_seeds([2, 16, 16, 1], X, y, seeds=[0, 1, 2, 5], loss="squared", stacked=False, **options)
    for a, b, ma, mb in zip(stacked.histories, separate.histories, stacked.models, separate.models):
        assert (a.diverged, a.diverged_epoch, a.epochs_run) == (b.diverged, b.diverged_epoch, b.epochs_run)
        np.testing.assert_array_equal(a.epochs, b.epochs)
        np.testing.assert_allclose(a.train_loss, b.train_loss, rtol=1e-10)
        for W, V in zip(ma.weights, mb.weights):
            np.testing.assert_allclose(W, V, rtol=1e-10, atol=1e-13)
    if options["lr"] == 3.0:
        # some seeds diverge and others do not: the stacked run must stop only the diverging ones
        assert len({h.diverged for h in stacked.histories}) == 2


def test_curves_pad_a_shorter_diverged_run_with_nan():
    from types import SimpleNamespace

    short = SimpleNamespace(epochs=np.array([0, 1]), train_loss=np.array([1.0, np.inf]))
    full = SimpleNamespace(epochs=np.array([0, 1, 2, 3]), train_loss=np.array([1.0, 0.5, 0.25, 0.125]))
    runs = SeedRuns(seeds=(0, 1), models=[None, None], histories=[short, full])
    c = runs.curves()
    assert c.shape == (2, 4) and np.isnan(c[0, 2:]).all() and c[0, 1] == np.inf
    np.testing.assert_array_equal(runs.epochs, [0, 1, 2, 3])
    assert np.isnan(runs.final()[0]) and runs.final()[1] == 0.125
    assert np.array_equal(epochs_to_reach(c, 0.3, epochs=runs.epochs), [np.inf, 2.0])


def test_train_seeds_rejects_bad_arguments(data):
    X, y = data
    with pytest.raises(ValueError, match="seeds"):
        train_seeds([2, 3, 1], X, y, seeds=[], loss="squared", lr=0.1, epochs=1)
    with pytest.raises(TypeError, match="seeds"):
        train_seeds([2, 3, 1], X, y, seeds=[0.5], loss="squared", lr=0.1, epochs=1)
    with pytest.raises(TypeError, match="seed"):
        train_seeds([2, 3, 1], X, y, seeds=[0], seed=1, loss="squared", lr=0.1, epochs=1)
    with pytest.raises(TypeError, match="stacked"):
        train_seeds([2, 3, 1], X, y, seeds=[0], stacked=1, loss="squared", lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="optimizer"):       # options are validated by nn.train in both forms
        train_seeds([2, 3, 1], X, y, seeds=[0, 1], loss="squared", lr=0.1, epochs=1, optimizer="lbfgs")
    with pytest.raises(ValueError, match="lr"):
        train_seeds([2, 3, 1], X, y, seeds=[0, 1], loss="squared", lr=-0.1, epochs=1)
    runs = train_seeds([2, 3, 1], X, y, seeds=[0], loss="squared", lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="name"):
        runs.curves("train_accuracy")        # squared loss records no accuracy
    with pytest.raises(TypeError, match="name"):
        runs.curves(3)


def test_fixed_budget_architectures():
    archs = fixed_budget_architectures(24, [1, 2, 3, 8])
    assert archs == [[24], [12, 12], [8, 8, 8], [3] * 8]
    assert all(sum(a) == 24 for a in archs)
    with pytest.raises(ValueError, match="depths"):
        fixed_budget_architectures(24, [5])
    with pytest.raises(ValueError, match="depths"):
        fixed_budget_architectures(24, [])
    with pytest.raises(TypeError, match="n_neurons"):
        fixed_budget_architectures(24.0, [1])
    with pytest.raises(ValueError, match="depths"):
        fixed_budget_architectures(24, [0])


def test_epochs_to_reach():
    curves = np.array([[1.0, 0.6, 0.4, 0.2], [1.0, 0.9, np.nan, np.nan], [0.3, 0.5, 0.1, 0.0]])
    np.testing.assert_array_equal(epochs_to_reach(curves, 0.5), [2.0, np.inf, 0.0])
    np.testing.assert_array_equal(epochs_to_reach(curves, 0.5, epochs=[0, 10, 20, 30]), [20.0, np.inf, 0.0])
    assert epochs_to_reach([2.0, 1.0, 0.5], 1.0) == 1.0
    with pytest.raises(ValueError, match="epochs"):
        epochs_to_reach(curves, 0.5, epochs=[0, 1])
    with pytest.raises(ValueError, match="curves"):
        epochs_to_reach(np.zeros((2, 2, 2)), 0.5)
    with pytest.raises(TypeError, match="threshold"):
        epochs_to_reach(curves, "0.5")


# ----------------------------------------------------------------------------- dropout ensembles
def _all_masks_expectation(mlp, X, p):
    """E_m[raw output] by enumerating every keep-mask of the single hidden layer, weighted by its probability."""
    width = mlp.sizes[1]
    total = np.zeros((X.shape[0], mlp.sizes[-1]))
    for bits in itertools.product([0.0, 1.0], repeat=width):
        m = np.array(bits)
        prob = np.prod(np.where(m == 1, 1 - p, p))
        h = np.maximum(X @ mlp.weights[0] + mlp.biases[0], 0.0) * m / (1 - p)
        total += prob * (h @ mlp.weights[1] + mlp.biases[1])
    return total[:, 0]


def test_subnetwork_mean_converges_to_the_exact_expectation_over_all_masks(data):
    X, _ = data
    mlp = MLP([2, 6, 1], seed=1)
    mlp.biases[0][:] = np.linspace(-0.5, 0.5, 6)
    mlp.biases[1][:] = 0.3
    exact = _all_masks_expectation(mlp, X[:10], 0.4)
    samples = subnetwork_outputs(mlp, X[:10], dropout=0.4, n_subnetworks=20_000, seed=5, proba=False)
    se = samples.std(axis=0) / np.sqrt(samples.shape[0])
    assert np.all(np.abs(samples.mean(axis=0) - exact) < 5 * se + 1e-12)
    # With one hidden layer and a linear output, the ensemble mean IS the deterministic pass (weight scaling).
    np.testing.assert_allclose(exact, mlp.predict(X[:10]), atol=1e-12)


def test_each_row_is_one_subnetwork_shared_by_all_inputs(data):
    X, _ = data
    mlp = MLP([2, 8, 8, 1], seed=2)
    same_point = np.repeat(X[:1], 5, axis=0)
    out = subnetwork_outputs(mlp, same_point, dropout=0.5, n_subnetworks=30, seed=0, proba=False)
    assert out.shape == (30, 5)
    np.testing.assert_allclose(out, out[:, :1] * np.ones((1, 5)), atol=0)   # one mask per row
    assert np.unique(np.round(out[:, 0], 12)).size > 5                       # different masks across rows


def test_subnetwork_outputs_match_forward_with_the_same_masks(data):
    X, _ = data
    mlp = MLP([2, 4, 3, 1], seed=0)
    p = 0.3
    got = subnetwork_outputs(mlp, X, dropout=p, n_subnetworks=3, seed=9, proba=False)
    rng = np.random.default_rng(9)
    for k in range(3):
        keep = [(rng.random(w) >= p).astype(float) for w in (4, 3)]
        # The forward pass written out: a = phi(z) * m / (1 - p) on each hidden layer.
        a = X
        for W, b, m in zip(mlp.weights[:-1], mlp.biases[:-1], keep):
            a = np.maximum(a @ W + b, 0.0) * m / (1 - p)
        np.testing.assert_allclose(got[k], (a @ mlp.weights[-1] + mlp.biases[-1])[:, 0], rtol=1e-12, atol=1e-12)


def test_subnetwork_probabilities(data):
    X, _ = data
    binary = MLP([2, 5, 1], seed=0)
    assert np.allclose(subnetwork_outputs(binary, X, dropout=0.0, n_subnetworks=2),
                       1 / (1 + np.exp(-binary.predict(X))), atol=1e-12)
    multi = MLP([2, 5, 3], seed=0)
    P = subnetwork_outputs(multi, X, dropout=0.5, n_subnetworks=4, seed=1)
    assert P.shape == (4, 40, 3) and np.allclose(P.sum(axis=2), 1.0)
    Z = subnetwork_outputs(multi, X, dropout=0.5, n_subnetworks=4, seed=1, proba=False)
    E = np.exp(Z)
    np.testing.assert_allclose(P, E / E.sum(axis=2, keepdims=True), rtol=1e-12)


def test_subnetwork_outputs_rejects_bad_arguments(data):
    X, _ = data
    mlp = MLP([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match="mlp"):
        subnetwork_outputs("net", X, dropout=0.5, n_subnetworks=2)
    with pytest.raises(ValueError, match="hidden"):
        subnetwork_outputs(MLP([2, 1]), X, dropout=0.5, n_subnetworks=2)
    with pytest.raises(ValueError, match="dropout"):
        subnetwork_outputs(mlp, X, dropout=1.0, n_subnetworks=2)
    with pytest.raises(ValueError, match="n_subnetworks"):
        subnetwork_outputs(mlp, X, dropout=0.5, n_subnetworks=0)
    with pytest.raises(TypeError, match="proba"):
        subnetwork_outputs(mlp, X, dropout=0.5, n_subnetworks=2, proba=1)
    with pytest.raises(ValueError, match="X"):
        subnetwork_outputs(mlp, X[:, :1], dropout=0.5, n_subnetworks=2)


def test_running_mean_gap():
    samples = np.array([[1.0, 3.0], [3.0, 1.0], [2.0, 5.0]])
    reference = np.array([2.0, 2.0])
    # Running means: [1, 3], [2, 2], [2, 3]  ->  mean |gap| = 1, 0, 0.5.
    np.testing.assert_allclose(running_mean_gap(samples, reference), [1.0, 0.0, 0.5])
    with pytest.raises(ValueError, match="samples"):
        running_mean_gap(samples, np.zeros(3))
    with pytest.raises(ValueError, match="reference"):
        running_mean_gap(samples, np.zeros((2, 1)))


def test_pairwise_disagreement_matches_brute_force():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=(7, 11))
    brute = np.mean([[labels[a, i] != labels[b, i] for a in range(7) for b in range(7) if a != b]
                     for i in range(11)])
    assert pairwise_disagreement(labels) == pytest.approx(brute, abs=1e-12)
    assert pairwise_disagreement(np.ones((4, 6), dtype=int)) == 0.0
    assert pairwise_disagreement(np.array([[0, 1], [1, 0]])) == 1.0
    assert pairwise_disagreement(np.array([[True, False], [True, True]])) == pytest.approx(0.5)


def test_pairwise_disagreement_rejects_bad_arguments():
    with pytest.raises(ValueError, match="labels"):
        pairwise_disagreement(np.zeros((1, 4), dtype=int))
    with pytest.raises(ValueError, match="labels"):
        pairwise_disagreement(np.zeros(4, dtype=int))
    with pytest.raises(TypeError, match="labels"):
        pairwise_disagreement(np.zeros((3, 4)))


# ----------------------------------------------------------------------------- linear pieces
def _one_layer(kinks, slopes_out):
    """f(x) = sum_j v_j relu(x - k_j): kinks exactly at k_j."""
    mlp = MLP([1, len(kinks), 1], seed=0)
    mlp.weights[0][:] = 1.0
    mlp.biases[0][:] = -np.asarray(kinks, dtype=float)
    mlp.weights[1][:, 0] = slopes_out
    mlp.biases[1][:] = 0.0
    return mlp


def test_count_linear_pieces_of_known_networks():
    assert count_linear_pieces(_one_layer([-0.5, 0.1, 0.7], [1.0, -2.0, 3.0])) == 4
    # Kinks outside the interval do not count; a unit with zero outgoing weight adds no kink.
    assert count_linear_pieces(_one_layer([-0.5, 1.5, 0.3], [1.0, 1.0, 0.0])) == 2
    assert count_linear_pieces(_one_layer([-0.5, 0.3], [1.0, 1.0]), low=0.0, high=1.0) == 2
    # A kink that falls exactly on a grid point is counted once as well.
    assert count_linear_pieces(_one_layer([0.0], [1.0])) == 2


def test_tent_map_network_is_the_composed_tent_map_with_2_to_the_k_pieces():
    t = lambda u: 1 - np.abs(2 * u - 1)
    x = np.linspace(0, 1, 1001)
    for k in range(1, 7):
        net = tent_map_network(k)
        assert net.sizes == [1] + [2] * k + [1]
        ref = x.copy()
        for _ in range(k):
            ref = t(ref)
        np.testing.assert_allclose(net.predict(x[:, None]), ref, atol=1e-12)
        assert count_linear_pieces(net, low=0.0, high=1.0, n_grid=8001) == 2**k
    with pytest.raises(ValueError, match="k"):
        tent_map_network(0)


def test_count_linear_pieces_rejects_bad_arguments():
    with pytest.raises(ValueError, match="one input"):
        count_linear_pieces(MLP([2, 3, 1]))
    with pytest.raises(ValueError, match="piecewise linear"):
        count_linear_pieces(MLP([1, 3, 1], activation="tanh"))
    with pytest.raises(ValueError, match="high"):
        count_linear_pieces(MLP([1, 3, 1]), low=1.0, high=0.0)
    with pytest.raises(TypeError, match="mlp"):
        count_linear_pieces(None)
    with pytest.raises(ValueError, match="n_grid"):
        count_linear_pieces(MLP([1, 3, 1]), n_grid=2)
