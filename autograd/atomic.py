"""Writing many ``.grad`` slots as one step that Ctrl-C cannot split.

Python runs signal handlers (so raises ``KeyboardInterrupt``) only between bytecodes, so
a write loop run entirely in C -- ``map(setattr, ...)`` consumed by a zero-length deque --
is never interrupted half-way. The walk and the chain rule stay plain Python loops; if
one is interrupted, :func:`rollback` puts every gradient back with SIGINT deferred, so a
second Ctrl-C cannot interrupt the repair either.
"""

from __future__ import annotations

import _signal
import _thread
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from typing import Any

__all__ = ["deferred_interrupts", "rollback", "set_grads"]

_consume = deque(maxlen=0).extend  # runs an iterator to its end, in C
_MAIN = threading.main_thread().ident


def set_grads(nodes: Iterable[Any], values: Iterable[Any]) -> None:
    """``node.grad = value`` pairwise, as one uninterruptible step."""
    _consume(map(setattr, nodes, repeat("grad"), values))


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT while the block runs, then deliver it (on the main thread only: Python
    runs handlers there, so other threads are never interrupted anyway)."""
    handler = _signal.getsignal(_signal.SIGINT)
    if _thread.get_ident() != _MAIN or not callable(handler):
        yield
        return
    pending: list[Any] = []
    _signal.signal(_signal.SIGINT, lambda signum, frame: pending.append(frame))
    try:
        yield
    finally:
        _signal.signal(_signal.SIGINT, handler)
        if pending:
            handler(_signal.SIGINT, pending[0])


def rollback(order: list[Any], stack: list[Any], kept: list[Any], olds: list[Any],
             marks: tuple[Any, ...]) -> None:
    """Undo an interrupted walk or backward: every ``.grad`` back to its value before it.

    ``order`` holds the nodes the walk placed (their grads are marks or this call's
    gradients), ``stack`` may hold nodes marked open, and ``kept``/``olds`` the nonzero
    gradients the walk overwrote; every other visited node started at 0.0.
    """
    with deferred_interrupts():
        opened = [node for node in stack if any(node.grad is m for m in marks)]
        set_grads(order, repeat(0.0))
        set_grads(opened, repeat(0.0))
        set_grads(kept, olds)
