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
