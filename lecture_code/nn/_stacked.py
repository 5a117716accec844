r"""Training many networks of one architecture at once: ENGINEERING, not course material.

A small network's training is dominated by Python's per-step overhead. Stacking the parameters of
:math:`S` networks into one array of shape :math:`(S, P)` (:class:`_Stack`) turns every step of
:func:`lecture_code.nn.train` (forward pass, back-propagation, SGD or Adam update, penalties, dropout,
the recorded history) into a few batched matrix products, paid once for all networks. One kernel,
:func:`_run`, serves both public front ends:

* :func:`train_stack` (here, re-exported by :mod:`lecture_code.nn`): full-batch SGD for networks that
  may differ in their initial weights, their training sets and their penalty strengths;
* :func:`lecture_code.experiments.train_seeds`, through :func:`_train_seeds`: the options of
  :func:`~lecture_code.nn.train` (mini-batches, Adam, dropout) for one network per seed, each seed
  drawing its own shuffling and dropout masks in the order :func:`~lecture_code.nn.train` draws them.

Network :math:`s` follows the update of :func:`~lecture_code.nn.train`, so the result is that of
separate runs up to rounding (the last bits of a batched product may differ from those of a single
one); both front ends are tested against separate :func:`~lecture_code.nn.train` runs.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from .._validation import as_float_array, check_int, check_real, check_seed
from ..penalties import _soft_threshold
from .functions import LOSSES, _activation_derivative, _check_choice, sigmoid
from .mlp import MLP, _forward_layers
from .train import History

__all__ = ["train_stack"]


def _per_network(value, name: str, K: int) -> float | np.ndarray:
    """A float >= 0 (kept as a float: shared by all networks) or a sequence of K of them, as an array (K,)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return check_real(value, name, low=0.0)
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be a number >= 0 or a sequence of one per network, got {type(value).__name__}")
    if len(value) != K:
        raise ValueError(f"{name} must have one entry per network ({K}), got {len(value)}")
    return np.array([check_real(v, name, low=0.0) for v in value], dtype=float)


def _col(value, ndim: int):
    """A strength as a scalar, or its per-network array shaped to broadcast against an array of ``ndim`` axes."""
    return value if np.ndim(value) == 0 else value.reshape((-1,) + (1,) * (ndim - 1))


def _part(value, part: slice):
    return value if np.ndim(value) == 0 else value[part]


def _stack_data(ref: MLP, X, y, K: int, loss: str, names: tuple[str, str]):
    """Validated data for K networks: X as (1 or K, n, n_in), targets as the kernel takes them (1 or K leading)."""
    x_name, y_name = names
    X = as_float_array(X, x_name, ndim=(2, 3))
    if X.ndim == 2:
        X = X[None]
    elif X.shape[0] != K:
        raise ValueError(f"a 3-D {x_name} must hold one data set per network ({K}), got shape {X.shape}")
    n = X.shape[1]
    if X.shape[2] != ref.sizes[0]:
        raise ValueError(f"{x_name} must have {ref.sizes[0]} columns (sizes[0]), got shape {X.shape}")
    y = np.asarray(y)
    if X.shape[0] == 1:
        ys = [y]
    else:
        if y.ndim < 2 or y.shape[0] != K:
            raise ValueError(f"with one data set per network, {y_name} must have a leading axis of length {K}, "
                             f"got shape {y.shape}")
        ys = list(y)
    return X, np.stack([ref._check_y(yk, loss, n) for yk in ys])


def train_stack(nets: Sequence[MLP], X, y, *, loss: str, lr: float, epochs: int, l1: float | Sequence[float] = 0.0,
                l2: float | Sequence[float] = 0.0, weight_decay: float | Sequence[float] = 0.0,
                l1_mode: str = "subgradient", X_val=None, y_val=None, record_every: int = 1) -> list[History]:
    r"""Train several networks of one architecture at once, by full-batch gradient descent.

    The :math:`K` networks may differ in their initial weights, their training sets and
    their penalty strengths. Their parameters are stacked into one array (module
    docstring), and every step is taken for all networks together with batched matrix
    products. Network :math:`k` follows exactly the update of :func:`train` with
    ``batch_size=None`` and ``optimizer="sgd"``:

    .. math::

        W_l^{(k)} \leftarrow W_l^{(k)} - \eta\big(\nabla_{W_l} L^{(k)}
            + \lambda_2^{(k)} W_l^{(k)} + \lambda_1^{(k)}\operatorname{sign}(W_l^{(k)})
            + d^{(k)} W_l^{(k)}\big),\qquad
        b_l^{(k)} \leftarrow b_l^{(k)} - \eta\,\nabla_{b_l} L^{(k)},

    where :math:`L^{(k)}` is the mean data loss of network :math:`k` on its own
    training set; with ``l1_mode="proximal"`` the L1 term leaves the step and the weights
    are soft-thresholded afterwards, :math:`W \leftarrow S(W, \eta\lambda_1^{(k)})`. So
    ``train_stack(nets, X, y, ...)`` gives, up to rounding, the networks and histories of
    ``[train(net, X, y, ...) for net in nets]``, at a fraction of the cost.
    (The networks are processed in groups small enough for the stacked arrays to stay in
    the memory allocator's fast path.) A network whose loss or weights become non-finite
    stops there and is marked ``diverged``, as in :func:`train`; the others go on.

    Parameters
    ----------
    nets : sequence of MLP
        Networks with the same ``sizes``, ``activation``, ``output`` and ``bias``, trained in place.
    X : array_like of shape (n, n_in) or (K, n, n_in)
        One training set for all networks, or one per network (all of the same size n).
    y : array_like
        Targets as for :meth:`MLP.loss_and_gradients`; with a 3-D ``X``, one set per network
        stacked on a leading axis of length K.
    loss : {"squared", "binary_cross_entropy", "softmax_cross_entropy"}
    lr : float > 0
        Step size :math:`\eta`.
    epochs : int >= 0
    l1, l2, weight_decay : float >= 0, or sequence of K floats >= 0
        Penalty strengths :math:`\lambda_1, \lambda_2` and decoupled weight decay :math:`d`,
        the same for all networks or one per network.
    l1_mode : {"subgradient", "proximal"}
    X_val, y_val : optional validation data (both or neither), shared or one set per network
    record_every : int >= 1
        Record every this many epochs (plus epoch 0 and the last one).

    Returns
    -------
    list of History
        One per network, in the order of ``nets``, with the fields of :func:`train`'s.
    """
    if isinstance(nets, (MLP, str, bytes)) or not hasattr(nets, "__len__"):
        raise TypeError("nets must be a sequence of MLP")
    nets = list(nets)
    if not nets:
        raise ValueError("nets must hold at least one MLP")
    for net in nets:
        if not isinstance(net, MLP):
            raise TypeError(f"nets must hold MLP objects, got {type(net).__name__}")
    ref, K = nets[0], len(nets)
    for net in nets[1:]:
        if (net.sizes, net.activation, net.output, net.bias) != (ref.sizes, ref.activation, ref.output, ref.bias):
            raise ValueError(f"all networks must share sizes, activation, output and bias; got {ref!r} and {net!r}")
    loss = _check_choice(loss, "loss", LOSSES)
    X, Y = _stack_data(ref, X, y, K, loss, ("X", "y"))
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    epochs = check_int(epochs, "epochs", low=0)
    l1, l2, mu = (_per_network(v, name, K) for v, name in ((l1, "l1"), (l2, "l2"), (weight_decay, "weight_decay")))
    l1_mode = _check_choice(l1_mode, "l1_mode", ("subgradient", "proximal"))
    record_every = check_int(record_every, "record_every", low=1)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    val = None if X_val is None else _stack_data(ref, X_val, y_val, K, loss, ("X_val", "y_val"))

    # Groups of networks whose largest stacked activation stays below ~100 kB: larger temporaries
    # are served by fresh memory maps, and their page faults would cost more than the arithmetic.
    group = max(1, 12_500 // (X.shape[1] * max(ref.sizes)))
    histories = []
    for start in range(0, K, group):
        part = slice(start, min(start + group, K))

        def take(arrays):
            return None if arrays is None else tuple(a if a.shape[0] == 1 else a[part] for a in arrays)

        histories += _run(nets[part], None, *take((X, Y)), loss=loss, lr=lr, epochs=epochs, batch_size=None,
                          l1=_part(l1, part), l2=_part(l2, part), weight_decay=_part(mu, part), dropout=0.0,
                          val=take(val), l1_mode=l1_mode, record_every=record_every)
    return histories


def _train_seeds(models, seeds, X, y, *, loss: str, lr: float, epochs: int, batch_size=None, l1: float = 0.0,
                 l2: float = 0.0, weight_decay: float = 0.0, dropout: float = 0.0, X_val=None, y_val=None,
                 optimizer: str = "sgd", betas=(0.9, 0.999), eps: float = 1e-8, l1_mode: str = "subgradient",
                 record_every: int = 1) -> list:
    """:func:`lecture_code.nn.train` for every model at once, model ``s`` with its own ``seeds[s]``.

    The options are those of :func:`~lecture_code.nn.train`, already validated by it (see
    :func:`lecture_code.experiments.train_seeds`).
    """
    first = models[0]
    X = first._check_X(X)
    y = first._check_y(y, loss, X.shape[0])
    val = None
    if X_val is not None:
        X_val = first._check_X(X_val)
        val = (X_val[None], first._check_y(y_val, loss, X_val.shape[0])[None])
    return _run(models, [check_seed(s) for s in seeds], X[None], y[None], loss=loss, lr=lr, epochs=epochs,
                batch_size=batch_size, l1=l1, l2=l2, weight_decay=weight_decay, dropout=dropout, val=val,
                optimizer=optimizer, betas=betas, eps=eps, l1_mode=l1_mode, record_every=record_every)


class _Stack:
    """The parameters of several MLPs of one architecture, one row per network.

    ``theta`` has shape (S, P): every network's weights and biases, flattened; ``W[l]``
    (S, n_{l-1}, n_l) and ``b[l]`` (S, n_l) are views into it, so that an optimiser
    step is a few operations on ``theta`` whatever the number of layers.
    """

    def __init__(self, models: list):
        first = models[0]
        self.activation, self.output, self.bias = first.activation, first.output, first.bias
        self.L = first.n_layers
        self.shapes = [W.shape for W in first.weights]
        sizes = [r * c for r, c in self.shapes] + ([c for _, c in self.shapes] if self.bias else [])
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        S, P = len(models), int(self.offsets[-1])
        self.theta = np.empty((S, P))
        self.is_weight = np.zeros(P, dtype=bool)
        self.is_weight[:self.offsets[self.L]] = True
        self.W, self.b = self.views(self.theta)
        for s, m in enumerate(models):
            for l in range(self.L):
                self.W[l][s] = m.weights[l]
                if self.bias:
                    self.b[l][s] = m.biases[l]

    def views(self, flat):
        """Per-layer views (weights, biases) into a flat (S, P) array."""
        S, o = flat.shape[0], self.offsets
        W = [flat[:, o[l]:o[l + 1]].reshape((S,) + self.shapes[l]) for l in range(self.L)]
        b = [flat[:, o[self.L + l]:o[self.L + l + 1]] if self.bias else None for l in range(self.L)]
        return W, b

    def forward(self, A, dropout=0.0, masks=None):
        """A: (1 or S, n, n_in). Returns the output (S, n, n_out) and the cache."""
        layers = ((self.W[l], self.b[l][:, None, :] if self.bias else None) for l in range(self.L))
        return _forward_layers(A, layers, self.L, self.activation, self.output, dropout, masks)

    def output_blocks(self, A):
        """Output without dropout, in blocks of 256 rows (as MLP._output)."""
        return np.concatenate([self.forward(A[:, i:i + 256])[0] for i in range(0, A.shape[1], 256)], axis=1)

    @staticmethod
    def data_loss(loss, out, y):
        """Per-network mean data loss (S,) and dJ/d(output) (S, n, n_out), as MLP._data_loss."""
        n = out.shape[1]
        if loss == "squared":
            r = out - y
            return 0.5 * np.sum(r * r, axis=(1, 2)) / n, r / n
        if loss == "binary_cross_entropy":
            value = np.sum(np.logaddexp(0.0, out) - y * out, axis=(1, 2)) / n
            return value, (sigmoid(out) - y) / n
        labels = np.broadcast_to(y, out.shape[:2])[:, :, None]
        shifted = out - out.max(axis=2, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=2))
        value = np.sum(log_norm - np.take_along_axis(shifted, labels, axis=2)[:, :, 0], axis=1) / n
        grad = np.exp(shifted - log_norm[:, :, None])
        np.put_along_axis(grad, labels, np.take_along_axis(grad, labels, axis=2) - 1.0, axis=2)
        return value, grad / n

    def penalty(self, l1, l2):
        """Per-network penalty (S,) on the weights (not the biases), as MLP.penalty (strengths: scalars or (S,))."""
        if not (np.any(l1) or np.any(l2)):
            return np.zeros(self.theta.shape[0])
        weights = self.theta[:, :self.offsets[self.L]]
        value = 0.0
        if np.any(l2):
            value = value + 0.5 * l2 * np.sum(weights * weights, axis=1)
        if np.any(l1):
            value = value + l1 * np.sum(np.abs(weights), axis=1)
        return value

    def backprop(self, A, y, loss, l1, l2, dropout, masks):
        """Objective (S,), its gradient as a flat (S, P) array, the data loss (S,) and the output."""
        out, cache = self.forward(A, dropout, masks)
        data_value, delta = self.data_loss(loss, out, y)
        grad = np.empty_like(self.theta)
        dW, db = self.views(grad)
        l1_w, l2_w = _col(l1, 3), _col(l2, 3)
        for l in reversed(range(self.L)):
            name = self.output if l == self.L - 1 else self.activation
            if name != "identity":
                delta = delta * _activation_derivative(name, cache["z"][l], cache["h"][l])
            np.matmul(np.swapaxes(cache["a"][l], 1, 2), delta, out=dW[l])
            if np.any(l2):
                dW[l] += l2_w * self.W[l]
            if np.any(l1):
                dW[l] += l1_w * np.sign(self.W[l])
            if self.bias:
                db[l][...] = delta.sum(axis=1)
            if l > 0:
                delta = delta @ np.swapaxes(self.W[l], 1, 2)
                if masks is not None:
                    delta = delta * masks[l - 1] / (1.0 - dropout)
        return data_value + self.penalty(l1, l2), grad, data_value, out

    def copy_to(self, models) -> None:
        """Write every network's weights and biases back into its MLP, in place."""
        for s, mlp in enumerate(models):
            for l in range(self.L):
                mlp.weights[l][...] = self.W[l][s]
                if self.bias:
                    mlp.biases[l][...] = self.b[l][s]


class _Optimiser:
    """SGD or Adam on a :class:`_Stack`, each step as :func:`lecture_code.nn.train` takes it."""

    def __init__(self, stack: _Stack, *, optimizer, lr, betas, eps, l1, weight_decay, l1_mode):
        self.stack, self.optimizer, self.lr, self.eps = stack, optimizer, lr, eps
        self.beta1, self.beta2 = betas
        self.l1, self.l1_theta, self.decay = l1, _col(l1, 2), _col(weight_decay, 2)
        self.proximal = l1_mode == "proximal" and np.any(l1)
        self.m, self.v = np.zeros_like(stack.theta), np.zeros_like(stack.theta)
        self.step = 0

    def update(self, grad, stepping) -> None:
        """One step for the networks ``stepping`` (the others keep their parameters and moments)."""
        theta, is_weight, lr = self.stack.theta, self.stack.is_weight, self.lr
        beta1, beta2 = self.beta1, self.beta2
        self.step += 1
        decay = self.decay * theta * is_weight if np.any(self.decay) else 0.0
        if stepping.all():                      # the usual case: in place, in nn.train's order of operations
            if self.optimizer == "sgd":
                theta[...] -= lr * (grad + decay)
                if self.proximal:
                    theta[:, is_weight] = _soft_threshold(theta[:, is_weight], lr * self.l1_theta)
                return
            self.m *= beta1
            self.m += (1 - beta1) * grad
            self.v *= beta2
            self.v += (1 - beta2) * grad * grad
            m_hat, v_hat = self.m / (1 - beta1 ** self.step), self.v / (1 - beta2 ** self.step)
            theta[...] -= lr * decay + lr * m_hat / (np.sqrt(v_hat) + self.eps)
            return
        keep = stepping[:, None]                # some networks stopped (diverged) during this epoch
        if self.optimizer == "sgd":
            new = theta - lr * (grad + decay)
            if self.proximal:
                new = np.where(is_weight, _soft_threshold(new, lr * self.l1_theta), new)
        else:
            m_new = beta1 * self.m + (1 - beta1) * grad
            v_new = beta2 * self.v + (1 - beta2) * grad * grad
            m_hat, v_hat = m_new / (1 - beta1 ** self.step), v_new / (1 - beta2 ** self.step)
            new = theta - (lr * decay + lr * m_hat / (np.sqrt(v_hat) + self.eps))
            self.m, self.v = np.where(keep, m_new, self.m), np.where(keep, v_new, self.v)
        theta[...] = np.where(keep, new, theta)


class _Recorder:
    """The histories of the stacked networks, recorded as :func:`lecture_code.nn.train` records one."""

    KEYS = ("epochs", "train_loss", "objective", "weight_norms", "gradient_norms", "train_accuracy", "val_loss",
            "val_accuracy")

    def __init__(self, stack: _Stack, A, y, val, *, loss, l1, l2, classify):
        self.stack, self.A, self.y, self.val = stack, A, y, val
        self.loss, self.l1, self.l2, self.classify = loss, l1, l2, classify
        self.rec = [{k: [] for k in self.KEYS} for _ in range(stack.theta.shape[0])]

    @staticmethod
    def _labels(t):
        return t if t.ndim == 2 else t[:, :, 0]

    @staticmethod
    def _predicted_class(out):
        return (out[:, :, 0] > 0).astype(int) if out.shape[2] == 1 else out.argmax(axis=2)

    def record(self, epoch, which) -> np.ndarray:
        """Append the state of the networks ``which`` after ``epoch``; True where it is finite."""
        stack = self.stack
        _, grad, data_value, out = stack.backprop(self.A, self.y, self.loss, 0.0, 0.0, 0.0, None)
        dW, _ = stack.views(grad)
        value = data_value + stack.penalty(self.l1, self.l2)
        w_norms = np.array([np.linalg.norm(W, axis=(1, 2)) for W in stack.W]).T
        g_norms = np.array([np.linalg.norm(g, axis=(1, 2)) for g in dW]).T
        if self.classify:                       # the output of the full-batch pass above, without dropout
            train_acc = np.mean(self._predicted_class(out) == self._labels(self.y), axis=1)
        if self.val is not None:
            X_val, y_val = self.val
            out_val = stack.output_blocks(X_val)
            val_loss = stack.data_loss(self.loss, out_val, y_val)[0]
            if self.classify:
                val_acc = np.mean(self._predicted_class(out_val) == self._labels(y_val), axis=1)
        for s in np.flatnonzero(which):
            r = self.rec[s]
            r["epochs"].append(epoch)
            r["train_loss"].append(float(data_value[s]))
            r["objective"].append(float(value[s]))
            r["weight_norms"].append(w_norms[s])
            r["gradient_norms"].append(g_norms[s])
            if self.classify:
                r["train_accuracy"].append(float(train_acc[s]))
            if self.val is not None:
                r["val_loss"].append(float(val_loss[s]))
                if self.classify:
                    r["val_accuracy"].append(float(val_acc[s]))
        return np.isfinite(value) & np.all(np.isfinite(stack.theta[:, stack.is_weight]), axis=1)

    def histories(self, diverged_epoch, epochs_run) -> list[History]:
        def arr(r, key, dtype=float):
            return np.array(r[key], dtype=dtype) if r[key] else None

        return [History(epochs=arr(r, "epochs", int), train_loss=arr(r, "train_loss"), objective=arr(r, "objective"),
                        weight_norms=arr(r, "weight_norms"), gradient_norms=arr(r, "gradient_norms"),
                        train_accuracy=arr(r, "train_accuracy"), val_loss=arr(r, "val_loss"),
                        val_accuracy=arr(r, "val_accuracy"), diverged=diverged_epoch[s] is not None,
                        diverged_epoch=diverged_epoch[s], epochs_run=int(epochs_run[s]))
                for s, r in enumerate(self.rec)]


def _run(models, rngs, A_full, y_full, *, loss, lr, epochs, batch_size, l1, l2, weight_decay, dropout, val,
         optimizer="sgd", betas=(0.9, 0.999), eps=1e-8, l1_mode="subgradient", record_every=1) -> list[History]:
    """The kernel: train ``models`` together (validated inputs, data with a leading axis of 1 or S).

    ``rngs`` are the networks' generators (shuffling and dropout masks), needed only for
    mini-batches or dropout; strengths are scalars or arrays of shape (S,).
    """
    first, S, n = models[0], len(models), A_full.shape[1]
    batch_size = n if batch_size is None else int(batch_size)
    classify = loss != "squared" and (loss == "softmax_cross_entropy" or first.sizes[-1] == 1)
    stack = _Stack(models)
    optimiser = _Optimiser(stack, optimizer=optimizer, lr=lr, betas=betas, eps=eps, l1=l1,
                           weight_decay=weight_decay, l1_mode=l1_mode)
    recorder = _Recorder(stack, A_full, y_full, val, loss=loss, l1=l1, l2=l2, classify=classify)
    l1_in_gradient = l1 if l1_mode == "subgradient" else 0.0
    hidden = first.sizes[1:-1]
    X, y = A_full[0], y_full[0]                 # mini-batches come from one shared data set

    active = np.ones(S, dtype=bool)
    diverged_epoch = [None] * S
    epochs_run = np.zeros(S, dtype=int)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        finite = recorder.record(0, active)
        for s in np.flatnonzero(~finite):
            active[s], diverged_epoch[s] = False, 0
        for epoch in range(1, epochs + 1):
            if not active.any():
                break
            if batch_size < n:
                orders = np.array([rngs[s].permutation(n) if active[s] else np.arange(n) for s in range(S)])
            stepping = active.copy()
            for start in range(0, n, batch_size):
                if batch_size < n:
                    idx = orders[:, start:start + batch_size]
                    A, target, rows = X[idx], y[idx], idx.shape[1]
                else:
                    A, target, rows = A_full, y_full, n
                masks = None
                if dropout > 0.0:
                    draws = [[(rngs[s].random((rows, w)) >= dropout).astype(float) for w in hidden]
                             if stepping[s] else [np.ones((rows, w)) for w in hidden] for s in range(S)]
                    masks = [np.stack([d[l] for d in draws]) for l in range(len(hidden))]
                value, grad, _, _ = stack.backprop(A, target, loss, l1_in_gradient, l2, dropout, masks)
                stepping &= np.isfinite(value)
                if not stepping.any():
                    break
                optimiser.update(grad, stepping)
            epochs_run[active] = epoch
            due = epoch % record_every == 0 or epoch == epochs
            which = active & (~stepping | due)
            if which.any():
                finite = recorder.record(epoch, which)
                for s in np.flatnonzero(which & ~finite):
                    active[s], diverged_epoch[s] = False, epoch

    stack.copy_to(models)
    return recorder.histories(diverged_epoch, epochs_run)
