"""Per-layer numbers of one training step: gradient norms and inactive units.

A layer's gradient norm is the L2 norm of the gradients of all its parameters (weights
and biases). A unit is *inactive* on a sample when its activation passes (almost) no
gradient back: a ReLU at 0, a sigmoid or tanh whose derivative is below ``SATURATED``.
A *dead* unit is inactive on every sample looked at.

>>> import numpy as np
>>> a = np.array([[0.0, 1.5], [0.0, 0.0]])  # 2 samples x 2 ReLU units
>>> activity(a, "relu")
{'inactive': 0.75, 'dead': 0.5}
"""

from __future__ import annotations

import math

import numpy as np

from ...engine import Value

__all__ = ["SATURATED", "activity", "grad_norm", "grad_norms_flat"]

SATURATED = 0.01  # derivative below which a sigmoid or tanh unit counts as saturated


def grad_norm(params: list[Value]) -> float:
    """L2 norm of the parameters' ``.grad``."""
    return math.sqrt(math.fsum(p.grad * p.grad for p in params))


def grad_norms_flat(grad: np.ndarray, index: list[np.ndarray]) -> list[float]:
    """Per-layer L2 norms of a flat gradient, layer ``k`` being ``grad[index[k]]``."""
    return [float(np.sqrt(np.dot(grad[i], grad[i]))) for i in index]


def _passes_nothing(a: np.ndarray, activation: str) -> np.ndarray | None:
    if activation == "relu":
        return a <= 0.0  # relu'(0) = 0, as in PyTorch
    if activation == "sigmoid":
        return a * (1.0 - a) < SATURATED
    if activation == "tanh":
        return 1.0 - a * a < SATURATED
    return None


def activity(a: np.ndarray, activation: str | None) -> dict[str, float] | None:
    """Share of inactive (sample, unit) pairs and of dead units in one layer's outputs
    ``a`` (samples x units); None for activations that never block the gradient."""
    if activation is None or a.size == 0:
        return None
    off = _passes_nothing(np.asarray(a, dtype=np.float64), activation)
    if off is None:
        return None
    return {"inactive": float(off.mean()), "dead": float(off.all(axis=0).mean())}
