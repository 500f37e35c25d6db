"""``to_categorical``: integer class ids to one-hot rows, as Keras makes them."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.errors import ConfigError

from ...fit.inputs import as_table, check_int

__all__ = ["to_categorical"]


def to_categorical(x: Any, num_classes: int | None = None, dtype: Any = "float32") -> np.ndarray:
    """One-hot rows for integer class ids ``0..num_classes-1`` (default: the largest id + 1).

    Shape ``(n,)`` or ``(n, 1)`` gives ``(n, num_classes)``, as in Keras.
    """
    ids = as_table(x, "to_categorical", "x")
    if ids.ndim >= 2 and ids.shape[-1] == 1:
        ids = ids.reshape(ids.shape[:-1])
    if ids.size == 0:
        raise ConfigError("to_categorical: x is empty")
    bad = np.flatnonzero(~np.isfinite(ids) | (ids != np.round(ids)) | (ids < 0))
    if bad.size:
        raise ConfigError(f"to_categorical: class ids must be integers >= 0, got "
                          f"{ids.ravel()[bad[0]]:g} at index {bad[0]}")
    top = int(ids.max())
    if num_classes is None:
        num_classes = top + 1
    num_classes = check_int(num_classes, "num_classes", "to_categorical", 1)
    if top >= num_classes:
        raise ConfigError(f"to_categorical: class id {top} is out of range for "
                          f"num_classes={num_classes} (ids 0..{num_classes - 1})")
    return np.eye(num_classes, dtype=dtype)[ids.astype(np.intp)]
