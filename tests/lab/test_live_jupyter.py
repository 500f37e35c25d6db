"""``fit(live=True)`` in a real JupyterLab (started by the test on 127.0.0.1 with a token,
its kernel from this venv), in headless chromium: training runs to the end in the cell and
the widget shows the final loss that Python reports."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import chromium_page, screenshot
from conftest import require_binary
from test_lab_jupyter import free_port, isolated_env, run_all

pytestmark = pytest.mark.slow

TRAIN = """import nn
from nn.keras import Dense, Sequential
X, y = nn.datasets.moons(200, noise=0.1, seed=0)
model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(16, activation="relu"),
                    Dense(1, activation="sigmoid")], seed=0)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, epochs=8, batch_size=16, verbose=0, live=True)"""
REPORT = 'print(f"FINAL={history.history[\'loss\'][-1]:.4f}")'


def notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(TRAIN), nbformat.v4.new_code_cell(REPORT)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def jupyter_live(tmp_path, dot_binary):
    """``jupyter lab --no-browser`` on 127.0.0.1 with a token, serving the training notebook."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or \
        require_binary("jupyter", "fit(live=True) is tested in a real JupyterLab")
    root = tmp_path / "work"
    root.mkdir()
    notebook(root / "live.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    log = (tmp_path / "jupyter.log").open("w")
    child = subprocess.Popen(
        [jupyter, "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--expose-app-in-browser", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}", "--allow-root"],
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
        yield f"{base}/lab/tree/live.ipynb?token={token}"
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
        log.close()


def test_fit_live_in_jupyterlab_shows_the_final_loss(jupyter_live, chromium_binary):
    with chromium_page(1400, 1000) as (page, problems):
        page.goto(jupyter_live)
        run_all(page)
        page.locator(".jp-Notebook .lv-live").wait_for(timeout=180_000)
        page.wait_for_selector(".jp-Notebook .lv-state.lv-finished", timeout=300_000)
        printed = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(
            ".jp-OutputArea-output").inner_text(timeout=120_000).strip()
        final = re.fullmatch(r"FINAL=(\d+\.\d{4})", printed)
        assert final, printed
        shown = page.locator(".jp-Notebook .lv-metrics").text_content()
        assert f"loss {final.group(1)}" in shown, shown
        assert page.locator(".jp-Notebook .lv-step").text_content().startswith("step 103")
        page.locator(".jp-Notebook .lv-live").scroll_into_view_if_needed()
        screenshot(page, "live-jupyter.png")
    bad = [p for p in problems if re.search(r"ag-lab|AgLab|anywidget|viewer|lv-", p)]
    assert bad == []
