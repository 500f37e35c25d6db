"""Stepper: one chain-rule step at a time, undoable bit for bit, ending where backward ends."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import build, dags

from autograd import Value, topo_order
from autograd.errors import NodeNotFound
from autograd.expr.parser import evaluate
from autograd.step.stepper import Stepper

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
INPUTS = dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432)


def bits(nodes: list[Value]) -> list[bytes]:
    return [struct.pack("<d", n.grad) for n in nodes]


def neuron() -> Value:
    return evaluate(NEURON, **INPUTS)


def test_neuron_steps_fill_in_gradients_in_order() -> None:
    o = neuron()
    s = Stepper(o)
    order = topo_order(o)
    assert (s.position, s.total, s.current) == (0, 5, None)
    assert o.grad == 1.0 and all(n.grad == 0.0 for n in order[:-1])
    first = s.step()
    assert first is s.current and first.name == "o" and first.op == "tanh"
    assert str(first) == "n.grad += o.grad * do/dn = 1.0000 * 0.5000 = 0.5000  -> 0.5000"
    assert [n.label for n in order if n.grad] == ["n", "o"]
    assert s.header() == "step 1/5: o (tanh)"
    s.finish()
    grads = {n.label: round(n.grad, 4) for n in order if n.label}
    assert grads == {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5, "o": 1.0}
    assert [st.name for st in s.steps] == ["o", "n", "#6", "#5", "#2"]
    assert s.step() is None and s.position == 5


def test_table_and_repr_show_the_state_as_of_the_current_step() -> None:
    s = Stepper(neuron())
    assert repr(s) == "Stepper(position=0/5, current=None)"
    assert s.header() == "step 0/5: o.grad = 1.0000 (seed)"
    s.run_to("n")
    assert repr(s) == "Stepper(position=2/5, current='n')"
    rows = {line.split()[1] if line[0] in ">*" else line.split()[0]: line
            for line in s.table().splitlines()[1:]}
    assert rows["#8"].startswith(">") and "0.8814" in rows["#8"] and rows["#8"].endswith("0.5000")
    assert rows["#7"].startswith("*") and rows["#7"].endswith("0.5000")  # b just updated
    assert rows["#0"].endswith("0.0000")  # x1 not reached yet
    assert s.table().splitlines()[0].split() == ["#k", "label", "op", "data", "grad"]


def test_back_undoes_exactly_and_returns_the_undone_step() -> None:
    o = neuron()
    order = topo_order(o)
    s = Stepper(o)
    snapshots = [bits(order)]
    while s.step():
        snapshots.append(bits(order))
    for k in range(s.total, 0, -1):
        undone = s.back()
        assert undone.position == k and s.position == k - 1
        assert bits(order) == snapshots[k - 1]
    assert s.back() is None and s.position == 0


def test_position_zero_keeps_old_grads_and_seeds_the_root_on_top() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    x.grad, y.grad = 0.25, 2.0
    s = Stepper(y, grad=0.5)
    assert (x.grad, y.grad) == (0.25, 2.5)
    s.finish()
    assert x.grad == 0.25 + 0.5 * 6.0
    s.reset()
    assert (x.grad, y.grad, s.position) == (0.25, 2.5, 0)


def test_a_node_used_twice_accumulates_and_the_step_says_so() -> None:
    a = Value(2.0, label="a")
    c = a * a
    c.label = "c"
    s = Stepper(c)
    lines = str(s.step()).splitlines()
    assert lines[0].endswith("-> 2.0000  (contribution 1 of 2)")
    assert lines[1].endswith("-> 4.0000  (contribution 2 of 2)")
    assert a.grad == 4.0


def test_run_to_labels_values_and_leaves() -> None:
    o = neuron()
    s = Stepper(o)
    n = next(v for v in topo_order(o) if v.label == "n")
    assert s.run_to(n).node is n and s.position == 2
    assert s.run_to("o").position == 1  # backwards works too
    x1 = next(v for v in topo_order(o) if v.label == "x1")
    s.run_to("x1")  # a leaf: the step that completes its gradient
    assert s.position == 5 and x1.grad == pytest.approx(-1.5)
    with pytest.raises(NodeNotFound, match=r"'zz'.*b, n, o, w1, w2, x1, x2"):
        s.run_to("zz")
    with pytest.raises(NodeNotFound, match="not in this graph"):
        s.run_to(Value(1.0))
    with pytest.raises(NodeNotFound, match="from 0 to 5"):
        s.goto(6)


def test_a_leaf_root_has_no_steps() -> None:
    x = Value(2.0, label="x")
    s = Stepper(x)
    assert (s.total, x.grad, s.step(), s.finish()) == (0, 1.0, None, None)
    assert s.run_to("x") is None and s.header() == "step 0/0: x.grad = 1.0000 (seed)"


def test_hooks_run_once_and_finish_matches_backward() -> None:
    def make() -> tuple[Value, Value, Value, list]:
        calls: list[float] = []
        x = Value(1.5, label="x")
        h = (x * 3.0).tanh()
        h.register_hook(lambda g: calls.append(g) or g * 2.0)
        x.register_hook(lambda g: g + 1.0)
        y = h * h + x
        return x, h, y, calls

    x1, h1, y1, calls1 = make()
    x2, h2, y2, calls2 = make()
    y2.backward()
    s = Stepper(y1)
    assert len(calls1) == 1
    s.finish()
    assert bits(topo_order(y1)) == bits(topo_order(y2))
    s.reset()
    assert x1.grad == 0.0 and h1.grad == 0.0 and y1.grad == 1.0


def test_graph_highlights_the_current_step() -> None:
    s = Stepper(neuron())
    before = s.graph().source
    s.step()
    after = s.graph().source
    assert before != after and "0.5000" in after
    assert s.graph(highlight=()).source != after  # an explicit highlight wins


def test_repr_svg_is_the_graph_or_none_without_dot(dot_binary: str, monkeypatch) -> None:
    s = Stepper(neuron())
    assert s._repr_svg_().lstrip().startswith("<?xml")
    monkeypatch.setenv("PATH", "")
    assert s._repr_svg_() is None


@given(dags(), st.lists(st.floats(-2, 2, allow_nan=False), max_size=3))
def test_finish_equals_backward_on_random_dags(dag, old) -> None:
    recipe, xs = dag
    ours = build(recipe)(*[Value(x) for x in xs])
    ref = build(recipe)(*[Value(x) for x in xs])
    order, ref_order = topo_order(ours), topo_order(ref)
    for k, g in enumerate(old):  # accumulated grads from an earlier pass
        order[k % len(order)].grad = ref_order[k % len(order)].grad = g
    s = Stepper(ours)
    assert s.total == sum(1 for n in order if n.op)
    s.finish()
    ref.backward()
    assert bits(order) == bits(ref_order)


@given(dags(), st.lists(st.sampled_from(["step", "back", "finish", "reset", "run_to"]),
                        max_size=25), st.data())
def test_moves_restore_grads_exactly(dag, moves, data) -> None:
    recipe, xs = dag
    root = build(recipe)(*[Value(x) for x in xs])
    order = topo_order(root)
    s = Stepper(root)
    seen = {0: bits(order)}
    for move in moves:
        if move == "run_to" and s.total:
            s.run_to(s._steps[data.draw(st.integers(0, s.total - 1))].node)
        elif move != "run_to":
            getattr(s, move)()
        state = bits(order)
        assert seen.setdefault(s.position, state) == state
    s.finish()
    s.reset()
    assert bits(order) == seen[0]
