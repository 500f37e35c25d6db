"""A record of the array operations a numpy program ran on Values, kept while asked for.

Each numpy operation on arrays of Values adds one :class:`Record` (its name and its
output array; for an element-wise link, the one array of Values it was computed from).
``check_backprop`` reads the records to name places in the user's forward pass
("the output of matmul #3"); outside :func:`recording` nothing is kept.

>>> import numpy as np
>>> from autograd.arrays import np_values
>>> with recording() as tape:
...     z = np.tanh(np_values(np.ones((2, 2)), "W") @ np.ones((2, 1)))
>>> [(r.number, r.name, r.shape) for r in tape]
[(0, 'matmul', (2, 1)), (1, 'tanh', (2, 1))]
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Record", "record", "recording"]

_state = threading.local()


@dataclass(eq=False)
class Record:
    """One array operation: its number on the tape, name, output and element-wise input."""

    number: int
    name: str
    out: np.ndarray  # object array of the Values it produced
    link: np.ndarray | None = None  # the one array of Values an element-wise op read

    @property
    def shape(self) -> tuple[int, ...]:
        return self.out.shape

    def __str__(self) -> str:
        shape = "x".join(map(str, self.shape)) or "scalar"
        return f"{self.name} #{self.number} ({shape})"


@contextmanager
def recording() -> Iterator[list[Record]]:
    """Keep a :class:`Record` of every array operation in this thread until the block ends."""
    previous = getattr(_state, "tape", None)
    tape: list[Record] = []
    _state.tape = tape
    try:
        yield tape
    finally:
        _state.tape = previous


def record(name: str, out: Any, link: Any = None) -> None:
    """Add an operation's output (an object array, or one Value) to the active tape."""
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
    tape.append(Record(len(tape), name, arr, None if link is None else np.asarray(link)))
