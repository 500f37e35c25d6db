"""Reverse-mode accumulation: the chain rule, applied over the walk's order.

Following ``backward(root)`` takes three rooms, each below the last: this one, the walk
(:mod:`autograd.graph`) and the node's storage (:mod:`autograd.node`). The chain rule is
written twice here, once per need, over the op table's pure partials:

* :func:`chain_rule`: a tight float loop, reading each node's layout itself (a call per
  node to a general reader would cost a third of backward). It runs when no hook is
  registered and anomaly mode is off (the common case), and it is micrograd's
  ``node._backward()`` too, over a one-node order;
* :func:`propagate`: this call's gradients in a dict, with hooks, anomaly checks, and a
  ``Value`` math namespace for ``create_graph=True`` (higher order).

Both add this call's gradients into ``.grad`` the same way, so results are identical.
The stepper's generator (:mod:`autograd.trace`) is the third copy: it yields each step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .errors import HookError, describe_node
from .graph import _PLACED as PLACED
from .graph import WALK_LOCK, InterruptGuard, rollback, topo_order, visit
from .modes import MODES
from .node import Meta, Node, contributions, local_partials, meta
from .ops import BINARY, CLOSURE, FLOAT, LEFT_CONST, OPS, RIGHT_CONST, UNARY, const_view
from .real import as_real

__all__ = ["RemovableHandle", "add_hook", "backward", "chain_rule", "propagate"]

_live_hooks = 0  # hooks registered and not removed; when 0 the fast loop runs

# The rows whose partials chain_rule writes out, in each layout they come in.
ADD, MUL, RELU, TANH = OPS["add"], OPS["mul"], OPS["relu"], OPS["tanh"]
ADD_RIGHT, ADD_LEFT = const_view(ADD, RIGHT_CONST), const_view(ADD, LEFT_CONST)
MUL_RIGHT, MUL_LEFT = const_view(MUL, RIGHT_CONST), const_view(MUL, LEFT_CONST)
SUB_RIGHT = const_view(OPS["sub"], RIGHT_CONST)


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` unregisters the hook (idempotent)."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks: list, hook: Callable[[float], Any]) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        global _live_hooks
        if self._hooks is not None:
            self._hooks.remove(self._hook)
            self._hooks = None
            _live_hooks -= 1


def add_hook(node: Node, hook: Callable[[float], Any]) -> RemovableHandle:
    global _live_hooks
    if not callable(hook):
        raise HookError(
            f"register_hook: expected a callable, got {hook!r} on {describe_node(node)}")
    record = meta(node)
    if record.hooks is None:
        record.hooks = []
    record.hooks.append(hook)
    _live_hooks += 1
    return RemovableHandle(record.hooks, hook)


def _run_hooks(node: Node, grad: Any, F: Any = FLOAT) -> Any:
    """Apply the node's hooks in order; a returned number replaces the gradient.

    On the float path the result is kept a float, so ``.grad`` never becomes a Value.
    """
    for hook in node._meta.hooks:
        result = hook(grad)
        if result is None:
            continue
        if type(result) is bool or not isinstance(result, (int, float, Node)) and not (
            hasattr(result, "__float__") and hasattr(result, "dtype")
        ):
            raise HookError(
                f"hook {getattr(hook, '__name__', hook)!r} on {describe_node(node)} returned "
                f"{result!r} ({type(result).__name__}); a hook must return a number or None")
        grad = result if isinstance(result, Node) and F is not FLOAT else float(result)
    return grad


def backward(root: Node, grad: Any = 1.0) -> None:
    """Add d(root)/d(node) * grad into every reachable node's ``.grad``.

    Gradients accumulate across calls, as in PyTorch: calling it twice on
    ``y = x * x`` doubles ``x.grad``. Iterative: a 1,000,000-node chain is fine. All or
    nothing: if a rule raises or Ctrl-C interrupts the call (any number of times), every
    ``.grad`` is left as it was before it. Calls from several threads take turns, so
    graphs sharing parameters never lose an update.
    """
    if type(grad) is not float:
        grad = as_real(grad, "backward(grad=...)")
    # This frame is the only one between the caller and the work, and its ``try`` covers
    # every point where an interrupt can be raised until the gradients are committed.
    order: list[Node] = []  # op nodes, children first (the leaves go to ``leaves``)
    leaves: list[Node] = []
    stack, kept, olds = [root], [], []
    guard = InterruptGuard()
    guard.hold(WALK_LOCK)  # Ctrl-C held until open(); the lock is ours until release()
    try:
        guard.open()
        if MODES.anomaly_check is not None or _live_hooks:
            nodes = topo_order(root)
            if MODES.anomaly_check is not None or _has_hooks(nodes):
                grads = propagate(nodes, root, grad)
                nodes = [node for node in nodes if node in grads]
                olds = [node.grad for node in nodes]
                kept = nodes
                _commit(nodes, [grads[node] for node in nodes])
                return
        visit(order, leaves, stack, kept, olds)  # every grad is now the walk's 0.0 mark
        root.grad = grad
        chain_rule(order)
        _commit(kept, olds)  # this call's gradients plus the old ones
    except BaseException:  # a failing rule, Ctrl-C: leave every .grad as it was
        guard.closing = True  # a plain store: no Ctrl-C can land before it
        rollback(order + leaves, stack, kept, olds)
        raise
    finally:
        guard.closing = True
        guard.release(WALK_LOCK)


def _has_hooks(order: list[Node]) -> bool:
    """Whether any node of this graph has a hook (checked only while hooks exist at all:
    a hooked node freed without ``remove()`` must not slow every later backward)."""
    return any(type(n._b) is Meta and n._b.hooks for n in order)


def _commit(nodes: list[Node], values: list[Any]) -> None:
    """Add ``values`` into the nodes' grads (rollback can undo it at any point)."""
    for node, value in zip(nodes, values):
        node.grad += value


def chain_rule(order: list[Node]) -> None:
    """Every op node of ``order`` (no leaves), last first, passes its grad on:
    ``input.grad += node.grad * d(node)/d(input)``.

    The rows users write most (``+``, ``-``, ``*`` with a Value or a number, ``relu``,
    ``tanh``) have their partials written out here: a call to the row's ``partials``
    would be most of such a node's cost. Each is the row's rule to the bit (a test holds
    them to it); every other row goes through its ``partials``.
    """
    F = FLOAT
    mul, add, mul_right, add_right, relu = MUL, ADD, MUL_RIGHT, ADD_RIGHT, RELU
    for node in reversed(order):
        fn = node._fn
        g = node.grad
        if fn is mul:
            a = node._a
            b = node._b
            a.grad += g * b.data
            b.grad += g * a.data
            continue
        if fn is add:
            a = node._a
            a.grad += g
            node._b.grad += g
            continue
        if fn is mul_right:
            a = node._a
            a.grad += g * node._b
            continue
        if fn is add_right:
            a = node._a
            a.grad += g
            continue
        if fn is relu:
            a = node._a
            a.grad += g * 0.0 if a.data <= 0 else g
            continue
        layout = fn.layout
        if layout == RIGHT_CONST or layout == LEFT_CONST:  # a number folded in, in _b
            a = node._a
            if fn is MUL_LEFT:
                a.grad += g * node._b
            elif fn is ADD_LEFT or fn is SUB_RIGHT:
                a.grad += g
            elif layout == RIGHT_CONST:  # the row's rule as for two inputs
                a.grad += g * fn.partials(F, a.data, node._b, node.data)[0]
            else:
                a.grad += g * fn.partials(F, node._b, a.data, node.data)[1]
        elif layout == BINARY:
            a = node._a
            b = node._b
            pa, pb = fn.partials(F, a.data, b.data, node.data)
            a.grad += g * pa
            b.grad += g * pb
        elif layout == UNARY:
            a = node._a
            if fn is TANH:
                out = node.data
                a.grad += g * (1.0 - out * out)
            else:
                (pa,) = fn.partials(F, a.data, node.data)
                a.grad += g * pa
        elif layout == CLOSURE:  # micrograd-style: the node's closure applies its step
            closure = node._b.backward
            if closure is not None:
                closure()
            for child in node._a:  # an input it left alone must not keep the walk's mark
                if child.grad is PLACED:
                    child.grad = 0.0
        else:  # TUPLE
            children = node._a
            partials = fn.partials(F, [c.data for c in children], node.data)
            for child, p in zip(children, partials):
                child.grad += g * p


def propagate(order: list[Node], root: Node, seed: Any, F: Any = FLOAT,
              hooks: bool = True) -> dict[Node, Any]:
    """This call's gradient of ``root`` by every node in ``order``, as a dict.

    ``.grad`` is not touched. With ``F`` the Value math namespace and a ``Value`` seed,
    the gradients are ``Value``s carrying their own graph (``create_graph=True``).
    """
    grads: dict[Node, Any] = {root: seed}
    check = MODES.anomaly_check
    for node in reversed(order):
        g = grads.get(node)
        if g is None:
            continue
        if hooks and node._meta is not None and node._meta.hooks:
            g = grads[node] = _run_hooks(node, g, F)
        if node._fn is None:
            continue
        if node._fn.layout == CLOSURE and F is FLOAT:
            for child, contribution in zip(node._a, contributions(node, g)):
                if check is not None:
                    check(node, child, contribution / g if g else 0.0, contribution)
                prev = grads.get(child)
                grads[child] = contribution if prev is None else prev + contribution
            continue
        children, partials = local_partials(node, F)
        for child, p in zip(children, partials):
            contribution = g * p
            if check is not None:
                check(node, child, p, contribution)
            prev = grads.get(child)
            grads[child] = contribution if prev is None else prev + contribution
    return grads


def is_finite(x: Any) -> bool:
    """True for a finite float or a Value holding one."""
    return math.isfinite(x if type(x) is float else float(x))
