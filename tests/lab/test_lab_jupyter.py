"""The lab widget in a real JupyterLab (started by the test on 127.0.0.1 with a token, in a
temporary folder, its kernel from this venv), driven by headless chromium: clicking next
changes the grads shown, and moving a slider changes the value Python sees (printed by a
later cell). Also the notebook run headless by nbclient: the widget's output and traits."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import chromium_page, field_text, screenshot
from conftest import require_binary

pytestmark = pytest.mark.slow

SETUP = ('import autograd\n'
         'w = autograd.lab("n = x1*w1 + x2*w2 + b; o = tanh(n)", x1=2, x2=0, w1=-3, w2=1, '
         'b=6.8813735870195432)\n'
         'w')
REPORT = 'print(f"X1={w.values[\'x1\']:.4f} OUT={w.output:.4f} POS={w.position}")'


def notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(REPORT)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """Jupyter's config, data and runtime folders in tmp_path; the kernel is this venv's."""
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env[name] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_nbclient_runs_the_widget_notebook(tmp_path, dot_binary) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(str(notebook(tmp_path / "lab.ipynb")), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=isolated_env(tmp_path))
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in first)
    assert second[0]["text"].strip() == "X1=2.0000 OUT=0.7071 POS=11"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyter_lab(tmp_path, dot_binary):
    """``jupyter lab --no-browser`` on 127.0.0.1 with a token, serving a temp notebook."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or \
        require_binary("jupyter", "the lab widget is tested in a real JupyterLab")
    root = tmp_path / "work"
    root.mkdir()
    notebook(root / "lab.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    log = (tmp_path / "jupyter.log").open("w")
    child = subprocess.Popen(
        [jupyter, "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--expose-app-in-browser", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
        + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        env=isolated_env(tmp_path), stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                opener.open(f"{base}/api/status?token={token}", timeout=5).read()
                break
            except OSError:
                assert child.poll() is None, (tmp_path / "jupyter.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
        yield f"{base}/lab/tree/lab.ipynb?token={token}"
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
        log.close()


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


def test_the_widget_in_jupyterlab(jupyter_lab, chromium_binary) -> None:
    with chromium_page(1400, 1000) as (page, problems):
        page.goto(jupyter_lab)
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
