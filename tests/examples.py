"""Example graphs several test modules draw, step and render."""

from __future__ import annotations

import random

import autograd
from autograd import Value


def neuron(backward: bool = False) -> Value:
    """micrograd's neuron, o = tanh(x1*w1 + x2*w2 + b), every leaf and n, o labelled."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    n = x1 * w1 + x2 * w2 + Value(6.8813735870195432, label="b")
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    if backward:
        o.backward()
    return o


def lecture_neuron() -> dict[str, Value]:
    """The micrograd lecture's neuron, every intermediate node named and labelled as in the
    lecture (its manual backprop sets each one's ``.grad``)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")  # n = 0.8814, o = tanh(n) = 0.7071, do/dn = 0.5
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2, s=s, n=n, o=o)


def mlp_graph(nin: int, nouts: list[int], x: list[float], seed: int = 0,
              style: str = "dot") -> tuple[Value, list[Value]]:
    """An nn-like MLP built by hand: parameters labelled with their paths, as nn does.

    ``style="dot"``: ``dot(w, x) + b``; ``"chain"``: micrograd's ``sum(w*x, b)`` chain.
    Returns the single output and the inputs.
    """
    rng = random.Random(seed)
    sizes = [nin] + nouts
    inputs = [Value(v, label=f"x{i}") for i, v in enumerate(x)]
    xs = inputs
    for i in range(len(nouts)):
        outs = []
        for j in range(sizes[i + 1]):
            path = f"layers.{i}.neurons.{j}"
            ws = [Value(rng.uniform(-1, 1), label=f"{path}.w.{k}") for k in range(sizes[i])]
            b = Value(0.1, label=f"{path}.b")
            if style == "dot":
                act = autograd.dot(ws, xs) + b
            else:
                act = b
                for w, xi in zip(ws, xs):
                    act = act + w * xi
            outs.append(act.relu() if i < len(nouts) - 1 else act)
        xs = outs
    return xs[0], inputs
