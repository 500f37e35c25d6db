"""micrograd-style nodes: an op whose rule is the node's own ``_backward`` closure.

micrograd defines an op by building ``out = Value(data, (self,), 'exp')`` and assigning
``out._backward``, a closure adding ``out.grad * local`` into each input's ``.grad``.
Such nodes (arity ``CLOSURE``, see :mod:`autograd.node`) run their closure in
``backward()``; readers that want per-input numbers get them by running the closure
once with the inputs' grads set aside (:func:`contributions`). The other direction:
``node._backward()`` on an op-table node applies that node's one chain-rule step
(:func:`chain_step`), as the micrograd lecture does by hand.
"""

from __future__ import annotations

from typing import Any

from .errors import OpDefinitionError, describe_node
from .node import CLOSURE, Node
from .ops import Op

__all__ = ["CLOSURE_OP", "chain_step", "contributions", "nothing"]


def _no_forward(*args: Any) -> float:
    raise OpDefinitionError("a micrograd-style node (Value(data, children, op) with its own "
                            "_backward) has no forward rule to evaluate")


def _no_partials(*args: Any) -> Any:
    raise OpDefinitionError("a micrograd-style node's derivative is its _backward closure")


CLOSURE_OP = Op("_backward", CLOSURE, _no_forward, _no_partials, "", builtin=False,
                doc="an op given by its node's _backward closure, as micrograd defines ops")


def nothing() -> None:
    """micrograd's default ``_backward``: a leaf passes nothing on."""


def contributions(node: Node, upstream: float) -> list[float]:
    """What the node's closure adds into each input's grad when the node's grad is
    ``upstream``: one number per input edge (a repeated input gets its total once).

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
    out = []
    for k in kids:
        out.append(got.pop(k, 0.0))
    return out


def chain_step(node: Node) -> None:
    """micrograd's ``node._backward()`` for an op-table node: each input's
    ``.grad += node.grad * d(node)/d(input)``."""
    from .graph import local_partials

    children, partials = local_partials(node)
    g = node.grad
    for child, local in zip(children, partials):
        child.grad += g * local
