"""Expression text's syntax tree to postfix programs: a whitelist of ``ast`` node kinds
walked with an explicit stack (no recursion); anything else is refused with a position."""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import dataclass

from ..errors import ExpressionError
from ..ops import OPS
from .messages import EXPECTED, fail, snippet, where

__all__ = ["Compiler", "Statement", "functions"]

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED_OPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
                ast.Not: "not", ast.Invert: "~"}
_KINDS = {ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
          ast.Compare: "a comparison", ast.BoolOp: "'and'/'or'", ast.IfExp: "an if-expression",
          ast.Dict: "a dict", ast.List: "a list", ast.Tuple: "a tuple (a comma)", ast.Set: "a set",
          ast.JoinedStr: "an f-string", ast.NamedExpr: "':='", ast.Starred: "'*' unpacking",
          ast.Import: "an import", ast.ImportFrom: "an import", ast.AugAssign: "an augmented "
          "assignment", ast.AnnAssign: "an annotation"}


def functions() -> list[str]:
    """The function names the language knows: the op table's ops exposed as methods."""
    return sorted(name for name, op in OPS.items() if op.method)


@dataclass(frozen=True)
class Statement:
    """One compiled statement: its target name (None for a bare expression) and program."""

    target: str | None
    source: str
    code: tuple[tuple, ...]  # postfix: (kind, argument, position, second position)


class Compiler:
    """Turns the whitelisted AST into postfix programs, iteratively."""

    def __init__(self, text: str, shifts: list[int], starts: list[int]) -> None:
        self.text, self.shifts, self.starts = text, shifts, starts
        self.lines = text.split("\n")
        self.free: dict[str, int] = {}  # input name -> position of first use
        self.bound: set[str] = set()
        self.known = functions()
        self.spelling: dict[str, tuple[str, int]] = {}  # name -> (as first written, where)

    def pos(self, node: ast.AST, end: bool = False) -> int:
        row = (node.end_lineno if end else node.lineno) - 1
        col = node.end_col_offset if end else node.col_offset
        line = self.lines[row][self.shifts[row]:]
        chars = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return self.starts[row] + self.shifts[row] + chars

    def refuse(self, node: ast.AST, expected: str = EXPECTED) -> ExpressionError:
        kind = _KINDS.get(type(node))
        if isinstance(node, ast.Constant):
            kind = "a string" if isinstance(node.value, (str, bytes)) else None
        found = (kind + " " if kind else "") + snippet(
            self.text, self.pos(node), self.pos(node, end=True))
        return fail(self.text, self.pos(node), f"found {found}; expected {expected}")

    def statement(self, node: ast.stmt) -> Statement:
        source = self.text[self.pos(node):self.pos(node, end=True)]
        if isinstance(node, ast.Expr):
            return Statement(None, source, self.expression(node.value))
        if not isinstance(node, ast.Assign):
            raise self.refuse(node, "an expression or an assignment 'name = expression'")
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise self.refuse(node.targets[-1], "one name to assign to, as in 'n = x*w + b'")
        code = self.expression(node.value)
        name, at = self.name(node.targets[0]), self.pos(node.targets[0])
        if name in self.free or name in self.bound:
            what = "an input variable" if name in self.free else "already assigned"
            raise fail(self.text, at, f"found assignment to {name!r}, which is {what}; "
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
                name = self.name(node)
                if name not in self.bound:
                    self.free.setdefault(name, at)
                code.append(("load", name, at, at))
            elif isinstance(node, ast.UnaryOp) and type(node.op) in (ast.USub, ast.UAdd):
                stack += [(node, True), (node.operand, False)]
            elif isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
                stack += [(node, True), (node.right, False), (node.left, False)]
            elif isinstance(node, (ast.UnaryOp, ast.BinOp)):
                sym = _REFUSED_OPS.get(type(node.op), type(node.op).__name__)
                raise fail(self.text, at, f"found operator {sym!r} in "
                           f"{snippet(self.text, at, self.pos(node, True))}; "
                           "expected one of + - * / **")
            elif isinstance(node, ast.Call):
                stack += [(node, True)] + [(a, False) for a in reversed(self.call(node))]
            else:
                raise self.refuse(node)
        return tuple(code)

    def name(self, node: ast.Name) -> str:
        """A variable's name; refuse a function name, or one name spelled two ways."""
        name, at = node.id, self.pos(node)
        written = self.text[at:self.pos(node, end=True)]
        if name in self.known:
            raise fail(self.text, at, f"found the function name {written!r} used as a "
                                      f"variable; expected a call such as {name}(x), or "
                                      "another name for the variable")
        first, first_at = self.spelling.setdefault(name, (written, at))
        if written != first:
            raise fail(self.text, at, f"found {written!r} here and {first!r} at "
                                      f"{where(self.text, first_at)}, which Python reads as "
                                      f"one name {name!r}; expected one spelling per name "
                                      "(plain ASCII names are safest)")
        return name

    def call(self, node: ast.Call) -> list[ast.expr]:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse(func, "a function name such as tanh")
        name, at = func.id, self.pos(func)
        if name not in self.known:
            close = difflib.get_close_matches(name, self.known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise fail(self.text, at, f"found unknown function {name!r}{hint}; expected one "
                                      f"of: {', '.join(self.known)}")
        op = OPS[name]
        args = list(node.args)
        for kw in node.keywords:
            if op.param is None or kw.arg != op.param or len(args) != 1:
                raise fail(self.text, at, f"found keyword argument {kw.arg!r} in {name}(); "
                           f"expected {self.signature(name)}")
            args.append(kw.value)
        if any(isinstance(a, ast.Starred) for a in args) or not (
                len(args) == 1 or (len(args) == 2 and op.param is not None)):
            raise fail(self.text, at, f"found {name}() with {len(args)} arguments; "
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
            raise self.refuse(node) if what is None else fail(
                self.text, self.pos(node), f"found {what}; expected a real number")
        try:
            x = float(value)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            raise fail(self.text, self.pos(node), "found a number too large for a float; "
                                                  "expected a finite number")
        return x
