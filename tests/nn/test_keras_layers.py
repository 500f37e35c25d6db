"""Keras' layers on the layer protocol: each kind trains the same on the compiled and the
scalar engine, Dropout only in training, Flatten on images, models inside models, frozen
layers, the model's verbs over layers, the summary and Keras 2's spellings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from finite_diff import numgrad
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from autograd.errors import ConfigError
from nn.fit.objectives import sample_fn
from nn.keras import layers
from nn.keras.layers.base import Layer


def data(shape=(4,), n=24, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, *shape)), rng.integers(0, classes, n)


MODELS = {
    "dropout": lambda: [layers.Dense(6, "relu", input_shape=(4,)), layers.Dropout(0.3),
                        layers.Dense(3, "softmax")],
    "flatten": lambda: [layers.Flatten(input_shape=(2, 2)), layers.Dense(5, "tanh"),
                        layers.Dense(3, "softmax")],
    "activation": lambda: [layers.Dense(5, input_shape=(4,)), layers.Activation("tanh"),
                           layers.Dense(3), layers.Activation("softmax")],
    "softmax": lambda: [layers.Dense(3, input_shape=(4,)), layers.Softmax()],
    "relu": lambda: [layers.Dense(5, input_shape=(4,)), layers.ReLU(),
                     layers.Dense(3, "softmax")],
    "input": lambda: [layers.Input(shape=(4,)), layers.Dense(4, "sigmoid"),
                      layers.Dropout(0.5), layers.Dense(3, "softmax")],
    "nested": lambda: [nn.keras.Sequential([layers.Dense(5, "relu", input_shape=(4,)),
                                            layers.Dropout(0.25)], name="block", seed=4),
                       layers.Dense(3, "softmax")],
}


def trained(kind: str, compiled: bool, frozen: bool = False) -> nn.keras.Sequential:
    model = nn.keras.Sequential(MODELS[kind](), seed=3)
    if frozen:
        model.layers[0].trainable = False
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    X, y = data((2, 2) if kind == "flatten" else (4,))
    model.fit(X, y, epochs=3, batch_size=5, verbose=0, seed=7, compiled=compiled)
    return model


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_both_engines_train_every_layer_to_the_same_weights(kind):
    a, b = trained(kind, compiled=True), trained(kind, compiled=False)
    start = nn.keras.Sequential(MODELS[kind](), seed=3)
    start.build()
    moved = False
    for wa, wb, w0 in zip(a.get_weights(), b.get_weights(), start.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-9)
        moved |= not np.allclose(wa, w0)
    assert moved


def test_frozen_weights_do_not_move_on_either_engine():
    start = nn.keras.Sequential(MODELS["dropout"](), seed=3)
    start.build()
    for compiled in (True, False):
        model = trained("dropout", compiled, frozen=True)
        w = model.get_weights()
        np.testing.assert_array_equal(w[0], start.get_weights()[0])
        np.testing.assert_array_equal(w[1], start.get_weights()[1])
        assert not np.allclose(w[2], start.get_weights()[2])
    assert len(model.trainable_weights) == 3 * 6 + 3 and len(model.non_trainable_weights) == 30


def test_freezing_after_compile_takes_effect_at_the_next_fit():
    model = trained("relu", compiled=True)
    model.layers[0].trainable = False
    before = model.get_weights()
    X, y = data()
    model.fit(X, y, epochs=1, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(before[0], after[0])
    assert not np.array_equal(before[2], after[2])
    assert model.optimizer.params == model.trainable_weights
    model.trainable = False
    with pytest.raises(ConfigError, match="every weight is frozen \\(trainable=False\\)"):
        model.fit(X, y, epochs=1, verbose=0)


def test_dropout_is_inverted_dropout_in_training_only():
    layer = layers.Dropout(0.25)
    layer.build((None, 4000))
    masks = layer.draw_noise(np.random.default_rng(1), 3)
    assert set(np.unique(masks)) == {0.0, 1 / 0.75}
    assert abs((masks == 0).mean() - 0.25) < 0.02
    assert not np.array_equal(masks[0], masks[1])  # a mask per sample
    out = layer.call([Value(1.0)] * 3, training=False)
    assert [v.data for v in out] == [1.0, 1.0, 1.0]
    out = layer.call([Value(2.0)] * 2, training=True, noise=[0.0, 4 / 3])
    assert [v.data for v in out] == [0.0, 8 / 3]


@pytest.mark.parametrize("compiled", [True, False])
def test_dropout_is_identity_in_predict_and_evaluate(compiled):
    model = trained("dropout", compiled=True)
    plain = nn.keras.Sequential([layers.Dense(6, "relu", input_shape=(4,)),
                                 layers.Dense(3, "softmax")])
    plain.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    plain.set_weights(model.get_weights())
    X, y = data(seed=5)
    np.testing.assert_allclose(model.predict(X, compiled=compiled), plain.predict(X),
                               rtol=0, atol=1e-12)
    assert model.evaluate(X, y, compiled=compiled) == pytest.approx(plain.evaluate(X, y),
                                                                      abs=1e-12)


def test_dropout_changes_training_and_a_seed_repeats_it():
    X, y = data()
    runs = []
    for rate, seed in ((0.5, 1), (0.5, 1), (0.5, 2), (0.0, 1)):
        model = nn.keras.Sequential([layers.Dense(6, "relu", input_shape=(4,)),
                                     layers.Dropout(rate), layers.Dense(3, "softmax")], seed=0)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(X, y, epochs=2, batch_size=4, verbose=0, seed=seed)
        runs.append(model.get_weights()[0])
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.allclose(runs[0], runs[2]) and not np.allclose(runs[0], runs[3])


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 4))
def test_flatten_takes_any_rank(dims, units):
    model = nn.keras.Sequential([layers.Flatten(input_shape=tuple(dims)), layers.Dense(units)])
    X = np.arange(2 * int(np.prod(dims)), dtype=float).reshape(2, *dims)
    assert model.layers[0].output_shape == (None, int(np.prod(dims)))
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(model.predict(X), X.reshape(2, -1) @ kernel + bias, atol=1e-12)


def test_flatten_on_mnist_shaped_images_and_clear_shape_errors():
    model = nn.keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(10)])
    assert model.layers[1].input_shape == (None, 784)
    assert model.predict(np.zeros((2, 28, 28))).shape == (2, 10)
    with pytest.raises(ConfigError, match=r"X has samples of shape \(28, 27\), the model "
                                          r"expects \(28, 28\).*flatten"):
        model.predict(np.zeros((2, 28, 27)))
    with pytest.raises(ConfigError, match=r"layer 'dense' \(Dense\): expects flat inputs "
                                          r"\(None, n\), got \(None, 28, 28\); put Flatten"):
        nn.keras.Sequential([layers.Input((28, 28)), layers.Dense(3, name="dense")])


def test_a_model_inside_a_model_is_a_layer():
    inner = nn.keras.Sequential([layers.Dense(5, "relu", input_shape=(4,)), layers.Dense(2)],
                                name="features")
    outer = nn.keras.Sequential([inner, layers.Dense(1)], seed=0)
    assert outer.layers[0] is inner and outer.count_params() == 25 + 12 + 3
    assert inner.layers[0].neurons[0].w[0].label == "layers.0.layers.0.neurons.0.w.0"
    x = np.ones((1, 4))
    h = inner.predict(x)
    kernel, bias = outer.layers[1].get_weights()
    np.testing.assert_allclose(outer.predict(x), h @ kernel + bias, atol=1e-12)
    unnamed = nn.keras.Sequential([nn.keras.Sequential([layers.Dense(2, input_shape=(1,))]),
                                   nn.keras.Sequential([layers.Dense(1)])])
    assert [x.name for x in unnamed.layers] == ["sequential_1", "sequential_2"]


def test_layers_get_layer_and_pop():
    model = nn.keras.Sequential([layers.Input((4,)), layers.Dense(3, name="hidden"),
                                 layers.Dropout(0.1), layers.Dense(2)])
    assert [type(x).__name__ for x in model.layers] == ["Dense", "Dropout", "Dense"]
    assert [x.name for x in model.layers] == ["hidden", "dropout", "dense"]
    assert model.get_layer(name="hidden") is model.layers[0]
    assert model.get_layer(index=1).rate == 0.1
    with pytest.raises(ConfigError, match="no layer named 'nope'; the layers are 'hidden', "
                                          "'dropout', 'dense'"):
        model.get_layer("nope")
    last = model.pop()
    assert last.units == 2 and len(model.layers) == 2 and model.output_shape == (None, 3)
    model.add(layers.Dense(1))
    assert model.layers[-1].name == "dense_1" and model.count_params() == 15 + 4
    with pytest.raises(ConfigError, match="already a layer named 'hidden'"):
        model.add(layers.Dense(1, name="hidden"))
    with pytest.raises(ConfigError, match="already in this model"):
        model.add(model.layers[0])


@pytest.mark.parametrize("name", ["Conv2D", "LSTM", "BatchNormalization", "MaxPooling2D"])
def test_other_keras_layers_are_one_clear_error(name):
    with pytest.raises(ImportError, match=f"nn.keras.layers has no {name}: the layers are "
                                          "Activation, Dense, Dropout, Flatten, InputLayer"):
        exec(f"from nn.keras.layers import {name}", {})
    with pytest.raises(ImportError, match=f"has no {name}"):
        getattr(layers, name)


def test_layer_protocol_config_round_trip_and_errors():
    for make in (lambda: layers.Dense(3, "tanh", name="d"), lambda: layers.Dropout(0.2),
                 lambda: layers.Activation("sigmoid"), layers.Softmax, layers.ReLU,
                 layers.Flatten):
        layer = make()
        again = type(layer).from_config(layer.get_config())
        assert again.get_config() == layer.get_config() and again is not layer
    with pytest.raises(ConfigError, match="Dropout: rate must be a number in \\[0, 1\\), "
                                          "got 1.5"):
        layers.Dropout(1.5)
    with pytest.raises(ConfigError, match="Dense: unknown argument\\(s\\) kernel_size"):
        layers.Dense(3, kernel_size=3)
    with pytest.raises(ConfigError, match="ReLU: max_value=6 is not supported"):
        layers.ReLU(max_value=6)
    assert issubclass(layers.Dense, Layer)
    dense = layers.Dense(2, seed=0)
    assert len(dense([1.0, 2.0, 3.0])) == 2 and dense.input_shape == (None, 3)  # built on call
    assert layers.Dense(2, activation=nn.nn.relu).activation == "relu"  # tf.nn.relu
    assert layers.Activation(nn.nn.softmax).activation == "softmax"
    with pytest.raises(ConfigError, match="Dense: unknown activation 'swish'; valid: relu"):
        layers.Dense(2, activation="swish")


def test_summary_prints_once_and_shows_every_layer(capsys):
    model = nn.keras.Sequential([layers.Flatten(input_shape=(2, 3)), layers.Dense(4),
                                 layers.Dropout(0.5), layers.Activation("relu"),
                                 nn.keras.Sequential([layers.Dense(3), layers.ReLU()],
                                                     name="block"),
                                 layers.Dense(2), layers.Softmax()])
    model.layers[1].trainable = False
    assert model.summary() is None
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines()[4:11]]
    assert rows == [["flatten", "(Flatten)", "(None,", "6)", "0"],
                    ["dense", "(Dense)", "(None,", "4)", "28"],
                    ["dropout", "(Dropout)", "(None,", "4)", "0"],
                    ["activation", "(Activation)", "(None,", "4)", "0"],
                    ["block", "(Sequential)", "(None,", "3)", "15"],
                    ["dense_1", "(Dense)", "(None,", "2)", "8"],
                    ["softmax", "(Softmax)", "(None,", "2)", "0"]]
    assert "Total params: 51" in out and "Trainable params: 23" in out
    assert "Non-trainable params: 28" in out and out.count('Model: "sequential"') == 1
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == out.splitlines()


def test_keras2_spellings_work_with_one_warning_naming_todays():
    X, y = data()
    model = nn.keras.Sequential([layers.Dense(3, "softmax", input_shape=(4,))], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    with pytest.warns(DeprecationWarning, match=r"fit\(nb_epoch=\) is Keras 1's name: use "
                                                r"fit\(epochs=\)") as caught:
        history = model.fit(X, y, nb_epoch=2, validation_split=0.25, verbose=0)
    assert len(caught) == 1 and len(history.epoch) == 2
    for old, new in (("acc", "accuracy"), ("val_acc", "val_accuracy")):
        with pytest.warns(DeprecationWarning, match=f"use history.history\\['{new}'\\]"):
            assert history.history[old] == history.history[new]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "acc" not in history.history and history.history["loss"]
    with pytest.warns(DeprecationWarning, match=r"np.argmax\(model.predict\(x\), axis=-1\)"):
        classes = model.predict_classes(X)
    np.testing.assert_array_equal(classes, model.predict(X).argmax(axis=1))
    with pytest.raises(ConfigError, match="fit: unknown argument\\(s\\) nb_epochs"):
        model.fit(X, y, nb_epochs=2)
    with pytest.raises(KeyError):
        history.history["val_mae"]


def test_adding_a_layer_labels_only_the_new_one():
    model = nn.keras.Sequential([layers.Dense(2, input_shape=(2,))])
    first = model.layers[0].neurons[0].w[0]
    first.label = "mine"
    model.add(layers.Dense(1))
    assert first.label == "mine"  # not relabelled: adding n layers is linear in n
    assert model.layers[1].neurons[0].b.label == "layers.1.neurons.0.b"


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_gradients_through_every_layer_kind_match_finite_differences(seed):
    model = nn.keras.Sequential([
        layers.Flatten(input_shape=(2, 2)), layers.Dense(4), layers.Activation("tanh"),
        layers.Dropout(0.5), nn.keras.Sequential([layers.Dense(3), layers.ReLU()]),
        layers.Dense(3), layers.Softmax()], seed=seed)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=4).tolist()
    mask = model.draw_noise(rng, 1)[0].tolist()  # a training sample's dropout mask
    if not any(mask):  # all dropped: the nested ReLU would sit on its kink (input 0, bias 0)
        mask[0] = 2.0  # kept, scaled by 1 / (1 - rate)
    target = np.eye(3)[seed % 3].tolist()
    params = model.parameters()
    for p in params:  # off ReLU's kink: zero biases on dropped inputs would sit on it
        p.data += float(rng.normal(0, 0.1))
    fn = sample_fn(model)

    def loss_at(values: list[float]) -> float:
        for p, v in zip(params, values):
            p.data = v
        return fn([Value(v) for v in x + mask], [Value(t) for t in target])[1].data

    start = [p.data for p in params]
    loss = fn([Value(v) for v in x + mask], [Value(t) for t in target])[1]
    model.zero_grad()
    loss.backward()
    grads = [p.grad for p in params]
    expected = numgrad(loss_at, start)
    np.testing.assert_allclose(grads, expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name, mean_abs", [
    ("normal", 0.05 * (2 / np.pi) ** 0.5), ("uniform", 0.025), ("random_normal", 0.0399),
    ("glorot_normal", None), ("he_normal", None), ("lecun_uniform", None), ("zeros", 0.0),
    ("truncated_normal", None)])
def test_keras_kernel_initializers(name, mean_abs):
    layer = layers.Dense(200, kernel_initializer=name, seed=0)
    layer.build((None, 100))
    kernel, bias = layer.get_weights()
    assert (bias == 0).all() and kernel.shape == (100, 200)
    if mean_abs is not None:
        assert abs(np.abs(kernel).mean() - mean_abs) < 0.002
    if name == "truncated_normal":
        assert np.abs(kernel).max() <= 0.1
    if name == "he_normal":
        assert abs(kernel.std() - (2 / 100) ** 0.5) < 0.01
    again = layers.Dense.from_config(layer.get_config())
    assert again.kernel_initializer == name
    with pytest.raises(ConfigError, match="kernel_regularizer is not supported"):
        layers.Dense(2, kernel_regularizer="l2")


def test_weights_and_trainable_are_one_listing_that_leaves_out_every_frozen_weight():
    inner = nn.Sequential([nn.Dense(3, input_shape=(2,)), nn.Dense(2)], seed=1)
    model = nn.Sequential([inner, nn.Dense(1)], seed=2)
    every, trainable = model.weights_and_trainable()
    assert every == model.weights and trainable is every  # nothing frozen: the same list
    for frozen in (inner.layers[1], inner, model.layers[1], model):
        frozen.trainable = False
        every, trainable = model.weights_and_trainable()
        assert every == model.weights
        assert trainable == model.trainable_weights
        assert len(trainable) < len(every)
        frozen.trainable = True
