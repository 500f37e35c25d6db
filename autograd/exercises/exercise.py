"""What an exercise is (one row of the table), and the pieces every checker shares.

A row holds the exercise's texts in each language, its notebook cells (the code given,
the answer cell's head and its body as a starter and as a solution, the check call), and
its checker: a function of the learner's answer that returns a line of praise or raises
``AssertionError`` with the diagnosis, so pytest, nbgrader and otter all grade it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..check.hand_mistakes import fmt, same_to_4
from ..errors import OptionError

__all__ = ["LANGS", "Exercise", "Text", "as_number", "call", "check_lang", "fail", "near_words",
           "need_function", "number", "run"]

LANGS = ("en", "zh")  # the notebook's languages


def check_lang(lang: Any) -> str:
    """``lang`` when it is one of :data:`LANGS`, else ``OptionError`` (a ValueError)."""
    if lang not in LANGS:
        raise OptionError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


@dataclass(frozen=True)
class Text:
    """One text in every language of :data:`LANGS`."""

    en: str
    zh: str

    def __getitem__(self, lang: str) -> str:
        return str(getattr(self, check_lang(lang)))


@dataclass(frozen=True)
class Exercise:
    """One exercise: texts, notebook cells, and the checker."""

    name: str  # what ``exercises.check(name, answer)`` takes
    title: Text
    prompt: Text  # Markdown
    hints: tuple[Text, ...]
    given: str  # code shown and run before the answer cell ("" for none)
    head: str  # the answer cell's first lines (a ``def``), "" for top-level code
    starter: str  # the answer's body as handed out: raises NotImplementedError
    solution: str  # the answer's body, right
    answer: str  # the expression the check cell passes: ``slope``, ``o``
    checker: Callable[[Any], str]  # the diagnosis as AssertionError, else a line of praise
    unsolved: type[BaseException] = NotImplementedError  # what the check cell raises unsolved

    @property
    def check_code(self) -> str:
        return f"print(exercises.check({self.name!r}, {self.answer}))"

    def answer_code(self, solutions: bool) -> str:
        """The answer cell: the head and the starter, or the solution between nbgrader's
        markers (its ``generate_assignment`` turns them back into a starter)."""
        if not solutions:
            return self.head + self.starter
        pad = self.starter[: len(self.starter) - len(self.starter.lstrip())]
        return (f"{self.head}{pad}### BEGIN SOLUTION\n{self.solution.rstrip()}\n"
                f"{pad}### END SOLUTION")


def fail(name: str, lines: Sequence[str]) -> AssertionError:
    """The checker's verdict: ``AssertionError`` whose message is the diagnosis."""
    return AssertionError(f"{name}: not yet.\n" + "\n".join(lines))


def number(x: Any) -> str:
    """A number in a diagnosis (four decimals), anything else as its repr."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return fmt(float(x))
    return repr(x)


def need_function(name: str, fn: Any) -> None:
    """The diagnosis when the learner's answer is not a function."""
    if not callable(fn):
        raise fail(name, [f"expected a function, got {fn!r} ({type(fn).__name__})"])


def run(name: str, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``: the learner's code, or a grader running it. Its
    NotImplementedError (the answer is not written yet) and ModuleNotFoundError (numpy
    missing, say) are left as they are; ``fn`` not a function, or any other exception,
    becomes the diagnosis ``{what} raised Type: message``."""
    need_function(name, fn)
    try:
        return fn(*args, **kwargs)
    except (NotImplementedError, ModuleNotFoundError):  # not written yet; a missing package
        raise
    except Exception as exc:
        raise fail(name, [f"{what} raised {type(exc).__name__}: {exc}"]) from exc


def call(name: str, what: str, fn: Callable[..., Any], *args: Any) -> float:
    """``fn(*args)`` as a float (see :func:`run`); a non-number becomes the diagnosis."""
    return as_number(name, f"{what} returned", run(name, what, fn, *args))


def as_number(name: str, what: str, out: Any) -> float:
    """``out`` as a float (a Value counts as its number; numpy scalars do), else the
    diagnosis ``{what} {out!r} (type), expected a number``."""
    data = getattr(out, "data", out)
    if isinstance(data, bool) or not isinstance(data, (int, float)) and \
            type(data).__name__ not in ("float64", "float32", "int64", "int32"):
        raise fail(name, [f"{what} {out!r} ({type(out).__name__}), expected a number"])
    return float(data)


def near_words(yours: float, right: float, near: Sequence[tuple[str, float]]) -> str:
    """Why ``yours`` is not ``right``: the sign, or a nearby number it equals (the value of
    an input, the other partial...), as predict mode names a wrong local derivative."""
    if right != 0 and same_to_4(yours, -right):
        return "the sign is off"
    for what, x in near:
        if same_to_4(yours, x):
            return f"yours is {what}"
    return f"yours is {number(yours)}"
