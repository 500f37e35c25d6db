"""The MNIST recipe's training loops, ours and PyTorch's, measured in a fresh process.

``python -m benchmarks.mnist_recipe side-by-side THREADS N EPOCHS ROUNDS`` times the four
fits (two engines, two dtypes) in turns at one thread count; ``... memory ENGINE DTYPE N``
trains one engine for one epoch alone, for its peak memory. Each prints one JSON line,
which :mod:`benchmarks.compiled` reads. torch is used only when installed.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np

from benchmarks.timing import load_average

DTYPES = ("float64", "float32")


def _mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    import nn

    (X, y), _ = nn.datasets.mnist()
    return X[:n], y[:n]


def _ours(X: np.ndarray, y: np.ndarray, dtype: str, threads: int | None,
          epochs: int) -> tuple[object, float, object]:
    """Our fit of ``epochs`` epochs as a callable, the compile seconds, and the model."""
    import nn

    Y = np.eye(10)[y]
    model = nn.Sequential([nn.Dense(512, "relu", input_shape=(784,)),
                           nn.Dense(10, "softmax")], seed=0)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"],
                  dtype=dtype, threads=threads)
    start = time.perf_counter()
    model.evaluate(X[:256], Y[:256])  # compiles the program; fit reuses it
    compile_s = time.perf_counter() - start
    return (lambda: model.fit(X, Y, epochs=epochs, batch_size=128, verbose=0)), compile_s, model


def _torch(X: np.ndarray, y: np.ndarray, dtype: str, threads: int | None,
           epochs: int) -> object:
    """The same recipe's loop in PyTorch, as a callable (ImportError without torch)."""
    import torch

    if threads is not None:
        torch.set_num_threads(threads)
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

    return fit


def _timed(run: object) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all of this process's threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def side_by_side(threads: int, n: int, epochs: int, rounds: int) -> dict:
    """Ours and torch, float64 and float32, at ``threads`` threads: the four fits take
    turns in this one process, round after round, so the load hits them alike."""
    X, y = _mnist(n)
    runs: dict[str, object] = {}
    result: dict = {"wall": {}, "cpu": {}, "compile": {}, "threads": {},
                    "load": [load_average()]}
    for dtype in DTYPES:
        ours, result["compile"][dtype], model = _ours(X, y, dtype, threads, epochs)
        runs["ours " + dtype] = ours
        result["threads"]["ours"] = model.program.threads
        try:
            runs["torch " + dtype] = _torch(X, y, dtype, threads, epochs)
        except ImportError:
            pass
    if any(name.startswith("torch") for name in runs):
        import torch

        result["threads"]["torch"] = torch.get_num_threads()
    for run in runs.values():  # warm-up: caches, BLAS buffers, torch's first-call set-up
        run()  # type: ignore[operator]
    for _ in range(rounds):
        for name, run in runs.items():
            wall, cpu = _timed(run)
            result["wall"].setdefault(name, []).append(wall / epochs)
            result["cpu"].setdefault(name, []).append(cpu / epochs)
    result["load"].append(load_average())
    return result


def memory(engine: str, dtype: str, n: int) -> dict:
    """Peak memory of this fresh process after one epoch, default threads, one engine."""
    X, y = _mnist(n)
    if engine == "ours":
        fit, compile_s, model = _ours(X, y, dtype, None, 1)
        fit()
        out = {"compile": compile_s, "threads": model.program.threads}
    else:
        fit = _torch(X, y, dtype, None, 1)
        fit()  # type: ignore[operator]
        import torch

        out = {"threads": torch.get_num_threads()}
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return out


def worker(kind: str, args: list[str]) -> dict:
    """One measurement in this (fresh) process; a missing package or data set is reported."""
    try:
        if kind == "side-by-side":
            threads, n, epochs, rounds = args
            return side_by_side(int(threads), int(n), int(epochs), int(rounds))
        engine, dtype, n = args
        return memory(engine, dtype, int(n))
    except ImportError as e:
        return {"missing": getattr(e, "name", None) or str(e)}
    except Exception as e:  # a missing dataset (MissingDependency) and the like
        return {"missing": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], sys.argv[2:])))
