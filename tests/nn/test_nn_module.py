"""nn.Module: parameter paths and labels, state dicts, and JSON save/load that never half-loads."""

from __future__ import annotations

import json
import os

import pytest

import nn
from autograd import Value
from autograd.errors import ModelFileError
from nn.serialize import FORMAT, VERSION


def _model() -> nn.MLP:
    return nn.MLP(2, [3, 1], seed=0)


def test_named_parameters_paths_follow_the_shared_convention():
    model = _model()
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(names) == len(set(names)) == 3 * 3 + 4
    # the same Values, in the same order, as parameters()
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_every_parameter_is_labelled_with_its_path():
    model = _model()
    for name, p in model.named_parameters():
        assert p.label == name
    assert model.layers[0].neurons[2].w[1].label == "layers.0.neurons.2.w.1"


def test_a_standalone_neuron_labels_its_own_parameters():
    n = nn.Neuron(2, seed=1)
    assert [p.label for p in n.parameters()] == ["w.0", "w.1", "b"]


def test_user_defined_modules_get_paths_and_labels():
    class Twin(nn.Module):
        def __init__(self):
            self.left = nn.Neuron(1, seed=0)
            self.right = [nn.Neuron(1, seed=1)]
            self.scale = Value(2.0)
            self._hidden = Value(9.0)  # private attributes are not parameters

    model = Twin()
    assert [n for n, _ in model.named_parameters()] == [
        "left.w.0", "left.b", "right.0.w.0", "right.0.b", "scale"]
    assert model.left.w[0].label == "left.w.0" and model.scale.label == "scale"


def test_subclass_without_its_own_init_is_labelled_too():
    class Deep(nn.MLP):
        pass

    model = Deep(2, [2, 1], seed=0)
    assert model.layers[1].neurons[0].b.label == "layers.1.neurons.0.b"


def test_zero_grad_resets_every_gradient():
    model = _model()
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_is_ordered_path_to_float():
    model = _model()
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert all(type(v) is float for v in state.values())


def test_load_state_dict_round_trip_and_exact_values():
    a, b = nn.MLP(2, [3, 1], seed=0), nn.MLP(2, [3, 1], seed=1)
    assert a.state_dict() != b.state_dict()
    b.load_state_dict(a.state_dict())
    assert a.state_dict() == b.state_dict()
    assert b([0.3, -0.7]).data == a([0.3, -0.7]).data


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.pop("layers.1.neurons.0.b"), "missing 1 key(s): 'layers.1.neurons.0.b'"),
    (lambda s: s.update({"layers.9.x": 1.0}), "unexpected 1 key(s): 'layers.9.x'"),
    (lambda s: s.update({"layers.0.neurons.0.b": "0.5"}),
     "'layers.0.neurons.0.b' must be a number"),
    (lambda s: s.update({"layers.0.neurons.1.w.0": True}), "must be a number, got True"),
    (lambda s: s.update({"layers.0.neurons.1.w.0": None}), "must be a number, got None"),
])
def test_load_state_dict_rejects_bad_states_and_changes_nothing(edit, message):
    model = _model()
    before = model.state_dict()
    state = {k: 0.0 for k in before}
    edit(state)
    with pytest.raises(ModelFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_needs_a_mapping():
    with pytest.raises(ModelFileError, match="expects a dict"):
        _model().load_state_dict([1.0, 2.0])


# -- save / load ---------------------------------------------------------------------------


def test_save_writes_tagged_json_with_architecture(tmp_path):
    path = tmp_path / "model.json"
    model = _model()
    model.save(path)
    doc = json.loads(path.read_text())
    assert doc["format"] == FORMAT and doc["version"] == VERSION
    assert doc["architecture"] == {"class": "MLP",
                                   "config": {"nin": 2, "nouts": [3, 1], "activation": "relu"}}
    assert doc["state"] == model.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


def test_save_load_round_trip_is_exact(tmp_path):
    path = tmp_path / "model.json"
    a, b = nn.MLP(2, [4, 4, 1], seed=0), nn.MLP(2, [4, 4, 1], seed=5)
    a.save(path)
    assert b.load(path) is b
    assert b.state_dict() == a.state_dict()


def test_save_replaces_an_existing_file_atomically(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    _model().save(path)
    old = path.read_text()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        nn.MLP(2, [3, 1], seed=9).save(path)
    assert path.read_text() == old  # the old file is intact
    assert os.listdir(tmp_path) == ["model.json"]  # and the temporary file is gone


def _corrupt_cases(text: str) -> dict[str, tuple[str, str]]:
    doc = json.loads(text)
    cases: dict[str, tuple[str, str]] = {
        "truncated": (text[: len(text) // 2], "not valid JSON"),
        "not json": ("hello, world", "not valid JSON"),
        "empty": ("", "not valid JSON"),
        "a list": ("[1, 2, 3]", "no format tag"),
    }
    variants = {
        "wrong format tag": (lambda d: d.update(format="keras.h5"), "format tag 'keras.h5'"),
        "newer version": (lambda d: d.update(version=VERSION + 1), "newer than this library"),
        "no state": (lambda d: d.pop("state"), "no 'state' object"),
        "other class": (lambda d: d["architecture"].update({"class": "Sequential"}),
                        "holds a 'Sequential', this model is a 'MLP'"),
        "other architecture": (lambda d: d["architecture"]["config"].update(nouts=[5, 1]),
                               "another architecture: file MLP"),
        "other activation": (lambda d: d["architecture"]["config"].update(activation="tanh"),
                             "another architecture"),
        "parameter missing": (lambda d: d["state"].pop("layers.0.neurons.2.b"),
                              "13 parameters; missing 1 key"),
        "parameter extra": (lambda d: d["state"].update({"layers.0.neurons.3.b": 0.0}),
                            "unexpected 1 key"),
        "not a number": (lambda d: d["state"].update({"layers.1.neurons.0.w.2": "oops"}),
                         "'layers.1.neurons.0.w.2' must be a number"),
    }
    for name, (edit, message) in variants.items():
        d = json.loads(json.dumps(doc))
        edit(d)
        cases[name] = (json.dumps(d), message)
    return cases


def test_every_corrupt_file_is_refused_by_name_and_leaves_the_model_unchanged(tmp_path):
    good = tmp_path / "good.json"
    nn.MLP(2, [3, 1], seed=1).save(good)
    for name, (text, message) in _corrupt_cases(good.read_text()).items():
        path = tmp_path / f"{name.replace(' ', '_')}.json"
        path.write_text(text)
        model = _model()
        before = model.state_dict()
        with pytest.raises(ModelFileError) as info:
            model.load(path)
        assert message in str(info.value), (name, str(info.value))
        assert path.name in str(info.value), name
        assert model.state_dict() == before, name


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\x80\x04\x95 pickle-ish bytes \xff\xfe")
    model = _model()
    before = model.state_dict()
    with pytest.raises(ModelFileError, match="not a text"):
        model.load(path)
    assert model.state_dict() == before


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        _model().load(tmp_path / "nope.json")


def test_public_api_names_resolve():
    import importlib

    for name in nn.__all__:
        assert getattr(nn, name) is not None, name
    for module in ("nn.losses", "nn.optim", "nn.datasets", "nn.keras", "nn.layers"):
        assert importlib.import_module(module).__all__
    assert nn.Adam is nn.optim.Adam and nn.xor is nn.datasets.xor


def test_a_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="Module must define __call__"):
        nn.Module()([1.0])
