"""nn.keras.losses: Keras' numbers on arrays (against formulas written here in plain numpy),
the same losses as compile(loss=...), from_logits trained like the softmax it stands for."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from autograd.errors import ConfigError, ModelFileError
from nn import keras
from nn.keras import losses

EPS = 1e-7
floats = st.floats(-30, 30, allow_nan=False)


def logits_and_ids(draw, n=None, k=None):
    n = n or draw(st.integers(1, 6))
    k = k or draw(st.integers(2, 5))
    z = draw(hnp.arrays(np.float64, (n, k), elements=floats))
    ids = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    return z, ids


@st.composite
def batches(draw):
    return logits_and_ids(draw)


def xent_reference(z, ids):
    """-log softmax(z)[id], written out sample by sample."""
    out = []
    for row, i in zip(z, ids):
        m = max(row)
        out.append(-(row[i] - m - math.log(sum(math.exp(v - m) for v in row))))
    return np.array(out)


@given(batches())
def test_sparse_categorical_from_logits_is_the_mean_of_minus_log_softmax(b):
    z, ids = b
    ref = xent_reference(z, ids)
    assert np.allclose(losses.sparse_categorical_crossentropy(ids, z, from_logits=True).numpy(),
                       ref, rtol=1e-9, atol=1e-12)
    value = losses.SparseCategoricalCrossentropy(from_logits=True)(ids, z)
    assert value.shape == () and np.isclose(float(value.numpy()), ref.mean(), rtol=1e-9)
    one_hot = np.eye(z.shape[1])[ids]
    assert np.isclose(float(losses.CategoricalCrossentropy(from_logits=True)(one_hot, z)),
                      ref.mean(), rtol=1e-9)


@given(batches())
def test_probabilities_are_normalized_and_clipped_as_keras(b):
    z, ids = b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True) * 3.0  # Keras divides by the row sum first
    q = np.clip(p / p.sum(axis=1, keepdims=True), EPS, 1 - EPS)
    ref = np.array([-math.log(q[i, c]) for i, c in enumerate(ids)])
    got = losses.sparse_categorical_crossentropy(ids.reshape(-1, 1), p).numpy()
    assert np.allclose(got, ref, rtol=1e-9)
    assert np.allclose(losses.categorical_crossentropy(np.eye(z.shape[1])[ids], p).numpy(),
                       ref, rtol=1e-9)


@given(hnp.arrays(np.float64, (4, 3), elements=floats),
       hnp.arrays(np.float64, (4, 3), elements=st.sampled_from([0.0, 1.0, 0.25])))
def test_binary_crossentropy_from_logits_and_from_probabilities(z, y):
    ref_logits = [[max(a, 0) - a * t + math.log1p(math.exp(-abs(a))) for a, t in zip(r, s)]
                  for r, s in zip(z, y)]
    got = losses.binary_crossentropy(y, z, from_logits=True).numpy()
    assert np.allclose(got, np.mean(ref_logits, axis=1), rtol=1e-9, atol=1e-12)
    p = 1 / (1 + np.exp(-z))
    ref_p = [[-(t * math.log(min(max(a, EPS), 1 - EPS)) +
                (1 - t) * math.log(1 - min(max(a, EPS), 1 - EPS))) for a, t in zip(r, s)]
             for r, s in zip(p, y)]
    got = losses.BinaryCrossentropy()(y, p).numpy()
    assert np.isclose(got, np.mean(ref_p), rtol=1e-9)


@given(hnp.arrays(np.float64, (5, 2), elements=floats),
       hnp.arrays(np.float64, (5, 2), elements=floats))
def test_mse_and_mae_per_sample_and_reduced(a, b):
    assert np.allclose(losses.mse(a, b).numpy(), [((r - s) ** 2).sum() / 2 for r, s in zip(b, a)])
    assert np.allclose(losses.MAE(a, b).numpy(), [abs(r - s).sum() / 2 for r, s in zip(b, a)])
    assert np.isclose(float(losses.MeanSquaredError()(a, b)), ((a - b) ** 2).mean())
    assert np.isclose(float(losses.MeanAbsoluteError(reduction="sum")(a, b)),
                      np.abs(a - b).mean(axis=1).sum())
    assert losses.MeanSquaredError(reduction="none")(a, b).shape == (5,)


def test_sample_weight_and_a_trailing_one_are_handled_as_keras():
    y, p = np.array([1.0, 0.0]), np.array([[0.5], [0.5]])  # (n,) against (n, 1)
    assert float(losses.MeanSquaredError()(y, p)) == 0.25
    assert float(losses.MeanSquaredError()(y, p, sample_weight=[2.0, 0.0])) == 0.25
    assert float(losses.MeanAbsoluteError()([[1.0, 3.0]], [[0.0, 0.0]])) == 2.0


def test_bad_targets_are_refused_by_name():
    with pytest.raises(ConfigError, match="class ids must be integers 0..1"):
        losses.sparse_categorical_crossentropy([2], [[0.0, 1.0]])
    with pytest.raises(ConfigError, match="class ids"):
        losses.sparse_categorical_crossentropy([0.5], [[0.0, 1.0]])
    with pytest.raises(ConfigError, match="shape"):
        losses.mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ConfigError, match="reduction"):
        losses.MeanSquaredError(reduction="median")


# -- as compile(loss=...) ----------------------------------------------------------------------

def digits_model(activation, loss, seed=0):
    model = keras.Sequential([keras.layers.Dense(8, activation="tanh", input_shape=(64,)),
                              keras.layers.Dense(10, activation=activation)], seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss,
                  metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def digits():
    (x, y), (xt, yt) = nn.datasets.digits()
    return x[:300], y[:300], xt[:100], yt[:100]


@pytest.mark.parametrize("compiled", [True, False])
def test_from_logits_trains_exactly_as_softmax_with_crossentropy(digits, compiled):
    x, y = digits[0][:40], digits[1][:40]
    a = digits_model("linear", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    b = digits_model("softmax", "sparse_categorical_crossentropy")
    ha = a.fit(x, y, epochs=2, batch_size=8, verbose=0, compiled=compiled, seed=1)
    hb = b.fit(x, y, epochs=2, batch_size=8, verbose=0, compiled=compiled, seed=1)
    assert np.allclose(ha.history["loss"], hb.history["loss"], rtol=1e-9)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        assert np.allclose(wa, wb, rtol=1e-9, atol=1e-12)
    logits = a.predict(x[:5])  # the outputs are logits: the loss object agrees with evaluate
    assert np.isclose(float(a.loss(y[:5], logits)), a.evaluate(x[:5], y[:5])[0], rtol=1e-9)


@pytest.mark.parametrize("loss", [keras.losses.sparse_categorical_crossentropy,
                                  keras.losses.SparseCategoricalCrossentropy,
                                  keras.losses.SparseCategoricalCrossentropy(),
                                  "sparse_categorical_crossentropy"],
                         ids=["function", "class", "instance", "name"])
def test_every_spelling_of_a_loss_trains_the_same(digits, loss):
    x, y = digits[0][:32], digits[1][:32]
    ref = digits_model("softmax", "sparse_categorical_crossentropy")
    model = digits_model("softmax", loss)
    h1 = ref.fit(x, y, epochs=1, batch_size=16, verbose=0, seed=0).history["loss"]
    h2 = model.fit(x, y, epochs=1, batch_size=16, verbose=0, seed=0).history["loss"]
    assert h1 == pytest.approx(h2, rel=1e-12)


def test_binary_from_logits_matches_sigmoid_output():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(float)

    def model(act, loss):
        m = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(3,)),
                              keras.layers.Dense(1, activation=act)], seed=3)
        m.compile(optimizer="sgd", loss=loss)
        return m.fit(x, y, epochs=2, batch_size=10, verbose=0, seed=0).history["loss"]

    assert model("linear", keras.losses.BinaryCrossentropy(from_logits=True)) == \
        pytest.approx(model("sigmoid", "binary_crossentropy"), rel=1e-9)


def test_a_loss_of_ones_own_or_unsupported_settings_are_refused_clearly():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred) ** 2
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ConfigError, match="loss function of your own is not supported"):
        model.compile(optimizer="sgd", loss=my_loss)
    with pytest.raises(ConfigError, match="label_smoothing=0.1"):
        model.compile(optimizer="sgd", loss=keras.losses.BinaryCrossentropy(label_smoothing=0.1))
    with pytest.raises(ConfigError, match="reduction='sum'"):
        model.compile(optimizer="sgd", loss=keras.losses.MeanSquaredError(reduction="sum"))
    with pytest.raises(ConfigError, match="unknown loss 'hubber'"):
        model.compile(optimizer="sgd", loss="hubber")


def test_a_loss_object_survives_save_and_load(tmp_path, digits):
    model = digits_model("linear", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(digits[0][:32], digits[1][:32], epochs=1, verbose=0)
    model.save(tmp_path / "m.json")
    again = keras.models.load_model(tmp_path / "m.json")
    assert isinstance(again.loss, keras.losses.SparseCategoricalCrossentropy)
    assert again.loss.from_logits
    assert again.evaluate(digits[2], digits[3]) == pytest.approx(model.evaluate(digits[2],
                                                                                digits[3]))


def test_a_forged_loss_config_in_a_model_file_is_a_model_file_error(tmp_path, digits):
    model = digits_model("softmax", "sparse_categorical_crossentropy")
    model.save(tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text()
    forged = text.replace('"loss": "sparse_categorical_crossentropy"',
                          '"loss": {"class_name": "os.system", "config": {"command": "ls"}}')
    assert forged != text
    (tmp_path / "m.json").write_text(forged)
    with pytest.raises(ModelFileError, match="not a saved Keras loss"):
        keras.models.load_model(tmp_path / "m.json")


@settings(max_examples=25)
@given(batches())
def test_the_graph_loss_equals_the_array_loss(b):
    z, ids = b
    model = keras.Sequential([keras.layers.Dense(z.shape[1], activation="linear",
                                                 input_shape=(z.shape[1],))], seed=0)
    model.set_weights([np.eye(z.shape[1]), np.zeros(z.shape[1])])  # outputs = inputs
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    got = model.evaluate(z, ids, batch_size=len(z))
    assert np.isclose(got, xent_reference(z, ids).mean(), rtol=1e-9, atol=1e-12)


def test_get_behaves_as_keras():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("sparse_categorical_crossentropy") is \
        losses.sparse_categorical_crossentropy
    obj = losses.BinaryCrossentropy(from_logits=True)
    assert losses.get(obj) is obj
    again = losses.get(losses.serialize(obj))
    assert isinstance(again, losses.BinaryCrossentropy) and again.from_logits
    with pytest.raises(ConfigError, match="unknown loss 'nope'"):
        losses.get("nope")
    assert keras.metrics.get("accuracy") is keras.metrics.accuracy
    assert keras.metrics.get("sparse_categorical_accuracy") is \
        keras.metrics.sparse_categorical_accuracy


def test_from_logits_with_dropout_is_the_same_on_both_engines():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(24, 6)), rng.integers(0, 3, 24)

    def train(compiled):
        model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(6,)),
                                  keras.layers.Dropout(0.3),
                                  keras.layers.Dense(3)], seed=4)
        model.compile(optimizer="adam", metrics=["accuracy"],
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=9, compiled=compiled)
        return history.history, model.get_weights()

    (h1, w1), (h2, w2) = train(True), train(False)
    assert h1["loss"] == pytest.approx(h2["loss"], rel=1e-9)
    for a, b in zip(w1, w2):
        assert np.allclose(a, b, rtol=1e-9, atol=1e-12)


def test_from_logits_on_probabilities_warns_as_keras():
    import warnings

    probs = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_shape=(2,))])
    with pytest.warns(UserWarning, match="from_logits=True, but the model's output comes from "
                                         "a softmax"):
        probs.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    nested = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)),
                               keras.layers.Softmax()])
    with pytest.warns(UserWarning, match="softmax"):
        nested.compile(optimizer="adam",
                       loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    logits = keras.Sequential([keras.layers.Dense(3, input_shape=(2,))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logits.compile(optimizer="adam",
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        probs.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
