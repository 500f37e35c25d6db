"""The scene's and the model's keys are declared once in Python (``lab/scene.py``) and once in
JavaScript (the JSDoc typedefs of ``static/viewer_base.js``): they agree, every scene a source
makes has exactly the declared keys, and the widget's traits are the model's keys. Also the
one script list, the panels' table, and the frames' predict-mode data."""

from __future__ import annotations

import re
import typing

import pytest
from examples import mlp_graph

from autograd.lab import lab_state
from autograd.lab.page import MODULE_PARTS, asset, module_source
from autograd.lab.panels import PANELS
from autograd.lab.scene import Frame, LabModel, Scene, initial_model
from autograd.lab.state import short_name

TYPEDEF = re.compile(r"@typedef \{Object\} (\w+)(.*?)\*/", re.S)
PROPERTY = re.compile(r"@property \{[^}]*\} (\[?)(\w+)\]?")


def js_typedefs() -> dict[str, tuple[set[str], set[str]]]:
    """Each JSDoc typedef's (required, optional) property names."""
    out = {}
    for name, body in TYPEDEF.findall(asset("viewer_base.js")):
        props = PROPERTY.findall(body)
        out[name] = ({p for opt, p in props if not opt}, {p for opt, p in props if opt})
    return out


@pytest.mark.parametrize("cls", [Scene, Frame, LabModel], ids=lambda c: c.__name__)
def test_python_and_javascript_declare_the_same_keys(cls) -> None:
    required, optional = js_typedefs()[cls.__name__]
    assert set(cls.__required_keys__) == required
    assert set(cls.__optional_keys__) == optional


def test_every_scene_has_the_declared_keys(dot_binary) -> None:
    declared = set(typing.get_type_hints(Scene))
    required = set(Scene.__required_keys__)
    out, _ = mlp_graph(2, [3, 1], [0.5, -1.0])
    for state in (lab_state("n = x*w + b; o = tanh(n)", x=2, w=-3, b=1), lab_state(out)):
        state.check()
        scene = state.scene()
        assert required <= set(scene) <= declared
        frame_keys = set(typing.get_type_hints(Frame))
        for frame in scene["frames"]:
            assert set(Frame.__required_keys__) <= set(frame) <= frame_keys
        assert set(initial_model(scene)) == set(LabModel.__required_keys__)


def test_the_widget_traits_are_the_model_keys(dot_binary) -> None:
    pytest.importorskip("anywidget")
    from autograd.lab.widget import widget_class

    synced = set(widget_class().class_own_traits(sync=lambda v: v))
    assert synced == set(LabModel.__required_keys__)


def test_one_module_lists_every_part_and_panel_once() -> None:
    text = module_source()
    for name in (*MODULE_PARTS, *PANELS.values()):
        assert text.count(f"/* --- {name} --- */") == 1
    for name in PANELS:
        assert f'registerPanel("{name}"' in text
    assert text.count("\nexport default") == 1 and "window.AgLab" not in text


def test_short_names_for_model_parameters() -> None:
    assert short_name("layers.0.neurons.3.w.1") == "L0.n3.w1"
    assert short_name("layers.12.neurons.31.b") == "L12.n31.b"
    assert short_name("x1") == "x1"
    assert len(short_name("a_very_long_parameter_name.with.parts")) <= 14


def test_frames_carry_what_predict_mode_asks(dot_binary) -> None:
    state = lab_state("t1 = a*b; t2 = a + a; L = t1*t2", a=2.0, b=3.0)
    frames, names = state.frames, state.names
    forward = [f["ask"][0] for f in frames[1:state.forward_frames]]
    assert [(a["name"], a["right"]) for a in forward] == [("t1", 6.0), ("t2", 4.0), ("L", 24.0)]
    assert forward[0]["question"] == "t1 = a * b = 2.0000 * 3.0000 = ?"
    seed = frames[state.forward_frames]["ask"]
    assert seed[0]["seed"] and seed[0]["right"] == 1.0
    backward = [a for f in frames[state.forward_frames + 1:] for a in f["ask"]]
    (twice,) = [a for a in backward if a["via"] == "t2"]  # t2 = a + a: both uses in one
    assert twice["name"] == "a" and [t["local"] for t in twice["terms"]] == [1.0, 1.0]
    assert twice["right"] == twice["before"] + twice["up"] * 2.0
    last = [a for a in backward if a["name"] == "a"][-1]
    assert last["right"] == 2 * 2.0 * 3.0 + 3.0 * 2 * 2.0  # dL/da, whole
    assert ["the value of a", 2.0] in last["near"] and "a" in names
