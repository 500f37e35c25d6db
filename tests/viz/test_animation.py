"""save_backward_animation: the lab's viewer with every frame precomputed. Its backward
frames equal the stepper's steps, grads are untouched, and the page works in a real
headless Chromium (buttons, keys, slider, play)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import chromium_page, field_text
from examples import mlp_graph, neuron

from autograd import GraphvizNotFound, Value, save_backward_animation, save_graph, topo_order
from autograd.trace import trace_backward
from autograd.viz.dot import fmt_num


def fresh_steps(root: Value) -> list:
    """The stepper's steps from zero grads, with the grads put back afterwards."""
    order = topo_order(root)
    saved = [n.grad for n in order]
    for n in order:
        n.grad = 0.0
    steps = list(trace_backward(root))
    for n, g in zip(order, saved):
        n.grad = g
    return steps


def scene_of(path: Path) -> dict:
    """The scene in the page's data (the page model's ``scene``, with its ``svg``)."""
    page = path.read_text(encoding="utf-8")
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    model = json.loads(found.group(1))["model"]
    return {**model["scene"], "svg": model["svg"]}


def frames_of(path: Path) -> list[dict]:
    return scene_of(path)["frames"]


@pytest.mark.parametrize("backward", [False, True])
def test_users_grads_are_left_as_they_were(tmp_path, dot_binary, backward):
    o = neuron(backward)
    order = topo_order(o)
    order[0].grad = 5.0  # whatever state the user had
    before = [n.grad for n in order]
    save_backward_animation(o, tmp_path / "a.html")
    assert [n.grad for n in order] == before


def test_forward_frames_then_one_frame_per_step_with_the_steppers_text(tmp_path, dot_binary):
    o = neuron()
    scene = scene_of(save_graph(o, tmp_path / "a.html"))
    frames, forward = scene["frames"], scene["forward"]
    steps = fresh_steps(o)
    ops = [k for k, n in enumerate(topo_order(o)) if n.op]
    assert forward == 1 + len(ops) == 6  # the inputs, then one frame per op node
    assert [f["node"] for f in frames[1:forward]] == ops
    assert frames[1]["text"] == "#2 = x1 * w1 = 2.0000 * (-3.0000) = -6.0000"
    assert len(frames) == forward + 1 + len(steps) == 12
    assert frames[forward]["text"] == "o.grad = 1.0000  (do/do = 1)"
    backward = frames[forward + 1:]
    assert [f["text"] for f in backward] == ["\n".join(s.explain()) for s in steps]
    assert all(str(s) in f["text"] for s, f in zip(steps, backward))
    assert backward[0]["node"] == steps[0].number and backward[0]["kids"] == [8]
    assert backward[-1]["set"] == [["n0", "grad", fmt_num(steps[-1].updates[0].grad_after)],
                                   ["n1", "grad", fmt_num(steps[-1].updates[1].grad_after)]]


def test_the_page_is_self_contained(tmp_path, dot_binary):
    path = save_backward_animation(neuron(), tmp_path / "a.html")
    page = path.read_text(encoding="utf-8")
    assert scene_of(path)["svg"].count("<svg") == 1  # one layout, however many frames
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page
    assert "<script src" not in page
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    assert "token" not in json.loads(found.group(1))  # so the page's model is the offline one
    assert page.count("fetch(") == 1  # in the served page's model only, never called here


def test_labels_cannot_break_out_of_the_page(tmp_path, dot_binary):
    x = Value(3.0, label="</script><script>alert(1)</script> {{SVG}}")
    page = save_backward_animation(x * x, tmp_path / "a.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the data block and the lab's module, nothing injected
    assert page.count("<svg") == 0  # the drawing travels inside the JSON, escaped
    frames = frames_of(tmp_path / "a.html")
    assert frames[0]["text"].startswith("</script><script>alert(1)")


def test_a_300_node_graph_stays_small(tmp_path, dot_binary):
    root, _ = mlp_graph(2, [13, 12, 1], [0.5, -1.0])
    loss = (root - 1.0) ** 2
    assert len(topo_order(loss)) >= 300
    size = save_backward_animation(loss, tmp_path / "big.html",
                                   collapse=False).stat().st_size
    assert size < 1_500_000  # measured: about 1.1 MB, every node's inspector and question included


def test_needs_dot_for_the_layout(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFound, match="lay out the backward animation"):
        save_backward_animation(neuron(), tmp_path / "a.html")
    assert not (tmp_path / "a.html").exists()


@pytest.mark.slow
def test_steps_through_in_headless_chromium(tmp_path, dot_binary, chromium_binary):
    o = neuron()
    path = save_backward_animation(o, tmp_path / "neuron.html")
    steps = fresh_steps(o)
    first, forward = steps[0], 6
    last = forward + len(steps)
    with chromium_page(1400, 700) as (page, problems):
        page.goto(path.as_uri())

        def state() -> tuple[str, str]:
            return page.inner_text(".ag-step"), page.inner_text(".ag-counter")

        def has(element_id: str, cls: str) -> bool:
            return page.eval_on_selector(f'[id="{element_id}"]',
                                         f"e => e.classList.contains('{cls}')")

        assert state() == (frames_of(path)[0]["text"], f"0 / {last}")
        assert field_text(page, "n2", "data") == "—"
        page.click(".ag-next")
        assert field_text(page, "n2", "data") == "-6.0000"
        assert has("n2", "ag-cur") and has("e2_0", "ag-fwd")
        page.keyboard.press("End")
        page.keyboard.press("Home")
        page.fill(".ag-slider", str(forward))
        assert state() == ("o.grad = 1.0000  (do/do = 1)", f"{forward} / {last}")
        assert field_text(page, "n8", "grad") == "—"
        page.click(".ag-next")
        assert state() == ("\n".join(first.explain()), f"{forward + 1} / {last}")
        assert has(f"n{first.number}", "ag-cur") and has(f"e{first.number}_0", "ag-act")
        assert field_text(page, "n8", "grad") == "0.5000"
        page.click(".ag-prev")
        assert state()[1] == f"{forward} / {last}"
        assert not has(f"n{first.updates[0].number}", "ag-kid")
        assert field_text(page, "n8", "grad") == "—"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert state() == ("\n".join(steps[1].explain()), f"{forward + 2} / {last}")
        assert has(f"n{steps[1].number}", "ag-cur") and not has(f"n{first.number}", "ag-cur")
        page.keyboard.press("ArrowLeft")
        assert state()[1] == f"{forward + 1} / {last}"
        page.fill(".ag-slider", str(last))
        assert state() == ("\n".join(steps[-1].explain()), f"{last} / {last}")
        assert field_text(page, "n0", "grad") == "-1.5000"  # x1 at the end
        page.keyboard.press("Home")
        page.click(".ag-play")
        assert "Pause" in page.inner_text(".ag-play")
        page.wait_for_function("document.querySelector('.ag-counter').textContent !== "
                               f"'0 / {last}'", timeout=10_000)
        page.click(".ag-play")
        assert "Play" in page.inner_text(".ag-play")
        shot = tmp_path / "shot.png"
        page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 5000
    assert problems == []
