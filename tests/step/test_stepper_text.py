"""The stepper's text is true when earlier ``backward()`` calls left gradients behind: the
seed and upstream of this pass and the accumulated ``.grad`` are named apart."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from strategies import build, dags

from autograd import Stepper, Value
from autograd.trace import fmt

NUMBER = r"(-?\d+\.\d{4}|nan|-?inf)"


def neuron() -> Value:
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.5, label="b")
    n = x * w + b
    n.label = "n"
    o = n * 2.0
    o.label = "o"
    return o


def test_a_fresh_graph_reads_as_before() -> None:
    s = Stepper(neuron())
    assert s.header() == "step 0/3: o.grad = 1.0000 (seed)"
    assert str(s.step()).startswith("n.grad += o.grad * do/dn = 1.0000 * 2.0000 = 2.0000")
    assert s.header() == "step 1/3: o (mul)"


def test_after_an_earlier_backward_the_seed_and_the_sum_are_named_apart() -> None:
    o = neuron()
    o.backward()
    s = Stepper(o)
    assert s.header() == ("step 0/3: o seeded with 1.0000 (this pass); o.grad = 2.0000 "
                          "includes 1.0000 from earlier backward calls")
    assert o.grad == 2.0
    step = s.step()
    assert s.header() == ("step 1/3: o (mul)  [upstream = 1.0000 from this pass; o.grad = "
                          "2.0000 includes earlier backward calls]")
    assert str(step).startswith("n.grad += upstream * do/dn = 1.0000 * 2.0000 = 2.0000  -> "
                                "4.0000")
    s.finish()
    o2 = neuron()
    o2.backward()
    o2.backward()
    assert [p.grad for p in o2.children[0].children[0].children] == \
        [n.grad for n in s.root.children[0].children[0].children]


@given(dags(), st.integers(min_value=1, max_value=2))
def test_every_number_in_the_text_is_what_it_says(case, earlier: int) -> None:
    recipe, point = case
    root = build(recipe)(*[Value(x) for x in point])
    for _ in range(earlier):
        root.backward()
    s = Stepper(root)
    head = s.header()
    if "seeded with" in head:
        seed, total, before = re.findall(NUMBER, head.split(":", 1)[1])
        assert (seed, total) == (fmt(1.0), fmt(root.grad))
        assert before == fmt(root.grad - 1.0)
    else:
        assert head.endswith(f".grad = {fmt(root.grad)} (seed)")
    while (step := s.step()) is not None:
        head = s.header()
        if "upstream =" in head:
            upstream, grad = re.findall(NUMBER, head.split("[", 1)[1])
            assert upstream == fmt(step.upstream) and grad == fmt(step.node.grad)
            assert all(" += upstream * " in line for line in step.lines())
        else:
            assert step.node.grad == step.upstream or step.upstream != step.upstream
            assert all(f" += {step.name}.grad * " in line for line in step.lines())
        last = {}
        for u, line in zip(step.updates, step.lines()):
            assert line.split("->")[1].split()[0] == fmt(u.grad_after)  # the accumulated .grad
            assert fmt(u.contribution) in line and fmt(step.upstream * u.local) in line
            last[u.child] = u.grad_after
        assert all(fmt(child.grad) == fmt(grad) for child, grad in last.items())
