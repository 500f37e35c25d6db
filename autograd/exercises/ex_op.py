"""Exercise 4: an op written with its backward (micrograd's ``_backward`` or ``custom_op``),
graded by gradcheck in a graph that uses it, then diagnosed: forward, local rule (blamed
with ``check_graph`` when the op is a table row), upstream factor, accumulation."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..check.blame import check_graph
from ..check.gradcheck import gradcheck
from ..engine import Value
from ..ops import CLOSURE
from .exercise import Exercise, Text, as_number, fail, near_words, need_function, number, run

__all__ = ["EXERCISE", "check_op"]

POINTS = (0.5, -1.2, 2.0)


def _out(tanh: Callable[[Value], Any], x: Value, what: str) -> Value:
    out = run("op", what, tanh, x)
    if not isinstance(out, Value):
        raise fail("op", [f"{what} returned {out!r} ({type(out).__name__}), expected a Value "
                          "(so backward can run through it)"])
    return out


def _grad_of_x(tanh: Callable[[Value], Any], x0: float, build: Callable[[Value, Value], Value]
               ) -> float:
    x = Value(x0)
    y = build(x, _out(tanh, x, f"tanh(Value({x0:g}))"))
    y.backward()
    return as_number("op", "x.grad is", x.grad)


def _diagnose(tanh: Callable[[Value], Any], x0: float) -> list[str]:
    t = math.tanh(x0)
    right = 1 - t * t
    local = _grad_of_x(tanh, x0, lambda x, y: y)
    if not math.isclose(local, right, rel_tol=1e-4, abs_tol=1e-9):
        near = [("the output t (the rule is 1 - t**2)", t),
                ("1 - x**2 (the rule is 1 - t**2: the output, not the input)", 1 - x0 * x0),
                ("1 (the upstream gradient alone)", 1.0), ("0 (nothing passed back)", 0.0)]
        return [f"the local derivative at x = {x0:g} is 1 - tanh(x)**2 = {number(right)}; "
                f"{near_words(local, right, near)}"]
    scaled = _grad_of_x(tanh, x0, lambda x, y: y * 3.0)
    if not math.isclose(scaled, 3 * right, rel_tol=1e-4):
        return [f"in tanh(x) * 3 the gradient of x should be 3 * {number(right)} = "
                f"{number(3 * right)}, yours is {number(scaled)}: multiply the local "
                "derivative by out.grad (the gradient coming from above)"]
    added = _grad_of_x(tanh, x0, lambda x, y: y + x)
    if not math.isclose(added, right + 1, rel_tol=1e-4):
        return [f"in tanh(x) + x the gradient of x should be {number(right)} + 1 = "
                f"{number(right + 1)}, yours is {number(added)}: add into x.grad (+=), do "
                "not replace it (=): x may be used elsewhere"]
    return []


def check_op(tanh: Callable[[Value], Any]) -> str:
    """Grade ``tanh(x)``, a Value op the learner wrote with its backward."""
    need_function("op", tanh)
    for x0 in POINTS:
        out = _out(tanh, Value(x0), f"tanh(Value({x0:g}))")
        if not math.isclose(out.data, math.tanh(x0), rel_tol=1e-6, abs_tol=1e-12):
            raise fail("op", [f"the forward value tanh({x0:g}) is {number(math.tanh(x0))}, "
                              f"yours is {number(out.data)}"])
    for x0 in POINTS:

        def f(x: Value, w: Value) -> Value:
            u = x * w
            return tanh(u) * 3.0 + u  # upstream 3, and u used twice

        # backward itself first: gradcheck's own pass runs a closure apart from the
        # other gradients, so a `=` for `+=` shows only here
        lines = _diagnose(tanh, x0 * 0.8)
        report = gradcheck(f, [x0, 0.8], raise_on_failure=False, names=["x", "w"])
        if report.ok and not lines:
            continue
        lines = lines or ["gradcheck disagrees in tanh(x * w) * 3 + x * w"]
        out = _out(tanh, Value(x0), "tanh(x)")
        if out._fn is not None and out._fn.layout != CLOSURE:  # a table row: blame can name it
            blame = check_graph(tanh(Value(x0 * 0.8)))
            if not blame.ok:
                lines.append(str(blame))
        if report.ok:
            lines.append("(gradcheck alone agrees: it runs each _backward apart from the "
                         "other gradients, and backward() does not)")
        else:
            lines += ["gradcheck of tanh(x * w) * 3 + x * w:", str(report)]
        raise fail("op", lines)
    return "op: right. gradcheck agrees at every point: your op joins backward like tanh."


MICROGRAD = """    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t**2) * out.grad
    out._backward = _backward
    return out
"""

EXERCISE = Exercise(
    name="op",
    title=Text("An op with its backward", "自己写一个带反向传播的运算"),
    prompt=Text(
        "Write `tanh(x)` for a `Value` `x` as the lecture does: compute `t = tanh(x.data)`, "
        "return `out = Value(t, (x,), 'tanh')`, and give `out` a `_backward` that adds the "
        "local derivative times `out.grad` into `x.grad`. (Or use "
        "`custom_op('my_tanh', forward, partials)`.) The checker runs gradcheck in "
        "`tanh(x * w) * 3 + x * w` and names what is off.",
        "像课程中那样为 `Value` 写 `tanh(x)`：先算 `t = tanh(x.data)`，返回 "
        "`out = Value(t, (x,), 'tanh')`，并给 `out` 一个 `_backward`，把局部导数乘以 "
        "`out.grad` 累加进 `x.grad`。（也可以用 `custom_op('my_tanh', forward, partials)`。）"
        "检查器在 `tanh(x * w) * 3 + x * w` 中做梯度检验，并指出哪里不对。"),
    hints=(Text("The local derivative is `1 - t**2`, with the output `t`.",
                "局部导数是 `1 - t**2`，用的是输出 `t`。"),
           Text("Multiply by `out.grad`: the gradient arriving from above.",
                "要乘以 `out.grad`，也就是从上游传来的梯度。"),
           Text("Use `+=`: `x` may feed several nodes, and each adds its share.",
                "用 `+=`：`x` 可能被多个节点使用，每个都要加上自己的一份。")),
    given="import math\nfrom autograd import Value, custom_op\n",
    head="def tanh(x):\n",
    starter='    raise NotImplementedError("op: write tanh and its _backward")\n',
    solution=MICROGRAD,
    answer="tanh",
    checker=check_op,
)
