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
    scores = model.evaluate(X_train, y_train)
    print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))  # noqa: UP031
    assert model.metrics_names == ["loss", "accuracy"]
    _, accuracy = scores
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


def test_classification_tutorial_with_history_plots_in_both_spellings(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nn import keras
    from nn.keras import layers
    from nn.keras.datasets import mnist
    from nn.keras.utils import to_categorical

    keras.utils.set_random_seed(2)
    (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
    train_images = train_images.reshape((len(train_images), 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 28 * 28)).astype("float32") / 255
    train_labels = to_categorical(train_labels)
    test_labels = to_categorical(test_labels)

    # Keras 2's spelling: metrics=["acc"], history.history["acc"] and ["val_acc"]
    model = keras.Sequential([layers.Dense(64, activation="relu", input_shape=(28 * 28,)),
                              layers.Dense(64, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["acc"])
    x_val, partial_x_train = train_images[:1000], train_images[1000:]
    y_val, partial_y_train = train_labels[:1000], train_labels[1000:]
    history = model.fit(partial_x_train, partial_y_train, epochs=8, batch_size=128,
                        validation_data=(x_val, y_val), verbose=0)
    history_dict = history.history
    loss_values = history_dict["loss"]
    val_loss_values = history_dict["val_loss"]
    epochs = range(1, len(loss_values) + 1)
    plt.plot(epochs, loss_values, "bo", label="Training loss")
    plt.plot(epochs, val_loss_values, "b", label="Validation loss")
    plt.title("Training and validation loss")
    plt.xlabel("Epochs")
    plt.ylabel("Loss")
    plt.legend()
    plt.savefig(tmp_path / "loss.png")
    plt.clf()
    with pytest.warns(DeprecationWarning, match="use history.history"):
        acc = history_dict["acc"]
        val_acc = history_dict["val_acc"]
    plt.plot(epochs, acc, "bo", label="Training acc")
    plt.plot(epochs, val_acc, "b", label="Validation acc")
    plt.title("Training and validation accuracy")
    plt.legend()
    plt.savefig(tmp_path / "accuracy.png")
    plt.close("all")
    assert (tmp_path / "loss.png").stat().st_size > 10_000
    assert (tmp_path / "accuracy.png").stat().st_size > 10_000
    assert loss_values[-1] < loss_values[0] / 2 and val_acc[-1] > 0.88
    results = model.evaluate(test_images, test_labels)
    assert results[1] > 0.88  # the book: 0.97-0.98 with all 60,000 images

    # today's spelling: "accuracy" and "val_accuracy", as TensorFlow's tutorials plot them
    model = keras.Sequential([layers.Dense(64, activation="relu", input_shape=(28 * 28,)),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train_images, train_labels, epochs=5, validation_split=0.2, verbose=0)
    plt.plot(history.history["accuracy"], label="accuracy")
    plt.plot(history.history["val_accuracy"], label="val_accuracy")
    plt.xlabel("Epoch")
    plt.ylabel("Accuracy")
    plt.ylim([0.5, 1])
    plt.legend(loc="lower right")
    plt.savefig(tmp_path / "accuracy2.png")
    plt.close("all")
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["val_accuracy"][-1] > 0.85


def test_save_and_load_tutorial(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import os

    import nn as tf

    tf.keras.utils.set_random_seed(3)
    (train_images, train_labels), (test_images, test_labels) = \
        tf.keras.datasets.mnist.load_data()
    train_labels = train_labels[:1000]
    test_labels = test_labels[:1000]
    train_images = train_images[:1000].reshape(-1, 28 * 28) / 255.0
    test_images = test_images[:1000].reshape(-1, 28 * 28) / 255.0

    def create_model():
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(784,)),  # 512 there
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[tf.keras.metrics.SparseCategoricalAccuracy()])
        return model

    model = create_model()
    checkpoint_path = "training_1/cp.ckpt"
    checkpoint_dir = os.path.dirname(checkpoint_path)
    cp_callback = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path,
                                                     save_weights_only=True, verbose=1)
    model.fit(train_images, train_labels, epochs=5,
              validation_data=(test_images, test_labels), callbacks=[cp_callback], verbose=0)
    assert os.listdir(checkpoint_dir) == ["cp.ckpt"]

    model = create_model()
    loss, acc = model.evaluate(test_images, test_labels, verbose=2)
    print(f"Untrained model, accuracy: {100 * acc:5.2f}%")
    assert acc < 0.3
    model.load_weights(checkpoint_path)
    loss, acc = model.evaluate(test_images, test_labels, verbose=2)
    print(f"Restored model, accuracy: {100 * acc:5.2f}%")
    assert acc > 0.8  # the tutorial: about 0.87 on the same 1,000 + 1,000 images

    os.makedirs("saved_model", exist_ok=True)  # the tutorial's `!mkdir -p saved_model`
    model.save("saved_model/my_model")
    new_model = tf.keras.models.load_model("saved_model/my_model")
    new_model.summary()
    loss2, acc2 = new_model.evaluate(test_images, test_labels, verbose=2)
    assert acc2 == pytest.approx(acc)
    assert new_model.predict(test_images).shape == (1000, 10)
    assert isinstance(new_model.loss, tf.keras.losses.SparseCategoricalCrossentropy)
    assert new_model.metrics == ["sparse_categorical_accuracy"]
