"""Where Keras caches its data sets (``$KERAS_HOME/datasets``, by default
``~/.keras/datasets``), and reading its ``.npz`` files without unpickling anything.

A file that is missing is one :class:`~autograd.errors.DatasetNotFound` saying where to
put it; a file holding Python objects (which only pickle can read) is refused, since
unpickling a file runs whatever code it names.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from pathlib import Path
from tokenize import TokenError

import numpy as np
from numpy.lib import format as npy

from autograd.errors import DatasetError, DatasetNotFound

from ...idx import MAX_BYTES
from .ragged import read_lists

__all__ = ["cache_dir", "locate", "missing", "read_npz"]


def cache_dir() -> Path:
    """Keras' data set folder: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME")
    return (Path(home) if home else Path.home() / ".keras") / "datasets"


def locate(path: str | os.PathLike[str]) -> Path:
    """``path`` itself when absolute or present, else where Keras keeps a file of that name."""
    given = Path(path)
    return given if given.is_absolute() or given.exists() else cache_dir() / given


def missing(where: str, file: Path, what: str) -> DatasetNotFound:
    """The one error for a data set's file that is not there: what it is and where it goes."""
    return DatasetNotFound(f"{where}: {file} does not exist. Put {what} there (the file Keras "
                           "itself downloads and caches; nothing is downloaded here), or "
                           "pass path= to where yours is")


def read_npz(file: Path, keys: tuple[str, ...], where: str, max_bytes: int = MAX_BYTES,
             ragged: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """The arrays ``keys`` of an ``.npz`` file, each header checked against the size of its
    member and ``max_bytes`` before its data is read. Object arrays are refused, except
    the ``ragged`` keys: arrays of int lists, read as data by :mod:`.ragged`."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = [n.removesuffix(".npy") for n in archive.namelist()]
            absent = [k for k in keys if k not in names]
            if absent:
                raise DatasetError(f"{where}: {file} lacks {', '.join(absent)} (has "
                                   f"{', '.join(names) or 'nothing'})")
            return {k: _member(archive, k, file, where, max_bytes, k in ragged) for k in keys}
    except FileNotFoundError:
        raise DatasetNotFound(f"{where}: {file} does not exist") from None
    # NotImplementedError: a damaged header can name a zip version or a compression
    # that zipfile does not read
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error, MemoryError,
            NotImplementedError) as e:
        if isinstance(e, DatasetError):
            raise
        raise DatasetError(f"{where}: {file} is not a readable .npz of arrays: "
                           f"{type(e).__name__}: {e}") from None


def _member(archive: zipfile.ZipFile, key: str, file: Path, where: str,
            max_bytes: int, ragged: bool) -> np.ndarray:
    info = archive.getinfo(f"{key}.npy")
    with archive.open(info) as f:
        try:  # numpy parses the header's text (a dict literal); any failure is the file's
            version = npy.read_magic(f)
            read_header = npy.read_array_header_1_0 if version == (1, 0) else \
                npy.read_array_header_2_0
            shape, fortran, dtype = read_header(f)
        except (ValueError, TypeError, SyntaxError, TokenError, MemoryError,
                RecursionError) as e:
            raise DatasetError(f"{where}: {file} {key!r} has a malformed .npy header: "
                               f"{type(e).__name__}: {e}") from None
        if dtype.hasobject and ragged and len(shape) == 1:
            size = info.file_size - f.tell()
            if size > max_bytes // 4:  # lists of ints take far more memory than their bytes
                raise DatasetError(f"{where}: {file} {key!r} holds {size:,} bytes of lists, "
                                   f"over the {max_bytes // 4:,}-byte limit")
            out = np.empty(shape, dtype=object)
            out[:] = read_lists(f.read(size), shape, f"{where}: {file} {key!r}")
            return out
        if dtype.hasobject:
            raise DatasetError(f"{where}: {file} holds Python objects in {key!r}, which only "
                               "pickle can read, and unpickling a file can run any code it "
                               "names; this package never unpickles")
        nbytes = dtype.itemsize * math.prod(shape)
        if nbytes > max_bytes or nbytes != info.file_size - f.tell():
            raise DatasetError(f"{where}: {file} {key!r} declares shape {shape} of {dtype} "
                               f"({nbytes:,} bytes); its member holds "
                               f"{info.file_size - f.tell():,} (limit {max_bytes:,})")
        raw = f.read(nbytes)
    if len(raw) != nbytes:
        raise DatasetError(f"{where}: {file} {key!r} is truncated")
    return np.frombuffer(raw, dtype).reshape(shape, order="F" if fortran else "C").copy()
