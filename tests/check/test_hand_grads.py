"""check_hand_grads: the lecture's manual backprop, checked node by node, each mistake named
once, with its kind, and nothing the learner set changed."""

from __future__ import annotations

import math

import pytest
from examples import lecture_neuron
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, dags

import autograd
from autograd import Value, check_hand_grads, topo_order
from autograd.check.hand_mistakes import same_to_4


def by_hand(v):
    """The lecture's manual backprop, as typed in the lecture."""
    v["o"].grad = 1.0
    v["n"].grad = 1 - v["o"].data ** 2
    v["s"].grad = v["b"].grad = v["n"].grad
    v["x1w1"].grad = v["x2w2"].grad = v["s"].grad
    v["x2"].grad = v["w2"].data * v["x2w2"].grad
    v["w2"].grad = v["x2"].data * v["x2w2"].grad
    v["x1"].grad = v["w1"].data * v["x1w1"].grad
    v["w1"].grad = v["x1"].data * v["x1w1"].grad


def grads(root):
    return [node.grad for node in topo_order(root)]


def test_the_lectures_manual_backprop_passes() -> None:
    v = lecture_neuron()
    by_hand(v)
    report = check_hand_grads(v["o"])
    assert report.ok and bool(report) and report.wrong == []
    assert str(report) == "all 10 hand-set gradients are right"


def test_a_wrong_w1_is_a_wrong_local_derivative_and_nothing_else_is_blamed() -> None:
    v = lecture_neuron()
    by_hand(v)
    v["w1"].grad = v["w1"].data * v["x1w1"].grad  # the lecture's classic slip: w1 for x1
    before = grads(v["o"])
    report = check_hand_grads(v["o"])
    assert grads(v["o"]) == before  # nothing the learner set was changed
    assert not report.ok and report.wrong == ["w1"]
    w1 = report["w1"]
    assert w1.kind == "local" and w1.label == "wrong local derivative"
    assert w1.yours == pytest.approx(-1.5) and w1.expected == pytest.approx(1.0)
    text = str(report)
    assert "w1.grad should be (x1*w1).grad * d(x1*w1)/dw1 = 0.5000 * 2.0000 = 1.0000" in text
    assert "your answer means d(x1*w1)/dw1 = -3.0000 (the value of w1)" in text
    assert "the rule gives d(x1*w1)/dw1 = x1 = 2.0000" in text


def test_one_mistake_does_not_cascade_down_the_graph() -> None:
    v = lecture_neuron()
    by_hand(v)
    v["n"].grad = 0.4  # wrong; everything below it computed from the learner's own 0.4
    v["s"].grad = v["b"].grad = v["x1w1"].grad = v["x2w2"].grad = 0.4
    v["x1"].grad, v["w1"].grad = -3.0 * 0.4, 2.0 * 0.4
    v["x2"].grad, v["w2"].grad = 1.0 * 0.4, 0.0
    report = check_hand_grads(v["o"])
    assert report.wrong == ["n"]
    assert report["n"].kind == "local"
    assert "the rule gives do/dn = 1 - o**2 = 0.5000" in str(report)
    with pytest.raises(KeyError, match="'x1' is right"):
        report["x1"]
    with pytest.raises(KeyError, match="no node named 'zz'"):
        report["zz"]


def test_a_missing_accumulation_is_named() -> None:
    a = Value(3.0, label="a")
    b = Value(-2.0, label="b")
    d = a * b
    d.label = "d"
    e = a + b
    e.label = "e"
    f = d * e
    f.label = "f"
    f.grad = 1.0
    d.grad, e.grad = e.data, d.data
    b.grad = d.grad * a.data + e.grad * 1.0
    a.grad = e.grad * 1.0  # the term from d (d.grad * b) was replaced, not added
    report = check_hand_grads(f)
    assert report.wrong == ["a"]
    assert report["a"].kind == "accumulate"
    assert "a is used 2 times and yours holds only the term from e" in str(report)
    assert "a gradient adds up (+=) over every use" in str(report)


def test_a_plus_a_counts_both_uses() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    b.grad, a.grad = 1.0, 1.0
    report = check_hand_grads(b)
    assert report.wrong == ["a"] and report["a"].kind == "accumulate"
    assert "b.grad * db/da + b.grad * db/da = 1.0000 * 1.0000 + 1.0000 * 1.0000 = 2.0000" \
        in str(report)
    a.grad = 2.0
    assert check_hand_grads(b).ok


@pytest.mark.parametrize("node, value, kind, words", [
    ("o", 0.0, "seed", "the output's gradient with respect to itself is 1"),
    ("x1", 0.0, "zero", "x1.grad was left at 0"),
    ("b", -0.5, "sign", "the sign is off"),
    ("w2", 0.5, "local", "your answer means d(x2*w2)/dw2 = 1.0000 (the value of w2)"),
])
def test_each_kind_is_named(node, value, kind, words) -> None:
    v = lecture_neuron()
    by_hand(v)
    v[node].grad = value
    report = check_hand_grads(v["o"])
    assert report.wrong == [v[node].label]
    assert report[v[node].label].kind == kind
    assert words in str(report)


def test_a_gradient_where_nothing_flows_back_is_0() -> None:
    a, c = Value(-1.0, label="a"), Value(0.0, label="c")
    r = a.tanh()
    r.label = "r"
    y = r * c
    y.label = "y"
    y.grad, c.grad, r.grad = 1.0, r.data, 0.0  # r.grad = c = 0: right
    a.grad = 0.3
    report = check_hand_grads(y)
    assert report.wrong == ["a"] and report["a"].kind == "unknown"
    assert "every gradient upstream of a is 0, so nothing flows back to it" in str(report)


def test_a_gradient_whose_upstream_was_left_at_0_is_not_called_0() -> None:
    x, w = Value(0.5, label="x"), Value(-1.0, label="w")
    o = (x * w).tanh()
    o.label = "o"
    o.grad, x.grad = 1.0, float("inf")  # x*w left at 0, so the sum for x is 0; x's is not
    report = check_hand_grads(o)
    assert report["x"].kind == "unknown"
    assert ("the gradients you set upstream of x are 0, so the sum above is 0, but its "
            "gradient is -0.7864: set those first") in str(report)
    assert "nothing flows back" not in str(report)


def test_micrograd_style_nodes_are_checked_through_their_closure() -> None:
    def exp(x):  # micrograd's way of adding an op
        out = Value(math.exp(x.data), (x,), "exp")

        def _backward():
            x.grad += out.data * out.grad
        out._backward = _backward
        return out

    x = Value(0.5, label="x")
    y = exp(x * x)
    y.label = "y"
    xx = topo_order(y)[-2]
    xx.label = "xx"
    y.grad = 1.0
    xx.grad = y.data  # d exp(u)/du = exp(u)
    x.grad = xx.grad * x.data  # forgot the second use of x in x * x
    report = check_hand_grads(y)
    assert report.wrong == ["x"] and report["x"].kind == "accumulate"
    x.grad = 2 * xx.grad * x.data
    assert check_hand_grads(y).ok
    xx.grad = 1.0  # the closure's local derivative, y.data, was not applied
    report = check_hand_grads(y)
    assert report.wrong == ["xx"] and report["xx"].kind == "local"


def test_the_lectures_node_backward_calls_pass() -> None:
    v = lecture_neuron()
    v["o"].grad = 1.0
    for name in ("o", "n", "s", "x2w2", "x1w1"):  # the lecture's manual ._backward() calls
        v[name]._backward()
    assert check_hand_grads(v["o"]).ok


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match=r"check_hand_grads\(\) expects the output Value, got 3"):
        check_hand_grads(3)


@pytest.mark.parametrize("yours, right, same", [
    (0.70711, 0.7071, True), (0.7075, 0.7071, False), (1e-6, 0.0, True), (1e-4, 0.0, False),
    (-1.5, -1.5001, True), (1234.4, 1234.0, True), (1236.0, 1234.0, False),
    (math.nan, 1.0, False), (math.inf, math.inf, True),
])
def test_same_to_4_significant_digits(yours, right, same) -> None:
    assert same_to_4(yours, right) is same


@settings(max_examples=60, deadline=None)
@given(dags(max_steps=8), st.data())
def test_one_planted_wrong_gradient_names_exactly_that_node(dag, data) -> None:
    recipe, point = dag
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    root = build(recipe)(*xs)
    root.backward()  # every gradient right, as a careful learner would have them
    order = topo_order(root)
    for k, node in enumerate(order):
        if node._fn is not None:
            node.label = f"v{k}"
    assert check_hand_grads(root).ok
    candidates = [node for node in order if node.label]
    target = data.draw(st.sampled_from(candidates), label="planted at")
    delta = data.draw(st.floats(0.1, 10.0) | st.floats(-10.0, -0.1), label="off by")
    target.grad = target.grad + delta * (1.0 + abs(target.grad))
    before = grads(root)
    report = check_hand_grads(root)
    assert report.wrong == [target.label]
    assert grads(root) == before
    assert str(report).startswith(f"1 of {len(report.checked)} hand-set gradients are wrong: "
                                  f"{target.label}")


def test_it_is_public() -> None:
    assert autograd.check_hand_grads is check_hand_grads
    assert "check_hand_grads" in autograd.__all__


def test_python_and_the_pages_predict_mode_agree_on_4_significant_digits() -> None:
    """``same_to_4`` is the Python twin of the page's ``sameTo4`` (predict mode checks in
    the browser, with no Python): run the page's own function in node on the same pairs."""
    import json
    import random
    import re
    import subprocess
    from importlib import resources

    from needs import require_binary

    node = require_binary("node", "the page's sameTo4 is run in node")
    source = resources.files("autograd.lab").joinpath("static", "viewer_base.js").read_text()
    js = re.search(r"function sameTo4\(typed, right\) \{.*?\n\}", source, re.S).group(0)
    rng = random.Random(4)
    pairs = [(1.0, 1.0), (0.70711, 0.7071), (0.7075, 0.7071), (1e-6, 0.0), (1e-4, 0.0),
             (-1.5, -1.5001), (1234.4, 1234.0), (1236.0, 1234.0), (-0.5, 0.5), (0.0, 2.0)]
    for _ in range(300):
        right = rng.choice([-1, 1]) * 10 ** rng.uniform(-4, 4)
        pairs.append((right * (1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-6, -2)), right))
    script = f"{js}\nconst pairs = {json.dumps(pairs)};\n" \
             "console.log(JSON.stringify(pairs.map(([a, b]) => sameTo4(a, b))));"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    assert json.loads(out) == [same_to_4(a, b) for a, b in pairs]


def test_micrograds_own_value_is_pointed_to_ours() -> None:
    micrograd = pytest.importorskip("micrograd.engine")
    with pytest.raises(TypeError, match=r"\(Value\); build the graph with `from autograd "
                                        r"import Value`"):
        check_hand_grads(micrograd.Value(2.0) * 3)


def test_a_grad_that_is_not_a_number_is_named() -> None:
    v = lecture_neuron()
    by_hand(v)
    v["w1"].grad = "1.0"
    with pytest.raises(TypeError, match=r"check_hand_grads: w1.grad expects a real number, "
                                        r"got '1.0' \(str\)"):
        check_hand_grads(v["o"])
