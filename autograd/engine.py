"""``Value``: a scalar that records the operations applied to it, so gradients can flow back.

Its storage is :class:`autograd.node.Node` (five slots, no closure, no cycle: 96 bytes
with its data, 120 once backward gives it a grad, freed by reference counting alone);
this module adds the user-facing attributes, micrograd's among them, and gets the
arithmetic, generated from the op table, by one call to :func:`autograd.build.attach`
right after the class.

>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .backward import add_hook, backward, chain_rule
from .build import attach
from .errors import InputTypeError
from .micrograd import Attribute, inputs, micrograd_init, nothing, to_closure
from .modes import MODES
from .node import Meta, Node, children_of, extras, meta
from .ops import BINARY, CLOSURE, UNARY
from .real import as_real

__all__ = ["BUILD", "Value", "apply", "as_real", "set_notebook_display"]

Number = int | float


class Value(Node):
    """A scalar in a computation graph: ``data``, and ``grad`` filled in by ``backward``.

    Gradients *accumulate*, as in PyTorch: every ``backward()`` adds its gradients into
    ``.grad``; reset with ``v.grad = 0.0`` or a module's ``zero_grad()``. The constructor
    is micrograd's, ``Value(data, _children=(), _op='', label='')``; a str second
    argument is the label (``Value(2.0, "x")``).
    """

    __slots__ = ()
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v

    def __init__(self, data: Number, _children: Iterable[Value] = (), _op: str = "",
                 label: str = "") -> None:
        self.data = data if type(data) is float else as_real(data, "Value()")
        self.grad = 0.0
        self._a = self._b = self._fn = None
        if _children or _op or label:
            micrograd_init(self, _children, _op, label)
        hook = MODES.on_create
        if hook is not None:
            hook(self)

    # -- attributes ----------------------------------------------------------------------

    @property
    def label(self) -> str:
        meta = self._meta
        return meta.label if meta is not None else ""

    @label.setter
    def label(self, text: str) -> None:
        if type(text) is not str:
            raise InputTypeError(f"label must be a str, got {text!r} ({type(text).__name__})")
        meta(self).label = text

    @property
    def _meta(self) -> Meta | None:
        """The node's extras record, or None (:mod:`autograd.node` says where it lives)."""
        return extras(self)

    @property
    def op(self) -> str:
        """The op's name (``"mul"``), ``""`` for a leaf."""
        return self._fn.name if self._fn is not None else ""

    @property
    def children(self) -> tuple[Value, ...]:
        """Inputs in order, with multiplicity: ``(a + a).children == (a, a)``."""
        return children_of(self)

    @property
    def _prev(self) -> tuple[Value, ...]:
        """micrograd's name for ``children`` (a tuple here, so order and repeats survive).

        Assigning it gives the node those inputs: an op node keeps its rule when their
        number is unchanged, else it becomes a micrograd-style node (see ``_backward``)."""
        return self.children

    @_prev.setter
    def _prev(self, new: Iterable[Value]) -> None:
        kids = inputs(new)
        fn = self._fn
        if fn is not None and fn.layout != CLOSURE and len(kids) == len(children_of(self)):
            fn = self._fn  # (children_of may have given a folded number its own leaf)
            if fn.layout == BINARY:
                self._a, self._b = kids
            else:
                self._a = kids[0] if fn.layout == UNARY else kids
        elif kids or fn is not None:
            to_closure(self, kids)

    @property
    def _op(self) -> str:
        """micrograd's op string: ``'+'``, ``'*'``, ``'**2'``, ``'ReLU'``; ``''`` for a leaf.

        Assignable, as in micrograd; it changes what drawings show, not the rule."""
        record = extras(self)
        if record is not None and record.symbol is not None:
            return record.symbol
        return self._fn.symbol if self._fn is not None else ""

    @_op.setter
    def _op(self, text: str) -> None:
        if type(text) is not str:
            raise InputTypeError(f"_op must be a str, got {text!r} ({type(text).__name__})")
        meta(self).symbol = text

    @property
    def _backward(self) -> Callable[[], None]:
        """micrograd's per-node step: calling it adds ``self.grad * d(self)/d(input)`` into
        each input's ``.grad`` (the op table's rule), as the lecture does by hand.

        Assign a closure to define the node's rule micrograd's way (``out =
        Value(data, (a,), 'exp'); out._backward = fn``): ``backward()``, the stepper and
        the drawings then run it; on a leaf it is kept and never needed."""
        fn = self._fn
        if fn is None or fn.layout == CLOSURE:
            record = extras(self)
            return record.backward if record is not None and record.backward else nothing
        return functools.partial(chain_rule, [self])  # backward's own loop, over this node

    @_backward.setter
    def _backward(self, closure: Callable[[], None]) -> None:
        if not callable(closure):
            raise InputTypeError(f"_backward must be a callable taking no arguments, got "
                                 f"{closure!r} ({type(closure).__name__})")
        fn = self._fn
        if fn is not None and fn.layout != CLOSURE:
            to_closure(self, tuple(children_of(self)))
        meta(self).backward = closure

    @classmethod
    def allow_attributes(cls, *names: str) -> None:
        """Let Values carry the attributes ``names``, as micrograd's do (``p.m = 0.0``).

        ``m``, ``v`` (an optimizer's moments) and ``_vis_color`` (micrograd's drawings)
        are allowed from the start. They are kept in the node's extras record, so nodes
        that never get one stay small; reading one that was never set raises
        AttributeError, so ``hasattr`` works. (A per-node ``__dict__`` would allow any
        name but cost 32 bytes on every node; a subclass of ``Value`` has one.)

        >>> Value.allow_attributes("velocity")
        >>> p = Value(1.0)
        >>> hasattr(p, "velocity"), setattr(p, "velocity", 0.5), p.velocity
        (False, None, 0.5)
        """
        for name in names:
            if not (type(name) is str and name.isidentifier()):
                raise InputTypeError(f"allow_attributes: names must be identifiers, got {name!r}")
            existing = getattr(cls, name, None)
            if existing is not None and not isinstance(existing, Attribute):
                raise InputTypeError(f"allow_attributes: {name!r} is already an attribute of "
                                     f"{cls.__name__}")
            setattr(cls, name, Attribute(name))

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __float__(self) -> float:
        return float(self.data)

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    def item(self) -> float:
        """The number held, as ``tensor.item()`` gives it in PyTorch."""
        return float(self.data)

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from this graph."""
        return Value(self.data)

    # -- arithmetic ----------------------------------------------------------------------

    # Operators and methods are generated from the op table (attach, below the class).
    def __pos__(self) -> Value:
        return self

    # Comparisons look at data; == and hash stay identity-based, so Values work in sets.
    def __lt__(self, other: Value | Number) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= _number(other)

    __hash__ = object.__hash__

    # -- gradients -----------------------------------------------------------------------

    backward = backward

    def register_hook(self, hook: Callable[[float], Any]) -> Any:
        """Call ``hook(grad)`` when this node's gradient is complete during backward.

        ``hook`` may return a number that replaces the gradient. Returns a handle
        whose ``remove()`` unregisters it.
        """
        return add_hook(self, hook)

    def _repr_svg_(self) -> str | None:
        """In a notebook a Value shows itself as its graph: SVG from the drawing that
        :func:`set_notebook_display` names (``autograd`` names ``viz``'s), else text."""
        return _display[0](self) if _display else None

    if TYPE_CHECKING:  # generated from the op table by attach(); a test checks this list

        def __add__(self, other: Value | Number) -> Value: ...
        def __radd__(self, other: Number) -> Value: ...
        def __sub__(self, other: Value | Number) -> Value: ...
        def __rsub__(self, other: Number) -> Value: ...
        def __mul__(self, other: Value | Number) -> Value: ...
        def __rmul__(self, other: Number) -> Value: ...
        def __truediv__(self, other: Value | Number) -> Value: ...
        def __rtruediv__(self, other: Number) -> Value: ...
        def __pow__(self, other: Value | Number) -> Value: ...
        def __rpow__(self, other: Number) -> Value: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...

        def abs(self) -> Value: ...
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def relu(self) -> Value: ...
        def leaky_relu(self, slope: float = 0.01) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def softplus(self) -> Value: ...




BUILD = attach(Value)  # the operators and methods, generated from the op table
apply = BUILD.apply
Value.allow_attributes("m", "v", "_vis_color")

_display: list[Callable[[Value], str | None]] = []


def set_notebook_display(svg: Callable[[Value], str | None]) -> None:
    """Name the function that draws a Value as SVG for Jupyter (``_repr_svg_``); the
    engine imports no drawing code itself. ``autograd`` names ``autograd.viz``'s."""
    _display[:] = [svg]


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else as_real(x, "comparison")
