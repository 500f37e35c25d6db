"""Model files through the layer protocol: every layer kind round-trips as JSON, hostile
files are refused before anything is built, and ModelCheckpoint's folders and options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError, ModelFileError
from nn.keras import layers
from nn.keras.callbacks import ModelCheckpoint
from nn.serialize import FORMAT


def every_kind() -> nn.keras.Sequential:
    model = nn.keras.Sequential([
        layers.Input((2, 3)), layers.Flatten(), layers.Dense(5, name="hidden"),
        layers.Activation("tanh"), layers.Dropout(0.2),
        nn.keras.Sequential([layers.Dense(4), layers.ReLU()], name="block"),
        layers.Dense(3), layers.Softmax()], seed=0)
    model.get_layer("hidden").trainable = False
    model.compile(optimizer=nn.keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    X = np.random.default_rng(0).normal(size=(12, 2, 3))
    model.fit(X, np.arange(12) % 3, epochs=2, verbose=0, seed=1)
    return model


def test_every_layer_kind_round_trips(tmp_path):
    model = every_kind()
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text()
    assert json.loads(text)["format"] == FORMAT  # plain JSON
    again = nn.keras.models.load_model(os.fsencode(path))  # a bytes path, as Module.load
    assert [type(x).__name__ for x in again.layers] == [type(x).__name__ for x in model.layers]
    assert [x.name for x in again.layers] == [x.name for x in model.layers]
    assert again.get_layer("hidden").trainable is False and again.layers[3].rate == 0.2
    assert again.get_layer("block").layers[1].name == "re_lu"
    X = np.random.default_rng(1).normal(size=(4, 2, 3))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    assert again.loss == model.loss and again.optimizer.get_config() == \
        model.optimizer.get_config()
    other = every_kind()
    other.set_weights([w * 0 for w in other.get_weights()])
    other.load_weights(os.fsencode(path))
    np.testing.assert_array_equal(other.predict(X), model.predict(X))


def test_load_weights_needs_the_same_layers(tmp_path):
    every_kind().save(tmp_path / "m.json")
    wrong = nn.keras.Sequential([layers.Flatten(input_shape=(2, 3)), layers.Dense(3)])
    with pytest.raises(ModelFileError, match="another architecture"):
        wrong.load_weights(tmp_path / "m.json")


def write(tmp_path, arch, state=None, name="m.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "architecture": arch,
                                "state": state or {}}, separators=(",", ":")))
    return str(path)


def keras_arch(layer_list, input_shape=(2,)):
    return {"class": "Sequential", "config": {},
            "keras_config": {"name": "s", "input_shape": list(input_shape),
                             "layers": layer_list}}


def dense(units, **extra):
    return {"class_name": "Dense", "config": {"units": units, **extra}}


@pytest.mark.parametrize("arch, message", [
    (keras_arch([dense(3)] * 2 + [{"class_name": "Conv2D", "config": {}}]),
     "layer 2 has no Conv2D: the layers are Activation, Dense, Dropout"),
    (keras_arch([dense("three")]), r"layer 0 \('Dense'\): Dense: units must be a positive int"),
    (keras_arch([dense(-1)]), "units must be a positive int, got -1"),
    (keras_arch([dense(2, kernel_size=3)]), r"unknown argument\(s\) kernel_size"),
    (keras_arch([dense(10**300)]), r"declares about 10\^300 parameters or more \(by "
                                   r"Dense\(1000.*\.\.\. on inputs \(None, 1000.*\.\.\.\), "
                                   "beyond the budget of 5,000,000"),
    (keras_arch([{"class_name": "Flatten", "config": {}}, dense(2)], input_shape=(10**6, 10**6)),
     "declares 2,000,000,000,002 parameters"),
    ({**keras_arch([]), "keras_config": {"input_shape": "22", "layers": []}},
     "input_shape must be a short list of ints"),
    (keras_arch([{"class_name": "Dropout", "config": {"rate": 7}}]), "rate must be a number"),
    (keras_arch([dense(2)] * 3), "the architecture has 18 parameters, the file holds 0 "
                                 "weights"),
    ({"class": "Module", "config": {}}, "holds a 'Module', not a Sequential"),
    (keras_arch("nope"), "has no list of layers"),
])
def test_hostile_architectures_are_refused_before_building(tmp_path, arch, message):
    with pytest.raises(ModelFileError, match=message):
        nn.keras.models.load_model(write(tmp_path, arch))


def test_more_layers_than_the_budget_are_refused(tmp_path):
    path = write(tmp_path, keras_arch([{"class_name": "Flatten", "config": {}}] * 11))
    with pytest.raises(ModelFileError, match="more than 10 layers"):
        nn.keras.models.load_model(path, max_layers=10)


def test_a_file_larger_than_its_architecture_needs_is_not_read(tmp_path):
    path = tmp_path / "padded.json"
    head = json.dumps({"format": FORMAT, "version": 1,
                       "architecture": keras_arch([dense(1)])})[:-1]
    path.write_text(head + ', "state": {"x": 0' + " " * (3 * 2**20) + "}}")
    with pytest.raises(ModelFileError, match="far larger than a model of 3 parameters"):
        nn.keras.models.load_model(path)


def test_the_architecture_must_come_first_in_a_large_file(tmp_path):
    path = tmp_path / "late.json"
    padding = " " * 2**21
    path.write_text(f'{{"format": "{FORMAT}", "version": 1, "state": {{"a": 1{padding}}}, '
                    '"architecture": {}}')
    with pytest.raises(ModelFileError, match="no architecture in its first 1,048,576 bytes "
                                             "\\(save writes it before the weights\\)"):
        nn.keras.models.load_model(path)


TINY = textwrap.dedent("""
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: 10**10 Values never fit
    import nn
    from autograd.errors import ModelFileError
    start = time.perf_counter()
    try:
        nn.keras.models.load_model(sys.argv[1])
    except ModelFileError as e:
        print("refused:", e)
    print("seconds", time.perf_counter() - start)
""")


def test_a_tiny_file_declaring_a_huge_model_fails_fast_under_a_memory_cap(tmp_path):
    arch = {"class": "Sequential", "config": {"layers": [
        {"units": 100000, "activation": "relu", "input_dim": 100000}]}}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "architecture": arch,
                                "state": {}}))
    assert path.stat().st_size < 200
    run = subprocess.run([sys.executable, "-c", TINY, str(path)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "refused:" in run.stdout and "10,000,100,000 parameters" in run.stdout
    assert "budget of 5,000,000" in run.stdout


def test_many_layers_load_and_adding_is_linear(tmp_path):
    n = 20_000
    arch = keras_arch([dense(1)] * n, input_shape=(1,))
    state = {f"layers.{i}.neurons.0.{k}": 0.5 for i in range(n) for k in ("w.0", "b")}
    model = nn.keras.models.load_model(write(tmp_path, arch, state))
    assert len(model.layers) == n and model.layers[-1].name == f"dense_{n - 1}"
    assert model.layers[-1].neurons[0].b.label == f"layers.{n - 1}.neurons.0.b"


def test_weights_count_must_match_the_architecture(tmp_path):
    state = {"layers.0.neurons.0.w.0": 1.0}
    with pytest.raises(ModelFileError, match="has 3 parameters, the file holds 1 weights"):
        nn.keras.models.load_model(write(tmp_path, keras_arch([dense(1)]), state))
    state = {"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.w.1": 1.0, "nope": 2.0}
    with pytest.raises(ModelFileError, match="unexpected 1 key"):
        nn.keras.models.load_model(write(tmp_path, keras_arch([dense(1)]), state))


# -- ModelCheckpoint --------------------------------------------------------------------------


def small():
    model = nn.keras.Sequential([layers.Dense(3, "relu", input_shape=(2,)),
                                 layers.Dropout(0.1), layers.Dense(1, "sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    X, y = nn.xor()
    return model, np.tile(X, (4, 1)), np.tile(y, 4)


def test_checkpoint_creates_its_folder_and_fills_in_the_name(tmp_path):
    model, X, y = small()
    target = tmp_path / "runs" / "one" / "ckpt-{epoch:02d}-{loss:.2f}.json"
    model.fit(X, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(target)])
    saved = sorted(p.name for p in (tmp_path / "runs" / "one").iterdir())
    assert len(saved) == 2 and saved[0].startswith("ckpt-01-")
    again = nn.keras.models.load_model(tmp_path / "runs" / "one" / saved[1])
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_checkpoint_save_freq_in_batches(tmp_path):
    model, X, y = small()
    cb = ModelCheckpoint(tmp_path / "b" / "e{epoch}-b{batch}.json", save_freq=3)
    model.fit(X, y, epochs=2, batch_size=4, verbose=0, callbacks=[cb])  # 4 batches an epoch
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == \
        ["e1-b3.json", "e2-b2.json"]
    with pytest.raises(ConfigError, match="save_freq must be 'epoch' or a number of batches"):
        ModelCheckpoint(tmp_path / "x.json", save_freq=0)


def test_checkpoint_best_only_and_weights_only(tmp_path):
    model, X, y = small()
    best = tmp_path / "best.json"
    cb = ModelCheckpoint(best, monitor="loss", save_best_only=True, save_weights_only=True)
    cb.set_model(model)
    cb.on_epoch_end(0, {"loss": 0.5})
    first = best.read_text()
    model.set_weights([w + 1 for w in model.get_weights()])
    cb.on_epoch_end(1, {"loss": 0.7})  # worse: not written
    assert best.read_text() == first
    cb.on_epoch_end(2, {"loss": 0.4})
    assert best.read_text() != first
    fresh, _, _ = small()
    fresh.load_weights(best)
    np.testing.assert_array_equal(fresh.predict(X), model.predict(X))


def test_files_of_the_dense_only_layout_still_load(tmp_path):
    arch = {"class": "Sequential", "config": {"layers": [
        {"units": 2, "activation": "relu", "input_dim": 3},
        {"units": 1, "activation": "sigmoid", "input_dim": 2}]}}
    state = {f"layers.{i}.neurons.{j}.{k}": 0.25 * (i + j + 1)
             for i, (units, nin) in enumerate(((2, 3), (1, 2))) for j in range(units)
             for k in [*(f"w.{w}" for w in range(nin)), "b"]}
    path = write(tmp_path, arch, state)
    model = nn.keras.models.load_model(path)
    same = nn.keras.Sequential([layers.Dense(2, "relu", input_shape=(3,)),
                                layers.Dense(1, "sigmoid")])
    same.load_weights(path)
    np.testing.assert_array_equal(model.predict(np.ones((1, 3))), same.predict(np.ones((1, 3))))
    assert model.get_weights()[1].tolist() == [0.25, 0.5]
