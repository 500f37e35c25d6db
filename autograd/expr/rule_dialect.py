"""The rule dialect of the expression language: the op table's rule texts, evaluated.

Rule texts such as ``1 - out**2``, ``b * a**(b - 1)`` or ``1 if x > 0 else slope`` are
the language's arithmetic over the same function names (the op table's methods, read
through the float math namespace derivative rules use), plus what a derivative needs:
one comparison, ``... if ... else ...`` and ``sign``. Like the language it parses with
``ast`` into a whitelist and never calls ``eval``; it computes floats instead of building
a graph. Tests use it to check that each row's text gives the row's own partials.

>>> evaluate_rule("1 - out**2", {"out": 0.5})
0.75
>>> evaluate_rule("1 if x > 0 else slope", {"x": -1.0, "slope": 0.2})
0.2
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping

from ..errors import ExpressionError
from ..ops import FLOAT, OPS
from .compile import functions

__all__ = ["MAX_RULE_LENGTH", "evaluate_rule"]

MAX_RULE_LENGTH = 200

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: FLOAT.div, ast.Pow: FLOAT.pow}
_COMPARE: dict[type, Callable[[float, float], bool]] = {
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le}
# The language's functions, IEEE-safe where the float namespace has them (log(0) is -inf,
# as in a derivative, not an error), and the sign a kink's derivative is written with.
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    name: getattr(FLOAT, name, OPS[name].forward) for name in functions()
    if OPS[name].param is None}
_FUNCTIONS["sign"] = lambda x: math.copysign(1.0, x) if x else 0.0


def evaluate_rule(text: str, env: Mapping[str, float]) -> float:
    """The value of the formula ``text`` with its names taken from ``env``.

    Anything outside the whitelist, an unknown name or a text over ``MAX_RULE_LENGTH``
    characters raises ``ExpressionError`` naming the formula.
    """
    if not isinstance(text, str) or len(text) > MAX_RULE_LENGTH:
        raise ExpressionError(f"rule formula must be a str of at most {MAX_RULE_LENGTH} "
                              f"characters, got {text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"rule formula {text!r} is not a formula: {err.msg}") from None
    return float(_walk(tree.body, env, text))


def _walk(node: ast.AST, env: Mapping[str, float], text: str) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise ExpressionError(f"rule formula {text!r}: unknown name {node.id!r}; "
                                  f"expected one of {', '.join(sorted(env))}")
        return float(env[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _walk(node.operand, env, text)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_walk(node.left, env, text), _walk(node.right, env, text))
    if isinstance(node, ast.IfExp):
        chosen = node.body if _test(node.test, env, text) else node.orelse
        return _walk(chosen, env, text)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS and len(node.args) == 1 and not node.keywords):
        return float(_FUNCTIONS[node.func.id](_walk(node.args[0], env, text)))
    raise ExpressionError(f"rule formula {text!r}: {type(node).__name__} is not allowed; "
                          "expected numbers, names, + - * / **, a comparison, if/else or "
                          f"one of {', '.join(sorted(_FUNCTIONS))}(...)")


def _test(node: ast.AST, env: Mapping[str, float], text: str) -> bool:
    if (isinstance(node, ast.Compare) and len(node.ops) == 1
            and type(node.ops[0]) in _COMPARE):
        left, right = _walk(node.left, env, text), _walk(node.comparators[0], env, text)
        return _COMPARE[type(node.ops[0])](left, right)
    raise ExpressionError(f"rule formula {text!r}: the condition must be one comparison "
                          "(x > 0)")
