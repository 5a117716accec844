"""Checks at the public boundary: every argument is validated once, by name.

Nothing here coerces silently. A wrong type raises ``TypeError``, a wrong
value or shape raises ``ValueError``; both messages name the argument and say
what was expected.

Import rule: numpy, scipy or scikit-learn where stated, and lecture_code's numerics; never matplotlib
or ipywidgets, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name: str, *, ndim: int | tuple[int, ...], allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as a new float64 array after checking type, shape and finiteness.

    The result is always a copy, so callers may modify it without touching the
    caller's data.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers, got {type(value).__name__}")
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in ndims:
        expected = " or ".join(f"{d}-D" for d in ndims)
        raise ValueError(f"{name} must be {expected}, got an array of shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = np.array(arr, dtype=np.float64, copy=True)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def check_Xy(X, y, *, name: str = "y", ndim: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix ``X`` (n, p) and a target ``y`` (n,), or with ``ndim=2`` responses (n, R) named
    ``name``; return float copies."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, name, ndim=ndim)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and {name} must have the same number of rows ({name} must have one row per row of X), "
                         f"got X with {X.shape[0]} and {name} with {y.shape[0]}")
    return X, y


def check_paired(a, b, names: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, np.ndarray]:
    """Validate two 1-D arrays that go together point by point (inputs and targets, truth and prediction)."""
    a = as_float_array(a, names[0], ndim=1)
    b = as_float_array(b, names[1], ndim=1)
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")
    return a, b


def check_per_column(v, M: np.ndarray, name: str, matrix: str = "X") -> np.ndarray:
    """Validate a 1-D ``v`` with one entry per column of the (validated) 2-D ``M``, e.g. weights for ``X``."""
    v = as_float_array(v, name, ndim=1)
    if v.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must have one entry per column of {matrix}, i.e. {name} must have shape "
                         f"({M.shape[1]},), got shape {v.shape}")
    return v


def check_lambdas(lambdas, *, zero_ok: bool = False) -> np.ndarray:
    """Validate a 1-D grid of strengths: every one > 0 (>= 0 with ``zero_ok``); return a float copy, order kept."""
    lambdas = as_float_array(lambdas, "lambdas", ndim=1)
    if np.any(lambdas < 0) or (not zero_ok and np.any(lambdas == 0)):
        raise ValueError(f"lambdas must {'be >= 0' if zero_ok else 'all be > 0'}, got {lambdas.min()}")
    return lambdas


def check_splits(splits) -> None:
    """Check that a sequence of (train_idx, val_idx) splits is not empty."""
    if len(splits) == 0:
        raise ValueError("splits must not be empty")


def check_real(value, name: str, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Check that ``value`` is a finite real number within the given bounds and return it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_int(value, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Check that ``value`` is an integer (not a bool or float) within ``[low, high]`` and return it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_bool(value, name: str) -> bool:
    """Check that ``value`` is a bool (``numpy.bool_`` included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def check_seed(seed, name: str = "seed") -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from an integer seed or an existing generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_int(seed, name, low=0))
