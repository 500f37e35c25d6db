"""A record of the array operations a numpy program ran on Values, kept while asked for.

Each numpy operation on arrays of Values adds one :class:`Record`: its name, its output
array, the one array of Values an element-wise op read (its ``link``), and the
expression it computed, written back from its inputs (``np.tanh(X @ W)``: parameters
by their label, data arrays by the names given to :func:`recording`). ``check_backprop``
reads the records to name places in the user's forward pass; outside :func:`recording`
nothing is kept.

>>> from autograd.arrays import np_values
>>> X = np.ones((2, 2))
>>> with recording({id(X): "X"}) as tape:
...     z = np.tanh(X @ np_values(np.ones((2, 1)), "W"))
>>> [str(r) for r in tape]
['`X @ W` (2x1)', '`np.tanh(X @ W)` (2x1)']
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Record", "record", "recording"]

_state = threading.local()
_INFIX = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "true_divide": "/",
          "power": "**", "matmul": "@"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "@": 2, "neg": 3, "**": 4, "": 5}
_LONG = 70  # past this many characters an input is named by its record instead
_SIGMOID = re.compile(r"^1(?:\.0)? / \((?:1(?:\.0)? \+ np\.exp\(-(.+)\)|np\.exp\(-(.+)\) \+ "
                      r"1(?:\.0)?)\)$")  # 1 / (1 + np.exp(-z)) reads as sigmoid(z)


@dataclass(eq=False)
class Record:
    """One array operation: its number on the tape, name, output, element-wise input and
    the expression it computed."""

    number: int
    name: str
    out: np.ndarray  # object array of the Values it produced
    link: np.ndarray | None = None  # the one array of Values an element-wise op read
    expr: str = ""
    top: str = ""  # the expression's outermost operator ("neg" for unary minus, "" for none)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.out.shape

    def __str__(self) -> str:
        shape = "x".join(map(str, self.shape)) or "scalar"
        return f"`{self.expr or self.name}` ({shape})"


class _Tape(list):
    """The records, which record made each node, and the data arrays' names."""

    def __init__(self, names: dict[int, str]) -> None:
        super().__init__()
        self.names = names
        self.producer: dict[Any, Record] = {}


@contextmanager
def recording(names: dict[int, str] | None = None) -> Iterator[list[Record]]:
    """Keep a :class:`Record` of every array operation in this thread until the block ends;
    ``names`` maps ``id(array)`` of data arrays to the names expressions use for them."""
    previous = getattr(_state, "tape", None)
    tape = _Tape(dict(names or {}))
    _state.tape = tape
    try:
        yield tape
    finally:
        _state.tape = previous


def _source(x: Any, tape: _Tape) -> tuple[str, str]:
    """How an input reads in an expression, and its outermost operator."""
    if isinstance(x, np.ndarray) and x.dtype == object and x.size:
        first = x.flat[0]
        rec = tape.producer.get(first)
        if rec is not None:
            text, top = ((rec.expr, rec.top) if len(rec.expr) <= _LONG
                         else (f"{rec.name} #{rec.number}", ""))
            if rec.out.shape == x.shape:
                return text, top
            transposed = rec.out.ndim == 2 and _same(x, rec.out.T)
            return _wrap(text, top != "") + (".T" if transposed else "[...]"), ""
        label = getattr(first, "label", "")
        return (label.split("[")[0] + _layout(x) if label else "array"), ""
    if isinstance(x, np.ndarray):
        name = tape.names.get(id(x))
        return name or (f"{'x'.join(map(str, x.shape))} array" if x.ndim else f"{x[()]:g}"), ""
    if hasattr(x, "grad") and hasattr(x, "children"):
        rec = tape.producer.get(x)
        return (rec.expr, rec.top) if rec is not None else (x.label or f"{x.data:g}", "")
    text = f"{x:g}" if isinstance(x, (int, float)) else type(x).__name__
    return text, "neg" if text.startswith("-") else ""


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and all(x is y for x, y in zip(a.flat, b.flat))


def _layout(x: np.ndarray) -> str:
    """``.T`` when a 2-D array of labelled entries is a parameter read transposed."""
    if x.ndim == 2 and x.shape[1] > 1:
        label = getattr(x[0, 1], "label", "")
        if label.endswith("[1,0]"):
            return ".T"
    return ""


def _wrap(text: str, parens: bool) -> str:
    return f"({text})" if parens else text


def _expression(name: str, inputs: tuple[Any, ...], options: dict[str, Any],
                tape: _Tape) -> tuple[str, str]:
    """The expression an op computed from its inputs, with its outermost operator:
    Python's precedence, plus parentheses where two operators of one level meet."""
    parts = [_source(x, tape) for x in inputs]
    symbol = _INFIX.get(name)
    if symbol is not None and len(parts) == 2:
        p = _PRECEDENCE[symbol]
        (left, ltop), (right, rtop) = parts
        lp, rp = _PRECEDENCE[ltop], _PRECEDENCE[rtop]
        lparen = lp < p or (lp == p and (symbol == "**" or ltop != symbol))
        rparen = rp < p or (rp == p and symbol != "**")
        return f"{_wrap(left, lparen)} {symbol} {_wrap(right, rparen)}", symbol
    if name == "negative" and len(parts) == 1:
        text, top = parts[0]
        return "-" + _wrap(text, _PRECEDENCE[top] < _PRECEDENCE["neg"]), "neg"
    args = [text for text, _ in parts]
    args += [f"{k}={v!r}" for k, v in options.items() if v is not None and v is not False]
    return f"np.{name}({', '.join(args)})", ""


def record(name: str, out: Any, link: Any = None, inputs: tuple[Any, ...] = (),
           options: dict[str, Any] | None = None) -> None:
    """Add an operation's output (an object array, or one Value) to the active tape, with
    the inputs (and keyword options) it was computed from."""
    tape = getattr(_state, "tape", None)
    if tape is None:
        return
    if isinstance(out, np.ndarray):
        if out.dtype != object:
            return
        arr = out.view(np.ndarray)
    elif hasattr(out, "grad") and hasattr(out, "children"):
        arr = np.empty((), dtype=object)
        arr[()] = out
    else:
        return
    expr, top = _expression(name, inputs, options or {}, tape)
    sigmoid = _SIGMOID.match(expr)
    if sigmoid:
        inner = sigmoid.group(1) or sigmoid.group(2)
        inner = inner[1:-1] if inner.startswith("(") and inner.endswith(")") else inner
        expr, top = f"sigmoid({inner})", ""
    rec = Record(len(tape), name, arr, None if link is None else np.asarray(link), expr, top)
    tape.append(rec)
    for v in arr.flat:
        tape.producer.setdefault(v, rec)
