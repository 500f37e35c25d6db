"""The lab widget in a real JupyterLab (started by the test on 127.0.0.1 with a token, in a
temporary folder, its kernel from this venv), driven by headless chromium: it opens at frame
0 with no gradient shown; clicking next changes the grads shown; moving a slider changes the
value Python sees (printed by a later cell); predict mode diagnoses and advances, and Python
reads its score; re-displaying a lab cell 20 times leaves the page's listeners as they were.
Also the notebook run headless by nbclient: the widget's output and traits."""

from __future__ import annotations

import re
import time

import pytest
from browser import chromium_page, field_text, screenshot
from jupyter import isolated_env, jupyter_lab, notebook

pytestmark = pytest.mark.slow

SETUP = ('import autograd\n'
         'w = autograd.lab("n = x1*w1 + x2*w2 + b; o = tanh(n)", x1=2, x2=0, w1=-3, w2=1, '
         'b=6.8813735870195432)\n'
         'w')
REPORT = 'print(f"X1={w.values[\'x1\']:.4f} OUT={w.output:.4f} POS={w.position}")'
QUIZ = 'q = autograd.lab("y = x * w", x=2, w=3, quiz=True)\nq'
SCORE = "print(q.score)"
AGAIN = "w"
MLP = ("import nn\nmodel = nn.MLP(2, [8, 8, 1], seed=0)\n"
       "autograd.lab((model([0.5, -1.2]) - 1.0) ** 2)")
CELLS = [SETUP, REPORT, QUIZ, SCORE, AGAIN, MLP]
INSIDE = """(lab) => {
  const pane = lab.querySelector('.ag-graph').getBoundingClientRect();
  return Array.from(lab.querySelectorAll('.ag-graph g.node')).map(g => {
    const r = g.getBoundingClientRect();
    return r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 &&
           r.top >= pane.top - 0.5 && r.bottom <= pane.bottom + 0.5; });
}"""
LISTENERS = """() => {  // window's and document's listeners, and ResizeObservers, alive
  window.agCount = {dom: 0, observers: 0};
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target), rm = target.removeEventListener.bind(target);
    target.addEventListener = (t, f, o) => { window.agCount.dom += 1; return add(t, f, o); };
    target.removeEventListener = (t, f, o) => { window.agCount.dom -= 1; return rm(t, f, o); };
  }
  const Observer = window.ResizeObserver;
  window.ResizeObserver = class extends Observer {
    observe(el) { window.agCount.observers += 1; return super.observe(el); }
    disconnect() { window.agCount.observers -= 1; return super.disconnect(); }
  };
}"""


def test_nbclient_runs_the_widget_notebook(tmp_path, dot_binary) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(str(notebook(tmp_path / "lab.ipynb", [SETUP, REPORT])), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=isolated_env(tmp_path))
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in first)
    assert second[0]["text"].strip() == "X1=2.0000 OUT=0.7071 POS=0"  # opens at the start


@pytest.fixture
def jupyter_lab_url(tmp_path, dot_binary):
    with jupyter_lab(tmp_path, "lab.ipynb", CELLS,
                     "the lab widget is tested in a real JupyterLab") as url:
        yield url


def run_all(page) -> None:
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                           "window.jupyterapp.shell.currentWidget.sessionContext && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                           timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def run_cell(page, index: int) -> None:
    page.evaluate("""async (index) => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.activeCellIndex = index;
        await window.jupyterapp.commands.execute('notebook:run-cell');
    }""", index)


def printed(page, index: int) -> str:
    """Run a printing cell again and return what it printed."""
    run_cell(page, index)
    page.wait_for_timeout(500)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    return cell.locator(".jp-OutputArea-output").inner_text(timeout=60_000).strip()


def report(page) -> str:
    return printed(page, 1)


def test_the_widget_in_jupyterlab(jupyter_lab_url, chromium_binary) -> None:
    with chromium_page(1400, 1000) as (page, problems):
        page.add_init_script(f"({LISTENERS})();")
        page.goto(jupyter_lab_url)
        run_all(page)
        first = page.locator(".jp-Notebook .jp-Cell").nth(0)
        widget = first.locator(".ag-lab")
        widget.wait_for(timeout=120_000)
        first.locator(".ag-counter").wait_for(timeout=60_000)
        assert first.locator(".ag-counter").inner_text() == "0 / 11"  # opens at the start
        assert first.locator("iframe.ag-snapshot").count() == 0  # the live widget, shown once
        assert field_text(page, "n0", "grad") == "—"
        assert first.locator(".ag-output").inner_text() == "o = — (grad —)"
        page.fill(".jp-Notebook .ag-lab .ag-slider", "6")  # the seed: no input grad yet
        before = [field_text(page, f"n{k}", "grad") for k in (8, 7)]
        page.click(".jp-Notebook .ag-lab .ag-next")
        after = [field_text(page, f"n{k}", "grad") for k in (8, 7)]
        assert before == ["—", "—"] and after[0] == "0.5000" and after != before
        deadline = time.monotonic() + 60
        while (text := report(page)) != "X1=2.0000 OUT=0.7071 POS=7":
            assert time.monotonic() < deadline, text  # the frame shown reached Python
        page.fill('.jp-Notebook .ag-lab input[type=range][data-key="x1"]', "1")
        page.wait_for_function("document.querySelector('.jp-Notebook .ag-output').textContent"
                               ".indexOf('o = 0.7071') < 0", timeout=60_000)
        deadline = time.monotonic() + 60
        while not (text := report(page)).startswith("X1=1.0000 OUT=0.9991"):
            assert time.monotonic() < deadline, text
        widget.scroll_into_view_if_needed()
        screenshot(page, "lab-jupyter.png")

        quiz = page.locator(".jp-Notebook .jp-Cell").nth(2)
        quiz.locator(".ag-answer").fill("5")  # y = x * w = 6
        quiz.locator(".ag-answer").press("Enter")
        assert "the value is off" in quiz.locator(".ag-verdict").inner_text()
        quiz.locator(".ag-answer").fill("6")
        quiz.locator(".ag-quiz-check").click()
        assert quiz.locator(".ag-counter").inner_text().startswith("1 /")
        deadline = time.monotonic() + 60
        while (text := printed(page, 3)) != "{'right': 0, 'wrong': 1, 'reached': 1, 'missed': -1}":
            assert time.monotonic() < deadline, text  # Python reads predict mode's score

        counts = ("[window.agCount.dom, window.agCount.observers, "
                  "document.querySelectorAll('.ag-lab').length]")
        mlp = page.locator(".jp-Notebook .jp-Cell").nth(5).locator(".ag-lab")
        mlp.scroll_into_view_if_needed()
        mlp.locator(".ag-fit").click()
        inside = mlp.evaluate(INSIDE)
        assert len(inside) >= 17 and all(inside)  # Fit fits every node in the notebook too

        run_cell(page, 4)
        page.wait_for_function("document.querySelectorAll('.ag-lab').length === 4")
        page.wait_for_timeout(1000)
        start = page.evaluate(counts)
        for _ in range(20):
            run_cell(page, 4)
        deadline = time.monotonic() + 30  # the last output settles
        while (end := page.evaluate(counts)) != start and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert end == start, (start, end)
    bad = [p for p in problems if re.search(r"ag-lab|AgLab|anywidget|viewer", p)]
    assert bad == []
