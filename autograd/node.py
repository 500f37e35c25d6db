"""What a graph is made of: the slotted node, where its inputs live, and its extras record.

Every reader (the walk, backward, the drawings) reads nodes through this storage, so it
sits below :class:`autograd.Value`, which adds the arithmetic. A node holds ``data``,
``grad`` and the op row ``_fn`` (None for a leaf); ``_fn.arity`` says where the inputs are:

==============  ====================================  =========================
arity           ``_a``                                ``_b``
==============  ====================================  =========================
1 (unary)       the input                             extras or None
2 (binary)      first input                           second input
None            tuple of inputs (variadic op)         extras or None
``CLOSURE``     tuple of inputs (micrograd-style)     extras (holds the closure)
``RIGHT_CONST`` the input                             the number on the right
``LEFT_CONST``  the input                             the number on the left
==============  ====================================  =========================

The last two are a binary op with a number operand (``y * 1.0001``, ``2 * x``) kept as a
float rather than a leaf of its own: no object for the collector to track. Readers never
see them: :func:`children_of` and the public walk first turn the number into a constant
leaf (:func:`materialize`), so children, drawings and node numbers are as if the
leaf had always been there. The rare extras (label, hooks, origin, a closure) sit in
a ``_Meta`` record in ``_b`` when ``_b`` is free; a binary node that needs one switches
to tuple storage with the variadic view of its op (same name, same rule), and so do
the attributes micrograd-style code sets (``p.m = 0.0``, see ``Value.allow_attributes``).

There is no ``__dict__``: on CPython 3.11 one costs 32 bytes per node (a managed-dict
header and an eagerly allocated values array), which would take a node past 128 bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .ops import FLOAT, Op, as_variadic

__all__ = ["CLOSURE", "LEFT_CONST", "RIGHT_CONST", "Node", "children_of", "const_view",
           "materialize", "meta"]

CLOSURE, RIGHT_CONST, LEFT_CONST = 5, 3, 4


class Node:
    """A graph node's storage (no closure, no cycle); ``Value`` is the user type."""

    __slots__ = ("data", "grad", "_a", "_b", "_fn")

    data: float
    grad: Any


class _Meta:
    """Per-node extras most nodes never need: label, hooks, where it was created, and for
    micrograd-style nodes their ``_backward`` closure and ``_op`` text, and attributes
    users set (``p.m``)."""

    __slots__ = ("label", "hooks", "origin", "backward", "symbol", "attrs")

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.hooks: list[Callable[[float], Any]] | None = None
        self.origin: str | None = None
        self.backward: Callable[[], Any] | None = None
        self.symbol: str | None = None
        self.attrs: dict[str, Any] | None = None


def constant_leaf(data: float) -> Node:
    """A folded number as a leaf of its own; autograd.engine makes it a ``Value``."""
    raise NotImplementedError


def const_view(op: Op, arity: int) -> Op:
    """The binary op with a number on the right (``RIGHT_CONST``) or left (``LEFT_CONST``):
    the same row, partials called with the number in its place."""
    key = "right" if arity == RIGHT_CONST else "left"
    view = op._bound.get(key)
    if view is None:
        view = op._bound[key] = replace(op, arity=arity, _bound={"base": op})
    return view


def materialize(node: Node) -> None:
    """Give a node's number operand a constant leaf of its own (binary storage again).

    The leaf gets the gradient it would hold had it existed all along. That is exact
    because a folded node is materialized by the walk of the first backward that finds
    its grad nonzero: until then at most one backward has reached it, and the number's
    share of that one is ``node.grad * d(node)/d(number)``, computed as backward would.
    """
    fn, g = node._fn, node.grad
    base = fn._bound["base"]
    right = fn.arity == RIGHT_CONST
    leaf = constant_leaf(node._b)
    if g and type(g) in (float, int):
        x, c = node._a.data, node._b
        partials = base.partials(FLOAT, x, c, node.data) if right else \
            base.partials(FLOAT, c, x, node.data)
        leaf.grad = 0.0 + g * partials[1 if right else 0]
    if right:
        node._b, node._fn = leaf, base  # one step: no signal check between
    else:
        node._a, node._b, node._fn = leaf, node._a, base


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
    if arity is None or arity == CLOSURE:
        return node._a
    materialize(node)
    return (node._a, node._b)


def extras(node: Node) -> _Meta | None:
    """The node's extras record, or None."""
    b = node._b
    return b if type(b) is _Meta else None


def meta(node: Node) -> _Meta:
    """The node's extras record, created on first use."""
    record = node._b
    if type(record) is _Meta:
        return record
    fn = node._fn
    if fn is not None and fn.arity in (RIGHT_CONST, LEFT_CONST):
        materialize(node)
        fn = node._fn
    if fn is not None and fn.arity == 2:  # move the inputs into a tuple to free _b
        node._a, node._b, node._fn = (node._a, node._b), None, as_variadic(fn)
    record = node._b = _Meta()
    return record
