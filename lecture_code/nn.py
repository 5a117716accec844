r"""A small multilayer perceptron, written out so that back-propagation can be read.

A network with :math:`H` hidden layers and layer sizes :math:`[m_0, m_1, \dots, m_{H+1}]`
(:math:`m_0 = p` inputs) computes, for a batch :math:`X` of shape :math:`(n, m_0)`,

.. math::

    a_0 = X,\qquad z_l = a_{l-1} W_l + b_l,\qquad
    a_l = \varphi(z_l)\odot r_l/(1-\nu)\quad (l \le H),\qquad \hat z = z_{H+1},

with :math:`W_l` of shape :math:`(m_{l-1}, m_l)`, a hidden activation
:math:`\varphi` (sigmoid, tanh, relu or identity), optional inverted-dropout
masks :math:`r_l \in \{0,1\}` (dropout rate :math:`\nu`, keep probability :math:`1-\nu`), and the
output left as logits: the loss applies the link (:math:`\operatorname{sigm}` or softmax).

Training minimises the penalised objective

.. math::

    J = \underbrace{\frac1n\sum_{i=1}^n \ell(\hat z_i, y_i)}_{L}
        + \frac{\lambda_2}{2}\sum_l \lVert W_l\rVert_F^2
        + \lambda_1 \sum_l \lVert W_l\rVert_1 ,

over weights only: biases are never penalised. Back-propagation
(:math:`\delta_l = \partial L/\partial z_l`):

.. math::

    \delta_{H+1} &= \partial L/\partial z_{H+1}
               \quad\big(= (\hat y - y)/n \text{ for all three losses, identity output}\big),\\
    \frac{\partial J}{\partial W_l} &= a_{l-1}^\top \delta_l
        + \lambda_2 W_l + \lambda_1 \operatorname{sign}(W_l),\qquad
    \frac{\partial J}{\partial b_l} = \mathbf 1^\top \delta_l,\\
    \delta_{l-1} &= \big(\delta_l W_l^\top\big)\odot \frac{r_{l-1}}{1-\nu}
                    \odot \varphi'(z_{l-1}).

(Here :math:`\hat y` is the prediction: the output itself for the squared loss, the probabilities
:math:`\operatorname{sigm}(\hat z)` or the softmax for the cross-entropies, compared with 0/1 or
one-hot targets.) Conventions differ between frameworks: Keras
``kernel_regularizer=l2(c)`` adds :math:`c\sum w^2` (no ½), so its gradient term
is :math:`2cw`; ``l1(c)`` adds :math:`c\sum|w|`; PyTorch's ``SGD(weight_decay=wd)``
adds :math:`wd\cdot w` to the gradient, i.e. our ``l2=wd`` (``Adam(weight_decay=wd)`` too,
while ``AdamW`` decouples the decay: see :func:`train`).

numpy only; float64 throughout.
"""

from __future__ import annotations

import copy as _copy
import numbers
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_real, check_seed
from .exceptions import ConvergenceWarning
from .penalties import _soft_threshold

__all__ = ["ACTIVATIONS", "LOSSES", "MLP", "History", "accuracy", "hessian_top_eigenvalue", "train", "train_path",
           "train_stack"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
LOSSES = ("squared", "binary_cross_entropy", "softmax_cross_entropy")


# --------------------------------------------------------------------------- activations
def sigmoid(z) -> np.ndarray:
    r"""The logistic sigmoid :math:`\operatorname{sigm}(z) = 1/(1 + e^{-z})`, elementwise and overflow-free.

    Computed as :math:`\exp(-\operatorname{softplus}(-z))`, accurate for large :math:`|z|` of either sign.
    """
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def _activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    return z


def _activation_derivative(name: str, z: np.ndarray, h: np.ndarray) -> np.ndarray:
    """phi'(z), using h = phi(z) where it is cheaper."""
    if name == "sigmoid":
        return h * (1.0 - h)
    if name == "tanh":
        return 1.0 - h * h
    if name == "relu":
        return (z > 0).astype(float)
    return np.ones_like(z)


def _check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {list(choices)}, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- the network
class MLP:
    r"""A fully connected network with output :math:`\hat z = z_{H+1}`, :math:`z_l = a_{l-1}W_l + b_l`.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[n_in, m_1, ..., m_H, n_out]``: :math:`H` = ``len(sizes) - 2`` hidden layers
        (at least two entries, all >= 1).
    activation : {"relu", "sigmoid", "tanh", "identity"}
        Hidden-layer activation :math:`\varphi`.
    output : {"identity", "sigmoid", "tanh", "relu"}
        Output activation. Keep ``"identity"`` (logits) for the cross-entropy
        losses, which apply their own link; any other choice is allowed only
        with ``loss="squared"``.
    init : {"he", "xavier"} or float
        Weight initialisation: ``"he"`` draws :math:`W_l \sim N(0, 2/m_{l-1})`,
        ``"xavier"`` (Glorot normal) :math:`N(0, 2/(m_{l-1}+m_l))`, a float
        ``s > 0`` draws :math:`N(0, s^2)`. Biases start at zero.
    bias : bool
        ``False`` builds a network without biases (``biases`` is then a list of
        ``None``).
    seed : int or numpy.random.Generator

    Attributes
    ----------
    weights : list of ndarray, shape (m_{l-1}, m_l)
    biases : list of ndarray of shape (m_l,), or of None when ``bias=False``
    """

    def __init__(self, sizes, *, activation: str = "relu", output: str = "identity", init="he",
                 bias: bool = True, seed=0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a sequence of integers, got {type(sizes).__name__}")
        if len(sizes) < 2:
            raise ValueError(f"sizes must have at least two entries [n_in, n_out], got {list(sizes)}")
        self.sizes = [check_int(s, "sizes", low=1) for s in sizes]
        self.activation = _check_choice(activation, "activation", ACTIVATIONS)
        self.output = _check_choice(output, "output", ACTIVATIONS)
        self.bias = check_bool(bias, "bias")
        rng = check_seed(seed)
        if isinstance(init, str):
            _check_choice(init, "init", ("he", "xavier"))
        elif isinstance(init, numbers.Real) and not isinstance(init, bool):
            check_real(init, "init", low=0.0, low_open=True)
        else:
            raise TypeError(f"init must be 'he', 'xavier' or a positive float, got {type(init).__name__}")
        self.init = init
        self.weights, self.biases = [], []
        for n_prev, n_next in zip(self.sizes[:-1], self.sizes[1:]):
            if init == "he":
                scale = np.sqrt(2.0 / n_prev)
            elif init == "xavier":
                scale = np.sqrt(2.0 / (n_prev + n_next))
            else:
                scale = float(init)
            self.weights.append(scale * rng.standard_normal((n_prev, n_next)))
            self.biases.append(np.zeros(n_next) if self.bias else None)

    # ------------------------------------------------------------------ helpers
    @property
    def n_layers(self) -> int:
        """Number of weight layers, H + 1 for H hidden layers."""
        return len(self.weights)

    @property
    def n_parameters(self) -> int:
        """Number of trainable numbers (weights and biases)."""
        return sum(W.size for W in self.weights) + sum(b.size for b in self.biases if b is not None)

    def copy(self) -> "MLP":
        """An independent deep copy (same architecture and parameters)."""
        return _copy.deepcopy(self)

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activation={self.activation!r}, output={self.output!r}, "
                f"bias={self.bias})")

    def _check_X(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have {self.sizes[0]} columns (sizes[0]), got shape {X.shape}")
        return X

    def _dropout_masks(self, n, dropout, rng, masks):
        """Validated keep-masks (0/1) for the hidden layers, or None."""
        hidden = self.sizes[1:-1]
        if masks is not None:
            if isinstance(masks, np.ndarray) or not hasattr(masks, "__len__"):
                raise TypeError("masks must be a list with one array per hidden layer")
            if len(masks) != len(hidden):
                raise ValueError(f"masks must have one array per hidden layer ({len(hidden)}), got {len(masks)}")
            out = []
            for l, (m, width) in enumerate(zip(masks, hidden)):
                m = as_float_array(m, f"masks[{l}]", ndim=2)
                if m.shape != (n, width):
                    raise ValueError(f"masks[{l}] must have shape {(n, width)}, got {m.shape}")
                if not np.all((m == 0) | (m == 1)):
                    raise ValueError(f"masks[{l}] must contain only 0 and 1")
                out.append(m)
            return out
        if dropout == 0.0:
            return None
        rng = check_seed(0 if rng is None else rng, "rng")
        return [(rng.random((n, width)) >= dropout).astype(float) for width in hidden]

    # ------------------------------------------------------------------ forward
    def forward(self, X, *, dropout: float = 0.0, rng=None, masks=None, return_cache: bool = False):
        r"""Compute the output :math:`\hat z = z_{H+1}` of shape (n, n_out).

        Parameters
        ----------
        X : array_like of shape (n, n_in)
        dropout : float in [0, 1)
            Dropout rate :math:`\nu`: the probability of dropping each hidden unit (inverted dropout:
            kept units are scaled by :math:`1/(1-\nu)` so that the expected
            activation is unchanged; at test time use ``dropout=0``).
        rng : int or numpy.random.Generator, optional
            Source of the dropout masks (default seed 0).
        masks : list of array_like of shape (n, m_l), optional
            Fixed 0/1 keep-masks, one per hidden layer; they override ``rng``
            and are still scaled by :math:`1/(1-\nu)`.
        return_cache : bool
            Also return the cache used by back-propagation: a dict with lists
            ``a`` (layer inputs :math:`a_0..a_H`), ``z`` (pre-activations),
            ``h`` (:math:`\varphi(z_l)` before dropout) and ``masks``.

        Returns
        -------
        ndarray of shape (n, n_out), and the cache if requested.
        """
        X = self._check_X(X)
        dropout = check_real(dropout, "dropout", low=0.0, high=1.0, high_open=True)
        return_cache = check_bool(return_cache, "return_cache")
        masks = self._dropout_masks(X.shape[0], dropout, rng, masks)
        out, cache = self._forward(X, dropout, masks)
        return (out, cache) if return_cache else out

    def _forward(self, X, dropout, masks):
        a, cache = X, {"a": [], "z": [], "h": [], "masks": masks, "dropout": dropout}
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            cache["a"].append(a)
            z = a @ W if b is None else a @ W + b
            last = l == self.n_layers - 1
            h = _activate(self.output if last else self.activation, z)
            cache["z"].append(z)
            cache["h"].append(h)
            a = h
            if not last and masks is not None:
                a = h * masks[l] / (1.0 - dropout)
        return a, cache

    def _output(self, X) -> np.ndarray:
        """Output without dropout for validated X, computed in blocks of rows.

        Blocks of 256 rows keep every matrix product below OpenBLAS's threshold for
        multithreading; on a busy machine its worker threads otherwise keep spinning
        after a large product and slow the many small products of training tenfold.
        """
        return np.vstack([self._forward(X[i:i + 256], 0.0, None)[0] for i in range(0, X.shape[0], 256)])

    def predict(self, X) -> np.ndarray:
        """Raw network output without dropout: shape (n,) if n_out == 1, else (n, n_out)."""
        out = self._output(self._check_X(X))
        return out[:, 0] if out.shape[1] == 1 else out

    def predict_proba(self, X) -> np.ndarray:
        r"""Class probabilities: :math:`\hat y = \operatorname{sigm}(\hat z)` of shape (n,) for one output
        (probability of class 1), softmax rows of shape (n, n_out) otherwise."""
        out = self._output(self._check_X(X))
        return sigmoid(out[:, 0]) if out.shape[1] == 1 else _softmax(out)

    def predict_class(self, X) -> np.ndarray:
        """Predicted labels: ``output > 0`` for one output, ``argmax`` otherwise (int array (n,))."""
        out = self._output(self._check_X(X))
        return (out[:, 0] > 0).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)

    # ------------------------------------------------------------------ losses
    def _check_y(self, y, loss, n):
        n_out = self.sizes[-1]
        if loss != "squared" and self.output != "identity":
            raise ValueError(f"loss={loss!r} applies its own link and needs output='identity', got {self.output!r}")
        if loss == "softmax_cross_entropy":
            if n_out < 2:
                raise ValueError("loss='softmax_cross_entropy' needs at least 2 outputs (sizes[-1] >= 2)")
            y = as_float_array(y, "y", ndim=1)
            if not np.all(y == np.round(y)) or y.min() < 0 or y.max() > n_out - 1:
                raise ValueError(f"y must hold integer class labels in [0, {n_out - 1}]")
            labels = y.astype(int)
            if labels.shape[0] != n:
                raise ValueError(f"X and y must have the same number of rows, got {n} and {labels.shape[0]}")
            return labels
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.ndim == 1:
            y = y[:, None]
        if y.shape != (n, n_out):
            raise ValueError(f"y must have shape ({n},) or ({n}, {n_out}) to match X and the network, got {y.shape}")
        if loss == "binary_cross_entropy" and (y.min() < 0 or y.max() > 1):
            raise ValueError("y must hold targets in [0, 1] (0/1 labels) for loss='binary_cross_entropy'")
        return y

    @staticmethod
    def _data_loss(loss, out, y):
        """Mean data loss L and delta = dL / d(output), before the output activation."""
        n = out.shape[0]
        if loss == "squared":
            r = out - y
            return 0.5 * np.sum(r * r) / n, r / n
        if loss == "binary_cross_entropy":
            # -[y log s(z) + (1-y) log(1 - s(z))] = softplus(z) - y z, stable for any z.
            value = np.sum(np.logaddexp(0.0, out) - y * out) / n
            return value, (sigmoid(out) - y) / n
        shifted = out - out.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        value = np.sum(log_norm - shifted[np.arange(n), y]) / n
        grad = np.exp(shifted - log_norm[:, None])
        grad[np.arange(n), y] -= 1.0
        return value, grad / n

    def penalty(self, *, l1: float = 0.0, l2: float = 0.0) -> float:
        r"""Penalty :math:`\frac{\lambda_2}{2}\sum_l\lVert W_l\rVert_F^2 + \lambda_1\sum_l\lVert W_l\rVert_1` (weights only)."""
        return self._penalty(check_real(l1, "l1", low=0.0), check_real(l2, "l2", low=0.0))

    def _penalty(self, l1, l2):
        if not (l1 or l2):
            return 0.0
        return float(sum(0.5 * l2 * np.sum(W * W) + l1 * np.sum(np.abs(W)) for W in self.weights))

    def loss_and_gradients(self, X, y, *, loss: str = "squared", l1: float = 0.0, l2: float = 0.0,
                           dropout: float = 0.0, rng=None, masks=None):
        r"""Objective :math:`J` and its gradients by back-propagation.

        .. math::

            J = \frac1n\sum_i \ell(\hat z_i, y_i) + \frac{\lambda_2}{2}\sum_l\lVert W_l\rVert_F^2
                + \lambda_1\sum_l\lVert W_l\rVert_1 ,

        where :math:`\ell` is one of

        - ``"squared"``: :math:`\tfrac12\lVert\hat z - y\rVert^2` (so the data loss is
          :math:`\frac{1}{2n}\sum_i\lVert\hat z_i - y_i\rVert^2`), ``y`` of shape (n,) or (n, n_out);
        - ``"binary_cross_entropy"``: :math:`-y\log\operatorname{sigm}(z) - (1-y)\log(1-\operatorname{sigm}(z))`
          summed over outputs, computed as :math:`\operatorname{softplus}(z) - yz`;
          ``y`` in {0, 1}, shape (n,) or (n, n_out);
        - ``"softmax_cross_entropy"``: :math:`\log\sum_k e^{z_k} - z_{y}` (log-sum-exp),
          ``y`` integer labels of shape (n,).

        The penalty acts on weights only; its gradient adds :math:`\lambda_2 W_l` and
        :math:`\lambda_1\operatorname{sign}(W_l)` (the subgradient with 0 at 0) to each
        :math:`\partial J/\partial W_l`. Scaling conventions differ: Keras
        ``kernel_regularizer=l2(c)`` adds :math:`c\sum w^2` to the loss, whose gradient is
        :math:`2cw` (``l2 = 2c`` here); ``l1(c)`` adds :math:`c\sum|w|` (``l1 = c``).

        Parameters
        ----------
        X : array_like of shape (n, n_in)
        y : array_like
        loss : {"squared", "binary_cross_entropy", "softmax_cross_entropy"}
        l1, l2 : float >= 0
        dropout, rng, masks
            As in :meth:`forward` (dropout on hidden layers during this pass).

        Returns
        -------
        value : float
        dW : list of ndarray, same shapes as ``weights``
        db : list of ndarray (or None for a network without biases)
        """
        value, dW, db, _ = self._loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2, dropout=dropout,
                                                     rng=rng, masks=masks)
        return value, dW, db

    def _loss_and_gradients(self, X, y, *, loss, l1=0.0, l2=0.0, dropout=0.0, rng=None, masks=None):
        """As loss_and_gradients, plus the data loss alone (for histories)."""
        X = self._check_X(X)
        loss = _check_choice(loss, "loss", LOSSES)
        y = self._check_y(y, loss, X.shape[0])
        l1 = check_real(l1, "l1", low=0.0)
        l2 = check_real(l2, "l2", low=0.0)
        dropout = check_real(dropout, "dropout", low=0.0, high=1.0, high_open=True)
        masks = self._dropout_masks(X.shape[0], dropout, rng, masks)
        return self._backprop(X, y, loss, l1, l2, dropout, masks)

    def _backprop(self, X, y, loss, l1, l2, dropout, masks):
        """The unvalidated kernel: forward, loss, backward (the training loop calls it directly)."""
        out, cache = self._forward(X, dropout, masks)
        data_value, delta = self._data_loss(loss, out, y)
        L = self.n_layers
        dW, db = [None] * L, [None] * L
        for l in reversed(range(L)):
            name = self.output if l == L - 1 else self.activation
            if name != "identity":
                delta = delta * _activation_derivative(name, cache["z"][l], cache["h"][l])
            dW[l] = cache["a"][l].T @ delta
            if l2:
                dW[l] += l2 * self.weights[l]
            if l1:
                dW[l] += l1 * np.sign(self.weights[l])
            db[l] = delta.sum(axis=0) if self.bias else None
            if l > 0:
                delta = delta @ self.weights[l].T
                if masks is not None:
                    delta = delta * masks[l - 1] / (1.0 - dropout)
        value = data_value + self._penalty(l1, l2)
        return float(value), dW, db, float(data_value)

    def gradient_norms(self, X, y, *, loss: str = "squared") -> np.ndarray:
        r"""Per-layer Frobenius norms :math:`\lVert\partial L/\partial W_l\rVert_F`, l = 1..H+1
        (no penalty, no dropout) — the vanishing-gradient diagnostic."""
        _, dW, _ = self.loss_and_gradients(X, y, loss=loss)
        return np.array([np.linalg.norm(g) for g in dW])

    def weight_norms(self) -> np.ndarray:
        r"""Per-layer Frobenius norms :math:`\lVert W_l\rVert_F`."""
        return np.array([np.linalg.norm(W) for W in self.weights])

    def accuracy(self, X, y) -> float:
        """Fraction of labels ``y`` (0/1 for one output, integers otherwise) predicted correctly."""
        labels = as_float_array(y, "y", ndim=1)
        pred = self.predict_class(X)
        if labels.shape[0] != pred.shape[0]:
            raise ValueError(f"X and y must have the same number of rows, got {pred.shape[0]} and {labels.shape[0]}")
        return float(np.mean(pred == labels))


def accuracy(mlp: MLP, X, y) -> float:
    """Fraction of correctly classified points (see :meth:`MLP.accuracy`)."""
    return mlp.accuracy(X, y)


# --------------------------------------------------------------------------- training
@dataclass
class History:
    """What :func:`train` records: before training (epoch 0), every ``record_every``
    epochs, after the last epoch, and when training diverges.

    Attributes
    ----------
    epochs : ndarray of int (records,)
        The epochs at which the other arrays were recorded (``epochs[0] == 0``).
    train_loss : ndarray (records,)
        Mean data loss on the whole training set (no penalty, no dropout).
    objective : ndarray (records,)
        ``train_loss`` plus the L1/L2 penalty (the function ``l1``/``l2`` descend).
    train_accuracy, val_loss, val_accuracy : ndarray or None
        Accuracies for the cross-entropy losses; validation entries only when
        ``X_val``/``y_val`` are given.
    weight_norms, gradient_norms : ndarray (records, H + 1)
        Per-layer :math:`\\lVert W_l\\rVert_F` and full-batch data-gradient norms.
    diverged : bool
        True if the loss or the weights became non-finite; training stopped then.
    diverged_epoch : int or None
        The epoch at which that was detected.
    epochs_run : int
        Epochs completed (the last recorded epoch).
    """

    epochs: np.ndarray
    train_loss: np.ndarray
    objective: np.ndarray
    weight_norms: np.ndarray
    gradient_norms: np.ndarray
    train_accuracy: np.ndarray | None = None
    val_loss: np.ndarray | None = None
    val_accuracy: np.ndarray | None = None
    diverged: bool = False
    diverged_epoch: int | None = None
    epochs_run: int = 0


def train(mlp: MLP, X, y, *, loss: str, lr: float, epochs: int, batch_size: int | None = None,
          l1: float = 0.0, l2: float = 0.0, weight_decay: float = 0.0, dropout: float = 0.0, seed=0,
          X_val=None, y_val=None, optimizer: str = "sgd", betas: tuple[float, float] = (0.9, 0.999),
          eps: float = 1e-8, l1_mode: str = "subgradient", record_every: int = 1) -> History:
    r"""Train ``mlp`` in place by mini-batch stochastic gradient descent (or Adam).

    Every step, on a batch :math:`B` (reshuffled each epoch), with
    :math:`g = \nabla_{W_l} J_B` the gradient of the objective of
    :meth:`MLP.loss_and_gradients` on the batch (with ``l1``, ``l2`` and ``dropout``)
    and :math:`d` = ``weight_decay`` (the decoupled form, weights only):

    - ``optimizer="sgd"``: :math:`W_l \leftarrow W_l - \eta\,(g + d\,W_l)`,
      :math:`b_l \leftarrow b_l - \eta\,\nabla_{b_l} J_B`. For plain SGD,
      ``weight_decay=d`` and ``l2=d`` give the same update
      :math:`W \leftarrow (1-\eta d)W - \eta\nabla L`.
    - ``optimizer="adam"`` (Kingma & Ba): :math:`u \leftarrow \beta_1 u + (1-\beta_1)g`,
      :math:`v \leftarrow \beta_2 v + (1-\beta_2)g^2`,
      :math:`W_l \leftarrow (1-\eta d)W_l - \eta\,\hat u/(\sqrt{\hat v}+\epsilon)` with the
      bias-corrected moments :math:`\hat u = u/(1-\beta_1^t)`, :math:`\hat v = v/(1-\beta_2^t)`
      (biases get the same Adam step without the decay). Here the two penalties differ:
      ``l2`` enters :math:`g` and is divided by the adaptive denominator (PyTorch
      ``Adam(weight_decay=...)``), ``weight_decay`` is not (decoupled weight decay,
      PyTorch ``AdamW(weight_decay=...)``, Loshchilov & Hutter).

    The L1 term is a subgradient :math:`\lambda_1\operatorname{sign}(W)` inside :math:`g`
    by default: weights then chatter around 0 with steps of size :math:`\eta\lambda_1`
    and are almost never exactly 0. ``l1_mode="proximal"`` (SGD only) instead takes the
    step without it and then soft-thresholds, :math:`W \leftarrow S(W, \eta\lambda_1)`
    (proximal gradient, chapter 5), which sets weights exactly to 0.

    A non-finite loss or weight stops training; the history records it
    (``diverged``) instead of raising, so that too large learning rates can be studied.

    Parameters
    ----------
    mlp : MLP
    X, y : training data (see :meth:`MLP.loss_and_gradients` for ``y``)
    loss : {"squared", "binary_cross_entropy", "softmax_cross_entropy"}
    lr : float > 0
        Step size :math:`\eta`.
    epochs : int >= 0
    batch_size : int, optional
        Default: full batch (gradient descent).
    l1, l2, weight_decay : float >= 0
    dropout : float in [0, 1)
    seed : int or numpy.random.Generator
        Shuffling and dropout masks.
    X_val, y_val : optional validation data (both or neither)
    optimizer : {"sgd", "adam"}
    betas : (float, float) in [0, 1)
        Adam's moment decay rates :math:`(\beta_1, \beta_2)`.
    eps : float > 0
        Adam's :math:`\epsilon`.
    l1_mode : {"subgradient", "proximal"}
    record_every : int >= 1
        Record the history every this many epochs (plus epoch 0 and the last one).

    Returns
    -------
    History
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    X = mlp._check_X(X)
    loss = _check_choice(loss, "loss", LOSSES)
    y = mlp._check_y(y, loss, X.shape[0])
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    epochs = check_int(epochs, "epochs", low=0)
    n = X.shape[0]
    batch_size = n if batch_size is None else check_int(batch_size, "batch_size", low=1)
    l1 = check_real(l1, "l1", low=0.0)
    l2 = check_real(l2, "l2", low=0.0)
    weight_decay = check_real(weight_decay, "weight_decay", low=0.0)
    dropout = check_real(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    rng = check_seed(seed)
    optimizer = _check_choice(optimizer, "optimizer", ("sgd", "adam"))
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError("betas must be a pair of floats (beta1, beta2)")
    beta1, beta2 = (check_real(b, "betas", low=0.0, high=1.0, high_open=True) for b in betas)
    eps = check_real(eps, "eps", low=0.0, low_open=True)
    l1_mode = _check_choice(l1_mode, "l1_mode", ("subgradient", "proximal"))
    if l1_mode == "proximal" and optimizer != "sgd":
        raise ValueError("l1_mode='proximal' needs optimizer='sgd'")
    record_every = check_int(record_every, "record_every", low=1)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    classify = loss != "squared" and (loss == "softmax_cross_entropy" or mlp.sizes[-1] == 1)
    if X_val is not None:
        X_val = mlp._check_X(X_val)
        y_val = mlp._check_y(y_val, loss, X_val.shape[0])
    l1_in_gradient = l1 if l1_mode == "subgradient" else 0.0

    def labels(t):
        return t if t.ndim == 1 else t[:, 0]

    rec = {k: [] for k in ("epochs", "train_loss", "objective", "weight_norms", "gradient_norms",
                           "train_accuracy", "val_loss", "val_accuracy")}

    def record(epoch) -> bool:
        """Append the state after ``epoch``; False if it is not finite."""
        _, dW, _, data_value = mlp._backprop(X, y, loss, 0.0, 0.0, 0.0, None)
        value = data_value + mlp._penalty(l1, l2)
        rec["epochs"].append(epoch)
        rec["train_loss"].append(data_value)
        rec["objective"].append(value)
        rec["weight_norms"].append(mlp.weight_norms())
        rec["gradient_norms"].append([np.linalg.norm(g) for g in dW])
        if classify:
            rec["train_accuracy"].append(mlp.accuracy(X, labels(y)))
        if X_val is not None:
            out = mlp._output(X_val)
            rec["val_loss"].append(float(mlp._data_loss(loss, out, y_val)[0]))
            if classify:
                rec["val_accuracy"].append(mlp.accuracy(X_val, labels(y_val)))
        return bool(np.isfinite(value)) and finite_weights()

    def finite_weights() -> bool:
        return all(np.all(np.isfinite(W)) for W in mlp.weights)

    params = [(mlp.weights, l, True) for l in range(mlp.n_layers)]
    if mlp.bias:
        params += [(mlp.biases, l, False) for l in range(mlp.n_layers)]
    moments = [[np.zeros_like(where[l]), np.zeros_like(where[l])] for where, l, _ in params]
    step = 0

    def update(dW, db):
        nonlocal step
        step += 1
        for k, (where, l, is_weight) in enumerate(params):
            g = dW[l] if is_weight else db[l]
            decay = weight_decay * where[l] if is_weight else 0.0
            if optimizer == "sgd":
                where[l] -= lr * (g + decay)
                if is_weight and l1_mode == "proximal" and l1 > 0:
                    where[l][...] = _soft_threshold(where[l], lr * l1)
                continue
            m, v = moments[k]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            m_hat, v_hat = m / (1 - beta1 ** step), v / (1 - beta2 ** step)
            where[l] -= lr * decay + lr * m_hat / (np.sqrt(v_hat) + eps)

    diverged, diverged_epoch, epochs_run, value = False, None, 0, 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if not record(0):
            diverged, diverged_epoch = True, 0
        for epoch in range(1, epochs + 1):
            if diverged:
                break
            order = rng.permutation(n) if batch_size < n else np.arange(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                Xb, yb = (X, y) if batch_size >= n else (X[idx], y[idx])
                masks = mlp._dropout_masks(idx.size, dropout, rng, None)
                value, dW, db, _ = mlp._backprop(Xb, yb, loss, l1_in_gradient, l2, dropout, masks)
                if not np.isfinite(value):  # non-finite weights show up here one step later
                    break
                update(dW, db)
            epochs_run = epoch
            if not np.isfinite(value) or epoch % record_every == 0 or epoch == epochs:
                if not record(epoch):
                    diverged, diverged_epoch = True, epoch

    def arr(key, dtype=float):
        return np.array(rec[key], dtype=dtype) if rec[key] else None

    return History(epochs=arr("epochs", int), train_loss=arr("train_loss"), objective=arr("objective"),
                   weight_norms=arr("weight_norms"), gradient_norms=arr("gradient_norms"),
                   train_accuracy=arr("train_accuracy"), val_loss=arr("val_loss"), val_accuracy=arr("val_accuracy"),
                   diverged=diverged, diverged_epoch=diverged_epoch, epochs_run=epochs_run)


def train_path(mlp: MLP, X, y, lambdas, *, penalty: str, **train_options) -> list[tuple[MLP, History]]:
    r"""Train one copy of ``mlp`` per penalty strength, all from the same initial weights.

    For each :math:`\lambda` in ``lambdas`` a deep copy of ``mlp`` (left untouched)
    is trained with ``l2=λ`` (``penalty="l2"``), ``l1=λ`` (``penalty="l1"``) or
    ``weight_decay=λ`` (``penalty="weight_decay"``); everything else comes from
    ``train_options`` (passed to :func:`train`). Starting every network from the
    same point makes the differences between them the penalty's doing.

    Returns
    -------
    list of (MLP, History), in the order of ``lambdas``
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    penalty = _check_choice(penalty, "penalty", ("l1", "l2", "weight_decay"))
    if isinstance(lambdas, (str, bytes)) or not hasattr(lambdas, "__len__") or len(lambdas) == 0:
        raise ValueError("lambdas must be a non-empty sequence of numbers >= 0")
    lambdas = [check_real(lam, "lambdas", low=0.0) for lam in lambdas]
    for name in ("l1", "l2", "weight_decay"):
        if name in train_options:
            raise TypeError(f"train_path sets {penalty} itself; do not pass {name}")
    results = []
    for lam in lambdas:
        net = mlp.copy()
        history = train(net, X, y, **{penalty: lam}, **train_options)
        results.append((net, history))
    return results


# --------------------------------------------------------------------------- many networks at once
def _per_network(value, name: str, K: int) -> np.ndarray:
    """A float >= 0 or a sequence of K of them, as an array of shape (K, 1, 1)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return np.full((K, 1, 1), check_real(value, name, low=0.0))
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be a number >= 0 or a sequence of one per network, got {type(value).__name__}")
    if len(value) != K:
        raise ValueError(f"{name} must have one entry per network ({K}), got {len(value)}")
    return np.array([check_real(v, name, low=0.0) for v in value], dtype=float).reshape(K, 1, 1)


def _stack_data(ref: MLP, X, y, K: int, loss: str, names: tuple[str, str]):
    """Validated data for K networks: X as (1 or K, n, n_in), targets as (1 or K, n, n_out), labels (1 or K, n)."""
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
    targets, labels = [], []
    for yk in ys:
        t = ref._check_y(yk, loss, n)
        if loss == "softmax_cross_entropy":
            labels.append(t.astype(float))
            t = np.eye(ref.sizes[-1])[t]
        else:
            labels.append(t[:, 0])
        targets.append(t)
    return X, np.stack(targets), np.stack(labels)


def train_stack(nets: Sequence[MLP], X, y, *, loss: str, lr: float, epochs: int, l1: float | Sequence[float] = 0.0,
                l2: float | Sequence[float] = 0.0, weight_decay: float | Sequence[float] = 0.0,
                l1_mode: str = "subgradient", X_val=None, y_val=None, record_every: int = 1) -> list[History]:
    r"""Train several networks of one architecture at once, by full-batch gradient descent.

    The :math:`K` networks may differ in their initial weights, their training sets and
    their penalty strengths. The weight matrices of layer :math:`l` are stacked into one
    array of shape :math:`(K, m_{l-1}, m_l)`, and every step is taken for all networks
    together with batched matrix products. Network :math:`k` follows exactly the update of
    :func:`train` with ``batch_size=None`` and ``optimizer="sgd"``:

    .. math::

        W_l^{(k)} \leftarrow W_l^{(k)} - \eta\big(\nabla_{W_l} L^{(k)}
            + \lambda_2^{(k)} W_l^{(k)} + \lambda_1^{(k)}\operatorname{sign}(W_l^{(k)})
            + d^{(k)} W_l^{(k)}\big),\qquad
        b_l^{(k)} \leftarrow b_l^{(k)} - \eta\,\nabla_{b_l} L^{(k)},

    where :math:`L^{(k)}` is the mean data loss of network :math:`k` on its own
    training set; with ``l1_mode="proximal"`` the L1 term leaves the step and the weights
    are soft-thresholded afterwards, :math:`W \leftarrow S(W, \eta\lambda_1^{(k)})`. So
    ``train_stack(nets, X, y, ...)`` gives, up to rounding, the networks and histories of
    ``[train(net, X, y, ...) for net in nets]``, at a fraction of the cost: a small network's
    training is dominated by Python's per-step overhead, which the stack pays once for all.
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
    data = _stack_data(ref, X, y, K, loss, ("X", "y"))
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    epochs = check_int(epochs, "epochs", low=0)
    strengths = [_per_network(v, name, K) for v, name in ((l1, "l1"), (l2, "l2"), (weight_decay, "weight_decay"))]
    l1_mode = _check_choice(l1_mode, "l1_mode", ("subgradient", "proximal"))
    record_every = check_int(record_every, "record_every", low=1)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    val = None if X_val is None else _stack_data(ref, X_val, y_val, K, loss, ("X_val", "y_val"))

    # Groups of networks whose largest stacked activation stays below ~100 kB: larger temporaries
    # are served by fresh memory maps, and their page faults would cost more than the arithmetic.
    group = max(1, 12_500 // (data[0].shape[1] * max(ref.sizes)))
    histories = []
    for start in range(0, K, group):
        part = slice(start, min(start + group, K))

        def take(arrays):
            return None if arrays is None else tuple(a if a.shape[0] == 1 else a[part] for a in arrays)

        histories += _train_group(ref, nets[part], take(data), take(val), *(a[part] for a in strengths),
                                  loss=loss, lr=lr, epochs=epochs, l1_mode=l1_mode, record_every=record_every)
    return histories


def _train_group(ref, nets, data, val, l1, l2, mu, *, loss, lr, epochs, l1_mode, record_every) -> list[History]:
    """The unvalidated kernel of :func:`train_stack` for one group of networks."""
    K, L = len(nets), ref.n_layers
    X, Y, labels = data
    classify = loss != "squared" and (loss == "softmax_cross_entropy" or ref.sizes[-1] == 1)
    l1_step = l1 if l1_mode == "subgradient" else np.zeros_like(l1)
    shrink = l2 + mu                    # both add (strength * W) to the step
    W = [np.stack([net.weights[l] for net in nets]) for l in range(L)]
    B = [np.stack([net.biases[l] for net in nets])[:, None, :] for l in range(L)] if ref.bias else [None] * L

    def forward(A):
        """Outputs (K, m, n_out) and the cache of layer inputs, pre-activations and activations."""
        a, cache = A, []
        for l in range(L):
            z = a @ W[l]
            if B[l] is not None:
                z += B[l]
            h = _activate(ref.output if l == L - 1 else ref.activation, z)
            cache.append((a, z, h))
            a = h
        return a, cache

    def data_loss(out, T):
        """Mean data loss per network (K,) and delta_L (K, m, n_out)."""
        m = out.shape[1]
        if loss == "squared":
            r = out - T
            return 0.5 * np.sum(r * r, axis=(1, 2)) / m, r / m
        if loss == "binary_cross_entropy":
            return np.sum(np.logaddexp(0.0, out) - T * out, axis=(1, 2)) / m, (sigmoid(out) - T) / m
        shifted = out - out.max(axis=2, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=2))
        value = np.sum(log_norm - np.sum(shifted * T, axis=2), axis=1) / m
        return value, (np.exp(shifted - log_norm[..., None]) - T) / m

    def evaluate():
        """Data loss (K,), data gradients and outputs of every network at the current weights."""
        out, cache = forward(X)
        value, delta = data_loss(out, Y)
        dW, db = [None] * L, [None] * L
        for l in reversed(range(L)):
            a, z, h = cache[l]
            name = ref.output if l == L - 1 else ref.activation
            if name != "identity":
                delta *= _activation_derivative(name, z, h)       # delta is always a fresh array here
            dW[l] = np.swapaxes(a, 1, 2) @ delta
            db[l] = delta.sum(axis=1, keepdims=True) if ref.bias else None
            if l > 0:
                delta = delta @ np.swapaxes(W[l], 1, 2)
        return value, dW, db, out

    def penalty(lam1):
        """The penalty of every network (K,), with L1 strengths lam1 (K, 1, 1)."""
        total = np.zeros(K)
        for Wl in W:
            total += 0.5 * l2[:, 0, 0] * np.sum(Wl * Wl, axis=(1, 2)) + lam1[:, 0, 0] * np.sum(np.abs(Wl), axis=(1, 2))
        return total

    def finite_weights():
        ok = np.ones(K, bool)
        for Wl in W:
            ok &= np.all(np.isfinite(Wl), axis=(1, 2))
        return ok

    def scored(out, lab):
        pred = (out[..., 0] > 0) if out.shape[2] == 1 else out.argmax(axis=2)
        return np.mean(pred == lab, axis=1)

    rec = [{k: [] for k in ("epochs", "train_loss", "objective", "weight_norms", "gradient_norms",
                            "train_accuracy", "val_loss", "val_accuracy")} for _ in range(K)]

    def record(epoch, who, value, dW, out) -> np.ndarray:
        """Append the current state of the networks ``who``; return which of all K are finite."""
        objective = value + penalty(l1)
        w_norms = np.sqrt(np.stack([np.sum(Wl * Wl, axis=(1, 2)) for Wl in W], axis=1))
        g_norms = np.sqrt(np.stack([np.sum(g * g, axis=(1, 2)) for g in dW], axis=1))
        train_acc = scored(out, labels) if classify else None
        if val is not None:
            X_val, Y_val, labels_val = val
            rows = max(1, 12_500 // (K * max(ref.sizes)))
            out_val = np.concatenate([forward(X_val[:, i:i + rows])[0] for i in range(0, X_val.shape[1], rows)], axis=1)
            val_loss = data_loss(out_val, Y_val)[0]
            val_acc = scored(out_val, labels_val) if classify else None
        for k in np.flatnonzero(who):
            r = rec[k]
            r["epochs"].append(epoch)
            r["train_loss"].append(float(value[k]))
            r["objective"].append(float(objective[k]))
            r["weight_norms"].append(w_norms[k])
            r["gradient_norms"].append(g_norms[k])
            if classify:
                r["train_accuracy"].append(float(train_acc[k]))
            if val is not None:
                r["val_loss"].append(float(val_loss[k]))
                if classify:
                    r["val_accuracy"].append(float(val_acc[k]))
        return np.isfinite(objective) & finite_weights()

    active = np.ones(K, bool)
    diverged_epoch = np.full(K, -1)
    epochs_run = np.zeros(K, int)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        value, dW, db, out = evaluate()
        bad = ~record(0, active, value, dW, out)
        diverged_epoch[bad] = 0
        active &= ~bad
        for epoch in range(1, epochs + 1):
            if not active.any():
                break
            # A non-finite loss stops a network before its step, as in train() (weights that overflow
            # make the loss non-finite too; records check the weights themselves).
            stop = active & ~np.isfinite(value)
            if stop.any():
                epochs_run[stop] = epoch
                record(epoch, stop, value, dW, out)
                diverged_epoch[stop] = epoch
                active &= ~stop
            keep = None if active.all() else active[:, None, None]
            for l in range(L):
                step = dW[l]                                        # owned: evaluate() made it
                if shrink.any():
                    step += shrink * W[l]
                if l1_step.any():
                    step += l1_step * np.sign(W[l])
                step *= lr
                if keep is not None:
                    step = np.where(keep, step, 0.0)
                W[l] -= step
                if l1_mode == "proximal":
                    W[l] = np.where(active[:, None, None], _soft_threshold(W[l], lr * l1), W[l])
                if B[l] is not None:
                    B[l] -= lr * db[l] if keep is None else np.where(keep, lr * db[l], 0.0)
            epochs_run[active] = epoch
            value, dW, db, out = evaluate()
            if epoch % record_every == 0 or epoch == epochs:
                bad = active & ~record(epoch, active, value, dW, out)
                diverged_epoch[bad] = epoch
                active &= ~bad

    for k, net in enumerate(nets):
        for l in range(L):
            net.weights[l][...] = W[l][k]
            if B[l] is not None:
                net.biases[l][...] = B[l][k, 0]

    def arr(r, key, dtype=float):
        return np.array(r[key], dtype=dtype) if r[key] else None

    return [History(epochs=arr(r, "epochs", int), train_loss=arr(r, "train_loss"), objective=arr(r, "objective"),
                    weight_norms=arr(r, "weight_norms"), gradient_norms=arr(r, "gradient_norms"),
                    train_accuracy=arr(r, "train_accuracy"), val_loss=arr(r, "val_loss"),
                    val_accuracy=arr(r, "val_accuracy"), diverged=bool(diverged_epoch[k] >= 0),
                    diverged_epoch=int(diverged_epoch[k]) if diverged_epoch[k] >= 0 else None,
                    epochs_run=int(epochs_run[k]))
            for k, r in enumerate(rec)]


# --------------------------------------------------------------------------- curvature
def hessian_top_eigenvalue(mlp: MLP, X, y, *, loss: str, l2: float = 0.0, h: float = 1e-5, tol: float = 1e-6,
                           max_iter: int = 500, seed=0) -> float:
    r"""The largest eigenvalue :math:`M` of the Hessian of the objective at the network's parameters.

    The objective is :math:`J(\theta) = L(\theta) + \frac{\lambda_2}{2}\sum_l\lVert W_l\rVert_F^2`
    (mean data loss on ``X, y`` plus the L2 penalty, full batch, no dropout), as a function of all
    parameters :math:`\theta` together, weights and biases. Near :math:`\theta` it is the quadratic
    :math:`J(\theta + d) \approx J(\theta) + \nabla J^\top d + \frac12 d^\top\nabla^2 J\, d`, on which
    full-batch gradient descent with step :math:`\eta` is stable only if :math:`\eta < 2/M`
    (chapter 11, question 8): :math:`M` is the curvature that limits the learning rate.

    Power iteration on Hessian-vector products, each a central difference of two back-propagated
    gradients (for a unit vector :math:`v`, the error is :math:`O(h^2)`):

    .. math::

        \nabla^2 J(\theta)\,v \approx \frac{\nabla J(\theta + hv) - \nabla J(\theta - hv)}{2h},
        \qquad v \leftarrow \frac{\nabla^2 J\,v}{\lVert\nabla^2 J\,v\rVert},

    stopped when the Rayleigh quotient :math:`v^\top\nabla^2 J\,v` changes by less than ``tol``
    (relative) between two iterations. Power iteration finds the eigenvalue of largest magnitude;
    if that one is negative (the smallest eigenvalue :math:`\mu < 0`: a saddle), it is repeated on
    :math:`\nabla^2 J - \mu I`, whose largest eigenvalue is :math:`M - \mu \ge 0`.

    Parameters
    ----------
    mlp : MLP
        The network (not modified). The activations must be differentiable where the data
        put them (tanh, sigmoid, identity; ReLU only away from its kink).
    X, y : the training data, as for :meth:`MLP.loss_and_gradients`
    loss : {"squared", "binary_cross_entropy", "softmax_cross_entropy"}
    l2 : float >= 0
        :math:`\lambda_2`; an L1 term is not allowed (it has no Hessian at 0).
    h : float > 0
        Finite-difference step along the unit vector :math:`v`.
    tol : float > 0
        Relative change of the Rayleigh quotient at which the iteration stops.
    max_iter : int >= 2
        Power iterations per run; a :class:`~lecture_code.ConvergenceWarning` states the last
        relative change when they are used up.
    seed : int or numpy.random.Generator
        The random start vector.

    Returns
    -------
    float
        :math:`M`, the largest (most positive) eigenvalue of :math:`\nabla^2 J(\theta)`.
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    X = mlp._check_X(X)
    loss = _check_choice(loss, "loss", LOSSES)
    y = mlp._check_y(y, loss, X.shape[0])
    l2 = check_real(l2, "l2", low=0.0)
    h = check_real(h, "h", low=0.0, low_open=True)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=2)
    rng = check_seed(seed)
    net = mlp.copy()
    arrays = net.weights + [b for b in net.biases if b is not None]
    theta = np.concatenate([a.ravel() for a in arrays])

    def set_params(values):
        start = 0
        for a in arrays:
            a[...] = values[start:start + a.size].reshape(a.shape)
            start += a.size

    def gradient(values):
        set_params(values)
        _, dW, db, _ = net._backprop(X, y, loss, 0.0, l2, 0.0, None)
        return np.concatenate([g.ravel() for g in dW] + [g.ravel() for g in db if g is not None])

    def hvp(v):
        return (gradient(theta + h * v) - gradient(theta - h * v)) / (2 * h)

    def power(shift):
        v = rng.standard_normal(theta.size)
        v /= np.linalg.norm(v)
        rayleigh, change = np.nan, np.inf
        for _ in range(max_iter):
            hv = hvp(v) - shift * v
            new = float(v @ hv)
            change = abs(new - rayleigh) / max(abs(new), np.finfo(float).tiny) if np.isfinite(rayleigh) else np.inf
            rayleigh = new
            norm = np.linalg.norm(hv)
            if norm == 0.0 or change <= tol:
                break
            v = hv / norm
        else:
            warnings.warn(f"power iteration stopped after {max_iter} iterations with a relative change of the "
                          f"eigenvalue estimate of {change:.1e} (tol={tol:g})", ConvergenceWarning, stacklevel=3)
        return rayleigh

    dominant = power(0.0)
    if dominant >= 0:
        return dominant
    return power(dominant) + dominant
