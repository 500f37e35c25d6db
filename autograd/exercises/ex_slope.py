"""Exercise 1, the lecture's start: a derivative as rise over run (finite differences)."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..check.hand_mistakes import same_to_4
from .exercise import Exercise, Text, call, fail, number

__all__ = ["EXERCISE", "check_slope"]


def _f(x: float) -> float:
    return 3 * x**2 - 4 * x + 5  # the lecture's first function


def _d(a: float) -> float:
    return a * -3.0 + 10.0  # d = a*b + c at b=-3, c=10, as a function of a


CASES: tuple[tuple[str, Callable[[float], float], float, float], ...] = (
    ("f(x) = 3x**2 - 4x + 5 at x = 3", _f, 3.0, 14.0),
    ("f(x) = 3x**2 - 4x + 5 at x = -3", _f, -3.0, -22.0),
    ("f(x) = 3x**2 - 4x + 5 at x = 2/3", _f, 2 / 3, 0.0),
    ("d(a) = a*b + c (b = -3, c = 10) at a = 2", _d, 2.0, -3.0),
    ("sin at x = 1", math.sin, 1.0, math.cos(1.0)),
)
H = 0.0001


def _close(yours: float, right: float) -> bool:
    """A finite difference with h = 0.0001 is right to about 3 decimals."""
    return abs(yours - right) <= 2e-3 * max(1.0, abs(right))


def check_slope(slope: Callable[..., float]) -> str:
    """Grade ``slope(f, x, h=0.0001)`` on the lecture's functions."""
    for what, f, x, right in CASES:
        yours = call("slope", f"slope(f, {x:g}) for {what}", slope, f, x)
        if _close(yours, right):
            continue
        fx, fxh = f(x), f(x + H)
        if right != 0 and same_to_4(yours, right * H) or _close(yours, fxh - fx):
            why = "you did not divide by h: rise over run is (f(x + h) - f(x)) / h"
        elif right != 0 and _close(yours, -right):
            why = "the sign is off: it is f(x + h) - f(x), the later value first"
        elif right != 0 and _close(yours, 2 * right):
            why = "twice the slope: a central difference (f(x + h) - f(x - h)) spans 2h"
        elif same_to_4(yours, fx) or same_to_4(yours, fxh):
            why = "that is a value of f, not its slope"
        elif _close(yours, (f(x + 1) - fx)):
            why = "h is too large: use the h argument (0.0001), not 1"
        else:
            why = f"rise over run near x is about {number(right)}"
        raise fail("slope", [f"{what}: yours is {number(yours)}, the slope is "
                             f"{number(right)}", why])
    return "slope: right. The slope of f at 3 is 14, as the lecture finds."


EXERCISE = Exercise(
    name="slope",
    title=Text("A derivative by finite differences", "用有限差分求导数"),
    prompt=Text(
        "The derivative of `f` at `x` is how much `f` changes when `x` moves a tiny bit, "
        "divided by that bit. Write `slope(f, x, h=0.0001)` that estimates it. For the "
        "lecture's `f(x) = 3*x**2 - 4*x + 5` it gives about `14` at `x = 3`.",
        "`f` 在 `x` 处的导数，就是 `x` 移动一点点时 `f` 的变化量除以这一点点。写出 "
        "`slope(f, x, h=0.0001)` 来估计它。对课程中的 `f(x) = 3*x**2 - 4*x + 5`，在 `x = 3` "
        "处应约为 `14`。"),
    hints=(Text("Rise over run: `(f(x + h) - f(x)) / h`.",
                "“升高除以前进”：`(f(x + h) - f(x)) / h`。"),
           Text("Use the `h` you are given; a large `h` measures a chord, not the slope.",
                "使用传入的 `h`；`h` 太大时算的是割线斜率，而不是导数。")),
    given="def f(x):\n    return 3 * x**2 - 4 * x + 5\n",
    head="def slope(f, x, h=0.0001):\n",
    starter='    raise NotImplementedError("slope: write rise over run")\n',
    solution="    return (f(x + h) - f(x)) / h\n",
    answer="slope",
    checker=check_slope,
)
