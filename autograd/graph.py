"""The one walk over a graph, and the reading of a node's local derivatives.

``topo_order(root)`` is the single deterministic, iterative topological order that
backward, the stepper, the drawings, gradcheck and the CLI all share: children before
parents, the root last. Node ``#k`` everywhere in the project is index ``k`` in it.
"""

from __future__ import annotations

from typing import Any

from .atomic import rollback
from .errors import OpDefinitionError, describe_node
from .micrograd import contributions
from .node import CLOSURE, LEFT_CONST, RIGHT_CONST, Node, children_of, materialize
from .ops import FLOAT

__all__ = ["MARKS", "children_of", "local_partials", "topo_order", "visit"]


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
MARKS = (_OPEN, _PLACED)


def visit(order: list[Node], leaves: list[Node], stack: list[Node], kept: list[Node],
          olds: list[Any], readers: bool = False) -> None:
    """The walk behind ``topo_order``: from the nodes on ``stack``, append every reachable
    op node to ``order`` and leaf to ``leaves`` (the same list, for the interleaved
    order), children first, and record the nonzero grads it overwrites in ``kept``/
    ``olds`` (two lists, not pairs: no allocation the garbage collector tracks).

    Visited nodes are marked in their own ``grad`` slot instead of a dict or set (this
    walk is most of a backward pass, and slot writes are several times cheaper than
    hashing). On return every visited ``grad`` holds the placed mark, a 0.0 that the
    next walk would take for "visited": backward accumulates into it (``+=`` makes new
    floats), anyone else resets it, and the kept grads are put back. A leaf input is
    placed as soon as its turn comes, and a node whose inputs are all placed is placed
    at once, so neither goes through the stack. At every bytecode a marked node is in
    ``order``, ``leaves`` or on ``stack``, and an overwritten grad is in ``olds``, so
    :func:`autograd.atomic.rollback` can undo an interrupted walk. With ``readers``,
    folded numbers get their constant leaves first, so the order lists them; a folded
    node whose grad is already nonzero gets its leaf in any walk (see ``materialize``).
    """
    append, place, keep, keep_old = order.append, leaves.append, kept.append, olds.append
    OPEN, PLACED = _OPEN, _PLACED
    push, pop = stack.append, stack.pop
    while stack:
        node = stack[-1]
        g = node.grad
        if g is PLACED:
            pop()
            continue
        if g is OPEN:  # its inputs are all placed now
            append(node)
            node.grad = PLACED
            pop()
            continue
        if g:
            keep(node)
            keep_old(g)
        fn = node._fn
        if fn is None:
            place(node)
            node.grad = PLACED
            pop()
            continue
        arity = fn.arity
        if (readers or g) and (arity == RIGHT_CONST or arity == LEFT_CONST):
            materialize(node)  # readers list the number's leaf; a second backward needs it
            arity = 2
        if arity == 2:
            a = node._a
            ga = a.grad
            if ga is not OPEN and ga is not PLACED:
                if a._fn is not None:
                    node.grad = OPEN
                    b = node._b
                    if b.grad is not OPEN and b.grad is not PLACED:
                        push(b)
                    push(a)
                    continue
                if ga:
                    keep(a)
                    keep_old(ga)
                place(a)
                a.grad = PLACED
            b = node._b
            gb = b.grad
            if gb is not OPEN and gb is not PLACED:
                if b._fn is not None:
                    node.grad = OPEN
                    push(b)
                    continue
                if gb:
                    keep(b)
                    keep_old(gb)
                place(b)
                b.grad = PLACED
        elif arity is None or arity == CLOSURE:
            children = node._a
            for child in children:
                cg = child.grad
                if cg is not OPEN and cg is not PLACED:
                    if child._fn is not None:  # the rest waits on the stack
                        node.grad = OPEN
                        for rest in reversed(children[children.index(child):]):
                            if rest.grad is not OPEN and rest.grad is not PLACED:
                                push(rest)
                        break
                    if cg:
                        keep(child)
                        keep_old(cg)
                    place(child)
                    child.grad = PLACED
            else:
                append(node)
                node.grad = PLACED
                pop()
            continue
        else:  # one input in _a: a unary op, or a binary op holding a number
            a = node._a
            ga = a.grad
            if ga is not OPEN and ga is not PLACED:
                if a._fn is not None:
                    node.grad = OPEN
                    push(a)
                    if not ga:
                        _descend(a, readers, append, place, push, pop)
                    continue
                if ga:
                    keep(a)
                    keep_old(ga)
                place(a)
                a.grad = PLACED
        append(node)  # every input is placed
        node.grad = PLACED
        pop()


def _descend(a: Node, readers: bool, append: Any, place: Any, push: Any, pop: Any) -> None:
    """Walk down a run of one-input nodes (``((y * c + d).relu() ...)``) without going
    round the main loop: ``a``, on top of the stack and not yet visited, is handled as
    the main loop would, and so is each input below it while the run lasts."""
    OPEN, PLACED = _OPEN, _PLACED
    while True:
        arity = a._fn.arity
        if arity != 1 and (readers or (arity != RIGHT_CONST and arity != LEFT_CONST)):
            return  # the main loop takes it from here
        child = a._a
        g = child.grad
        if g is OPEN or g is PLACED:
            append(a)
            a.grad = PLACED
            pop()
            return
        if child._fn is None and not g:
            place(child)
            child.grad = PLACED
            append(a)
            a.grad = PLACED
            pop()
            return
        a.grad = OPEN
        push(child)
        if g or child._fn is None:  # a grad to keep: the main loop does that
            return
        a = child


def topo_order(root: Node) -> list[Node]:
    """Every node reachable from ``root``, each once, children before parents.

    The same order a recursive depth-first post-order walk gives (inputs visited left
    to right), computed with an explicit stack so a 1,000,000-deep chain is fine.
    Interrupted (Ctrl-C), it leaves every ``.grad`` as it was.
    """
    order: list[Node] = []
    stack, kept, olds = [root], [], []
    try:
        visit(order, order, stack, kept, olds, readers=True)
        _unmark(order, kept, olds)
    except BaseException:
        rollback(order, stack, kept, olds, MARKS)
        raise
    return order


def _unmark(order: list[Node], kept: list[Node], olds: list[Any]) -> None:
    """Put back the grads the walk parked its marks over (rollback may redo this)."""
    for node in order:
        node.grad = 0.0
    for node, g in zip(kept, olds):
        node.grad = g


def local_partials(node: Node, F: Any = FLOAT) -> tuple[tuple[Node, ...], tuple[Any, ...]]:
    """The node's inputs and the local derivative of its output by each of them.

    With ``F=FLOAT`` the derivatives are floats; with the ``Value`` math namespace they
    are ``Value``s built from the inputs, which is how higher-order gradients work. A
    micrograd-style node's are what its closure passes on from a gradient of 1.0.
    """
    fn = node._fn
    if fn is None:
        return (), ()
    children = children_of(node)
    fn = node._fn
    if fn.arity == CLOSURE:
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
    if fn.arity is None:
        partials = fn.partials(F, args, out)
    else:
        partials = fn.partials(F, *args, out)
    return children, tuple(partials)
