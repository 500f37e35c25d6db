"""Steps that read no sample data run once per batch, on one row.

A per-sample function may compute something from the parameters alone, such as an L2
penalty ``sum(p * p for p in params)``: recorded per sample, it would be computed for
every row of the batch. A step whose operands are all parameters, constants or outputs
of such steps gives the same row every time, so it runs on row 0 and the row is copied
to the others. Backward is the same by linearity: the rows' upstream gradients are
summed into row 0 first, and the step's contributions land in row 0 of its operands,
which every reader sums over the batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .fuse import reads

__all__ = ["OnceStep", "hoist_invariant_steps"]


class OnceStep:
    """A step whose result is the same for every sample: computed on one row."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.out, self.nodes = inner, inner.out, inner.nodes

    def forward(self, A: np.ndarray, theta: np.ndarray) -> None:
        self.inner.forward(A[:1], theta)
        A[1:, self.out] = A[:1, self.out]

    def backward(self, A: np.ndarray, G: np.ndarray, theta: np.ndarray,
                 gtheta: np.ndarray) -> None:
        G[:1, self.out] = G[:, self.out].sum(axis=0)
        self.inner.backward(A[:1], G[:1], theta, gtheta)


def hoist_invariant_steps(steps: list[Any], invariant_cols: np.ndarray) -> list[Any]:
    """Wrap every step that reads only batch-invariant columns (``invariant_cols``: the
    parameters and constants) in a :class:`OnceStep`; steps are in forward order."""
    invariant = np.zeros(max([int(invariant_cols.max(initial=0)) + 1] +
                             [s.out.stop for s in steps]), dtype=bool)
    invariant[invariant_cols] = True
    out = []
    for step in steps:
        cols = reads(step)
        if cols.size and invariant[cols].all():
            invariant[step.out] = True
            step = OnceStep(step)
        out.append(step)
    return out
