"""Global switches of the engine: ``no_grad`` and the on-create callback of anomaly mode.

Both are module globals of :mod:`autograd.engine` because every op reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import engine as _engine

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["is_grad_enabled", "no_grad", "set_on_create"]


class no_grad:
    """Context manager (and decorator, with or without parentheses): ops build no graph.

    The switch is process-wide, not per thread as in PyTorch (it is read on every op).

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
        self._prev = True

    def __enter__(self) -> None:
        self._prev = _engine._grad_enabled
        _engine._grad_enabled = False

    def __exit__(self, *exc: object) -> None:
        _engine._grad_enabled = self._prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        import functools

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return func(*args, **kwargs)

        return wrapper


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return _engine._grad_enabled


def set_on_create(callback: Callable[[Value], None] | None) -> Callable[[Value], None] | None:
    """Install a function called on every new node (anomaly mode); returns the old one."""
    old, _engine._on_create = _engine._on_create, callback
    return old
