r"""Small experiment helpers shared by the study-question notebooks (chapter 11).

Each function runs or summarises an experiment on the from-scratch network of
:mod:`lecture_code.nn`; none of them trains in a new way.

* :func:`train_seeds` trains one architecture from several seeds, so that a
  notebook can report a mean and a spread instead of a single lucky run; the
  seeds are trained together, as one stack of networks, so that ten seeds cost
  little more than one.
* :func:`fixed_budget_architectures` and :func:`epochs_to_reach` support the
  deeper-or-wider comparison at a fixed number of hidden neurons.
* :func:`subnetwork_outputs`, :func:`running_mean_gap` and
  :func:`pairwise_disagreement` look at a dropout network as the ensemble of
  its sub-networks: one dropout mask :math:`r` picks one sub-network
  :math:`f_r`, and the ensemble prediction is :math:`\mathbb E_r[f_r(x)]`.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_bool, check_int, check_per_column, check_real, check_seed
from .nn import MLP, train
from .nn._stacked import _train_seeds

__all__ = ["SeedRuns", "train_seeds", "fixed_budget_architectures", "epochs_to_reach", "count_linear_pieces",
           "tent_map_network",
           "subnetwork_outputs", "running_mean_gap", "pairwise_disagreement"]


# --------------------------------------------------------------------------- several seeds
@dataclass
class SeedRuns:
    """One architecture trained from several seeds.

    Attributes
    ----------
    seeds : tuple of int
        The seeds, used both for the initial weights and for the SGD shuffling.
    models : list of MLP
        The trained networks, in the order of ``seeds``.
    histories : list of History
        What :func:`lecture_code.nn.train` recorded for each run.
    """

    seeds: tuple
    models: list
    histories: list

    def curves(self, name: str = "train_loss") -> np.ndarray:
        """The record ``name`` of every run, stacked as (n_seeds, n_records), one column per entry of :attr:`epochs`.

        A run that diverged (and so stopped early) is padded with NaN.
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        rows = [getattr(h, name, None) for h in self.histories]
        if any(r is None for r in rows):
            raise ValueError(f"name must be a per-epoch record of History that every run has, got {name!r}")
        length = max(len(r) for r in rows)
        out = np.full((len(rows), length) + np.shape(rows[0])[1:], np.nan)
        for i, r in enumerate(rows):
            out[i, :len(r)] = r
        return out

    @property
    def epochs(self) -> np.ndarray:
        """The epochs at which the histories were recorded (those of the longest run)."""
        return max((h.epochs for h in self.histories), key=len)

    def final(self, name: str = "train_loss") -> np.ndarray:
        """The last entry of record ``name`` for every run, shape (n_seeds,) (NaN for a diverged run)."""
        c = self.curves(name)
        return c[:, -1]


def train_seeds(sizes: Sequence[int], X, y, *, seeds: Sequence[int], activation: str = "relu", init="he",
                bias: bool = True, stacked: bool = True, **train_options) -> SeedRuns:
    """Build ``MLP(sizes, activation=..., init=..., bias=..., seed=s)`` and train it for every seed ``s``.

    The same seed drives the initial weights and :func:`lecture_code.nn.train`
    (shuffling, dropout masks), so run ``s`` is reproducible on its own.

    By default (``stacked=True``) the runs are trained *together*: the weights of
    all seeds form one stack of arrays, and every step of :func:`lecture_code.nn.train`
    (forward pass, back-propagation, SGD or Adam update, penalties, dropout, the
    recorded history) is carried out for all seeds at once with batched matrix
    products. Each seed still draws its own shuffling and dropout masks from its own
    generator, in the order :func:`~lecture_code.nn.train` draws them, so the result
    is that of separate runs up to rounding (the last bits of a batched product may
    differ from those of a single one). ``stacked=False`` calls
    :func:`~lecture_code.nn.train` once per seed. The stacked form costs about as
    much as one run when the networks are small, which is what makes reporting
    results over many seeds affordable.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[n_in, h_1, ..., n_out]``.
    X, y : array_like
        Training data, as for :func:`lecture_code.nn.train`.
    seeds : sequence of int
        At least one non-negative integer seed.
    activation, init, bias
        Passed to :class:`lecture_code.nn.MLP`.
    stacked : bool, default True
        Train all seeds at once (see above) or one after the other.
    **train_options
        Passed to :func:`lecture_code.nn.train` (``loss``, ``lr``, ``epochs``, ``batch_size``, ...).

    Returns
    -------
    SeedRuns
    """
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__len__") or len(seeds) == 0:
        raise ValueError("seeds must be a non-empty sequence of integers")
    seeds = tuple(check_int(s, "seeds", low=0) for s in seeds)
    if "seed" in train_options:
        raise TypeError("pass seeds=..., not seed=...: every run uses its own seed")
    stacked = check_bool(stacked, "stacked")
    models = [MLP(sizes, activation=activation, init=init, bias=bias, seed=s) for s in seeds]
    if not stacked:
        histories = [train(mlp, X, y, seed=s, **train_options) for mlp, s in zip(models, seeds)]
        return SeedRuns(seeds=seeds, models=models, histories=histories)
    # nn.train validates every option; zero epochs on a copy costs one recorded evaluation.
    train(models[0].copy(), X, y, **(train_options | {"epochs": 0}))
    histories = _train_seeds(models, seeds, X, y, **train_options)
    return SeedRuns(seeds=seeds, models=models, histories=histories)


def fixed_budget_architectures(n_neurons: int, depths: Sequence[int]) -> list[list[int]]:
    r"""Hidden-layer widths that spend the same number of hidden neurons at different depths.

    Depth :math:`D` gets :math:`D` hidden layers of width :math:`N/D`, so every
    architecture has exactly :math:`N` hidden neurons (the numbers of
    *parameters* differ: a deep narrow network has more weights between hidden
    layers, a wide shallow one more weights at the input and output).

    Parameters
    ----------
    n_neurons : int >= 1
        The budget :math:`N` of hidden neurons.
    depths : sequence of int
        Each depth must divide ``n_neurons``.

    Returns
    -------
    list of list of int
        E.g. ``fixed_budget_architectures(32, [1, 2, 4])`` is ``[[32], [16, 16], [8, 8, 8, 8]]``.
    """
    n_neurons = check_int(n_neurons, "n_neurons", low=1)
    if isinstance(depths, (str, bytes)) or not hasattr(depths, "__len__") or len(depths) == 0:
        raise ValueError("depths must be a non-empty sequence of integers")
    out = []
    for d in depths:
        d = check_int(d, "depths", low=1)
        if n_neurons % d:
            raise ValueError(f"depths must divide n_neurons={n_neurons}, got depth {d}")
        out.append([n_neurons // d] * d)
    return out


def epochs_to_reach(curves, threshold: float, *, epochs=None) -> np.ndarray:
    """First recorded epoch at which each loss curve is at or below ``threshold`` (``inf`` if never).

    Parameters
    ----------
    curves : array_like of shape (m,) or (n_runs, m)
        Losses recorded at the epochs ``epochs``; NaN entries (a diverged run)
        never count as reaching the threshold.
    threshold : float
    epochs : array_like of shape (m,), optional
        The epoch of each column (``History.epochs``); default ``0, 1, ..., m - 1``.

    Returns
    -------
    float or ndarray of shape (n_runs,)
    """
    c = np.asarray(curves, dtype=float)
    if c.ndim not in (1, 2) or c.size == 0:
        raise ValueError(f"curves must be a non-empty 1-D or 2-D array, got shape {c.shape}")
    threshold = check_real(threshold, "threshold")
    rows = np.atleast_2d(c)
    hit = np.nan_to_num(rows, nan=np.inf) <= threshold
    if epochs is None:
        epochs = np.arange(rows.shape[1])
    else:
        epochs = check_per_column(epochs, rows, "epochs", "curves")
    first = np.where(hit.any(axis=1), epochs[hit.argmax(axis=1)], np.inf).astype(float)
    return first[0] if c.ndim == 1 else first


def count_linear_pieces(mlp: MLP, *, low: float = -1.0, high: float = 1.0, n_grid: int = 20001,
                        tol: float = 1e-6) -> int:
    r"""Number of linear pieces of a one-input, one-output ReLU network on ``[low, high]``.

    A ReLU network :math:`f:\mathbb R\to\mathbb R` is continuous and piecewise linear.
    On a uniform grid :math:`x_0 < \dots < x_G` its slopes
    :math:`s_i = (f(x_{i+1}) - f(x_i))/(x_{i+1} - x_i)` are constant on each piece; a
    change :math:`|s_{i+1} - s_i| > \text{tol}\,(1 + \max_i|s_i|)` marks a kink. Two kinks
    closer than one grid step count once, so the result is a lower bound that is
    exact when the kinks are farther apart than :math:`(\text{high} - \text{low})/(n_\text{grid} - 1)`.

    Parameters
    ----------
    mlp : MLP
        A network with ``sizes[0] == sizes[-1] == 1`` and ``activation="relu"`` (or ``"identity"``),
        identity output.
    low, high : float
        The interval, ``low < high``.
    n_grid : int >= 3
    tol : float > 0
        Relative tolerance on slope changes.

    Returns
    -------
    int
        Number of pieces (kinks + 1).
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    if mlp.sizes[0] != 1 or mlp.sizes[-1] != 1:
        raise ValueError(f"mlp must map one input to one output, got sizes {mlp.sizes}")
    if mlp.activation not in ("relu", "identity") or mlp.output != "identity":
        raise ValueError("mlp must be piecewise linear: activation 'relu' or 'identity' and output 'identity'")
    low = check_real(low, "low")
    high = check_real(high, "high")
    if not high > low:
        raise ValueError(f"high must be > low, got low={low}, high={high}")
    n_grid = check_int(n_grid, "n_grid", low=3)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    x = np.linspace(low, high, n_grid)
    slopes = np.diff(mlp.predict(x[:, None])) / np.diff(x)
    change = np.abs(np.diff(slopes)) > tol * (1.0 + np.abs(slopes).max())
    # A kink strictly inside a grid cell changes the slope of that one cell: two consecutive flags, one kink.
    starts = change & ~np.concatenate([[False], change[:-1]])
    return int(starts.sum()) + 1


def tent_map_network(k: int) -> MLP:
    r"""A ReLU network of depth :math:`k` and width 2 computing the tent map composed :math:`k` times.

    The tent map :math:`t(u) = 1 - |2u - 1| = 2\,\mathrm{relu}(u) - 4\,\mathrm{relu}(u - \tfrac12)` on
    :math:`[0, 1]` needs two ReLU units; feeding one layer's pair into the next
    composes it. :math:`t^{(k)} = t\circ\dots\circ t` is a sawtooth with
    :math:`2^{k-1}` teeth, i.e. :math:`2^k` linear pieces, from only :math:`2k` hidden
    neurons — while a network with one hidden layer of :math:`N` ReLU units has at
    most :math:`N + 1` pieces on a one-dimensional input (Telgarsky 2016).

    Parameters
    ----------
    k : int >= 1

    Returns
    -------
    MLP
        ``sizes = [1, 2, ..., 2, 1]`` with ``k`` hidden layers, weights set by hand.
    """
    k = check_int(k, "k", low=1)
    mlp = MLP([1] + [2] * k + [1], activation="relu", init="he", seed=0)
    mlp.weights[0][:] = [[1.0, 1.0]]
    mlp.biases[0][:] = [0.0, -0.5]
    for layer in range(1, k):
        # Next layer's input u = t(previous) = 2 h_1 - 4 h_2, fed to relu(u) and relu(u - 1/2).
        mlp.weights[layer][:] = [[2.0, 2.0], [-4.0, -4.0]]
        mlp.biases[layer][:] = [0.0, -0.5]
    mlp.weights[k][:] = [[2.0], [-4.0]]
    mlp.biases[k][:] = [0.0]
    return mlp


# --------------------------------------------------------------------------- dropout ensembles
def subnetwork_outputs(mlp: MLP, X, *, dropout: float, n_subnetworks: int, seed=0,
                       proba: bool = True) -> np.ndarray:
    r"""Predictions of ``n_subnetworks`` randomly sampled dropout sub-networks.

    Sub-network :math:`k` keeps each hidden unit independently with probability
    :math:`1 - \nu` (:math:`\nu` = ``dropout``, the dropout rate); its keep-mask :math:`r^{(k)}` is the
    **same for every row of** ``X``, so row :math:`k` of the result is one fixed
    network evaluated on all inputs. As in training (inverted dropout), kept
    units are scaled by :math:`1/(1-\nu)`, so that the deterministic forward pass
    ``mlp.forward(X)`` is the *weight-scaling* approximation of the ensemble mean

    .. math::

        \bar f(x) = \mathbb E_r\big[f_r(x)\big] \approx \frac1K\sum_{k=1}^K f_{r^{(k)}}(x).

    Parameters
    ----------
    mlp : MLP
        A network with at least one hidden layer.
    X : array_like of shape (n, n_in)
    dropout : float in [0, 1)
        Dropout rate :math:`\nu`: the probability of dropping each hidden unit.
    n_subnetworks : int >= 1
        :math:`K`.
    seed : int or numpy.random.Generator
    proba : bool
        ``True``: probabilities (sigmoid of a single output, softmax otherwise);
        ``False``: raw outputs (logits or regression values).

    Returns
    -------
    ndarray of shape (K, n) for one output, (K, n, n_out) otherwise.
    """
    if not isinstance(mlp, MLP):
        raise TypeError(f"mlp must be an MLP, got {type(mlp).__name__}")
    if mlp.n_layers < 2:
        raise ValueError("mlp must have at least one hidden layer to drop units from")
    X = mlp._check_X(X)
    dropout = check_real(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    n_subnetworks = check_int(n_subnetworks, "n_subnetworks", low=1)
    proba = check_bool(proba, "proba")
    rng = check_seed(seed)
    n, hidden, n_out = X.shape[0], mlp.sizes[1:-1], mlp.sizes[-1]
    out = np.empty((n_subnetworks, n, n_out))
    # Several sub-networks per forward pass (X stacked, each block of n rows with its own mask), so that the
    # cost is a few large matrix products instead of K small ones. The masks are drawn in the same order as
    # one sub-network at a time, so the result does not depend on the chunk size.
    chunk = max(1, min(n_subnetworks, 20_000 // n))
    for start in range(0, n_subnetworks, chunk):
        b = min(chunk, n_subnetworks - start)
        keep = [[(rng.random(width) >= dropout).astype(float) for width in hidden] for _ in range(b)]
        masks = [np.repeat(np.array([k[l] for k in keep]), n, axis=0) for l in range(len(hidden))]
        stacked = mlp.forward(np.tile(X, (b, 1)), dropout=dropout, masks=masks)
        out[start:start + b] = stacked.reshape(b, n, n_out)
    if proba:
        if n_out == 1:
            out = np.exp(-np.logaddexp(0.0, -out))
        else:
            e = np.exp(out - out.max(axis=2, keepdims=True))
            out = e / e.sum(axis=2, keepdims=True)
    return out[:, :, 0] if n_out == 1 else out


def running_mean_gap(samples, reference) -> np.ndarray:
    r"""Mean absolute gap between the running average of ``samples`` and ``reference``.

    .. math::

        g_K = \frac1n\sum_{i=1}^n\Big|\frac1K\sum_{k=1}^K s_{k,i} - r_i\Big|,
        \qquad K = 1, \dots, K_{\max}.

    If the samples are unbiased for the reference, :math:`g_K` falls like
    :math:`1/\sqrt K`; if not, it levels off at the bias.

    Parameters
    ----------
    samples : array_like of shape (K_max, n)
    reference : array_like of shape (n,)

    Returns
    -------
    ndarray of shape (K_max,)
    """
    s = as_float_array(samples, "samples", ndim=2)
    r = check_per_column(reference, s, "reference", "samples")
    running = np.cumsum(s, axis=0) / np.arange(1, s.shape[0] + 1)[:, None]
    return np.mean(np.abs(running - r), axis=1)


def pairwise_disagreement(labels) -> float:
    r"""Probability that two different members of an ensemble predict different labels.

    For :math:`K \ge 2` members and :math:`n` points, with :math:`c_{i,j}` the
    number of members that give point :math:`i` label :math:`j`,

    .. math::

        D = \frac1n\sum_{i=1}^n\Big(1 - \sum_j\frac{c_{i,j}(c_{i,j}-1)}{K(K-1)}\Big),

    the fraction of ordered pairs of distinct members that disagree, averaged
    over the points — a simple measure of ensemble *diversity* (0: all members
    identical).

    Parameters
    ----------
    labels : array_like of int, shape (K, n)
        Predicted labels, one row per ensemble member.

    Returns
    -------
    float in [0, 1]
    """
    arr = np.asarray(labels)
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] == 0:
        raise ValueError(f"labels must be a 2-D array with at least 2 rows (members) and 1 column, got shape {arr.shape}")
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.bool_)):
        raise TypeError(f"labels must hold integer class labels, got dtype {arr.dtype}")
    K = arr.shape[0]
    agree = np.zeros(arr.shape[1])
    for value in np.unique(arr):
        c = np.sum(arr == value, axis=0).astype(float)
        agree += c * (c - 1)
    return float(np.mean(1.0 - agree / (K * (K - 1))))
