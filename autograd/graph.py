"""The one walk over a graph, and the reading of a node's local derivatives.

``topo_order(root)`` is the single deterministic, iterative topological order that
backward, the stepper, the drawings, gradcheck and the CLI all share: children before
parents, the root last. Node ``#k`` everywhere in the project is index ``k`` in it.
"""

from __future__ import annotations

from typing import Any

from .node import Node, children_of
from .ops import FLOAT

__all__ = ["children_of", "local_partials", "topo_order", "walk"]


class _Mark:
    """A walk's visit mark, parked in a node's ``grad`` slot while the walk runs."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<walk mark {self.name}>"


# "Placed" is a float 0.0 object of its own: recognisable by identity during the walk, and
# already the zero that backward starts each node's gradient from (no zeroing pass).
# Every placed node later gets a fresh float from ``+=``, so the mark never lingers.
_OPEN, _PLACED = _Mark("open"), float("0.0")


def walk(root: Node) -> tuple[list[Node], list[Node], list[Any]]:
    """The walk behind ``topo_order``: the order, and the nodes whose grad was not 0.0
    with those grads (two lists, not pairs: no allocation the garbage collector tracks).

    Visited nodes are marked in their own ``grad`` slot instead of a dict or set (this
    walk is most of a backward pass, and slot writes are several times cheaper than
    hashing). On return every visited ``grad`` holds the placed mark, a 0.0 that the
    next walk would take for "visited": backward accumulates into it (``+=`` makes new
    floats), anyone else resets it, and the returned non-zero grads are put back.
    """
    order: list[Node] = []
    kept: list[Node] = []
    olds: list[Any] = []
    append, keep, keep_old = order.append, kept.append, olds.append
    OPEN, PLACED = _OPEN, _PLACED
    stack = [root]
    push, pop = stack.append, stack.pop
    try:
        while stack:
            node = stack[-1]
            g = node.grad
            if g is PLACED:
                pop()
                continue
            if g is OPEN:  # its inputs are all placed now
                pop()
                node.grad = PLACED
                append(node)
                continue
            if g:
                keep(node)
                keep_old(g)
            fn = node._fn
            if fn is None:
                pop()
                node.grad = PLACED
                append(node)
                continue
            node.grad = OPEN
            arity = fn.arity
            if arity == 2:
                b = node._b
                if b.grad is not OPEN and b.grad is not PLACED:
                    push(b)
                a = node._a
                if a.grad is not OPEN and a.grad is not PLACED:
                    push(a)
            elif arity == 1:
                a = node._a
                if a.grad is not OPEN and a.grad is not PLACED:
                    push(a)
            else:
                children = node._a
                # Leading leaves go straight into the order (where the recursive walk
                # would place them), sparing wide nodes like dot a push and pop each.
                i = 0
                for child in children:
                    cg = child.grad
                    if cg is not OPEN and cg is not PLACED:
                        if child._fn is not None:
                            break
                        if cg:
                            keep(child)
                            keep_old(cg)
                        child.grad = PLACED
                        append(child)
                    i += 1
                for child in reversed(children[i:]):
                    if child.grad is not OPEN and child.grad is not PLACED:
                        push(child)
    except BaseException:  # e.g. KeyboardInterrupt: never leave marks behind
        for node in order + stack:
            if node.grad is OPEN or node.grad is PLACED:
                node.grad = 0.0
        for node, g in zip(kept, olds):
            node.grad = g
        raise
    return order, kept, olds


def topo_order(root: Node) -> list[Node]:
    """Every node reachable from ``root``, each once, children before parents.

    The same order a recursive depth-first post-order walk gives (inputs visited left
    to right), computed with an explicit stack so a 1,000,000-deep chain is fine.
    """
    order, kept, olds = walk(root)
    for node in order:
        node.grad = 0.0
    for node, g in zip(kept, olds):
        node.grad = g
    return order


def local_partials(node: Node, F: Any = FLOAT) -> tuple[tuple[Node, ...], tuple[Any, ...]]:
    """The node's inputs and the local derivative of its output by each of them.

    With ``F=FLOAT`` the derivatives are floats; with the ``Value`` math namespace they
    are ``Value``s built from the inputs, which is how higher-order gradients work.
    """
    fn = node._fn
    if fn is None:
        return (), ()
    children = children_of(node)
    if F is FLOAT:
        args: Any = [c.data for c in children]
        out: Any = node.data
    else:
        args, out = list(children), node
    if fn.arity is None:
        partials = fn.partials(F, args, out)
    else:
        partials = fn.partials(F, *args, out)
    return children, tuple(partials)
