r"""The math of chapter 10, one function each: the activations, their derivatives and the losses.

Activations :math:`\varphi` (``ACTIVATIONS``): the sigmoid :math:`\operatorname{sigm}(z) = 1/(1 + e^{-z})`,
:math:`\tanh`, the ReLU :math:`\max(z, 0)` and the identity, with their derivatives
:math:`\varphi'(z)` written through :math:`h = \varphi(z)` where that is cheaper. Losses (``LOSSES``),
each the mean over the :math:`n` rows of a batch, with :math:`\delta = \partial L/\partial\hat z`
(the output left as logits): the squared loss :math:`\tfrac12\lVert\hat z - y\rVert^2`, the binary
cross-entropy :math:`\operatorname{softplus}(\hat z) - y\hat z` and the softmax cross-entropy
:math:`\log\sum_k e^{\hat z_k} - \hat z_y`, all three with :math:`\delta = (\hat y - y)/n`.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ACTIVATIONS", "LOSSES", "sigmoid"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
LOSSES = ("squared", "binary_cross_entropy", "softmax_cross_entropy")


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
