"""``imdb.load_data()`` and ``imdb.get_word_index()`` with Keras' signatures and steps
(:mod:`.sequences`): 25,000 + 25,000 movie reviews as word-id lists, labels 0/1.

Read from Keras' cache (``~/.keras/datasets/imdb.npz``); nothing is downloaded. Its
lists of word ids are read as data (:mod:`.ragged`), never unpickled.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ...datasets import Split
from ...idx import check_labels
from .cache import locate, missing, read_npz
from .sequences import as_lists, legacy_words, objects, prepare, word_index

__all__ = ["get_word_index", "load_data"]


def load_data(path: str | os.PathLike[str] = "imdb.npz", num_words: int | None = None,
              skip_top: int = 0, maxlen: int | None = None, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs: Any) -> Split:
    """``((x_train, y_train), (x_test, y_test))``: object arrays of word-id lists, int labels."""
    where = "imdb.load_data"
    num_words = legacy_words(kwargs, num_words, where)
    file = locate(path)
    if not file.is_file():
        raise missing(where, file, "Keras' imdb.npz")
    arrays = read_npz(file, ("x_train", "y_train", "x_test", "y_test"), where,
                      ragged=("x_train", "x_test"))
    parts = [(as_lists(arrays[f"x_{s}"], f"{where}: x_{s}"),
              check_labels(arrays[f"y_{s}"], 2, f"{where}: y_{s}").astype(np.int64))
             for s in ("train", "test")]
    train, test = prepare(parts, np.random.RandomState(seed), where, num_words, skip_top,
                          maxlen, start_char, oov_char, index_from)
    return (objects(train[0]), train[1]), (objects(test[0]), test[1])


def get_word_index(path: str | os.PathLike[str] = "imdb_word_index.json") -> dict[str, int]:
    """Word -> id (ids before ``index_from`` is added), from Keras' cached JSON file."""
    return word_index(path, "imdb.get_word_index")
