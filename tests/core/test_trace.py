"""``trace_backward``: the backward pass as chain-rule steps, ending exactly where backward does."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from strategies import build, dags

import autograd
from autograd import Value
from autograd.graph import local_partials, topo_order
from autograd.trace import fmt, node_name, trace_backward


def fresh(recipe, xs):
    return build(recipe)(*[Value(x, label=f"x{i}") for i, x in enumerate(xs)])


def same(a: float, b: float) -> bool:
    """Exact float equality, NaN equal to NaN."""
    return a == b or (a != a and b != b)


@given(dags())
def test_consuming_the_trace_gives_exactly_backwards_grads(case):
    recipe, xs = case
    traced, plain = fresh(recipe, xs), fresh(recipe, xs)
    for _ in trace_backward(traced):
        pass
    plain.backward()
    for t, p in zip(topo_order(traced), topo_order(plain), strict=True):
        assert same(t.grad, p.grad), (str(recipe), t.grad, p.grad)


@given(dags(max_steps=8))
def test_trace_accumulates_like_backward(case):
    """A trace after an earlier backward adds to .grad, as a second backward would."""
    recipe, xs = case
    traced, plain = fresh(recipe, xs), fresh(recipe, xs)
    traced.backward()
    plain.backward()
    list(trace_backward(traced, 2.0))
    plain.backward(2.0)
    for t, p in zip(topo_order(traced), topo_order(plain), strict=True):
        assert same(t.grad, p.grad)


@given(dags())
def test_one_step_per_op_node_in_reverse_topological_order(case):
    recipe, xs = case
    root = fresh(recipe, xs)
    order = topo_order(root)
    number = {n: k for k, n in enumerate(order)}
    steps = list(trace_backward(root))
    op_nodes = [n for n in reversed(order) if n.op]
    assert [s.node for s in steps] == op_nodes
    assert [s.position for s in steps] == list(range(1, len(steps) + 1))
    for s in steps:
        assert s.number == number[s.node]
        assert s.name == node_name(s.node, s.number)
        assert (s.op, s.symbol) == (s.node.op, s.node._op)
        children, partials = local_partials(s.node)
        assert [u.child for u in s.updates] == list(children)
        for u, local in zip(s.updates, partials):
            assert same(u.local, local)
            assert same(u.contribution, s.upstream * local)
            assert u.number == number[u.child]
            assert 1 <= u.nth <= u.of


def test_root_is_seeded_when_the_trace_starts():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    steps = trace_backward(y)
    first = next(steps)
    assert first.position == 1 and first.node is y and first.upstream == 1.0
    assert y.grad == 1.0
    assert x.grad == 6.0  # both contributions of the a * a step applied
    assert list(steps) == []
    leaf = Value(2.0)
    assert list(trace_backward(leaf)) == [] and leaf.grad == 1.0


def test_step_text_format():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    (step,) = list(trace_backward(c))
    assert step.lines() == [
        "a.grad += c.grad * dc/da = 1.0000 * -3.0000 = -3.0000  -> -3.0000",
        "b.grad += c.grad * dc/db = 1.0000 * 2.0000 = 2.0000  -> 2.0000",
    ]
    assert str(step) == "\n".join(step.lines())
    assert step.updates[0].grad_before == 0.0 and step.updates[0].grad_after == -3.0


def test_accumulation_note():
    a = Value(2.0, label="a")
    c = a + a
    c.label = "c"
    (step,) = list(trace_backward(c))
    assert step.lines() == [
        "a.grad += c.grad * dc/da = 1.0000 * 1.0000 = 1.0000  -> 1.0000  (contribution 1 of 2)",
        "a.grad += c.grad * dc/da = 1.0000 * 1.0000 = 1.0000  -> 2.0000  (contribution 2 of 2)",
    ]


def test_contributions_counted_across_steps_and_unlabeled_names():
    x = Value(1.5, label="x")
    h = x * 2.0  # unlabeled: named by its topo number
    y = h.tanh() + h
    steps = list(trace_backward(y))
    order = topo_order(y)
    k = order.index(h)
    h_updates = [u for s in steps for u in s.updates if u.child is h]
    assert [(u.nth, u.of) for u in h_updates] == [(1, 2), (2, 2)]
    assert all(u.name == f"#{k}" for u in h_updates)
    assert h_updates[-1].grad_after == h.grad
    assert "(contribution 2 of 2)" in str(next(s for s in steps if s.node is y.children[0]))


def test_trace_runs_hooks_like_backward():
    handles = []

    def graph():
        x = Value(0.5, label="x")
        h = x * 3.0
        handles.append(h.register_hook(lambda g: g * 10))
        return x, h.sin() * h

    x1, y1 = graph()
    x2, y2 = graph()
    try:
        list(trace_backward(y1))
        y2.backward()
    finally:
        for handle in handles:
            handle.remove()
    assert x1.grad == x2.grad
    assert math.isclose(x1.grad, (1.5 * math.cos(1.5) + math.sin(1.5)) * 10 * 3)


def test_trace_of_a_sum_node():
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    s = autograd.sum([x, w, x], start=0.5)
    s.label = "s"
    (step,) = list(trace_backward(s))
    assert step.symbol == "Σ" and len(step.updates) == 3
    assert x.grad == 2.0 and w.grad == 1.0


def test_fmt_four_decimals():
    assert fmt(1.0) == "1.0000" and fmt(-3.14159) == "-3.1416"


def test_trace_seed_must_be_a_number():
    for bad in ("1", True):
        y = Value(2.0) * 3.0
        with pytest.raises(autograd.InputTypeError, match="grad"):
            list(trace_backward(y, bad))
