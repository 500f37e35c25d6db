"""``keras.utils.np_utils``: Keras 2's home of ``to_categorical``, kept so old tutorials run;
each call warns once with today's spelling, ``keras.utils.to_categorical``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import categorical

__all__ = ["to_categorical"]


def to_categorical(y: Any, num_classes: int | None = None, dtype: Any = "float32") -> np.ndarray:
    """``keras.utils.to_categorical`` under Keras 2's path (with a DeprecationWarning)."""
    warnings.warn("keras.utils.np_utils.to_categorical is Keras 2's spelling; use "
                  "keras.utils.to_categorical", DeprecationWarning, stacklevel=2)
    return categorical.to_categorical(y, num_classes, dtype)
