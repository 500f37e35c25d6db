"""What Keras' ``imdb`` and ``reuters`` loaders do to word-id sequences once read: shuffle,
mark the start, shift ids by ``index_from``, drop long reviews, cap the vocabulary; and
their word indexes (JSON files).

Keras caches the sequences as ragged lists in ``.npz`` files; they are read as data,
never unpickled (:mod:`.ragged`). An ``.npz`` holding the sequences as a rectangular
integer array (rows padded with 0, the padding dropped here) is read too.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any

import numpy as np

from autograd.errors import ConfigError, DatasetError

from .cache import locate, missing

__all__ = ["as_lists", "legacy_words", "objects", "prepare", "word_index"]


def as_lists(x: np.ndarray, where: str) -> list[list[int]]:
    """Rows of word ids as lists: Keras' object array of lists as it is; a 2-D integer array
    with its trailing 0s (the padding) dropped."""
    if x.dtype == object:
        return list(x)
    if x.ndim != 2 or x.dtype.kind not in "iu":
        raise DatasetError(f"{where}: expected a 2-D integer array of word ids, got "
                           f"{x.dtype} {x.shape}")
    if x.size and x.min() < 0:
        raise DatasetError(f"{where}: word ids must be >= 0, found {int(x.min())}")
    lengths = x.shape[1] - np.argmax(x[:, ::-1] != 0, axis=1)
    lengths[~(x != 0).any(axis=1)] = 0
    return [row[:n].tolist() for row, n in zip(x, lengths)]


def prepare(parts: list[tuple[list[list[int]], np.ndarray]], rng: np.random.RandomState,
            where: str, num_words: int | None, skip_top: int, maxlen: int | None,
            start_char: int | None, oov_char: int | None,
            index_from: int) -> list[tuple[list[list[int]], np.ndarray]]:
    """Keras' steps on each ``(sequences, labels)`` part, in Keras' order."""
    out = []
    for xs, labels in parts:
        order = np.arange(len(xs))
        rng.shuffle(order)
        xs, labels = [xs[i] for i in order], labels[order]
        if start_char is not None:
            xs = [[start_char] + [w + index_from for w in x] for x in xs]
        elif index_from:
            xs = [[w + index_from for w in x] for x in xs]
        if maxlen:
            keep = [i for i, x in enumerate(xs) if len(x) < maxlen]
            xs, labels = [xs[i] for i in keep], labels[keep]
            if not xs:
                raise ConfigError(f"{where}: maxlen={maxlen} leaves no sequence; increase it")
        out.append((xs, labels))
    every = [x for xs, _ in out for x in xs]
    top = num_words or max((max(x) for x in every if x), default=0)
    capped = []
    for xs, labels in out:
        if oov_char is not None:
            xs = [[w if skip_top <= w < top else oov_char for w in x] for x in xs]
        else:
            xs = [[w for w in x if skip_top <= w < top] for x in xs]
        capped.append((xs, labels))
    return capped


def legacy_words(kwargs: dict[str, Any], num_words: int | None, where: str) -> int | None:
    """Keras 1's ``nb_words=`` as ``num_words`` (with a DeprecationWarning); others refused."""
    if "nb_words" in kwargs:
        warnings.warn(f"{where}: nb_words= is Keras 1's spelling; use num_words=",
                      DeprecationWarning, stacklevel=3)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise ConfigError(f"{where}: unknown argument(s) {', '.join(sorted(kwargs))}")
    return num_words


def objects(xs: list[list[int]]) -> np.ndarray:
    """A 1-D object array of lists, as Keras returns sequences."""
    out = np.empty(len(xs), dtype=object)
    out[:] = xs
    return out


def word_index(path: str | os.PathLike[str], where: str) -> dict[str, int]:
    """A word index (JSON: word -> id) from Keras' cache or ``path``."""
    file = locate(path)
    if not file.is_file():
        raise missing(where, file, f"Keras' {os.fspath(path)}")
    try:
        with open(file, encoding="utf-8") as f:
            data: Any = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise DatasetError(f"{where}: {file} is not a JSON word index: {e}") from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in data.items()):
        raise DatasetError(f"{where}: {file} is not a JSON object of word -> integer id")
    return data
