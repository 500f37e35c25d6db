"""``as_real``: what every door of the engine accepts as a number, and the error otherwise.

It sits below ``Value`` so that the builders, backward and the readers can all check a
number the same way without importing the class.

>>> as_real(3, "Value()")
3.0
>>> as_real("3", "Value()")
Traceback (most recent call last):
  ...
autograd.errors.InputTypeError: Value() expects a real number, got '3' (str)
"""

from __future__ import annotations

import numbers
from typing import Any

from .errors import InputTypeError

__all__ = ["as_real"]


def as_real(x: Any, where: str) -> float:
    """``x`` as a float if it is a real number (bool excluded), else a clear TypeError."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool) and type(x).__name__ != "bool_":
        try:
            return float(x)
        except OverflowError:
            return float("inf") if x > 0 else float("-inf")
    raise InputTypeError(f"{where} expects a real number, got {x!r} ({type(x).__name__})")
