"""The decision boundary of a model with 2-D inputs: its outputs over a grid of points.

The grid spans the data with a margin. A single output is compared with a threshold
(the midpoint of the two label values, e.g. 0 for -1/+1 labels, 0.5 for 0/1); several
outputs give the arg-max class and its score.

>>> import numpy as np
>>> grid = Grid.around(np.array([[0.0, 0.0], [1.0, 2.0]]), size=3, margin=0.0)
>>> grid.points().tolist()[:4]
[[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Grid", "boundary_frame", "threshold_for"]


@dataclass(frozen=True)
class Grid:
    """``size`` x ``size`` points over ``[x0, x1] x [y0, y1]``, row by row from y0."""

    x0: float
    x1: float
    y0: float
    y1: float
    size: int

    @classmethod
    def around(cls, X: np.ndarray, size: int = 48, margin: float = 0.15) -> Grid:
        """A grid over the points' bounding box, widened by ``margin`` of its size."""
        lo, hi = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
        pad = (hi - lo) * margin + (hi == lo) * 1.0
        lo, hi = lo - pad, hi + pad
        return cls(float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]), size)

    def points(self) -> np.ndarray:
        """The grid's points, ``(size * size, 2)``; x varies fastest."""
        xs = np.linspace(self.x0, self.x1, self.size)
        ys = np.linspace(self.y0, self.y1, self.size)
        xx, yy = np.meshgrid(xs, ys)
        return np.c_[xx.ravel(), yy.ravel()]


def threshold_for(y: np.ndarray | None, activation: str | None) -> float:
    """Where a single output separates the two classes."""
    if y is not None:
        labels = np.unique(np.asarray(y, dtype=np.float64).ravel())
        if 1 < len(labels) <= 2:
            return float(labels.mean())
    return 0.5 if activation == "sigmoid" else 0.0


def boundary_frame(grid: Grid, outputs: np.ndarray, threshold: float) -> dict[str, Any]:
    """The boundary as JSON-ready numbers: per grid point the output (one output) or the
    class and its score (several)."""
    frame: dict[str, Any] = {"x": [grid.x0, grid.x1], "y": [grid.y0, grid.y1],
                             "size": grid.size}
    if outputs.shape[1] == 1:
        z = outputs[:, 0]
        frame.update(kind="score", threshold=threshold,
                     z=np.round(np.nan_to_num(z), 4).tolist())
    else:
        frame.update(kind="classes", classes=int(outputs.shape[1]),
                     cls=outputs.argmax(axis=1).tolist(),
                     z=np.round(np.nan_to_num(outputs.max(axis=1)), 4).tolist())
    return frame
