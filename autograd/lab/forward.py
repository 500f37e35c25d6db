"""The forward pass again over a graph already built: how the lab's sliders and gradient
steps move every value without building a new graph (so the layout stays)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import describe_node
from ..graph import children_of
from ..ops import TUPLE

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["recompute"]


def recompute(order: list[Value]) -> None:
    """The forward pass again over a built graph, with each op's table forward and domain
    check (a bad input raises the op's typed error naming the node)."""
    for node in order:
        fn = node._fn
        if fn is None:
            continue
        kids = children_of(node)
        xs = [c.data for c in kids]
        if fn.check is not None:
            bad = fn.check(*xs)
            if bad is not None:
                cls, index, message = bad
                raise cls(message.replace("{node}", describe_node(kids[index])))
        node.data = fn.forward(xs) if fn.layout == TUPLE else fn.forward(*xs)
