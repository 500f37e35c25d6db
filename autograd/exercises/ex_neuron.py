"""Exercise 3: the lecture's neuron, backpropagated by hand, graded by ``check_hand_grads``."""

from __future__ import annotations

import math
from typing import Any

from ..check.hand_grads import check_hand_grads
from ..graph import topo_order
from ..node import Node
from .exercise import Exercise, Text, fail

__all__ = ["EXERCISE", "GIVEN", "check_neuron"]

GIVEN = """from autograd import Value

x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")        # inputs
w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")       # weights
b = Value(6.8813735870195432, label="b")                       # bias
x1w1 = x1 * w1; x1w1.label = "x1*w1"
x2w2 = x2 * w2; x2w2.label = "x2*w2"
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
n = x1w1x2w2 + b; n.label = "n"
o = n.tanh(); o.label = "o"
"""
SOLUTION = """o.grad = 1.0
n.grad = 1 - o.data**2            # do/dn for o = tanh(n)
x1w1x2w2.grad = n.grad            # + passes the gradient on unchanged
b.grad = n.grad
x1w1.grad = x1w1x2w2.grad
x2w2.grad = x1w1x2w2.grad
x1.grad = w1.data * x1w1.grad     # * passes the *other* input's value
w1.grad = x1.data * x1w1.grad
x2.grad = w2.data * x2w2.grad
w2.grad = x2.data * x2w2.grad
"""


def check_neuron(o: Any) -> str:
    """Grade the gradients set by hand on the lecture's neuron (its output ``o``)."""
    if not isinstance(o, Node):
        raise fail("neuron", [f"pass the neuron's output o, got {o!r} ({type(o).__name__})"])
    nodes = topo_order(o)
    if len(nodes) != 10 or not math.isclose(o.data, math.sqrt(0.5), rel_tol=1e-4):
        raise fail("neuron", ["this is not the lecture's neuron: run the cell that builds it "
                              f"(o should be 0.7071 with 10 nodes, got {o.data:.4f} with "
                              f"{len(nodes)})"])
    report = check_hand_grads(o)
    if not report.ok:
        raise fail("neuron", [str(report)])
    return f"neuron: right. {report}; o.backward() gives the same numbers."


EXERCISE = Exercise(
    name="neuron",
    title=Text("The neuron's backward pass, by hand", "手算神经元的反向传播"),
    prompt=Text(
        "The lecture's neuron computes `o = tanh(x1*w1 + x2*w2 + b)`. Set every node's "
        "`.grad` by hand, from the output back to the inputs: first `o.grad = 1.0`, then "
        "each node's gradient from the gradients of the nodes that use it (the chain rule). "
        "Do not call `backward()`: the checker names each wrong node, the sum it should "
        "equal, and why.",
        "课程中的神经元计算 `o = tanh(x1*w1 + x2*w2 + b)`。从输出到输入，手动设置每个节点的 "
        "`.grad`：先 `o.grad = 1.0`，再由使用该节点的那些节点的梯度求出它的梯度（链式法则）。"
        "不要调用 `backward()`：检查器会指出每个错误的节点、它应等于的和式以及错误原因。"),
    hints=(Text("`o = tanh(n)`, so `do/dn = 1 - o**2`.",
                "`o = tanh(n)`，所以 `do/dn = 1 - o**2`。"),
           Text("`+` sends its gradient to both inputs unchanged.",
                "`+` 把梯度原样传给两个输入。"),
           Text("`*` sends each input the gradient times the *other* input's value.",
                "`*` 传给每个输入的是梯度乘以*另一个*输入的值。")),
    given=GIVEN,
    head="",
    starter='raise NotImplementedError("neuron: set each node\'s .grad by hand, o.grad first")\n',
    solution=SOLUTION,
    answer="o",
    checker=check_neuron,
    unsolved=AssertionError,  # the answer cell raises; then the check finds every grad at 0
)
