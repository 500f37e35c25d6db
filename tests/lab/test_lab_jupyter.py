"""The lab widget in a real JupyterLab (started by the test on 127.0.0.1 with a token, in a
temporary folder, its kernel from this venv), driven by headless chromium: clicking next
changes the grads shown, and moving a slider changes the value Python sees (printed by a
later cell). Also the notebook run headless by nbclient: the widget's output and traits."""

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


def test_nbclient_runs_the_widget_notebook(tmp_path, dot_binary) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(str(notebook(tmp_path / "lab.ipynb", [SETUP, REPORT])), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=isolated_env(tmp_path))
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in first)
    assert second[0]["text"].strip() == "X1=2.0000 OUT=0.7071 POS=11"


@pytest.fixture
def jupyter_lab_url(tmp_path, dot_binary):
    with jupyter_lab(tmp_path, "lab.ipynb", [SETUP, REPORT],
                     "the lab widget is tested in a real JupyterLab") as url:
        yield url


def run_all(page) -> None:
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                           "window.jupyterapp.shell.currentWidget.sessionContext && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                           timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def report(page) -> str:
    """Run the second cell again and return what it printed."""
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.activeCellIndex = 1;
        await window.jupyterapp.commands.execute('notebook:run-cell');
    }""")
    page.wait_for_timeout(500)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
    return cell.locator(".jp-OutputArea-output").inner_text(timeout=60_000).strip()


def test_the_widget_in_jupyterlab(jupyter_lab_url, chromium_binary) -> None:
    with chromium_page(1400, 1000) as (page, problems):
        page.goto(jupyter_lab_url)
        run_all(page)
        widget = page.locator(".jp-Notebook .ag-lab")
        widget.wait_for(timeout=120_000)
        page.wait_for_function("document.querySelector('.jp-Notebook .ag-counter') && "
                               "document.querySelector('.jp-Notebook .ag-counter').textContent"
                               " === '11 / 11'", timeout=60_000)
        assert field_text(page, "n0", "grad") == "-1.5000"
        page.fill(".jp-Notebook .ag-lab .ag-slider", "6")  # the seed: no input grad yet
        before = [field_text(page, f"n{k}", "grad") for k in (8, 7)]
        page.click(".jp-Notebook .ag-lab .ag-next")
        after = [field_text(page, f"n{k}", "grad") for k in (8, 7)]
        assert before == ["—", "—"] and after[0] == "0.5000" and after != before
        page.wait_for_function("() => true")
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
    bad = [p for p in problems if re.search(r"ag-lab|AgLab|anywidget|viewer", p)]
    assert bad == []
