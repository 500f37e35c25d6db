"""The math namespace derivative rules use to build derivatives as graphs (higher order).

:data:`autograd.ops.FLOAT` is its float twin; a rule written against ``F`` serves both.
"""

from __future__ import annotations

from typing import Any

from . import ops as _ops
from .engine import BUILD, Value
from .ops import OPS, bind
from .real import as_real

__all__ = ["VALUE_MATH"]

_POW, _POWV, _DIV, _LOG = OPS["pow"], OPS["powv"], OPS["div"], OPS["log"]
_node, _operand = BUILD.node, BUILD.operand


class _ValueMath:
    """The math namespace derivative rules use to build derivatives as graphs."""

    exp = Value.exp  # type: ignore[attr-defined]
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
        if isinstance(b, Value):
            return _node(_ops._pow(a.data, b.data), a, b, _POWV)
        op = bind(_POW, as_real(b, "pow exponent"))
        return _node(_ops._pow(a.data, op.value), a, None, op)

    @staticmethod
    def log(a: Any) -> Any:
        a = _operand(a, "log")
        return _node(_ops._log(a.data), a, None, _LOG)

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        a, b = _operand(a, "div"), _operand(b, "div")
        return _node(_ops._div(a.data, b.data), a, b, _DIV)

    @staticmethod
    def data(x: Any) -> float:
        return x.data if isinstance(x, Value) else x


VALUE_MATH = _ValueMath
