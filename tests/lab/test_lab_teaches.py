"""The lab teaches, in Debian's chromium at 1280x720 (one browser for the module): it opens at
frame 0 with no gradient on the page; predict mode diagnoses a wrong answer, advances on a
right one and shows the score; a neuron box shows its w·x + b and its chain-rule sum; Fit puts
every node of an MLP in the pane; number boxes show a value whole; re-rendering 20 times
leaves the listeners as they were."""

from __future__ import annotations

import re

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, field_text, screenshot
from examples import mlp_graph

from autograd.lab import lab, lab_state, save_lab_html

pytestmark = pytest.mark.slow

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


@pytest.fixture(scope="module")
def browser(chromium_binary_module):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def chromium_binary_module():
    from needs import require_binary

    require_binary("dot", "the lab lays graphs out with Graphviz")
    return require_binary(CHROMIUM, "the lab is tested in a real browser")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    yield tab
    context.close()
    assert tab.problems == []


def mlp_loss():
    out, _ = mlp_graph(2, [8, 8, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    return loss


def test_it_opens_at_frame_0_and_shows_no_gradient_early(page, tmp_path) -> None:
    state = lab_state(NEURON, **INPUTS)
    page.goto(save_lab_html(state, tmp_path / "lab.html").as_uri())
    last = len(state.frames) - 1
    assert page.inner_text(".ag-counter") == f"0 / {last}"
    grads = page.evaluate("Array.from(document.querySelectorAll('.ag-graph text'))"
                          ".map(t => t.textContent).filter(t => t.startsWith('grad '))")
    assert grads and set(grads) == {"grad —"}
    text = page.inner_text("body")
    assert "-1.5000" not in text and "0.5000" not in text  # x1's and n's grads
    x1 = state.names.index("x1")
    page.click(f'g.node[id="n{x1}"]')
    assert page.inner_text(".ag-inspect-values").endswith("grad —")
    assert page.inner_text(".ag-inspect-sum").endswith("(its terms come in as the backward "
                                                       "pass reaches them)")
    page.fill(".ag-slider", str(state.forward_frames))  # the seed: o's grad only
    assert field_text(page, f"n{len(state.order) - 1}", "grad") == "1.0000"
    assert field_text(page, f"n{x1}", "grad") == "—"
    page.keyboard.press("End")  # deliberately, the whole timeline
    assert field_text(page, f"n{x1}", "grad") == "-1.5000"
    assert page.inner_text(".ag-inspect-values").endswith("grad -1.5000")


def test_predict_mode_diagnoses_advances_and_scores(page, tmp_path) -> None:
    state = lab_state(NEURON, **INPUTS)
    page.goto(save_lab_html(state, tmp_path / "quiz.html", quiz=True).as_uri())
    assert page.is_checked(".ag-quizmode")
    page.click(".ag-next")  # Next asks instead of showing the answer
    assert page.inner_text(".ag-counter").startswith("0 /")
    page.fill(".ag-answer", "6")  # x1*w1 = -6: the sign is off
    page.keyboard.press("Enter")
    assert "the sign is off" in page.inner_text(".ag-verdict")
    assert page.inner_text(".ag-counter").startswith("0 /")
    page.fill(".ag-answer", "-6.0")
    page.keyboard.press("Enter")
    assert page.inner_text(".ag-counter").startswith("1 /")  # a right answer advances
    o = state.names.index("o")
    for j in range(2, len(state.frames)):
        asks = state.frames[j].get("ask", [])
        if j == state.forward_frames + 1:  # n.grad at tanh: type o's value (a wrong local)
            page.fill(".ag-answer", "0.7071")
            page.keyboard.press("Enter")
            verdict = page.inner_text(".ag-verdict")
            assert "local derivative is off" in verdict and "(the value of o)" in verdict
            rows = page.locator(".ag-compare tr").all_inner_texts()
            assert any(r.split() == ["do/dn", "(local)", "0.7071", "0.5000"] for r in rows)
            assert "1 - o**2" in verdict
        for ask in asks:
            page.fill(f'.ag-answer[data-node="{ask["node"]}"]', repr(ask["right"]))
        page.click(".ag-quiz-check")
        assert page.inner_text(".ag-counter").startswith(f"{j} /")
    assert page.inner_text(".ag-final") == f"Done! score: {len(state.frames) - 3} of " \
                                           f"{len(state.frames) - 1} right the first time."
    assert field_text(page, f"n{o}", "grad") == "1.0000"
    screenshot(page, "lab-quiz-done.png")


def test_a_neuron_box_shows_its_sum_and_fit_fits_every_node(page, tmp_path) -> None:
    state = lab_state(mlp_loss(), collapse=True)
    page.goto(save_lab_html(state, tmp_path / "mlp.html").as_uri())
    page.click(".ag-fit")
    inside = page.evaluate("""() => {
        const pane = document.querySelector('.ag-graph').getBoundingClientRect();
        return Array.from(document.querySelectorAll('.ag-graph g.node')).map(g => {
          const r = g.getBoundingClientRect();
          return r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 &&
                 r.top >= pane.top - 0.5 && r.bottom <= pane.bottom + 0.5; }); }""")
    assert len(inside) >= 17 and all(inside)
    page.keyboard.press("End")
    box = next(iter(state.layout.neurons))
    page.click(f'g.node[id="{box}"]')
    forward = page.inner_text(".ag-neuron-forward")
    assert forward.startswith("n = w·x + b = ") and "o = relu(n)" in forward
    total = page.inner_text(".ag-neuron-sum")
    assert re.search(r"dL/dn = dL/do · do/dn = \S+ · \S+ = \S+", total)
    assert "dL/dw_i = dL/dn · x_i: w.0 " in total
    assert "(1 if" in page.inner_text(".ag-neuron-rule") or "relu" in forward
    screenshot(page, "lab-mlp-fit.png")
    page.click(".ag-readable")
    size = page.evaluate("document.querySelector('.ag-graph svg').getScreenCTM().a * 12")
    assert size >= 11


def test_number_boxes_names_and_the_check_table_fit(page, dot_binary) -> None:
    pytest.importorskip("starlette")
    loss = mlp_loss()
    x0 = next(n for n in _leaves(loss) if n.label == "x0")
    x0.data = -1.27354e-7
    widget = lab(loss, collapse=True)
    server = widget.serve(open_browser=False, quiet=True)
    try:
        page.goto(server.url)
        box = page.locator('.ag-leaf[data-key="x0"] input[type=number]')
        assert box.input_value() == "-1.27354e-7"
        assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
        label = page.locator('.ag-leaf[data-key="layers.0.neurons.3.w.1"] label')
        assert label.inner_text() == "L0.n3.w1"
        assert label.get_attribute("title") == "layers.0.neurons.3.w.1"
        page.click(".ag-checkbtn")
        page.wait_for_selector(".ag-checktable")
        fits = page.evaluate("""() => {
            const side = document.querySelector('.ag-side').getBoundingClientRect();
            const t = document.querySelector('.ag-checktable').getBoundingClientRect();
            return t.right <= side.right && t.left >= side.left; }""")
        assert fits
        page.keyboard.press("End")
        assert "-0.0000" not in page.inner_text("body")
        screenshot(page, "lab-mlp-server.png")
        page.check(".ag-quizmode")  # the page's toggle: predict mode from frame 0
        assert page.inner_text(".ag-counter").startswith("0 /")
        assert page.locator(".ag-answer").first.is_visible()
    finally:
        server.close()


def _leaves(root):
    from autograd import topo_order

    return [n for n in topo_order(root) if not n.op]


COUNT = """() => {
  const a = window.agLab, counts = {model: 0, dom: 0};
  const on = a.model.on, off = a.model.off;
  a.model.on = (e, f) => { counts.model += 1; return on(e, f); };
  a.model.off = (e, f) => { counts.model -= 1; return off(e, f); };
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target), rm = target.removeEventListener.bind(target);
    target.addEventListener = (t, f, o) => { counts.dom += 1; return add(t, f, o); };
    target.removeEventListener = (t, f, o) => { counts.dom -= 1; return rm(t, f, o); };
  }
  const after = [];
  for (let i = 0; i < 20; i++) {
    a.cleanup();
    a.cleanup = a.widget.render({model: a.model, el: a.el});
    after.push([counts.model, counts.dom, document.querySelectorAll('.ag-lab').length]);
  }
  return after;
}"""


def test_rendering_20_times_leaves_the_listener_count(page, tmp_path) -> None:
    page.goto(save_lab_html(lab_state(NEURON, **INPUTS), tmp_path / "lab.html").as_uri())
    after = page.evaluate(COUNT)
    assert after[0][2] == 1 and all(a == after[0] for a in after)  # one view, no growth
    page.click(".ag-next")
    assert page.inner_text(".ag-counter").startswith("1 /")  # the last view still works


def planted(ask: dict) -> list[tuple[float, str]]:
    """Typical wrong answers for a backward question, each with the words its diagnosis
    must use."""
    local = sum(t["local"] for t in ask["terms"])
    kinds = []
    if len(ask["terms"]) > 1:
        kinds.append((ask["before"] + ask["up"] * ask["terms"][0]["local"],
                      "add one term per use"))
    if ask["before"] != 0:
        kinds.append((ask["up"] * local, "adds up (+=) over every use"))
    if ask["up"] not in (0.0, 1.0) and local not in (0.0, 1.0):
        kinds.append((ask["before"] + local, "the upstream gradient is off"))
    return kinds


@pytest.mark.parametrize("expr", ["t1 = a*b; t2 = a + b; L = t1*t2", "y = a*a; z = y*b"])
def test_predict_mode_names_the_mistake(page, tmp_path, expr) -> None:
    state = lab_state(expr, a=2.0, b=3.0)
    page.goto(save_lab_html(state, tmp_path / "quiz.html", quiz=True).as_uri())
    seen = set()
    for j in range(1, len(state.frames)):
        asks = state.frames[j].get("ask", [])
        boxes = {a["node"]: f'.ag-answer[data-node="{a["node"]}"]' for a in asks}
        for ask in asks:
            page.fill(boxes[ask["node"]], repr(ask["right"]))
        for ask in asks if j > state.forward_frames else []:
            for typed, words in planted(ask):
                page.fill(boxes[ask["node"]], repr(typed))
                page.click(".ag-quiz-check")
                assert words in page.inner_text(".ag-diagnosis"), (j, ask["name"], words)
                seen.add(words)
            page.fill(boxes[ask["node"]], repr(ask["right"]))
        page.click(".ag-quiz-check")
        assert page.inner_text(".ag-counter").startswith(f"{j} /")
    assert len(seen) >= 2  # each graph plants at least two kinds of mistake
    assert page.locator(".ag-final").is_visible()
