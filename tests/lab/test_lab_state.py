"""The lab's state model: every number the viewer shows is the one the engine computes.

Frames replay forward then backward; the last frame shows backward()'s gradients; each
node's chain-rule sum adds up to its gradient; moving an input recomputes the same
numbers as rebuilding the graph; gradient steps and the check behave as their names say.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from examples import mlp_graph, neuron
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, dags

import autograd
from autograd import InputTypeError, NodeNotFound, OptionError, Value, topo_order
from autograd.lab import lab_state
from autograd.lab.state import LabState
from autograd.viz.labels import fmt_num

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


@pytest.fixture(autouse=True)
def _needs_dot(dot_binary):
    """The lab lays its graph out with Graphviz."""


def shown(scene: dict, upto: int | None = None) -> dict[tuple[str, str], str]:
    """Every box field's text after frames 0..upto, as the viewer computes it."""
    frames = scene["frames"]
    texts: dict[tuple[str, str], str] = {}
    for frame in frames[: len(frames) if upto is None else upto + 1]:
        for box, field, text in frame["set"]:
            texts[box, field] = text
    return texts


def fresh_grads(root: Value) -> list[float]:
    order = topo_order(root)
    for n in order:
        n.grad = 0.0
    root.backward()
    grads = [n.grad for n in order]
    for n in order:
        n.grad = 0.0
    return grads


def test_the_neuron_timeline() -> None:
    state = lab_state(NEURON, **INPUTS)
    scene = state.scene()
    forward, frames = scene["forward"], scene["frames"]
    assert forward == 6 and len(frames) == 12
    start = shown(scene, 0)
    assert start[("n0", "data")] == "2.0000" and ("n2", "data") not in start
    assert shown(scene, forward - 1)[("n9", "data")] == "0.7071"  # forward done: o = 0.7071
    assert ("n9", "grad") not in shown(scene, forward - 1)
    assert shown(scene, forward)[("n9", "grad")] == "1.0000"  # seeded
    end = shown(scene)
    assert end[("n0", "grad")] == "-1.5000" and end[("n1", "grad")] == "1.0000"
    assert frames[forward + 1]["text"].splitlines()[0] == "local rule: do/dn = 1 - o**2 = 0.5000"
    assert frames[forward + 1]["labels"] == [["e9_0", "0.5000"]]


def test_the_inspector_writes_the_chain_rule_sum() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    t1, t2 = a * b, a + b
    t1.label, t2.label = "t1", "t2"
    loss = t1 * t2
    loss.label = "L"
    state = LabState(loss)
    k = state.names.index("a")
    record = state.inspector[k]
    assert record["sum"] == ["dL/da = dL/dt1 * dt1/da + dL/dt2 * dt2/da",
                             "= 5.0000 * 3.0000 + 6.0000 * 1.0000", "= 21.0000"]
    assert record["grad"] == fmt_num(2 * a.data * b.data + b.data ** 2) == "21.0000"
    assert [(t["text"], t["up"]) for t in record["terms"]] == [
        ("dt1/da = b = 3.0000", "dL/dt1 = 5.0000"), ("dt2/da = 1", "dL/dt2 = 6.0000")]
    assert state.inspector[state.names.index("t1")]["rules"] == ["dt1/da = b = 3.0000",
                                                                 "dt1/db = a = 2.0000"]
    frames = state.frames
    assert all(frames[t["frame"]]["node"] == t["via"] for t in record["terms"])
    assert state.inspector[-1]["sum"] == ["dL/dL = 1  (L = L, the output: the seed)"]


@settings(max_examples=25)
@given(dags())
def test_random_graphs_end_with_backwards_grads_and_consistent_sums(case) -> None:
    recipe, xs = case
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    root = build(recipe)(*leaves)
    if not all(math.isfinite(n.data) for n in topo_order(root)):
        return
    state = LabState(root)
    grads = fresh_grads(root)
    end = shown(state.scene())
    for k, g in enumerate(grads):
        box = state.layout.box[k]
        assert end[(box, "grad")] == fmt_num(g)
        assert end[(box, "data")] == fmt_num(topo_order(root)[k].data)
        assert state.inspector[k]["grad"] == fmt_num(g)
        if k != len(grads) - 1 and state.inspector[k]["terms"]:
            total = next(line for line in reversed(state.inspector[k]["sum"])
                         if line.startswith("= "))
            assert math.isclose(float(total.removeprefix("= ")), g, rel_tol=1e-3, abs_tol=1e-3)
    assert [n.grad for n in topo_order(root)] == [0.0] * len(grads)  # grads left alone


@settings(max_examples=15)
@given(st.lists(st.floats(-3, 3, allow_nan=False), min_size=5, max_size=5))
def test_moving_inputs_matches_rebuilding_the_graph(values) -> None:
    state = lab_state(NEURON, **INPUTS)
    new = dict(zip(["x1", "x2", "w1", "w2", "b"], values))
    state.set_leaves(new)
    rebuilt = autograd.evaluate_expression(NEURON, **new)
    rebuilt.backward()
    assert state.output == rebuilt.data
    by_label = {n.label: n.grad for n in topo_order(rebuilt) if n.label}
    assert state.grads() == {k: by_label[k] for k in new}
    assert shown(state.scene())[("n9", "data")] == fmt_num(rebuilt.data)


def test_gradient_step_moves_the_trainable_inputs_downhill() -> None:
    state = lab_state("y = (x - 3)**2 + (z + 1)**2", x=0.0, z=0.0)
    before, grads = state.output, state.grads()
    state.gradient_step(0.1)
    assert state.values()["x"] == pytest.approx(0.0 - 0.1 * grads["x"])
    assert state.values()["z"] == pytest.approx(0.0 - 0.1 * grads["z"])
    assert state.output < before and "gradient step with lr 0.1" in state.message
    x, w = Value(1.0, label="x"), Value(0.5, label="w")
    only_w = LabState((x * w - 2.0) ** 2, params=[w])
    only_w.gradient_step(0.5)
    assert only_w.values()["x"] == 1.0 and only_w.values()["w"] != 0.5


def test_nn_graphs_train_their_parameters_and_open_collapsed() -> None:
    out, inputs = mlp_graph(2, [12, 12, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    state = LabState(loss)
    assert state.layout.neurons, "a large nn graph opens one box per neuron"
    assert all(state.order[k].label.startswith("layers.") for k in state.trainable)
    assert any(v.startswith("layers.0.neurons.3") for v in state.layout.names.values())
    x0 = inputs[0].data
    before = loss.data
    state.gradient_step(0.01)
    assert inputs[0].data == x0 and loss.data < before
    expanded = LabState(loss, collapse=False)
    assert not expanded.layout.neurons


def test_check_passes_and_blames_a_wrong_rule() -> None:
    state = lab_state(NEURON, **INPUTS)
    report = state.check()
    assert report["ok"] and [r["name"] for r in report["rows"]] == ["x1", "w1", "x2", "w2", "b"]
    shown = state.scene()["panels"]["check"]
    assert shown["ok"] and [r["short"] for r in shown["rows"]] == ["x1", "w1", "x2", "w2", "b"]
    bad = autograd.custom_op("bad_cube_lab", lambda x: x ** 3, lambda x: (2 * x ** 2,),
                             rule="3 * x**2")
    u = Value(1.5, label="u")
    report = LabState(bad(u) + u).check()
    assert not report["ok"] and report["rows"][0]["status"] == "FAIL"
    assert "op 'bad_cube_lab'" in report["blame"] and "<- wrong" in report["blame"]


def test_a_value_that_breaks_an_op_is_refused_and_put_back() -> None:
    state = lab_state("y = log(x) * w", x=2.0, w=1.5)
    state.set_leaves({"x": -1.0})
    assert state.message.startswith("refused: set x = -1.0000: log of non-positive value")
    assert "node 'x'" in state.message and state.values()["x"] == 2.0
    assert state.output == pytest.approx(math.log(2.0) * 1.5)
    with pytest.raises(ValueError, match="value of 'x' must be a finite number, got inf"):
        state.set_leaves({"x": math.inf})
    with pytest.raises(InputTypeError, match="real number"):
        state.set_leaves({"x": True})
    with pytest.raises(NodeNotFound, match="no input is named 'q'; inputs: x, w"):
        state.set_leaves({"q": 1.0})


def test_actions_from_a_page_are_validated() -> None:
    state = lab_state(NEURON, **INPUTS)
    scene = state.act("set_leaves", {"values": {"x1": 1.0}})
    assert "svg" not in scene and scene["leaves"][0]["value"] == 1.0
    assert state.act("check", {})["panels"]["check"]["ok"]
    with pytest.raises(OptionError, match="unknown action 'eval'"):
        state.act("eval", {})
    with pytest.raises(InputTypeError, match="values as a mapping"):
        state.act("set_leaves", {"values": [1, 2]})


def test_shared_labels_get_unique_keys_and_bad_arguments_clear_errors() -> None:
    a, b = Value(1.0, label="x"), Value(2.0, label="x")
    state = LabState(a * b)
    assert list(state.keys) == ["x#0", "x#1"]
    with pytest.raises(InputTypeError, match="lab expects a Value or an expression"):
        lab_state(3.0)
    with pytest.raises(InputTypeError, match="unknown option 'x1'"):
        lab_state(neuron(), x1=2.0)


def test_importing_autograd_loads_no_lab_dependency() -> None:
    code = ("import sys, autograd, autograd.lab.state, autograd.lab.page; "
            "print(sorted(m for m in ('anywidget', 'starlette', 'uvicorn', 'traitlets') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


@settings(max_examples=20)
@given(dags())
def test_random_graphs_reveal_each_grad_at_its_frame_and_ask_consistent_sums(case) -> None:
    recipe, xs = case
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    root = build(recipe)(*leaves)
    order = topo_order(root)
    if not all(math.isfinite(n.data) for n in order):
        return
    state = LabState(root)
    grads = fresh_grads(root)
    last: dict[int, float] = {}
    for j, frame in enumerate(state.frames):
        if j < state.forward_frames:  # forward: values asked, no gradient anywhere
            assert "grads" not in frame
            for ask in frame.get("ask", []):
                assert ask["field"] == "data" and ask["right"] == order[ask["node"]].data
            continue
        for k, _, value in frame["grads"]:
            last[k] = value
        for ask in frame["ask"]:
            if ask.get("seed") or ask["right"] is None or any(
                    t["local"] is None for t in ask["terms"]):
                continue
            total = ask["before"] + ask["up"] * sum(t["local"] for t in ask["terms"])
            assert math.isclose(ask["right"], total, rel_tol=1e-9, abs_tol=1e-9)
    for k, g in enumerate(grads):
        if math.isfinite(g) and order[k] is not root:
            assert math.isclose(last.get(k, 0.0), g, rel_tol=1e-9, abs_tol=1e-12), k
