"""Threads for compiled runs: chosen on purpose, run by the program itself, BLAS kept at one.

A compiled program spends most of its time in a few matrix products of batch size rows
and in its optimizer's update. BLAS libraries run a product on one thread per core by
default, and their idle threads spin: OpenBLAS's keep a core busy for about 0.1 s after
every product. So two BLAS threads on a machine whose other core is busy made one
128x784 @ 784x512 product six times slower than one thread, and on an idle machine the
spinning worker takes the very core an elementwise update split over two threads needs.

So a program runs with a thread count chosen for it (``threads=None``: one per core the
load average leaves idle, at least 1), and uses those threads itself: BLAS is set to one
thread (through threadpoolctl, for the duration of each ``forward``/``backward``, and
restored afterwards), :func:`matmul_into` splits each large product in parts by output
columns or rows, and :func:`run_split` splits long elementwise work (an optimizer's
update). numpy lets go of the GIL inside a product and inside each array operation, so
the parts run on several cores at once, and a helper thread that waits sleeps instead of
spinning: a busy core slows a step down by its share, not by a factor. Without
threadpoolctl installed the automatic choice leaves BLAS alone and splits nothing; an
explicit count raises ``MissingDependency``.

The BLAS setting is process-wide (BLAS has one thread pool): two Python threads running
programs at the same time see each other's setting.

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

__all__ = ["auto_threads", "blas_threads", "blas_thread_counts", "matmul_into",
           "resolve_threads", "run_split", "usable_cores"]

_controllers: list[Any] | None = None  # threadpoolctl's BLAS controllers, found once
_pool: ThreadPoolExecutor | None = None  # helpers for run_split, started on first use
_pool_size = 0
_ALIGN = 1024  # slice boundaries: whole cache lines, whole SIMD blocks
SPLIT_WORK = 1 << 22  # multiply-adds: a product this large pays for a thread hand-off
_PART_ALIGN = 16  # a product's parts: whole SIMD blocks of rows or columns


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


def run_split(work: Callable[[slice], object], n: int, threads: int,
              align: int = _ALIGN) -> None:
    """Call ``work(part)`` for ``threads`` contiguous slices covering ``range(n)``, at once:
    the last slice in this thread, the others in helper threads; returns when all are done.

    For numpy work on slices of long arrays (each operation lets go of the GIL); slice
    boundaries fall on multiples of ``align``. An exception in any slice is raised here,
    after every slice has finished.

    >>> import numpy as np
    >>> x = np.arange(5000.0)
    >>> run_split(lambda s: np.multiply(x[s], 2.0, out=x[s]), x.size, 2)
    >>> float(x[-1])
    9998.0
    """
    global _pool, _pool_size
    step = max(1, -(-n // max(1, threads) // align) * align)  # whole blocks per slice
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


def matmul_into(a: Any, b: Any, out: Any, threads: int | None) -> None:
    """``out[...] = a @ b``, split over ``threads`` threads when the product is large.

    The parts are blocks of ``out``'s longer side (columns: ``a @ b[:, s]``; rows:
    ``a[s] @ b``), so each output entry is the same dot product as in one call. Small
    products, and ``threads`` None or 1, are one call.

    >>> import numpy as np
    >>> a, b = np.ones((64, 300)), np.ones((300, 256))
    >>> out = np.empty((64, 256))
    >>> matmul_into(a, b, out, 2)
    >>> float(out[0, 0]), float(out[-1, -1])
    (300.0, 300.0)
    """
    import numpy as np

    rows, cols = out.shape
    if not threads or threads < 2 or rows * cols * a.shape[-1] < SPLIT_WORK:
        np.matmul(a, b, out=out)
    elif cols >= rows:
        run_split(lambda s: np.matmul(a, b[:, s], out=out[:, s]), cols, threads, _PART_ALIGN)
    else:
        run_split(lambda s: np.matmul(a[s], b, out=out[s]), rows, threads, _PART_ALIGN)
