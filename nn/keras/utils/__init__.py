"""Keras' utilities: ``to_categorical`` (class ids to one-hot rows) and ``set_random_seed``;
``np_utils`` keeps Keras 2's path to ``to_categorical``.

>>> to_categorical([0, 2, 1])
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 1., 0.]], dtype=float32)
"""

from __future__ import annotations

import random

import numpy as np

from ...fit.inputs import check_int
from . import np_utils
from .categorical import to_categorical

__all__ = ["np_utils", "set_random_seed", "to_categorical"]


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random`` (layer weights, ``fit``'s shuffling) and numpy's global state."""
    seed = check_int(seed, "seed", "set_random_seed", 0)
    random.seed(seed)
    np.random.seed(seed % 2**32)
