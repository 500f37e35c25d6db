"""``Value``: a scalar that records the operations applied to it, so gradients can flow back.

A node is small (``__slots__``, no closure, no cycle): ``data``, ``grad``, the op row
``_fn`` from :mod:`autograd.ops` (None for a leaf) and its inputs: inline in ``_a`` and
``_b`` for a binary op, ``_a`` alone for a unary op, a tuple in ``_a`` for a variadic op.
The rare extras (label, hooks, origin) sit in a ``_Meta`` record in ``_b`` when ``_b``
is free; a binary node that needs one switches to tuple storage with the variadic view
of its op (same name, same rule). Five slots: 120 bytes with data and grad. Graphs are
freed by reference counting alone.

>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import ops as _ops
from .errors import InputTypeError, OpDefinitionError, describe_node
from .ops import OPS, Op, bind

__all__ = [
    "Value", "custom_op", "dot", "is_grad_enabled", "no_grad", "sum", "VALUE_MATH",
]

Number = int | float

_grad_enabled = True
_on_create: Callable[[Value], None] | None = None  # set by anomaly mode to record origins


class _Meta:
    """Per-node extras most nodes never need: label, hooks, where it was created."""

    __slots__ = ("label", "hooks", "origin")

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.hooks: list[Callable[[float], Any]] | None = None
        self.origin: str | None = None


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


class Value:
    """A scalar in a computation graph: ``data``, and ``grad`` filled in by ``backward``.

    Gradients *accumulate*, as in PyTorch: every ``backward()`` adds its gradients into
    ``.grad``; reset with ``v.grad = 0.0`` or a module's ``zero_grad()``.
    """

    __slots__ = ("data", "grad", "_a", "_b", "_fn")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else as_real(data, "Value()")
        self.grad = 0.0
        self._a = self._fn = None
        if type(label) is not str:
            raise InputTypeError(f"Value() label must be a str, got {label!r} ({type(label).__name__})")
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
        """The node's extras record, or None (see the module docstring for where it lives)."""
        fn = self._fn
        return None if fn is not None and fn.arity == 2 else self._b

    @property
    def op(self) -> str:
        """The op's name (``"mul"``), ``""`` for a leaf."""
        return self._fn.name if self._fn is not None else ""

    @property
    def children(self) -> tuple[Value, ...]:
        """Inputs in order, with multiplicity: ``(a + a).children == (a, a)``."""
        from .graph import children_of

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

    # Jupyter display (viz part): the graph as SVG when Graphviz's `dot` is installed;
    # None otherwise, so Jupyter falls back to repr.
    def _repr_svg_(self) -> str | None:
        from .render import repr_svg

        return repr_svg(self)

    # -- arithmetic ----------------------------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        return _binary(_ADD, self, other if type(other) is Value else _operand(other, "add"))

    def __radd__(self, other: Number) -> Value:
        return _binary(_ADD, _operand(other, "add"), self)

    def __sub__(self, other: Value | Number) -> Value:
        return _binary(_SUB, self, other if type(other) is Value else _operand(other, "sub"))

    def __rsub__(self, other: Number) -> Value:
        return _binary(_SUB, _operand(other, "sub"), self)

    def __mul__(self, other: Value | Number) -> Value:
        return _binary(_MUL, self, other if type(other) is Value else _operand(other, "mul"))

    def __rmul__(self, other: Number) -> Value:
        return _binary(_MUL, _operand(other, "mul"), self)

    def __truediv__(self, other: Value | Number) -> Value:
        return _binary(_DIV, self, other if type(other) is Value else _operand(other, "div"))

    def __rtruediv__(self, other: Number) -> Value:
        return _binary(_DIV, _operand(other, "div"), self)

    def __pow__(self, other: Value | Number) -> Value:
        if type(other) is Value:
            return _binary(_POWV, self, other)
        return _unary(bind(_POW, as_real(other, "pow exponent")), self)

    def __rpow__(self, other: Number) -> Value:
        return _binary(_POWV, _operand(other, "pow"), self)

    def __neg__(self) -> Value:
        return _unary(_NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(_ABS, self)

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

    def backward(self, grad: Number = 1.0) -> None:
        """Add d(self)/d(node) * grad into every reachable node's ``.grad``.

        Gradients accumulate across calls, as in PyTorch: calling it twice on
        ``y = x * x`` doubles ``x.grad``. Iterative: a 1,000,000-node chain is fine.
        """
        from .backward import run_backward

        run_backward(self, as_real(grad, "backward(grad=...)"))

    def register_hook(self, hook: Callable[[float], Any]) -> Any:
        """Call ``hook(grad)`` when this node's gradient is complete during backward.

        ``hook`` may return a number that replaces the gradient. Returns a handle
        whose ``remove()`` unregisters it.
        """
        from .backward import add_hook

        return add_hook(self, hook)

    if TYPE_CHECKING:  # generated from the op table below; listed for type checkers

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
    if _grad_enabled:
        v._a = a
        v._b = b
        v._fn = fn
    else:
        v._a = v._b = v._fn = None
    if _on_create is not None:
        _on_create(v)
    return v


def _fail(op: Op, bad: tuple[type[Exception], int, str], inputs: Sequence[Value]) -> None:
    cls, index, message = bad
    raise cls(message.replace("{node}", describe_node(inputs[index])))


def _unary(op: Op, a: Value) -> Value:
    x = a.data
    check = op.check
    if check is not None:
        bad = check(x)
        if bad is not None:
            _fail(op, bad, (a,))
    return _node(op.forward(x), a, None, op)


def _binary(op: Op, a: Value, b: Value) -> Value:
    x = a.data
    y = b.data
    check = op.check
    if check is not None:
        bad = check(x, y)
        if bad is not None:
            _fail(op, bad, (a, b))
    # _node inlined: this is the hottest path of graph building
    v = _new(Value)
    v.data = op.forward(x, y)
    v.grad = 0.0
    if _grad_enabled:
        v._a = a
        v._b = b
        v._fn = op
    else:
        v._a = v._b = v._fn = None
    if _on_create is not None:
        _on_create(v)
    return v


def _nary(op: Op, inputs: tuple[Value, ...]) -> Value:
    xs = [v.data for v in inputs]
    check = op.check
    if check is not None:
        bad = check(*xs)
        if bad is not None:
            _fail(op, bad, inputs)
    return _node(op.forward(xs), inputs, None, op)


def _operand(x: Any, op: str) -> Value:
    """A number used as an operand becomes a constant leaf (as in micrograd)."""
    if type(x) is Value:
        return x
    return Value(as_real(x, f"{op}: operand"))


def _number(x: Any) -> float:
    return x.data if type(x) is Value else as_real(x, "comparison")


def _values(items: Iterable[Any], where: str) -> tuple[Value, ...]:
    return tuple(v if type(v) is Value else Value(as_real(v, where)) for v in items)


def sum(values: Iterable[Value | Number], start: Number = 0.0) -> Value:  # noqa: A001
    """One node adding all ``values`` (plus the number ``start``, folded into the node).

    Its children are exactly ``values``: a flat graph, much faster than a chain of ``+``.
    """
    inputs = _values(values, "sum: element")
    return _nary(bind(_SUM, as_real(start, "sum: start")), inputs)


def dot(ws: Iterable[Value | Number], xs: Iterable[Value | Number]) -> Value:
    """One node for ``w1*x1 + ... + wn*xn``; its children are ``ws`` then ``xs``."""
    w = _values(ws, "dot: weight")
    x = _values(xs, "dot: input")
    if len(w) != len(x):
        raise InputTypeError(f"dot: needs as many weights as inputs, got {len(w)} and {len(x)}")
    return _nary(_DOT, w + x)


def custom_op(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., Sequence[Any]],
    symbol: str | None = None,
    nargs: int | None = None,
) -> Callable[..., Value]:
    """Define a new op from its float ``forward`` and its local ``partials``.

    ``partials(*xs)`` returns one local derivative per input; written with ordinary
    arithmetic it works on floats and on ``Value``s, which gives higher order for free.
    The returned function works in backward, the stepper, drawings and gradcheck.

    >>> cube = custom_op("cube", lambda x: x ** 3, lambda x: (3 * x ** 2,))
    >>> y = cube(Value(2.0))
    >>> y.backward()
    >>> y.data, y.children[0].grad
    (8.0, 12.0)
    """
    import inspect

    if not callable(forward) or not callable(partials):
        raise OpDefinitionError(f"custom_op {name!r}: forward and partials must be callables")
    if nargs is None:
        try:
            params = inspect.signature(forward).parameters.values()
        except (TypeError, ValueError):
            params = ()
        kinds = [p.kind for p in params]
        if not kinds or any(k in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p, k in zip(params, kinds)):
            raise OpDefinitionError(
                f"custom_op {name!r}: cannot tell the number of inputs; pass nargs=")
        nargs = len(kinds)
    arity = nargs if nargs in (1, 2) else None

    def checked(F: Any, *args: Any) -> tuple[Any, ...]:
        inputs = args[0] if arity is None else args[:-1]
        result = partials(*inputs)
        try:
            result = tuple(result)
        except TypeError:
            result = (result,)  # a lone derivative for a one-input op
        if len(result) != nargs:
            raise OpDefinitionError(
                f"custom op {name!r}: partials returned {len(result)} derivatives "
                f"for {nargs} inputs")
        return result

    def fwd(*args: Any) -> float:
        xs = args[0] if arity is None else args
        out = forward(*xs)
        return as_real(out, f"custom op {name!r} forward")

    op = _ops.register(Op(name, arity, fwd, checked, symbol or name, builtin=False,
                          nargs=nargs, doc=(forward.__doc__ or "").strip()))

    def apply(*inputs: Value | Number) -> Value:
        if len(inputs) != nargs:
            raise OpDefinitionError(f"custom op {name!r} takes {nargs} inputs, got {len(inputs)}")
        vs = _values(inputs, f"custom op {name!r}: input")
        if arity == 1:
            return _unary(op, vs[0])
        if arity == 2:
            return _binary(op, vs[0], vs[1])
        return _nary(op, vs)

    apply.__name__ = name
    apply.op = op  # type: ignore[attr-defined]
    return apply


class no_grad:
    """Context manager (and decorator) under which ops build no graph.

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.children
    ()
    """

    def __enter__(self) -> None:
        global _grad_enabled
        self._prev = _grad_enabled
        _grad_enabled = False

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        import functools

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return func(*args, **kwargs)

        return wrapper


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return _grad_enabled


def set_on_create(callback: Callable[[Value], None] | None) -> Callable[[Value], None] | None:
    """Install a function called on every new node (anomaly mode); returns the old one."""
    global _on_create
    old, _on_create = _on_create, callback
    return old


def meta(node: Value) -> _Meta:
    """The node's extras record, created on first use."""
    fn = node._fn
    if fn is not None and fn.arity == 2:  # move the inputs into a tuple to free _b
        node._a, node._fn = (node._a, node._b), _ops.as_variadic(fn)
        node._b = None
    record = node._b
    if record is None:
        record = node._b = _Meta()
    return record


_ADD, _SUB, _MUL, _DIV = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"]
_POW, _POWV, _NEG, _ABS = OPS["pow"], OPS["powv"], OPS["neg"], OPS["abs"]
_SUM, _DOT = OPS["sum"], OPS["dot"]


def _method(op: Op) -> Callable[..., Value]:
    if op.param is None:

        def method(self: Value) -> Value:
            return _unary(op, self)

    else:
        default, pname = op.default, op.param

        def method(self: Value, *args: Any, **kwargs: Any) -> Value:
            if len(args) + len(kwargs) > 1 or (kwargs and pname not in kwargs):
                raise InputTypeError(f"{op.name}() takes one optional argument {pname}=")
            p = args[0] if args else kwargs.get(pname, default)
            return _unary(bind(op, as_real(p, f"{op.name} {pname}")), self)

    method.__name__ = op.name
    method.__qualname__ = f"Value.{op.name}"
    method.__doc__ = op.doc
    return method


for _op in list(OPS.values()):
    if _op.method:
        setattr(Value, _op.name, _method(_op))


class _ValueMath:
    """The math namespace derivative rules use to build derivatives as graphs."""

    exp = Value.exp  # type: ignore[attr-defined]
    log = Value.log  # type: ignore[attr-defined]
    sqrt = Value.sqrt  # type: ignore[attr-defined]
    sin = Value.sin  # type: ignore[attr-defined]
    cos = Value.cos  # type: ignore[attr-defined]
    tanh = Value.tanh  # type: ignore[attr-defined]
    sigmoid = Value.sigmoid  # type: ignore[attr-defined]

    # Derivatives may be infinite where the function is not (sqrt' at 0): these build
    # their node without the forward domain check, giving inf/nan as float backward does.
    @staticmethod
    def pow(a: Any, b: Any) -> Any:
        a = _operand(a, "pow")
        if type(b) is Value:
            return _node(_ops._pow(a.data, b.data), a, b, _POWV)
        op = bind(_POW, as_real(b, "pow exponent"))
        return _node(_ops._pow(a.data, op.value), a, None, op)

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        a, b = _operand(a, "div"), _operand(b, "div")
        return _node(_ops._div(a.data, b.data), a, b, _DIV)

    @staticmethod
    def data(x: Any) -> float:
        return x.data if type(x) is Value else x


VALUE_MATH = _ValueMath
