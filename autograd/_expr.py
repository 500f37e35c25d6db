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
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .engine import Value
from .errors import AutogradError, ExpressionError, InputTypeError
from .ops import OPS

__all__ = ["Expression", "evaluate", "format_error", "functions", "parse", "parse_assignment"]

MAX_LENGTH = 10_000  # characters of text
MAX_DEPTH = 100  # nested parentheses (Python's own parser gives up at 200)
MAX_EXPONENT = 1000  # largest |n| of a constant exponent
MAX_STATEMENTS = 1000

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_APPLY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "**": operator.pow}
_REFUSED_OPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
                ast.Not: "not", ast.Invert: "~"}
_KINDS = {ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
          ast.Compare: "a comparison", ast.BoolOp: "'and'/'or'", ast.IfExp: "an if-expression",
          ast.Dict: "a dict", ast.List: "a list", ast.Tuple: "a tuple (a comma)", ast.Set: "a set",
          ast.JoinedStr: "an f-string", ast.NamedExpr: "':='", ast.Starred: "'*' unpacking",
          ast.Import: "an import", ast.ImportFrom: "an import", ast.AugAssign: "an augmented "
          "assignment", ast.AnnAssign: "an annotation"}
_EXPECTED = "a number, a name, + - * / **, parentheses or a function call"


def functions() -> list[str]:
    """The function names the language knows: the op table's ops exposed as methods."""
    return sorted(name for name, op in OPS.items() if op.method)


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}" if "\n" in text else f"column {col}"


def _fail(text: str, pos: int | None, message: str) -> ExpressionError:
    where = "expression" if pos is None else _where(text, pos)
    return ExpressionError(f"{where}: {message}", text, pos)


def _snippet(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())
    return repr(piece if len(piece) <= 30 else piece[:27] + "...")


def format_error(err: ExpressionError, width: int = 72) -> str:
    """The error's one-line message, then the text's line with a caret under the position."""
    text, pos = err.text, err.position
    if pos is None or not text:
        return str(err)
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = "".join(c if c >= " " else " " for c in text[start:len(text) if end < 0 else end])
    col = pos - start
    lo = max(0, min(col - width // 2, len(line) - width))
    shown = ("..." if lo else "") + line[lo:lo + width] + ("..." if lo + width < len(line) else "")
    return f"{err}\n  {shown}\n  {' ' * (col - lo + (3 if lo else 0))}^"


@dataclass(frozen=True)
class Statement:
    """One compiled statement: its target name (None for a bare expression) and program."""

    target: str | None
    source: str
    code: tuple[tuple, ...]  # postfix: (kind, argument, position, second position)


class _Compiler:
    """Turns the whitelisted AST into postfix programs, iteratively."""

    def __init__(self, text: str, shifts: list[int], starts: list[int]) -> None:
        self.text, self.shifts, self.starts = text, shifts, starts
        self.lines = text.split("\n")
        self.free: dict[str, int] = {}  # input name -> position of first use
        self.bound: set[str] = set()
        self.known = functions()

    def pos(self, node: ast.AST, end: bool = False) -> int:
        row = (node.end_lineno if end else node.lineno) - 1
        col = node.end_col_offset if end else node.col_offset
        line = self.lines[row][self.shifts[row]:]
        chars = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return self.starts[row] + self.shifts[row] + chars

    def refuse(self, node: ast.AST, expected: str = _EXPECTED) -> ExpressionError:
        kind = _KINDS.get(type(node))
        if isinstance(node, ast.Constant):
            kind = "a string" if isinstance(node.value, (str, bytes)) else None
        found = (kind + " " if kind else "") + _snippet(
            self.text, self.pos(node), self.pos(node, end=True))
        return _fail(self.text, self.pos(node), f"found {found}; expected {expected}")

    def statement(self, node: ast.stmt) -> Statement:
        source = self.text[self.pos(node):self.pos(node, end=True)]
        if isinstance(node, ast.Expr):
            return Statement(None, source, self.expression(node.value))
        if not isinstance(node, ast.Assign):
            raise self.refuse(node, "an expression or an assignment 'name = expression'")
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise self.refuse(node.targets[-1], "one name to assign to, as in 'n = x*w + b'")
        code = self.expression(node.value)
        name, at = node.targets[0].id, self.pos(node.targets[0])
        if name in self.free or name in self.bound:
            what = "an input variable" if name in self.free else "already assigned"
            raise _fail(self.text, at, f"found assignment to {name!r}, which is {what}; "
                                       "expected a new name")
        self.bound.add(name)
        return Statement(name, source, code + (("store", name, at, at),))

    def expression(self, root: ast.expr) -> tuple[tuple, ...]:
        code: list[tuple] = []
        stack: list[tuple[ast.AST, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            at = self.pos(node)
            if ready:
                if isinstance(node, ast.UnaryOp):
                    if isinstance(node.op, ast.USub):
                        code.append(("neg", None, at, at))
                elif isinstance(node, ast.BinOp):
                    sym = _BINOPS[type(node.op)]
                    code.append(("bin", sym, self.operator_pos(node), self.pos(node.right)))
                else:
                    code.append(("call", (node.func.id, len(node.args)), at, at))
                continue
            if isinstance(node, ast.Constant):
                code.append(("const", self.number(node), at, at))
            elif isinstance(node, ast.Name):
                if node.id not in self.bound:
                    self.free.setdefault(node.id, at)
                code.append(("load", node.id, at, at))
            elif isinstance(node, ast.UnaryOp) and type(node.op) in (ast.USub, ast.UAdd):
                stack += [(node, True), (node.operand, False)]
            elif isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
                stack += [(node, True), (node.right, False), (node.left, False)]
            elif isinstance(node, (ast.UnaryOp, ast.BinOp)):
                sym = _REFUSED_OPS.get(type(node.op), type(node.op).__name__)
                raise _fail(self.text, at, f"found operator {sym!r} in "
                            f"{_snippet(self.text, at, self.pos(node, True))}; "
                            "expected one of + - * / **")
            elif isinstance(node, ast.Call):
                stack += [(node, True)] + [(a, False) for a in reversed(self.call(node))]
            else:
                raise self.refuse(node)
        return tuple(code)

    def call(self, node: ast.Call) -> list[ast.expr]:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse(func, "a function name such as tanh")
        name, at = func.id, self.pos(func)
        if name not in self.known:
            close = difflib.get_close_matches(name, self.known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(self.text, at, f"found unknown function {name!r}{hint}; expected one "
                                       f"of: {', '.join(self.known)}")
        op = OPS[name]
        args = list(node.args)
        for kw in node.keywords:
            if op.param is None or kw.arg != op.param or len(args) != 1:
                raise _fail(self.text, at, f"found keyword argument {kw.arg!r} in {name}(); "
                            f"expected {self.signature(name)}")
            args.append(kw.value)
        if any(isinstance(a, ast.Starred) for a in args) or not (
                len(args) == 1 or (len(args) == 2 and op.param is not None)):
            raise _fail(self.text, at, f"found {name}() with {len(args)} arguments; "
                                       f"expected {self.signature(name)}")
        node.args[:] = args  # the optional parameter travels as a second argument
        return args

    @staticmethod
    def signature(name: str) -> str:
        op = OPS[name]
        return f"{name}(x)" if op.param is None else f"{name}(x) or {name}(x, {op.param})"

    def operator_pos(self, node: ast.BinOp) -> int:
        i, text = self.pos(node.left, end=True), self.text
        while i < len(text) and (text[i] in " \t\n)\\"):
            i += 1
        return i if i < len(text) else self.pos(node)

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if type(value) not in (int, float):
            what = "an imaginary number" if isinstance(value, complex) else None
            raise self.refuse(node) if what is None else _fail(
                self.text, self.pos(node), f"found {what}; expected a real number")
        try:
            x = float(value)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            raise _fail(self.text, self.pos(node), "found a number too large for a float; "
                                                   "expected a finite number")
        return x


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


def _check_shape(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise _fail(text, None, f"found {len(text):,} characters; expected at most "
                                f"{MAX_LENGTH:,}")
    depth = 0
    for i, ch in enumerate(text):
        if ch < " " and ch not in "\n\t\f":
            raise _fail(text, i, f"found the control character {ch!r}; expected printable text")
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _fail(text, i, f"found more than {MAX_DEPTH} nested parentheses; "
                                     f"expected at most {MAX_DEPTH} levels")
        elif ch in ")]}":
            depth = max(0, depth - 1)
    if not text.strip() or all(not line.strip() or line.strip().startswith("#")
                               for line in text.split("\n")):
        raise _fail(text, None, "found nothing; expected an expression such as 'x*w + b'")


def _syntax_error(text: str, starts: list[int], shifts: list[int],
                  err: SyntaxError) -> ExpressionError:
    row = min(max((err.lineno or 1) - 1, 0), len(starts) - 1)
    line_len = len(text.split("\n")[row])
    pos = min(starts[row] + shifts[row] + max((err.offset or 1) - 1, 0), starts[row] + line_len)
    token = re.match(r"[\w.]+|\*\*|//|==|\S", text[pos:].lstrip(" \t"))
    found = repr(token.group()[:20]) if token else "the end of the text"
    msg = (err.msg or "invalid syntax").split(" - ")[0].split(": value has")[0]
    if "never closed" in msg:
        return _fail(text, pos, f"found {found} that is never closed; expected a matching ')'")
    if msg.startswith("unmatched"):
        return _fail(text, pos, f"found {found} without a matching opening bracket; "
                                "expected an operator or the end")
    if msg.startswith("invalid syntax") and found != "the end of the text":
        before = text[:pos].rstrip()
        if not before or before[-1] in "+-*/(,=;":  # an operand is missing here
            return _fail(text, pos, f"found {found}; expected a number, a name, '(' or a "
                                    "function call")
        return _fail(text, pos, f"found {found}; expected an operator (+ - * / **), "
                                "';' or the end")
    return _fail(text, pos, f"found {found}; expected {_EXPECTED} ({msg})")


class Expression:
    """Parsed text: its statements and the free variables, ready to ``evaluate``."""

    def __init__(self, text: str, statements: tuple[Statement, ...],
                 variables: dict[str, int]) -> None:
        self.text = text
        self.statements = statements
        self._first_use = variables
        self.variables: tuple[str, ...] = tuple(variables)  # inputs, in order of first use

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={list(self.variables)})"

    def evaluate(self, values: Mapping[str, float | Value] | None = None) -> Value:
        """Build the graph: inputs become leaves labelled with their names; return the output.

        Names assigned in the text label their nodes (``n = ...`` gives the node label n).
        """
        values = dict(values or {})
        env: dict[str, Value] = {}
        for name in self.variables:
            if name not in values:
                close = difflib.get_close_matches(name, list(values), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                given = ", ".join(values) or "none"
                raise _fail(self.text, self._first_use[name],
                            f"found variable {name!r} without a value{hint}; expected a value "
                            f"for each of {', '.join(self.variables)} (given: {given})")
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
                if arg == "**" and type(b) is float and abs(b) > MAX_EXPONENT:
                    raise _fail(text, at2, f"found exponent {b:g}; expected a constant exponent "
                                           f"between -{MAX_EXPONENT} and {MAX_EXPONENT}")
                folded = type(a) is float and type(b) is float
                out = _APPLY[arg](Value(a) if folded else a, b)
                stack.append(out.data if folded else out)
            elif kind == "call":
                name, nargs = arg
                args = stack[-nargs:]
                del stack[-nargs:]
                x, params = args[0], args[1:]
                if params and type(params[0]) is not float:
                    raise _fail(text, at, f"found a {OPS[name].param} that depends on a "
                                          f"variable in {name}(); expected a constant number")
                out = getattr(Value(x) if type(x) is float else x, name)(*params)
                stack.append(out.data if type(x) is float else out)
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
            raise _fail(text, at, str(err)) from None
    return stack[-1]


def parse(text: str) -> Expression:
    """Parse and check ``text`` (never evaluating it); raise ``ExpressionError`` if bad."""
    if not isinstance(text, str):
        raise ExpressionError(f"expression: expected text (str), got {type(text).__name__}")
    text, shifts, starts, source = _prepare(text)
    _check_shape(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="exec")
    except SyntaxError as err:
        raise _syntax_error(text, starts, shifts, err) from None
    except (RecursionError, MemoryError, ValueError) as err:
        detail = "a NUL character" if isinstance(err, ValueError) else "too deeply nested"
        raise _fail(text, None, f"found text the parser cannot handle ({detail}); expected "
                                "shorter chains: split them with 'name = ...;' statements") \
            from None
    if len(tree.body) > MAX_STATEMENTS:
        raise _fail(text, None, f"found {len(tree.body):,} statements; expected at most "
                                f"{MAX_STATEMENTS:,}")
    compiler = _Compiler(text, shifts, starts)
    statements = tuple(compiler.statement(node) for node in tree.body)
    return Expression(text, statements, compiler.free)


def evaluate(text: str, /, **variables: float | Value) -> Value:
    """Parse ``text`` and evaluate it with the given variables: the output ``Value``."""
    return parse(text).evaluate(variables)


def parse_assignment(item: str) -> tuple[str, float]:
    """Read a command-line ``name=number`` (``x1=2``, ``w1=-3``, ``b=6.88``)."""
    name, eq, number = item.partition("=")
    name, number = name.strip(), number.strip()
    example = "expected NAME=NUMBER, e.g. x1=2"
    if not eq:
        raise ExpressionError(f"variable {item!r}: found no '='; {example}", item, None)
    if not name.isidentifier() or keyword.iskeyword(name) or name in functions():
        raise ExpressionError(f"variable {item!r}: found {name!r}, not a variable name; "
                              f"{example}", item, 0)
    try:
        return name, float(number)
    except ValueError:
        raise ExpressionError(f"variable {item!r}: found {number!r}, not a number; {example}",
                              item, len(item) - len(item.partition("=")[2])) from None
