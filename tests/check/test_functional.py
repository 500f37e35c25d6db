"""grad (first and higher order) and hessian, from the same op-table rules as backward."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import BINARY, NARY, UNARY, build, dags

from autograd import (
    InputTypeError,
    OpDefinitionError,
    Value,
    custom_op,
    grad,
    hessian,
    numeric_grad,
    topo_order,
)


def test_grad_equals_backward_and_leaves_grad_alone():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    y = (x * w + x.sin()).tanh()
    gx, gw = grad(y, [x, w])
    assert x.grad == 0.0 and w.grad == 0.0
    y.backward()
    assert (gx, gw) == (x.grad, w.grad)
    assert isinstance(gx, float)


def test_grad_output_scales_and_a_single_input_is_accepted():
    x = Value(1.5)
    y = x * x
    assert grad(y, x) == [3.0]
    assert grad(y, [x], grad_output=2.0) == [6.0]


def test_unused_inputs_get_zero():
    x, unused = Value(1.0), Value(5.0)
    y = x.exp()
    assert grad(y, [x, unused]) == [pytest.approx(math.e), 0.0]
    gx, gu = grad(y, [x, unused], create_graph=True)
    assert type(gu) is Value and gu.data == 0.0 and gu.children == ()
    assert grad(gu, [x]) == [0.0]


def test_create_graph_gives_values_that_differentiate_again():
    x = Value(3.0)
    (dy,) = grad(x ** 3, [x], create_graph=True)
    assert type(dy) is Value and dy.data == 27.0
    (d2y,) = grad(dy, [x], create_graph=True)
    assert d2y.data == pytest.approx(18.0)
    assert grad(d2y, [x]) == [pytest.approx(6.0)]


def third_derivative_tanh_sin(x):
    t, s, c = math.tanh(x), math.sin(x), math.cos(x)
    u = 1.0 - t * t  # tanh'
    return (-2 * u * u + 4 * t * t * u) * s - 6 * t * u * c - 3 * u * s - t * c


@given(st.floats(-3.0, 3.0))
def test_third_derivatives_of_tanh_times_sin_match_the_analytic_ones(x0):
    x = Value(x0)
    y = x.tanh() * x.sin()
    (d1,) = grad(y, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    t, s, c = math.tanh(x0), math.sin(x0), math.cos(x0)
    assert d1.data == pytest.approx((1 - t * t) * s + t * c, abs=1e-12)
    assert d3 == pytest.approx(third_derivative_tanh_sin(x0), rel=1e-9, abs=1e-12)


def test_hessian_of_a_polynomial():
    assert hessian(lambda x, y: x * x * y, [2.0, 3.0]) == [[6.0, 4.0], [4.0, 0.0]]


SMOOTH = tuple(op for op in UNARY + BINARY + NARY if op != "relu_shift")


@given(dags(max_steps=8, ops=SMOOTH))
def test_second_derivatives_of_random_dags_match_differences_of_first(dag):
    recipe, xs = dag
    f = build(recipe)
    assume(max(abs(n.data) for n in topo_order(f(*[Value(x) for x in xs]))) < 1e3)
    h = hessian(f, xs)
    for j in range(len(xs)):
        first = lambda *vs, j=j: grad(f(*vs), list(vs), create_graph=True)[j]  # noqa: E731
        for i, num in enumerate(numeric_grad(first, xs)):
            assert h[j][i] == pytest.approx(num, rel=1e-3, abs=1e-5)
            assert h[j][i] == pytest.approx(h[i][j], rel=1e-6, abs=1e-9)


def test_second_order_through_an_op_that_cannot_build_a_graph_is_named():
    rounded = custom_op("fn_rounded_sq", lambda x: x * x, lambda x: (round(2 * x, 12),))
    x = Value(1.25, label="x")
    y = rounded(x) + x
    assert grad(y, [x]) == [3.5]
    with pytest.raises(OpDefinitionError, match=(
            r"grad\(create_graph=True\): the derivative rule of op 'fn_rounded_sq' at node #1 "
            r"\(unlabeled node \(output of fn_rounded_sq\)\) cannot build a graph: its partials "
            r"raised TypeError: .*when given Values")):
        grad(y, [x], create_graph=True)


def test_bad_arguments_are_named():
    x = Value(1.0)
    with pytest.raises(InputTypeError, match=r"grad: output must be a Value, got 2.0 \(float\)"):
        grad(2.0, [x])
    with pytest.raises(InputTypeError, match=r"grad: inputs\[1\] must be a Value, got 3 \(int\)"):
        grad(x * 2, [x, 3])
    with pytest.raises(InputTypeError, match="grad: inputs must be a Value or a list of Values"):
        grad(x * 2, "x")
    with pytest.raises(InputTypeError, match=r"hessian: f takes 1 inputs \(x\) but was called "
                                             r"with 2"):
        hessian(lambda x: x * x, [1.0, 2.0])
