"""numpy's element-wise functions on Values: one table row per ufunc name.

A row maps the ufunc to what it means for one ``Value`` (``np.tanh`` -> ``v.tanh()``,
``np.square`` -> ``v ** 2``, ``np.maximum(z, 0)`` -> ``z.relu()``); numpy then does the
broadcasting (``np.frompyfunc``). Elements that are plain numbers get the ufunc itself.
Comparisons and the like (``z > 0``, ``np.sign``) read the numbers and give plain arrays:
their derivative is zero, as in PyTorch.

>>> from autograd import Value
>>> maximum(Value(-2.0), 0).op, minimum(Value(3.0), Value(1.0)).data
('relu', 1.0)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import Value
from ..errors import ConfigError
from ..nary import logsumexp

__all__ = ["DATA", "ELEMENTWISE", "as_numbers", "as_operand", "clip", "elementwise", "maximum",
           "minimum"]


def maximum(a: Any, b: Any) -> Any:
    """``max(a, b)`` with the gradient going to the larger input: a ``relu`` node, so the
    kink is known to gradient checks (``np.maximum(z, 0)`` is exactly ``z.relu()``)."""
    if type(a) is not Value and type(b) is not Value:
        return max(a, b)
    if type(b) is not Value and b == 0:
        return a.relu()
    if type(a) is not Value and a == 0:
        return b.relu()
    return b + (a - b).relu()


def minimum(a: Any, b: Any) -> Any:
    """``min(a, b)``, written ``a - relu(a - b)`` (``np.minimum(z, 0)`` is ``z - relu(z)``)."""
    if type(a) is not Value and type(b) is not Value:
        return min(a, b)
    if type(a) is not Value and a == 0:
        a, b = b, a
    if type(b) is not Value and b == 0:
        return a - a.relu()
    return a - (a - b).relu()


def clip(x: Any, lo: Any, hi: Any) -> Any:
    """``np.clip``: ``min(max(x, lo), hi)``; a bound of None is no bound."""
    if lo is not None:
        x = maximum(x, lo)
    return x if hi is None else minimum(x, hi)


def _method(name: str) -> Callable[[Value], Value]:
    return lambda v: getattr(v, name)()


_LN2, _LN10 = math.log(2.0), math.log(10.0)

# ufunc name -> what it does to a Value (the other operand may be a number or a Value)
ELEMENTWISE: dict[str, Callable[..., Any]] = {
    "add": operator.add, "subtract": operator.sub, "multiply": operator.mul,
    "divide": operator.truediv, "true_divide": operator.truediv, "power": operator.pow,
    "float_power": operator.pow, "negative": operator.neg, "positive": operator.pos,
    "absolute": abs, "fabs": abs, "square": lambda v: v ** 2, "reciprocal": lambda v: 1.0 / v,
    "exp": _method("exp"), "log": _method("log"), "tanh": _method("tanh"),
    "sqrt": _method("sqrt"), "sin": _method("sin"), "cos": _method("cos"),
    "expit": _method("sigmoid"),  # scipy.special.expit, the sigmoid
    "log1p": lambda v: (1.0 + v).log(), "expm1": lambda v: v.exp() - 1.0,
    "exp2": lambda v: 2.0 ** v, "log2": lambda v: v.log() / _LN2,
    "log10": lambda v: v.log() / _LN10, "logaddexp": lambda a, b: logsumexp([a, b]),
    "maximum": maximum, "minimum": minimum, "fmax": maximum, "fmin": minimum, "clip": clip,
}

# ufuncs computed on the numbers alone: comparisons, signs, rounding (derivative zero)
DATA = frozenset([
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "sign", "signbit",
    "floor", "ceil", "rint", "trunc", "isnan", "isinf", "isfinite", "logical_and",
    "logical_or", "logical_not", "logical_xor", "heaviside",
])


def _has_value(args: tuple[Any, ...]) -> bool:
    return any(type(a) is Value for a in args)


def _row(ufunc: np.ufunc, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` for elements among which is a Value, else the ufunc on the plain numbers."""
    if ufunc.nin == 1:
        return lambda x: fn(x) if type(x) is Value else ufunc(x)
    if ufunc.nin == 2:
        return lambda x, y: fn(x, y) if type(x) is Value or type(y) is Value else ufunc(x, y)
    return lambda *xs: fn(*xs) if _has_value(xs) else ufunc(*xs)


def as_operand(x: Any) -> Any:
    """An input as numpy should broadcast it: booleans become 0.0/1.0 (a mask times a Value
    is a product of numbers), a Value becomes a 0-d object array."""
    if type(x) is Value:
        out = np.empty((), dtype=object)
        out[()] = x
        return out
    if isinstance(x, (bool, np.bool_)):
        return float(x)
    if isinstance(x, np.ndarray):
        if x.dtype == bool:
            return x.astype(float)
        return x.view(np.ndarray)
    return x


def as_numbers(x: Any) -> Any:
    """The numbers held: Values replaced by their data (object arrays become float arrays)."""
    if type(x) is Value:
        return x.data
    if isinstance(x, np.ndarray) and x.dtype == object:
        return x.view(np.ndarray).astype(float)
    return x


def elementwise(ufunc: np.ufunc, inputs: tuple[Any, ...]) -> Any:
    """Apply a table row over broadcast inputs; a scalar result comes back as the element."""
    fn = _row(ufunc, ELEMENTWISE[ufunc.__name__])
    operands = [as_operand(x) for x in inputs]
    try:
        return np.frompyfunc(fn, len(operands), 1)(*operands)
    except ValueError as exc:
        if "broadcast" not in str(exc):
            raise
        shapes = " and ".join(str(np.shape(x)) for x in operands)
        raise ConfigError(f"np.{ufunc.__name__}: shapes {shapes} do not broadcast together "
                          f"({exc})") from None
