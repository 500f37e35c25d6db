"""nn.keras.metrics: Keras' metric functions and classes on arrays, as compile(metrics=...),
and metric functions of the user's own logged under their names."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.errors import ConfigError
from nn import keras
from nn.keras import backend as K
from nn.keras import metrics

probs = hnp.arrays(np.float64, (6, 4), elements=st.floats(0, 1))


@given(probs, hnp.arrays(np.int64, (6,), elements=st.integers(0, 3)))
def test_accuracies_count_argmax_hits(p, ids):
    hits = [float(np.argmax(row) == i) for row, i in zip(p, ids)]
    assert metrics.sparse_categorical_accuracy(ids, p).numpy().tolist() == hits
    assert metrics.categorical_accuracy(np.eye(4)[ids], p).numpy().tolist() == hits
    top2 = [float(i in np.argsort(-row, kind="stable")[:2]) for row, i in zip(p, ids)]
    assert metrics.sparse_top_k_categorical_accuracy(ids, p, k=2).numpy().tolist() == top2


@given(hnp.arrays(np.float64, (8, 1), elements=st.floats(0, 1)),
       hnp.arrays(np.float64, (8,), elements=st.sampled_from([0.0, 1.0])))
def test_binary_accuracy_and_its_class(p, y):
    ref = np.mean([float((a > 0.5) == t) for a, t in zip(p[:, 0], y)])
    m = metrics.BinaryAccuracy()
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx(ref)
    low = metrics.BinaryAccuracy(threshold=0.0)
    assert float(low(y, p)) == pytest.approx(np.mean(y == (p[:, 0] > 0)))


def test_a_metric_object_accumulates_resets_and_weights():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([0, 1], [[0.9, 0.1], [0.8, 0.2]])
    m.update_state([1, 1], [[0.1, 0.9], [0.2, 0.8]])
    assert float(m.result().numpy()) == 0.75
    m.reset_state()
    assert float(m.result()) == 0.0
    mean = metrics.Mean()
    mean.update_state([1.0, 3.0], sample_weight=[1.0, 0.0])
    assert float(mean.result()) == 1.0
    with pytest.raises(ConfigError, match="unknown argument"):
        metrics.BinaryAccuracy(treshold=0.3)


def test_precision_and_recall_on_their_own():
    y, p = [1, 1, 0, 0, 1], [0.9, 0.2, 0.7, 0.1, 0.6]
    prec, rec = metrics.Precision(), metrics.Recall()
    prec.update_state(y, p)
    rec.update_state(y, p)
    assert float(prec.result()) == pytest.approx(2 / 3)
    assert float(rec.result()) == pytest.approx(2 / 3)
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    with pytest.raises(ConfigError, match="works on its own"):
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[metrics.Precision()])


def binary_problem():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 2))
    return x, (x[:, 0] - x[:, 1] > 0).astype(float)


@pytest.mark.parametrize("compiled", [True, False])
def test_metric_functions_of_ones_own_are_logged_under_their_names(compiled):
    def recall_m(y_true, y_pred):
        tp = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
        return tp / (K.sum(K.round(K.clip(y_true, 0, 1))) + K.epsilon())

    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    x, y = binary_problem()
    model = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(2,)),
                              keras.layers.Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy",
                  metrics=["accuracy", recall_m, mean_pred, metrics.BinaryAccuracy(),
                           "binary_accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=64, validation_split=0.25, verbose=0,
                        compiled=compiled)
    assert list(history.history) == ["loss", "accuracy", "recall_m", "mean_pred",
                                     "binary_accuracy", "val_loss", "val_accuracy",
                                     "val_recall_m", "val_mean_pred", "val_binary_accuracy"]
    # one batch per epoch: the logged value is the function of the batch's outputs
    scores = model.evaluate(x, y, batch_size=len(x), return_dict=True, compiled=compiled)
    p = model.predict(x, compiled=compiled)
    tp = np.round(np.clip(y * p[:, 0], 0, 1)).sum()
    assert scores["recall_m"] == pytest.approx(tp / (np.round(y).sum() + 1e-7))
    assert scores["mean_pred"] == pytest.approx(p.mean())
    assert scores["binary_accuracy"] == scores["accuracy"]


def test_bad_metrics_are_refused_with_the_valid_names():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ConfigError, match="unknown metric 'acuracy'.*binary_accuracy"):
        model.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
    with pytest.raises(ConfigError, match="must be a list"):
        model.compile(optimizer="sgd", loss="mse", metrics="mae")
    with pytest.raises(ConfigError, match="a metric must be"):
        model.compile(optimizer="sgd", loss="mse", metrics=[3])


def test_a_metric_function_returning_no_number_is_named():
    def forgot_return(y_true, y_pred):
        (y_true - y_pred) ** 2

    x, y = binary_problem()
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[forgot_return])
    with pytest.raises(ConfigError, match="metric 'forgot_return' returned None; a metric "
                                          "function must return numbers"):
        model.fit(x, y, epochs=1, verbose=0)
