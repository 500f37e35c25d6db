"""Fuse a dense layer's bias add into its matrix product.

``dot(w, x) + b`` records as a matmul group and, one depth later, a group of ``add``
nodes. When an add group reads exactly the matmul's outputs (in order) and parameter
leaves, and nothing else reads those dot nodes, the matmul adds the biases straight from
``theta`` and takes the add's gradient itself: the biases are no longer broadcast into
the block every batch, and their gradient is one column sum instead of two passes over
the block and a sum. Every node keeps its column and its value, so the verification
against the scalar engine (and anyone reading the block) sees the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .steps import MapStep, MatmulStep, ReduceStep, selector

__all__ = ["fuse_bias_adds"]


def _columns(sel: Any) -> np.ndarray:
    if isinstance(sel, slice):
        return np.arange(sel.start, sel.stop)
    return np.asarray(sel, dtype=np.intp).ravel()


def reads(step: Any) -> np.ndarray:
    """Every column of the block a step reads in its forward pass."""
    if hasattr(step, "columns_read"):  # a fused step says so itself
        return step.columns_read()
    if isinstance(step, MapStep):
        parts = [_columns(s) for s, _ in step.targets]
    elif isinstance(step, ReduceStep):
        parts = [p.ravel() for p in step.parts]
    else:
        parts = [_columns(step.x[0])]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)


def _bias_of(step: MapStep, matmuls: dict[tuple[int, int], MatmulStep],
             param_cols: slice) -> tuple[MatmulStep, np.ndarray] | None:
    """(the matmul, the bias columns) when ``step`` is ``dot + b`` over a whole matmul."""
    if step.rule.name != "add" or step.value is not None or len(step.targets) != 2:
        return None
    for k in (0, 1):
        dots, other = step.targets[k][0], _columns(step.targets[1 - k][0])
        if not isinstance(dots, slice):
            continue
        m = matmuls.get((dots.start, dots.stop))
        if m is not None and m.bias is None and other.size and (
                (other >= param_cols.start) & (other < param_cols.stop)).all():
            return m, other
    return None


def fuse_bias_adds(steps: list[Any], param_cols: slice, param_idx: np.ndarray,
                   extra_reads: list[int]) -> tuple[list[Any], Any, np.ndarray]:
    """Fold every fusable bias add into its matmul.

    ``extra_reads`` are columns read from outside the steps (outputs, loss). Returns the
    remaining steps, and the parameter columns still broadcast into the block with their
    ``theta`` positions (a bias read only by its fused add no longer needs a column).
    """
    matmuls = {(m.out.start, m.out.stop): m for m in steps if isinstance(m, MatmulStep)}
    weights = set()  # a bias that is also some matmul's weight keeps the general path
    for m in matmuls.values():
        weights.update(np.unique(m.widx).tolist())
    readers: dict[int, set[int]] = {}
    for i, step in enumerate(steps):
        for c in np.unique(reads(step)).tolist():
            readers.setdefault(c, set()).add(i)
    outside = set(extra_reads)
    fused: set[int] = set()
    for i, step in enumerate(steps):
        found = _bias_of(step, matmuls, param_cols) if isinstance(step, MapStep) else None
        if found is None:
            continue
        m, bias_cols = found
        dot_cols = range(m.out.start, m.out.stop)
        if any(readers.get(c, set()) != {i} or c in outside for c in dot_cols):
            continue
        theta_idx = param_idx[bias_cols - param_cols.start]
        if weights.intersection(theta_idx.tolist()):
            continue
        b, mode = selector(theta_idx, range(0, int(theta_idx.max()) + 1))
        m.bias = (step.out, b, mode == "add")
        m.nodes = m.nodes + step.nodes
        fused.add(i)
    kept = [s for i, s in enumerate(steps) if i not in fused]
    used = set(outside)
    for step in kept:
        used.update(reads(step).tolist())
    keep = [j for j, c in enumerate(range(param_cols.start, param_cols.stop)) if c in used]
    cols, _ = selector(np.arange(param_cols.start, param_cols.stop)[keep], range(0))
    return kept, cols, param_idx[keep]
