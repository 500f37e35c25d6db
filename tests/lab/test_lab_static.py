"""The static lab page in headless chromium at 1280x720: it opens fitted with readable text,
steps with buttons, keys and the slider, shows each node's chain-rule sum with the numbers
Python computes, places edge labels on their own edges, and logs no console error."""

from __future__ import annotations

import pytest
from browser import chromium_page, field_text, screenshot
from examples import mlp_graph

import autograd
from autograd import topo_order
from autograd.lab import lab_state, save_lab_html

pytestmark = pytest.mark.slow

EXPR = "t1 = a*b; t2 = a + b; L = t1*t2"  # a feeds two consumers
VALUES = {"a": 2.0, "b": 3.0}

GEOMETRY = """() => {
  const svg = document.querySelector('.ag-graph svg');
  const scale = svg.getScreenCTM().a;
  const texts = Array.from(svg.querySelectorAll('text'))
    .filter(t => getComputedStyle(t).visibility !== 'hidden');
  const sizes = texts.map(t => parseFloat(t.getAttribute('font-size')) * scale);
  const pane = document.querySelector('.ag-graph').getBoundingClientRect();
  return {min: Math.min(...sizes), pane: [pane.left, pane.top, pane.right, pane.bottom]};
}"""

LABEL_BOX = """(box) => {
  const t = document.querySelector(`g.node[id="${box}"] text`).getBoundingClientRect();
  return [t.left, t.top, t.right, t.bottom];
}"""

EDGE_LABELS = """() => {
  const out = {};
  document.querySelectorAll('g.edge').forEach(g => {
    const t = g.querySelector('text'), p = g.querySelector('path');
    if (!t || !g.id) { return; }
    const r = t.getBoundingClientRect(), ctm = p.getScreenCTM(), n = p.getTotalLength();
    const points = [];
    for (let i = 0; i <= 40; i++) {
      const q = p.getPointAtLength(n * i / 40);
      points.push([ctm.a * q.x + ctm.e, ctm.d * q.y + ctm.f]);
    }
    out[g.id] = {box: [r.left, r.top, r.right, r.bottom], points: points,
                 shown: getComputedStyle(t).visibility !== 'hidden', text: t.textContent};
  });
  return out;
}"""


def inside(box: list[float], pane: list[float]) -> bool:
    return box[0] >= pane[0] and box[1] >= pane[1] and box[2] <= pane[2] and box[3] <= pane[3]


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def distance(box: list[float], points: list[list[float]]) -> float:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return min(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 for x, y in points)


def test_the_static_page_opens_fitted_steps_and_inspects(tmp_path, dot_binary,
                                                         chromium_binary) -> None:
    state = lab_state(EXPR, **VALUES)
    path = save_lab_html(state, tmp_path / "lab.html")
    root = autograd.evaluate_expression(EXPR, **VALUES)
    root.backward()
    grads = {n.label: n.grad for n in topo_order(root) if n.label}
    names = state.names
    leaves = [k for k, n in enumerate(state.order) if not n.op]
    last = len(state.frames) - 1
    with chromium_page(1280, 720) as (page, problems):
        page.goto(path.as_uri())
        geometry = page.evaluate(GEOMETRY)
        assert geometry["min"] >= 11, "text must be at least 11 px when fitted"
        for k in leaves:
            assert inside(page.evaluate(LABEL_BOX, f"n{k}"), geometry["pane"]), names[k]
        assert page.inner_text(".ag-counter") == f"0 / {last}"
        page.click(".ag-next")
        assert page.inner_text(".ag-counter") == f"1 / {last}"
        assert page.inner_text(".ag-step") == state.frames[1]["text"]
        page.click(".ag-prev")
        assert page.inner_text(".ag-counter") == f"0 / {last}"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.inner_text(".ag-counter") == f"2 / {last}"
        page.keyboard.press("End")
        assert page.inner_text(".ag-counter") == f"{last} / {last}"
        a = names.index("a")
        assert field_text(page, f"n{a}", "grad") == "21.0000" == f"{grads['a']:.4f}"
        page.fill(".ag-slider", str(state.forward_frames))
        assert page.inner_text(".ag-step") == "L.grad = 1.0000  (dL/dL = 1)"
        assert field_text(page, f"n{a}", "grad") == "—"
        page.fill(".ag-slider", str(last))
        page.click(f'g.node[id="n{a}"]')
        inspector = page.inner_text(".ag-inspect-sum")
        assert inspector.splitlines() == ["dL/da = dL/dt1 * dt1/da + dL/dt2 * dt2/da",
                                          f"= {grads['t1']:.4f} * {VALUES['b']:.4f} + "
                                          f"{grads['t2']:.4f} * 1.0000", f"= {grads['a']:.4f}"]
        assert "dt1/da = b = 3.0000" in page.inner_text(".ag-terms")
        t1 = names.index("t1")
        page.click(f'g.node[id="n{t1}"]')
        assert page.inner_text(".ag-inspect-rule").splitlines() == ["dt1/da = b = 3.0000",
                                                                    "dt1/db = a = 2.0000"]
        assert page.inner_text(".ag-inspect-forward") == "t1 = a * b = 2.0000 * 3.0000 = 6.0000"
        labels = page.evaluate(EDGE_LABELS)
        shown = {k: v for k, v in labels.items() if v["shown"]}
        assert len(shown) == sum(len(n.children) for n in state.order if n.op)
        for key, label in shown.items():
            assert distance(label["box"], label["points"]) == min(
                distance(label["box"], other["points"]) for other in labels.values()), key
            for other_key, other in shown.items():
                assert other_key == key or not overlap(label["box"], other["box"])
        screenshot(page, "lab-static.png")
    assert problems == []


def test_an_nn_model_opens_collapsed_and_readable(tmp_path, dot_binary, chromium_binary) -> None:
    out, _ = mlp_graph(2, [8, 8, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    state = lab_state(loss, collapse=True)
    path = save_lab_html(state, tmp_path / "mlp.html")
    with chromium_page(1280, 720) as (page, problems):
        page.goto(path.as_uri())
        assert page.evaluate(GEOMETRY)["min"] >= 11
        page.keyboard.press("End")
        box = next(iter(state.layout.neurons))
        assert field_text(page, box, "max |param grad|") not in (None, "—")
        page.click(f'g.node[id="{box}"]')
        head = page.inner_text(".ag-inspect-head")
        assert head.startswith(state.names[state.layout.outputs[box]])
        page.click(".ag-zoomin")
        page.click(".ag-fit")
        screenshot(page, "lab-mlp.png")
    assert problems == []
