"""``backward()``: finite differences on random DAGs, accumulation, edge derivatives, scale."""

from __future__ import annotations

import gc
import math
import sys

import pytest
from finite_diff import central_diff
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import Recipe, build, dags

import autograd
from autograd import Value
from autograd.backward import chain_rule, propagate
from autograd.graph import local_partials, topo_order
from autograd.value_math import VALUE_MATH


def well_behaved(root: Value) -> bool:
    """Finite, moderate values and no relu input near its kink: FD is meaningful."""
    for node in topo_order(root):
        if not math.isfinite(node.data) or abs(node.data) > 1e4:
            return False
        if node.op == "relu" and abs(node.children[0].data) < 1e-3:
            return False
    return True


def run(recipe: Recipe, xs: list[float]) -> tuple[Value, list[Value]]:
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    return build(recipe)(*leaves), leaves


# -- random DAGs against finite differences ---------------------------------------------


@given(dags())
def test_dag_gradients_match_finite_differences(case):
    recipe, xs = case
    root, leaves = run(recipe, xs)
    assume(well_behaved(root))
    root.backward()
    f = lambda v: build(recipe)(*[Value(x) for x in v]).data  # noqa: E731
    for i, leaf in enumerate(leaves):
        numeric = central_diff(f, xs, i)
        tol = 1e-4 * (1.0 + abs(numeric))
        assert abs(leaf.grad - numeric) <= tol, (str(recipe), xs, i, leaf.grad, numeric)


@given(dags(max_steps=8))
def test_same_recipe_twice_gives_identical_orders_and_grads(case):
    recipe, xs = case
    first, _ = run(recipe, xs)
    second, _ = run(recipe, xs)
    first.backward()
    second.backward()

    def trail(root):
        return [(n.op, n.label, repr(n.data), repr(n.grad)) for n in topo_order(root)]

    assert trail(first) == trail(second)


@given(dags(max_steps=8))
def test_backward_with_hooks_equals_fast_path_exactly(case):
    """The dict-based driver (taken when any hook exists) adds up the same floats."""
    recipe, xs = case
    plain, plain_leaves = run(recipe, xs)
    hooked, hooked_leaves = run(recipe, xs)
    handle = hooked_leaves[0].register_hook(lambda g: None)
    try:
        plain.backward()
        hooked.backward()
    finally:
        handle.remove()
    for a, b in zip(topo_order(plain), topo_order(hooked)):
        assert repr(a.grad) == repr(b.grad)


def test_a_dag_with_reuse_of_intermediate_nodes():
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    h = (x * w).tanh()  # reused three times below
    y = h * h + h.exp() + autograd.sum([h, x, h], start=1.0)
    y.backward()
    t = math.tanh(0.5 * -1.5)
    dy_dh = 2 * t + math.exp(t) + 2
    assert math.isclose(x.grad, dy_dh * (1 - t * t) * -1.5 + 1, rel_tol=1e-12)
    assert math.isclose(w.grad, dy_dh * (1 - t * t) * 0.5, rel_tol=1e-12)
    assert math.isclose(h.grad, dy_dh, rel_tol=1e-12)


# -- semantics -------------------------------------------------------------------------


def test_a_plus_a_has_two_edges_and_grad_two():
    a = Value(3.0)
    y = a + a
    assert y.children == (a, a)
    y.backward()
    assert a.grad == 2.0


def test_diamond():
    x = Value(2.0)
    a, b = x * 3.0, x.exp()
    y = a * b
    y.backward()
    assert math.isclose(x.grad, 3 * math.exp(2) + 6 * math.exp(2), rel_tol=1e-12)
    assert math.isclose(a.grad, math.exp(2), rel_tol=1e-12) and b.grad == 6.0


def test_backward_twice_accumulates_everywhere():
    x = Value(3.0)
    y = x * x
    y.backward()
    assert x.grad == 6.0 and y.grad == 1.0
    y.backward()
    assert x.grad == 12.0  # 4x, as in PyTorch
    assert y.grad == 2.0  # intermediate (here root) grads accumulate too
    z = y * 2.0
    z.backward()
    assert y.grad == 4.0 and x.grad == 24.0


def test_each_call_propagates_its_own_gradient():
    """A second backward from an inner node seeds it fresh, not with its stale .grad."""
    x = Value(2.0)
    y = x * x
    z = y * 3.0
    z.backward()
    assert y.grad == 3.0 and x.grad == 12.0
    y.backward()  # adds dy/dx = 4, not 3 * 4 or 4 * 4
    assert x.grad == 16.0 and y.grad == 4.0


def test_backward_with_seed():
    x = Value(3.0)
    y = x * x
    y.backward(grad=2.0)
    assert y.grad == 2.0 and x.grad == 12.0
    y.backward(0.5)
    assert x.grad == 15.0


def test_backward_seed_must_be_a_number():
    with pytest.raises(autograd.InputTypeError, match="backward"):
        Value(1.0).backward(grad="1")


def test_backward_on_a_leaf():
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_intermediate_grads_are_complete():
    x = Value(1.0)
    a = x * 2.0
    y = a * a + a
    y.backward()
    assert a.grad == 2 * 2.0 + 1 and x.grad == 10.0


# -- derivatives that are infinite or undefined: inf/nan, never an exception -----------------


def grad_of(f, *xs: float) -> list[float]:
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    return [v.grad for v in vs]


def test_infinite_derivatives_are_inf_not_exceptions():
    assert grad_of(lambda x: x.sqrt(), 0.0) == [math.inf]
    assert grad_of(lambda x: x**0.5, 0.0) == [math.inf]
    assert grad_of(lambda x: x**1.5, 0.0) == [0.0]
    assert grad_of(lambda x: x**0, 0.0) == [0.0]
    assert grad_of(lambda x: x**-2, 1e-300) == [-math.inf]
    assert grad_of(lambda x: x.log(), 1e-320) == [math.inf]
    assert grad_of(lambda x: x**-1, -1.0) == [-1.0]


def test_zero_base_with_value_exponent():
    assert grad_of(lambda a, y: a**y, 0.0, 2.0) == [0.0, 0.0]
    assert grad_of(lambda a, y: a**y, 0.0, 0.5) == [math.inf, 0.0]
    g = grad_of(lambda a, y: a**y, -2.0, 2.0)
    assert g[0] == -4.0 and math.isnan(g[1])  # d/dy (-2)**y is undefined: nan, as PyTorch
    assert grad_of(lambda y: 2**y, 3.0) == [pytest.approx(8 * math.log(2))]


def test_zero_to_the_value_zero_matches_constant_exponent():
    assert grad_of(lambda a, y: a**y, 0.0, 0.0) == grad_of(lambda a: a**0, 0.0) + [0.0]


def test_nan_and_inf_data_flow_through_backward():
    x = Value(float("nan"))
    y = (x * 2.0).tanh() + x.exp()
    y.backward()
    assert math.isnan(y.data) and math.isnan(x.grad)
    big = Value(1000.0)
    e = big.exp()
    e.backward()
    assert e.data == math.inf and big.grad == math.inf
    s = Value(math.inf).sin()
    s.backward()
    assert math.isnan(s.data) and math.isnan(s.children[0].grad)


# -- higher order through propagate with the Value math namespace --------------------------


def second_derivative(f, x0: float) -> tuple[float, float]:
    x = Value(x0)
    y = f(x)
    dx = propagate(topo_order(y), y, Value(1.0), F=VALUE_MATH)[x]
    d2x = propagate(topo_order(dx), dx, Value(1.0), F=VALUE_MATH).get(x, 0.0)
    return float(dx), float(d2x)


def test_second_derivatives():
    assert second_derivative(lambda x: x**3, 2.0) == (12.0, 12.0)
    assert second_derivative(lambda x: x * x * x, 2.0) == (12.0, 12.0)
    d1, d2 = second_derivative(lambda x: x.tanh(), 0.5)
    t = math.tanh(0.5)
    assert math.isclose(d1, 1 - t * t) and math.isclose(d2, -2 * t * (1 - t * t))
    d1, d2 = second_derivative(lambda x: 2**x, 1.0)
    assert math.isclose(d1, 2 * math.log(2)) and math.isclose(d2, 2 * math.log(2) ** 2)
    d1, d2 = second_derivative(lambda x: autograd.dot([x, x], [x, 3.0]), 2.0)
    assert (d1, d2) == (7.0, 2.0)


@pytest.mark.parametrize("f, xs", [
    pytest.param(lambda x: x.sqrt(), [0.0], id="sqrt"),
    pytest.param(lambda x: x**0.5, [0.0], id="pow-half"),
    pytest.param(lambda a, y: a**y, [0.0, 0.5], id="zero-base"),
    pytest.param(lambda a, y: a**y, [-2.0, 2.0], id="negative-base"),
])
def test_higher_order_edge_derivatives_do_not_raise(f, xs):
    """Higher order gives the same inf/nan as float backward, never an exception."""
    vs = [Value(x) for x in xs]
    y = f(*vs)
    grads = propagate(topo_order(y), y, Value(1.0), F=VALUE_MATH)
    first = [float(grads[v]) for v in vs]
    y.backward()
    assert all(a == b or (a != a and b != b) for a, b in zip(first, [v.grad for v in vs]))


# -- scale ------------------------------------------------------------------------------


def test_million_node_chain_backward_and_freed():
    """1,000,000 nodes: no RecursionError, the exact gradient, then freed by refcounting."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        c = Value(1.0000001, label="c")
        base = sys.getrefcount(c)
        x0 = Value(1.0, label="x0")
        x = x0
        for _ in range(999_998):
            x = x * c
        assert sys.getrefcount(c) - base == 999_998  # one edge per mul node
        assert len(topo_order(x)) == 1_000_000  # 999,998 mul nodes, x0 and c
        x.backward()
        n = 999_998
        assert math.isclose(x0.grad, 1.0000001**n, rel_tol=1e-9)
        assert math.isclose(c.grad, n * 1.0000001 ** (n - 1), rel_tol=1e-6)
        del x
        assert sys.getrefcount(c) == base  # every mul node is gone
    finally:
        if was_enabled:
            gc.enable()


# -- the partials backward writes out for the commonest rows ----------------------------

_ANY = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan])
_FORMS = {
    "a + b": lambda a, b, c: a + b, "a * b": lambda a, b, c: a * b,
    "a - b": lambda a, b, c: a - b, "a + c": lambda a, b, c: a + c,
    "c + a": lambda a, b, c: c + a, "a * c": lambda a, b, c: a * c,
    "c * a": lambda a, b, c: c * a, "a - c": lambda a, b, c: a - c,
    "c - a": lambda a, b, c: c - a, "relu": lambda a, b, c: a.relu(),
    "tanh": lambda a, b, c: a.tanh(), "a * a": lambda a, b, c: a * a,
}


@given(st.sampled_from(sorted(_FORMS)), _ANY, _ANY, _ANY, _ANY)
def test_written_out_partials_are_the_rows_own_to_the_bit(form, x, y, c, g):
    """``chain_rule`` writes out some rows' partials; each must give exactly what the
    row's ``partials`` give, NaN, infinities and signed zeros included."""
    a, b = Value(x), Value(y)
    node = _FORMS[form](a, b, c)
    node.grad = g
    chain_rule([node])
    twin_a, twin_b = Value(x), Value(y)
    twin = _FORMS[form](twin_a, twin_b, c)
    children, partials = local_partials(twin)  # the row's own rule
    for child, p in zip(children, partials):
        child.grad += g * p
    assert (repr(a.grad), repr(b.grad)) == (repr(twin_a.grad), repr(twin_b.grad))
