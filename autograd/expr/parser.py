"""The expression language: arithmetic text turned into a graph of ``Value``s, never ``eval``.

``parse(text)`` reads text such as ``n = x1*w1 + x2*w2 + b; o = tanh(n)`` with
``ast.parse`` and walks a whitelist of node kinds with an explicit stack (no recursion),
compiling each statement into a small postfix program; ``Expression.evaluate`` runs that
program on the engine's ops. Anything else is refused with an ``ExpressionError`` whose
one-line message names the position (1-based column), what was found and what was
expected; ``format_error`` adds the text with a caret under the position.

>>> o = evaluate("n = x*w + b; o = tanh(n)", x=2.0, w=-3.0, b=6.5)
>>> o.label, round(o.data, 4), [c.label for c in o.children]
('o', 0.4621, ['n'])
>>> parse("y = -x**2 + 3*z").variables
('x', 'z')
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import operator
import warnings
from collections.abc import Callable, Mapping

from ..engine import Value
from ..errors import AutogradError, ExpressionError, InputTypeError
from ..ops import OPS
from .compile import Compiler, Statement, functions
from .limits import MAX_DEPTH as MAX_DEPTH
from .limits import MAX_EXPONENT, MAX_STATEMENTS, check_shape
from .limits import MAX_LENGTH as MAX_LENGTH
from .messages import fail, format_error, syntax_error
from .names import normalize, read_bindings, unicode_note

__all__ = ["Expression", "evaluate", "format_error", "functions", "parse", "parse_assignment"]

_APPLY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "**": operator.pow}


def _prepare(text: str) -> tuple[str, list[int], list[int], str]:
    """Normalized text, per-line indentation removed, line starts, and the text to parse."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    shifts = [len(line) - len(line.lstrip(" \t\f")) for line in lines]
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return text, shifts, starts, "\n".join(line[s:] for line, s in zip(lines, shifts))


class Expression:
    """Parsed text: its statements and the free variables, ready to ``evaluate``."""

    def __init__(self, text: str, statements: tuple[Statement, ...],
                 variables: dict[str, int], spelling: Mapping[str, str] | None = None) -> None:
        self.text = text
        self.statements = statements
        self._first_use = variables
        self._spelling = dict(spelling or {})  # name -> as written, where that differs
        self.variables: tuple[str, ...] = tuple(variables)  # inputs, in order of first use

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={list(self.variables)})"

    def evaluate(self, values: Mapping[str, float | Value] | None = None) -> Value:
        """Build the graph: inputs become leaves labelled with their names; return the output.

        Names assigned in the text label their nodes (``n = ...`` gives the node label n).
        """
        values = read_bindings(values)
        env: dict[str, Value] = {}
        for name in self.variables:
            if name not in values:
                close = difflib.get_close_matches(name, list(values), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                written = self._spelling.get(name, name)
                note = (f" (written {written!r})" if written != name else "") + \
                    unicode_note(name)
                given = ", ".join(values) or "none"
                raise fail(self.text, self._first_use[name],
                           f"found variable {name!r}{note} without a value{hint}; expected a "
                           f"value for each of {', '.join(self.variables)} (given: {given})")
            env[name] = _leaf(name, values[name])
        result: float | Value = 0.0
        for statement in self.statements:
            result = _run(self.text, statement.code, env)
        return result if isinstance(result, Value) else Value(result)

    def function(self) -> Callable[..., Value]:
        """The expression as ``f(*inputs)``, inputs in ``variables`` order (for gradcheck)."""
        return lambda *xs: self.evaluate(dict(zip(self.variables, xs)))


def _leaf(name: str, x: float | Value) -> Value:
    if isinstance(x, Value):
        if not x.label:
            x.label = name
        return x
    try:
        return Value(x, label=name)
    except InputTypeError as err:
        raise InputTypeError(f"variable {name!r}: {err}") from None


def _run(text: str, code: tuple[tuple, ...], env: dict[str, Value]) -> float | Value:
    """Execute one statement's postfix program; constants fold to floats via the engine."""
    stack: list = []
    for kind, arg, at, at2 in code:
        try:
            if kind == "const":
                stack.append(arg)
            elif kind == "load":
                stack.append(env[arg])
            elif kind == "neg":
                x = stack.pop()
                stack.append(-x)
            elif kind == "bin":
                b, a = stack.pop(), stack.pop()
                if arg == "**" and type(b) is float and not abs(b) <= MAX_EXPONENT:
                    raise fail(text, at2, f"found exponent {b:g}; expected a constant exponent "
                                          f"between -{MAX_EXPONENT} and {MAX_EXPONENT}")
                folded = type(a) is float and type(b) is float
                out = _APPLY[arg](Value(a) if folded else a, b)
                stack.append(_finite(text, at, out.data) if folded else out)
            elif kind == "call":
                name, nargs = arg
                args = stack[-nargs:]
                del stack[-nargs:]
                x, params = args[0], args[1:]
                if params and type(params[0]) is not float:
                    raise fail(text, at, f"found a {OPS[name].param} that depends on a "
                                         f"variable in {name}(); expected a constant number")
                out = getattr(Value(x) if type(x) is float else x, name)(*params)
                stack.append(_finite(text, at, out.data) if type(x) is float else out)
            else:  # store
                x = stack.pop()
                node = Value(x, label=arg) if type(x) is float else x
                if not node.label:
                    node.label = arg
                env[arg] = node
                stack.append(node)
        except ExpressionError:
            raise
        except (AutogradError, ArithmeticError, ValueError) as err:
            raise fail(text, at, str(err)) from None
    return stack[-1]


def _finite(text: str, at: int, x: float) -> float:
    """A folded constant, refused when it is inf or nan as a literal 1e999 would be."""
    if not math.isfinite(x):
        raise fail(text, at, f"found a constant part that evaluates to {x!r}; expected "
                             "finite numbers (write the number itself, within a float)")
    return x


def parse(text: str) -> Expression:
    """Parse and check ``text`` (never evaluating it); raise ``ExpressionError`` if bad."""
    if not isinstance(text, str):
        raise ExpressionError(f"expression: expected text (str), got {type(text).__name__}")
    text, shifts, starts, source = _prepare(text)
    check_shape(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="exec")
    except SyntaxError as err:
        raise syntax_error(text, starts, shifts, err) from None
    except (RecursionError, MemoryError, ValueError) as err:
        if isinstance(err, ValueError):
            raise fail(text, None, "found text the parser cannot handle (characters it "
                                   "cannot read); expected printable text") from None
        raise fail(text, None, "found text the parser cannot handle (too deeply nested); "
                               "expected shorter chains: split them with 'name = ...;' "
                               "statements") from None
    if len(tree.body) > MAX_STATEMENTS:
        raise fail(text, None, f"found {len(tree.body):,} statements; expected at most "
                               f"{MAX_STATEMENTS:,}")
    compiler = Compiler(text, shifts, starts)
    statements = tuple(compiler.statement(node) for node in tree.body)
    spelling = {n: w for n, (w, _) in compiler.spelling.items() if w != n}
    return Expression(text, statements, compiler.free, spelling)


def evaluate(text: str, /, **variables: float | Value) -> Value:
    """Parse ``text`` and evaluate it with the given variables: the output ``Value``."""
    return parse(text).evaluate(variables)


def parse_assignment(item: str) -> tuple[str, float]:
    """Read a command-line ``name=number`` (``x1=2``, ``w1=-3``, ``b=6.88``)."""
    name, eq, number = item.partition("=")
    name, number = normalize(name.strip()), number.strip()  # as the expression reads it
    example = "expected NAME=NUMBER, e.g. x1=2"
    if not eq:
        raise ExpressionError(f"variable {item!r}: found no '='; {example}", item, None)
    if not name.isidentifier() or keyword.iskeyword(name) or name in functions():
        what = " (it is a function name)" if name in functions() else ""
        raise ExpressionError(f"variable {item!r}: found {name!r}, not a variable name{what}; "
                              f"{example}", item, 0)
    try:
        return name, float(number)
    except ValueError:
        raise ExpressionError(f"variable {item!r}: found {number!r}, not a number; {example}",
                              item, len(item) - len(item.partition("=")[2])) from None
