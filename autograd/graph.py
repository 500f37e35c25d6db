"""The one walk over a graph, and the reading of a node's local derivatives.

``topo_order(root)`` is the single deterministic, iterative topological order that
backward, the stepper, the drawings, gradcheck and the CLI all share: children before
parents, the root last. Node ``#k`` everywhere in the project is index ``k`` in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ops import FLOAT

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["children_of", "local_partials", "topo_order"]


def children_of(node: Value) -> tuple[Value, ...]:
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


def topo_order(root: Value) -> list[Value]:
    """Every node reachable from ``root``, each once, children before parents.

    The same order a recursive depth-first post-order walk gives (inputs visited left
    to right), computed with an explicit stack so a 1,000,000-deep chain is fine.
    """
    order: list[Value] = []
    append = order.append
    state: dict[Value, bool] = {}  # False: expanded, inputs pending; True: placed
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = stack[-1]
        seen = state.get(node)
        if seen is None:
            fn = node._fn
            if fn is None:
                state[node] = True
                pop()
                append(node)
                continue
            state[node] = False
            arity = fn.arity
            if arity == 2:
                b = node._b
                if b not in state:
                    push(b)
                a = node._a
                if a not in state:
                    push(a)
            elif arity == 1:
                a = node._a
                if a not in state:
                    push(a)
            else:
                children = node._a
                # Leading leaves go straight into the order (as the recursive walk would
                # place them), sparing wide nodes like dot a push and pop per input.
                i = 0
                for child in children:
                    if child not in state:
                        if child._fn is not None:
                            break
                        state[child] = True
                        append(child)
                    i += 1
                for child in reversed(children[i:]):
                    if child not in state:
                        push(child)
        else:
            pop()
            if not seen:
                state[node] = True
                append(node)
    return order


def local_partials(node: Value, F: Any = FLOAT) -> tuple[tuple[Value, ...], tuple[Any, ...]]:
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
