"""Losses built from engine ops, so each one can be stepped through, drawn and checked.

Each takes one sample or a batch (lists, nested lists or numpy arrays) and returns the
mean loss as a ``Value``. The log-sum-exp and logistic losses are written in their
stable forms, so logits of +-1000 give finite losses and gradients.

>>> from autograd import Value
>>> round(mse([Value(1.0), Value(3.0)], [0.0, 0.0]).data, 4)
5.0
>>> round(cross_entropy([Value(1000.0), Value(-1000.0)], 1).data, 4)
2000.0
>>> [round(p.data, 4) for p in softmax([0.0, 0.0])]
[0.5, 0.5]
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Value
from autograd.engine import as_real
from autograd.errors import ConfigError, InputTypeError

from .tensor import Tensor

__all__ = ["binary_cross_entropy", "cross_entropy", "hinge", "mse", "softmax"]

_SEQ = (list, tuple, np.ndarray)


def _flatten(x: Any, where: str) -> list[Any]:
    """Values and numbers of ``x``, nested lists and arrays flattened in order."""
    if isinstance(x, Value):
        return [x]
    if isinstance(x, np.ndarray) and x.dtype != object:
        return x.ravel().tolist()
    if isinstance(x, _SEQ):
        out: list[Any] = []
        for item in x:
            out.extend(_flatten(item, where))
        return out
    if isinstance(x, numbers.Real):
        return [x]
    raise InputTypeError(f"{where}: expected numbers or Values, got {x!r} ({type(x).__name__})")


def _pairs(preds: Any, targets: Any, where: str) -> tuple[list[Value], list[Any]]:
    """Predictions as Values and targets as floats, flattened; lengths must agree."""
    p = _flatten(preds, f"{where} predictions")
    t = _flatten(targets, f"{where} targets")
    if len(p) != len(t):
        raise ConfigError(f"{where}: {len(p)} predictions but {len(t)} targets")
    if not p:
        raise ConfigError(f"{where}: no predictions given")
    values = [v if isinstance(v, Value) else Value(as_real(v, f"{where} prediction")) for v in p]
    return values, [_target(y, where) for y in t]


def _target(y: Any, where: str) -> Any:
    """A target as a float; a ``Value`` target stays a Value (targets fed as graph leaves)."""
    if isinstance(y, Value):
        return y
    return float(y) if isinstance(y, (bool, np.bool_)) else as_real(y, f"{where} target")


def _mean(terms: list[Value]) -> Value:
    return terms[0] if len(terms) == 1 else autograd.sum(terms) * (1.0 / len(terms))


def mse(preds: Any, targets: Any) -> Value:
    """Mean squared error: mean of ``(p - y) ** 2`` over every element."""
    p, t = _pairs(preds, targets, "mse")
    return _mean([(a - y) ** 2 for a, y in zip(p, t)])


def binary_cross_entropy(logits: Any, targets: Any) -> Value:
    """Logistic loss from logits ``z`` and targets ``y`` in [0, 1], mean over elements.

    ``max(z, 0) - z*y + log(1 + exp(-|z|))`` is ``softplus(z) - z*y``; the engine's
    softplus is computed stably, and for hard labels it is one node: ``softplus(-z)``
    when ``y = 1``, ``softplus(z)`` when ``y = 0`` (exact even where the loss is tiny).
    """
    z, t = _pairs(logits, targets, "binary_cross_entropy")
    terms = []
    for v, y in zip(z, t):
        if not 0.0 <= float(y) <= 1.0:
            raise ConfigError(f"binary_cross_entropy: targets must be in [0, 1], got {y!r}")
        if isinstance(y, Value) or 0.0 < y < 1.0:
            terms.append(v.softplus() - v * y)
        else:
            terms.append((-v).softplus() if y == 1.0 else v.softplus())
    return _mean(terms)


def hinge(scores: Any, labels: Any) -> Value:
    """Max-margin (SVM) loss, mean of ``relu(1 - y*s)`` with labels -1 or +1 (micrograd's)."""
    s, t = _pairs(scores, labels, "hinge")
    for i, y in enumerate(t):
        if float(y) not in (-1.0, 1.0):
            raise ConfigError(
                f"hinge: labels must be -1 or +1, got {y!r} at index {i} "
                "(map 0/1 labels with 2*y - 1)")
    return _mean([(1 + -y * v).relu() for v, y in zip(s, t)])


def _logits(z: Any, where: str) -> list[Value]:
    if isinstance(z, Value) or not isinstance(z, _SEQ) or len(z) == 0:
        raise ConfigError(f"{where}: logits must be a non-empty list of class scores, got {z!r}")
    return [v if isinstance(v, Value) else Value(as_real(v, f"{where} logit")) for v in z]


def _is_batch(z: Any) -> bool:
    return isinstance(z, _SEQ) and len(z) > 0 and isinstance(z[0], _SEQ)


def one_hot(index: int, k: int) -> list[float]:
    """Class ``index`` of ``k`` as a one-hot row of floats."""
    return [1.0 if i == index else 0.0 for i in range(k)]


def softmax_xent(zs: list[Value], t: list[Any], lse: Value | None = None) -> Value:
    """``-sum(t_i * log softmax_i) = sum(t) * logsumexp(z) - t . z`` as graph nodes.

    Nothing is read from ``.data``: the graph is the same for every sample, so a compiled
    program can run it. Targets of floats summing to 1 skip the ``sum(t)`` factor.
    """
    lse = autograd.logsumexp(zs) if lse is None else lse
    if all(not isinstance(y, Value) for y in t) and sum(float(y) for y in t) == 1.0:
        return lse - autograd.dot(t, zs)
    return lse * autograd.sum(t) - autograd.dot(t, zs)


def _cross_entropy_one(z: Any, target: Any) -> Value:
    zs = _logits(z, "cross_entropy")
    k = len(zs)
    if isinstance(target, numbers.Integral) and not isinstance(target, bool):
        if not 0 <= target < k:
            raise ConfigError(f"cross_entropy: class index {target} out of range for {k} classes")
        return softmax_xent(zs, one_hot(int(target), k))
    if isinstance(target, _SEQ) and len(target) == k:
        return softmax_xent(zs, [_target(y, "cross_entropy") for y in target])
    raise ConfigError(
        f"cross_entropy: target must be a class index or {k} probabilities, got {target!r}")


def cross_entropy(logits: Any, target: Any) -> Value:
    """Softmax cross-entropy from logits, via log-sum-exp (stable for logits of +-1000).

    ``target`` is a class index or a one-hot/probability list; for a batch (a list of
    logit lists) give one target per sample, and the mean loss is returned.
    """
    if not _is_batch(logits):
        return _cross_entropy_one(logits, target)
    if not isinstance(target, _SEQ) or len(target) != len(logits):
        got = len(target) if isinstance(target, _SEQ) else target
        raise ConfigError(f"cross_entropy: {len(logits)} samples need as many targets, got {got!r}")
    return _mean([_cross_entropy_one(z, t) for z, t in zip(logits, target)])


def softmax(logits: Sequence[Any], axis: int = -1) -> Any:
    """Probabilities ``exp(z_i - logsumexp(z))`` as Values (stable: no overflow, and no
    number from ``.data`` in the graph). A batch (list of logit lists) gives a list of lists.

    A numpy array or a :class:`~nn.tensor.Tensor` of numbers gives a Tensor (``tf.nn.softmax``
    along ``axis``), so ``nn.softmax(model(x)).numpy()`` runs as TensorFlow's does.
    """
    if isinstance(logits, Tensor) or (isinstance(logits, np.ndarray) and logits.dtype != object):
        z = np.asarray(logits, dtype=np.float64)
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return Tensor(e / e.sum(axis=axis, keepdims=True))
    if _is_batch(logits):
        return [softmax(z) for z in logits]
    zs = _logits(logits, "softmax")
    lse = autograd.logsumexp(zs)
    return [(v - lse).exp() for v in zs]
