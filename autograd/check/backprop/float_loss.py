"""The numbers' side of ``check_backprop``: central differences of the user's own
``loss_fn`` on float arrays (which confirm the graph's gradients), and whether one
update step goes downhill.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np

from .args import scalar_loss

__all__ = ["descent", "finite_differences"]


def finite_differences(loss_fn: Callable[..., Any], arrays: list[np.ndarray],
                        data: tuple[Any, ...], true: list[np.ndarray], eps: float,
                        max_fd: int, seed: int) -> list[tuple[float, int, str]]:
    """Per parameter: the worst |central difference - autograd|, the entries checked, and
    a note when they disagree (a kink, or loss_fn treating Values and numbers apart)."""
    entries = [(k, i) for k, a in enumerate(arrays) for i in np.ndindex(*a.shape)]
    if len(entries) > max_fd:
        entries = sorted(random.Random(seed).sample(entries, max(0, max_fd)))
    worst = [[0.0, 0, ""] for _ in arrays]
    for k, i in entries:
        moved = list(arrays)
        values = []
        for d in (eps, -eps):
            moved[k] = arrays[k].copy()
            moved[k][i] += d
            values.append(scalar_loss(loss_fn(*moved, *data)))
        numeric = (values[0] - values[1]) / (2 * eps)
        err = abs(numeric - true[k][i])
        row = worst[k]
        row[1] += 1
        if err > row[0]:
            row[0] = err
        if err > 1e-5 + 1e-3 * abs(numeric) and not row[2]:
            row[2] = (f"finite differences disagree with autograd at {i} ({numeric:.6g} vs "
                      f"{true[k][i]:.6g}): a kink (relu, abs, max at a tie) at this point, or "
                      "loss_fn treats Values and numbers differently")
    return [(float(e), int(n), str(note)) for e, n, note in worst]


def descent(loss_fn: Callable[..., Any], arrays: list[np.ndarray], data: tuple[Any, ...],
             true: list[np.ndarray], yours: list[np.ndarray], sign: float, lr: float | None
             ) -> tuple[float | None, float | None]:
    """First-order change of the loss along the update, and the loss after one step."""
    moves = []
    for P, g in zip(arrays, yours):
        try:
            if np.broadcast_shapes(P.shape, g.shape) != P.shape:
                return None, None
        except ValueError:
            return None, None
        moves.append(np.broadcast_to(sign * g, P.shape))
    if not all(np.all(np.isfinite(m)) for m in moves):
        return None, None
    slope = float(sum(np.vdot(T, m) for T, m in zip(true, moves)))
    if lr is None:
        return slope, None
    after = scalar_loss(loss_fn(*[P - lr * m for P, m in zip(arrays, moves)], *data))
    return slope, after
