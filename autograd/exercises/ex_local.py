"""Exercise 2: each op's local derivative, checked against the op table at several points."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..check.hand_mistakes import same_to_4
from ..engine import Value
from .exercise import Exercise, Text, as_number, fail, near_words, number, run

__all__ = ["EXERCISE", "OPS_ASKED", "check_local"]

# op -> how to build it from Values a, b (the local derivatives come from backward)
OPS_ASKED: dict[str, Callable[[Value, Value], Value]] = {
    "a + b": lambda a, b: a + b,
    "a - b": lambda a, b: a - b,
    "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b,
    "a ** 3": lambda a, b: a**3,
    "exp(a)": lambda a, b: a.exp(),
    "tanh(a)": lambda a, b: a.tanh(),
    "relu(a)": lambda a, b: a.relu(),
}
POINTS = ((2.0, -3.0), (0.5, 4.0), (-1.25, 0.8))


def _truth(op: str, x: float, y: float) -> tuple[float, tuple[float, ...]]:
    """The op's output and its local derivatives by each input it uses."""
    a, b = Value(x), Value(y)
    out = OPS_ASKED[op](a, b)
    out.backward()
    return out.data, (a.grad, b.grad) if "b" in op else (a.grad,)


def _near(op: str, x: float, y: float, out: float, rights: tuple[float, ...],
          j: int) -> list[tuple[str, float]]:
    near = [("the value of a", x), ("the op's output", out)]
    if len(rights) > 1:
        near += [("the value of b", y), (f"the other partial ({'d/db' if j == 0 else 'd/da'})",
                                         rights[1 - j])]
    if op == "tanh(a)":
        near.append(("1 - a**2 (the rule is 1 - tanh(a)**2: the output, not the input)",
                     1 - x * x))
    if op == "a ** 3":
        near.append(("3 * a (the rule is 3 * a**2)", 3 * x))
    return near


def check_local(local_derivatives: Callable[[float, float], Any]) -> str:
    """Grade ``local_derivatives(a, b)`` -> ``{op: (d/da, d/db)}`` (unary ops ``(d/da,)``)."""
    problems: list[str] = []
    for x, y in POINTS:
        where = f"a = {x:g}, b = {y:g}"
        table = call_table(local_derivatives, x, y)
        missing = [op for op in OPS_ASKED if op not in table]
        if missing:
            problems.append(f"missing: {', '.join(missing)} (the dict's keys are the ops as "
                            f"written here: {', '.join(repr(op) for op in OPS_ASKED)})")
        for op in OPS_ASKED:
            if op not in table:
                continue
            out, rights = _truth(op, x, y)
            got = table[op]
            got = tuple(got) if isinstance(got, (tuple, list)) else (got,)
            if len(got) != len(rights):
                problems.append(f"{op}: expected {len(rights)} number(s), one per input, got "
                                f"{len(got)}")
                continue
            for j, (yours, right) in enumerate(zip(got, rights)):
                yours = as_number("local", f"{op}: d/d{'ab'[j]} is", yours)
                if not same_to_4(yours, right):
                    why = near_words(yours, right, _near(op, x, y, out, rights, j))
                    problems.append(f"{op}: d/d{'ab'[j]} at {where} is {number(right)}; {why}")
        if problems:
            break
    if problems:
        seen = list(dict.fromkeys(problems))
        raise fail("local", seen)
    return "local: right. These are the rows of the op table that backward uses."


def call_table(fn: Callable[[float, float], Any], x: float, y: float) -> dict[str, Any]:
    """The learner's table at (x, y), or the diagnosis of why it is not one."""
    table = run("local", f"local_derivatives({x:g}, {y:g})", fn, x, y)
    if not isinstance(table, dict):
        raise fail("local", [f"local_derivatives should return a dict {{op: (d/da, d/db)}}, "
                             f"got {type(table).__name__}"])
    return table


SOLUTION = """    t = math.tanh(a)
    return {
        "a + b": (1.0, 1.0),
        "a - b": (1.0, -1.0),
        "a * b": (b, a),
        "a / b": (1 / b, -a / b**2),
        "a ** 3": (3 * a**2,),
        "exp(a)": (math.exp(a),),
        "tanh(a)": (1 - t**2,),
        "relu(a)": (1.0 if a > 0 else 0.0,),
    }
"""

EXERCISE = Exercise(
    name="local",
    title=Text("Each op's local derivative", "每个运算的局部导数"),
    prompt=Text(
        "Backward needs, at every node, the derivative of its output by each input: the "
        "*local derivative*. Write `local_derivatives(a, b)` returning a dict from each op "
        f"({', '.join(f'`{op}`' for op in OPS_ASKED)}) to its local derivatives at the "
        "inputs `a`, `b`: `(d/da, d/db)`, or `(d/da,)` for ops of `a` alone.",
        "反向传播在每个节点都需要输出对每个输入的导数，即*局部导数*。写出 "
        "`local_derivatives(a, b)`，返回一个字典：从每个运算"
        f"（{'、'.join(f'`{op}`' for op in OPS_ASKED)}）映射到它在输入 `a`、`b` 处的局部导数："
        "`(d/da, d/db)`；只用 `a` 的运算写 `(d/da,)`。"),
    hints=(Text("For `a * b`, nudging `a` changes the output by `b` times the nudge.",
                "对 `a * b`，把 `a` 挪动一点，输出变化的是 `b` 乘以这一点。"),
           Text("`tanh`'s derivative is `1 - tanh(a)**2`, written with its *output*.",
                "`tanh` 的导数是 `1 - tanh(a)**2`，用的是它的*输出*。"),
           Text("Check one with `slope` from exercise 1.", "可以用练习 1 的 `slope` 检验。")),
    given="import math\n",
    head="def local_derivatives(a, b):\n",
    starter='    raise NotImplementedError("local: write each op\'s local derivatives")\n',
    solution=SOLUTION,
    answer="local_derivatives",
    checker=check_local,
)
