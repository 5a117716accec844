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

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import copy as _copy
import numbers

import numpy as np

from .._validation import as_float_array, check_bool, check_int, check_real, check_seed
from .functions import ACTIVATIONS, LOSSES, _activate, _activation_derivative, _check_choice, _data_loss, _softmax, sigmoid

__all__ = ["MLP", "accuracy"]


def _forward_layers(a, layers, n_layers: int, activation: str, output: str, dropout: float, masks):
    r"""The forward pass :math:`z_l = a_{l-1}W_l + b_l`, :math:`a_l = \varphi(z_l)\odot r_l/(1-\nu)` over ``layers``.

    ``layers`` yields the ``n_layers`` pairs :math:`(W_l, b_l)` (``b_l`` None without biases); the
    arrays may carry a leading axis of networks (the stacked trainer's). Returns the output
    :math:`\hat z` and the cache back-propagation reads: lists ``a`` (layer inputs), ``z`` and ``h``.
    """
    cache = {"a": [], "z": [], "h": []}
    for l, (W, b) in enumerate(layers):
        cache["a"].append(a)
        z = a @ W if b is None else a @ W + b
        last = l == n_layers - 1
        h = _activate(output if last else activation, z)
        cache["z"].append(z)
        cache["h"].append(h)
        a = h
        if not last and masks is not None:
            a = h * masks[l] / (1.0 - dropout)
    return a, cache


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
        out, cache = _forward_layers(X, zip(self.weights, self.biases), self.n_layers, self.activation,
                                     self.output, dropout, masks)
        cache.update(masks=masks, dropout=dropout)
        return out, cache

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

    _data_loss = staticmethod(_data_loss)  # the losses are in functions.py

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
