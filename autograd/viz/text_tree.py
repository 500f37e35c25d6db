"""``draw_text``: a graph as an indented text tree, for terminals (no Graphviz needed).

Each line reads ``#k label [op] data ... grad ...`` with ``#k`` the node's number in
``topo_order``; a node reached a second time is written ``(see #k)`` instead of again.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x + 1
>>> y.label = "y"
>>> y.backward()
>>> print(draw_text(y))
#3 y [+] data 5.0000 grad 1.0000
├─ #1 [*] data 4.0000 grad 1.0000
│  ├─ #0 x data 2.0000 grad 4.0000
│  └─ (see #0 x)
└─ #2 data 1.0000 grad 1.0000
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputTypeError
from ..graph import children_of, topo_order
from .labels import fmt_num

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["draw_text"]


def draw_text(root: Value, show_grad: bool = True, max_depth: int = 50) -> str:
    """The graph under ``root`` as an indented tree, root first, inputs below.

    Iterative, so any depth works; branches deeper than ``max_depth`` are cut with a
    ``…`` marker and a footer counts the nodes not shown.
    """
    if not hasattr(root, "grad") or not hasattr(root, "children"):
        raise InputTypeError(f"draw_text expects a Value, got {root!r} ({type(root).__name__})")
    order = topo_order(root)
    number = {node: k for k, node in enumerate(order)}
    fresh = show_grad and all(node.grad == 0.0 for node in order)
    lines: list[str] = []
    shown: set[Value] = set()
    cut = False
    stack: list[tuple[Value, str, str, int]] = [(root, "", "", 0)]
    while stack:
        node, lead, prefix, depth = stack.pop()
        k = number[node]
        if node in shown:
            lines.append(f"{lead}(see #{k}{' ' + node.label if node.label else ''})")
            continue
        shown.add(node)
        parts = [f"#{k}"]
        if node.label:
            parts.append(node.label)
        if node.op:
            parts.append(f"[{node._op}]")
        parts.append(f"data {fmt_num(node.data)}")
        if show_grad:
            parts.append("grad " + ("—" if fresh else fmt_num(node.grad)))
        lines.append(lead + " ".join(parts))
        kids = children_of(node)
        if kids and depth >= max_depth:
            lines.append(f"{prefix}└─ … (inputs of #{k} not shown: deeper than "
                         f"max_depth={max_depth})")
            cut = True
            continue
        for i in reversed(range(len(kids))):
            last = i == len(kids) - 1
            stack.append((kids[i], prefix + ("└─ " if last else "├─ "),
                          prefix + ("   " if last else "│  "), depth + 1))
    if cut:
        hidden = len(order) - len(shown)
        lines.append(f"({hidden:,} of {len(order):,} nodes not shown: pass a larger max_depth)")
    if fresh:
        lines.append("(grad —: backward() has not run yet)")
    return "\n".join(lines)
