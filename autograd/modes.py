"""The engine's switches, in one record: grad mode (``no_grad``, per thread and per asyncio
task) and anomaly mode, with the one creation hook they share.

Every op would pay for asking the context variable whether this thread or task is in a
``no_grad`` block, so :data:`MODES` keeps ``on_create``: None in the common case (no
block open anywhere, anomaly mode off), else the hook every new node passes through. It
turns an op's output into a leaf where grad mode is off and records where the node was
made when anomaly mode asks. The context variable holds the innermost block itself, not
a flag, so a task created inside a block stops seeing it once the block closes (a copied
flag would turn stale and switch on again whenever any other block opened). Each entry of
a ``no_grad`` object is a block of its own in its own context: one object shared by
threads or tasks, as a decorator is, leaves each with its own mode, as in PyTorch.

Anomaly mode plugs in through one door, :func:`set_anomaly` (``autograd.detect_anomaly``
uses it); nothing else writes this record.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from .node import Meta, Node

__all__ = ["MODES", "is_grad_enabled", "no_grad", "set_anomaly"]

OnCreate = Callable[[Node], None]
AnomalyCheck = Callable[[Node, Node, Any, Any], None]


class Modes:
    """The switches: ``on_create`` (what every new node passes through, or None), the
    number of ``no_grad`` blocks open anywhere, and anomaly mode's two functions."""

    __slots__ = ("on_create", "blocks_open", "record_origin", "anomaly_check", "lock")

    def __init__(self) -> None:
        self.on_create: OnCreate | None = None
        self.blocks_open = 0
        self.record_origin: OnCreate | None = None
        self.anomaly_check: AnomalyCheck | None = None
        self.lock = threading.Lock()

    def refresh(self) -> None:
        """Point ``on_create`` at the hook while anything needs it (call with the lock)."""
        self.on_create = _created if self.blocks_open or self.record_origin else None


MODES = Modes()


class Block:
    """One entered ``no_grad`` block: open until its ``with`` exits."""

    __slots__ = ("open", "outer")

    def __init__(self, outer: Block | None) -> None:
        self.open, self.outer = True, outer


_innermost: ContextVar[Block | None] = ContextVar("autograd_no_grad", default=None)


def recording() -> bool:
    """Whether ops build a graph in this thread or task: no enclosing block is open."""
    if not MODES.blocks_open:
        return True
    block = _innermost.get()
    while block is not None:
        if block.open:
            return False
        block = block.outer
    return True


def _created(node: Node) -> None:
    """The creation hook: an op's output is a leaf where grad mode is off (its extras
    record, if ``Value()`` gave it one, is kept); anomaly mode records its origin."""
    if node._fn is not None and not recording():
        record = node._b
        node._a = node._fn = None
        node._b = record if type(record) is Meta else None
    record_origin = MODES.record_origin
    if record_origin is not None:
        record_origin(node)


class no_grad:
    """Context manager (and decorator, with or without parentheses): ops build no graph.

    Per thread and per asyncio task, as in PyTorch: a block in one thread or task leaves
    the graphs the others build untouched, even when they share one ``no_grad`` object.
    A new thread starts with gradients on; a task created inside a block runs without
    them while that block is open.

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.children
    ()
    """

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        self = super().__new__(cls)
        return self(func) if func is not None else self

    def __enter__(self) -> None:
        with MODES.lock:
            MODES.blocks_open += 1
            MODES.refresh()
        _innermost.set(Block(_innermost.get()))

    def __exit__(self, *exc: object) -> None:
        block = _innermost.get()  # this context's own entry: blocks nest within a context
        if block is not None:
            block.open = False
            _innermost.set(block.outer)
        with MODES.lock:
            MODES.blocks_open -= 1
            MODES.refresh()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return func(*args, **kwargs)

        return wrapper


def is_grad_enabled() -> bool:
    """False inside ``no_grad()`` in this thread or task."""
    return recording()


def set_anomaly(record_origin: OnCreate | None,
                check: AnomalyCheck | None) -> tuple[OnCreate | None, AnomalyCheck | None]:
    """Anomaly mode's door: ``record_origin(node)`` runs on every new node and backward
    calls ``check(node, child, partial, contribution)`` on every contribution (None, None
    turns it off). Returns the pair it replaces, so modes nest."""
    with MODES.lock:
        old = MODES.record_origin, MODES.anomaly_check
        MODES.record_origin, MODES.anomaly_check = record_origin, check
        MODES.refresh()
    return old
