"""Run every benchmark and print one table: ours vs micrograd, as ratios.

``python -m benchmarks [--quick]``. Times are medians of repeated runs of one
forward+backward; nodes/second counts the graph nodes built and differentiated.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc

import autograd
from autograd.graph import topo_order
from benchmarks import workloads as w
from benchmarks.micrograd_ref import Value as MgValue
from benchmarks.micrograd_ref import count_nodes
from benchmarks.timing import blas_line, load_average, median_time


def bytes_per_node(V: type, nodes: int = 100_000) -> tuple[float, float]:
    """Memory held by a chain's graph per node: after forward, and after backward."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    x, c = V(0.5), V(1.00001)
    y = x
    for _ in range(nodes):
        y = y * c
    forward = (tracemalloc.get_traced_memory()[0] - base) / nodes
    y.backward()
    after = (tracemalloc.get_traced_memory()[0] - base) / nodes
    tracemalloc.stop()
    del x, y
    gc.collect()
    return forward, after


def anomaly_cost(repeats: int) -> tuple[float, float, float]:
    """Forward+backward of the chain: before, inside and after ``detect_anomaly()``."""
    run = w.chain(autograd.Value)
    off = median_time(run, repeats)

    def inside() -> None:
        with autograd.detect_anomaly():
            run()

    on = median_time(inside, repeats)
    return off, on, median_time(run, repeats)


ROWS = [
    # name, ours, micrograd, graphs per run, repeats, target speedup (None: none set)
    ("deep chain, 100k nodes", lambda: w.chain(autograd.Value), lambda: w.chain(MgValue), 1, 5,
     None),
    ("user chain (y*1.0001+0.1).relu() x100k", lambda: w.user_chain(autograd.Value),
     lambda: w.user_chain(MgValue), 1, 3, 10.0),
    ("10k fold acc = acc + w * x", lambda: w.fold(autograd.Value), lambda: w.fold(MgValue), 1,
     5, 6.0),
    ("10k autograd.dot (vs mg fold)", w.dot, lambda: w.fold(MgValue), 1, 5, 30.0),
    ("moons step MLP(2,[16,16,1])", w.moons_step_ours, w.moons_step_micrograd, 1, 5, 50.0),
    ("digits step MLP(64,[32,10]) x32", w.digits_step_ours, w.digits_step_micrograd, 32, 5,
     30.0),
]
BYTES_TARGET = 128


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat per row")
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}; {load_average()}; {blas_line()}")
    print("medians of repeated forward+backward runs, back to back (each engine pays its own "
          "garbage collection);\nspeedup = micrograd time / ours, same run (pure Python: "
          "BLAS threads play no part)")
    header = f"{'workload':40} {'nodes':>8} {'ours ms':>9} {'ours nodes/s':>13} " \
             f"{'micrograd ms':>13} {'mg nodes/s':>11} {'speedup':>8} {'target':>7}"
    print(header)
    print("-" * len(header))
    for name, ours, theirs, graphs, repeats, target in ROWS:
        repeats = 1 if args.quick else repeats
        run_ours, run_theirs = ours(), theirs()
        nodes_ours = len(topo_order(run_ours())) * graphs
        nodes_theirs = count_nodes(run_theirs()) * graphs
        gc.collect()  # neither engine pays for collecting the other's garbage
        t_ours = median_time(run_ours, repeats)
        gc.collect()
        t_theirs = median_time(run_theirs, repeats)
        speedup = t_theirs / t_ours
        goal = f">={target:.0f}x" if target else ""
        print(f"{name:40} {nodes_ours:>8} {t_ours * 1e3:>9.1f} {nodes_ours / t_ours:>13,.0f} "
              f"{t_theirs * 1e3:>13.1f} {nodes_theirs / t_theirs:>11,.0f} "
              f"{speedup:>7.1f}x {goal:>7}")
        del run_ours, run_theirs
        gc.collect()

    fwd, after = bytes_per_node(autograd.Value)
    mg_fwd, mg_after = bytes_per_node(MgValue)
    print()
    print(f"{'bytes per graph node':40} {'forward':>10} {'after backward':>15}")
    print(f"{'ours (target <= ' + str(BYTES_TARGET) + ')':40} {fwd:>10.0f} {after:>15.0f}")
    print(f"{'micrograd':40} {mg_fwd:>10.0f} {mg_after:>15.0f}")
    print(f"{'ratio (micrograd / ours)':40} {mg_fwd / fwd:>9.1f}x {mg_after / after:>14.1f}x")

    off, on, after_off = anomaly_cost(1 if args.quick else 3)
    print()
    print(f"detect_anomaly, 100k chain: off {off * 1e3:.0f} ms, on {on * 1e3:.0f} ms "
          f"({on / off:.1f}x), off again {after_off * 1e3:.0f} ms (free when off)")

    from benchmarks import scalar_floor  # ours over the least a pure-Python engine does

    scalar_floor.main(args.quick)

    from benchmarks import compiled  # the second table: compiled execution vs scalar, torch

    compiled.main(args.quick)
    __import__("benchmarks.dropout").dropout.main(args.quick)  # Dropout's cost in fit


if __name__ == "__main__":
    main()
