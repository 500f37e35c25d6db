"""``reuters.load_data()`` and ``reuters.get_word_index()`` with Keras' signatures and steps
(:mod:`.sequences`): 11,228 newswires as word-id lists in 46 topics, split at
``1 - test_split``.

Read from Keras' cache (``~/.keras/datasets/reuters.npz``); nothing is downloaded. Its
lists of word ids are read as data (:mod:`.ragged`), never unpickled.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from autograd.errors import ConfigError

from ...datasets import Split
from ...idx import check_labels
from .cache import locate, missing, read_npz
from .sequences import as_lists, legacy_words, objects, prepare, word_index

__all__ = ["get_word_index", "load_data"]


def load_data(path: str | os.PathLike[str] = "reuters.npz", num_words: int | None = None,
              skip_top: int = 0, maxlen: int | None = None, test_split: float = 0.2,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2,
              index_from: int = 3, **kwargs: Any) -> Split:
    """``((x_train, y_train), (x_test, y_test))``: object arrays of word-id lists, topics 0-45."""
    where = "reuters.load_data"
    num_words = legacy_words(kwargs, num_words, where)
    if not 0 <= test_split < 1:
        raise ConfigError(f"{where}: test_split must be in [0, 1), got {test_split!r}")
    file = locate(path)
    if not file.is_file():
        raise missing(where, file, "Keras' reuters.npz")
    arrays = read_npz(file, ("x", "y"), where, ragged=("x",))
    labels = check_labels(arrays["y"], 46, f"{where}: y").astype(np.int64)
    [(xs, labels)] = prepare([(as_lists(arrays["x"], f"{where}: x"), labels)],
                             np.random.RandomState(seed), where, num_words, skip_top, maxlen,
                             start_char, oov_char, index_from)
    cut = int(len(xs) * (1 - test_split))
    return (objects(xs[:cut]), labels[:cut]), (objects(xs[cut:]), labels[cut:])


def get_word_index(path: str | os.PathLike[str] = "reuters_word_index.json") -> dict[str, int]:
    """Word -> id (ids before ``index_from`` is added), from Keras' cached JSON file."""
    return word_index(path, "reuters.get_word_index")
