"""save_backward_animation: frames equal the stepper's steps, grads untouched, and the page
works in a real headless Chromium (buttons, keys, slider, play)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from examples import mlp_graph, neuron

from autograd import GraphvizNotFound, Value, save_backward_animation, save_graph, topo_order
from autograd.trace import trace_backward
from autograd.viz.dot import fmt_num

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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


def frames_of(path: Path) -> list[dict]:
    page = path.read_text(encoding="utf-8")
    found = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["frames"]


@pytest.mark.parametrize("backward", [False, True])
def test_users_grads_are_left_as_they_were(tmp_path, dot_binary, backward):
    o = neuron(backward)
    order = topo_order(o)
    order[0].grad = 5.0  # whatever state the user had
    before = [n.grad for n in order]
    save_backward_animation(o, tmp_path / "a.html")
    assert [n.grad for n in order] == before


def test_one_frame_per_step_with_the_steppers_text(tmp_path, dot_binary):
    o = neuron()
    frames = frames_of(save_graph(o, tmp_path / "a.html"))
    steps = fresh_steps(o)
    assert len(frames) == len(steps) + 1 == 6
    assert frames[0]["text"] == "o.grad = 1.0000  (do/do = 1)"
    assert [f["text"] for f in frames[1:]] == [str(s) for s in steps]
    assert frames[1]["node"] == steps[0].number and frames[1]["kids"] == [8]
    assert frames[-1]["set"][1:] == [[u.number, fmt_num(u.grad_after)]
                                     for u in steps[-1].updates]


def test_the_page_is_self_contained(tmp_path, dot_binary):
    page = save_backward_animation(neuron(), tmp_path / "a.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page
    assert "<script src" not in page


def test_labels_cannot_break_out_of_the_page(tmp_path, dot_binary):
    x = Value(3.0, label="</script><script>alert(1)</script> {{SVG}}")
    page = save_backward_animation(x * x, tmp_path / "a.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the data block and the player, nothing injected
    assert page.count("<svg") == 1
    assert frames_of(tmp_path / "a.html")[1]["text"].startswith("</script><script>alert(1)")


def test_a_300_node_graph_stays_small(tmp_path, dot_binary):
    root, _ = mlp_graph(2, [13, 12, 1], [0.5, -1.0])
    loss = (root - 1.0) ** 2
    assert len(topo_order(loss)) >= 300
    size = save_backward_animation(loss, tmp_path / "big.html").stat().st_size
    assert size < 1_500_000  # measured: about 0.6 MB


def test_needs_dot_for_the_layout(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFound, match="lay out the backward animation"):
        save_backward_animation(neuron(), tmp_path / "a.html")
    assert not (tmp_path / "a.html").exists()


def test_steps_through_in_headless_chromium(tmp_path, dot_binary, chromium_binary):
    from playwright.sync_api import sync_playwright

    o = neuron()
    path = save_backward_animation(o, tmp_path / "neuron.html")
    steps = fresh_steps(o)
    first, last = steps[0], len(steps)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary, headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 700})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(path.as_uri())

            def state() -> tuple[str, str]:
                return page.inner_text("#step"), page.inner_text("#counter")

            def has(element_id: str, cls: str) -> bool:
                script = f"e => e.classList.contains('{cls}')"
                return page.eval_on_selector(f"#{element_id}", script)

            def grad_text(k: int) -> str:
                return page.eval_on_selector(f"#n{k}", "g => Array.from(g.querySelectorAll("
                                             "'text')).map(t => t.textContent).find(t => "
                                             "t.startsWith('grad '))")

            assert state() == ("o.grad = 1.0000  (do/do = 1)", f"0 / {last}")
            assert has(f"n{len(topo_order(o)) - 1}", "cur")
            assert grad_text(first.updates[0].number) == "grad —"
            page.click("#next")
            assert state() == (str(first), f"1 / {last}")
            assert has(f"n{first.number}", "cur") and has(f"e{first.number}_0", "act")
            assert grad_text(first.updates[0].number) == "grad 0.5000"
            page.click("#prev")
            assert state()[1] == f"0 / {last}"
            assert not has(f"n{first.updates[0].number}", "kid")
            assert grad_text(first.updates[0].number) == "grad —"
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert state() == (str(steps[1]), f"2 / {last}")
            assert has(f"n{steps[1].number}", "cur") and not has(f"n{first.number}", "cur")
            page.keyboard.press("ArrowLeft")
            assert state() == (str(first), f"1 / {last}")
            page.fill("#slider", str(last))
            assert state() == (str(steps[-1]), f"{last} / {last}")
            assert grad_text(0) == "grad -1.5000"  # x1 at the end
            page.keyboard.press("Home")
            page.click("#play")
            assert "Pause" in page.inner_text("#play")
            page.wait_for_function("document.getElementById('counter').textContent !== "
                                   f"'0 / {last}'", timeout=10_000)
            page.click("#play")
            assert "Play" in page.inner_text("#play")
            shot = tmp_path / "shot.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 5000
    assert problems == []
