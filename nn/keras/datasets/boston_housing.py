"""``boston_housing.load_data()`` as in Keras: 404 training and 102 test houses, 13
float64 features and the median price (in $1000s), split as Keras splits them
(``seed=113``, ``test_split=0.2``), so a book's numbers can be compared.

The data are the 506 rows ``mlxtend`` ships (the same rows, in the same order, as Keras'
``boston_housing.npz``); without ``mlxtend``, Keras' cached file is read instead.
"""

from __future__ import annotations

import importlib
import os

import numpy as np

from autograd.errors import ConfigError, DatasetError

from ...datasets import Split
from .cache import locate, missing, read_npz

__all__ = ["load_data"]


def load_data(path: str | os.PathLike[str] = "boston_housing.npz", test_split: float = 0.2,
              seed: int = 113) -> Split:
    """``((x_train, y_train), (x_test, y_test))``, shuffled with numpy's ``RandomState(seed)``
    and split at ``1 - test_split``, as Keras does."""
    if isinstance(test_split, bool) or not isinstance(test_split, (int, float)) or \
            not 0 <= test_split < 1:
        raise ConfigError(f"boston_housing.load_data: test_split must be in [0, 1), got "
                          f"{test_split!r}")
    x, y = _rows(path)
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def _rows(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    try:
        data = importlib.import_module("mlxtend.data")
    except ImportError:
        file = locate(path)
        if not file.is_file():
            raise missing("boston_housing.load_data", file,
                          "Keras' boston_housing.npz (or pip install mlxtend, which ships "
                          "the data)") from None
        arrays = read_npz(file, ("x", "y"), "boston_housing.load_data")
        x, y = arrays["x"].astype(np.float64), arrays["y"].astype(np.float64)
    else:
        x, y = data.boston_housing_data()
    if x.ndim != 2 or x.shape[1] != 13 or y.shape != (len(x),):
        raise DatasetError(f"boston_housing.load_data: expected 13 features and one price "
                           f"per house, got {x.shape} and {y.shape}")
    return np.asarray(x, np.float64), np.asarray(y, np.float64)
