"""Plan backward's writes into the gradient block: set where a step is the only writer.

A step's backward adds its contributions into its operands' gradient columns, so those
columns must start at zero. Most get exactly one contribution (a relu's input, a layer's
outputs: one reader each): that step can *set* them (no zeros first, no temporary, no
addition), and only the columns that several steps add to -- or that backward reads
with no step writing them -- need zeroing before each backward.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .hoist import OnceStep

__all__ = ["plan_writes"]


def _columns(sel: Any) -> np.ndarray:
    if isinstance(sel, slice):
        return np.arange(sel.start, sel.stop)
    return np.asarray(sel, dtype=np.intp).ravel()


def _runs(mask: np.ndarray) -> list[slice]:
    """The runs of True in ``mask`` as slices."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return [slice(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def plan_writes(loss_steps: list[Any], width: int, live: range, loss_col: int,
                param_cols: np.ndarray, max_runs: int = 8) -> tuple[list[slice], bool]:
    """Turn every sole writer's ``"add"`` into ``"set"`` (in place, on the steps).

    ``width`` is the block's column count, ``live`` the columns that carry gradients,
    ``param_cols`` the parameter columns backward sums at the end. Returns the
    column runs to zero before each backward, and whether the loss column's seed is
    set rather than added (no step writes it).
    """
    writes = np.zeros(width, dtype=np.intp)
    for step in loss_steps:
        for sel, mode in getattr(step, "inner", step).grad_targets():
            if mode is not None:
                np.add.at(writes, _columns(sel), 1)
    writes[loss_col] += 1  # the seed
    is_set = np.zeros(width, dtype=bool)
    for step in loss_steps:
        if isinstance(step, OnceStep):  # it writes row 0 only: the rest must stay zero
            continue
        for i, (sel, mode) in enumerate(step.grad_targets()):
            cols = _columns(sel)
            if mode == "add" and (writes[cols] == 1).all():
                step.set_mode(i, "set")
                is_set[cols] = True
    seed_set = bool(writes[loss_col] == 1)
    read = writes > 0
    for step in loss_steps:
        read[_columns(getattr(step, "inner", step).grad_read())] = True
    read[param_cols] = True
    zero = read & ~is_set
    zero[loss_col] = not seed_set
    zero[:live.start] = False  # inputs and targets: never read
    runs = _runs(zero)
    if len(runs) > max_runs:  # zeroing a set column too is harmless: one span instead
        runs = [slice(runs[0].start, runs[-1].stop)]
    return runs, seed_set
