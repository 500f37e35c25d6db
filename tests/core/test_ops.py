"""The op table, tested row by row: generated from ``autograd.ops.OPS`` itself.

A new row in the table is picked up by every test here with no new test lines: its
partials are checked against central finite differences at random points of its
``domain`` (kinks excluded), its forward through the engine must equal the row's
forward, its gradient through ``backward`` must equal the row's partials, and its
derivative rebuilt as ``Value``s (higher order) must agree with the float one.
"""

from __future__ import annotations

import math

import pytest
from finite_diff import central_diff
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd
from autograd import AutogradError, Value
from autograd.graph import local_partials
from autograd.ops import FLOAT, OPS, Op, bind
from autograd.value_math import VALUE_MATH

BUILTIN = [op for op in OPS.values() if op.builtin]
VARIADIC_COUNTS = (2, 4, 6)  # even, so dot (w's then x's) takes them too
SPECIALS = (math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, -1e308, 5e-324, -2.5, 710.0)


def close(a: float, b: float, rel: float = 1e-5, abs_: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def same(a: float, b: float) -> bool:
    """Exact float equality, NaN equal to NaN."""
    return a == b or (a != a and b != b)


def cases() -> list:
    """(op, parameter value, input count) for every builtin row, parameters and counts."""
    out = []
    for op in BUILTIN:
        params = op.examples if op.param is not None else (None,)
        counts = VARIADIC_COUNTS if op.arity is None else (op.arity,)
        for p in params:
            for n in counts:
                out.append(pytest.param(op, p, n, id=f"{op.name}-{p}-{n}"))
    return out


CASES = cases()


def concrete(op: Op, p: float | None) -> Op:
    return op if p is None else bind(op, p)


def row_forward(op: Op, xs: list[float]) -> float:
    return op.forward(xs) if op.arity is None else op.forward(*xs)


def row_partials(op: Op, xs: list, out, F=FLOAT) -> tuple:
    got = op.partials(F, xs, out) if op.arity is None else op.partials(F, *xs, out)
    return tuple(got)


# How the engine applies a row that is not a Value method. A new *method* row needs
# nothing here; a new operator-only row must say how it is spelled.
OPERATORS = {
    "add": lambda xs, p: xs[0] + xs[1],
    "sub": lambda xs, p: xs[0] - xs[1],
    "mul": lambda xs, p: xs[0] * xs[1],
    "div": lambda xs, p: xs[0] / xs[1],
    "powv": lambda xs, p: xs[0] ** xs[1],
    "pow": lambda xs, p: xs[0] ** p,
    "neg": lambda xs, p: -xs[0],
    "sum": lambda xs, p: autograd.sum(xs, start=p),
    "dot": lambda xs, p: autograd.dot(xs[: len(xs) // 2], xs[len(xs) // 2:]),
    "logsumexp": lambda xs, p: autograd.logsumexp(xs),
}


def apply(op: Op, xs: list[Value], p: float | None) -> Value:
    """The row applied through the public engine API."""
    if op.method:
        method = getattr(xs[0], op.name)
        return method() if p is None else method(p)
    if op.name not in OPERATORS:
        pytest.fail(f"op {op.name!r} is neither a method nor in OPERATORS: say how to apply it")
    return OPERATORS[op.name](xs, p)


@st.composite
def points(draw, op: Op, n: int) -> list[float]:
    """A point inside the row's sampling domain, away from its kinks."""
    xs = []
    for i in range(n):
        lo, hi = op.domain[min(i, len(op.domain) - 1)]
        xs.append(draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False)))
    return xs


def away_from_kinks(op: Op, xs: list[float]) -> bool:
    return all(abs(xs[0] - k) > 1e-3 for k in op.kinks)


# -- the table itself ------------------------------------------------------------------


def test_table_is_keyed_by_name_and_well_formed():
    assert {"add", "sub", "mul", "div", "powv", "pow", "neg", "abs", "exp", "log", "tanh",
            "sigmoid", "relu", "leaky_relu", "sin", "cos", "sqrt", "softplus", "sum",
            "dot"} <= set(OPS)
    for name, op in OPS.items():  # custom ops other tests made included
        assert op.name == name
        assert op.arity is None or op.arity >= 1
        assert len(op.domain) in (1, op.arity or 1)
        assert all(lo < hi for lo, hi in op.domain)
        if op.param is not None:
            assert op.examples, f"{name}: a parametric row needs examples for the tests"


@pytest.mark.parametrize("op", BUILTIN, ids=lambda op: op.name)
def test_symbols_non_empty(op):
    assert isinstance(op.symbol, str) and op.symbol.strip()
    for p in op.examples:
        assert bind(op, p).symbol.strip()


@pytest.mark.parametrize("op", [op for op in BUILTIN if op.method], ids=lambda op: op.name)
def test_method_rows_are_value_methods(op):
    method = getattr(Value, op.name)
    assert callable(method) and method.__doc__
    y = method(Value(0.7)) if op.param is None else method(Value(0.7), op.examples[0])
    assert type(y) is Value and y.op == op.name


def test_micrograd_op_strings():
    a, b = Value(2.0), Value(3.0)
    assert (a + b)._op == "+"
    assert (a * b)._op == "*"
    assert (a**2)._op == "**2"
    assert (a**0.5)._op == "**0.5"
    assert (a**-1)._op == "**-1"
    assert a.relu()._op == "ReLU"
    assert a.tanh()._op == "tanh"
    assert a.exp()._op == "exp"
    assert a._op == ""


def test_bind_is_cached_and_keeps_the_name():
    pow2 = bind(OPS["pow"], 2.0)
    assert bind(OPS["pow"], 2.0) is pow2
    assert pow2.name == "pow" and pow2.value == 2.0
    assert (Value(3.0) ** 2).op == "pow"


# -- every row against finite differences -------------------------------------------------


@pytest.mark.parametrize(("op", "p", "n"), CASES)
@given(data=st.data())
def test_row_partials_match_finite_differences(op, p, n, data):
    row = concrete(op, p)
    xs = data.draw(points(op, n))
    assume(away_from_kinks(op, xs))
    out = row_forward(row, xs)
    partials = row_partials(row, xs, out)
    assert len(partials) == n
    for i in range(n):
        numeric = central_diff(lambda v: row_forward(row, v), xs, i)
        assert close(partials[i], numeric), (op.name, p, xs, i, partials[i], numeric)


@pytest.mark.parametrize(("op", "p", "n"), CASES)
@given(data=st.data())
def test_engine_forward_and_backward_follow_the_row(op, p, n, data):
    row = concrete(op, p)
    xs = data.draw(points(op, n))
    assume(away_from_kinks(op, xs))
    values = [Value(x) for x in xs]
    y = apply(op, values, p)
    assert y.op == op.name
    assert y.children == tuple(values)
    assert same(y.data, row_forward(row, xs))
    y.backward()
    partials = row_partials(row, xs, y.data)
    assert all(same(v.grad, d) for v, d in zip(values, partials))


@pytest.mark.parametrize(("op", "p", "n"), CASES)
@given(data=st.data())
def test_value_math_partials_agree_and_differentiate(op, p, n, data):
    """The same rule on Values: same numbers, and its own derivative is right."""
    row = concrete(op, p)
    xs = data.draw(points(op, n))
    assume(away_from_kinks(op, xs))
    y = apply(op, [Value(x) for x in xs], p)
    children, floats = local_partials(y)
    _, graphs = local_partials(y, VALUE_MATH)
    for d, g in zip(floats, graphs):
        assert close(d, float(g), rel=1e-12, abs_=1e-12)
    # second order: d/dx_j of the partial by x_i, against differences of the float partial
    for i, g in enumerate(graphs):
        if type(g) is not Value:
            continue  # a constant partial
        g.backward()

        def partial_i(v: list[float], i: int = i) -> float:
            return row_partials(row, v, row_forward(row, v))[i]

        for j, child in enumerate(children):
            numeric = central_diff(partial_i, xs, j)
            assert close(child.grad, numeric, rel=1e-4, abs_=1e-5), (op.name, p, xs, i, j)
            child.grad = 0.0


# -- kinks and IEEE edge values ---------------------------------------------------------


def test_kink_conventions_follow_pytorch():
    def grad_at(f, x0: float) -> float:
        x = Value(x0)
        f(x).backward()
        return x.grad

    assert grad_at(lambda x: x.relu(), 0.0) == 0.0
    assert grad_at(abs, 0.0) == 0.0
    assert grad_at(lambda x: x.abs(), 0.0) == 0.0
    assert grad_at(lambda x: x.leaky_relu(), 0.0) == 0.01
    assert grad_at(lambda x: x.leaky_relu(0.2), 0.0) == 0.2
    assert grad_at(lambda x: x.leaky_relu(slope=0.3), -1.0) == 0.3


@pytest.mark.parametrize("op", [op for op in BUILTIN if op.kinks], ids=lambda op: op.name)
def test_kinks_never_raise_in_backward(op):
    """At a kink the row either refuses the input (a typed error) or gives a gradient."""
    p = op.examples[0] if op.examples else None
    n = VARIADIC_COUNTS[0] if op.arity is None else op.arity
    for k in op.kinks:
        xs = [Value(k)] + [Value(1.0) for _ in range(n - 1)]
        try:
            y = apply(op, xs, p)
        except AutogradError:
            continue
        y.backward()
        assert isinstance(xs[0].grad, float)


@pytest.mark.parametrize(("op", "p", "n"), CASES)
def test_ieee_edge_values_never_raise_untyped(op, p, n):
    """NaN, inf, 0, huge and tiny inputs: a typed domain error or a float result and
    float gradients, never OverflowError, ValueError('math domain error') or complex."""
    for special in SPECIALS:
        for lead in range(n):
            xs = [Value(special if i == lead else 1.5) for i in range(n)]
            try:
                y = apply(op, xs, p)
            except AutogradError:
                continue
            assert type(y.data) is float, (op.name, special)
            y.backward()
            assert all(type(v.grad) is float for v in xs), (op.name, special)


def test_parametric_rows_reject_non_numbers():
    with pytest.raises(AutogradError, match="slope"):
        Value(1.0).leaky_relu("big")
    with pytest.raises(AutogradError):
        Value(1.0).leaky_relu(0.1, 0.2)


def test_the_type_stubs_list_exactly_what_the_op_table_attaches():
    """``engine.py`` lists the generated operators for type checkers; the list is kept
    true to the op table: every name ``attach`` sets, and nothing else."""
    import ast
    from pathlib import Path

    from autograd import engine

    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    value = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Value")
    block = next(n for n in value.body
                 if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    stubs = [n.name for n in block.body if isinstance(n, ast.FunctionDef)]
    assert sorted(stubs) == sorted(engine.BUILD.generated)
    methods = {op.name for op in OPS.values() if op.method and op.builtin}
    assert methods <= set(stubs)
    for name in stubs:
        assert callable(getattr(engine.Value, name))


_EDGE = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan])


@pytest.mark.parametrize("name", ["add", "mul"])
@given(x=_EDGE, y=_EDGE, number=st.booleans())
def test_written_out_forwards_are_the_rows_own_to_the_bit(name, x, y, number):
    """``a + b`` and ``a * b`` compute the float in the method itself; each must give what
    the row's ``forward`` gives (NaN, infinities, signed zeros), with a Value or a number
    on the right, and build the same node: the op, its inputs, a grad of 0.0."""
    a = Value(x)
    b = y if number else Value(y)
    node = a + b if name == "add" else a * b
    assert repr(node.data) == repr(OPS[name].forward(x, y))
    assert node.op == name and node.children[0] is a and repr(node.grad) == "0.0"
    assert node.children[1] is b if not number else repr(node.children[1].data) == repr(y)


@given(x=_EDGE)
def test_written_out_relu_is_the_rows_own_to_the_bit(x):
    """``x.relu()`` computes its float in the method too: the row's ``forward`` to the bit
    (NaN passes, -0.0 and the kink give 0.0), and the same node."""
    a = Value(x)
    node = a.relu()
    assert repr(node.data) == repr(OPS["relu"].forward(x))
    assert node.op == "relu" and node.children == (a,) and repr(node.grad) == "0.0"
    assert repr(Value.relu(x).data) == repr(OPS["relu"].forward(x))  # a number: its leaf
