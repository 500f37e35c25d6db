"""How ops build nodes: ``Value``'s operators and methods, generated from the op table.

:func:`attach` is the one call that gives the class its arithmetic (``engine.py`` makes
it right after the class body) and returns the :class:`Builders` bound to it: the
generic ``apply`` and the pieces ``sum``/``dot``, custom ops and higher order use.

A number operand is folded into its node (``y * 1.0001`` is one node holding 1.0001, see
:mod:`autograd.node`): a graph written the way users write it, with a literal per step,
then has one object per op for the garbage collector instead of two. Every new node
passes :data:`autograd.modes.MODES`' ``on_create`` hook when there is one (a ``no_grad``
block is open somewhere, or anomaly mode is on); otherwise an op reads that one slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import InputTypeError, describe_node
from .modes import MODES
from .node import Node
from .ops import LEFT_CONST, OPS, RIGHT_CONST, Op, bind, const_view
from .real import as_real

__all__ = ["Builders", "attach"]

_new = object.__new__


def _fail(bad: tuple[type[Exception], int, str], inputs: Sequence[Any]) -> None:
    cls, index, message = bad
    raise cls(message.replace("{node}", describe_node(inputs[index])))


class Builders:
    """The node builders bound to one class (``Value``). Node creation is written out in
    each hot builder rather than shared (one Python call fewer per node)."""

    def __init__(self, cls: type[Node]) -> None:
        self.cls = cls
        self._just_cls = {cls}
        self.generated: tuple[str, ...] = ()

    def node(self, data: float, a: Any, b: Any, fn: Op) -> Any:
        """An op's output node, no domain check (a leaf under ``no_grad``)."""
        v = _new(self.cls)
        v.data = data
        v.grad = 0.0
        v._a = a
        v._b = b
        v._fn = fn
        hook = MODES.on_create
        if hook is not None:
            hook(v)
        return v

    def unary(self, op: Op, a: Any) -> Any:
        """Apply a one-input row to a Value."""
        x = a.data
        if op.check is not None:
            bad = op.check(x)
            if bad is not None:
                _fail(bad, (a,))
        return self.node(op.forward(x), a, None, op)

    def nary(self, op: Op, inputs: tuple[Any, ...]) -> Any:
        """Apply a row that keeps its inputs in a tuple (its children, in order)."""
        xs = [v.data for v in inputs]
        if op.check is not None:
            bad = op.check(*xs)
            if bad is not None:
                _fail(bad, inputs)
        return self.node(op.forward(xs), inputs, None, op)

    def binary(self, op: Op) -> tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]:
        """The dunder pair of a binary op: ``a <op> b`` and the reflected ``b <op> a``, both
        called with the Value first (as Python calls ``__mul__`` and ``__rmul__``)."""
        views = op.views
        if views.methods is None:
            views.methods = _binary(self.cls, op)
        return views.methods

    def operator(self, op: Op) -> Callable[[Any, Any], Any]:
        """The function applying a binary op to two Values or numbers, in either order."""
        method, reflected = self.binary(op)
        cls, operand = self.cls, self.operand

        def apply(a: Any, b: Any) -> Any:
            if isinstance(a, cls):
                return method(a, b)
            if isinstance(b, cls):
                return reflected(b, a)
            return method(operand(a, op.name), b)

        apply.__name__ = op.name
        return apply

    def function(self, op: Op) -> Callable[..., Any]:
        """The function (and ``Value`` method) applying a unary op."""
        if op.param is None:
            return _unary_method(self.cls, op, self.operand)
        default, pname, unary, operand = op.default, op.param, self.unary, self.operand

        def apply_bound(self: Any, *args: Any, **kwargs: Any) -> Any:
            if len(args) + len(kwargs) > 1 or (kwargs and pname not in kwargs):
                raise InputTypeError(f"{op.name}() takes one optional argument {pname}=")
            p = args[0] if args else kwargs.get(pname, default)
            return unary(bind(op, as_real(p, f"{op.name} {pname}")), operand(self, op.name))

        apply_bound.__name__, apply_bound.__doc__ = op.name, op.doc
        return apply_bound

    def apply(self, op: Op, *inputs: Any) -> Any:
        """Apply any op row (built-in, bound or custom) to Values or numbers."""
        if op.arity == 1:
            return self.unary(op, self.operand(inputs[0], op.name))
        if op.arity == 2:
            return self.operator(op)(*inputs)
        return self.nary(op, self.values(inputs, f"{op.name}: input"))

    def operand(self, x: Any, op: str) -> Any:
        """A Value as it is; a number becomes a constant leaf (as in micrograd)."""
        cls = self.cls
        if type(x) is cls or isinstance(x, cls):
            return x
        return cls(as_real(x, f"{op}: operand"))

    def values(self, items: Iterable[Any], where: str) -> tuple[Any, ...]:
        """Items as a tuple of Values, numbers becoming constant leaves."""
        t = tuple(items)
        if set(map(type, t)) <= self._just_cls:  # the common case, checked at C speed
            return t
        cls = self.cls
        return tuple(v if isinstance(v, cls) else cls(as_real(v, where)) for v in t)


def _binary(cls: type[Node], op: Op) -> tuple[Callable[[Any, Any], Any],
                                               Callable[[Any, Any], Any]]:
    forward, check, name = op.forward, op.check, op.name
    right, left = const_view(op, RIGHT_CONST), const_view(op, LEFT_CONST)
    modes = MODES

    def method(a: Any, b: Any) -> Any:
        x = a.data
        if type(b) is cls or isinstance(b, cls):
            y = b.data
            if check is not None:
                bad = check(x, y)
                if bad is not None:
                    _fail(bad, (a, b))
            fn = op
        else:
            y = b if type(b) is float else as_real(b, f"{name}: operand")
            if check is not None:
                bad = check(x, y)
                if bad is not None:
                    _fail(bad, (a, y))
            fn, b = right, y
        v = _new(cls)
        v.data = forward(x, y)
        v.grad = 0.0
        v._a = a
        v._b = b
        v._fn = fn
        hook = modes.on_create
        if hook is not None:
            hook(v)
        return v

    def reflected(a: Any, b: Any) -> Any:
        if isinstance(b, cls):
            return method(b, a)
        x = b if type(b) is float else as_real(b, f"{name}: operand")
        y = a.data
        if check is not None:
            bad = check(x, y)
            if bad is not None:
                _fail(bad, (x, a))
        v = _new(cls)
        v.data = forward(x, y)
        v.grad = 0.0
        v._a = a
        v._b = x
        v._fn = left
        hook = modes.on_create
        if hook is not None:
            hook(v)
        return v

    method = _written_out(cls, op, right) or method
    method.__name__, reflected.__name__ = f"__{name}__", f"__r{name}__"
    return method, reflected


def _written_out(cls: type[Node], op: Op, right: Op) -> Callable[[Any, Any], Any] | None:
    """``a + b`` and ``a * b`` (a Value first) with the float op written in the method:
    CPython adds or multiplies two floats inside its loop, where ``forward(x, y)`` is a
    call per node. Otherwise the generic method, less the domain check neither op has."""
    if op.check is not None or op.name not in ("add", "mul"):
        return None
    modes = MODES
    if op.name == "add":
        def add(a: Any, b: Any) -> Any:
            x = a.data
            if type(b) is cls or isinstance(b, cls):
                y = b.data
                fn = op
            else:
                y = b if type(b) is float else as_real(b, "add: operand")
                fn, b = right, y
            v = _new(cls)
            v.data = x + y
            v.grad = 0.0
            v._a = a
            v._b = b
            v._fn = fn
            hook = modes.on_create
            if hook is not None:
                hook(v)
            return v

        return add

    def mul(a: Any, b: Any) -> Any:
        x = a.data
        if type(b) is cls or isinstance(b, cls):
            y = b.data
            fn = op
        else:
            y = b if type(b) is float else as_real(b, "mul: operand")
            fn, b = right, y
        v = _new(cls)
        v.data = x * y
        v.grad = 0.0
        v._a = a
        v._b = b
        v._fn = fn
        hook = modes.on_create
        if hook is not None:
            hook(v)
        return v

    return mul


def _unary_method(cls: type[Node], op: Op, operand: Callable[[Any, str], Any]) -> Callable:
    forward, check, modes = op.forward, op.check, MODES
    if op.name == "relu" and check is None:
        return _relu_method(cls, op, operand)

    def apply(self: Any) -> Any:
        if type(self) is not cls:
            self = operand(self, op.name)
        x = self.data
        if check is not None:
            bad = check(x)
            if bad is not None:
                _fail(bad, (self,))
        v = _new(cls)
        v.data = forward(x)
        v.grad = 0.0
        v._a = self
        v._b = None
        v._fn = op
        hook = modes.on_create
        if hook is not None:
            hook(v)
        return v

    apply.__name__, apply.__doc__ = op.name, op.doc
    return apply


def _relu_method(cls: type[Node], op: Op, operand: Callable[[Any, str], Any]) -> Callable:
    """``x.relu()`` with the row's forward written in the method (``0.0 if x <= 0 else x``):
    the generic method calls the row's forward, a Python function, once per node."""
    modes = MODES

    def relu(self: Any) -> Any:
        if type(self) is not cls:
            self = operand(self, "relu")
        x = self.data
        v = _new(cls)
        v.data = 0.0 if x <= 0 else x
        v.grad = 0.0
        v._a = self
        v._b = None
        v._fn = op
        hook = modes.on_create
        if hook is not None:
            hook(v)
        return v

    relu.__doc__ = op.doc
    return relu


# The dunders attach() generates, by the op they apply ("pow" is split by exponent kind).
DUNDERS = {"add": "add", "sub": "sub", "mul": "mul", "div": "truediv"}
UNARY_DUNDERS = {"neg": "__neg__", "abs": "__abs__"}


def attach(cls: type[Node]) -> Builders:
    """Give ``cls`` its operators and methods from the op table, and return the builders
    bound to it (their ``generated`` lists the names set: the type stubs are tested
    against it)."""
    build = Builders(cls)
    names = []
    for name, dunder in DUNDERS.items():
        method, reflected = build.binary(OPS[name])
        setattr(cls, f"__{dunder}__", method)
        setattr(cls, f"__r{dunder}__", reflected)
        names += [f"__{dunder}__", f"__r{dunder}__"]
    pow_op = OPS["pow"]
    powv, rpowv = build.binary(OPS["powv"])
    unary = build.unary

    def __pow__(self: Any, other: Any) -> Any:
        if type(other) is cls or isinstance(other, cls):
            return powv(self, other)
        return unary(bind(pow_op, as_real(other, "pow exponent")), self)

    cls.__pow__ = __pow__  # type: ignore[attr-defined]
    cls.__rpow__ = rpowv  # type: ignore[attr-defined]
    names += ["__pow__", "__rpow__"]
    for name, dunder in UNARY_DUNDERS.items():
        setattr(cls, dunder, build.function(OPS[name]))
        names.append(dunder)
    for op in list(OPS.values()):
        if op.method:
            setattr(cls, op.name, build.function(op))
            names.append(op.name)
    build.generated = tuple(names)
    return build
