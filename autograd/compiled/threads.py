"""BLAS threads for compiled runs: chosen on purpose, set for the run, restored after.

A compiled program spends most of its time in a few matrix products of batch size rows.
BLAS libraries start one thread per core by default, and their threads spin while they
wait: on a machine whose cores are busy, two threads made one 128x784 @ 784x512 product
six times slower than one. So a program runs its steps with a thread count chosen for
it (``threads=None``: one per core the load average leaves idle, at least 1), set
through threadpoolctl for the duration of each ``forward``/``backward`` and restored
afterwards. Without threadpoolctl installed the automatic choice leaves BLAS alone and
an explicit count raises ``MissingDependency``.

The setting is process-wide (BLAS has one thread pool): two Python threads running
programs with different counts at the same time see each other's setting.

Elementwise work outside BLAS (an optimizer's update of every parameter) can spread over
the same count with :func:`run_split`: numpy lets go of the GIL inside each array
operation, so slices of one long update run on several cores at once.

>>> resolve_threads(2, "compile_batch")
2
>>> resolve_threads(0, "compile_batch")
Traceback (most recent call last):
...
autograd.errors.ConfigError: compile_batch: threads must be None (automatic) or an int >= 1, got 0
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from ..errors import ConfigError, MissingDependency

__all__ = ["auto_threads", "blas_threads", "blas_thread_counts", "resolve_threads",
           "run_split", "usable_cores"]

_controllers: list[Any] | None = None  # threadpoolctl's BLAS controllers, found once
_pool: ThreadPoolExecutor | None = None  # helpers for run_split, started on first use
_pool_size = 0
_ALIGN = 1024  # slice boundaries: whole cache lines, whole SIMD blocks


def _blas() -> list[Any] | None:
    """The loaded BLAS libraries' controllers, or None without threadpoolctl."""
    global _controllers
    if _controllers is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return None
        import numpy  # noqa: F401  (its BLAS must be loaded to be found)

        _controllers = list(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _controllers


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def auto_threads() -> int:
    """One thread per core left idle by the 1-minute load average, at least 1.

    Busy cores make BLAS threads wait for each other (far slower than one thread), idle
    ones make them pay off, so the estimate errs on the side of fewer threads.
    """
    cores = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average: trust the core count
        return cores
    return max(1, min(cores, cores - int(round(load))))


def resolve_threads(threads: Any, where: str) -> int | None:
    """The thread count to run with: ``threads`` checked, or the automatic choice for None.

    None is returned for the automatic choice when threadpoolctl is missing (BLAS then
    keeps its own setting); an explicit count without it raises ``MissingDependency``.
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or threads < 1):
        raise ConfigError(f"{where}: threads must be None (automatic) or an int >= 1, "
                          f"got {threads!r}")
    if _blas() is None:
        if threads is not None:
            raise MissingDependency(
                f"{where}: threads={threads} needs the threadpoolctl package to set BLAS "
                "threads: pip install threadpoolctl (or leave threads=None)")
        return None
    return auto_threads() if threads is None else threads


def blas_thread_counts() -> list[int]:
    """The current thread count of every loaded BLAS library (empty without threadpoolctl)."""
    return [lib.get_num_threads() for lib in _blas() or []]


@contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` BLAS threads, then restore each library's own count.

    ``n=None`` changes nothing. Cheap when the count is already ``n`` (nested use).
    """
    changed: list[tuple[Any, int]] = []
    if n is not None:
        for lib in _blas() or []:
            before = lib.get_num_threads()
            if before != n:
                lib.set_num_threads(n)
                changed.append((lib, before))
    try:
        yield
    finally:
        for lib, before in changed:
            lib.set_num_threads(before)


def run_split(work: Callable[[slice], object], n: int, threads: int) -> None:
    """Call ``work(part)`` for ``threads`` contiguous slices covering ``range(n)``, at once:
    the last slice in this thread, the others in helper threads; returns when all are done.

    For numpy work on slices of long arrays (each operation lets go of the GIL). An
    exception in any slice is raised here, after every slice has finished.

    >>> import numpy as np
    >>> x = np.arange(5000.0)
    >>> run_split(lambda s: np.multiply(x[s], 2.0, out=x[s]), x.size, 2)
    >>> float(x[-1])
    9998.0
    """
    global _pool, _pool_size
    step = max(1, -(-n // max(1, threads) // _ALIGN) * _ALIGN)  # whole blocks per slice
    parts = [slice(i, min(i + step, n)) for i in range(0, n, step)]
    if len(parts) < 2:
        work(slice(0, n))
        return
    if _pool is None or _pool_size < len(parts) - 1:
        if _pool is not None:
            _pool.shutdown(wait=False)
        _pool_size = len(parts) - 1
        _pool = ThreadPoolExecutor(max_workers=_pool_size, thread_name_prefix="autograd-split")
    pending = [_pool.submit(work, part) for part in parts[:-1]]
    try:
        work(parts[-1])
    finally:
        for job in pending:
            job.result()
