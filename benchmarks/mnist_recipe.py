"""The MNIST recipe's training loops -- ours, PyTorch's, the bare-GEMM floor -- in a fresh process.

``python -m benchmarks.mnist_recipe side-by-side THREADS DATA EPOCHS ROUNDS`` times the
fits (every engine in both dtypes) in turns at one pinned thread count; ``... memory
ENGINE DTYPE DATA`` trains one engine for one epoch alone, for its peak memory. ``DATA``
is a row count of the MNIST training set or an ``.npz`` file holding ``X`` and ``y`` (the
parent saves the rows once, so a worker's peak memory is not the full data set's). Each
prints one JSON line, which :mod:`benchmarks.compiled` reads. torch is used only when
installed.

The floor (``gemm``) is what no engine can skip: the five matrix products of each batch
(two forward, three backward: no input gradient for the first layer), numpy alone, into
buffers allocated once, on batches sliced once. Nothing else: no activation, no loss, no
update.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable

import numpy as np

from benchmarks.timing import load_average

DTYPES = ("float64", "float32")
ENGINES = ("ours", "torch", "gemm")
BATCH, HIDDEN, CLASSES = 128, 512, 10

Fit = Callable[[int], None]  # trains for that many epochs


def mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` training images (float32, in [0, 1]) and their labels."""
    import nn

    (X, y), _ = nn.datasets.mnist()
    return X[:n], y[:n]


def _load(data: str) -> tuple[np.ndarray, np.ndarray]:
    if data.endswith(".npz"):
        with np.load(data, allow_pickle=False) as saved:
            return saved["X"], saved["y"]
    return mnist(int(data))


def _ours(X: np.ndarray, y: np.ndarray, dtype: str,
          threads: int | None) -> tuple[Fit, float, object]:
    """Our fit as a callable, the compile seconds, and the model."""
    import nn

    Y = np.eye(CLASSES)[y]
    model = nn.Sequential([nn.Dense(HIDDEN, "relu", input_shape=(X.shape[1],)),
                           nn.Dense(CLASSES, "softmax")], seed=0)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"],
                  dtype=dtype, threads=threads)
    start = time.perf_counter()
    model.evaluate(X[:256], Y[:256])  # compiles the program; fit reuses it
    compile_s = time.perf_counter() - start

    def fit(epochs: int) -> None:
        model.fit(X, Y, epochs=epochs, batch_size=BATCH, verbose=0)

    return fit, compile_s, model


def _torch(X: np.ndarray, y: np.ndarray, dtype: str, threads: int | None) -> Fit:
    """The same recipe's loop in PyTorch, as a callable (ImportError without torch)."""
    import torch

    if threads is not None:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    dt = getattr(torch, dtype)
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, CLASSES)).to(dt)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + categorical CE on one-hot rows
    tX = torch.from_numpy(X).to(dt)
    tY = torch.from_numpy(np.eye(CLASSES)[y]).to(dt)

    def fit(epochs: int) -> None:
        for _ in range(epochs):
            order = torch.randperm(len(tX))  # shuffled each epoch, as fit does
            for i in range(0, len(tX), BATCH):
                batch = order[i:i + BATCH]
                opt.zero_grad()
                loss = loss_fn(model(tX[batch]), tY[batch])
                loss.backward()
                opt.step()

    return fit


def _gemm(X: np.ndarray, y: np.ndarray, dtype: str, threads: int | None) -> Fit:
    """The floor: each batch's five matrix products and nothing else, as a callable."""
    from threadpoolctl import threadpool_limits

    dt = np.dtype(dtype)
    rng = np.random.default_rng(0)
    W1 = (rng.standard_normal((HIDDEN, X.shape[1])) * 0.05).astype(dt)  # (out, in), as
    W2 = (rng.standard_normal((CLASSES, HIDDEN)) * 0.05).astype(dt)  # ours and torch's
    G2 = (rng.standard_normal((BATCH, CLASSES)) * 0.01).astype(dt)  # the loss's gradient
    batches = [np.ascontiguousarray(X[i:i + BATCH], dtype=dt) for i in range(0, len(X), BATCH)]
    H, Z, gH = (np.empty((BATCH, w), dt) for w in (HIDDEN, CLASSES, HIDDEN))
    gW1, gW2 = np.empty_like(W1), np.empty_like(W2)

    def fit(epochs: int) -> None:
        with threadpool_limits(threads, user_api="blas"):
            for _ in range(epochs):
                for xb in batches:
                    m = len(xb)
                    h, g2, gh = H[:m], G2[:m], gH[:m]
                    np.matmul(xb, W1.T, out=h)  # forward: the hidden layer
                    np.matmul(h, W2.T, out=Z[:m])  # the logits
                    np.matmul(g2.T, h, out=gW2)  # backward: the second layer's weights
                    np.matmul(g2, W2, out=gh)  # the hidden layer's gradient
                    np.matmul(gh.T, xb, out=gW1)  # the first layer's weights

    return fit


def _timed(run: Fit, epochs: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all of this process's threads) of one fit."""
    wall, cpu = time.perf_counter(), time.process_time()
    run(epochs)
    return time.perf_counter() - wall, time.process_time() - cpu


def side_by_side(threads: int, data: str, epochs: int, rounds: int) -> dict:
    """Every engine in both dtypes at ``threads`` threads, pinned: the fits take turns in
    this one process, round after round, so the load hits them alike."""
    X, y = _load(data)
    runs: dict[str, Fit] = {}
    result: dict = {"wall": {}, "cpu": {}, "compile": {}, "threads": {}, "load": [],
                    "absent": {}}
    for dtype in DTYPES:
        ours, result["compile"][dtype], model = _ours(X, y, dtype, threads)
        runs["ours " + dtype] = ours
        result["threads"]["ours"] = model.program.threads  # type: ignore[attr-defined]
        for engine, make in (("torch", _torch), ("gemm", _gemm)):
            try:
                runs[f"{engine} {dtype}"] = make(X, y, dtype, threads)
            except ImportError as e:
                result["absent"][engine] = getattr(e, "name", None) or str(e)
    if "torch float64" in runs:
        import torch

        result["threads"]["torch"] = torch.get_num_threads()
    result["threads"]["gemm"] = threads
    for run in runs.values():  # warm-up: caches, BLAS buffers, torch's first-call set-up
        run(1)
    for _ in range(rounds):
        result["load"].append(load_average())
        for name, run in runs.items():
            wall, cpu = _timed(run, epochs)
            result["wall"].setdefault(name, []).append(wall / epochs)
            result["cpu"].setdefault(name, []).append(cpu / epochs)
    result["load"].append(load_average())
    return result


def memory(engine: str, dtype: str, data: str) -> dict:
    """Peak memory of this fresh process after one epoch, default threads, one engine."""
    X, y = _load(data)
    if engine == "ours":
        fit, compile_s, model = _ours(X, y, dtype, None)
        fit(1)
        out = {"compile": compile_s, "threads": model.program.threads}  # type: ignore
    else:
        _torch(X, y, dtype, None)(1)
        import torch

        out = {"threads": torch.get_num_threads()}
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return out


def worker(kind: str, args: list[str]) -> dict:
    """One measurement in this (fresh) process; a missing package or data set is reported."""
    try:
        if kind == "side-by-side":
            threads, data, epochs, rounds = args
            return side_by_side(int(threads), data, int(epochs), int(rounds))
        engine, dtype, data = args
        return memory(engine, dtype, data)
    except ImportError as e:
        return {"missing": getattr(e, "name", None) or str(e)}
    except Exception as e:  # a missing dataset (MissingDependency) and the like
        return {"missing": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], sys.argv[2:])))
