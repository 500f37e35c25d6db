"""``tf.nn`` on arrays: ``softmax``, ``log_softmax``, ``sigmoid``, ``relu``... and the
cross-entropies from logits, so ``tf.nn.softmax(model(x)).numpy()`` runs as written.

Each takes an array, list or :class:`~nn.tensor.Tensor` and returns a Tensor; the
softmaxes subtract the row maximum first, so logits of +-1000 stay finite.

>>> softmax([[0.0, 0.0], [1000.0, 0.0]]).numpy().tolist()
[[0.5, 0.5], [1.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor, as_array

__all__ = ["log_softmax", "relu", "sigmoid", "softmax", "softmax_cross_entropy_with_logits",
           "softplus", "sparse_softmax_cross_entropy_with_logits", "tanh"]


def _floats(x: Any) -> np.ndarray:
    a = as_array(x)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def log_softmax(logits: Any, axis: int = -1) -> Tensor:
    """``z - logsumexp(z)`` along ``axis``."""
    z = _floats(logits)
    shifted = z - z.max(axis=axis, keepdims=True)
    return Tensor(shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True)))


def softmax(logits: Any, axis: int = -1) -> Tensor:
    """``exp(z) / sum(exp(z))`` along ``axis``: each row sums to 1."""
    return Tensor(np.exp(as_array(log_softmax(logits, axis))))


def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``, computed without overflow."""
    z = _floats(x)
    return Tensor(np.exp(-np.logaddexp(0, -z)))


def softplus(x: Any) -> Tensor:
    """``log(1 + exp(x))``, computed without overflow."""
    return Tensor(np.logaddexp(0, _floats(x)))


def relu(x: Any) -> Tensor:
    """``max(x, 0)``."""
    return Tensor(np.maximum(_floats(x), 0))


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent."""
    return Tensor(np.tanh(_floats(x)))


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1) -> Tensor:
    """Per-row ``-sum(labels * log_softmax(logits))``."""
    return Tensor(-(as_array(labels) * as_array(log_softmax(logits, axis))).sum(axis=axis))


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any) -> Tensor:
    """Per-row ``-log_softmax(logits)[label]`` for integer labels."""
    logp = as_array(log_softmax(logits))
    ids = as_array(labels).astype(np.intp)
    return Tensor(-np.take_along_axis(logp, ids[..., None], -1)[..., 0])
