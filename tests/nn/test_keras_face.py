"""The small pieces tutorials touch: model(x_batch) as a Tensor, tf.nn.softmax on arrays,
versions, keras.backend, and Keras 2's spellings (np_utils, SGD(lr=, decay=)) with one
DeprecationWarning naming today's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import nn as tf
from autograd import Value
from autograd.errors import ConfigError
from nn import keras
from nn.keras import backend as K


def model():
    m = keras.Sequential([keras.layers.Dense(5, activation="relu", input_shape=(3,)),
                          keras.layers.Dense(4)], seed=0)
    m.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), metrics=["accuracy"])
    return m


def test_calling_a_model_on_a_batch_gives_a_tensor_of_predict():
    m = model()
    x = np.random.default_rng(0).normal(size=(6, 3))
    logits = m(x)
    assert isinstance(logits, nn.Tensor) and logits.shape == (6, 4)
    assert np.array_equal(logits.numpy(), m.predict(x))
    assert isinstance(m.predict(x), np.ndarray)
    probs = tf.nn.softmax(logits).numpy()
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert np.allclose(probs, tf.softmax(m.predict(x)).numpy())
    assert np.array_equal(m(x[:1], training=False).numpy(), m.predict(x[:1]))
    loss = m.loss(np.array([0, 1, 2, 3, 0, 1]), logits)  # loss_fn(y, logits).numpy()
    assert np.isclose(float(loss.numpy()), m.evaluate(x, [0, 1, 2, 3, 0, 1])[0])
    one = m(x[0].tolist())  # one sample: Values, a graph
    assert all(isinstance(v, Value) for v in one) and len(one) == 4


@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-1000, 1000)))
def test_tf_nn_softmax_is_stable_and_sums_to_one(z):
    p = tf.nn.softmax(z).numpy()
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1.0)
    logp = tf.nn.log_softmax(z).numpy()
    assert np.isfinite(logp).all() and np.allclose(np.exp(logp), p, rtol=1e-12, atol=1e-300)
    assert np.allclose(tf.nn.sigmoid(z).numpy(), 1 / (1 + np.exp(-np.clip(z, -700, 700))))
    assert np.array_equal(tf.nn.relu(z).numpy(), np.maximum(z, 0))
    ids = np.argmax(z, axis=1)
    assert np.allclose(tf.nn.sparse_softmax_cross_entropy_with_logits(ids, z).numpy(),
                       -tf.nn.log_softmax(z).numpy()[np.arange(3), ids])


def test_softmax_on_lists_stays_a_graph():
    out = nn.softmax([Value(1.0), Value(1.0)])
    assert [v.data for v in out] == pytest.approx([0.5, 0.5])
    out[0].backward()
    assert out[0].grad == 1.0


def test_tensor_behaves_as_an_array():
    t = nn.Tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (t + 1).numpy().tolist() == [[2.0, 3.0], [4.0, 5.0]]
    assert (1 - t).numpy().tolist() == [[0.0, -1.0], [-2.0, -3.0]]
    assert (np.ones(2) * t).numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.asarray(t).sum() == 10.0 and len(t) == 2 and t[1].numpy().tolist() == [3.0, 4.0]
    assert (t > 2).numpy().tolist() == [[False, False], [True, True]]
    assert f"{nn.Tensor(0.25):.2f}" == "0.25" and float(nn.Tensor(0.5)) == 0.5
    copy = t.numpy()
    copy[0, 0] = 9.0
    assert t.numpy()[0, 0] == 1.0  # .numpy() hands out a copy


def test_tf_random_set_seed_makes_a_model_and_its_training_repeat():
    def run():
        tf.random.set_seed(42)
        m = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
        m.compile(optimizer="adam", loss="mse")
        x = np.arange(30.0).reshape(10, 3) / 30
        m.fit(x, x.sum(axis=1), epochs=2, batch_size=4, verbose=0)
        return m.get_weights()

    for a, b in zip(run(), run()):
        assert np.array_equal(a, b)


def test_versions_where_tutorials_print_them():
    assert nn.__version__ == tf.keras.__version__ == tf.version.VERSION
    assert tf.version.VERSION.count(".") == 2


def test_backend_settings_and_functions():
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    assert K.image_data_format() == "channels_last" and K.backend() == "numpy"
    K.clear_session()
    K.set_floatx("float64")
    try:
        assert K.floatx() == "float64" and K.zeros((2,)).dtype == np.float64
    finally:
        K.set_floatx("float32")
    assert K.ones((2, 3)).dtype == np.float32
    with pytest.raises(ConfigError, match="set_floatx: expected one of"):
        K.set_floatx("float8")
    with pytest.raises(ConfigError, match="channels_last"):
        K.set_image_data_format("nhwc")
    x = np.array([[0.2, -0.7], [1.6, 0.4]])
    assert float(K.sum(K.square(x))) == pytest.approx((x ** 2).sum())
    assert K.mean(x, axis=0).numpy().tolist() == pytest.approx([0.9, -0.15])
    assert K.argmax(x).numpy().tolist() == [0, 0]
    assert K.cast(K.equal(x, x), "float32").numpy().sum() == 4
    assert K.round(K.clip(x, 0, 1)).numpy().tolist() == [[0.0, 0.0], [1.0, 0.0]]


def test_np_utils_works_and_warns_with_todays_spelling():
    from nn.keras.utils.np_utils import to_categorical

    with pytest.warns(DeprecationWarning, match="use keras.utils.to_categorical"):
        old = to_categorical([0, 2], 3)
    assert np.array_equal(old, keras.utils.to_categorical([0, 2], 3))
    with pytest.warns(DeprecationWarning):
        assert keras.utils.np_utils.to_categorical([1]).shape == (1, 2)


def test_sgd_decay_divides_the_rate_as_keras_2_did():
    w = Value(1.0)
    with pytest.warns(DeprecationWarning) as caught:
        opt = keras.optimizers.SGD(lr=0.1, decay=0.5)
    texts = [str(c.message) for c in caught]
    assert any("use learning_rate=" in t for t in texts) and any("decay=" in t for t in texts)
    opt.bind([w])
    expected = 1.0
    for t in range(4):
        w.grad = 0.0
        (w * w).backward()
        opt.step()
        expected -= 0.1 / (1 + 0.5 * t) * 2 * expected
        assert w.data == pytest.approx(expected, rel=1e-12)
    assert opt.learning_rate == 0.1  # the base rate, as Keras 2 reported it


def test_a_model_saved_with_decay_loads_without_a_warning(tmp_path):
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))], seed=0)
    with pytest.warns(DeprecationWarning):
        m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, decay=1e-3), loss="mse")
    m.save(tmp_path / "m.json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = keras.models.load_model(tmp_path / "m.json")
    assert again.optimizer._time_decay == 1e-3
