"""numeric_grad: central differences, input validation, and kink detection helpers."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from strategies import build, dags

import autograd
from autograd import DomainError, InputTypeError, Value, numeric_grad, topo_order
from autograd.check.finite_diff import crossed, edges, near_edge
from autograd.ops import OPS, bind


def test_matches_closed_form_derivatives():
    f = lambda x, y: (x * y).exp() + y.sin() * x ** 2  # noqa: E731
    x, y = 0.3, -1.2
    gx, gy = numeric_grad(f, [x, y])
    assert gx == pytest.approx(y * math.exp(x * y) + 2 * x * math.sin(y), rel=1e-8)
    assert gy == pytest.approx(x * math.exp(x * y) + math.cos(y) * x ** 2, rel=1e-8)


def test_uses_only_the_data_of_given_values():
    a = Value(2.0, label="a")
    a.grad = 7.0
    (g,) = numeric_grad(lambda x: x * x * x, [a])
    assert g == pytest.approx(12.0, rel=1e-8)
    assert a.grad == 7.0 and a.data == 2.0


def test_numpy_and_int_inputs_are_accepted():
    np = pytest.importorskip("numpy")
    assert numeric_grad(lambda x, y: x * y, [np.float64(3.0), 2]) == pytest.approx([2.0, 3.0])


@given(dags())
def test_agrees_with_backward_on_random_dags(dag):
    recipe, xs = dag
    f = build(recipe)
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    assume(max(abs(n.data) for n in topo_order(out)) < 1e3)
    assume(not crossed_any(f, xs))
    out.backward()
    numeric = numeric_grad(f, xs)
    for leaf, num in zip(leaves, numeric):
        assert leaf.grad == pytest.approx(num, rel=1e-4, abs=1e-5)


def crossed_any(f, xs, eps=1e-6):
    base = f(*[Value(x) for x in xs])
    for i in range(len(xs)):
        moved = [[Value(x + (d if k == i else 0.0)) for k, x in enumerate(xs)] for d in (eps, -eps)]
        if crossed(base, f(*moved[0]), f(*moved[1])):
            return True
    return False


def test_f_returning_a_number_is_named():
    with pytest.raises(InputTypeError, match=r"numeric_grad: f must return a Value, got 3.0 "
                                             r"\(float\)"):
        numeric_grad(lambda x: 3.0, [1.0])


def test_f_returning_non_finite_is_named():
    with pytest.raises(DomainError, match=r"f returned inf \(not finite\) at xs = \[1000\]"):
        numeric_grad(lambda x: x.exp(), [1000.0])


def test_wrong_number_of_inputs_says_how_many():
    with pytest.raises(InputTypeError, match=r"f takes 2 inputs \(x, y\) but was called with "
                                             r"3; xs must hold one number or Value per input"):
        numeric_grad(lambda x, y: x * y, [1.0, 2.0, 3.0])


def test_a_type_error_inside_f_is_not_mistaken_for_arity():
    def f(x):
        return x + "oops"

    with pytest.raises(TypeError, match="add: operand expects a real number, got 'oops'"):
        numeric_grad(f, [1.0])


@pytest.mark.parametrize("xs, message", [
    ([1.0, "a"], r"numeric_grad: xs\[1\] expects a real number, got 'a' \(str\)"),
    ([True], r"numeric_grad: xs\[0\] expects a real number, got True \(bool\)"),
    (2.0, r"xs must be a list of numbers or Values, got 2.0 \(float\); wrap a single input"),
    ([], r"numeric_grad: xs is empty"),
])
def test_non_numeric_inputs_are_named(xs, message):
    with pytest.raises(InputTypeError, match=message):
        numeric_grad(lambda *v: v[0], xs)


def test_non_finite_input_and_bad_eps_are_rejected():
    with pytest.raises(DomainError, match=r"xs\[0\] is nan; gradients are checked at finite"):
        numeric_grad(lambda x: x, [math.nan])
    with pytest.raises(DomainError, match="eps must be a positive finite number, got 0"):
        numeric_grad(lambda x: x, [1.0], eps=0)
    with pytest.raises(InputTypeError, match="f must be a callable, got 3"):
        numeric_grad(3, [1.0])


def test_edges_come_from_the_op_table():
    assert edges(OPS["relu"]) == ((0.0,), False)
    assert edges(OPS["log"]) == ((0.0,), True)
    assert edges(bind(OPS["pow"], 0.5)) == ((0.0,), True)
    assert edges(bind(OPS["pow"], 2.0))[0] == ()
    assert edges(OPS["tanh"]) == ((), False)


def test_near_edge_needs_a_straddle_for_kinks_and_closeness_for_domains():
    relu, sqrt = OPS["relu"], OPS["sqrt"]
    assert near_edge(relu, 0.0, -1e-6, 1e-6) == "input 0 is at its kink 0"
    assert near_edge(relu, 1e-3, 1e-3 - 1e-6, 1e-3 + 1e-6) is None
    assert near_edge(sqrt, 1e-6, 0.0, 2e-6) == "input 1e-06 is at the edge 0 of its domain"
    assert near_edge(sqrt, 1.0, 1.0 - 1e-6, 1.0 + 1e-6) is None


def test_crossed_names_the_kinked_node_and_ignores_non_ancestors():
    f = lambda x, y: x.relu() + y * y  # noqa: E731
    base = f(Value(0.0), Value(1.0))
    hit = crossed(base, f(Value(1e-6), Value(1.0)), f(Value(-1e-6), Value(1.0)))
    assert hit == ("kink", "relu at node #1: input 0 is at its kink 0")
    assert crossed(base, f(Value(0.0), Value(1.000001)), f(Value(0.0), Value(0.999999))) is None


def test_crossed_reports_a_python_branch():
    f = lambda x: x * 2 if x.data > 0 else x + 2  # noqa: E731
    hit = crossed(f(Value(0.0)), f(Value(1e-6)), f(Value(-1e-6)))
    assert hit == ("branch", "node #2 is not add at x + eps or x - eps")
    g = lambda x: x * 2 if x.data > 0 else autograd.sum([x, x])  # noqa: E731
    hit = crossed(g(Value(0.0)), g(Value(1e-6)), g(Value(-1e-6)))
    assert hit == ("branch", "f builds a different graph at x + eps and x - eps (a Python "
                             "branch?)")
