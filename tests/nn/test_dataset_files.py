"""Hostile data files: labels that are not class ids, headers that declare huge sizes, files
larger than their header, broken gzip; each a DatasetError, checked before data is read."""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd.errors import ConfigError, DatasetError, DatasetNotFound
from nn.datasets import read_idx

_CODES = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}


def write_idx(path, array):
    """``array`` written in the IDX format (big-endian, gzipped if the name ends in .gz)."""
    array = np.asarray(array)
    code = f"{array.dtype.kind}{array.dtype.itemsize}"
    data = header(array.shape, _CODES[code]) + array.astype(array.dtype.newbyteorder(">")).tobytes()
    (gzip.open if str(path).endswith(".gz") else open)(path, "wb").write(data)


def _mnist_folder(folder, n=3):
    for stem in ("train", "t10k"):
        write_idx(folder / f"{stem}-images-idx3-ubyte", np.zeros((n, 28, 28), np.uint8))
        write_idx(folder / f"{stem}-labels-idx1-ubyte", (np.arange(n) % 10).astype(np.uint8))


@pytest.mark.parametrize("labels, shown", [
    (np.array([1, -1, 2], dtype=np.int8), "found -1 at index 1"),
    (np.array([1.0, 3.7, 2.0], dtype=np.float32), "found 3.7"),
    (np.array([1.0, 2.0, np.nan]), "found nan at index 2"),
    (np.array([1, 2, 300], dtype=np.int16), "found 300 at index 2"),
])
def test_labels_that_are_not_class_ids_are_refused_never_cast(tmp_path, labels, shown):
    _mnist_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels)
    with pytest.raises(DatasetError, match=f"t10k-labels-idx1-ubyte: labels must be class ids "
                                           f"0..9; {shown}"):
        nn.datasets.mnist(tmp_path)
    with pytest.raises(DatasetError):
        nn.keras.datasets.mnist.load_data(tmp_path)


def test_integral_labels_of_any_integer_or_float_type_are_kept(tmp_path):
    _mnist_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([9.0, 0.0, 4.0], dtype=np.float32))
    (_, _), (_, yt) = nn.keras.datasets.mnist.load_data(tmp_path)
    assert yt.dtype == np.uint8 and yt.tolist() == [9, 0, 4]


def header(dims, code=0x08):
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


def test_a_header_declaring_73_gib_is_refused_before_reading(tmp_path):
    claim = header((60000, 1 << 16, 20000))  # 7.9e13 bytes... anything over the limit
    plain = tmp_path / "huge-idx3-ubyte"
    plain.write_bytes(header((73, 1024, 1024, 1024)) + b"\x00" * 16)
    with pytest.raises(DatasetError, match="says 78,383,153,152 bytes of data, over the "
                                           "1,073,741,824-byte limit"):
        read_idx(plain)
    packed = tmp_path / "huge-idx3-ubyte.gz"
    packed.write_bytes(gzip.compress(claim + b"\x00" * 64))
    with pytest.raises(DatasetError, match="over the"):
        read_idx(packed)
    bomb = tmp_path / "bomb-idx1-ubyte.gz"  # under the limit, but no gzip of this size holds it
    bomb.write_bytes(gzip.compress(header((900_000_000,)) + b"\x00" * 10))
    with pytest.raises(DatasetError, match="more than a .*-byte gzip file can hold"):
        read_idx(bomb)
    small = tmp_path / "small-idx1-ubyte"
    write_idx(small, np.zeros(200, dtype=np.uint8))
    with pytest.raises(DatasetError, match="over the 100-byte limit"):
        read_idx(small, max_bytes=100)


def test_a_2gb_file_with_a_small_header_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "big-idx1-ubyte"
    with open(path, "wb") as f:
        f.write(header((10,)) + bytes(10))
        f.truncate(2 * 1024 ** 3)  # sparse: no disk used, and never read
    with pytest.raises(DatasetError, match="says 10 bytes of data, the file has 2147483640"):
        read_idx(path)


def test_the_huge_header_stays_within_a_small_memory_cap(tmp_path):
    """Under a 300 MB address-space cap, a tiny file declaring 73 GiB is a DatasetError,
    not a MemoryError (nothing is allocated before the header is checked)."""
    plain = tmp_path / "huge-idx3-ubyte"
    plain.write_bytes(header((73, 1024, 1024, 1024)) + b"\x00" * 16)
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1500 * 2**20, 1500 * 2**20))\n"
            "from nn.datasets import read_idx\n"
            "from autograd.errors import DatasetError\n"
            "try:\n    read_idx(sys.argv[1], max_bytes=2**40)\n"
            "except DatasetError as e:\n    print('DatasetError', e)\n")
    out = subprocess.run([sys.executable, "-c", code, str(plain)], capture_output=True,
                         text=True, timeout=120, cwd=os.getcwd())
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("DatasetError") and "the file has 16" in out.stdout


def test_broken_gzip_streams_are_dataset_errors(tmp_path):
    raw = header((50,)) + bytes(range(50))
    packed = gzip.compress(raw)
    cases = {
        "truncated": packed[: len(packed) // 2],  # EOFError inside gzip
        "garbled": packed[:12] + bytes(b ^ 0xFF for b in packed[12:30]) + packed[30:],  # zlib
        "not gzip": b"this is not gzip at all",
        "trailing": gzip.compress(raw + b"extra"),
    }
    for label, data in cases.items():
        path = tmp_path / f"{label.replace(' ', '-')}-idx1-ubyte.gz"
        path.write_bytes(data)
        with pytest.raises(DatasetError) as info:
            read_idx(path)
        assert not isinstance(info.value, (zlib.error, EOFError, MemoryError)), label
        assert path.name in str(info.value)


def test_a_bytes_path_reads_as_a_str_path(tmp_path):
    write_idx(tmp_path / "a-idx1-ubyte.gz", np.array([3, 1], np.uint8))
    assert read_idx(os.fsencode(tmp_path / "a-idx1-ubyte.gz")).tolist() == [3, 1]


def test_a_missing_file_or_a_folder_is_named(tmp_path):
    with pytest.raises(DatasetNotFound, match="does not exist"):
        read_idx(tmp_path / "nope-idx1-ubyte")
    with pytest.raises(DatasetError, match="cannot be read"):
        read_idx(tmp_path)
    assert issubclass(DatasetError, ConfigError) and issubclass(DatasetNotFound,
                                                                FileNotFoundError)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.booleans())
def test_any_bytes_give_an_array_or_a_dataset_error(tmp_path_factory, data, gz):
    path = tmp_path_factory.mktemp("fuzz") / ("f-idx.gz" if gz else "f-idx")
    path.write_bytes(gzip.compress(data) if gz else data)
    try:
        out = read_idx(path)
    except DatasetError:
        return
    assert isinstance(out, np.ndarray) and out.nbytes <= len(data)
