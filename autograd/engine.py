"""``Value``: a scalar that records the operations applied to it, so gradients can flow back.

Its storage is :class:`autograd.node.Node` (five slots, no closure, no cycle: 120 bytes
with data and grad, freed by reference counting alone); this module adds the arithmetic,
generated from the op table, and the entry points to backward.

>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .backward import add_hook, backward
from .errors import InputTypeError, describe_node
from .node import Node, _Meta, children_of, extras, meta
from .ops import OPS, Op, bind

__all__ = ["Value", "apply", "as_real"]

Number = int | float

# Grad mode: the number of ``no_grad`` blocks open in any thread or task, and this
# context's innermost block (read only while the count is not 0: see autograd.modes).
_paused = 0


class NoGradBlock:
    """One entered ``no_grad`` block: open until its ``with`` exits."""

    __slots__ = ("open", "outer")

    def __init__(self, outer: NoGradBlock | None) -> None:
        self.open, self.outer = True, outer


no_grad_block: ContextVar[NoGradBlock | None] = ContextVar("autograd_no_grad", default=None)
_innermost = no_grad_block.get


def recording() -> bool:
    """Whether ops build a graph in this thread or task: no enclosing block is open."""
    block = _innermost()
    while block is not None:
        if block.open:
            return False
        block = block.outer
    return True


_on_create: Callable[[Value], None] | None = None  # set by anomaly mode to record origins



def as_real(x: Any, where: str) -> float:
    """``x`` as a float if it is a real number (bool excluded), else a clear TypeError."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool) and type(x).__name__ != "bool_":
        try:
            return float(x)
        except OverflowError:
            return float("inf") if x > 0 else float("-inf")
    raise InputTypeError(f"{where} expects a real number, got {x!r} ({type(x).__name__})")


class Value(Node):
    """A scalar in a computation graph: ``data``, and ``grad`` filled in by ``backward``.

    Gradients *accumulate*, as in PyTorch: every ``backward()`` adds its gradients into
    ``.grad``; reset with ``v.grad = 0.0`` or a module's ``zero_grad()``.
    """

    __slots__ = ()
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else as_real(data, "Value()")
        self.grad = 0.0
        self._a = self._fn = None
        if type(label) is not str:
            raise InputTypeError(
                f"Value() label must be a str, got {label!r} ({type(label).__name__})")
        self._b = _Meta(label) if label else None
        if _on_create is not None:
            _on_create(self)

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
    def _meta(self) -> _Meta | None:
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
        """micrograd's name for ``children`` (a tuple here, so order and repeats survive)."""
        return self.children

    @property
    def _op(self) -> str:
        """micrograd's op string: ``'+'``, ``'*'``, ``'**2'``, ``'ReLU'``; ``''`` for a leaf."""
        return self._fn.symbol if self._fn is not None else ""

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

    # Operators are generated below from the op table (``_operator``), so each builds its
    # node inline: ``a + 2`` wraps 2 as a constant leaf, as micrograd does.
    def __pow__(self, other: Value | Number) -> Value:
        if type(other) is Value:
            return _powv(self, other)
        return _unary(bind(_POW, as_real(other, "pow exponent")), self)

    def __rpow__(self, other: Number) -> Value:
        return _powv(_operand(other, "pow"), self)

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

    if TYPE_CHECKING:  # generated from the op table below; listed for type checkers

        def __add__(self, other: Value | Number) -> Value: ...
        def __radd__(self, other: Number) -> Value: ...
        def __sub__(self, other: Value | Number) -> Value: ...
        def __rsub__(self, other: Number) -> Value: ...
        def __mul__(self, other: Value | Number) -> Value: ...
        def __rmul__(self, other: Number) -> Value: ...
        def __truediv__(self, other: Value | Number) -> Value: ...
        def __rtruediv__(self, other: Number) -> Value: ...
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


_new = object.__new__


def _node(data: float, a: Any, b: Any, fn: Op) -> Value:
    """Make an op's output node (a leaf under ``no_grad``)."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    if _paused and ((block := _innermost()) is not None and block.open or not recording()):
        v._a = v._b = v._fn = None
    else:
        v._a = a
        v._b = b
        v._fn = fn
    if _on_create is not None:
        _on_create(v)
    return v


def _fail(bad: tuple[type[Exception], int, str], inputs: Sequence[Value]) -> None:
    cls, index, message = bad
    raise cls(message.replace("{node}", describe_node(inputs[index])))


def _unary(op: Op, a: Value) -> Value:
    x = a.data
    if op.check is not None:
        bad = op.check(x)
        if bad is not None:
            _fail(bad, (a,))
    return _node(op.forward(x), a, None, op)


def nary(op: Op, inputs: tuple[Value, ...]) -> Value:
    """Apply a variadic op to a tuple of Values (its children, in order)."""
    xs = [v.data for v in inputs]
    if op.check is not None:
        bad = op.check(*xs)
        if bad is not None:
            _fail(bad, inputs)
    return _node(op.forward(xs), inputs, None, op)


def _operator(op: Op) -> Callable[[Any, Any], Value]:
    """The function applying a binary op to two Values or numbers (numbers become
    constant leaves); it is also the op's dunder (``Value.__mul__``)."""
    forward, check, name = op.forward, op.check, op.name

    def apply(a: Any, b: Any) -> Value:
        if type(b) is not Value:
            b = _operand(b, name)
        if type(a) is not Value:
            a = _operand(a, name)
        x = a.data
        y = b.data
        if check is not None:
            bad = check(x, y)
            if bad is not None:
                _fail(bad, (a, b))
        return _node(forward(x, y), a, b, op)

    apply.__name__ = name
    return apply


def _reflected(apply: Callable[[Any, Any], Value]) -> Callable[[Any, Any], Value]:
    """The reflected dunder (``2 * x`` calls ``x.__rmul__(2)``): operands swapped back."""

    def reflected(self: Value, other: Any) -> Value:
        return apply(other, self)

    reflected.__name__ = f"__r{apply.__name__}__"
    return reflected


def _function(op: Op) -> Callable[..., Value]:
    """The function (and ``Value`` method) applying a unary op."""
    if op.param is not None:
        default, pname = op.default, op.param

        def apply_bound(self: Value, *args: Any, **kwargs: Any) -> Value:
            if len(args) + len(kwargs) > 1 or (kwargs and pname not in kwargs):
                raise InputTypeError(f"{op.name}() takes one optional argument {pname}=")
            p = args[0] if args else kwargs.get(pname, default)
            return _unary(bind(op, as_real(p, f"{op.name} {pname}")), self)

        apply_bound.__name__, apply_bound.__doc__ = op.name, op.doc
        return apply_bound
    def apply(self: Value) -> Value:
        return _unary(op, self if type(self) is Value else _operand(self, op.name))

    apply.__name__, apply.__doc__ = op.name, op.doc
    return apply


_JUST_VALUE = {Value}


def apply(op: Op, *inputs: Any) -> Value:
    """Apply any op row (built-in, bound or custom) to Values or numbers: the generic path."""
    if op.arity == 1:
        return _unary(op, _operand(inputs[0], op.name))
    if op.arity == 2:
        return _operator(op)(*inputs)
    return nary(op, values(inputs, f"{op.name}: input"))


def _operand(x: Any, op: str) -> Value:
    """A number used as an operand becomes a constant leaf (as in micrograd)."""
    if type(x) is Value:
        return x
    return Value(as_real(x, f"{op}: operand"))


def _number(x: Any) -> float:
    return x.data if type(x) is Value else as_real(x, "comparison")


def values(items: Iterable[Any], where: str) -> tuple[Value, ...]:
    """Items as a tuple of Values, numbers becoming constant leaves."""
    t = tuple(items)
    if set(map(type, t)) <= _JUST_VALUE:  # the common case, checked at C speed
        return t
    return tuple(v if type(v) is Value else Value(as_real(v, where)) for v in t)



_POW, _POWV = OPS["pow"], OPS["powv"]
_powv = _operator(_POWV)

for _name, _dunder in [("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "truediv")]:
    _apply = _operator(OPS[_name])
    setattr(Value, f"__{_dunder}__", _apply)
    setattr(Value, f"__r{_dunder}__", _reflected(_apply))
Value.__neg__ = _function(OPS["neg"])  # type: ignore[method-assign]
Value.__abs__ = _function(OPS["abs"])  # type: ignore[method-assign]
for _op in list(OPS.values()):
    if _op.method:
        setattr(Value, _op.name, _function(_op))

