"""Numbers that come from a page, a message or the command line, checked at the door.

Each is a real number (not a bool, not text), finite, and inside its range, or it is
refused with a ``ValueError`` that names it; the user's ``Value``s are never touched by
a number that failed here. The learning rate's range is ``(0, MAX_LR]``.

>>> checked("lr", 0.5, low=0.0, high=MAX_LR, open_low=True)
0.5
>>> checked("lr", float("nan"), low=0.0, high=MAX_LR, open_low=True)
Traceback (most recent call last):
...
autograd.errors.OptionError: lr must be a finite number in (0, 1e+06], got nan
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import OptionError
from ..real import as_real

__all__ = ["MAX_LR", "checked", "checked_index", "learning_rate"]

MAX_LR = 1e6


def _range(low: float | None, high: float | None, open_low: bool) -> str:
    if low is None and high is None:
        return ""
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    return f" in {'(' if open_low else '['}{lo:g}, {hi:g}]"


def checked(name: str, value: Any, low: float | None = None, high: float | None = None,
            open_low: bool = False) -> float:
    """``value`` as a float when it is a finite real number in range, else ``OptionError``
    (a ``ValueError``; a ``TypeError`` for a non-number) naming ``name``."""
    x = as_real(value, name)
    if not math.isfinite(x) or (low is not None and (x <= low if open_low else x < low)) \
            or (high is not None and x > high):
        raise OptionError(f"{name} must be a finite number{_range(low, high, open_low)}, "
                          f"got {value!r}")
    return x


def learning_rate(value: Any, name: str = "lr") -> float:
    """A learning rate: finite, > 0 and at most ``MAX_LR``."""
    return checked(name, value, low=0.0, high=MAX_LR, open_low=True)


def checked_index(name: str, value: Any, size: int) -> int:
    """An index into ``size`` items: an int in ``[0, size)``, else ``OptionError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise OptionError(f"{name} must be a whole number in [0, {size}), got {value!r}")
    if not 0 <= value < size:
        raise OptionError(f"{name} must be in [0, {size}) (there are {size} samples), "
                          f"got {value}")
    return value
