"""Keras beginner material, written the Keras way with only the package changed
(``from nn import keras``, ``import nn as tf``), each reaching the number such material
reports; small data and few epochs keep each one a few seconds.
"""

from __future__ import annotations

import numpy as np
import pytest


def test_regression_with_k_fold_validation_on_boston_housing():
    from nn import keras
    from nn.keras import layers
    from nn.keras.datasets import boston_housing

    keras.utils.set_random_seed(0)
    (train_data, train_targets), (test_data, test_targets) = boston_housing.load_data()
    mean = train_data.mean(axis=0)
    train_data -= mean
    std = train_data.std(axis=0)
    train_data /= std
    test_data -= mean
    test_data /= std

    def build_model():
        model = keras.Sequential([
            layers.Dense(64, activation="relu", input_shape=(train_data.shape[1],)),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
        return model

    k = 4
    num_val_samples = len(train_data) // k
    all_scores, all_mae_histories = [], []
    for i in range(k):
        val_data = train_data[i * num_val_samples:(i + 1) * num_val_samples]
        val_targets = train_targets[i * num_val_samples:(i + 1) * num_val_samples]
        partial_train_data = np.concatenate(
            [train_data[:i * num_val_samples], train_data[(i + 1) * num_val_samples:]], axis=0)
        partial_train_targets = np.concatenate(
            [train_targets[:i * num_val_samples], train_targets[(i + 1) * num_val_samples:]],
            axis=0)
        model = build_model()
        history = model.fit(partial_train_data, partial_train_targets,
                            validation_data=(val_data, val_targets),
                            epochs=40, batch_size=16, verbose=0)
        all_mae_histories.append(history.history["val_mae"])
        val_mse, val_mae = model.evaluate(val_data, val_targets, verbose=0)
        all_scores.append(val_mae)
    average_mae_history = [np.mean([x[i] for x in all_mae_histories]) for i in range(40)]

    assert np.mean(all_scores) < 3.2  # the book's folds: about 2.4 to 2.6
    assert average_mae_history[-1] < average_mae_history[0] / 3

    model = build_model()
    model.fit(train_data, train_targets, epochs=80, batch_size=16, verbose=0)
    test_mse_score, test_mae_score = model.evaluate(test_data, test_targets)
    assert test_mae_score < 3.3  # the book: 2.55 (thousands of dollars)
    predictions = model.predict(test_data)
    assert predictions.shape == (102, 1)


def test_binary_classification_mlp_on_a_csv_file(tmp_path):
    from sklearn.datasets import load_breast_cancer

    table = load_breast_cancer()  # a real table, written out as the CSV such a post starts from
    np.savetxt(tmp_path / "cancer.csv", np.column_stack([table.data, table.target]),
               delimiter=",", fmt="%.6g")

    from numpy import loadtxt

    from nn import keras
    from nn.keras.layers import Dense
    from nn.keras.models import Sequential

    keras.utils.set_random_seed(7)
    dataset = loadtxt(tmp_path / "cancer.csv", delimiter=",")
    X = dataset[:, 0:30]
    y = dataset[:, 30]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X_train, y_train, X_test, y_test = X[:450], y[:450], X[450:], y[450:]

    model = Sequential()
    model.add(Dense(12, input_shape=(30,), activation="relu"))
    model.add(Dense(8, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=40, batch_size=10, verbose=0)
    _, accuracy = model.evaluate(X_train, y_train)
    print("Accuracy: %.2f" % (accuracy * 100))
    assert accuracy > 0.97
    _, test_accuracy = model.evaluate(X_test, y_test)
    assert test_accuracy > 0.93
    predictions = (model.predict(X_test) > 0.5).astype(int)
    assert predictions.shape == (len(X_test), 1)
    assert np.mean(predictions[:, 0] == y_test) == pytest.approx(test_accuracy)


def test_quickstart_with_flatten_dropout_from_logits_and_a_probability_model():
    import nn as tf

    tf.keras.utils.set_random_seed(0)
    mnist = tf.keras.datasets.mnist
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0

    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10),
    ])
    predictions = model(x_train[:1]).numpy()
    assert predictions.shape == (1, 10)
    probabilities = tf.nn.softmax(predictions).numpy()
    assert probabilities.sum() == pytest.approx(1.0)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    untrained = loss_fn(y_train[:1], predictions).numpy()
    assert abs(untrained - np.log(10)) < 1.5  # close to -log(1/10): random guesses

    model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=2)
    assert accuracy > 0.9  # the tutorial: about 0.98 on all 60,000 images; here 4,000

    probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
    probs = probability_model(x_test[:5]).numpy()
    assert probs.shape == (5, 10) and np.allclose(probs.sum(axis=1), 1.0)
    assert np.array_equal(probs.argmax(axis=1), model.predict(x_test[:5]).argmax(axis=1))


def test_sequential_guide_mlps():
    from nn import keras
    from nn.keras.layers import Dense, Dropout
    from nn.keras.models import Sequential
    from nn.keras.optimizers import SGD

    keras.utils.set_random_seed(1)
    # data a network can learn: the class is the largest of five fixed projections
    x_train = np.random.random((1000, 20))
    x_test = np.random.random((200, 20))
    projection = np.random.normal(size=(20, 10))
    y_train = keras.utils.to_categorical(np.argmax(x_train @ projection, axis=1), num_classes=10)
    y_test = keras.utils.to_categorical(np.argmax(x_test @ projection, axis=1), num_classes=10)

    model = Sequential()
    model.add(Dense(64, activation="relu", input_dim=20))
    model.add(Dropout(0.5))
    model.add(Dense(64, activation="relu"))
    model.add(Dropout(0.5))
    model.add(Dense(10, activation="softmax"))
    with pytest.warns(DeprecationWarning, match="Keras 2's spelling"):  # the Keras 2 guide
        sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=20, batch_size=128, verbose=0)
    score = model.evaluate(x_test, y_test, batch_size=128)
    assert score[1] > 0.6  # chance is 0.1

    # binary classification
    y_train = (x_train[:, :10].sum(axis=1) > x_train[:, 10:].sum(axis=1)).astype(int)
    y_test = (x_test[:, :10].sum(axis=1) > x_test[:, 10:].sum(axis=1)).astype(int)
    model = Sequential()
    model.add(Dense(64, input_dim=20, activation="relu"))
    model.add(Dropout(0.5))
    model.add(Dense(64, activation="relu"))
    model.add(Dropout(0.5))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=20, batch_size=128, verbose=0)
    score = model.evaluate(x_test, y_test, batch_size=128)
    assert score[1] > 0.85
