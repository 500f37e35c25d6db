"""How ops build nodes: ``Value``'s operators and methods, generated from the op table.

A number operand is folded into its node (``y * 1.0001`` is one node holding 1.0001, see
:mod:`autograd.node`): a graph written the way users write it, with a literal per step,
then has one object per op for the garbage collector instead of two. Grad mode is read
here too: ``_slow`` is False unless a ``no_grad`` block is open somewhere or anomaly mode
records origins, so the common path reads one global (:mod:`autograd.modes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any

from .engine import Value, as_real
from .errors import InputTypeError, describe_node
from .node import LEFT_CONST, RIGHT_CONST, const_view
from .ops import OPS, Op, bind

__all__ = ["apply", "nary", "no_grad_block", "recording", "values"]

_new = object.__new__
_paused = 0  # no_grad blocks open in any thread or task
_on_create: Callable[[Value], None] | None = None  # anomaly mode's origin recorder
_slow = False  # _paused or _on_create: the one global an op reads


class NoGradBlock:
    """One entered ``no_grad`` block: open until its ``with`` exits."""

    __slots__ = ("open", "outer")

    def __init__(self, outer: NoGradBlock | None) -> None:
        self.open, self.outer = True, outer


no_grad_block: ContextVar[NoGradBlock | None] = ContextVar("autograd_no_grad", default=None)
_innermost = no_grad_block.get


def recording() -> bool:
    """Whether ops build a graph in this thread or task: no enclosing block is open."""
    if not _paused:
        return True
    block = _innermost()
    while block is not None:
        if block.open:
            return False
        block = block.outer
    return True


def _finish(v: Value, a: Any, b: Any, fn: Op) -> Value:
    """The slow path of node creation: a leaf under ``no_grad``; the anomaly recorder."""
    if recording():
        v._a, v._b, v._fn = a, b, fn
    else:
        v._a = v._b = v._fn = None
    if _on_create is not None:
        _on_create(v)
    return v


def _node(data: float, a: Any, b: Any, fn: Op) -> Value:
    """Make an op's output node (a leaf under ``no_grad``)."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    if _slow:
        return _finish(v, a, b, fn)
    v._a = a
    v._b = b
    v._fn = fn
    return v


def _fail(bad: tuple[type[Exception], int, str], inputs: Sequence[Any]) -> None:
    cls, index, message = bad
    raise cls(message.replace("{node}", describe_node(inputs[index])))


def _unary(op: Op, a: Value) -> Value:
    x = a.data
    if op.check is not None:
        bad = op.check(x)
        if bad is not None:
            _fail(bad, (a,))
    v = _new(Value)
    v.data = op.forward(x)
    v.grad = 0.0
    if _slow:
        return _finish(v, a, None, op)
    v._a = a
    v._b = None
    v._fn = op
    return v


def nary(op: Op, inputs: tuple[Value, ...]) -> Value:
    """Apply a variadic op to a tuple of Values (its children, in order)."""
    xs = [v.data for v in inputs]
    if op.check is not None:
        bad = op.check(*xs)
        if bad is not None:
            _fail(bad, inputs)
    return _node(op.forward(xs), inputs, None, op)


def _constant(x: Any, name: str) -> float:
    return as_real(x, f"{name}: operand")


def _binary(op: Op) -> tuple[Callable[[Value, Any], Value], Callable[[Value, Any], Value]]:
    """The dunder pair of a binary op: ``a <op> b`` and the reflected ``b <op> a``, both
    called with the Value first (as Python calls ``__mul__`` and ``__rmul__``)."""
    forward, check, name = op.forward, op.check, op.name
    right, left = const_view(op, RIGHT_CONST), const_view(op, LEFT_CONST)

    # Node creation is written out in both (one Python call fewer per node than _node).
    def method(a: Value, b: Any) -> Value:
        x = a.data
        if type(b) is Value or isinstance(b, Value):
            y = b.data
            if check is not None:
                bad = check(x, y)
                if bad is not None:
                    _fail(bad, (a, b))
            v = _new(Value)
            v.data = forward(x, y)
            v.grad = 0.0
            if _slow:
                return _finish(v, a, b, op)
            v._a = a
            v._b = b
            v._fn = op
            return v
        y = b if type(b) is float else _constant(b, name)
        if check is not None:
            bad = check(x, y)
            if bad is not None:
                _fail(bad, (a, y))
        v = _new(Value)
        v.data = forward(x, y)
        v.grad = 0.0
        if _slow:
            return _finish(v, a, y, right)
        v._a = a
        v._b = y
        v._fn = right
        return v

    def reflected(a: Value, b: Any) -> Value:
        if isinstance(b, Value):
            return method(b, a)
        x = b if type(b) is float else _constant(b, name)
        y = a.data
        if check is not None:
            bad = check(x, y)
            if bad is not None:
                _fail(bad, (x, a))
        v = _new(Value)
        v.data = forward(x, y)
        v.grad = 0.0
        if _slow:
            return _finish(v, a, x, left)
        v._a = a
        v._b = x
        v._fn = left
        return v

    method.__name__, reflected.__name__ = f"__{name}__", f"__r{name}__"
    return method, reflected


def operator(op: Op) -> Callable[[Any, Any], Value]:
    """The function applying a binary op to two Values or numbers, in either order."""
    pair = op._bound.get("dunders")
    if pair is None:
        pair = op._bound["dunders"] = _binary(op)
    method, reflected = pair

    def apply(a: Any, b: Any) -> Value:
        if isinstance(a, Value):
            return method(a, b)
        if isinstance(b, Value):
            return reflected(b, a)
        return method(operand(a, op.name), b)

    apply.__name__ = op.name
    return apply


def function(op: Op) -> Callable[..., Value]:
    """The function (and ``Value`` method) applying a unary op."""
    if op.param is not None:
        default, pname = op.default, op.param

        def apply_bound(self: Value, *args: Any, **kwargs: Any) -> Value:
            if len(args) + len(kwargs) > 1 or (kwargs and pname not in kwargs):
                raise InputTypeError(f"{op.name}() takes one optional argument {pname}=")
            p = args[0] if args else kwargs.get(pname, default)
            return _unary(bind(op, as_real(p, f"{op.name} {pname}")), operand(self, op.name))

        apply_bound.__name__, apply_bound.__doc__ = op.name, op.doc
        return apply_bound

    forward, check = op.forward, op.check

    def apply(self: Value) -> Value:  # _unary written out: one Python call fewer per node
        if type(self) is not Value:
            self = operand(self, op.name)
        x = self.data
        if check is not None:
            bad = check(x)
            if bad is not None:
                _fail(bad, (self,))
        v = _new(Value)
        v.data = forward(x)
        v.grad = 0.0
        if _slow:
            return _finish(v, self, None, op)
        v._a = self
        v._b = None
        v._fn = op
        return v

    apply.__name__, apply.__doc__ = op.name, op.doc
    return apply


def apply(op: Op, *inputs: Any) -> Value:
    """Apply any op row (built-in, bound or custom) to Values or numbers: the generic path."""
    if op.arity == 1:
        return _unary(op, operand(inputs[0], op.name))
    if op.arity == 2:
        return operator(op)(*inputs)
    return nary(op, values(inputs, f"{op.name}: input"))


def operand(x: Any, op: str) -> Value:
    """A Value as it is; a number becomes a constant leaf (as in micrograd)."""
    if type(x) is Value or isinstance(x, Value):
        return x
    return Value(as_real(x, f"{op}: operand"))


def values(items: Iterable[Any], where: str) -> tuple[Value, ...]:
    """Items as a tuple of Values, numbers becoming constant leaves."""
    t = tuple(items)
    if set(map(type, t)) <= _JUST_VALUE:  # the common case, checked at C speed
        return t
    return tuple(v if isinstance(v, Value) else Value(as_real(v, where)) for v in t)


_JUST_VALUE = {Value}
_POW, _POWV = OPS["pow"], OPS["powv"]
_powv, _rpowv = _binary(_POWV)


def _pow(self: Value, other: Any) -> Value:
    if type(other) is Value or isinstance(other, Value):
        return _powv(self, other)
    return _unary(bind(_POW, as_real(other, "pow exponent")), self)


def _attach() -> None:
    """Give ``Value`` its operators and methods from the op table."""
    for name, dunder in [("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "truediv")]:
        method, reflected = OPS[name]._bound["dunders"] = _binary(OPS[name])
        setattr(Value, f"__{dunder}__", method)
        setattr(Value, f"__r{dunder}__", reflected)
    Value.__pow__ = _pow  # type: ignore[method-assign]
    Value.__rpow__ = _rpowv  # type: ignore[method-assign]
    Value.__neg__ = function(OPS["neg"])  # type: ignore[method-assign]
    Value.__abs__ = function(OPS["abs"])  # type: ignore[method-assign]
    for op in list(OPS.values()):
        if op.method:
            setattr(Value, op.name, function(op))


_attach()
