"""``Value``: construction, operators with numbers on either side, comparisons, identity,
``sum``/``dot``, ``no_grad`` and the micrograd-compatible surface."""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest

import autograd
from autograd import InputTypeError, Value, is_grad_enabled, no_grad

# -- construction and attributes --------------------------------------------------------


@pytest.mark.parametrize("x, expected", [
    (3, 3.0), (-2.5, -2.5), (np.float64(2.0), 2.0), (np.float32(1.5), 1.5),
    (np.int64(7), 7.0), (10**400, math.inf), (-(10**400), -math.inf),
])
def test_real_numbers_become_float_data(x, expected):
    v = Value(x)
    assert v.data == expected and type(v.data) is float
    assert v.grad == 0.0 and type(v.grad) is float
    assert (v.label, v.op, v.children, v._prev, v._op) == ("", "", (), (), "")


def test_nan_and_inf_data_are_allowed():
    assert math.isnan(Value(float("nan")).data)
    assert Value(float("inf")).data == math.inf
    assert math.isnan(Value(np.float64("nan")).data)


def test_repr_float_item_format():
    v = Value(2.0, label="v")
    assert repr(v) == "Value(data=2.0, grad=0.0)"
    assert str(v * 2) == "Value(data=4.0, grad=0.0)"
    assert float(v) == 2.0 and v.item() == 2.0
    assert f"{v:.4f}" == "2.0000"


def test_labels():
    v = Value(1.0, label="w")
    assert v.label == "w"
    y = v * 2
    before = y.children
    y.label = "y"
    assert y.label == "y" and y.children == before and before[0] is v and y.op == "mul"
    y.backward()
    assert v.grad == 2.0
    with pytest.raises(InputTypeError, match="label"):
        Value(1.0, label=3)


def test_detach():
    x = Value(2.0)
    d = (x * 3).detach()
    assert d.data == 6.0 and d.children == () and d.op == ""


def test_aliases_match_micrograd():
    a, b = Value(1.0), Value(2.0)
    y = a * b
    assert y._prev == (a, b) == y.children
    assert y._op == "*"
    assert (a + a)._prev == (a, a)


# -- operators with numbers on either side ---------------------------------------------------

BINARY = [
    (operator.add, lambda x, c: (1.0,)),
    (operator.sub, lambda x, c: (1.0,)),
    (operator.mul, lambda x, c: (c,)),
    (operator.truediv, lambda x, c: (1 / c,)),
    (operator.pow, lambda x, c: (c * x ** (c - 1),)),
]
RBINARY = [
    (operator.add, lambda x, c: 1.0),
    (operator.sub, lambda x, c: -1.0),
    (operator.mul, lambda x, c: c),
    (operator.truediv, lambda x, c: -c / x**2),
    (operator.pow, lambda x, c: c**x * math.log(c)),
]
NUMBERS = [2, 2.5, np.float64(2.5), np.int64(3), np.float32(0.5)]


@pytest.mark.parametrize("fn, d", BINARY, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("c", NUMBERS, ids=repr)
def test_value_op_number(fn, d, c):
    x = Value(1.5)
    y = fn(x, c)
    assert type(y) is Value
    assert y.data == pytest.approx(fn(1.5, float(c)))
    y.backward()
    assert x.grad == pytest.approx(d(1.5, float(c))[0])


@pytest.mark.parametrize("fn, d", RBINARY, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("c", NUMBERS, ids=repr)
def test_number_op_value(fn, d, c):
    x = Value(1.5)
    y = fn(c, x)
    assert type(y) is Value
    assert y.data == pytest.approx(fn(float(c), 1.5))
    y.backward()
    assert x.grad == pytest.approx(d(1.5, float(c)))


def test_numpy_scalars_on_either_side():
    v = Value(1.5)
    for y, expected in [(np.float64(2) * v, 3.0), (v * np.int64(3), 4.5),
                        (np.int64(1) + v, 2.5), (np.float32(2) ** v, 2**1.5)]:
        assert type(y) is Value and y.data == pytest.approx(expected)


def test_value_exponents():
    x, y = Value(2.0), Value(3.0)
    z = x**y
    assert z.data == 8.0 and z.op == "powv" and z.children == (x, y)
    z.backward()
    assert x.grad == 12.0 and y.grad == pytest.approx(8 * math.log(2))
    w = 2**x
    assert w.data == 4.0 and w.op == "powv"
    p = x**2
    assert p.op == "pow" and p.children == (x,)


def test_unary_minus_abs_and_pos():
    x = Value(-2.0)
    n, a = -x, abs(x)
    assert (n.data, n.op, a.data, a.op) == (2.0, "neg", 2.0, "abs")
    (n + a).backward()
    assert x.grad == -2.0
    assert +x is x


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu", "leaky_relu",
                                  "sin", "cos", "sqrt", "softplus", "abs"])
def test_methods_listed_in_the_spec(name):
    y = getattr(Value(0.5), name)()
    assert type(y) is Value and y.op == name


# -- comparisons and identity --------------------------------------------------------------


def test_comparisons_on_data_with_numbers_and_values():
    a, b = Value(1.0), Value(2.0)
    assert a < b and a <= b and b > a and b >= a and a <= Value(1.0)
    assert a < 2 and 2 > a and a >= 1 and 0.5 <= a and not (a > 1.5)
    assert np.float64(3) > b and b < np.int64(3)
    assert sorted([b, a]) == [a, b] and max(a, b) is b
    with pytest.raises(InputTypeError, match="comparison"):
        a < "x"  # noqa: B015


def test_identity_equality_and_hashing():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and not (a == 1.0)
    assert len({a, b, a}) == 2
    grads = {a: "a", b: "b"}
    assert grads[a] == "a" and grads[b] == "b"
    assert hash(a) == hash(a)


# -- autograd.sum and autograd.dot --------------------------------------------------------


def test_sum_is_one_flat_node():
    xs = [Value(float(i)) for i in range(5)]
    s = autograd.sum(xs)
    assert s.data == 10.0 and s.op == "sum" and s.children == tuple(xs)
    s.backward()
    assert [x.grad for x in xs] == [1.0] * 5


def test_sum_folds_a_numeric_start_and_keeps_repeats():
    a, b = Value(1.0), Value(2.0)
    s = autograd.sum([a, b, a], start=0.5)
    assert s.data == 4.5 and s.children == (a, b, a)
    s.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)
    assert autograd.sum((v for v in [a, b]), start=np.int64(1)).data == 4.0


def test_sum_of_nothing_and_numbers():
    s = autograd.sum([])
    assert s.data == 0.0 and s.children == ()
    s.backward()
    assert autograd.sum([], start=2.0).data == 2.0
    m = autograd.sum([1, Value(2.0)])
    assert m.data == 3.0 and len(m.children) == 2


def test_sum_matches_python_left_fold():
    vals = [0.1, 0.2, 0.3, 1e16, -1e16]
    assert autograd.sum([Value(v) for v in vals]).data == sum(vals)


def test_dot_children_are_ws_then_xs():
    ws = [Value(1.0), Value(2.0)]
    xs = [Value(3.0), Value(4.0)]
    d = autograd.dot(ws, xs)
    assert d.data == 11.0 and d.op == "dot" and d.children == (*ws, *xs)
    d.backward()
    assert [v.grad for v in ws + xs] == [3.0, 4.0, 1.0, 2.0]
    assert autograd.dot([], []).data == 0.0
    w = Value(2.0)
    sq = autograd.dot([w, 3.0], [w, 1.0])
    sq.backward()
    assert sq.data == 7.0 and w.grad == 4.0


def test_dot_length_mismatch():
    with pytest.raises(autograd.AutogradError, match="1 and 2"):
        autograd.dot([Value(1.0)], [Value(1.0), Value(2.0)])


def test_sum_and_dot_reject_non_numbers():
    with pytest.raises(InputTypeError, match="sum"):
        autograd.sum([Value(1.0), "x"])
    with pytest.raises(InputTypeError, match="start"):
        autograd.sum([Value(1.0)], start="0")
    with pytest.raises(InputTypeError, match="dot"):
        autograd.dot([None], [Value(1.0)])


# -- no_grad -------------------------------------------------------------------------------


def test_no_grad_builds_no_graph():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + x.tanh()
        s = autograd.sum([x, x])
    assert is_grad_enabled()
    assert y.children == () and y.op == "" and y._op == ""
    assert s.children == () and s.data == 4.0
    y.backward()
    assert x.grad == 0.0


def test_no_grad_nested_and_restored_after_exceptions():
    with no_grad():
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert is_grad_enabled()
    assert (Value(1.0) * 2).op == "mul"


def test_no_grad_as_decorator():
    @no_grad()
    def step(v: Value) -> Value:
        """Doc kept."""
        assert not is_grad_enabled()
        return v * 2

    y = step(Value(1.0))
    assert y.children == () and is_grad_enabled() and step.__doc__ == "Doc kept."

    @no_grad()
    def fail() -> None:
        raise RuntimeError("inside")

    with pytest.raises(RuntimeError, match="inside"):
        fail()
    assert is_grad_enabled()
