"""The notebook widget's Python side: traits in, scene out. The page's slider arrives as a
new ``values`` trait, gradient steps and checks as messages; every answer is a new scene.
(The widget in a real JupyterLab: test_lab_jupyter.py.)"""

from __future__ import annotations

import importlib
import sys

import pytest

import autograd
from autograd import MissingDependency

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


@pytest.fixture
def widget(dot_binary):
    return autograd.lab(NEURON, **INPUTS)


def test_the_widget_carries_the_layout_once_and_the_numbers(widget) -> None:
    assert widget.svg.startswith("<svg") and "svg" not in widget.scene
    assert widget.values == INPUTS and widget.position == 0  # every host opens at frame 0
    assert "function render({model, el})" in widget._esm and "export default" in widget._esm
    assert ".ag-lab" in widget._css


def test_a_slider_on_the_page_recomputes_in_python(widget) -> None:
    version = widget.scene["version"]
    widget.values = {**widget.values, "x1": 1.0}  # what the page's slider does
    assert widget.state.values()["x1"] == 1.0 and widget.scene["version"] > version
    rebuilt = autograd.evaluate_expression(NEURON, **{**INPUTS, "x1": 1.0})
    assert widget.output == rebuilt.data
    assert widget.scene["output"]["data"] == f"{rebuilt.data:.4f}"


def test_messages_from_the_page(widget) -> None:
    widget._on_message(widget, {"action": "gradient_step", "args": {"lr": 0.5}}, [])
    assert widget.scene["message"].startswith("gradient step with lr 0.5")
    assert widget.lr == 0.5
    widget._on_message(widget, {"action": "check", "args": {}}, [])
    assert widget.scene["panels"]["check"]["ok"]
    widget._on_message(widget, {"action": "rm", "args": {}}, [])
    assert widget.scene["message"].startswith("refused: lab: unknown action 'rm'")
    widget.values = {**widget.values, "x1": "two"}
    assert widget.scene["message"].startswith("refused: lab: value of 'x1'")


def test_python_side_helpers(widget, tmp_path) -> None:
    widget.set(x1=3.0)
    assert widget.values["x1"] == 3.0 and set(widget.grads) == set(INPUTS)
    widget.position = 0
    assert widget.check()["ok"]
    page = widget.save_html(tmp_path / "lab.html").read_text(encoding="utf-8")
    assert "mountPage(" in page


def test_the_widget_needs_its_extra(monkeypatch) -> None:
    module = importlib.import_module("autograd.lab.widget")
    monkeypatch.setattr(module, "_CLASS", None)
    monkeypatch.setitem(sys.modules, "anywidget", None)
    with pytest.raises(MissingDependency, match=r"pip install scalar-autograd\[lab\]"):
        autograd.lab("y = x * 2", x=1.0)


def test_from_a_script_the_lab_says_how_to_view_it_and_serves(dot_binary) -> None:
    import json
    import re
    import urllib.request

    pytest.importorskip("starlette")
    w = autograd.lab(NEURON, quiz=True, **INPUTS)
    assert w.quiz and w.score == {"right": 0, "wrong": 0, "reached": 0, "missed": -1}
    assert ".serve(open_browser=True)" in repr(w) and ".save_html(" in repr(w)
    server = w.serve(open_browser=False, quiet=True)
    try:
        assert server.url.startswith("http://127.0.0.1:") and "token=" in server.url
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for _ in range(100):  # the background thread starts serving
            try:
                body = opener.open(server.url, timeout=5).read().decode()
                break
            except OSError:
                import time

                time.sleep(0.05)
        data = re.search(r'<script id="data" type="application/json">(.*?)</script>', body, re.S)
        model = json.loads(data.group(1))["model"]
        assert model["quiz"] is True and model["position"] == 0
        again = w.serve(open_browser=False, quiet=True)
        assert again is server  # one lab, one server while it runs
    finally:
        server.close()
    assert not server.thread.is_alive()
    fresh = w.serve(open_browser=False, quiet=True)
    try:
        assert fresh is not server and fresh.thread.is_alive()
    finally:
        fresh.close()
