"""The expression language: Python precedence, labels, and one clear line for bad input."""

from __future__ import annotations

import builtins
import math
import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import OPS, Value, topo_order
from autograd.errors import ExpressionError, InputTypeError
from autograd.expr.parser import (
    MAX_DEPTH,
    evaluate,
    format_error,
    functions,
    parse,
    parse_assignment,
)


def test_the_neuron_builds_a_labelled_graph() -> None:
    expr = parse("n = x1*w1 + x2*w2 + b; o = tanh(n)")
    assert expr.variables == ("x1", "w1", "x2", "w2", "b")
    assert [s.target for s in expr.statements] == ["n", "o"]
    o = expr.evaluate(dict(x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432))
    assert o.label == "o" and o.op == "tanh" and o.data == pytest.approx(math.sqrt(0.5))
    labels = [v.label for v in topo_order(o)]
    assert labels == ["x1", "w1", "", "x2", "w2", "", "", "b", "n", "o"]


@pytest.mark.parametrize("text, expected", [
    ("-x**2", -9.0), ("2**3**2", 512.0), ("(2**3)**2", 64.0), ("+x - -x", 6.0),
    ("x / 2 * 4", 6.0), ("1 - x - 1", -3.0), ("2*x**-1", 2 / 3), ("sqrt(x*x)", 3.0),
    ("leaky_relu(-x, 0.2)", -0.6), ("leaky_relu(-x, slope=0.5)", -1.5), ("exp(0)", 1.0),
])
def test_python_precedence_and_constants(text: str, expected: float) -> None:
    assert evaluate(text, x=3.0).data == pytest.approx(expected)


def test_constants_fold_and_exponents_use_the_number_power_op() -> None:
    y = evaluate("x ** (1/2) * (2*3)", x=4.0)
    assert y.op == "mul" and y.children[0].op == "pow" and y.children[0]._op == "**0.5"
    assert y.children[1].op == "" and y.children[1].data == 6.0
    assert evaluate("2 ** x", x=3.0).op == "powv"


def test_every_method_op_of_the_table_is_a_function() -> None:
    assert functions() == sorted(name for name, op in OPS.items() if op.method)
    for name in functions():
        lo, hi = OPS[name].domain[0]
        x = (lo + hi) / 2
        y = evaluate(f"{name}(x)", x=x)
        assert y.op == name and y.data == getattr(Value(x), name)().data


def test_assignments_label_nodes_and_never_relabel_inputs() -> None:
    w = Value(2.0, label="weight")
    y = evaluate("a = x\nc = 3\n  d = a * c + w\n", x=1.5, w=w)
    assert y.label == "d" and y.data == 6.5
    leaves = {v.label for v in topo_order(y) if not v.op}
    assert leaves == {"x", "c", "weight"}


def test_a_plain_value_input_gets_its_name_as_label() -> None:
    v = Value(2.0)
    assert evaluate("v * 2", v=v).children[0] is v and v.label == "v"
    assert evaluate("2 + 3").data == 5.0  # a constant output is a leaf


BAD = [  # text, column, fragment of the message
    ("x.y + 1", 1, "found attribute access 'x.y'"),
    ("tanhh(x)", 1, "unknown function 'tanhh' (did you mean 'tanh'?); expected one of: abs,"),
    ("x1 w1", 4, "found 'w1'; expected an operator"),
    ("(x + 1", 1, "found '(' that is never closed"),
    ("x + 1)", 6, "found ')' without a matching"),
    ("x +", 4, "found the end of the text"),
    ("x // 2", 1, "found operator '//'"),
    ("x < 2", 1, "found a comparison"),
    ("'abc' * x", 1, "found a string"),
    ("lambda: x", 1, "found a lambda"),
    ("x[0]", 1, "found a subscript"),
    ("a, b", 1, "found a tuple"),
    ("import os", 1, "found an import"),
    ("x += 1", 1, "found an augmented assignment"),
    ("a = b = x", 5, "expected one name to assign to"),
    ("y = x; y = 2", 8, "'y', which is already assigned"),
    ("x = x + 1", 1, "'x', which is an input variable"),
    ("tanh(x, 2)", 1, "found tanh() with 2 arguments; expected tanh(x)"),
    ("relu(x, slope=2)", 1, "keyword argument 'slope'"),
    ("leaky_relu(x, x)", 1, "slope that depends on a variable"),
    ("1j * x", 1, "imaginary number"),
    ("True + x", 1, "found 'True'"),
    ("1e999 * x", 1, "too large for a float"),
    ("x ** 1001", 6, "found exponent 1001; expected a constant exponent between -1000 and 1000"),
    ("2**10**10", 4, "found exponent 1e+10"),
    ("log(0 - 1)", 1, "log of non-positive value -1.0"),
    ("x / 0", 3, "division by zero"),
    ("(-8) ** (1/3)", 6, "fractional exponent"),
    ("x\x00", 2, "control character"),
    ("f'{x}'", 1, "f-string"),
    ("(x := 3)", 2, "':='"),
    ("x if x else 2", 1, "if-expression"),
]


@pytest.mark.parametrize("text, column, fragment", BAD)
def test_bad_input_gets_one_line_with_position_found_and_expected(text, column, fragment) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(text, x=2.0, a=1.0, b=1.0)
    err = info.value
    message = str(err)
    assert "\n" not in message and fragment in message
    assert message.startswith(f"column {column}: ")
    assert err.position == column - 1 and err.text == text
    caret = format_error(err).splitlines()
    assert caret[0] == message and caret[2].index("^") - 2 == column - 1


def test_positions_count_characters_and_lines() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("α = 1\nβ = α + γ.real")
    assert str(info.value).startswith("line 2, column 9: found attribute access 'γ.real'")
    assert format_error(info.value).splitlines()[1:] == ["  β = α + γ.real", "          ^"]
    with pytest.raises(ExpressionError, match=r"^line 2, column 6: found '\(' that is never"):
        parse("a = x\n\tb = (a")  # indented lines are fine; positions count the indent


def test_missing_variables_are_named_with_the_given_ones() -> None:
    with pytest.raises(ExpressionError, match=r"column 9: found variable 'w2' without a value; "
                       r"expected a value for each of x1, w1, w2 \(given: x1, w1\)"):
        evaluate("x1*w1 + w2", x1=1.0, w1=2.0)
    with pytest.raises(ExpressionError, match=r"'bb' without a value \(did you mean 'b'\?\)"):
        evaluate("x + bb", x=1.0, b=2.0)
    with pytest.raises(InputTypeError, match="variable 'x'"):
        evaluate("x + 1", x="3")


def test_caps_give_clean_errors() -> None:
    for text in ["(" * 10_000 + "x" + ")" * 10_000, "x" * 10_001]:
        with pytest.raises(ExpressionError, match="expected at most 10,000"):
            parse(text)
    deep = "(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(ExpressionError, match=f"column {MAX_DEPTH + 1}: found more than"):
        parse(deep)
    assert evaluate("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, x=1.0).data == 1.0
    with pytest.raises(ExpressionError, match="parser cannot handle"):
        parse("+".join(["x"] * 4999))
    with pytest.raises(ExpressionError, match=r"^column 1: found a number of 5,000 digits"):
        parse("1" * 5000)
    with pytest.raises(ExpressionError, match="found 1,001 statements"):
        parse(";".join(["x"] * 1001))
    for text in ["", "  \n ", "# just a comment"]:
        with pytest.raises(ExpressionError, match="found nothing"):
            parse(text)
    long_sum = "+".join(f"x{i}" for i in range(500))
    assert evaluate(long_sum, **{f"x{i}": 1.0 for i in range(500)}).data == 500.0


def test_nothing_is_ever_executed(monkeypatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    target = f"/tmp/pwned_{uuid.uuid4().hex}"
    for text in [f"__import__('os').system('touch {target}')", f"open('{target}', 'w')",
                 "().__class__.__bases__[0].__subclasses__()", "x.__class__"]:
        with pytest.raises(ExpressionError, match="column 1: found"):
            evaluate(text, x=1.0)
    assert not os.path.exists(target)


@pytest.mark.parametrize("item, expected", [
    ("x1=2", ("x1", 2.0)), ("w1=-3", ("w1", -3.0)), (" b = 6.88 ", ("b", 6.88)),
    ("big=1e3", ("big", 1000.0)),
])
def test_command_line_assignments(item: str, expected: tuple[str, float]) -> None:
    assert parse_assignment(item) == expected


@pytest.mark.parametrize("item, fragment", [
    ("x=abc", "found 'abc', not a number"), ("x1", "found no '='"),
    ("=3", "found '', not a variable name"), ("lambda=1", "'lambda', not a variable name"),
    ("tanh=1", "'tanh', not a variable name"), ("x=", "found '', not a number"),
])
def test_bad_command_line_assignments(item: str, fragment: str) -> None:
    with pytest.raises(ExpressionError, match="expected NAME=NUMBER") as info:
        parse_assignment(item)
    assert fragment in str(info.value)


# -- property: text parsed by the language equals the graph built directly -----------------

_FUNCS = ["tanh", "sigmoid", "sin", "cos", "softplus", "exp"]


def _trees(names: list[str]):
    leaf = st.one_of(st.sampled_from(names).map(lambda n: (n, ("var", n))),
                     st.floats(0.5, 3.0).map(lambda c: (repr(c), ("const", c))))

    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", ("bin", t[1], t[0][1], t[2][1])))
        unary = st.tuples(st.sampled_from(_FUNCS), inner).map(
            lambda t: (f"{t[0]}({t[1][0]})", ("call", t[0], t[1][1])))
        neg = inner.map(lambda t: (f"(-{t[0]})", ("neg", t[1])))
        return st.one_of(binary, unary, neg)

    return st.recursive(leaf, extend, max_leaves=12)


def _direct(tree, env):
    kind = tree[0]
    if kind == "var":
        return env[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "neg":
        return -_direct(tree[1], env)
    if kind == "call":
        x = _direct(tree[2], env)
        return getattr(x, tree[1])() if isinstance(x, Value) else getattr(Value(x), tree[1])().data
    a, b = _direct(tree[2], env), _direct(tree[3], env)
    if not isinstance(a, Value) and not isinstance(b, Value):
        a = Value(a)
        return {"+": a + b, "-": a - b, "*": a * b}[tree[1]].data
    return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b}[tree[1]]()


@given(_trees(["x", "y"]), st.floats(-2, 2), st.floats(-2, 2))
def test_parsed_text_equals_the_directly_built_graph(tree, x, y) -> None:
    text, shape = tree
    ours = evaluate(text, x=x, y=y)
    env = {"x": Value(x, label="x"), "y": Value(y, label="y")}
    ref = _direct(shape, env)
    ref = ref if isinstance(ref, Value) else Value(ref)
    assert ours.data == ref.data or (math.isnan(ours.data) and math.isnan(ref.data))
    order, ref_order = topo_order(ours), topo_order(ref)
    assert [n.op for n in order] == [n.op for n in ref_order]
    ours.backward()
    ref.backward()
    assert [n.grad for n in order] == [n.grad for n in ref_order]
