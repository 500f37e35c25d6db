"""gradcheck, gradgradcheck and check_graph: tables, kinks, and blame for a wrong op."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import apply_step, build, dags

import autograd
from autograd import (
    GradcheckError,
    GradcheckReport,
    InputTypeError,
    Value,
    check_graph,
    custom_op,
    gradcheck,
    gradgradcheck,
    topo_order,
)
from autograd.ops import OPS, bind

BUILTIN = [op for op in OPS.values() if op.builtin]


def small(f, xs, bound=1e6):
    """True when every node of f's graph at xs stays moderate (finite differences work)."""
    out = f(*[Value(x) for x in xs])
    return max(abs(n.data) for n in topo_order(out)) < bound


def test_passing_table_is_aligned_with_a_verdict():
    report = gradcheck(lambda x, w: (x * w).tanh(), [Value(2.0, label="x"), -3.0])
    text = str(report)
    lines = text.splitlines()
    assert lines[0] == "gradcheck: 2 inputs, eps=1e-06, atol=1e-05, rtol=0.001"
    assert lines[1].split() == ["name", "value", "analytic", "numeric", "abs", "err", "rel",
                                "err", "status"]
    assert lines[2].split()[:2] == ["x", "2"] and lines[3].split()[:2] == ["x1", "-3"]
    status_col = lines[1].index("status")
    assert all(line[status_col:] == "ok" for line in lines[2:4])
    assert lines[-1].startswith("ok: 2 of 2 inputs agree (worst abs err ")
    assert report.ok and [r.name for r in report.rows] == ["x", "x1"]
    assert report.rows[0].analytic == pytest.approx(-3 * (1 - math.tanh(-6) ** 2))


def test_names_argument_overrides_labels():
    report = gradcheck(lambda a, b: a * b, [Value(1.0, label="x"), 2.0], names=["u", "v"])
    assert [r.name for r in report.rows] == ["u", "v"]
    with pytest.raises(InputTypeError, match="names: 1 names for 2 inputs"):
        gradcheck(lambda a, b: a * b, [1.0, 2.0], names=["u"])


def test_wrong_custom_op_fails_with_table_and_names_the_op():
    badsq = custom_op("badsq", lambda x: x * x, lambda x: (3 * x,))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: badsq(x) * y.tanh(), [2.0, 0.5])
    message = str(info.value)
    lines = message.splitlines()
    fail_line = next(line for line in lines if "FAIL" in line and "x0" in line)
    assert fail_line.lstrip().startswith("✗")
    assert "blame: op 'badsq' at node #1 disagrees with finite differences" in message
    assert "dbadsq/dx0: analytic 6, numeric 4, abs err 2.0e+00  <- wrong" in message
    assert lines[-1].startswith("FAILED: 1 of 2 inputs disagree (worst: x0, abs err 9.")
    assert lines[-1].endswith("first wrong op: 'badsq' at node #1")
    report = info.value.report
    assert isinstance(report, GradcheckReport) and not report.ok
    assert [r.status for r in report.rows] == ["FAIL", "ok"]
    assert report.blame.first.op == "badsq" and report.blame.first.inputs == (2.0,)


def test_raise_on_failure_false_returns_the_report():
    wrong = custom_op("gc_wrong_exp", math.exp, lambda x: (x,))
    report = gradcheck(lambda x: wrong(x), [1.0], raise_on_failure=False)
    assert not report.ok and report.failures[0].name == "x0"
    assert report.failures[0].analytic == 1.0  # the wrong rule: d/dx exp(x) = x
    assert report.failures[0].numeric == pytest.approx(math.e)


@pytest.mark.parametrize("f, note", [
    (lambda x: x.relu(), "relu at node #1: input 0 is at its kink 0"),
    (lambda x: abs(x), "abs at node #1: input 0 is at its kink 0"),
    (lambda x: x.leaky_relu(0.2), "leaky_relu at node #1: input 0 is at its kink 0"),
    (lambda x: (x - 1.0).relu() * 3, "relu at node #3: input 0 is at its kink 0"),
])
def test_kinks_are_flagged_not_failed(f, note):
    x = 1.0 if "#3" in note else 0.0
    report = gradcheck(f, [x])
    assert report.ok and report.rows[0].status == "not differentiable here"
    assert report.rows[0].note == note
    assert f"   ~ x0: {note}" in str(report)
    assert str(report).splitlines()[-1] == ("ok: nothing to check, 1 of 1 inputs not "
                                            "differentiable here")


def test_only_ancestors_of_a_kink_are_flagged():
    report = gradcheck(lambda x, y: x.relu() + y * y, [0.0, 1.5])
    assert [r.status for r in report.rows] == ["not differentiable here", "ok"]
    assert report.ok and report.verdict().endswith(
        "1 not differentiable here (not checked)")


def test_domain_edges_are_flagged():
    sqrt_report = gradcheck(lambda x: x.sqrt(), [5e-6])
    assert sqrt_report.rows[0].status == "not differentiable here"
    assert "sqrt at node #1: input 5e-06 is at the edge 0 of its domain" in str(sqrt_report)
    assert gradcheck(lambda x: x.sqrt(), [1e-3]).rows[0].status == "ok"
    log_report = gradcheck(lambda x: (x - 1e-6).log(), [2e-6])
    assert log_report.rows[0].status == "not differentiable here"
    assert "f is undefined next to this point (DomainError: log of non-positive" in \
        log_report.rows[0].note


def test_per_node_catches_a_wrong_rule_the_inputs_cannot_see():
    hidden = custom_op("gc_hidden", math.sin, lambda x: (2.0,))
    report = gradcheck(lambda x: hidden(x) * 0.0 + x, [0.3], per_node=True,
                       raise_on_failure=False)
    assert report.rows[0].status == "ok" and not report.ok
    assert report.verdict() == ("FAILED: 1 of 1 inputs agree, but op 'gc_hidden' at node #1 "
                                "has a wrong derivative rule")


def test_per_node_on_a_good_function_reports_every_op_agrees():
    report = gradcheck(lambda x, y: (x * y).sin() + y.exp(), [0.4, 0.2], per_node=True)
    assert report.ok
    assert "blame: all 4 op nodes agree with finite differences (eps=1e-06)" in str(report)


def test_check_graph_names_the_first_wrong_op_in_topo_order():
    first = custom_op("cg_first", lambda x: 2 * x, lambda x: (1.0,))
    second = custom_op("cg_second", lambda x: 3 * x, lambda x: (1.0,))
    x = Value(1.5, label="x")
    y = first(x)
    y.label = "y"
    report = check_graph(second(y).tanh())
    assert not report.ok and [n.op for n in report.failures] == ["cg_first", "cg_second"]
    assert str(report).splitlines() == [
        "check_graph: op 'cg_first' at node #1 ('y') disagrees with finite differences",
        "  inputs: x=1.5",
        "  dcg_first/dx: analytic 1, numeric 2, abs err 1.0e+00  <- wrong",
        "(1 more op node disagree after it)",
    ]


def test_check_graph_points_at_the_wrong_input_of_a_variadic_op():
    mix = custom_op("cg_mix3", lambda a, b, c: a * b + c, lambda a, b, c: (b, b, 1.0))
    a, b, c = Value(2.0, label="a"), Value(5.0, label="b"), Value(1.0, label="c")
    first = check_graph(mix(a, b, c)).first
    assert first.op == "cg_mix3" and first.bad == (False, True, False)
    assert "dcg_mix3/db: analytic 5, numeric 2, abs err 3.0e+00  <- wrong" in str(first)


@pytest.mark.parametrize("op", BUILTIN, ids=[op.name for op in BUILTIN])
@given(data=st.data())
def test_every_builtin_op_passes_gradcheck_and_check_graph(op, data):
    from autograd.engine import apply as apply_op  # the generic path every op takes

    rows = [bind(op, v) for v in op.examples] if op.param else [op]
    row = data.draw(st.sampled_from(rows))
    n = row.arity or data.draw(st.sampled_from([2, 4]))
    domains = row.domain * n if len(row.domain) == 1 else row.domain
    xs = [data.draw(st.floats(lo, hi)) for lo, hi in domains[:n]]
    report = gradcheck(lambda *v: apply_op(row, *v), xs, per_node=True)
    assert report.ok and report.blame.ok


@given(dags())
def test_random_dags_pass_gradcheck(dag):
    recipe, xs = dag
    f = build(recipe)
    assume(small(f, xs))
    report = gradcheck(f, xs, per_node=True)
    assert report.ok, f"{recipe}\n{report}"


@given(dags(), st.sampled_from(["relu", "abs"]))
def test_random_dags_put_exactly_at_a_kink_are_flagged_not_failed(dag, kink):
    recipe, xs = dag
    g = build(recipe)
    assume(small(g, xs))
    at = g(*[Value(x) for x in xs]).data  # the kinked op's input is exactly 0 at xs
    f = lambda *vs: getattr(g(*vs) - at, kink)() + vs[0] * 0.5  # noqa: E731
    report = gradcheck(f, xs)
    assert report.ok and not report.failures
    leaves = [Value(x) for x in xs]
    for row, slope in zip(report.rows, autograd.grad(g(*leaves), leaves)):
        if abs(slope) > 1e-3:  # x_i +- eps moves the kinked input to both sides of 0
            assert row.status == "not differentiable here"
            assert f"{kink} at node #" in row.note and "is at its kink 0" in row.note


def reachable_steps(recipe):
    """Steps whose result the output depends on."""
    n, steps = recipe.n_inputs, recipe.steps
    need = {n + len(steps) - 1}
    for j in range(len(steps) - 1, -1, -1):
        if n + j in need:
            need.update(steps[j][1])
    return [j for j in range(len(steps)) if n + j in need]


BROKEN = custom_op("broken_in_dag", math.sin, lambda x: (math.cos(x) + 1.0,))


@given(dags(), st.data())
def test_a_broken_op_inserted_in_a_random_dag_is_caught_and_named(dag, data):
    recipe, xs = dag
    k = data.draw(st.sampled_from(reachable_steps(recipe)))

    def f(*vs):
        nodes = list(vs)
        for j, (op, idx, c) in enumerate(recipe.steps):
            v = apply_step(op, [nodes[i] for i in idx], c)
            nodes.append(BROKEN(v) if j == k else v)
        return nodes[-1]

    assume(small(f, xs))
    with pytest.raises(GradcheckError, match=r"'broken_in_dag' at node #\d+") as e:
        gradcheck(f, xs, per_node=True)
    assert e.value.report.blame.first.op == "broken_in_dag"
    assert str(e.value).splitlines()[-1].startswith("FAILED: ")
    assert "blame: op 'broken_in_dag' at node #" in str(e.value)


def test_gradgradcheck_passes_and_prints_pairs():
    report = gradgradcheck(lambda x, y: x.tanh() * y.sin() * x, [0.3, 0.5])
    assert report.ok and [r.name for r in report.rows] == [
        "d2f/dx0dx0", "d2f/dx0dx1", "d2f/dx1dx0", "d2f/dx1dx1"]
    assert str(report).splitlines()[-1].startswith("ok: 4 of 4 second derivatives agree")


def test_gradgradcheck_catches_a_rule_that_drops_the_graph():
    # math.cos on a Value returns a float: right first derivative, lost second one.
    flat = custom_op("gg_flat_sin", math.sin, lambda x: (math.cos(x),))
    assert gradcheck(lambda x: flat(x), [0.7]).ok
    with pytest.raises(GradcheckError, match=r"FAILED: 1 of 1 second derivatives disagree "
                                             r"\(worst: d2f/dx0dx0, abs err 6.4e-01\)"):
        gradgradcheck(lambda x: flat(x), [0.7])


def test_gradgradcheck_flags_kinks():
    report = gradgradcheck(lambda x: x.relu() * x, [0.0])
    assert report.ok and report.rows[0].status == "not differentiable here"


@given(dags(max_steps=8))
def test_random_dags_pass_gradgradcheck(dag):
    recipe, xs = dag
    f = build(recipe)
    assume(small(f, xs))
    report = gradgradcheck(f, xs)
    assert report.ok, f"{recipe}\n{report}"


def test_bad_tolerances_are_rejected():
    with pytest.raises(autograd.DomainError, match="atol and rtol must be >= 0 and finite"):
        gradcheck(lambda x: x, [1.0], atol=-1)


def test_mixed_second_derivative_of_a_power_at_exponent_zero():
    """d2/dx dy (x**2 + 0.5) ** tanh(y) at y = 0: the x**0 mask must not cut the graph."""
    f = lambda x, y: (x * x + 0.5) ** y.tanh()  # noqa: E731
    report = gradgradcheck(f, [1.0, 0.0])
    assert report.ok, str(report)
    assert abs(report.rows[1].analytic - 2 * 1.0 / 1.5) < 1e-9  # d/dy [2x * tanh(y) * (...)]
