"""``tf.random.set_seed`` where TensorFlow's material calls it: one seed for the weights a
model draws, ``fit``'s shuffling and dropout (Python's and numpy's global generators).

>>> set_seed(42)
"""

from __future__ import annotations

from .keras.utils import set_random_seed

__all__ = ["set_seed"]


def set_seed(seed: int) -> None:
    """Seed what this package draws from, as ``keras.utils.set_random_seed(seed)`` does."""
    set_random_seed(seed)
