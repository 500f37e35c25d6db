"""IDX files (MNIST's format, optionally gzipped) read defensively, and class labels checked.

The header is read and checked first: the data size it declares must fit the limit and,
for a plain file, equal what the file holds, before any data is read; a gzipped file is
read only up to the declared size and must end there. Every malformed file is a
:class:`~autograd.errors.DatasetError` naming the file and the reason, never a raw
``ValueError``, ``zlib.error``, ``EOFError`` or ``MemoryError``.

>>> import io, struct
>>> check_labels(np.array([3, 1], np.uint8), 10, "labels").tolist()
[3, 1]
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from typing import Any, BinaryIO

import numpy as np

from autograd.errors import DatasetError, DatasetNotFound

__all__ = ["MAX_BYTES", "check_labels", "read_idx"]

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_BYTES = 1 << 30  # 1 GiB: full MNIST's largest file holds 47 MB
_GZIP_RATIO = 1032  # deflate cannot expand data more than this


def read_idx(path: str | bytes | os.PathLike[str], max_bytes: int = MAX_BYTES) -> np.ndarray:
    """An IDX file as a numpy array of the shape and type its header declares.

    ``max_bytes`` bounds the data a header may declare (``DatasetError`` beyond it).
    """
    name = os.fsdecode(path)  # str, bytes or path-like, as open() takes
    gz = name.endswith(".gz")
    try:
        size = os.stat(path).st_size
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
            dims, dtype, header = _header(f, name)
            expected = _declared(dims, dtype, name, max_bytes)
            if gz and expected > _GZIP_RATIO * size + 1024:
                raise DatasetError(f"IDX file {name!r}: header {dims} says {expected:,} bytes of "
                                   f"data, more than a {size:,}-byte gzip file can hold")
            if not gz and size - header != expected:
                raise DatasetError(f"IDX file {name!r}: header {dims} says {expected} bytes of "
                                   f"data, the file has {size - header} (truncated or corrupt)")
            raw = f.read(expected)
            if len(raw) != expected or (gz and f.read(1)):
                has = f"{len(raw)}" if len(raw) < expected else "more"
                raise DatasetError(f"IDX file {name!r}: header {dims} says {expected} bytes of "
                                   f"data, the file has {has} (truncated or corrupt)")
    except FileNotFoundError:
        raise DatasetNotFound(f"IDX file {name!r} does not exist") from None
    except (OSError, EOFError, zlib.error) as e:
        raise DatasetError(f"IDX file {name!r} cannot be read (corrupt gzip?): {e}") from None
    except MemoryError:
        raise DatasetError(f"IDX file {name!r}: not enough memory for its data") from None
    return np.frombuffer(raw, dtype).reshape(dims)


def _header(f: BinaryIO, name: str) -> tuple[tuple[int, ...], np.dtype, int]:
    magic = f.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES \
            or magic[3] == 0:
        raise DatasetError(f"IDX file {name!r} has a bad magic number {magic.hex() or 'none'} "
                           "(expected 0000 + type byte + number of dimensions)")
    ndim = magic[3]
    raw = f.read(4 * ndim)
    if len(raw) < 4 * ndim:
        raise DatasetError(f"IDX file {name!r} is truncated inside its header")
    return struct.unpack(f">{ndim}I", raw), np.dtype(_IDX_TYPES[magic[2]]), 4 + 4 * ndim


def _declared(dims: tuple[int, ...], dtype: np.dtype, name: str, max_bytes: int) -> int:
    expected = dtype.itemsize
    for d in dims:
        expected *= d  # Python ints: no overflow
    if expected > max_bytes:
        raise DatasetError(f"IDX file {name!r}: header {dims} says {expected:,} bytes of data, "
                           f"over the {max_bytes:,}-byte limit (read_idx(path, max_bytes=...) "
                           "raises it)")
    return expected


def check_labels(labels: np.ndarray, classes: int, where: str) -> np.ndarray:
    """``labels`` as uint8 class ids if every one is an integer in ``0..classes-1``; else a
    ``DatasetError`` naming the first bad value and its index (nothing is cast silently)."""
    if labels.dtype.kind not in "iuf":
        raise DatasetError(f"{where}: labels must be numbers, got {labels.dtype}")
    flat = labels.ravel()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(flat) | (flat != np.round(flat)) | (flat < 0) | (flat >= classes) \
            if labels.dtype.kind == "f" else (flat < 0) | (flat >= classes)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DatasetError(f"{where}: labels must be class ids 0..{classes - 1}; found "
                           f"{_show(flat[i])} at index {i}")
    return labels.astype(np.uint8)


def _show(value: Any) -> str:
    return repr(value.item()) if hasattr(value, "item") else repr(value)
