"""``custom_op``: user ops go through the same table, backward, trace and higher order."""

from __future__ import annotations

import math

import pytest
from finite_diff import numgrad
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import OpDefinitionError, Value, custom_op, no_grad
from autograd.backward import propagate
from autograd.graph import topo_order
from autograd.ops import OPS, TUPLE
from autograd.trace import trace_backward
from autograd.value_math import VALUE_MATH


@pytest.fixture(autouse=True)
def restore_table():
    """Custom ops register in the global table: leave it as we found it."""
    saved = dict(OPS)
    yield
    OPS.clear()
    OPS.update(saved)


def cube():
    def forward(x):
        """x cubed"""
        return x**3

    return custom_op("cube", forward, lambda x: (3 * x**2,), symbol="³")


def hyp2():
    return custom_op("hyp2", lambda a, b: a * a + b * b, lambda a, b: (2 * a, 2 * b))


def fma():
    return custom_op("fma", lambda a, b, c: a * b + c, lambda a, b, c: (b, a, 1.0))


def grads(f, *xs: float) -> list[float]:
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    return [v.grad for v in vs]


def test_unary_custom_op():
    f = cube()
    x = Value(2.0, label="x")
    y = f(x)
    assert (y.data, y.op, y._op, y.children) == (8.0, "cube", "³", (x,))
    y.backward()
    assert x.grad == 12.0
    row = OPS["cube"]
    assert row is f.op and not row.builtin and row.arity == 1 and row.doc == "x cubed"


def test_lone_derivative_and_default_symbol():
    f = custom_op("twice", lambda x: 2 * x, lambda x: 2.0)
    y = f(Value(1.5))
    assert y._op == "twice"
    y.backward()
    assert y.children[0].grad == 2.0


def test_binary_custom_op_with_reuse():
    f = hyp2()
    assert grads(f, 1.5, -2.0) == [3.0, -4.0]
    assert grads(lambda x: f(x, x), 1.5) == [6.0]
    assert OPS["hyp2"].arity == 2


def test_three_input_custom_op():
    f = fma()
    a, b, c = Value(2.0, label="a"), Value(3.0, label="b"), Value(4.0, label="c")
    y = f(a, b, c)
    assert y.data == 10.0 and y.children == (a, b, c)
    y.backward()
    assert (a.grad, b.grad, c.grad) == (3.0, 2.0, 1.0)
    assert grads(lambda x: f(x, x, x), 2.0) == [5.0]
    assert OPS["fma"].arity == 3 and OPS["fma"].layout == TUPLE  # the math; where inputs live


@given(st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_custom_ops_match_finite_differences(xs):
    f3, f2, f1 = fma(), hyp2(), cube()
    floats = [lambda a, b, c: a * b + c, lambda a, b, c: a * a + b * b,
              lambda a, b, c: a**3]
    ops = [f3, lambda a, b, c: f2(a, b), lambda a, b, c: f1(a)]
    for op, ref in zip(ops, floats):
        got = grads(op, *xs)
        numeric = numgrad(lambda v, ref=ref: ref(*v), xs)
        for i in range(3):
            assert math.isclose(got[i], numeric[i], rel_tol=1e-5, abs_tol=1e-6)


def test_custom_op_in_trace_backward():
    f, g = fma(), hyp2()
    def build():
        x, w = Value(0.5, label="x"), Value(-1.0, label="w")
        h = g(x, w)
        h.label = "h"  # a labelled binary custom node
        return x, w, f(h, x, h)

    x1, w1, y1 = build()
    x2, w2, y2 = build()
    steps = list(trace_backward(y1))
    y2.backward()
    assert (x1.grad, w1.grad) == (x2.grad, w2.grad)
    assert [s.op for s in steps] == ["fma", "hyp2"]
    assert len(steps[0].updates) == 3 and steps[0].symbol == "fma"
    assert "h.grad += #" in str(steps[0]) and "(contribution 2 of 2)" in str(steps[0])


def second(f, x0: float) -> tuple[float, float]:
    x = Value(x0)
    y = f(x)
    dx = propagate(topo_order(y), y, Value(1.0), F=VALUE_MATH)[x]
    d2 = propagate(topo_order(dx), dx, Value(1.0), F=VALUE_MATH).get(x, 0.0)
    return float(dx), float(d2)


def test_higher_order_through_value_math():
    c, h, m = cube(), hyp2(), fma()
    assert second(c, 2.0) == (12.0, 12.0)
    assert second(lambda x: h(x, x * 3.0), 1.0) == (20.0, 20.0)
    assert second(lambda x: m(x, x, x), 2.0) == (5.0, 2.0)


@pytest.mark.parametrize("partials", [lambda a, b: (1.0,), lambda a, b: (1.0, 2.0, 3.0)])
def test_wrong_number_of_partials_names_the_op(partials):
    f = custom_op("badrule", lambda a, b: a + b, partials)
    y = f(Value(1.0), Value(2.0))
    with pytest.raises(OpDefinitionError, match="badrule") as info:
        y.backward()
    assert isinstance(info.value, ValueError) and "2 inputs" in str(info.value)
    with pytest.raises(OpDefinitionError, match="badrule"):
        list(trace_backward(f(Value(1.0), Value(2.0))))


def test_builtin_names_are_refused():
    for name in ("exp", "add", "sum"):
        with pytest.raises(OpDefinitionError, match=repr(name)):
            custom_op(name, lambda x: x, lambda x: (1.0,))
    assert OPS["exp"].builtin


def test_bad_definitions():
    with pytest.raises(OpDefinitionError, match="identifier"):
        custom_op("my op", lambda x: x, lambda x: (1.0,))
    with pytest.raises(OpDefinitionError, match="nargs"):
        custom_op("vsum", lambda *xs: sum(xs), lambda *xs: [1.0] * len(xs))
    with pytest.raises(OpDefinitionError, match="callable"):
        custom_op("nope", 3, lambda x: (1.0,))


def test_explicit_nargs_for_star_args():
    f = custom_op("vsum", lambda *xs: sum(xs), lambda *xs: [1.0] * len(xs), nargs=4)
    assert grads(f, 1.0, 2.0, 3.0, 4.0) == [1.0] * 4


def test_wrong_input_count_and_bad_forward_name_the_op():
    f = hyp2()
    with pytest.raises(OpDefinitionError, match="hyp2"):
        f(Value(1.0))
    g = custom_op("cplx", lambda x: complex(x, 1), lambda x: (1.0,))
    with pytest.raises(autograd.AutogradError, match="cplx"):
        g(Value(1.0))


def test_numbers_as_inputs_and_no_grad():
    f = hyp2()
    y = f(3.0, Value(4.0))
    assert y.data == 25.0 and y.children[0].data == 3.0
    with no_grad():
        z = f(Value(1.0), Value(2.0))
    assert z.children == () and z.op == ""
