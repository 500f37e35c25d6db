"""What every benchmark table shares: the timing rule, the machine's state, the targets.

Times are medians of repeated wall-clock runs; on a shared machine they move with the
load, so each table prints the load average and the thread counts it ran with, and
compares engines side by side in one run (ratios move far less than times).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence

__all__ = ["blas_line", "load_average", "median_time", "meets", "paired_cpu", "spread",
           "target_cell"]


def median_time(run: Callable[[], object], repeats: int) -> float:
    """Seconds for one call of ``run``: the median of ``repeats`` wall-clock timings."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_cpu(off: Callable[[], object], on: Callable[[], object],
               repeats: int) -> tuple[list[float], list[float]]:
    """CPU seconds (this process, every thread) of each run of ``off`` and of ``on``, run
    alternately: for an A/B of one feature off and on, where on a shared machine
    wall-clock time mostly measures the neighbours."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for run, into in ((off, times[0]), (on, times[1])):
            start = time.process_time()
            run()
            into.append(time.process_time() - start)
    return times


def load_average() -> str:
    """The 1/5/15-minute load average and the usable cores, e.g. ``load 1.52 1.10 0.90 on
    2 cores``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        loads = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        loads = "n/a"
    return f"load {loads} on {cores} cores"


def blas_line() -> str:
    """numpy's BLAS libraries and their current thread counts (as threadpoolctl sees them)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS threads: unknown (threadpoolctl not installed)"
    import numpy  # noqa: F401  (its BLAS is seen only once loaded)
    libs = [f"{i.get('internal_api')} {i.get('version') or ''} {i['num_threads']} threads"
            .replace("  ", " ") for i in threadpool_info() if i.get("user_api") == "blas"]
    return "BLAS: " + (", ".join(libs) if libs else "none found")


def meets(value: float, goal: float, higher_is_better: bool) -> bool:
    """True when ``value`` reaches ``goal`` (at least it, or at most it)."""
    return value >= goal if higher_is_better else value <= goal


def target_cell(value: float, goal: float, higher_is_better: bool, unit: str = "x") -> str:
    """A table cell with the target beside the measurement: ``>= 10x ok`` / ``<= 1.2x MISS``."""
    sign = ">=" if higher_is_better else "<="
    shown = round(value, 2)  # judged as printed: 1.004x is "1.00x", not slower than 1x
    mark = "ok" if meets(shown, goal, higher_is_better) else "MISS"
    return f"{sign} {goal:g}{unit} {mark}"


def spread(values: Sequence[float]) -> str:
    """``min-max`` of a few measurements, to show how much the load moved them."""
    return f"{min(values):.2f}-{max(values):.2f}"
