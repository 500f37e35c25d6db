"""What the expression language accepts before parsing: at most so many characters,
nested parentheses (not counting comments) and statements, printable Unicode text, and
something to compute."""

from __future__ import annotations

from .messages import fail

__all__ = ["MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH", "MAX_STATEMENTS", "check_shape"]

MAX_LENGTH = 10_000  # characters of text
MAX_DEPTH = 100  # nested parentheses (Python's own parser gives up at 200)
MAX_EXPONENT = 1000  # largest |n| of a constant exponent
MAX_STATEMENTS = 1000


def check_shape(text: str) -> None:
    """Refuse text that is too long, nested too deep, has control characters or is empty."""
    if len(text) > MAX_LENGTH:
        raise fail(text, None, f"found {len(text):,} characters; expected at most "
                               f"{MAX_LENGTH:,}")
    depth, comment = 0, False
    for i, ch in enumerate(text):
        if ch < " " and ch not in "\n\t\f":
            raise fail(text, i, f"found the control character {ch!r}; expected printable text")
        if "\ud800" <= ch <= "\udfff":
            raise fail(text, i, f"found the lone surrogate {ch!r}, half of a character that "
                                "is not there; expected valid Unicode text")
        if comment or ch == "#":  # brackets in a comment are not nesting
            comment = ch != "\n"
        elif ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise fail(text, i, f"found more than {MAX_DEPTH} nested parentheses; "
                                    f"expected at most {MAX_DEPTH} levels")
        elif ch in ")]}":
            depth = max(0, depth - 1)
    if not text.strip() or all(not line.strip() or line.strip().startswith("#")
                               for line in text.split("\n")):
        raise fail(text, None, "found nothing; expected an expression such as 'x*w + b'")
