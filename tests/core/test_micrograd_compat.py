"""micrograd's internals as its users touch them: ``_backward``, the constructor, ``_prev``,
``_op``, attributes on Values and subclasses, each idiom the way the micrograd lecture
notebooks and micrograd-style scripts use it (written here from scratch)."""

from __future__ import annotations

import math

import pytest
from examples import lecture_neuron
from finite_diff import numgrad
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import InputTypeError, Stepper, Value, no_grad, trace_backward
from autograd.graph import topo_order

# -- node._backward(): backprop by hand, one node at a time -----------------------------


def test_backward_by_hand_with_underscore_backward_equals_backward():
    by_hand, auto = lecture_neuron(), lecture_neuron()
    by_hand["o"].grad = 1.0
    for name in ["o", "n", "b", "s", "x2w2", "x1w1", "x1", "w1"]:  # leaves do nothing
        by_hand[name]._backward()
    auto["o"].backward()
    for name in by_hand:
        assert by_hand[name].grad == auto[name].grad, name
    # the numbers the lecture derives: do/dn = 1 - o**2 = 0.5, then the chain rule
    o = auto["o"]
    assert auto["n"].grad == 1 - o.data**2
    assert auto["x1"].grad == auto["w1"].data * auto["x1w1"].grad


def test_each_underscore_backward_is_one_stepper_step():
    """Calling _backward() in reverse topological order passes through the stepper's states."""
    root, stepped = lecture_neuron()["o"], lecture_neuron()["o"]
    order, s_order = topo_order(root), topo_order(stepped)
    stepper = Stepper(stepped)
    root.grad = 1.0
    for node in reversed(order):
        if not node.op:
            continue
        node._backward()
        step = stepper.step()
        assert step.node is s_order[order.index(node)]
        assert [n.grad for n in order] == [n.grad for n in s_order]
    assert stepper.step() is None


def test_underscore_backward_accumulates_like_micrograd():
    a = Value(3.0)
    b = a * a
    b.grad = 1.0
    b._backward()
    b._backward()  # each call adds again, as micrograd's closure does
    assert a.grad == 12.0
    assert Value(1.0)._backward() is None  # a leaf's is a no-op


# -- micrograd-style ops: Value(data, _children, _op) and an assigned _backward ----------


def mg_exp(self: Value) -> Value:
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad

    out._backward = _backward
    return out


def mg_mul(self: Value, other) -> Value:
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


def expression(x: Value, y: Value, exp, mul) -> Value:
    """A graph mixing micrograd-style nodes with built-in ops, reusing a node."""
    e = exp(mul(x, y) * 0.5)
    return (e + x.tanh()) * mul(e, 2.0) - y


@given(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_micrograd_style_ops_mixed_with_builtin_ops_backward(a, b):
    x, y = Value(a), Value(b)
    out = expression(x, y, mg_exp, mg_mul)
    out.backward()
    f = lambda v: expression(Value(v[0]), Value(v[1]), mg_exp, mg_mul).data  # noqa: E731
    numeric = numgrad(f, [a, b])
    assert x.grad == pytest.approx(numeric[0], rel=1e-5, abs=1e-6)
    assert y.grad == pytest.approx(numeric[1], rel=1e-5, abs=1e-6)
    # the same expression through the op table gives the very same floats
    x2, y2 = Value(a), Value(b)
    builtin = expression(x2, y2, Value.exp, lambda p, q: p * q)
    builtin.backward()
    assert (out.data, x.grad, y.grad) == (builtin.data, x2.grad, y2.grad)


def test_micrograd_style_nodes_accumulate_and_take_hooks_and_anomaly_mode():
    x, y = Value(0.7), Value(-0.4)
    out = expression(x, y, mg_exp, mg_mul)
    out.backward()
    once = (x.grad, y.grad)
    out.backward()
    assert (x.grad, y.grad) == (2 * once[0], 2 * once[1])
    x.grad = y.grad = 0.0
    handle = x.register_hook(lambda g: g)  # the dict-based driver
    try:
        out.backward()
    finally:
        handle.remove()
    assert (x.grad, y.grad) == once
    x.grad = y.grad = 0.0
    with autograd.detect_anomaly():
        out.backward()
    assert (x.grad, y.grad) == once


def test_monkeypatched_method_works_in_backward_topo_order_drawings_and_stepper(monkeypatch):
    monkeypatch.setattr(Value, "exp", mg_exp)
    x = Value(0.5, label="x")
    e = (x * 2).exp()
    e.label = "e"
    o = (e - 1) / (e + 1)  # the lecture's tanh written with exp
    o.label = "o"
    assert e._op == "exp" and e.op == "_backward" and e.children[0].op == "mul"
    order = topo_order(o)
    assert e in order and order.index(e.children[0]) < order.index(e)
    dot = autograd.draw_dot(o).source
    assert '"exp"' in dot or "exp" in dot
    assert "[exp]" in autograd.draw_text(o)

    stepper = Stepper(o)
    stepper.finish()
    lines = [str(step) for step in stepper.steps if step.node is e]
    assert lines and "x.grad" not in lines[0] and "e._backward() =" in lines[0], lines
    stepped = [n.grad for n in order]
    for n in order:
        n.grad = 0.0
    o.backward()
    assert stepped == [n.grad for n in order]
    assert x.grad == pytest.approx(1 - math.tanh(0.5) ** 2)
    steps = list(trace_backward(o))
    assert [u.local for s in steps if s.node is e for u in s.updates] == [None]


def test_a_closure_without_backward_passes_nothing_and_a_failing_one_changes_nothing():
    x = Value(2.0)
    silent = Value(x.data * 3, (x,), "*3")  # no _backward assigned: micrograd's default
    (silent * 2).backward()
    assert x.grad == 0.0

    def broken():
        raise RuntimeError("bad rule")

    loud = Value(5.0, (x,), "f")
    loud._backward = broken
    y = loud * x
    x.grad = 1.5
    with pytest.raises(RuntimeError, match="bad rule"):
        y.backward()
    assert x.grad == 1.5 and y.grad == 0.0


def test_an_input_a_closure_leaves_alone_is_walked_again_by_the_next_backward():
    a, b = Value(2.0), Value(3.0)
    x = a * b
    Value(6.0, (x,), "f").backward()  # no _backward: x receives nothing
    (x * 3.0).backward()
    assert (x.grad, a.grad, b.grad) == (3.0, 9.0, 6.0)


def test_assigning_backward_to_an_op_node_replaces_its_rule():
    x = Value(3.0)
    y = x * x
    seen = []
    y._backward = lambda: seen.append(y.grad)
    y.backward()
    assert seen == [1.0] and x.grad == 0.0 and y.children == (x, x) and y._op == "*"


# -- the constructor ----------------------------------------------------------------------


def test_constructor_positional_and_keyword_as_in_micrograd():
    a, b = Value(2.0, label="a"), Value(3.0)
    assert Value(1.0, (), "", "c").label == "c"
    assert Value(1.0, "d").label == "d"  # this project's positional label keeps working
    v = Value(6.0, (a, b), "*", "v")
    assert (v.label, v._op, v._prev, v.children) == ("v", "*", (a, b), (a, b))
    w = Value(6.0, _children={a}, _op="exp")
    assert w._prev == (a,) and w._op == "exp" and w.op == "_backward"
    leaf = Value(1.0, (), "const")
    assert leaf.children == () and leaf._op == "const" and leaf.op == ""
    assert repr(v) == "Value(data=6.0, grad=0.0)"


@pytest.mark.parametrize("args, match", [
    ((1.0, (2.0,)), "_children must hold Values"),
    ((1.0, 5), "_children must be a tuple of Values"),
    ((1.0, (), 7), "_op must be a str"),
    ((1.0, (), "", 3), "label must be a str"),
])
def test_constructor_errors_are_typed_and_clear(args, match):
    with pytest.raises(InputTypeError, match=match):
        Value(*args)
    with pytest.raises(InputTypeError, match="two labels"):
        Value(1.0, "x", label="y")


def test_assigning_prev_and_op():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    y = a * b
    y._prev = (a, c)  # same count: the rule stays, its inputs change
    y.backward()
    assert (a.grad, b.grad, c.grad) == (3.0, 0.0, 1.0) and y.op == "mul"
    y._op = "times"
    assert y._op == "times" and "times" in autograd.draw_text(y)
    leaf = Value(5.0)
    leaf._prev = {a}  # a leaf given inputs becomes a micrograd-style node
    assert leaf.children == (a,) and leaf.op == "_backward"
    z = a + b
    z._prev = (a, b, c)  # another count: no rule applies until _backward is assigned
    z._backward = lambda: None
    assert z.children == (a, b, c)


# -- attributes on Values ---------------------------------------------------------------


def test_optimizer_state_and_drawing_attributes_on_values():
    params = [Value(0.5), Value(-1.0)]
    for p in params:  # an AdamW written micrograd-style keeps its moments on the Values
        p.m, p.v = 0.0, 0.0
    for t in range(1, 4):
        loss = params[0] * params[0] + params[1] * 3.0
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.m = 0.9 * p.m + 0.1 * p.grad
            p.v = 0.999 * p.v + 0.001 * p.grad**2
            m_hat, v_hat = p.m / (1 - 0.9**t), p.v / (1 - 0.999**t)
            p.data -= 0.1 * m_hat / (v_hat**0.5 + 1e-8)
    assert params[0].data < 0.5 and params[1].data < -1.0
    node = params[0] * 2
    assert not hasattr(node, "_vis_color")
    node._vis_color = "red"
    assert node._vis_color == "red" and node.children[0] is params[0]
    del node._vis_color
    assert not hasattr(node, "_vis_color")
    Value.allow_attributes("cmpt_tag")
    params[1].cmpt_tag = "bias"
    assert params[1].cmpt_tag == "bias"
    with pytest.raises(InputTypeError, match="already an attribute"):
        Value.allow_attributes("grad")


# -- subclasses -------------------------------------------------------------------------


class Tagged(Value):
    """A user's subclass, as people write to add their own fields."""

    def __init__(self, data, tag=""):
        super().__init__(data)
        self.tag = tag


def test_subclasses_work_everywhere_a_value_does():
    x, y = Tagged(0.5, "x"), Tagged(-1.5, "y")
    z = (x * y + 2 * x - y / 3 + x ** 2 + 2 ** y + x ** y.abs() + (-x)).tanh()
    z = autograd.sum([z, x, 1.0]) + autograd.dot([x, y], [y, 2.0]) + x.sigmoid()
    z.backward()
    f = lambda v: (lambda x, y: (  # noqa: E731
        autograd.sum([(x * y + 2 * x - y / 3 + x ** 2 + 2 ** y + x ** y.abs() + (-x)).tanh(),
                      x, 1.0]) + autograd.dot([x, y], [y, 2.0]) + x.sigmoid()))(
        Value(v[0]), Value(v[1])).data
    numeric = numgrad(f, [0.5, -1.5])
    assert x.grad == pytest.approx(numeric[0], rel=1e-5)
    assert y.grad == pytest.approx(numeric[1], rel=1e-5)
    assert x < y + 3 and x.tag == "x" and x in topo_order(z)
    report = autograd.gradcheck(lambda a, b: a * b + a.exp(), [Tagged(0.3), Tagged(0.2)])
    assert report.ok
    assert "-0.7500" in autograd.draw_text(x * y)
    with no_grad():
        assert (x * y).children == ()
    handle = x.register_hook(lambda g: 2 * g)
    x.grad = 0.0
    (x * 3).backward()
    handle.remove()
    assert x.grad == 6.0
    a = Value(0.5)
    stepped, plain = x * y + x, a * Value(-1.5) + a
    x.grad = y.grad = 0.0
    Stepper(stepped).finish()
    plain.backward()
    assert [n.grad for n in topo_order(stepped)] == [n.grad for n in topo_order(plain)]


# -- the ordered _prev, one node per op: what differs from micrograd on purpose -----------


def test_prev_is_an_ordered_tuple_with_repeats():
    a = Value(3.0)
    b = a + a
    assert b._prev == (a, a)
    b.backward()
    assert a.grad == 2.0
