"""What a graph is made of: the slotted node, where its inputs live, and its extras record.

Every reader (the walk, backward, the drawings) reads nodes through this storage, so it
sits below :class:`autograd.Value`, which adds the arithmetic. A node holds ``data``,
``grad``, the op row ``_fn`` (None for a leaf) and its inputs: inline in ``_a`` and
``_b`` for a binary op, ``_a`` alone for a unary op, a tuple in ``_a`` for a variadic op.
The rare extras (label, hooks, origin) sit in a ``_Meta`` record in ``_b`` when ``_b``
is free; a binary node that needs one switches to tuple storage with the variadic view
of its op (same name, same rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ops import as_variadic

__all__ = ["Node", "children_of", "meta"]


class Node:
    """A graph node's storage (five slots, no closure, no cycle); ``Value`` is the user type."""

    __slots__ = ("data", "grad", "_a", "_b", "_fn")

    data: float
    grad: Any


class _Meta:
    """Per-node extras most nodes never need: label, hooks, where it was created."""

    __slots__ = ("label", "hooks", "origin")

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.hooks: list[Callable[[float], Any]] | None = None
        self.origin: str | None = None


def children_of(node: Node) -> tuple[Any, ...]:
    """The node's inputs, in order and with multiplicity (``a + a`` gives ``(a, a)``)."""
    fn = node._fn
    if fn is None:
        return ()
    arity = fn.arity
    if arity == 2:
        return (node._a, node._b)
    if arity == 1:
        return (node._a,)
    return node._a


def extras(node: Node) -> _Meta | None:
    """The node's extras record, or None."""
    fn = node._fn
    return None if fn is not None and fn.arity == 2 else node._b


def meta(node: Node) -> _Meta:
    """The node's extras record, created on first use."""
    fn = node._fn
    if fn is not None and fn.arity == 2:  # move the inputs into a tuple to free _b
        node._a, node._fn = (node._a, node._b), as_variadic(fn)
        node._b = None
    record = node._b
    if record is None:
        record = node._b = _Meta()
    return record
