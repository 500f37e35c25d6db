"""Keras' losses by name, computed on one sample, and the "accuracy" metric.

:func:`sample_loss` builds one sample's outputs and loss from the last layer's logits
and the target leaves. The scalar engine runs it sample by sample; the compiler records
it once and runs it on whole batches. Its graph never depends on the numbers (no ``if``
on ``.data``, class labels as one-hot target leaves), so one recording serves every
sample. Softmax + categorical cross-entropy and sigmoid + binary cross-entropy are
computed from the logits (Keras' ``from_logits``), so they stay finite for any logits.
Other pairings follow Keras: outputs are clipped probabilities (the clip is written with
``relu``, an op, rather than a branch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import autograd
from autograd import Value
from autograd.errors import ConfigError, InputTypeError

from .layers import activate
from .losses import _mean, binary_cross_entropy, mse, softmax_xent

__all__ = ["LOSSES", "METRICS", "as_table", "check_targets", "clip", "hits", "sample_fn",
           "sample_loss"]

LOSSES = {"mse": "mse", "mean_squared_error": "mse", "binary_crossentropy": "binary",
          "categorical_crossentropy": "categorical",
          "sparse_categorical_crossentropy": "sparse"}
METRICS = {"accuracy": "accuracy", "acc": "accuracy"}
_EPS = 1e-7  # Keras' clipping epsilon for probabilities that are not from logits


def clip(p: Value, lo: float = _EPS, hi: float = 1 - _EPS) -> Value:
    """Keras' clip to ``[lo, hi]`` as ops: ``lo + relu(p - lo) - relu(p - hi)``.

    The gradient is 1 inside and 0 outside, as for Keras' clip; no branch on ``.data``.
    """
    return lo + (p - lo).relu() - (p - hi).relu()


def sample_loss(kind: str, activation: str, logits: list[Value],
                target: list[Any]) -> tuple[Value, list[Value]]:
    """One sample's loss and outputs (after the last activation), both as Values.

    ``target`` holds one number or ``Value`` per output unit (one-hot for class labels).
    """
    if kind in ("sparse", "categorical") and activation == "softmax":
        lse = autograd.logsumexp(logits)
        outs = [(z - lse).exp() for z in logits]
        if kind == "sparse":  # one-hot rows sum to 1
            return lse - autograd.dot(target, logits), outs
        return softmax_xent(logits, target, lse), outs
    if kind == "binary" and activation == "sigmoid":
        return binary_cross_entropy(logits, target), [z.sigmoid() for z in logits]
    outs = activate(logits, activation)
    if kind == "mse":
        return mse(outs, target), outs
    if kind == "binary":
        terms = []
        for o, y in zip(outs, target):
            p = clip(o)
            terms.append(-(y * p.log() + (1 - y) * (1 - p).log()))
        return _mean(terms), outs
    # categorical from probabilities, as Keras: normalize, clip, -sum(y * log p)
    total = _EPS + (autograd.sum(outs) - _EPS).relu()  # >= eps: all-zero outputs stay finite
    return -autograd.dot(target, [clip(o / total).log() for o in outs]), outs


def sample_fn(model: Any) -> Callable[[list[Value], list[Value]], tuple[list[Value], Value]]:
    """``fn(xs, ys) -> (outputs, loss)``: a model's sample, what both engines run.

    Before ``compile`` gives a loss, the loss is the first output (prediction only).
    """
    kind = LOSSES[model.loss] if model.loss is not None else None
    activation = model.layers[-1].activation

    def fn(xs: list[Value], ys: list[Value]) -> tuple[list[Value], Value]:
        logits = model._logits(xs)
        if kind is None:
            outs = activate(logits, activation)
            return outs, outs[0]
        loss, outs = sample_loss(kind, activation, logits, ys)
        return outs, loss

    return fn


def hits(kind: str, outs: np.ndarray, targets: np.ndarray) -> float:
    """Keras' "accuracy" summed over a batch of output and target rows.

    Class match (argmax) for several units; for one unit or binary cross-entropy, the
    fraction of units on the right side of 0.5.
    """
    if kind == "binary" or outs.shape[1] == 1:
        return float(((outs > 0.5) == (targets > 0.5)).mean(axis=1).sum())
    return float((outs.argmax(axis=1) == targets.argmax(axis=1)).sum())


def as_table(X: Any, where: str, name: str = "X") -> np.ndarray:
    """``X`` as a float array (float32 kept as is), or a clear error for ragged rows or
    non-numbers."""
    if isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64):
        return X
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as e:
        lengths = {len(r) for r in X if hasattr(r, "__len__")} if hasattr(X, "__iter__") else set()
        if len(lengths) > 1:
            raise ConfigError(f"{where}: {name} rows have different lengths "
                              f"{sorted(lengths)}") from None
        raise InputTypeError(f"{where}: {name} must hold numbers only ({e})") from None
    return arr


def check_targets(kind: str, units: int, y: Any, n: int, where: str) -> np.ndarray:
    """``y`` checked against the loss and the output width: one row of ``units`` per sample
    (class labels become one-hot rows)."""
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
        return np.eye(units)[arr.astype(int)]  # one-hot: labels become target leaves
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
    return np.ascontiguousarray(arr, dtype=np.float64)
