"""What the classroom site runs in Pyodide, run here: the layout travels as JSON and comes
back equal; the site's state on that layout computes the scenes a laid-out ``LabState``
computes, for any input values and actions; a refused action comes back as its message."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.lab import lab_state
from autograd.lab.layout import Layout
from autograd.lab.site_runtime import start

EXPR = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.88}


@pytest.fixture(scope="module")
def laid_out():
    from needs import require_binary

    require_binary("dot", "the layout is made by Graphviz once")
    return lab_state(EXPR, **VALUES)


def spec_of(state) -> str:
    return json.dumps({"expr": state.expr, "values": state.values(), "lr": state.lr,
                       "layout": state.layout.to_json(svg=False)})


def test_the_layout_round_trips_through_json(laid_out) -> None:
    layout = laid_out.layout
    back = Layout.from_json(json.loads(json.dumps(layout.to_json())))
    assert back == layout
    assert Layout.from_json(json.loads(json.dumps(layout.to_json(svg=False)))).svg == ""


numbers = st.floats(-5, 5, allow_nan=False)


@given(x1=numbers, w2=numbers, lr=st.floats(0.01, 1))
def test_the_site_computes_what_the_lab_computes(laid_out, x1, w2, lr) -> None:
    act = start(spec_of(laid_out))
    python = lab_state(EXPR, **VALUES)
    requests = [{"action": "set_leaves", "args": {"values": {"x1": x1, "w2": w2}}},
                {"action": "gradient_step", "args": {"lr": lr}}, {"action": "check"}]
    for request in requests:
        scene = json.loads(act(json.dumps(request)))
        expected = json.loads(json.dumps(python.act(request["action"], request.get("args"))))
        assert scene == expected


def test_a_refused_action_is_the_scenes_message(laid_out) -> None:
    act = start(spec_of(laid_out))
    scene = json.loads(act(json.dumps({"action": "set_leaves", "args": {"values": {"q": 1}}})))
    assert scene["message"].startswith("refused:") and "'q'" in scene["message"]
    scene = json.loads(act(json.dumps({"action": "fly"})))
    assert "unknown action 'fly'" in scene["message"]
