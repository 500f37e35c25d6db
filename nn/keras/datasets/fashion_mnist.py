"""``fashion_mnist.load_data()`` as in Keras: 60,000 + 10,000 uint8 images (n, 28, 28) of
clothes, uint8 labels 0-9, read from the four gzipped IDX files Keras caches in
``~/.keras/datasets/fashion-mnist/`` (no package ships them; nothing is downloaded).
"""

from __future__ import annotations

import sys

from ...datasets import Split, mnist_images
from .cache import cache_dir, missing

__all__ = ["load_data"]

_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def load_data() -> Split:
    """Fashion-MNIST from Keras' cache folder; one clear error if its files are not there."""
    folder = cache_dir() / "fashion-mnist"
    absent = [name for name in _FILES if not (folder / name).is_file()]
    if absent:
        raise missing("fashion_mnist.load_data", folder / absent[0],
                      f"the Fashion-MNIST files {', '.join(_FILES)}")
    print(f"fashion_mnist.load_data: reading Keras' {folder}", file=sys.stderr)
    return mnist_images(folder)
