"""micrograd (from PyPI) as the reference, plus the two ops its engine lacks.

``exp`` and ``log`` are added in micrograd's own style (a closure per node), so the
digits workload can use softmax cross-entropy on both engines.
"""

from __future__ import annotations

import math
import random
import sys

from micrograd.engine import Value
from micrograd.nn import MLP

sys.setrecursionlimit(1_000_000)  # micrograd's topological sort is recursive


def _exp(self: Value) -> Value:
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward() -> None:
        self.grad += out.data * out.grad

    out._backward = _backward
    return out


def _log(self: Value) -> Value:
    out = Value(math.log(self.data), (self,), "log")

    def _backward() -> None:
        self.grad += out.grad / self.data

    out._backward = _backward
    return out


Value.exp = _exp  # type: ignore[attr-defined]
Value.log = _log  # type: ignore[attr-defined]


def count_nodes(root: Value) -> int:
    seen, stack = set(), [root]
    while stack:
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(v._prev)
    return len(seen)


def mlp(nin: int, nouts: list[int], seed: int = 0) -> MLP:
    random.seed(seed)
    return MLP(nin, nouts)


__all__ = ["MLP", "Value", "count_nodes", "mlp"]
