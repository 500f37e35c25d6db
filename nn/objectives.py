"""Keras' losses by name, computed on one sample's logits, and the "accuracy" metric.

Softmax + categorical cross-entropy and sigmoid + binary cross-entropy are computed
from the last layer's pre-activation logits (Keras' ``from_logits``), so they stay
finite for any logits. Other pairings follow Keras: outputs are clipped probabilities.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd
from autograd import Value
from autograd.errors import ConfigError, InputTypeError

from .layers import activate
from .losses import _cross_entropy_one, binary_cross_entropy, mse

__all__ = ["LOSSES", "METRICS", "as_table", "check_targets", "correct", "sample_loss"]

LOSSES = {"mse": "mse", "mean_squared_error": "mse", "binary_crossentropy": "binary",
          "categorical_crossentropy": "categorical",
          "sparse_categorical_crossentropy": "sparse"}
METRICS = {"accuracy": "accuracy", "acc": "accuracy"}
_EPS = 1e-7  # Keras' clipping epsilon for probabilities that are not from logits


def _clip(p: Value) -> Value:
    """Keras' clip to [eps, 1 - eps]; a clipped value is a constant (zero gradient)."""
    return Value(_EPS) if p.data < _EPS else Value(1 - _EPS) if p.data > 1 - _EPS else p


def _argmax(xs: list[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def sample_loss(kind: str, activation: str, logits: list[Value],
                target: Any) -> tuple[Value, list[float]]:
    """One sample's loss and its output (post-activation) numbers, for the metrics."""
    if kind in ("sparse", "categorical") and activation == "softmax":
        return _cross_entropy_one(logits, target), [z.data for z in logits]
    if kind == "binary" and activation == "sigmoid":
        return binary_cross_entropy(logits, target), [_sigmoid(z.data) for z in logits]
    outs = activate(logits, activation)
    if kind == "mse":
        return mse(outs, target), [o.data for o in outs]
    if kind == "binary":
        terms = [-(y * _clip(o).log() + (1 - y) * (1 - _clip(o)).log())
                 for o, y in zip(outs, target)]
        return autograd.sum(terms) * (1.0 / len(terms)), [o.data for o in outs]
    # categorical from probabilities, as Keras: normalize, clip, -sum(y * log p)
    t = [1.0 if i == target else 0.0 for i in range(len(outs))] if kind == "sparse" else target
    total = autograd.sum(outs)
    terms = [-y * (_clip(o / total) if total.data > 0 else Value(_EPS)).log()
             for o, y in zip(outs, t) if y]
    return autograd.sum(terms), [o.data for o in outs]


def correct(kind: str, outs: list[float], target: Any) -> float:
    """Keras' "accuracy": class match for categorical, 0.5 threshold for one unit."""
    if kind == "sparse":
        return float(_argmax(outs) == target)
    if kind == "binary" or len(outs) == 1:
        return sum((o > 0.5) == (y > 0.5) for o, y in zip(outs, target)) / len(outs)
    return float(_argmax(outs) == _argmax(target))


def as_table(X: Any, where: str, name: str = "X") -> np.ndarray:
    """``X`` as a float array, or a clear error for ragged rows or non-numbers."""
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as e:
        lengths = {len(r) for r in X if hasattr(r, "__len__")} if hasattr(X, "__iter__") else set()
        if len(lengths) > 1:
            raise ConfigError(f"{where}: {name} rows have different lengths "
                              f"{sorted(lengths)}") from None
        raise InputTypeError(f"{where}: {name} must hold numbers only ({e})") from None
    return arr


def check_targets(kind: str, units: int, y: Any, n: int, where: str) -> list[Any]:
    """``y`` checked against the loss and the output width, one target per sample."""
    arr = as_table(y, where, "y")
    if arr.ndim == 0 or len(arr) != n:
        raise ConfigError(f"{where}: y has {arr.size if arr.ndim == 0 else len(arr)} "
                          f"samples, X has {n}")
    if not np.isfinite(arr).all():
        raise ConfigError(f"{where}: y holds NaN or inf")
    if kind == "sparse":
        arr = arr[:, 0] if arr.ndim == 2 and arr.shape[1] == 1 else arr
        if arr.ndim != 1:
            raise ConfigError(f"{where}: sparse_categorical_crossentropy needs one class "
                              f"index per sample, got y of shape {arr.shape} (for one-hot "
                              "rows use categorical_crossentropy)")
        bad = np.flatnonzero((arr != np.round(arr)) | (arr < 0) | (arr >= units))
        if bad.size:
            raise ConfigError(f"{where}: label {arr[bad[0]]:g} at index {bad[0]} is not a "
                              f"class of the {units} output units (0..{units - 1})")
        return arr.astype(int).tolist()
    if arr.ndim == 1 and units == 1:
        arr = arr[:, None]
    if arr.ndim == 1 and kind == "categorical":
        raise ConfigError(f"{where}: categorical_crossentropy needs one-hot rows of {units}; "
                          "for class indices use sparse_categorical_crossentropy")
    if arr.ndim != 2 or arr.shape[1] != units:
        raise ConfigError(f"{where}: y must have shape ({n}, {units}) for {units} output "
                          f"units, got {arr.shape}")
    if kind == "binary" and ((arr < 0) | (arr > 1)).any():
        raise ConfigError(f"{where}: binary_crossentropy targets must be in [0, 1]")
    return arr.tolist()
