"""The op table: one row per op, holding everything the rest of the project knows about it.

A row gives the op's name, arity, float forward, local partial derivatives, domain
check, kinks, display symbol and a sampling domain for the tests. Partials are *pure*:
``partials(F, *inputs, out)`` returns one local derivative per input and never sees the
upstream gradient -- only ``backward`` applies the chain rule. ``F`` is a small math
namespace: :data:`FLOAT` when backward runs on floats, the ``Value`` version when
``create_graph=True`` rebuilds the derivative as a graph, so one rule serves both.

``arity`` is the math: how many inputs the op takes (None: any number). ``layout`` says
where a node of this row keeps its inputs (the table below and :mod:`autograd.node`),
and so how ``forward`` and ``partials`` are called: ops whose inputs live in a tuple
(``sum``, ``dot``, custom ops of 3+ inputs) take the input list,
``partials(F, xs, out)``. A row's *views* (:class:`Views`) are the same op in another
layout, made once and kept on the row: with a number folded in, with its inputs in a
tuple, with its parameter bound.

==============  =========================================  ======================
layout          ``node._a``                                ``node._b``
==============  =========================================  ======================
``UNARY``       the input                                  extras or None
``BINARY``      first input                                second input
``TUPLE``       tuple of inputs                            extras or None
``RIGHT_CONST`` the input                                  the number on the right
``LEFT_CONST``  the input                                  the number on the left
``CLOSURE``     tuple of inputs (micrograd-style)          extras (the closure)
==============  =========================================  ======================

Adding an op is adding a row: it then shows up as a ``Value`` method (``method=True``),
in backward, the stepper, graph labels, gradcheck, the expression language and the
op-table tests.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import DivisionByZero, DomainError, OpDefinitionError

__all__ = ["BINARY", "CLOSURE", "FLOAT", "LEFT_CONST", "OPS", "RIGHT_CONST", "TUPLE", "UNARY", "Op",
           "Views", "as_tuple", "bind", "const_view", "register"]

INF = math.inf
NAN = math.nan

# A domain check returns None when the inputs are fine, else
# (exception class, index of the offending input, message with a "{node}" slot).
Check = Callable[..., "tuple[type[Exception], int, str] | None"]

# Where a node keeps its inputs (plain ints: the hot loops compare them at C speed).
TUPLE, UNARY, BINARY, RIGHT_CONST, LEFT_CONST, CLOSURE = 0, 1, 2, 3, 4, 5


class Views:
    """What is made from one row and kept with it: the row it was made from (``base``),
    its folded-number views (``right``, ``left``), its tuple view, the builders' functions
    for it (``methods``) and its rows with a bound parameter (``params``, by value)."""

    __slots__ = ("base", "right", "left", "tuple", "methods", "params")

    def __init__(self, base: Op | None = None) -> None:
        self.base = base
        self.right: Op | None = None
        self.left: Op | None = None
        self.tuple: Op | None = None
        self.methods: Any = None
        self.params: dict[float, Op] = {}


@dataclass(frozen=True, slots=True)
class Op:
    """One op: how to compute it, differentiate it, check it, draw it and test it."""

    name: str
    arity: int | None  # how many inputs; None: any number (sum, dot, logsumexp)
    forward: Callable[..., float]
    partials: Callable[..., Any]
    symbol: str
    check: Check | None = None
    kinks: tuple[float, ...] = ()  # points of the first input where it is not differentiable
    domain: tuple[tuple[float, float], ...] = ((-3.0, 3.0),)  # smooth region, per input
    method: bool = False  # exposed as ``Value.<name>()`` and as an expression function
    param: str | None = None  # name of a numeric parameter bound per use (``bind``)
    default: float | None = None
    value: float | None = None  # the bound parameter's value
    examples: tuple[float, ...] = ()  # parameter values the tests try
    builtin: bool = True
    doc: str = ""
    views: Views = field(default_factory=Views, compare=False, repr=False)
    # The local rule as text, one formula per input, in the names a, b (binary), x (unary),
    # out (the output), the parameter (n for pow), x_i / w_i (variadic; dot: w half, x half).
    rule: tuple[str, ...] = ()
    rule_args: tuple[str, ...] = ()  # a custom op's input names its rule is written in
    layout: int = -1  # where a node keeps its inputs; -1: from the arity (1, 2, else TUPLE)

    def __post_init__(self) -> None:
        if self.layout == -1:
            object.__setattr__(self, "layout", {1: UNARY, 2: BINARY}.get(self.arity, TUPLE))


# -- float helpers: never raise on IEEE edge cases, as PyTorch gives inf/nan --------------


def _div(a: float, b: float) -> float:
    if b:
        return a / b
    if a != a or a == 0:
        return NAN
    return math.copysign(INF, a) * math.copysign(1.0, b)


def _pow(a: float, b: float) -> float:
    try:
        r = a**b
    except ZeroDivisionError:  # 0 ** negative: inf, signed like -0.0 ** odd (IEEE, numpy)
        odd = b == int(b) and int(b) % 2 == 1
        return -INF if (math.copysign(1.0, a) < 0 and odd) else INF
    except OverflowError:
        odd = b == int(b) and int(b) % 2 == 1
        return -INF if (a < 0 and odd) else INF
    return NAN if isinstance(r, complex) else r


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x: float) -> float:
    if x > 0 or x != x:
        return math.log(x)
    return -INF if x == 0 else NAN


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or x != x else NAN


def _periodic(f: Callable[[float], float]) -> Callable[[float], float]:
    def safe(x: float) -> float:
        return f(x) if math.isfinite(x) else NAN  # sin(inf) is nan, not an exception

    return safe


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = _exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(_exp(-abs(x))) if x == x else x


def _sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


class _FloatMath:
    """The math namespace derivative rules use when backward runs on floats."""

    exp = staticmethod(_exp)
    log = staticmethod(_log)
    sqrt = staticmethod(_sqrt)
    sin = staticmethod(_periodic(math.sin))
    cos = staticmethod(_periodic(math.cos))
    tanh = staticmethod(math.tanh)
    sigmoid = staticmethod(_sigmoid)
    pow = staticmethod(_pow)
    div = staticmethod(_div)

    @staticmethod
    def data(x: float) -> float:
        return x


FLOAT = _FloatMath


# -- domain checks ----------------------------------------------------------------------


def _check_log(x: float):
    if x <= 0:
        return (DomainError, 0,
                f"log of non-positive value {x!r} in {{node}} (log needs an input > 0)")
    return None


def _check_sqrt(x: float):
    if x < 0:
        return (DomainError, 0,
                f"sqrt of negative value {x!r} in {{node}} (sqrt needs an input >= 0)")
    return None


def _check_div(a: float, b: float):
    if b == 0:
        return DivisionByZero, 1, f"div: division by zero, denominator {b!r} in {{node}}"
    return None


def _check_pow(a: float, b: float):
    if a == 0 and b < 0:
        return DivisionByZero, 0, f"pow: zero raised to negative exponent {b!r} in {{node}}"
    if a < 0 and math.isfinite(b) and b != int(b):
        return (
            DomainError,
            0,
            f"pow of negative base {a!r} in {{node}} to fractional exponent {b!r}"
            " (the result would be complex)",
        )
    return None


def _powc_check(x: float, n: float):
    return _check_pow(x, n)


def _powc_forward(x: float, n: float) -> float:
    return _pow(x, n)


def _powc_partials(F, x, out, n: float):
    return (0.0,) if n == 0 else (n * F.pow(x, n - 1),)


def _powv_partials(F, a, b, out):
    # At b == 0 PyTorch gives 0 for any a. Masked only where b * a**(b-1) is 0 * inf or
    # 0 * nan (a zero, tiny or nan), so that with create_graph the derivative keeps its
    # dependence on b elsewhere (d2/da db at b == 0).
    da = 0.0 if F.data(b) == 0 and not math.isfinite(_pow(F.data(a), -1.0)) else (
        b * F.pow(a, b - 1))
    # d/db a**b = a**b * log(a); PyTorch masks it to 0 where a == 0 and b >= 0.
    db = 0.0 if F.data(a) == 0 and F.data(b) >= 0 else out * F.log(a)
    return da, db


def _dot_partials(F, xs, out):
    n = len(xs) // 2
    return xs[n:] + xs[:n]  # d/dw_i = x_i, d/dx_i = w_i


def _fsum(xs: list[float], start: float) -> float:
    return sum(xs, start)  # left to right from start, as a chain of + nodes would


def _dot(xs: list[float]) -> float:
    n = len(xs) // 2
    return sum(map(operator.mul, xs[:n], xs[n:]), 0.0)


def _logsumexp(xs: list[float]) -> float:
    """log(sum(exp(x))) without overflow: shifted by the largest input."""
    if not xs:
        return -INF
    m = max(xs)  # skips a nan unless it comes first; a finite m carries nan through exp
    if m != m or m in (INF, -INF):
        return NAN if any(x != x for x in xs) else m  # nan wins over inf, as in PyTorch
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


_POS = ((0.2, 3.0),)

_ROWS = [
    # name, arity, forward, partials(F, *inputs, out), symbol, extras
    Op("add", 2, operator.add, lambda F, a, b, out: (1.0, 1.0), "+",
       domain=((-3.0, 3.0),) * 2, doc="a + b", rule=("1", "1")),
    Op("sub", 2, operator.sub, lambda F, a, b, out: (1.0, -1.0), "-",
       domain=((-3.0, 3.0),) * 2, doc="a - b", rule=("1", "-1")),
    Op("mul", 2, operator.mul, lambda F, a, b, out: (b, a), "*",
       domain=((-3.0, 3.0),) * 2, doc="a * b", rule=("b", "a")),
    Op("div", 2, operator.truediv, lambda F, a, b, out: (F.div(1.0, b), F.div(-out, b)), "/",
       check=_check_div, domain=((-3.0, 3.0), (0.5, 3.0)), doc="a / b",
       rule=("1 / b", "-out / b")),
    Op("powv", 2, _pow, _powv_partials, "**", check=_check_pow,
       domain=((0.2, 3.0), (-2.0, 2.0)), doc="a ** b with a Value exponent",
       rule=("b * a**(b - 1)", "out * log(a)")),
    Op("pow", 1, _powc_forward, _powc_partials, "**", check=_powc_check, domain=_POS,
       param="exponent", examples=(2.0, 3.0, 0.5, -1.0, -2.5), doc="x ** n, n a number",
       rule=("n * x**(n - 1)",)),
    Op("neg", 1, operator.neg, lambda F, x, out: (-1.0,), "-", doc="-x", rule=("-1",)),
    Op("abs", 1, abs, lambda F, x, out: (_sign(F.data(x)),), "abs", kinks=(0.0,),
       method=True, doc="|x|; abs'(0) = 0 as in PyTorch", rule=("sign(x)",)),
    Op("exp", 1, _exp, lambda F, x, out: (out,), "exp", method=True, doc="e ** x", rule=("out",)),
    Op("log", 1, math.log, lambda F, x, out: (F.div(1.0, x),), "log", check=_check_log,
       kinks=(0.0,), domain=((0.1, 5.0),), method=True, doc="natural logarithm, x > 0",
       rule=("1 / x",)),
    Op("tanh", 1, math.tanh, lambda F, x, out: (1.0 - out * out,), "tanh", method=True,
       doc="hyperbolic tangent", rule=("1 - out**2",)),
    Op("sigmoid", 1, _sigmoid, lambda F, x, out: (out * (1.0 - out),), "sigmoid",
       domain=((-5.0, 5.0),), method=True, doc="1 / (1 + e ** -x)",
       rule=("out * (1 - out)",)),
    Op("relu", 1, lambda x: 0.0 if x <= 0 else x,
       lambda F, x, out: (0.0 if F.data(x) <= 0 else 1.0,), "ReLU", kinks=(0.0,),
       method=True, doc="max(x, 0); relu'(0) = 0 and relu'(nan) = 1 as in PyTorch",
       rule=("0 if x <= 0 else 1",)),
    Op("leaky_relu", 1, lambda x, s: x if x > 0 else s * x,
       lambda F, x, out, s: (1.0 if F.data(x) > 0 else s,), "LeakyReLU", kinks=(0.0,),
       method=True, param="slope", default=0.01, examples=(0.01, 0.2),
       doc="x if x > 0 else slope * x; derivative at 0 is slope, as in PyTorch",
       rule=("1 if x > 0 else slope",)),
    Op("sin", 1, _periodic(math.sin), lambda F, x, out: (F.cos(x),), "sin",
       domain=((-5.0, 5.0),), method=True, doc="sine", rule=("cos(x)",)),
    Op("cos", 1, _periodic(math.cos), lambda F, x, out: (-F.sin(x),), "cos",
       domain=((-5.0, 5.0),), method=True, doc="cosine", rule=("-sin(x)",)),
    Op("sqrt", 1, math.sqrt, lambda F, x, out: (F.div(0.5, out),), "sqrt", check=_check_sqrt,
       kinks=(0.0,), domain=((0.1, 5.0),), method=True, doc="square root, x >= 0",
       rule=("0.5 / out",)),
    Op("softplus", 1, _softplus, lambda F, x, out: (F.sigmoid(x),), "softplus",
       domain=((-5.0, 5.0),), method=True, doc="log(1 + e ** x), computed stably",
       rule=("sigmoid(x)",)),
    Op("sum", None, _fsum,
       lambda F, xs, out, start: [1.0] * len(xs), "Σ", param="start", default=0.0,
       examples=(0.0, 1.5), doc="one node adding all its inputs (plus a folded constant)",
       rule=("1",)),
    Op("dot", None, _dot, _dot_partials, "dot",
       doc="one node for Σ w_i * x_i; inputs are w_1..w_n then x_1..x_n",
       rule=("x_i", "w_i")),
    Op("logsumexp", None, _logsumexp, lambda F, xs, out: [F.exp(x - out) for x in xs],
       "logsumexp", doc="log(Σ exp(x_i)), computed stably; d/dx_i is softmax_i = exp(x_i - out)",
       rule=("exp(x_i - out)",)),
]


OPS: dict[str, Op] = {op.name: op for op in _ROWS}


def bind(op: Op, value: float) -> Op:
    """The op with its numeric parameter fixed (``x ** 2``, ``leaky_relu(0.2)``), cached."""
    params = op.views.params
    cached = params.get(value)
    if cached is not None:
        return cached
    fwd, par = op.forward, op.partials
    if op.layout == TUPLE:
        forward = lambda xs: fwd(xs, value)  # noqa: E731
        partials = lambda F, xs, out: par(F, xs, out, value)  # noqa: E731
    else:
        forward = lambda x: fwd(x, value)  # noqa: E731
        partials = lambda F, x, out: par(F, x, out, value)  # noqa: E731
    check = op.check
    bound_check = None if check is None else (lambda x: check(x, value))
    symbol = f"**{value:g}" if op.name == "pow" else op.symbol
    bound = replace(op, forward=forward, partials=partials, check=bound_check,
                    symbol=symbol, value=value, views=Views(op))
    if len(params) < 256:  # parameters are usually few (2, 0.5, 0.01); bound the cache
        params[value] = bound
    return bound


def as_tuple(op: Op) -> Op:
    """The same binary op keeping its inputs in a tuple (a node that needs ``_b`` for its
    extras): same name, same rule, called with the input list."""
    views = op.views
    view = views.tuple
    if view is None:
        fwd, par = op.forward, op.partials
        view = views.tuple = replace(
            op, layout=TUPLE, forward=lambda xs: fwd(xs[0], xs[1]),
            partials=lambda F, xs, out: par(F, xs[0], xs[1], out), views=Views(op))
    return view


def const_view(op: Op, layout: int) -> Op:
    """The binary op with a number on the right (``RIGHT_CONST``) or left (``LEFT_CONST``):
    the same row, its partials called with the number in its place."""
    views = op.views
    view = views.right if layout == RIGHT_CONST else views.left
    if view is None:
        view = replace(op, layout=layout, views=Views(op))
        if layout == RIGHT_CONST:
            views.right = view
        else:
            views.left = view
    return view


def register(op: Op) -> Op:
    """Add a user-defined op to the table; its name must be new and an identifier."""
    if not op.name.isidentifier():
        raise OpDefinitionError(f"custom_op: name must be an identifier, got {op.name!r}")
    if op.name in OPS:
        existing = OPS[op.name]
        if existing.builtin:
            raise OpDefinitionError(f"custom_op: {op.name!r} is a built-in op; pick another name")
    OPS[op.name] = op
    return op
