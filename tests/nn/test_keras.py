"""The Keras-style front: recipes that must train, the verbs' outputs, and every bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import nn
from autograd import Value, topo_order
from autograd.errors import ConfigError, InputTypeError, ModelFileError


def xor_model(activation: str = "tanh", seed: int = 0) -> nn.Sequential:
    model = nn.Sequential([nn.Dense(8, activation, input_shape=(2,)),
                           nn.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=nn.Adam(lr=0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model


# -- recipes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("activation, optimizer", [
    ("tanh", lambda: nn.Adam(lr=0.05)), ("relu", lambda: nn.SGD(lr=0.5, momentum=0.9))])
def test_xor_reaches_100_percent(activation, optimizer):
    X, y = nn.xor()
    model = xor_model(activation)
    model.compile(optimizer=optimizer(), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=150, batch_size=4, verbose=0)
    assert model.evaluate(X, y) == [pytest.approx(history.history["loss"][-1], abs=0.05), 1.0]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert (model.predict(X)[:, 0] > 0.5).astype(int).tolist() == [0, 1, 1, 0]


def test_digits_quick_recipe_learns():
    (X, y), (Xt, yt) = nn.datasets.digits()
    model = nn.Sequential([nn.Dense(16, "relu", input_shape=(64,)),
                           nn.Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=nn.Adam(lr=0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X[:400], y[:400], epochs=3, batch_size=16, verbose=0,
                        validation_data=(Xt[:200], yt[:200]))
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    assert history.history["val_accuracy"][-1] > 0.75
    assert history.history["loss"] == sorted(history.history["loss"], reverse=True)


def test_categorical_crossentropy_with_one_hot_and_rmsprop():
    X, y = nn.moons(60, noise=0.05, seed=1)
    model = nn.Sequential([nn.Dense(16, "relu", input_shape=(2,)), nn.Dense(2, "softmax")], seed=1)
    model.compile(optimizer=nn.RMSprop(lr=0.01), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(X, np.eye(2)[y], epochs=30, batch_size=10, verbose=0)
    assert model.evaluate(X, np.eye(2)[y])[1] >= 0.85
    assert model.predict(X).sum(axis=1) == pytest.approx(np.ones(60))


def test_mse_regression_with_sgd_string_defaults():
    X = np.linspace(-1, 1, 20)[:, None]
    y = 3 * X[:, 0] - 0.5
    model = nn.Sequential([nn.Dense(1, input_shape=(1,))], seed=0)
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.optimizer, nn.SGD) and model.optimizer.lr == 0.01
    model.optimizer.lr = 0.3
    model.fit(X, y, epochs=60, batch_size=20, verbose=0)
    w, b = model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].b.data
    assert (w, b) == (pytest.approx(3.0, abs=1e-3), pytest.approx(-0.5, abs=1e-3))
    assert isinstance(model.evaluate(X, y), float)  # no metrics: the loss alone, as Keras


# -- the per-sample computation and the loss fusion ---------------------------------------------


def test_trace_sample_gives_a_graph_of_one_sample():
    model = nn.Sequential([nn.Dense(3, "relu", input_shape=(2,)), nn.Dense(2, "softmax")], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    loss = model.trace_sample([0.5, -1.0], 1)
    probs = [v.data for v in model([0.5, -1.0])]
    assert loss.data == pytest.approx(-math.log(probs[1]))
    model.zero_grad()
    loss.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    labels = {node.label for node in topo_order(loss)}
    assert {"layers.1.neurons.0.w.2", "layers.0.neurons.2.b", "x0", "x1", "loss"} <= labels


def test_softmax_cross_entropy_is_fused_and_stable_for_huge_logits():
    model = nn.Sequential([nn.Dense(2, "softmax", input_shape=(1,))], seed=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    neurons = model.layers[0].neurons
    neurons[0].w[0].data, neurons[1].w[0].data = 1000.0, -1000.0
    loss = model.trace_sample([1.0], 1)  # logits +1000 / -1000, the wrong class
    loss.backward()
    assert loss.data == pytest.approx(2000.0)
    assert all(math.isfinite(p.grad) for p in model.parameters())


def test_sigmoid_binary_crossentropy_is_fused_and_stable():
    model = nn.Sequential([nn.Dense(1, "sigmoid", input_shape=(1,))], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.layers[0].neurons[0].w[0].data = 1000.0
    assert model.trace_sample([1.0], 0).data == pytest.approx(1000.0)
    assert model.evaluate([[1.0]], [1]) == pytest.approx(0.0, abs=1e-12)


def test_probability_losses_without_fusion_follow_keras_clipping():
    model = nn.Sequential([nn.Dense(2, "relu", input_shape=(1,))], seed=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    n0, n1 = model.layers[0].neurons
    n0.w[0].data, n1.w[0].data = 1.0, 3.0
    assert model.trace_sample([1.0], [0, 1]).data == pytest.approx(-math.log(0.75))
    n0.w[0].data = n1.w[0].data = -1.0  # all outputs 0: clipped, still finite
    assert math.isfinite(model.trace_sample([1.0], [0, 1]).data)


def test_fit_is_reproducible_with_seeds():
    X, y = nn.moons(40, seed=2)
    runs = []
    for _ in range(2):
        model = nn.Sequential([nn.Dense(4, "tanh", input_shape=(2,)), nn.Dense(1, "sigmoid")],
                              seed=3)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        runs.append(model.fit(X, y, epochs=2, batch_size=8, verbose=0, seed=4).history["loss"])
    assert runs[0] == runs[1]


# -- the verbs' outputs ---------------------------------------------------------------------------


def test_predict_shape_and_no_graph():
    model = xor_model()
    out = model.predict([[0, 0], [1, 1], [0.5, 0.5]])
    assert isinstance(out, np.ndarray) and out.shape == (3, 1)
    assert ((out > 0) & (out < 1)).all()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_summary_table_and_counts(capsys):
    model = nn.Sequential(seed=0)
    model.add(nn.Dense(32, activation="relu", input_shape=(64,)))
    model.add(nn.Dense(10, activation="softmax"))
    assert model.summary() is None  # as Keras: printed once, nothing returned
    text = capsys.readouterr().out.rstrip("\n")
    lines = text.splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert lines[4].split() == ["dense", "(Dense)", "(None,", "32)", "2080"]
    assert lines[5].split() == ["dense_1", "(Dense)", "(None,", "10)", "330"]
    assert "Total params: 2,410" in text and "Trainable params: 2,410" in text
    assert len(model.parameters()) == 2410


def test_lazy_build_from_the_data():
    model = nn.Sequential([nn.Dense(3, "relu"), nn.Dense(1)])
    assert not model.built
    with pytest.raises(ConfigError, match="not built yet"):
        model.summary()
    model.compile(optimizer="adam", loss="mse")
    model.fit([[1.0, 2.0, 3.0, 4.0]], [1.0], verbose=0)
    assert model.built and model.layers[0].input_dim == 4
    assert model.optimizer.params == model.parameters()


def test_verbose_modes(capsys):
    X, y = nn.xor()
    xor_model().fit(X, y, epochs=2, verbose=0)
    assert capsys.readouterr() == ("", "")
    xor_model().fit(X, y, epochs=2, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("Epoch 2/2 - ") and "accuracy: " in out[1]
    xor_model().fit(X, y, epochs=1, verbose=1)
    err = capsys.readouterr().err
    assert "Epoch 1/1" in err and "loss: " in err


def test_save_and_load_a_sequential(tmp_path):
    a, b = xor_model(seed=0), xor_model(seed=1)
    a.save(tmp_path / "xor.json")
    doc = json.loads((tmp_path / "xor.json").read_text())
    assert doc["architecture"]["config"]["layers"][0] == {
        "class": "Dense", "config": {"units": 8, "activation": "tanh"}}
    assert doc["architecture"]["keras_config"]["input_shape"] == [2]
    b.load(tmp_path / "xor.json")
    assert b.predict([[0, 1]]).tolist() == a.predict([[0, 1]]).tolist()
    other = nn.Sequential([nn.Dense(8, "relu", input_shape=(2,)), nn.Dense(1, "sigmoid")])
    with pytest.raises(ModelFileError, match="another architecture"):
        other.load(tmp_path / "xor.json")


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("X, y, error, message", [
    ([[0, 0, 1]], [0], ConfigError, "X has 3 features per sample, the model expects 2"),
    ([[0, 0], [1, 1]], [0], ConfigError, "y has 1 samples, X has 2"),
    ([0, 1], [0], ConfigError, "X must be 2-D .*wrap a single sample"),
    ([[0, 1], [1]], [0, 1], ConfigError, "rows have different lengths"),
    ([["a", 1]], [0], InputTypeError, "X must hold numbers only"),
    ([[0, math.nan]], [0], ConfigError, "X row 0 holds NaN"),
    ([[0, 1]], [2], ConfigError, "binary_crossentropy targets must be in \\[0, 1\\]"),
    ([[0, 1]], [[0, 1]], ConfigError, "y must have shape \\(1, 1\\)"),
])
def test_bad_data_gets_clear_errors(X, y, error, message):
    with pytest.raises(error, match=message):
        xor_model().fit(X, y, verbose=0)


def test_sparse_labels_out_of_range_and_wrong_kind():
    model = nn.Sequential([nn.Dense(3, "softmax", input_shape=(2,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ConfigError, match="label 3 at index 1 is not a class of the 3 output "
                                          "units \\(0..2\\)"):
        model.fit([[0, 0], [1, 1]], [0, 3], verbose=0)
    with pytest.raises(ConfigError, match="label 0.5"):
        model.evaluate([[0, 0]], [0.5])
    with pytest.raises(ConfigError, match="for one-hot rows use categorical_crossentropy"):
        model.fit([[0, 0]], [[0, 1, 0]], verbose=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(ConfigError, match="for class indices use sparse_categorical"):
        model.fit([[0, 0]], [1], verbose=0)


def test_unknown_names_list_the_valid_ones():
    model = nn.Sequential([nn.Dense(1, input_shape=(2,))])
    with pytest.raises(ConfigError, match="unknown optimizer 'adagrad'; valid: sgd, adam, rmsprop"):
        model.compile(optimizer="adagrad", loss="mse")
    with pytest.raises(ConfigError, match="unknown loss 'hinge'; valid: mse, mean_squared_error, "
                                          "binary_crossentropy"):
        model.compile(optimizer="adam", loss="hinge")
    with pytest.raises(ConfigError, match="unknown metric 'auc'; valid: accuracy"):
        model.compile(optimizer="adam", loss="mse", metrics=["auc"])
    with pytest.raises(ConfigError, match="unknown activation 'gelu'; valid: relu, .*, softmax"):
        nn.Dense(4, activation="gelu")
    with pytest.raises(ConfigError, match="give a loss"):
        model.compile(optimizer="adam")
    with pytest.raises(ConfigError, match="optimizer must be one of"):
        model.compile(optimizer=42, loss="mse")


def test_misuse_of_the_verbs():
    model = nn.Sequential([nn.Dense(1, input_shape=(2,))])
    with pytest.raises(ConfigError, match="call compile"):
        model.fit([[0, 0]], [0], verbose=0)
    model.compile(optimizer=nn.Adam, loss="mse")
    for kw, message in [({"epochs": -1}, "epochs must be an int >= 0"),
                        ({"batch_size": 0}, "batch_size must be an int >= 1"),
                        ({"verbose": 3}, "verbose must be 0"),
                        ({"validation_data": [[0, 0]]}, "validation_data must be a pair")]:
        with pytest.raises(ConfigError, match=message):
            model.fit([[0, 0]], [0], **kw)
    assert model.predict([[0, 0]], compiled=True).shape == (1, 1)  # compiled is the default
    with pytest.raises(ConfigError, match="batch_size must be an int >= 1"):
        model.predict([[0, 0]], batch_size=0)
    with pytest.raises(ConfigError, match="expected a layer \\(Dense, Dropout, Flatten...\\) "
                                          "or an Input"):
        model.add("dense")
    with pytest.raises(ConfigError, match="Dense\\(3\\): expects flat inputs \\(None, n\\), "
                                          "got \\(None, 8, 8\\); put Flatten\\(\\) before it"):
        nn.Dense(3, input_shape=(8, 8))
    with pytest.raises(ConfigError, match="made for other parameters"):
        model.compile(optimizer=nn.SGD([Value(1.0)]), loss="mse")
