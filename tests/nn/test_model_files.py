"""Hostile and broken model files: every one is a ModelFileError and the model is unchanged.

Deep nesting, huge numbers, NaN/inf, devices, FIFOs, sparse giants, duplicate keys and
random garbage; and on the saving side: no NaN written, the umask honoured, no temporary
left behind.
"""

from __future__ import annotations

import json
import math
import os
import stat
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from needs import missing

import nn
from autograd.errors import ModelFileError, ModelFileNotFound
from nn.serialize import FORMAT, VERSION, read_model_file


def _model() -> nn.MLP:
    return nn.MLP(2, [3, 1], seed=0)


def _doc(model: nn.Module) -> dict:
    return {"format": FORMAT, "version": VERSION, "architecture": model.architecture(),
            "state": model.state_dict()}


def _refused(path, *needles: str, model: nn.Module | None = None) -> str:
    """Load ``path`` into a fresh model: it must raise ModelFileError and change nothing."""
    model = model or _model()
    before = model.state_dict()
    with pytest.raises(ModelFileError) as info:
        model.load(path)
    assert model.state_dict() == before
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    return message


def _with_state_text(tmp_path, text: str, model: nn.Module | None = None):
    """A model file whose first parameter's number is replaced by raw JSON ``text``."""
    model = model or _model()
    doc = _doc(model)
    first = next(iter(doc["state"]))
    doc["state"][first] = "@@"
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc).replace('"@@"', text))
    return path


# -- what the parser meets ----------------------------------------------------------------


def test_100000_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    big = nn.MLP(2, [64, 64, 1], seed=0)  # a file this big is plausible for it
    path = _with_state_text(tmp_path, deep, big)
    _refused(path, "model.json", "nested too deeply", model=big)
    with pytest.raises(ModelFileError, match="nested too deeply"):
        read_model_file(path)
    _refused(path, "model.json")  # a small model refuses it by size already


@pytest.mark.parametrize("depth", [33, 500, 990])
def test_nesting_just_under_the_parsers_limit_is_refused_too(tmp_path, depth):
    deep = "[" * depth + "]" * depth
    message = _refused(_with_state_text(tmp_path, deep))
    assert "must be a number" in message or "nested too deeply" in message  # by the stack
    doc = _doc(_model())
    doc["architecture"]["config"]["nouts"] = "@@"
    path = tmp_path / "arch.json"
    path.write_text(json.dumps(doc).replace('"@@"', deep))
    message = _refused(path, "arch.json")
    assert "nested more than 32 levels" in message or "nested too deeply" in message


@pytest.mark.parametrize("number, needle", [
    ("1" * 5000, "5,000 digits"),
    ("-" + "9" * 5000, "5,001 digits"),
    ("1" + "0" * 5000 + ".5", "beyond the range of a float"),
    ("1e400", "'1e400', beyond the range of a float"),
    ("-1e400", "beyond the range of a float"),
    (str(10**400), "401 digits"),
    (str(2 * 10**308), "beyond the range of a float"),  # 309 digits: parsed, then too big
])
def test_numbers_beyond_a_float_are_refused(tmp_path, number, needle):
    _refused(_with_state_text(tmp_path, number), "model.json", needle)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_file_are_refused(tmp_path, constant):
    _refused(_with_state_text(tmp_path, constant), "model.json", constant, "strict JSON")


def test_a_duplicate_key_is_refused(tmp_path):
    path = tmp_path / "model.json"
    text = json.dumps(_doc(_model()))
    path.write_text(text.replace('"state": {', '"state": {"layers.0.neurons.0.b": 7.0, ', 1))
    _refused(path, "'layers.0.neurons.0.b' twice")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "model.json"
    a = nn.MLP(2, [3, 1], seed=4)
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_doc(a)).encode())
    assert _model().load(path).state_dict() == a.state_dict()


# -- what is not a model file at all ------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_symlink_to_a_device_is_refused_without_reading(tmp_path, device):
    if not os.path.exists(device):
        missing(f"{device} does not exist here", "a Linux CI machine has it")
    link = tmp_path / "model.json"
    link.symlink_to(device)
    _refused(link, "model.json", "character device", f"a link to '{device}'")


def test_a_fifo_is_refused_and_never_blocks(tmp_path):
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def load():
        try:
            _model().load(fifo)
        except BaseException as err:  # noqa: BLE001 - handed to the test thread
            outcome.append(err)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("loading a FIFO blocked")
    assert isinstance(outcome[0], ModelFileError) and "FIFO" in str(outcome[0])


def test_a_fifo_swapped_in_after_the_check_cannot_block(tmp_path, monkeypatch):
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    real_stat = os.stat
    regular = real_stat(__file__)
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: regular if p == fifo else
                        real_stat(p, *a, **k))  # the path looked regular a moment ago
    _refused(fifo, "FIFO")


def test_a_2_gb_sparse_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "model.json"
    with open(path, "wb") as f:
        f.truncate(2 * 2**30)
    _refused(path, "2,147,483,648 bytes", "far larger")


def test_a_file_padded_past_what_the_architecture_needs_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(_doc(_model())) + " " * 5_000_000)
    _refused(path, "far larger")
    big = nn.MLP(2, [300, 300, 1], seed=0)  # ~90,000 parameters: 5 MB is plausible there
    doc = _doc(big)
    path.write_text(json.dumps(doc) + " " * 5_000_000)
    assert big.load(path) is big


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "model.json").mkdir()
    _refused(tmp_path / "model.json", "a folder")


def test_a_missing_file_is_both_a_model_file_error_and_file_not_found(tmp_path):
    with pytest.raises(ModelFileNotFound) as info:
        _model().load(tmp_path / "nope.json")
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, ModelFileError) and "nope.json" in str(info.value)


def test_an_unreadable_file_is_a_model_file_error(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    _model().save(path)
    os.chmod(path, 0)
    if os.geteuid() == 0:  # root reads anything: refuse the open as the kernel would for a user
        real_open = os.open

        def denied(file, flags, *args, **kwargs):
            if os.fspath(file) == os.fspath(path):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", denied)
    _refused(path, "cannot be read")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                         allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_are_a_model_file_error_never_another_exception(data):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.json")
        with open(path, "wb") as f:
            f.write(data)
        _refused(path)


@given(st.data())
def test_a_damaged_good_file_loads_exactly_or_is_refused(data):
    import tempfile

    good = json.dumps(_doc(nn.MLP(2, [3, 1], seed=7))).encode()
    cut = data.draw(st.integers(0, len(good)))
    junk = data.draw(st.binary(max_size=8))
    damaged = good[:cut] + junk + good[cut + data.draw(st.integers(0, 8)):]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.json")
        with open(path, "wb") as f:
            f.write(damaged)
        model = _model()
        before = model.state_dict()
        try:
            model.load(path)
        except ModelFileError:
            assert model.state_dict() == before
        else:
            assert all(math.isfinite(x) for x in model.state_dict().values())


# -- saving -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_a_non_finite_parameter_and_writes_nothing(tmp_path, bad):
    path = tmp_path / "model.json"
    model = _model()
    model.save(path)
    old = path.read_bytes()
    model.layers[1].neurons[0].w[2].data = bad
    with pytest.raises(ModelFileError, match=r"parameter 'layers.1.neurons.0.w.2' is"):
        model.save(path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]


def test_a_saved_file_is_strict_json(tmp_path):
    path = tmp_path / "model.json"
    nn.MLP(3, [4, 2], seed=1).save(path)

    def strict(name):
        raise ValueError(name)

    json.loads(path.read_text(), parse_constant=strict)


@pytest.mark.parametrize("bad", [math.nan, math.inf, 10**400])
def test_load_state_dict_refuses_non_finite_and_huge_numbers(bad):
    model = _model()
    state = model.state_dict()
    before = dict(state)
    state["layers.0.neurons.1.w.0"] = bad
    with pytest.raises(ModelFileError, match="'layers.0.neurons.1.w.0'"):
        model.load_state_dict(state)
    assert model.state_dict() == before


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_save_honours_the_umask_as_open_would(tmp_path, mask):
    old = os.umask(mask)
    try:
        _model().save(tmp_path / "model.json")
        with open(tmp_path / "by_open.json", "w"):
            pass
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(tmp_path / "model.json").st_mode)
    assert mode == stat.S_IMODE(os.stat(tmp_path / "by_open.json").st_mode) == 0o666 & ~mask


def test_the_next_save_removes_a_stale_temporary_of_the_same_model(tmp_path):
    path = tmp_path / "model.json"
    stale = tmp_path / ".model.json.k3x9_q2a.tmp"  # as an interrupted save leaves it
    stale.write_text('{"format": "scalar-autograd.mo')
    unrelated = tmp_path / ".other.json.k3x9_q2a.tmp"
    unrelated.write_text("another target's")
    _model().save(path)
    assert sorted(os.listdir(tmp_path)) == [unrelated.name, "model.json"]


def test_an_interrupted_save_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    _model().save(path)
    old = path.read_bytes()

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        nn.MLP(2, [3, 1], seed=3).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["model.json"]


def test_a_save_error_names_the_model_file(tmp_path):
    target = tmp_path / "no-such-folder" / "model.json"
    with pytest.raises(FileNotFoundError) as info:
        _model().save(target)
    assert info.value.filename == os.fspath(target) and ".tmp" not in str(info.value)
