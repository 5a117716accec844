"""The from-scratch network against central finite differences, closed forms and known behaviour."""

import itertools
import warnings

import numpy as np
import pytest

from lecture_code.datasets2d import make_moons, make_xor
from lecture_code.nn import ACTIVATIONS, LOSSES, MLP, History, train

N, SIZES = 6, [3, 4, 5]


def _targets(loss, n, n_out, rng):
    if loss == "softmax_cross_entropy":
        return rng.integers(0, n_out, size=n)
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, n_out)).astype(float)
    return rng.standard_normal((n, n_out))


def _numerical_gradient(f, arrays, h=1e-6):
    """Central differences of the scalar f() with respect to every entry of every array (in place)."""
    grads = []
    for A in arrays:
        G = np.zeros_like(A)
        for idx in np.ndindex(A.shape):
            old = A[idx]
            A[idx] = old + h
            fp = f()
            A[idx] = old - h
            fm = f()
            A[idx] = old
            G[idx] = (fp - fm) / (2 * h)
        grads.append(G)
    return grads


def _rel_error(a, b):
    a, b = np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b])
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


def _network(activation, loss, bias, seed=0):
    n_out = 3 if loss == "softmax_cross_entropy" else 2
    mlp = MLP(SIZES + [n_out], activation=activation, init="xavier", bias=bias, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for l, W in enumerate(mlp.weights):
        # Keep every weight at least 0.1 away from 0 (the L1 kink) and biases non-zero.
        W[...] = np.sign(W) * (0.1 + np.abs(W))
        if bias:
            mlp.biases[l][...] = 0.3 * rng.standard_normal(mlp.biases[l].shape)
    X = rng.standard_normal((N, SIZES[0]))
    y = _targets(loss, N, n_out, rng)
    return mlp, X, y


PENALTIES = [(0.0, 0.0), (0.0, 0.3), (0.2, 0.0), (0.2, 0.3)]


@pytest.mark.parametrize("activation, loss, penalty, bias, dropout",
                         list(itertools.product(ACTIVATIONS, LOSSES, PENALTIES, [True, False], [0.0, 0.4])))
def test_backpropagation_matches_central_differences(activation, loss, penalty, bias, dropout):
    l1, l2 = penalty
    mlp, X, y = _network(activation, loss, bias)
    masks = None
    if dropout:
        rng = np.random.default_rng(7)
        masks = [(rng.random((N, w)) >= dropout).astype(float) for w in SIZES[1:]]
    kwargs = dict(loss=loss, l1=l1, l2=l2, dropout=dropout, masks=masks)
    _, dW, db = mlp.loss_and_gradients(X, y, **kwargs)

    def f():
        return mlp.loss_and_gradients(X, y, **kwargs)[0]

    params = mlp.weights + ([b for b in mlp.biases] if bias else [])
    numeric = _numerical_gradient(f, params)
    analytic = dW + (db if bias else [])
    assert _rel_error(analytic, numeric) <= 1e-6
    if not bias:
        assert db == [None] * mlp.n_layers


@pytest.mark.parametrize("output", ["sigmoid", "tanh"])
def test_non_identity_output_with_squared_loss_matches_central_differences(output):
    mlp = MLP([2, 3, 2], activation="tanh", output=output, init=0.8, seed=3)
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    _, dW, db = mlp.loss_and_gradients(X, y, loss="squared", l2=0.1)
    numeric = _numerical_gradient(lambda: mlp.loss_and_gradients(X, y, loss="squared", l2=0.1)[0],
                                  mlp.weights + mlp.biases)
    assert _rel_error(dW + db, numeric) <= 1e-6


def test_loss_values_match_the_textbook_formulas():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 3))
    # Squared loss: 1/(2n) sum ||yhat - y||^2, plus the penalties on weights only.
    mlp = MLP([3, 4, 2], activation="sigmoid", seed=1)
    for b in mlp.biases:
        b += 5.0  # large biases must not enter the penalty
    y = rng.standard_normal((7, 2))
    out = mlp.forward(X)
    expected = np.sum((out - y) ** 2) / 14 + 0.5 * 0.3 * sum((W ** 2).sum() for W in mlp.weights) \
        + 0.2 * sum(np.abs(W).sum() for W in mlp.weights)
    assert mlp.loss_and_gradients(X, y, loss="squared", l1=0.2, l2=0.3)[0] == pytest.approx(expected, rel=1e-12)
    # Binary cross-entropy: the naive formula where it is safe.
    mlp = MLP([3, 4, 1], seed=2)
    t = rng.integers(0, 2, 7)
    p = 1 / (1 + np.exp(-mlp.forward(X)[:, 0]))
    naive = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert mlp.loss_and_gradients(X, t, loss="binary_cross_entropy")[0] == pytest.approx(naive, rel=1e-12)
    np.testing.assert_allclose(mlp.predict_proba(X), p, rtol=1e-12)
    # Softmax cross-entropy: the naive formula.
    mlp = MLP([3, 4, 3], seed=3)
    t = rng.integers(0, 3, 7)
    z = mlp.forward(X)
    P = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    naive = -np.mean(np.log(P[np.arange(7), t]))
    assert mlp.loss_and_gradients(X, t, loss="softmax_cross_entropy")[0] == pytest.approx(naive, rel=1e-12)
    np.testing.assert_allclose(mlp.predict_proba(X), P, rtol=1e-12)
    np.testing.assert_array_equal(mlp.predict_class(X), z.argmax(1))


def test_cross_entropies_stay_finite_for_huge_logits():
    X = np.array([[1.0], [-1.0]])
    mlp = MLP([1, 1], bias=False, init=1.0)
    mlp.weights[0][...] = 1000.0  # logits +-1000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, dW, _ = mlp.loss_and_gradients(X, [0, 1], loss="binary_cross_entropy")
    assert value == pytest.approx(1000.0)  # both points wrong by a margin of 1000
    assert np.isfinite(dW[0]).all()
    mlp2 = MLP([1, 2], bias=False, init=1.0)
    mlp2.weights[0][...] = [[1000.0, -1000.0]]
    value, dW, _ = mlp2.loss_and_gradients(X, [1, 0], loss="softmax_cross_entropy")
    assert value == pytest.approx(2000.0) and np.isfinite(dW[0]).all()


def test_penalty_terms_are_l2_w_and_l1_sign_w_and_leave_biases_alone():
    mlp, X, y = _network("tanh", "binary_cross_entropy", True, seed=5)
    _, dW0, db0 = mlp.loss_and_gradients(X, y, loss="binary_cross_entropy")
    _, dW, db = mlp.loss_and_gradients(X, y, loss="binary_cross_entropy", l1=0.05, l2=0.7)
    for g0, g, W in zip(dW0, dW, mlp.weights):
        np.testing.assert_allclose(g - g0, 0.7 * W + 0.05 * np.sign(W), atol=1e-14)
    for b0, b in zip(db0, db):
        np.testing.assert_array_equal(b0, b)


def test_keras_l2_convention_is_twice_ours():
    # Keras l2(c) adds c * sum(w^2); ours adds l2/2 * sum(w^2): l2 = 2c gives the same penalty.
    mlp = MLP([4, 3, 2], seed=0)
    c = 0.01
    keras_penalty = c * sum((W ** 2).sum() for W in mlp.weights)
    assert mlp.penalty(l2=2 * c) == pytest.approx(keras_penalty, rel=1e-14)
    assert mlp.penalty(l1=c) == pytest.approx(c * sum(np.abs(W).sum() for W in mlp.weights), rel=1e-14)


def test_initialisations_have_the_stated_variance():
    he = MLP([400, 300], init="he", bias=False, seed=0).weights[0]
    xa = MLP([400, 300], init="xavier", bias=False, seed=0).weights[0]
    fixed = MLP([400, 300], init=0.05, bias=False, seed=0).weights[0]
    assert he.var() == pytest.approx(2 / 400, rel=0.02)
    assert xa.var() == pytest.approx(2 / 700, rel=0.02)
    assert fixed.std() == pytest.approx(0.05, rel=0.02)
    assert MLP([2, 3, 1], bias=False).biases == [None, None]
    assert MLP([2, 3, 1]).n_parameters == 2 * 3 + 3 + 3 + 1


def test_inverted_dropout_keeps_the_expected_activation():
    mlp = MLP([3, 50, 40, 1], activation="relu", seed=1)
    X = np.random.default_rng(2).standard_normal((4, 3))
    _, clean = mlp.forward(X, return_cache=True)
    p, reps = 0.5, 4000
    rng = np.random.default_rng(3)
    acc = np.zeros_like(clean["a"][1])
    for _ in range(reps):
        _, cache = mlp.forward(X, dropout=p, rng=rng, return_cache=True)
        acc += cache["a"][1]
    mean = acc / reps
    # Each unit is h / (1-p) with probability 1-p: mean h, standard error h * sqrt(p/(1-p)/reps).
    se = clean["h"][0] * np.sqrt(p / (1 - p) / reps)
    assert np.all(np.abs(mean - clean["a"][1]) <= 5 * se + 1e-12)
    # The kept fraction is 1 - p and kept units are scaled by exactly 1/(1-p).
    _, cache = mlp.forward(X, dropout=p, rng=0, return_cache=True)
    kept = cache["masks"][0]
    assert 0.35 < kept.mean() < 0.65
    np.testing.assert_allclose(cache["a"][1], cache["h"][0] * kept / (1 - p))
    # For a linear network the output itself is unbiased.
    lin = MLP([3, 30, 2], activation="identity", seed=4)
    outs = np.mean([lin.forward(X, dropout=0.3, rng=s) for s in range(3000)], axis=0)
    np.testing.assert_allclose(outs, lin.forward(X), atol=0.1 * np.abs(lin.forward(X)).max())


def test_fixed_masks_override_the_generator():
    mlp = MLP([2, 6, 1], seed=0)
    X = np.ones((3, 2))
    masks = [np.ones((3, 6))]
    masks[0][:, :3] = 0
    a = mlp.forward(X, dropout=0.5, rng=1, masks=masks)
    b = mlp.forward(X, dropout=0.5, rng=2, masks=masks)
    np.testing.assert_array_equal(a, b)
    h = np.maximum(X @ mlp.weights[0] + mlp.biases[0], 0)
    np.testing.assert_allclose(a, (h * masks[0] / 0.5) @ mlp.weights[1] + mlp.biases[1])


def test_network_learns_xor_and_moons():
    X, y = make_xor(200, seed=0)
    mlp = MLP([2, 16, 1], activation="tanh", init="xavier", seed=0)
    hist = train(mlp, X, y, loss="binary_cross_entropy", lr=1.0, epochs=400)
    assert mlp.accuracy(X, y) >= 0.95 and hist.train_accuracy[-1] == mlp.accuracy(X, y)
    X, y = make_moons(200, noise=0.1, seed=0)
    mlp = MLP([2, 16, 16, 2], activation="relu", seed=0)
    hist = train(mlp, X, y, loss="softmax_cross_entropy", lr=0.2, epochs=100, batch_size=20)
    assert mlp.accuracy(X, y) >= 0.95
    assert hist.train_loss[-1] < 0.2 * hist.train_loss[0]
    # A linear model cannot separate XOR: that is what the hidden layer buys.
    X, y = make_xor(200, seed=0)
    linear = MLP([2, 1], seed=0)
    train(linear, X, y, loss="binary_cross_entropy", lr=1.0, epochs=400)
    assert linear.accuracy(X, y) < 0.7


def test_weight_decay_equals_l2_for_sgd():
    X, y = make_moons(60, noise=0.2, seed=1)
    a, b = MLP([2, 8, 1], seed=2), MLP([2, 8, 1], seed=2)
    ha = train(a, X, y, loss="binary_cross_entropy", lr=0.3, epochs=30, batch_size=16, l2=0.05, seed=4)
    hb = train(b, X, y, loss="binary_cross_entropy", lr=0.3, epochs=30, batch_size=16, weight_decay=0.05, seed=4)
    for Wa, Wb in zip(a.weights, b.weights):
        np.testing.assert_allclose(Wa, Wb, rtol=1e-12, atol=1e-14)
    for ba, bb in zip(a.biases, b.biases):
        np.testing.assert_allclose(ba, bb, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ha.train_loss, hb.train_loss, rtol=1e-12)
    # One full-batch step by hand: W <- (1 - lr * mu) W - lr * grad_data, biases not decayed.
    c = MLP([2, 8, 1], seed=2)
    _, dW, db = c.loss_and_gradients(X, y, loss="binary_cross_entropy")
    expected_W = [(1 - 0.3 * 0.05) * W - 0.3 * g for W, g in zip(c.weights, dW)]
    expected_b = [bias - 0.3 * g for bias, g in zip(c.biases, db)]
    train(c, X, y, loss="binary_cross_entropy", lr=0.3, epochs=1, weight_decay=0.05)
    for W, E in zip(c.weights, expected_W):
        np.testing.assert_allclose(W, E, rtol=1e-13)
    for bias, E in zip(c.biases, expected_b):
        np.testing.assert_allclose(bias, E, rtol=1e-13, atol=1e-15)


def test_l2_keeps_weights_smaller_than_no_penalty():
    X, y = make_moons(100, noise=0.2, seed=0)
    free, reg = MLP([2, 20, 1], seed=0), MLP([2, 20, 1], seed=0)
    hf = train(free, X, y, loss="binary_cross_entropy", lr=0.5, epochs=300)
    hr = train(reg, X, y, loss="binary_cross_entropy", lr=0.5, epochs=300, l2=0.01)
    assert hr.weight_norms[-1].sum() < hf.weight_norms[-1].sum()
    assert hr.objective[-1] > hr.train_loss[-1]
    assert np.all(hf.objective == hf.train_loss)


def test_history_records_validation_and_shapes():
    X, y = make_moons(80, noise=0.2, seed=0)
    Xv, yv = make_moons(40, noise=0.2, seed=1)
    mlp = MLP([2, 5, 3, 1], seed=0)
    h = train(mlp, X, y, loss="binary_cross_entropy", lr=0.1, epochs=7, X_val=Xv, y_val=yv, dropout=0.2)
    assert isinstance(h, History) and h.epochs_run == 7 and not h.diverged
    for arr in (h.train_loss, h.objective, h.train_accuracy, h.val_loss, h.val_accuracy):
        assert arr.shape == (8,)
    assert h.weight_norms.shape == h.gradient_norms.shape == (8, 3)
    assert h.val_accuracy[-1] == mlp.accuracy(Xv, yv)
    assert h.val_loss[-1] == pytest.approx(mlp.loss_and_gradients(Xv, yv, loss="binary_cross_entropy")[0])
    np.testing.assert_allclose(h.gradient_norms[-1], mlp.gradient_norms(X, y, loss="binary_cross_entropy"))
    np.testing.assert_allclose(h.weight_norms[-1], [np.linalg.norm(W) for W in mlp.weights])
    hs = train(MLP([2, 3, 1]), X, y.astype(float), loss="squared", lr=0.1, epochs=2)
    assert hs.train_accuracy is None and hs.val_loss is None


def test_gradient_norms_match_finite_differences():
    mlp, X, y = _network("sigmoid", "squared", True, seed=9)
    numeric = _numerical_gradient(lambda: mlp.loss_and_gradients(X, y, loss="squared")[0], mlp.weights)
    np.testing.assert_allclose(mlp.gradient_norms(X, y, loss="squared"),
                               [np.linalg.norm(g) for g in numeric], rtol=1e-6)


def test_divergence_is_recorded_not_raised():
    X, y = make_moons(50, noise=0.1, seed=0)
    mlp = MLP([2, 8, 1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = train(mlp, X, y.astype(float), loss="squared", lr=100.0, epochs=50)
    assert h.diverged and 1 <= h.diverged_epoch < 50
    assert h.epochs_run == h.diverged_epoch and len(h.train_loss) == h.epochs_run + 1
    assert not np.isfinite(h.train_loss[-1]) or not np.isfinite(h.weight_norms[-1]).all()
    ok = train(MLP([2, 8, 1], seed=0), X, y.astype(float), loss="squared", lr=0.1, epochs=50)
    assert not ok.diverged and ok.diverged_epoch is None


def test_training_is_reproducible_with_a_seed():
    X, y = make_moons(64, noise=0.2, seed=0)

    def run(init_seed, train_seed):
        mlp = MLP([2, 6, 1], seed=init_seed)
        h = train(mlp, X, y, loss="binary_cross_entropy", lr=0.2, epochs=5, batch_size=8, dropout=0.3,
                  seed=train_seed)
        return mlp, h

    (a, ha), (b, hb), (c, _), (d, _) = run(1, 2), run(1, 2), run(1, 3), run(5, 2)
    for Wa, Wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(Wa, Wb)
    np.testing.assert_array_equal(ha.train_loss, hb.train_loss)
    assert not np.array_equal(a.weights[0], c.weights[0])
    assert not np.array_equal(MLP([2, 6, 1], seed=1).weights[0], MLP([2, 6, 1], seed=5).weights[0])
    np.testing.assert_array_equal(a.forward(X, dropout=0.5, rng=3), a.forward(X, dropout=0.5, rng=3))
    assert not np.array_equal(d.weights[0], a.weights[0])


def test_copy_is_independent():
    a = MLP([2, 3, 1], seed=0)
    b = a.copy()
    b.weights[0][0, 0] += 1.0
    assert a.weights[0][0, 0] != b.weights[0][0, 0]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"sizes": [3]}, ValueError, "sizes must have at least two"),
    ({"sizes": 3}, TypeError, "sizes must be a sequence"),
    ({"sizes": [3, 0, 1]}, ValueError, "sizes must be >= 1"),
    ({"sizes": [3, 2.5, 1]}, TypeError, "sizes must be an integer"),
    ({"sizes": [2, 1], "activation": "softplus"}, ValueError, "activation must be one of"),
    ({"sizes": [2, 1], "activation": 1}, TypeError, "activation must be a string"),
    ({"sizes": [2, 1], "output": "softmax"}, ValueError, "output must be one of"),
    ({"sizes": [2, 1], "init": "lecun"}, ValueError, "init must be one of"),
    ({"sizes": [2, 1], "init": -1.0}, ValueError, "init must be > 0"),
    ({"sizes": [2, 1], "init": None}, TypeError, "init must be"),
    ({"sizes": [2, 1], "bias": 1}, TypeError, "bias must be True or False"),
    ({"sizes": [2, 1], "seed": -1}, ValueError, "seed must be >= 0"),
])
def test_constructor_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        MLP(**kwargs)


X_OK, Y_OK = np.zeros((4, 2)), np.array([0, 1, 0, 1])


@pytest.mark.parametrize("call, error, match", [
    (lambda m: m.forward(np.zeros((4, 3))), ValueError, "X must have 2 columns"),
    (lambda m: m.forward(np.zeros(4)), ValueError, "X must be 2-D"),
    (lambda m: m.forward(X_OK, dropout=1.0), ValueError, "dropout must be < 1"),
    (lambda m: m.forward(X_OK, dropout=-0.1), ValueError, "dropout must be >= 0"),
    (lambda m: m.forward(X_OK, masks=[np.ones((4, 5))]), ValueError, r"masks\[0\] must have shape"),
    (lambda m: m.forward(X_OK, masks=[]), ValueError, "masks must have one array per hidden layer"),
    (lambda m: m.forward(X_OK, masks=[0.5 * np.ones((4, 3))]), ValueError, "only 0 and 1"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK, loss="hinge"), ValueError, "loss must be one of"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK, loss="squared", l2=-1.0), ValueError, "l2 must be >= 0"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK, loss="squared", l1=-0.1), ValueError, "l1 must be >= 0"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK[:3], loss="squared"), ValueError, "y must have shape"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK + 1, loss="binary_cross_entropy"), ValueError, r"in \[0, 1\]"),
    (lambda m: m.loss_and_gradients(X_OK, Y_OK, loss="softmax_cross_entropy"), ValueError, "at least 2 outputs"),
    (lambda m: train(m, X_OK, Y_OK, loss="squared", lr=-0.1, epochs=1), ValueError, "lr must be > 0"),
    (lambda m: train(m, X_OK, Y_OK, loss="squared", lr=0.1, epochs=-1), ValueError, "epochs must be >= 0"),
    (lambda m: train(m, X_OK, Y_OK, loss="squared", lr=0.1, epochs=1, batch_size=0), ValueError,
     "batch_size must be >= 1"),
    (lambda m: train(m, X_OK, Y_OK, loss="squared", lr=0.1, epochs=1, weight_decay=-1.0), ValueError,
     "weight_decay must be >= 0"),
    (lambda m: train(m, X_OK, Y_OK, loss="squared", lr=0.1, epochs=1, X_val=X_OK), ValueError,
     "X_val and y_val must be given together"),
    (lambda m: train("net", X_OK, Y_OK, loss="squared", lr=0.1, epochs=1), TypeError, "mlp must be an MLP"),
])
def test_methods_reject_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call(MLP([2, 3, 1], seed=0))


def test_softmax_labels_and_links_are_validated():
    m = MLP([2, 3, 3], seed=0)
    with pytest.raises(ValueError, match="integer class labels"):
        m.loss_and_gradients(X_OK, [0, 1, 3, 1], loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="integer class labels"):
        m.loss_and_gradients(X_OK, [0, 0.5, 1, 1], loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="needs output='identity'"):
        MLP([2, 3, 1], output="sigmoid").loss_and_gradients(X_OK, Y_OK, loss="binary_cross_entropy")


def _reference_adam(grad, w, lr, steps, *, l2=0.0, wd=0.0, b1=0.9, b2=0.999, eps=1e-8):
    """Adam as written in Kingma & Ba (2015), with PyTorch's placement of L2 (in g) and of AdamW's decay."""
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        g = grad(w) + l2 * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        w = w * (1 - lr * wd) - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return w


@pytest.mark.parametrize("l2, wd", [(0.0, 0.0), (0.5, 0.0), (0.0, 0.5)])
def test_adam_on_a_linear_network_is_adam_on_the_quadratic(l2, wd):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)) * [1.0, 3.0, 0.3], rng.standard_normal(20)
    mlp = MLP([3, 1], activation="identity", bias=False, init=0.5, seed=1)
    w0 = mlp.weights[0][:, 0].copy()
    train(mlp, X, y, loss="squared", lr=0.05, epochs=40, l2=l2, weight_decay=wd, optimizer="adam")

    def grad(w):
        return X.T @ (X @ w - y) / len(y)

    np.testing.assert_allclose(mlp.weights[0][:, 0], _reference_adam(grad, w0, 0.05, 40, l2=l2, wd=wd),
                               rtol=1e-12, atol=1e-14)


def test_adam_with_l2_differs_from_adamw():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)) * [1.0, 3.0, 0.3], rng.standard_normal(20)
    a, b = (MLP([3, 1], activation="identity", bias=False, seed=1) for _ in range(2))
    train(a, X, y, loss="squared", lr=0.05, epochs=200, l2=0.5, optimizer="adam")
    train(b, X, y, loss="squared", lr=0.05, epochs=200, weight_decay=0.5, optimizer="adam")
    assert np.abs(a.weights[0] - b.weights[0]).max() > 1e-2
    # Adam + L2 converges to the ridge solution (its fixed point is grad + l2 w = 0) ...
    ridge = np.linalg.solve(X.T @ X / 20 + 0.5 * np.eye(3), X.T @ y / 20)
    np.testing.assert_allclose(a.weights[0][:, 0], ridge, atol=2e-2)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"optimizer": "rmsprop"}, ValueError, "optimizer must be one of"),
    ({"optimizer": "adam", "betas": (0.9, 1.0)}, ValueError, "betas must be < 1"),
    ({"optimizer": "adam", "betas": 0.9}, TypeError, "betas must be a pair"),
    ({"optimizer": "adam", "eps": 0.0}, ValueError, "eps must be > 0"),
])
def test_optimizer_arguments_are_validated(kwargs, error, match):
    with pytest.raises(error, match=match):
        train(MLP([2, 3, 1]), X_OK, Y_OK, loss="squared", lr=0.1, epochs=1, **kwargs)


def test_record_every_thins_the_history_but_keeps_first_and_last():
    X, y = make_moons(40, noise=0.2, seed=0)
    h = train(MLP([2, 4, 1]), X, y, loss="binary_cross_entropy", lr=0.1, epochs=25, record_every=10)
    np.testing.assert_array_equal(h.epochs, [0, 10, 20, 25])
    assert h.train_loss.shape == (4,) and h.weight_norms.shape == (4, 2)
    full = train(MLP([2, 4, 1]), X, y, loss="binary_cross_entropy", lr=0.1, epochs=25)
    np.testing.assert_array_equal(full.epochs, np.arange(26))
    np.testing.assert_allclose(full.train_loss[[0, 10, 20, 25]], h.train_loss, rtol=1e-13)


def test_proximal_l1_is_soft_thresholding_and_gives_exact_zeros():
    X, y = make_moons(60, noise=0.3, seed=0)
    mlp = MLP([2, 10, 1], seed=0)
    lr, lam = 0.5, 0.02
    # One step by hand: gradient step on the data loss, then S(w, lr * lam) on weights only.
    _, dW, db = mlp.loss_and_gradients(X, y, loss="binary_cross_entropy")
    expected = [np.sign(W - lr * g) * np.maximum(np.abs(W - lr * g) - lr * lam, 0) for W, g in zip(mlp.weights, dW)]
    expected_b = [b - lr * g for b, g in zip(mlp.biases, db)]
    one = mlp.copy()
    train(one, X, y, loss="binary_cross_entropy", lr=lr, epochs=1, l1=lam, l1_mode="proximal")
    for W, E in zip(one.weights, expected):
        np.testing.assert_allclose(W, E, rtol=1e-13, atol=1e-16)
    for b, E in zip(one.biases, expected_b):
        np.testing.assert_allclose(b, E, rtol=1e-13, atol=1e-16)
    # Long runs: the proximal rule lands on exact zeros, the subgradient rule only near them.
    prox, sub = mlp.copy(), mlp.copy()
    train(prox, X, y, loss="binary_cross_entropy", lr=lr, epochs=300, l1=lam, l1_mode="proximal")
    train(sub, X, y, loss="binary_cross_entropy", lr=lr, epochs=300, l1=lam)
    w_prox, w_sub = np.concatenate([W.ravel() for W in prox.weights]), np.concatenate([W.ravel() for W in sub.weights])
    assert np.count_nonzero(w_prox == 0) >= 5
    assert np.count_nonzero(w_sub == 0) == 0
    assert np.count_nonzero(np.abs(w_sub) < lr * lam) >= 5
    with pytest.raises(ValueError, match="l1_mode='proximal' needs optimizer='sgd'"):
        train(mlp.copy(), X, y, loss="binary_cross_entropy", lr=lr, epochs=1, l1=lam, l1_mode="proximal",
              optimizer="adam")
    with pytest.raises(ValueError, match="l1_mode must be one of"):
        train(mlp.copy(), X, y, loss="binary_cross_entropy", lr=lr, epochs=1, l1_mode="clip")
    with pytest.raises(ValueError, match="record_every must be >= 1"):
        train(mlp.copy(), X, y, loss="binary_cross_entropy", lr=lr, epochs=1, record_every=0)


def test_train_path_trains_copies_from_the_same_start():
    from lecture_code.nn import train_path

    X, y = make_moons(40, noise=0.2, seed=0)
    base = MLP([2, 6, 1], seed=3)
    start = [W.copy() for W in base.weights]
    path = train_path(base, X, y, [0.0, 0.01, 0.1], penalty="l2", loss="binary_cross_entropy", lr=0.3, epochs=20)
    for W, W0 in zip(base.weights, start):
        np.testing.assert_array_equal(W, W0)  # the template is untouched
    direct = MLP([2, 6, 1], seed=3)
    train(direct, X, y, loss="binary_cross_entropy", lr=0.3, epochs=20, l2=0.01)
    np.testing.assert_array_equal(path[1][0].weights[0], direct.weights[0])
    norms = [h.weight_norms[-1].sum() for _, h in path]
    assert norms[0] > norms[1] > norms[2]
    with pytest.raises(ValueError, match="penalty must be one of"):
        train_path(base, X, y, [0.1], penalty="l3", loss="squared", lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="lambdas must be >= 0"):
        train_path(base, X, y, [-0.1], penalty="l1", loss="squared", lr=0.1, epochs=1)
    with pytest.raises(TypeError, match="do not pass l2"):
        train_path(base, X, y, [0.1], penalty="l1", loss="squared", lr=0.1, epochs=1, l2=0.1)


def test_public_sigmoid_is_the_logistic_function_without_overflow():
    from lecture_code.nn import sigmoid

    z = np.array([-800.0, -3.0, 0.0, 2.0, 800.0])
    with np.errstate(over="raise"):
        got = sigmoid(z)
    np.testing.assert_allclose(got[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-15)
    assert got[0] == 0.0 and got[-1] == 1.0


# --------------------------------------------------------------------------- train_stack
def _assert_same_run(stacked, hs, reference, hr, rtol=1e-10):
    """A network and history from train_stack against the same run of train (the independent reference)."""
    for a, b in zip(stacked.weights + [b for b in stacked.biases if b is not None],
                    reference.weights + [b for b in reference.biases if b is not None]):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)
    np.testing.assert_array_equal(hs.epochs, hr.epochs)
    for field in ("train_loss", "objective", "weight_norms", "gradient_norms", "val_loss"):
        a, b = getattr(hs, field), getattr(hr, field)
        assert (a is None) == (b is None), field
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12, err_msg=field)
    for field in ("train_accuracy", "val_accuracy"):
        a, b = getattr(hs, field), getattr(hr, field)
        assert (a is None) == (b is None), field
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=field)
    assert (hs.diverged, hs.diverged_epoch, hs.epochs_run) == (hr.diverged, hr.diverged_epoch, hr.epochs_run)


@pytest.mark.parametrize("loss, activation, bias", [("binary_cross_entropy", "tanh", True),
                                                    ("squared", "sigmoid", False),
                                                    ("softmax_cross_entropy", "relu", True)])
def test_train_stack_equals_separate_train_runs(loss, activation, bias):
    from lecture_code.nn import train_stack

    K, n, n_out = 5, 12, 3 if loss == "softmax_cross_entropy" else 1
    rng = np.random.default_rng(4)
    X = rng.standard_normal((K, n, 2))                       # one training set per network
    y = _targets(loss, K * n, n_out, rng).reshape((K, n) if loss == "softmax_cross_entropy" else (K, n, n_out))
    X_val = rng.standard_normal((9, 2))                       # one validation set for all
    y_val = _targets(loss, 9, n_out, rng)
    l1, l2, wd = [0.0, 0.05, 0.0, 0.01, 0.0], [0.0, 0.0, 0.1, 0.02, 0.0], [0.0, 0.0, 0.0, 0.0, 0.03]
    nets = [MLP([2, 6, 4, n_out], activation=activation, init="xavier", bias=bias, seed=k) for k in range(K)]
    refs = [m.copy() for m in nets]
    options = dict(loss=loss, lr=0.2, epochs=30, X_val=X_val, y_val=y_val, record_every=7)
    hists = train_stack(nets, X, y, l1=l1, l2=l2, weight_decay=wd, **options)
    assert len(hists) == K
    for k in range(K):
        hr = train(refs[k], X[k], y[k], l1=l1[k], l2=l2[k], weight_decay=wd[k], **options)
        _assert_same_run(nets[k], hists[k], refs[k], hr)
    assert list(hists[0].epochs) == [0, 7, 14, 21, 28, 30]


def test_train_stack_shared_data_proximal_and_many_groups():
    from lecture_code.nn import train_stack

    # Wide layers and many points make every group a single network: the grouping must not change results.
    X, y = make_moons(300, noise=0.3, seed=1)
    nets = [MLP([2, 50, 1], activation="tanh", seed=k) for k in range(3)]
    refs = [m.copy() for m in nets]
    hists = train_stack(nets, X, y, loss="binary_cross_entropy", lr=0.5, epochs=15, l1=[0.0, 0.01, 0.05],
                        l1_mode="proximal", record_every=5)
    for net, h, ref, lam in zip(nets, hists, refs, [0.0, 0.01, 0.05]):
        hr = train(ref, X, y, loss="binary_cross_entropy", lr=0.5, epochs=15, l1=lam, l1_mode="proximal",
                   record_every=5)
        _assert_same_run(net, h, ref, hr)
    assert np.count_nonzero(nets[2].weights[0] == 0) > 0 and np.count_nonzero(nets[0].weights[0] == 0) == 0
    # Small networks share a group, with one training set for all and scalar strengths.
    X, y = make_moons(30, noise=0.3, seed=2)
    nets = [MLP([2, 5, 5, 1], activation="tanh", init="xavier", seed=k) for k in range(12)]
    refs = [m.copy() for m in nets]
    hists = train_stack(nets, X, y, loss="binary_cross_entropy", lr=0.5, epochs=40, l2=0.01)
    for net, h, ref in zip(nets, hists, refs):
        _assert_same_run(net, h, ref, train(ref, X, y, loss="binary_cross_entropy", lr=0.5, epochs=40, l2=0.01))


def test_train_stack_stops_diverging_networks_only():
    from lecture_code.nn import train_stack

    X, y = make_moons(50, noise=0.1, seed=0)
    y = y.astype(float)
    nets = [MLP([2, 8, 1], seed=0), MLP([2, 8, 1], seed=1)]
    for lr in (100.0, 0.1):                                   # the diverging step of train's own test, and a stable one
        stack, refs = [m.copy() for m in nets], [m.copy() for m in nets]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            hists = train_stack(stack, X, y, loss="squared", lr=lr, epochs=50)
        for net, h, ref in zip(stack, hists, refs):
            hr = train(ref, X, y, loss="squared", lr=lr, epochs=50)
            assert h.diverged == (lr == 100.0)
            assert (h.diverged, h.diverged_epoch, h.epochs_run) == (hr.diverged, hr.diverged_epoch, hr.epochs_run)
            np.testing.assert_array_equal(h.epochs, hr.epochs)
            if not hr.diverged:
                _assert_same_run(net, h, ref, hr)
    # In one stack, a penalty strength that makes one network diverge leaves the other untouched.
    stack = [MLP([2, 8, 1], seed=0), MLP([2, 8, 1], seed=0)]
    ref = stack[1].copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hists = train_stack(stack, X, y, loss="squared", lr=1.0, epochs=30, l2=[1e6, 0.0])
    assert hists[0].diverged and not hists[1].diverged
    _assert_same_run(stack[1], hists[1], ref, train(ref, X, y, loss="squared", lr=1.0, epochs=30))


def test_train_stack_rejects_bad_arguments():
    from lecture_code.nn import train_stack

    X, y = make_moons(20, noise=0.1, seed=0)
    a, b = MLP([2, 4, 1], seed=0), MLP([2, 5, 1], seed=0)
    options = dict(loss="binary_cross_entropy", lr=0.1, epochs=1)
    with pytest.raises(TypeError, match="nets must be a sequence of MLP"):
        train_stack(a, X, y, **options)
    with pytest.raises(ValueError, match="at least one MLP"):
        train_stack([], X, y, **options)
    with pytest.raises(TypeError, match="nets must hold MLP"):
        train_stack([a, "b"], X, y, **options)
    with pytest.raises(ValueError, match="must share sizes"):
        train_stack([a, b], X, y, **options)
    with pytest.raises(ValueError, match="one entry per network"):
        train_stack([a, a.copy()], X, y, l2=[0.1], **options)
    with pytest.raises(ValueError, match="l1 must be >= 0"):
        train_stack([a], X, y, l1=-0.1, **options)
    with pytest.raises(ValueError, match="one data set per network"):
        train_stack([a, a.copy()], np.stack([X, X, X]), np.stack([y, y, y]), **options)
    with pytest.raises(ValueError, match="leading axis of length 2"):
        train_stack([a, a.copy()], np.stack([X, X]), y, **options)
    with pytest.raises(ValueError, match="X_val and y_val must be given together"):
        train_stack([a], X, y, X_val=X, **options)
    with pytest.raises(ValueError, match="lr must be > 0"):
        train_stack([a], X, y, loss="squared", lr=0.0, epochs=1)
    with pytest.raises(ValueError, match="l1_mode must be one of"):
        train_stack([a], X, y, l1_mode="clip", **options)
    with pytest.raises(ValueError, match="columns"):
        train_stack([a], np.ones((20, 3)), y, **options)


# --------------------------------------------------------------------------- hessian_top_eigenvalue
def _numerical_hessian_eigenvalues(net, X, y, loss, l2=0.0, h=1e-4):
    """Eigenvalues of the Hessian of J from second differences of loss *values* (no back-propagation)."""
    arrays = [a for a in net.weights + net.biases if a is not None]
    theta = np.concatenate([a.ravel() for a in arrays])

    def J(values):
        trial = net.copy()
        start = 0
        for a in [b for b in trial.weights + trial.biases if b is not None]:
            a[...] = values[start:start + a.size].reshape(a.shape)
            start += a.size
        return trial.loss_and_gradients(X, y, loss=loss, l2=l2)[0]

    steps = h * np.eye(theta.size)
    H = np.array([[(J(theta + ei + ej) - J(theta + ei - ej) - J(theta - ei + ej) + J(theta - ei - ej)) / (4 * h * h)
                   for ej in steps] for ei in steps])
    return np.linalg.eigvalsh((H + H.T) / 2)


def test_hessian_top_eigenvalue_of_a_linear_model_is_the_closed_form():
    from lecture_code.nn import hessian_top_eigenvalue

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 3)) + 0.5, rng.standard_normal(40)
    net = MLP([3, 1], activation="identity", seed=1)
    for l2 in (0.0, 0.3):
        # J = 1/(2n)||Xw + b - y||^2 + l2/2 ||w||^2: Hessian [[X^T X/n + l2 I, X^T 1/n], [1^T X/n, 1]].
        A = np.column_stack([X, np.ones(40)])
        H = A.T @ A / 40 + np.diag([l2] * 3 + [0.0])
        assert np.isclose(hessian_top_eigenvalue(net, X, y, loss="squared", l2=l2), np.linalg.eigvalsh(H)[-1],
                          rtol=1e-6)


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "squared"])
def test_hessian_top_eigenvalue_matches_second_differences_of_the_loss(loss):
    from lecture_code.nn import hessian_top_eigenvalue

    X, y = make_moons(30, noise=0.3, seed=6)
    net = MLP([2, 3, 1], activation="tanh", init="xavier", seed=1)
    net.biases[0][:] = 0.2
    for l2 in (0.0, 0.05):
        expected = _numerical_hessian_eigenvalues(net, X, y, loss, l2)[-1]
        assert np.isclose(hessian_top_eigenvalue(net, X, y, loss=loss, l2=l2), expected, rtol=1e-4)


def test_hessian_top_eigenvalue_is_the_most_positive_when_a_negative_one_dominates():
    from lecture_code.nn import hessian_top_eigenvalue

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 2)), (rng.random(20) > 0.5).astype(float)
    net = MLP([2, 2, 1], activation="tanh", init=2.0, seed=8)
    eigenvalues = _numerical_hessian_eigenvalues(net, X, y, "squared")
    assert -eigenvalues[0] > 1.1 * eigenvalues[-1] > 0                 # the case the shifted run is for
    before = [W.copy() for W in net.weights]
    assert np.isclose(hessian_top_eigenvalue(net, X, y, loss="squared"), eigenvalues[-1], rtol=1e-4)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))   # the network is not modified


def test_hessian_top_eigenvalue_warns_and_rejects_bad_arguments():
    from lecture_code import ConvergenceWarning
    from lecture_code.nn import hessian_top_eigenvalue

    X, y = make_moons(30, noise=0.3, seed=6)
    net = MLP([2, 4, 1], activation="tanh", init="xavier", seed=0)
    with pytest.warns(ConvergenceWarning, match="power iteration stopped after 2 iterations"):
        hessian_top_eigenvalue(net, X, y, loss="binary_cross_entropy", max_iter=2, tol=1e-15)
    with pytest.raises(TypeError, match="mlp must be an MLP"):
        hessian_top_eigenvalue("net", X, y, loss="squared")
    with pytest.raises(ValueError, match="l2"):
        hessian_top_eigenvalue(net, X, y, loss="squared", l2=-1.0)
    with pytest.raises(ValueError, match="max_iter"):
        hessian_top_eigenvalue(net, X, y, loss="squared", max_iter=1)
    with pytest.raises(ValueError, match="loss must be one of"):
        hessian_top_eigenvalue(net, X, y, loss="hinge")
