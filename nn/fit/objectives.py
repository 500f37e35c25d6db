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
from autograd.errors import ConfigError

from ..layers import activate
from ..losses import _mean, binary_cross_entropy, mse, softmax_xent

__all__ = ["LOSSES", "METRICS", "clip", "from_logits", "hits", "loss_kind", "metric_sums",
           "sample_fn", "sample_loss"]

LOSSES = {"mse": "mse", "mean_squared_error": "mse", "binary_crossentropy": "binary",
          "categorical_crossentropy": "categorical",
          "sparse_categorical_crossentropy": "sparse", "mae": "mae",
          "mean_absolute_error": "mae"}
# Keras' metric names -> the key each is logged under (history, progress line)
METRICS = {"accuracy": "accuracy", "acc": "accuracy", "mae": "mae",
           "mean_absolute_error": "mae", "mse": "mse", "mean_squared_error": "mse"}
_EPS = 1e-7  # Keras' clipping epsilon for probabilities that are not from logits


def loss_kind(loss: Any) -> str:
    """The kind of loss (a value of LOSSES) for a Keras name or a Keras loss object (its
    ``fn`` is one of the lowercase loss functions, named as in LOSSES)."""
    return LOSSES[loss if isinstance(loss, str) else loss.fn.__name__]


def from_logits(loss: Any) -> bool:
    """True when the loss takes the model's outputs as logits (``from_logits=True``)."""
    return bool(getattr(loss, "from_logits", False))


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
    if kind == "mae":
        return _mean([abs(o - y) for o, y in zip(outs, target)]), outs
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

    ``xs`` holds the sample's inputs, then -- in training -- the random numbers its layers
    draw (``model.noise_size`` of them, e.g. dropout masks): they are inputs of the
    computation like the data, so a compiled program holds no random number of its own.
    Before ``compile`` gives a loss, the loss is the first output (prediction only).
    """
    kind = loss_kind(model.loss) if model.loss is not None else None
    activation = model.output_activation
    logits_given = from_logits(model.loss)
    width = model.input_dim

    def fn(xs: list[Value], ys: list[Value]) -> tuple[list[Value], Value]:
        noise = xs[width:] if len(xs) > width else None
        logits = model.call_logits(xs[:width], noise is not None, noise)
        if kind is None:
            outs = activate(logits, activation)
            return outs, outs[0]
        if logits_given:  # the outputs are the logits of the loss's softmax/sigmoid
            outs = activate(logits, activation)
            loss = sample_loss(kind, "sigmoid" if kind == "binary" else "softmax", outs, ys)[0]
            return outs, loss
        loss, outs = sample_loss(kind, activation, logits, ys)
        return outs, loss

    return fn


def metric_sums(names: list[str], kind: str, outs: np.ndarray, targets: np.ndarray,
                fns: dict[str, Callable[[np.ndarray, np.ndarray], Any]] | None = None
                ) -> dict[str, float]:
    """Each metric summed over a batch of output and target rows (divide by the count).

    ``fns`` computes the metrics named in it: ``fn(y_true, y_pred)`` gives one value per
    sample (or their mean); a class label reaches it as its id, as Keras gives it.
    """
    sums = {}
    for name in names:
        if fns and name in fns:
            y_true = targets.argmax(axis=1).astype(outs.dtype) if kind == "sparse" else targets
            sums[name] = _sample_sum(fns[name](y_true, outs), len(outs), name)
        elif name == "accuracy":
            sums[name] = hits(kind, outs, targets)
        elif name == "mae":
            sums[name] = float(np.abs(outs - targets).mean(axis=1).sum())
        else:
            sums[name] = float(((outs - targets) ** 2).mean(axis=1).sum())
    return sums


def _sample_sum(result: Any, n: int, name: str) -> float:
    """A metric function's result summed over the batch's ``n`` samples."""
    try:
        if result is None:
            raise TypeError
        values = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConfigError(f"metric {name!r} returned {result!r}; a metric function must "
                          "return numbers: one per sample, or their mean") from None
    if values.ndim == 0 or values.shape[0] != n:
        if values.size == 0:
            raise ConfigError(f"metric {name!r} returned an empty result")
        return float(values.mean()) * n  # one number for the batch: its mean
    return float(values.reshape(n, -1).mean(axis=1).sum())


def hits(kind: str, outs: np.ndarray, targets: np.ndarray) -> float:
    """Keras' "accuracy" summed over a batch of output and target rows.

    Class match (argmax) for several units; for one unit or binary cross-entropy, the
    fraction of units on the right side of 0.5.
    """
    if kind == "binary" or outs.shape[1] == 1:
        return float(((outs > 0.5) == (targets > 0.5)).mean(axis=1).sum())
    return float((outs.argmax(axis=1) == targets.argmax(axis=1)).sum())
