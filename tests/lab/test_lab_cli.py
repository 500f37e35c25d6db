"""The command line side of the lab: ``autograd lab`` refuses bad input before serving, and
``autograd graph -o x.html`` writes the lab's viewer."""

from __future__ import annotations

import json
import re

from autograd.cli import main
from autograd.lab import lab_state

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
ARGS = ["x1=2", "x2=0", "w1=-3", "w2=1", "b=6.8813735870195432"]


def test_lab_help_has_an_example(capsys) -> None:
    assert main(["lab", "--help"]) == 0
    out = capsys.readouterr().out
    assert "autograd lab " in out and "--no-browser" in out and "--port" in out


def test_bad_input_is_refused_before_serving(capsys) -> None:
    assert main(["lab", "x *", "x=1"]) == 2
    assert "autograd: error:" in capsys.readouterr().err
    assert main(["lab", "x * y", "x=1", "z=2"]) == 2
    assert "'z' is not used" in capsys.readouterr().err


def test_an_inputs_number_must_be_finite_and_its_name_used_on_every_door(
        tmp_path, dot_binary, capsys) -> None:
    import pytest

    from autograd.lab import save_site

    for bad in ("nan", "inf", "-inf"):
        assert main(["lab", "x * y", f"x={bad}", "y=1", "--no-browser"]) == 2
        assert capsys.readouterr().err == f"autograd: error: x must be a finite number, got {bad}\n"
    with pytest.raises(ValueError, match="x must be a finite number, got nan"):
        lab_state("x * y", x=float("nan"), y=1.0)
    with pytest.raises(ValueError, match="y must be a finite number, got inf"):
        save_site("x * y", tmp_path / "site", x=1.0, y=float("inf"))
    assert not (tmp_path / "site").exists()
    with pytest.raises(ValueError, match=r"lab: 'z' is not a variable of 'x \* y'; it uses x, y"):
        lab_state("x * y", x=1.0, y=2.0, z=3.0)
    state = lab_state("x * y", x=1.0, y=2.0, lr=0.5, rankdir="TB")  # options beside values
    assert state.lr == 0.5 and state.values() == {"x": 1.0, "y": 2.0}
    assert lab_state("lr * x", lr=2.0, x=3.0).output == 6.0  # a variable called lr is one


def test_train_refuses_what_only_an_expressions_lab_takes(capsys) -> None:
    for extra, named in ((["--site", "class"], "--site is"), (["x*y", "x=1", "y=2"],
                         "an expression is"), (["--quiz", "--port", "8000"], "--quiz, --port are")):
        assert main(["lab", "--train", "moons", *extra]) == 2
        assert capsys.readouterr().err == ("autograd: error: lab --train moons watches the demo "
                                           f"learn and takes only --no-browser; {named} for an "
                                           "expression's lab\n")
    assert main(["lab", "x*y", "x=1", "y=2", "--pyodide", "somewhere"]) == 2
    assert "--pyodide goes with --site DIR" in capsys.readouterr().err
    assert main(["lab", "x*y", "x=1", "y=2", "--site", "", "--no-browser"]) == 2
    assert "--site needs a folder name" in capsys.readouterr().err


def test_graph_to_html_writes_the_labs_viewer(tmp_path, dot_binary, capsys) -> None:
    out = tmp_path / "neuron.html"
    assert main(["graph", NEURON, *ARGS, "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "mountPage(" in page and "export default widget" in page
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    model = json.loads(found.group(1))["model"]
    scene = model["scene"]
    assert model["position"] == 0 and model["quiz"] is False
    values = dict(item.split("=") for item in ARGS)
    expected = lab_state(NEURON, **{k: float(v) for k, v in values.items()})
    assert scene["frames"] == expected.frames and scene["live"] is False


def test_lab_quiz_opens_the_served_page_in_predict_mode(monkeypatch, capsys, dot_binary) -> None:
    import importlib

    server = importlib.import_module("autograd.lab.server")
    made = []

    class Recorder:
        def __init__(self, source, port=0, quiz=False, hide=()) -> None:
            made.append((source.title, port, quiz) + ((hide,) if hide else ()))

        def run(self, open_browser=None) -> None:
            made.append(open_browser)

    monkeypatch.setattr(server, "LabServer", Recorder)
    assert main(["lab", NEURON, *ARGS, "--quiz", "--no-browser"]) == 0
    assert made == [(NEURON, 0, True), False]
    assert main(["lab", NEURON, *ARGS, "--no-browser"]) == 0
    assert made[2] == (NEURON, 0, False)
    assert main(["lab", NEURON, *ARGS, "--hide", "inputs,legend", "--no-browser"]) == 0
    assert made[4] == (NEURON, 0, False, ["inputs", "legend"])
