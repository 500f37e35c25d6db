"""Where a model's current parameters and gradients live while it trains.

A hand-written loop or the scalar ``fit`` keeps them in the ``Value``s; the compiled
``fit`` keeps them in its program's flat ``theta`` and last gradient array, and writes the
``Value``s only when it returns. The live view reads either through one interface.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .model_layers import LayerGroup
from .probe import Probe
from .stats import grad_norm, grad_norms_flat

__all__ = ["ArraySource", "ValueSource"]


class ValueSource:
    """Parameters and gradients in the ``Value``s themselves."""

    def grad_norms(self, groups: list[LayerGroup]) -> list[float]:
        """Per-layer L2 norm of the current gradients."""
        return [grad_norm(g.params) for g in groups]

    def load(self, probe: Probe) -> None:
        """Give the probe the current parameters."""
        probe.load()

    def write_values(self) -> None:
        """Make the ``Value``s current (they are)."""


class ArraySource:
    """Parameters in a compiled program's ``theta``; the gradient from ``grad()``."""

    def __init__(self, program: Any, grad: Callable[[], np.ndarray | None]) -> None:
        self.program, self.grad = program, grad
        self._index: list[np.ndarray] | None = None

    def grad_norms(self, groups: list[LayerGroup]) -> list[float]:
        if self._index is None:
            where = {id(p): i for i, p in enumerate(self.program.params)}
            self._index = [np.array([where[id(p)] for p in g.params if id(p) in where],
                                    dtype=np.intp) for g in groups]
        grad = self.grad()
        if grad is None:
            return [0.0] * len(groups)
        return grad_norms_flat(np.asarray(grad, dtype=np.float64), self._index)

    def load(self, probe: Probe) -> None:
        probe.load(self.program.theta, self.program.params)

    def write_values(self) -> None:
        """Write ``theta`` into the ``Value``s (harmless mid-fit: nothing reads them)."""
        self.program.sync_to_values()
