"""Backprop exercises after micrograd's lecture, each with a prompt, hints and a checker.

In order: a derivative by finite differences (``slope``), each op's local derivative
(``local``), the neuron's backward pass by hand (``neuron``, graded by
``check_hand_grads``), an op written with its backward (``op``, gradcheck and blame), a
numpy layer derived by hand (``layer``, ``check_backprop``). ``check(name, answer)``
returns a line of praise or raises ``AssertionError`` with the diagnosis, so pytest,
nbgrader and otter grade it as it is; ``write_notebook`` (and ``autograd exercises -o
FILE.ipynb --lang en|zh``) writes them as a notebook.

>>> from autograd import exercises
>>> exercises.check("slope", lambda f, x, h=0.0001: (f(x + h) - f(x)) / h)
'slope: right. The slope of f at 3 is 14, as the lecture finds.'
>>> exercises.check("slope", lambda f, x, h=0.0001: f(x + h) - f(x))
Traceback (most recent call last):
...
AssertionError: slope: not yet.
f(x) = 3x**2 - 4x + 5 at x = 3: yours is 0.0014, the slope is 14.0000
you did not divide by h: rise over run is (f(x + h) - f(x)) / h
"""

from __future__ import annotations

from typing import Any

from ..lazy import as_missing_dependency
from .exercise import LANGS, Exercise, Text
from .notebook import notebook, write_notebook
from .table import EXERCISES, get

__all__ = ["EXERCISES", "LANGS", "Exercise", "Text", "check", "get", "hints", "notebook",
           "write_notebook"]


def check(name: str, answer: Any) -> str:
    """Grade ``answer`` for exercise ``name``: a line saying it is right, else
    ``AssertionError`` with what is wrong and why (``NotImplementedError`` from an answer
    not written yet passes through). An exercise that needs numpy says so where it is
    missing (``MissingDependency``)."""
    exercise = get(name)
    try:
        return exercise.checker(answer)
    except ModuleNotFoundError as err:
        missing = as_missing_dependency(err, f"exercise {name!r}")
        if missing is None:
            raise
        raise missing from None


def hints(name: str, lang: str = "en") -> list[str]:
    """The exercise's hints, in ``lang``."""
    return [h[lang] for h in get(name).hints]
