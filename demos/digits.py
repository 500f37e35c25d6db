"""A Keras-style Dense(32, relu) -> Dense(10, softmax) with adam on the 8x8 digits.

The Keras recipe on the scalar engine: ``Sequential``, ``compile(optimizer=Adam(lr=0.01),
loss="sparse_categorical_crossentropy", metrics=["accuracy"])``, ``fit`` for a few
epochs on scikit-learn's 8x8 digits (1,438 training images), then the accuracy on the
359 held-out images, a confusion matrix and a page of sample predictions.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

import nn

from ._common import Run, save_predictions, start

SEED = 0

# The recipe this demo runs on the scalar engine; ``--full`` runs the Keras tutorial's
# Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax) with compiled batch execution.
RECIPE = {"hidden": (32,), "lr": 0.01, "epochs": 5, "batch_size": 32}
FULL = {"hidden": (64, 64), "lr": 0.001, "epochs": 20, "batch_size": 32}


def options(parser: argparse.ArgumentParser) -> None:
    """``--full``: the full 64-64-10 recipe, compiled (the default recipe runs scalar)."""
    parser.add_argument("--full", action="store_true",
                        help="Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax), adam, "
                             "20 epochs, with compiled batch execution")


def build(hidden: Sequence[int], lr: float) -> nn.Sequential:
    """Dense(h, relu) for each ``h`` in ``hidden``, then Dense(10, softmax), compiled."""
    layers = [nn.Dense(h, activation="relu", input_shape=(64,) if i == 0 else None)
              for i, h in enumerate(hidden)]
    model = nn.Sequential([*layers, nn.Dense(10, activation="softmax")], seed=SEED)
    model.compile(optimizer=nn.Adam(lr=lr), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def confusion(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """10 x 10 counts: row = true digit, column = predicted digit."""
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def plot(run: Run, matrix: np.ndarray, X: np.ndarray, labels: np.ndarray,
         predicted: np.ndarray) -> None:
    """Save the confusion matrix and a grid of test images with their predictions."""
    plt = run.plt
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6, 5))
    image = ax.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if count > matrix.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(f"digits: test accuracy {np.mean(labels == predicted):.1%}")
    fig.colorbar(image, ax=ax)
    run.save_figure(fig, "digits_confusion.png", "confusion matrix")

    save_predictions(run, X, 8, labels, predicted, range(min(24, len(X))),
                     "test images and predicted digits (red: wrong)", "digits_samples.png")


def main(argv: Sequence[str] | None = None) -> None:
    """Train the Keras-style model, report held-out accuracy, save the pictures."""
    run = start(__doc__, argv, options)
    (X_train, y_train), (X_test, y_test) = nn.datasets.digits(test_size=0.2, seed=SEED)
    recipe, compiled = (FULL, True) if run.args.full else (RECIPE, False)
    epochs = recipe["epochs"]
    if run.quick:  # a slice of the data, one epoch: a smoke test of every step
        X_train, y_train, X_test, y_test = X_train[:150], y_train[:150], X_test[:60], y_test[:60]
        epochs = 1
    print(f"data: {len(X_train)} training and {len(X_test)} test images, 64 pixels in [0, 1]")
    model = build(recipe["hidden"], recipe["lr"])
    model.summary(print_fn=print)
    print(f"optimizer: Adam(lr={recipe['lr']}), loss: sparse_categorical_crossentropy, "
          f"batch size {recipe['batch_size']}, "
          f"{epochs} epoch{'s' if epochs != 1 else ''}, "
          f"{'compiled batch execution' if compiled else 'scalar engine'}")
    model.fit(X_train, y_train, epochs=epochs, batch_size=recipe["batch_size"],
              validation_data=(X_test, y_test), verbose=2,  # Keras' one line per epoch
              compiled=compiled)
    loss, acc = model.evaluate(X_test, y_test, compiled=compiled)
    predicted = model.predict(X_test, compiled=compiled).argmax(axis=1)
    matrix = confusion(y_test, predicted)
    print(f"\ntest loss {loss:.4f}, test accuracy {acc:.4f}")
    worst = max(((i, j) for i in range(10) for j in range(10) if i != j),
                key=lambda ij: matrix[ij])
    if matrix[worst]:
        print(f"most common mistake: a {worst[0]} read as {worst[1]} ({matrix[worst]} times)")
    plot(run, matrix, X_test, y_test, predicted)
    run.finish(f"test accuracy: {acc:.3f}")


if __name__ == "__main__":
    main()
