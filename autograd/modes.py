"""Switches of the engine: ``no_grad`` (per thread and per asyncio task) and the on-create
callback of anomaly mode.

Grad mode lives in a context variable, so each thread and each asyncio task has its
own, as in PyTorch. Every op would pay for reading it, so :mod:`autograd.build` keeps a
process-wide count of the ``no_grad`` blocks open anywhere: while it is 0 (the common
case) an op reads that one global; only while some block is open does it ask the
context variable whether *this* thread or task is inside one. The variable holds the
innermost block itself, not a flag, so a task created inside a block stops seeing it
once the block closes (a copied flag would turn stale and switch on again whenever any
other block opened).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import build as _build
from . import engine as _engine
from .build import NoGradBlock

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["is_grad_enabled", "no_grad", "set_on_create"]

_current = _build.no_grad_block
_count_lock = threading.Lock()


class no_grad:
    """Context manager (and decorator, with or without parentheses): ops build no graph.

    Per thread and per asyncio task, as in PyTorch: a block in one thread or task leaves
    the graphs the others build untouched. A new thread starts with gradients on; a task
    created inside a block runs without them while that block is open.

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.children
    ()
    """

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        self = super().__new__(cls)
        return self(func) if func is not None else self

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        self._blocks: list[NoGradBlock] = []  # a stack, so one instance can be re-entered

    def __enter__(self) -> None:
        with _count_lock:
            _build._paused += 1
            _build._slow = True
        block = NoGradBlock(_current.get())
        self._blocks.append(block)
        _current.set(block)

    def __exit__(self, *exc: object) -> None:
        block = self._blocks.pop()
        block.open = False
        if _current.get() is block:
            _current.set(block.outer)
        with _count_lock:
            _build._paused -= 1
            _build._slow = bool(_build._paused) or _build._on_create is not None

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return func(*args, **kwargs)

        return wrapper


def is_grad_enabled() -> bool:
    """False inside ``no_grad()`` in this thread or task."""
    return _build.recording()


def set_on_create(callback: Callable[[Value], None] | None) -> Callable[[Value], None] | None:
    """Install a function called on every new node (anomaly mode); returns the old one."""
    with _count_lock:
        old, _engine._on_create = _engine._on_create, callback
        _build._on_create = callback
        _build._slow = bool(_build._paused) or callback is not None
    return old
