"""What micrograd code touches on a node: closure ops, the constructor's extra arguments,
attributes like ``p.m``.

micrograd defines an op by building ``out = Value(data, (self,), 'exp')`` and assigning
``out._backward``, a closure adding ``out.grad * local`` into each input's ``.grad``.
Such nodes (layout ``CLOSURE``, see :mod:`autograd.ops`) run their closure in
``backward()``; readers that want per-input numbers get them by running the closure
once with the inputs' grads set aside (:func:`autograd.node.contributions`). The other
direction, ``node._backward()`` on an op-table node, is backward's own chain rule over
that one node (``Value._backward``), as the micrograd lecture applies it by hand.

micrograd's constructor ``Value(data, _children, _op, label)`` makes such a node
(:func:`micrograd_init`), and attributes micrograd-style code stores on Values live in
the node's extras record (:class:`Attribute`).
"""

from __future__ import annotations

from typing import Any

from .errors import InputTypeError, OpDefinitionError
from .node import Meta, Node, extras, meta
from .ops import CLOSURE, Op

__all__ = ["CLOSURE_OP", "Attribute", "inputs", "micrograd_init", "nothing", "to_closure"]


def _no_forward(*args: Any) -> float:
    raise OpDefinitionError("a micrograd-style node (Value(data, children, op) with its own "
                            "_backward) has no forward rule to evaluate")


def _no_partials(*args: Any) -> Any:
    raise OpDefinitionError("a micrograd-style node's derivative is its _backward closure")


CLOSURE_OP = Op("_backward", None, _no_forward, _no_partials, "", builtin=False,
                doc="an op given by its node's _backward closure, as micrograd defines ops",
                layout=CLOSURE)


def nothing() -> None:
    """micrograd's default ``_backward``: a leaf passes nothing on."""


def inputs(items: Any) -> tuple[Node, ...]:
    """micrograd's ``_children``: an iterable of Values (a set works; order is kept)."""
    try:
        kids = tuple(items)
    except TypeError:
        raise InputTypeError(f"Value() _children must be a tuple of Values, got {items!r} "
                             f"({type(items).__name__})") from None
    for k in kids:
        if not isinstance(k, Node):
            raise InputTypeError(f"Value() _children must hold Values, got {k!r} "
                                 f"({type(k).__name__})")
    return kids


def micrograd_init(v: Node, children: Any, op: Any, label: Any) -> None:
    """The rest of ``Value(data, _children, _op, label)`` when any of them is given."""
    if type(children) is str:  # Value(2.0, "x"): the label, as this project always took it
        if label:
            raise InputTypeError(f"Value() got two labels, {children!r} and {label!r}")
        children, label = (), children
    if type(label) is not str:
        raise InputTypeError(f"Value() label must be a str, got {label!r} ({type(label).__name__})")
    if type(op) is not str:
        raise InputTypeError(f"Value() _op must be a str, got {op!r} ({type(op).__name__})")
    kids = inputs(children)
    record = Meta(label)
    record.symbol = op if op else None
    v._b = record
    if kids:
        v._a, v._fn = kids, CLOSURE_OP


def to_closure(v: Node, kids: tuple[Node, ...]) -> None:
    """Make ``v`` a micrograd-style node with inputs ``kids``, keeping label, hooks and
    what ``_op`` shows."""
    symbol = v._op
    record = extras(v) or Meta()
    record.symbol = symbol or None
    v._a, v._b, v._fn = kids, record, CLOSURE_OP


class Attribute:
    """A user attribute on Values (``p.m``), kept in the node's extras record."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, node: Any, owner: Any = None) -> Any:
        if node is None:
            return self
        record = extras(node)
        attrs = record.attrs if record is not None else None
        if attrs is None or self.name not in attrs:
            raise AttributeError(f"'{type(node).__name__}' object has no attribute {self.name!r}")
        return attrs[self.name]

    def __set__(self, node: Any, value: Any) -> None:
        record = meta(node)
        if record.attrs is None:
            record.attrs = {}
        record.attrs[self.name] = value

    def __delete__(self, node: Any) -> None:
        record = extras(node)
        if record is None or not record.attrs or self.name not in record.attrs:
            raise AttributeError(self.name)
        del record.attrs[self.name]
