"""Expression errors that point: one-line messages naming the position (line and 1-based
column), what was found and what was expected, and ``format_error``'s caret under it.

>>> err = fail("x * * y", 4, "found '*'; expected a number")
>>> print(format_error(err))
column 5: found '*'; expected a number
  x * * y
      ^
"""

from __future__ import annotations

import re
import sys

from ..errors import ExpressionError

__all__ = ["EXPECTED", "fail", "format_error", "snippet", "syntax_error", "where"]

EXPECTED = "a number, a name, + - * / **, parentheses or a function call"


def where(text: str, pos: int) -> str:
    """``column 5``, or ``line 2, column 5`` for text of several lines."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}" if "\n" in text else f"column {col}"


def fail(text: str, pos: int | None, message: str) -> ExpressionError:
    """The error to raise: ``message`` after where it happened (None: the whole text)."""
    place = "expression" if pos is None else where(text, pos)
    return ExpressionError(f"{place}: {message}", text, pos)


def snippet(text: str, start: int, end: int) -> str:
    """``text[start:end]`` on one line, quoted, cut to 30 characters: what was found."""
    piece = " ".join(text[start:end].split())
    return repr(piece if len(piece) <= 30 else piece[:27] + "...")


def format_error(err: ExpressionError, width: int = 72) -> str:
    """The error's one-line message, then the text's line with a caret under the position."""
    text, pos = err.text, err.position
    if pos is None or not text:
        return str(err)
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = "".join(" " if c < " " else "\ufffd" if "\ud800" <= c <= "\udfff" else c
                   for c in text[start:len(text) if end < 0 else end])  # printable, same width
    col = pos - start
    lo = max(0, min(col - width // 2, len(line) - width))
    shown = ("..." if lo else "") + line[lo:lo + width] + ("..." if lo + width < len(line) else "")
    return f"{err}\n  {shown}\n  {' ' * (col - lo + (3 if lo else 0))}^"


def _long_integer(text: str) -> tuple[int | None, int]:
    """Where the first integer literal with too many digits for Python is, and its digits."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
    at = 0
    for line in text.split("\n"):
        code = line.split("#", 1)[0]
        for m in re.finditer(r"(?<![\w.])\d[\d_]*(?![\w.])", code):
            digits = len(m.group().replace("_", ""))
            if digits > limit:
                return at + m.start(), digits
        at += len(line) + 1
    return None, 0


def syntax_error(text: str, starts: list[int], shifts: list[int],
                 err: SyntaxError) -> ExpressionError:
    """Python's ``SyntaxError`` from ``ast.parse`` said our way: the token found and what fits."""
    row = min(max((err.lineno or 1) - 1, 0), len(starts) - 1)
    line_len = len(text.split("\n")[row])
    pos = min(starts[row] + shifts[row] + max((err.offset or 1) - 1, 0), starts[row] + line_len)
    token = re.match(r"[\w.]+|\*\*|//|==|\S", text[pos:].lstrip(" \t"))
    found = repr(token.group()[:20]) if token else "the end of the text"
    msg = (err.msg or "invalid syntax").split(" - ")[0].split(": value has")[0]
    if "integer string conversion" in msg:  # Python's own position and words are off here
        at, digits = _long_integer(text)
        return fail(text, at, f"found a number of {digits:,} digits, too large for a float; "
                              "expected a finite number")
    if "never closed" in msg:
        return fail(text, pos, f"found {found} that is never closed; expected a matching ')'")
    if msg.startswith("unmatched"):
        return fail(text, pos, f"found {found} without a matching opening bracket; "
                               "expected an operator or the end")
    if msg.startswith("invalid syntax") and found != "the end of the text":
        before = text[:pos].rstrip()
        if not before or before[-1] in "+-*/(,=;":  # an operand is missing here
            return fail(text, pos, f"found {found}; expected a number, a name, '(' or a "
                                   "function call")
        return fail(text, pos, f"found {found}; expected an operator (+ - * / **), "
                               "';' or the end")
    return fail(text, pos, f"found {found}; expected {EXPECTED} ({msg})")
