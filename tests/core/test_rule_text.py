"""Every built-in op row carries its local rule as text, and that text *is* the rule:
evaluated by the expression language's rule dialect at random points of the row's domain it
gives the row's own partials. The stepper, the terminal and custom ops show it."""

from __future__ import annotations

import math

import pytest
from examples import neuron
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import ExpressionError, OpDefinitionError, Stepper, Value
from autograd.expr.rule_dialect import evaluate_rule
from autograd.graph import local_partials
from autograd.ops import OPS, bind
from autograd.rule_text import rule_names, rule_template, rule_text
from autograd.trace import trace_backward

BUILTIN = [op for op in OPS.values() if op.builtin]


def cases() -> list:
    out = []
    for op in BUILTIN:
        for p in (op.examples if op.param is not None else (None,)):
            for n in ((2, 4, 6) if op.arity is None else (op.arity,)):
                out.append(pytest.param(op, p, n, id=f"{op.name}-{p}-{n}"))
    return out


def make_node(op, p, xs: list[float]) -> Value:
    """A node of this row over leaves holding ``xs``, built by the engine itself."""
    leaves = [Value(x) for x in xs]
    if op.arity is None:
        if op.name == "sum":
            return autograd.sum(leaves, start=p)
        if op.name == "dot":
            half = len(leaves) // 2
            return autograd.dot(leaves[:half], leaves[half:])
        return getattr(autograd, op.name)(leaves)
    if op.name == "pow":
        return leaves[0] ** p
    if op.name == "powv":
        return leaves[0] ** leaves[1]
    if op.name == "leaky_relu":
        return leaves[0].leaky_relu(p)
    if op.arity == 2:
        symbol = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__"}
        return getattr(leaves[0], symbol[op.name])(leaves[1])
    if op.name == "neg":
        return -leaves[0]
    return getattr(leaves[0], op.name)()


def test_every_builtin_row_has_one_rule_per_input() -> None:
    for op in BUILTIN:
        assert op.rule, f"op {op.name!r} has no rule text"
        expected = {None: (1, 2), 1: (1,), 2: (2,)}[op.arity]
        assert len(op.rule) in expected, op.name
        assert all(r.strip() == r and r for r in op.rule)


@pytest.mark.parametrize(("op", "p", "n"), cases())
@given(data=st.data())
def test_evaluating_the_rule_gives_the_rows_partials(op, p, n, data) -> None:
    lo_hi = op.domain
    xs = [data.draw(st.floats(*lo_hi[min(i, len(lo_hi) - 1)]), label=f"x{i}") for i in range(n)]
    node = make_node(op, p, xs)
    assert node.op == op.name
    kids, partials = local_partials(node)
    for i, expected in enumerate(partials):
        text = rule_template(node._fn, i, len(kids))
        env = {"out": node.data}
        for name, what in rule_names(node, i, len(kids)).items():
            if isinstance(what, int):
                env[name] = kids[what].data
            elif what != "out":
                env[name] = what
        got = evaluate_rule(text, env)
        assert math.isclose(got, float(expected), rel_tol=1e-9, abs_tol=1e-12), (op.name, i, text)


def test_rule_text_uses_the_graphs_names() -> None:
    o = neuron()
    n = o.children[0]
    assert rule_text(o, 0, ["n"], "o") == "1 - o**2"
    mul = n.children[0].children[0]  # x1 * w1
    assert [rule_text(mul, i, ["x1", "w1"], "#2") for i in (0, 1)] == ["w1", "x1"]
    x = Value(1.5, label="x")
    assert rule_text(x ** 3, 0, ["x"], "y") == "3 * x**(3 - 1)"
    assert rule_text(x.leaky_relu(0.2), 0, ["x"], "y") == "1 if x > 0 else 0.2"
    w = [Value(1.0, label=f"w{i}") for i in range(2)]
    v = [Value(2.0, label=f"v{i}") for i in range(2)]
    d = autograd.dot(w, v)
    names = ["w0", "w1", "v0", "v1"]
    assert [rule_text(d, i, names, "d") for i in range(4)] == ["v0", "v1", "w0", "w1"]
    assert rule_text(x, 0, [], "x") == ""  # a leaf has no rule


def test_the_stepper_and_terminal_show_the_local_rule() -> None:
    s = Stepper(neuron())
    s.step()
    assert s.explain().splitlines() == [
        "step 1/5: o (tanh)",
        "  local rule: do/dn = 1 - o**2 = 0.5000",
        "  n.grad += o.grad * do/dn = 1.0000 * 0.5000 = 0.5000  -> 0.5000"]
    s.goto(5)
    assert s.current.explain()[0] == "local rules: d#2/dx1 = w1 = -3.0000;  d#2/dw1 = x1 = 2.0000"
    steps = list(trace_backward(neuron()))
    assert steps[1].rule_lines() == ["dn/d#6 = 1", "dn/db = 1"]
    assert str(steps[0]) == "n.grad += o.grad * do/dn = 1.0000 * 0.5000 = 0.5000  -> 0.5000"


def test_wide_nodes_keep_the_terminal_short() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(6)]
    (step,) = list(trace_backward(autograd.sum(xs)))
    assert step.explain() == step.lines()  # six identical "= 1" rules are not worth a line


def test_custom_ops_may_name_their_rule() -> None:
    cube = autograd.custom_op("cube_rule", lambda x: x ** 3, lambda x: (3 * x ** 2,),
                              rule="3 * x**2")
    u = Value(2.0, label="u")
    y = cube(u)
    y.label = "y"
    (step,) = list(trace_backward(y))
    assert step.rule_lines() == ["dy/du = 3 * u**2 = 12.0000"]
    norm = lambda p, q: (p * p + q * q) ** 0.5  # noqa: E731
    hyp = autograd.custom_op("hyp_rule", lambda p, q: norm(p, q),
                             lambda p, q: (p / norm(p, q), q / norm(p, q)),
                             rule=("p / out", "q / out"))
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    h = hyp(a, b)
    h.label = "h"
    (step,) = list(trace_backward(h))
    assert step.rule_lines() == ["dh/da = a / h = 0.6000", "dh/db = b / h = 0.8000"]
    plain = autograd.custom_op("plain_rule", lambda x: 2 * x, lambda x: (2.0,))
    (step,) = list(trace_backward(plain(u)))
    assert step.rule_lines() == []


def test_bad_rule_texts_are_refused_clearly() -> None:
    with pytest.raises(OpDefinitionError, match="one per input"):
        autograd.custom_op("bad_rule", lambda a, b: a * b, lambda a, b: (b, a), rule="b")
    for text in ["__import__('os')", "x.real", "[x]", "x if y else 1", "lambda: 1"]:
        with pytest.raises(ExpressionError, match="rule formula"):
            evaluate_rule(text, {"x": 1.0, "y": 2.0})
    with pytest.raises(ExpressionError, match="unknown name 'z'"):
        evaluate_rule("z + 1", {"x": 1.0})
    with pytest.raises(ExpressionError, match="at most"):
        evaluate_rule("x + " * 100 + "x", {"x": 1.0})


def test_pow_bound_keeps_its_rule() -> None:
    assert bind(OPS["pow"], 2.0).rule == ("n * x**(n - 1)",)
