"""What a graph is made of: the slotted node, where its inputs live, and how to read them.

Every reader (the walk, backward, the drawings) reads nodes through this module, so it
sits below :class:`autograd.Value`, which adds the arithmetic. A node holds ``data``,
``grad`` and the op row ``_fn`` (None for a leaf); ``_fn.layout`` says where the inputs
are (the table in :mod:`autograd.ops`). Two layouts are a binary op with a number operand
(``y * 1.0001``, ``2 * x``) kept as a float rather than a leaf of its own: no object for
the collector to track. Readers never see them: :func:`children_of` and the public walk
first turn the number into a constant leaf (:func:`materialize`), so children, drawings
and node numbers are as if the leaf had always been there. The rare extras (label,
hooks, origin, a closure) sit in a :class:`Meta` record in ``_b`` when ``_b`` is free; a
binary node that needs one switches to the tuple view of its op (same name, same rule),
and so do the attributes micrograd-style code sets (``p.m = 0.0``).

:func:`local_partials` reads a node's local derivatives, from its row or, for a
micrograd-style node, by running its closure once (:func:`contributions`).

There is no ``__dict__``: on CPython 3.11 one costs 32 bytes per node (a managed-dict
header and an eagerly allocated values array), which would take a node past 128 bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import OpDefinitionError, describe_node
from .ops import BINARY, CLOSURE, FLOAT, LEFT_CONST, RIGHT_CONST, TUPLE, UNARY, as_tuple

__all__ = ["Meta", "Node", "children_of", "contributions", "extras", "local_partials",
           "materialize", "meta"]


class Node:
    """A graph node's storage (no closure, no cycle); ``Value`` is the user type."""

    __slots__ = ("data", "grad", "_a", "_b", "_fn")

    data: float
    grad: Any


class Meta:
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


def materialize(node: Node) -> None:
    """Give a node's number operand a constant leaf of its own (binary layout again).

    The leaf is a leaf of the node's own class. It gets the gradient it would hold had it
    existed all along. That is exact because a folded node is materialized by the walk of
    the first backward that finds its grad nonzero: until then at most one backward has
    reached it, and the number's share of that one is ``node.grad * d(node)/d(number)``,
    computed as backward would.
    """
    fn, g = node._fn, node.grad
    base = fn.views.base
    right = fn.layout == RIGHT_CONST
    leaf = object.__new__(type(node))
    leaf.data, leaf.grad, leaf._a, leaf._b, leaf._fn = node._b, 0.0, None, None, None
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
    layout = fn.layout
    if layout == BINARY:
        return (node._a, node._b)
    if layout == UNARY:
        return (node._a,)
    if layout == TUPLE or layout == CLOSURE:
        return node._a
    materialize(node)
    return (node._a, node._b)


def extras(node: Node) -> Meta | None:
    """The node's extras record, or None."""
    b = node._b
    return b if type(b) is Meta else None


def meta(node: Node) -> Meta:
    """The node's extras record, created on first use."""
    record = node._b
    if type(record) is Meta:
        return record
    fn = node._fn
    if fn is not None and fn.layout in (RIGHT_CONST, LEFT_CONST):
        materialize(node)
        fn = node._fn
    if fn is not None and fn.layout == BINARY:  # move the inputs into a tuple to free _b
        node._a, node._b, node._fn = (node._a, node._b), None, as_tuple(fn)
    record = node._b = Meta()
    return record


def contributions(node: Node, upstream: float) -> list[float]:
    """What a micrograd-style node's closure adds into each input's grad when the node's
    grad is ``upstream``: one number per input edge (a repeated input gets its total once).

    The closure runs with the inputs' grads set to 0.0 and the node's to ``upstream``;
    every grad it touched is put back afterwards.
    """
    kids = node._a
    closure = node._b.backward
    if closure is None:
        return [0.0] * len(kids)
    unique = list(dict.fromkeys(kids))
    saved, own = [k.grad for k in unique], node.grad
    try:
        for k in unique:
            k.grad = 0.0
        node.grad = upstream
        closure()
        got = {k: k.grad for k in unique}
    except Exception as exc:
        raise OpDefinitionError(
            f"the _backward closure of {describe_node(node)} (op {node._op!r}) raised "
            f"{type(exc).__name__}: {exc}") from exc
    finally:
        for k, g in zip(unique, saved):
            k.grad = g
        node.grad = own
    return [got.pop(k, 0.0) for k in kids]


def local_partials(node: Node, F: Any = FLOAT) -> tuple[tuple[Node, ...], tuple[Any, ...]]:
    """The node's inputs and the local derivative of its output by each of them.

    With ``F=FLOAT`` the derivatives are floats; with the ``Value`` math namespace they
    are ``Value``s built from the inputs, which is how higher-order gradients work. A
    micrograd-style node's are what its closure passes on from a gradient of 1.0.
    """
    if node._fn is None:
        return (), ()
    children = children_of(node)
    fn = node._fn  # (children_of may have given a folded number its own leaf)
    if fn.layout == CLOSURE:
        if F is not FLOAT:
            raise OpDefinitionError(
                f"{describe_node(node)} is a micrograd-style node (its rule is a _backward "
                "closure over floats), so it cannot be differentiated twice")
        return children, tuple(contributions(node, 1.0))
    if F is FLOAT:
        args: Any = [c.data for c in children]
        out: Any = node.data
    else:
        args, out = list(children), node
    if fn.layout == TUPLE:
        partials = fn.partials(F, args, out)
    else:
        partials = fn.partials(F, *args, out)
    return children, tuple(partials)
