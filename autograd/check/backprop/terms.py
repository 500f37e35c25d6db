"""The loss as a tree of terms: what a gradient that "drops a term" leaves out.

A loss written ``np.mean((out - y) ** 2) + lam * np.sum(W ** 2)`` is a sum; each of its
addends, and each addend of those (through ``+``, ``-``, ``sum`` and scaling by a
constant), is a term. Dropping a term is backward with its gradient set to zero;
keeping only one is zeroing its siblings on the way up.

>>> from autograd import Value
>>> a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
>>> tree = term_tree((a * a + b * b) * 0.5 + c, {a, b, c})
>>> [(term.data, part_of.data) for term, part_of in tree.items()]
[(2.5, 5.5), (3.0, 5.5), (1.0, 2.5), (4.0, 2.5)]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...arrays import Record
from ...engine import Value
from ...graph import children_of

__all__ = ["describe", "drop", "keep_only", "term_tree"]

CAP = 16  # terms at most: a per-sample sum of a large batch is not split


def _addends(node: Value, params: set[Value]) -> list[Value]:
    """The non-constant addends of ``node``, looking through scaling by constants."""
    while True:
        kids = children_of(node)
        live = [c for c in kids if c.op or c in params]
        if node.op in ("add", "sub", "sum"):
            return live
        scale = node.op in ("mul", "neg") or (node.op == "div" and kids[0] in live)
        if not (scale and len(live) == 1):
            return []
        node = live[0]


def term_tree(loss: Value, params: set[Value]) -> dict[Value, Value]:
    """Each term of the loss (breadth first) mapped to the term or loss it is part of."""
    parent: dict[Value, Value] = {}
    queue = [loss]
    while queue:
        node = queue.pop(0)
        kids = [k for k in dict.fromkeys(_addends(node, params)) if k not in parent]
        if len(kids) >= 2 and len(parent) + len(kids) <= CAP:
            for k in kids:
                parent[k] = node
            queue += kids
    return parent


_ZERO: Callable[[float], Any] = lambda g: 0.0


def drop(term: Value) -> dict[Value, Callable[[float], Any]]:
    """Hooks leaving ``term`` out of the gradient."""
    return {term: _ZERO}


def keep_only(term: Value, tree: dict[Value, Value]) -> dict[Value, Callable[[float], Any]]:
    """Hooks leaving out everything but ``term``: its siblings, and its ancestors'."""
    path = [term]
    while path[-1] in tree:
        path.append(tree[path[-1]])
    on_path = set(path)
    return {t: _ZERO for t, p in tree.items() if p in on_path and t not in on_path}


def describe(term: Value, tape: list[Record]) -> str:
    """A term by the expression that made it (recorded array expressions joined by the
    scalar arithmetic around them), and its value."""
    made = {rec.out[()]: rec.expr for rec in tape if rec.out.shape == ()}
    text = _spell(term, made, 8)
    return f"`{text}` (worth {term.data:.4g})" if text else \
        f"a {term.op or 'leaf'} worth {term.data:.4g}"


_SYMBOLS = {"add": " + ", "sub": " - ", "mul": " * ", "div": " / "}


def _spell(node: Value, made: dict[Value, str], depth: int) -> str | None:
    """``node`` as an expression over recorded ones, or None past ``depth`` levels."""
    if node in made:
        return made[node]
    if not node.op:
        return None if node.label else f"{node.data:g}"
    kids = children_of(node)
    if depth == 0 or node.op not in (*_SYMBOLS, "neg") or len(kids) > 2:
        return None
    parts = [_spell(c, made, depth - 1) for c in kids]
    if any(p is None for p in parts):
        return None
    if node.op == "neg":
        return f"-({parts[0]})"
    if node.op == "add" and "0" in parts:  # Python's sum() starts from 0
        return parts[1 - parts.index("0")]
    inner = [f"({p})" if node.op in ("mul", "div") and " + " in p else p for p in parts]
    return _SYMBOLS[node.op].join(inner)
