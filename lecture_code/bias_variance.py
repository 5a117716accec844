r"""The bias–variance decomposition of the expected test error, by Monte Carlo.

A training set :math:`D` is random, so the prediction :math:`\hat f_D(x)` of a
model fitted to it is random too. At a test input :math:`x` with target
:math:`y = f(x) + \varepsilon`, :math:`\mathbb E[\varepsilon] = 0`,
:math:`\operatorname{Var}\varepsilon = \sigma^2`, independent of :math:`D`,
the expected squared error over training sets and test noise splits into
three non-negative parts:

.. math::

    \mathbb E_{D,\varepsilon}\big[(y - \hat f_D(x))^2\big]
    = \underbrace{\big(f(x) - \bar f(x)\big)^2}_{\text{bias}^2}
    + \underbrace{\mathbb E_D\big[(\hat f_D(x) - \bar f(x))^2\big]}_{\text{variance}}
    + \underbrace{\sigma^2}_{\text{noise}},
    \qquad \bar f(x) = \mathbb E_D[\hat f_D(x)].

(Expand :math:`y - \hat f_D = \varepsilon + (f - \bar f) + (\bar f - \hat f_D)`;
the three cross terms vanish because :math:`\varepsilon` has mean 0 and is
independent of :math:`D`, and :math:`\mathbb E_D[\bar f - \hat f_D] = 0`.)

This module estimates each part from the predictions of models fitted to
:math:`S` independent training sets, averaged over a fixed grid of test inputs
:math:`x_1, \dots, x_m`, and measures the left-hand side directly on fresh
noisy test targets, so the identity can be checked within Monte-Carlo error.
It knows nothing about what is fitted: the caller passes a ``fit`` function.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_per_column, check_real, check_seed

__all__ = ["BiasVariance", "bias_variance", "decompose"]

Predictor = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class BiasVariance:
    r"""Monte-Carlo estimates of the three parts of the expected test error.

    All scalar attributes are averages over the :math:`m` test inputs.

    Attributes
    ----------
    bias2 : float
        :math:`\frac1m\sum_t (\bar f(x_t) - f(x_t))^2` with :math:`\bar f` the mean prediction over the :math:`S` fits.
    variance : float
        :math:`\frac1m\sum_t \frac1S\sum_s (\hat f_s(x_t) - \bar f(x_t))^2` (divisor :math:`S`, see :func:`decompose`).
    noise : float
        :math:`\sigma^2`, the error the true function itself makes.
    test_mse : float
        The measured expected test error :math:`\frac{1}{Sm}\sum_{s,t}(y_{st} - \hat f_s(x_t))^2`
        on noisy test targets :math:`y_{st} = f(x_t) + \varepsilon_{st}` (``nan`` if none were given).
    test_mse_se : float
        Its Monte-Carlo standard error: the standard deviation over training sets of the
        per-set test error, divided by :math:`\sqrt S` (``nan`` without test targets or with :math:`S = 1`).
        This is the uncertainty of ``test_mse`` as an estimate of the expected test error.
    identity_se : float
        The Monte-Carlo standard error of the *difference* ``test_mse - total``, which
        checks the decomposition. Both are computed from the same :math:`S` fits, so the
        difference carries only the fresh test noise: it is the mean of the :math:`Sm` terms
        :math:`e_{st} = (y_{st} - \hat f_s(x_t))^2 - (f(x_t) - \hat f_s(x_t))^2 - \sigma^2
        = \sigma^2(\varepsilon_{st}^2 - 1) + 2\sigma\varepsilon_{st}(f(x_t) - \hat f_s(x_t))`,
        independent given the fits and of mean 0, and its standard error is their sample
        standard deviation divided by :math:`\sqrt{Sm}` (``nan`` without test targets or with
        :math:`Sm = 1`). It is much smaller than ``test_mse_se``, which also contains the
        spread of the fits from one training set to the next.
    mean_prediction : ndarray of shape (m,)
        :math:`\bar f(x_t)`.
    pointwise_bias2, pointwise_variance : ndarray of shape (m,)
        The two parts at each test input, before averaging.
    predictions : ndarray of shape (S, m)
        The predictions :math:`\hat f_s(x_t)` themselves (row :math:`s` = training set :math:`s`).
    """

    bias2: float
    variance: float
    noise: float
    test_mse: float
    test_mse_se: float
    identity_se: float
    mean_prediction: np.ndarray
    pointwise_bias2: np.ndarray
    pointwise_variance: np.ndarray
    predictions: np.ndarray

    @property
    def n_sets(self) -> int:
        """:math:`S`, the number of training sets."""
        return self.predictions.shape[0]

    @property
    def total(self) -> float:
        r"""The predicted expected test error :math:`\text{bias}^2 + \text{variance} + \sigma^2`."""
        return self.bias2 + self.variance + self.noise


def decompose(predictions, f_test, *, noise: float, y_test=None) -> BiasVariance:
    r"""Split the error of a bundle of predictions into bias², variance and noise.

    With predictions :math:`\hat f_s(x_t)` (row :math:`s` = model fitted to
    training set :math:`s`) and :math:`\bar f(x_t) = \frac1S\sum_s \hat f_s(x_t)`,

    .. math::

        \text{bias}^2 = \frac1m\sum_t \big(\bar f(x_t) - f(x_t)\big)^2, \qquad
        \text{variance} = \frac1m\sum_t \frac1S\sum_s \big(\hat f_s(x_t) - \bar f(x_t)\big)^2 .

    With the divisor :math:`S` the identity
    :math:`\frac{1}{Sm}\sum_{s,t}(\hat f_s(x_t) - f(x_t))^2 = \text{bias}^2 + \text{variance}`
    holds exactly for the sample. As estimates of the population quantities,
    the variance is low by the factor :math:`(S-1)/S` and the bias² high by
    variance/:math:`S`; both are negligible for a few hundred training sets.

    Parameters
    ----------
    predictions : array_like of shape (S, m)
        Predictions of :math:`S \ge 1` fitted models at :math:`m` test inputs.
    f_test : array_like of shape (m,)
        The true function :math:`f(x_t)` at the test inputs.
    noise : float
        The noise standard deviation :math:`\sigma \ge 0` (the noise part is :math:`\sigma^2`).
    y_test : array_like of shape (S, m), optional
        Noisy test targets :math:`y_{st} = f(x_t) + \varepsilon_{st}`, one fresh draw per
        training set, on which the expected test error is measured directly.
        Then :math:`\text{test\_mse} - (\text{bias}^2 + \text{variance} + \sigma^2)` is the mean of
        the :math:`Sm` terms :math:`(y_{st} - \hat f_s(x_t))^2 - (f(x_t) - \hat f_s(x_t))^2 - \sigma^2`,
        of mean 0 when ``noise`` is the noise level of the targets; ``identity_se`` is its standard error.

    Returns
    -------
    BiasVariance
    """
    predictions = as_float_array(predictions, "predictions", ndim=2)
    f_test = check_per_column(f_test, predictions, "f_test", "predictions")
    noise = check_real(noise, "noise", low=0.0)
    n_sets, m = predictions.shape
    mean_prediction = predictions.mean(axis=0)
    pointwise_bias2 = (mean_prediction - f_test) ** 2
    pointwise_variance = ((predictions - mean_prediction) ** 2).mean(axis=0)
    test_mse = test_mse_se = identity_se = float("nan")
    if y_test is not None:
        y_test = as_float_array(y_test, "y_test", ndim=2)
        if y_test.shape != predictions.shape:
            raise ValueError(f"y_test must have the shape of predictions {predictions.shape}, got {y_test.shape}")
        squared = (y_test - predictions) ** 2
        per_set = squared.mean(axis=1)
        test_mse = float(per_set.mean())
        if n_sets > 1:
            test_mse_se = float(per_set.std(ddof=1) / np.sqrt(n_sets))
        if squared.size > 1:
            terms = squared - (f_test - predictions) ** 2 - noise**2
            identity_se = float(terms.std(ddof=1) / np.sqrt(terms.size))
    return BiasVariance(bias2=float(pointwise_bias2.mean()), variance=float(pointwise_variance.mean()),
                        noise=noise**2, test_mse=test_mse, test_mse_se=test_mse_se, identity_se=identity_se,
                        mean_prediction=mean_prediction, pointwise_bias2=pointwise_bias2,
                        pointwise_variance=pointwise_variance, predictions=predictions)


def bias_variance(fit: Callable[[np.ndarray, np.ndarray], Predictor], training_sets: Sequence[tuple],
                  x_test, f_test, *, noise: float, seed=0) -> BiasVariance:
    r"""Fit one model per training set and decompose its expected test error.

    For each training set :math:`D_s = (x^{(s)}, y^{(s)})`, :math:`s = 1..S`,
    the model ``fit(x, y)`` is evaluated at the fixed test inputs, and fresh
    test targets :math:`y_{st} = f(x_t) + \sigma\varepsilon_{st}`,
    :math:`\varepsilon_{st} \sim N(0, 1)`, are drawn to measure the expected
    test error directly. Then :func:`decompose` gives bias², variance and
    :math:`\sigma^2`, whose sum should match ``test_mse`` within a few
    ``identity_se`` (the standard error of their difference).

    Parameters
    ----------
    fit : callable ``fit(x, y) -> predict``
        Fits a model to one training set and returns a function mapping test
        inputs to predictions of shape (m,).
    training_sets : sequence of (x, y) pairs
        :math:`S \ge 1` independent training sets (e.g. ``make_curve_data`` with
        different seeds; any object with attributes ``x`` and ``y`` works too).
    x_test : array_like of shape (m,) or (m, p)
        The fixed test inputs.
    f_test : array_like of shape (m,)
        The true function at ``x_test``.
    noise : float
        The noise standard deviation :math:`\sigma \ge 0` of the targets.
    seed : int or numpy.random.Generator, default 0
        Seeds the test noise.

    Returns
    -------
    BiasVariance
    """
    if not callable(fit):
        raise TypeError(f"fit must be callable, got {type(fit).__name__}")
    if isinstance(training_sets, (str, bytes)) or len(training_sets) == 0:
        raise ValueError("training_sets must be a non-empty sequence of (x, y) pairs")
    x_test = as_float_array(x_test, "x_test", ndim=(1, 2))
    f_test = as_float_array(f_test, "f_test", ndim=1)
    if f_test.shape[0] != x_test.shape[0]:
        raise ValueError(f"f_test must have one value per test input ({x_test.shape[0]}), got {f_test.shape[0]}")
    noise = check_real(noise, "noise", low=0.0)
    rng = check_seed(seed)
    predictions = np.empty((len(training_sets), x_test.shape[0]))
    for s, data in enumerate(training_sets):
        x, y = (data.x, data.y) if hasattr(data, "x") and hasattr(data, "y") else data
        predict = fit(x, y)
        if not callable(predict):
            raise TypeError(f"fit must return a callable predictor, got {type(predict).__name__}")
        prediction = np.asarray(predict(x_test), dtype=float)
        if prediction.shape != f_test.shape:
            raise ValueError(f"the predictor must return shape {f_test.shape}, got {prediction.shape}")
        predictions[s] = prediction
    y_test = f_test + noise * rng.standard_normal(predictions.shape)
    return decompose(predictions, f_test, noise=noise, y_test=y_test)
