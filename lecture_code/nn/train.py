r"""Training one network: :func:`train` (mini-batch SGD or Adam, penalties, dropout), :func:`train_path`, :class:`History`.

:func:`train` minimises the penalised objective of :mod:`lecture_code.nn.mlp` by the updates written in
its docstring; :func:`train_path` trains one copy per penalty strength. Training many networks at once
is :func:`lecture_code.nn.train_stack` (``lecture_code/nn/_stacked.py``).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_int, check_real, check_seed
from ..penalties import _soft_threshold
from .functions import LOSSES, _check_choice
from .mlp import MLP

__all__ = ["History", "train", "train_path"]


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
