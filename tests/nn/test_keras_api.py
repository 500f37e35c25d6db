"""nn.keras in Keras' layout: the import paths, Input, Keras' optimizer names, utils,
mnist.load_data's arrays, weights as Keras' arrays, save/load_model as JSON, mae."""

from __future__ import annotations

import importlib
import json
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from autograd.errors import ConfigError, ModelFileError
from nn.keras import optimizers as kopt


def small(seed=0, **compile_kw):
    model = nn.keras.Sequential([nn.keras.Input(shape=(3,)),
                                 nn.keras.layers.Dense(4, "tanh"),
                                 nn.keras.layers.Dense(2, "softmax")], seed=seed)
    model.compile(**{"optimizer": "adam", "loss": "categorical_crossentropy",
                     "metrics": ["accuracy"], **compile_kw})
    return model


# -- the layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("module, names", [
    ("nn.keras", ["Sequential", "Input", "layers", "models", "datasets", "utils", "optimizers",
                  "callbacks", "load_model"]),
    ("nn.keras.models", ["Sequential", "load_model"]),
    ("nn.keras.layers", ["Dense", "Input", "InputLayer"]),
    ("nn.keras.datasets.mnist", ["load_data"]),
    ("nn.keras.utils", ["to_categorical", "set_random_seed"]),
    ("nn.keras.optimizers", ["SGD", "RMSprop", "Adam", "AdamW"]),
    ("nn.keras.callbacks", ["Callback", "EarlyStopping", "ModelCheckpoint", "History",
                            "LambdaCallback", "TerminateOnNaN"]),
])
def test_keras_import_paths(module, names):
    mod = importlib.import_module(module)
    for name in names:
        assert getattr(mod, name) is not None, f"{module}.{name}"


def test_old_imports_still_work():
    from nn.keras import DENSE_ACTIVATIONS, OPTIMIZERS, Dense, Sequential

    assert nn.Sequential is Sequential is nn.keras.models.Sequential
    assert nn.Dense is Dense is nn.keras.layers.Dense
    assert "softmax" in DENSE_ACTIVATIONS and OPTIMIZERS["adamw"] is nn.AdamW


def test_input_gives_the_width_and_must_come_first():
    model = small()
    assert model.built and model.layers[0].input_dim == 3 and model.count_params() == 26
    with pytest.raises(ConfigError, match="an Input must be the first entry"):
        nn.keras.Sequential([nn.keras.layers.Dense(2, input_shape=(3,)), nn.keras.Input((3,))])
    with pytest.raises(ConfigError, match="Input has shape \\(3,\\), layer 'dense' "
                                          "\\(Dense\\) says input_shape=\\(5,\\)"):
        nn.keras.Sequential([nn.keras.Input((3,)), nn.keras.layers.Dense(2, input_shape=(5,))])
    images = nn.keras.Sequential([nn.keras.Input(shape=(28, 28)), nn.keras.layers.Flatten(),
                                  nn.keras.layers.Dense(2)])
    assert images.input_shape == (None, 28, 28) and images.layers[1].input_dim == 784


def test_kernel_initializer():
    layer = nn.keras.layers.Dense(50, kernel_initializer="he_uniform", input_shape=(20,), seed=0)
    model = nn.keras.Sequential([layer])
    assert np.abs(model.get_weights()[0]).max() > np.sqrt(6 / 70)  # beyond glorot's limit
    with pytest.raises(ConfigError, match="unknown kernel_initializer 'orthogonal'"):
        nn.keras.layers.Dense(2, kernel_initializer="orthogonal")


# -- optimizers by Keras' names ----------------------------------------------------------------


def test_keras_optimizers_are_nn_optimizers_with_keras_names():
    opt = kopt.RMSprop(learning_rate=0.01, rho=0.8, epsilon=1e-6)
    assert isinstance(opt, nn.RMSprop) and (opt.lr, opt.alpha, opt.eps) == (0.01, 0.8, 1e-6)
    opt.learning_rate = 0.5
    assert opt.lr == 0.5
    with pytest.warns(DeprecationWarning, match="use learning_rate="):
        assert kopt.SGD(lr=0.3, momentum=0.9).lr == 0.3  # Keras 2's spelling
    assert kopt.AdamW().weight_decay == 0.004 and kopt.Adam().eps == 1e-7
    model = small(optimizer=kopt.SGD(learning_rate=0.1))
    assert model.optimizer.params == model.parameters()
    with pytest.raises(ConfigError, match="clipnorm is not supported"):
        kopt.Adam(clipnorm=1.0)
    with pytest.raises(ConfigError, match="unknown argument\\(s\\) betas"):
        kopt.Adam(betas=(0.9, 0.99))
    with pytest.raises(ConfigError, match="amsgrad=True is not supported"):
        kopt.Adam(amsgrad=True)


@pytest.mark.parametrize("make", [lambda: kopt.SGD(learning_rate=0.1, weight_decay=0.5),
                                  lambda: kopt.Adam(learning_rate=0.1, weight_decay=0.5)])
def test_keras_weight_decay_is_decoupled(make):
    w = Value(2.0)
    opt = make()
    opt.bind([w])
    opt.step()  # zero gradient: only the decay acts
    assert w.data == pytest.approx(2.0 * (1 - 0.1 * 0.5), rel=1e-12)


def test_adamw_by_keras_name_is_nn_adamw():
    a, b = Value(1.0), Value(1.0)
    ka, na = kopt.AdamW(learning_rate=0.1, weight_decay=0.2), nn.AdamW(lr=0.1, weight_decay=0.2)
    ka.bind([a])
    na.bind([b])
    for t in range(5):
        a.grad = b.grad = np.sin(t) + a.data
        ka.step()
        na.step()
    assert a.data == b.data


# -- utils and datasets -------------------------------------------------------------------------


@given(st.lists(st.integers(0, 9), min_size=1, max_size=30))
def test_to_categorical_is_one_hot(ids):
    rows = nn.keras.utils.to_categorical(ids)
    assert rows.dtype == np.float32 and rows.shape == (len(ids), max(ids) + 1)
    assert rows.argmax(axis=1).tolist() == ids and (rows.sum(axis=1) == 1).all()
    column = nn.keras.utils.to_categorical(np.array(ids)[:, None], num_classes=10)
    assert column.shape == (len(ids), 10)


@pytest.mark.parametrize("ids, kw, message", [
    ([0, -1], {}, "class ids must be integers >= 0, got -1 at index 1"),
    ([0, 1.5], {}, "got 1.5 at index 1"),
    ([0, 3], {"num_classes": 3}, "class id 3 is out of range for num_classes=3"),
    ([], {}, "x is empty")])
def test_to_categorical_refuses_what_is_not_a_class_id(ids, kw, message):
    with pytest.raises(ConfigError, match=message):
        nn.keras.utils.to_categorical(ids, **kw)


def test_set_random_seed_makes_unseeded_models_repeatable():
    def run():
        nn.keras.utils.set_random_seed(7)
        model = small(seed=None)
        X = np.random.rand(12, 3)
        model.fit(X, np.eye(2)[(X[:, 0] > 0.5).astype(int)], epochs=2, batch_size=4, verbose=0)
        return model.get_weights()

    first, second = run(), run()
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    random.seed(8)
    assert not np.array_equal(small(seed=None).get_weights()[0], first[0])


def test_mnist_load_data_is_keras_arrays():
    (x_train, y_train), (x_test, y_test) = nn.keras.datasets.mnist.load_data()
    assert (x_train.shape, x_test.shape) == ((4000, 28, 28), (1000, 28, 28))
    assert x_train.dtype == x_test.dtype == y_train.dtype == y_test.dtype == np.uint8
    assert x_train.max() == 255 and set(np.unique(y_test)) == set(range(10))
    (X, y), _ = nn.datasets.mnist()  # the same images, as nn's float rows
    assert np.array_equal(X, x_train.reshape(4000, -1).astype(np.float32) / np.float32(255))
    assert np.array_equal(y, y_train)


def test_mnist_load_data_reads_keras_npz_files(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, 6, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, 2, dtype=np.uint8)}
    np.savez(tmp_path / "mnist.npz", **arrays)
    (x, y), (xt, yt) = nn.keras.datasets.mnist.load_data(tmp_path / "mnist.npz")
    assert np.array_equal(x, arrays["x_train"]) and np.array_equal(yt, arrays["y_test"])
    np.savez(tmp_path / "objects.npz", **{**arrays, "x_train": np.array([{}], dtype=object)})
    with pytest.raises(ConfigError, match="holds Python objects .* never unpickles"):
        nn.keras.datasets.mnist.load_data(tmp_path / "objects.npz")  # never unpickled
    with pytest.raises(ConfigError, match="missing.npz does not exist"):
        nn.keras.datasets.mnist.load_data(tmp_path / "missing.npz")


# -- weights, files, losses -----------------------------------------------------------------------


def test_get_and_set_weights_use_keras_shapes():
    model = small()
    kernel, bias = model.get_weights()[:2]
    assert kernel.shape == (3, 4) and bias.shape == (4,)
    assert kernel[2, 1] == model.layers[0].neurons[1].w[2].data  # kernel[input, unit]
    other = small(seed=1)
    other.set_weights(model.get_weights())
    X = np.random.default_rng(0).normal(size=(5, 3))
    assert np.array_equal(other.predict(X), model.predict(X))
    assert model.layers[1].count_params() == 10 and len(model.layers[1].get_weights()) == 2


def test_set_weights_checks_everything_before_changing_anything():
    model = small()
    before = model.get_weights()
    bad = [w.copy() for w in before]
    bad[3] = np.zeros(3)  # the last bias has the wrong shape
    with pytest.raises(ConfigError, match="set_weights: layer dense_1 bias must have shape "
                                          "\\(2,\\), got \\(3,\\)"):
        model.set_weights([w + 1 for w in bad[:3]] + [bad[3]])
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before))
    with pytest.raises(ConfigError, match="takes 4 arrays"):
        model.set_weights(before[:2])


def test_save_and_load_model_round_trip_as_json(tmp_path):
    model = small(optimizer=kopt.Adam(learning_rate=0.02), metrics=["acc"])
    X = np.random.default_rng(1).normal(size=(10, 3))
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    model.fit(X, Y, epochs=2, batch_size=5, verbose=0)
    model.save(tmp_path / "model.json")
    doc = json.loads((tmp_path / "model.json").read_text())
    assert doc["architecture"]["compile"]["loss"] == "categorical_crossentropy"
    loaded = nn.keras.models.load_model(tmp_path / "model.json")
    assert np.array_equal(loaded.predict(X), model.predict(X))
    assert loaded.evaluate(X, Y) == model.evaluate(X, Y)
    assert isinstance(loaded.optimizer, kopt.Adam) and loaded.optimizer.learning_rate == 0.02
    assert nn.keras.load_model(tmp_path / "model.json", compile=False).optimizer is None


@pytest.mark.parametrize("name", ["model.keras", "model.h5", "weights.weights.h5", "m.HDF5"])
def test_keras_binary_names_get_a_clear_error(tmp_path, name):
    model = small()
    with pytest.raises(ModelFileError, match="Keras' binary format; nn writes models as JSON"):
        model.save(tmp_path / name)
    assert not (tmp_path / name).exists()
    with pytest.raises(ModelFileError, match="use a .json name"):
        nn.keras.models.load_model(tmp_path / name)


def test_load_model_refuses_other_files(tmp_path):
    nn.MLP(2, [1], seed=0).save(tmp_path / "mlp.json")
    with pytest.raises(ModelFileError, match="holds a 'MLP', not a Sequential"):
        nn.keras.models.load_model(tmp_path / "mlp.json")
    model = small()
    model.save(tmp_path / "m.json")
    doc = json.loads((tmp_path / "m.json").read_text())
    doc["architecture"]["compile"]["optimizer"] = {"class": "os.system", "config": {}}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    with pytest.raises(ModelFileError, match="unknown optimizer"):
        nn.keras.models.load_model(tmp_path / "m.json")


def test_mae_loss_and_metric():
    model = nn.keras.Sequential([nn.keras.layers.Dense(1, input_shape=(1,))], seed=0)
    model.compile(optimizer=kopt.SGD(learning_rate=0.05), loss="mae", metrics=["mae", "mse"])
    X = np.linspace(-1, 1, 20)[:, None]
    y = 2 * X[:, 0] + 1
    history = model.fit(X, y, epochs=60, batch_size=20, verbose=0)
    assert set(history.history) == {"loss", "mae", "mse"}
    assert history.history["mae"] == pytest.approx(history.history["loss"])
    loss, mae, mse = model.evaluate(X, y)
    pred = model.predict(X)[:, 0]
    assert mae == pytest.approx(np.abs(pred - y).mean()) and loss == pytest.approx(mae)
    assert mse == pytest.approx(((pred - y) ** 2).mean())
    assert loss < history.history["loss"][0] / 2
    assert model.evaluate(X, y, return_dict=True) == {"loss": loss, "mae": mae, "mse": mse}


def test_mae_gradients_match_the_scalar_engine():
    a, b = (nn.keras.Sequential([nn.keras.layers.Dense(2, "relu", input_shape=(3,)),
                                 nn.keras.layers.Dense(2)], seed=3) for _ in range(2))
    for m in (a, b):
        m.compile(optimizer="sgd", loss="mean_absolute_error")
    X = np.random.default_rng(2).normal(size=(9, 3))
    Y = np.random.default_rng(3).normal(size=(9, 2))
    a.fit(X, Y, epochs=2, batch_size=3, shuffle=False, verbose=0)
    b.fit(X, Y, epochs=2, batch_size=3, shuffle=False, verbose=0, compiled=False)
    assert all(np.allclose(p, q, rtol=1e-9, atol=1e-12)
               for p, q in zip(a.get_weights(), b.get_weights()))


def test_numpy_integers_as_sizes_and_a_missing_layer_is_explained():
    layer = nn.keras.layers.Dense(np.int64(3), input_shape=(np.int32(2),))
    assert layer.units == 3 and type(layer.units) is int and layer.input_dim == 2
    with pytest.raises(ImportError, match="no Conv2D: the layers are Activation, Dense, "
                                          "Dropout, Flatten.*no convolutions"):
        nn.keras.layers.Conv2D(32, 3)
    assert not hasattr(nn.keras.layers, "conv_2d")
