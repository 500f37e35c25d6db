"""Compiled ``fit`` with ``Dropout`` against the same model without it.

``python -m benchmarks.dropout [--quick]``. The masks are inputs of the compiled
program, drawn per batch; this measures what that costs: an MLP of MNIST's shape
(784 -> 256 -> 256 -> 10, batch 128), with ``Dropout(0.2)`` after each hidden layer or
without, in float64 and float32. Each row is the median CPU time of one epoch (this
process, every thread), the two models run alternately so the load moves both alike.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

import numpy as np

from benchmarks.timing import blas_line, load_average, paired_cpu, spread, target_cell

TARGET = 1.15  # with Dropout / without, at most
N, FEATURES, HIDDEN, CLASSES, BATCH = 4096, 784, 256, 10, 128


def _fit(dropout: bool, dtype: str) -> Callable[[], None]:
    """One epoch of compiled fit, as a callable (the program is compiled beforehand)."""
    import nn
    from nn.keras import layers

    rng = np.random.default_rng(0)
    X = rng.random((N, FEATURES))
    y = rng.integers(0, CLASSES, N)
    stack: list = [layers.Dense(HIDDEN, "relu", input_shape=(FEATURES,))]
    stack += [layers.Dropout(0.2)] if dropout else []
    stack += [layers.Dense(HIDDEN, "relu")]
    stack += [layers.Dropout(0.2)] if dropout else []
    stack += [layers.Dense(CLASSES, "softmax")]
    model = nn.keras.Sequential(stack, seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], dtype=dtype)
    model.fit(X[:BATCH], y[:BATCH], epochs=1, batch_size=BATCH, verbose=0)  # compiles

    def run() -> None:
        model.fit(X, y, epochs=1, batch_size=BATCH, verbose=0, seed=1)

    return run


def main(quick: bool = False) -> None:
    print()
    print(f"compiled fit with Dropout(0.2) vs without: MLP 784-{HIDDEN}-{HIDDEN}-10, "
          f"{N} samples, batch {BATCH}; {load_average()}; {blas_line()}")
    header = f"{'dtype':10} {'without s':>10} {'with s':>10} {'ratio':>7} {'spread':>11}  target"
    print(header)
    print("-" * len(header))
    for dtype in ("float64", "float32"):
        off, on = paired_cpu(_fit(False, dtype), _fit(True, dtype), 1 if quick else 5)
        ratios = [b / a for a, b in zip(off, on)]
        ratio = statistics.median(on) / statistics.median(off)
        print(f"{dtype:10} {statistics.median(off):>10.3f} {statistics.median(on):>10.3f} "
              f"{ratio:>6.2f}x {spread(ratios):>11}  {target_cell(ratio, TARGET, False)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dropout", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run of each")
    main(parser.parse_args().quick)
