"""The one timing rule every benchmark row uses: the median of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(run: Callable[[], object], repeats: int) -> float:
    """Seconds for one call of ``run``: the median of ``repeats`` wall-clock timings."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
