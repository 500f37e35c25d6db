"""``fit(live=True)`` in a real JupyterLab (started by the test on 127.0.0.1 with a token,
its kernel from this venv), in headless chromium: training runs to the end in the cell and
the widget shows the final loss that Python reports."""

from __future__ import annotations

import re

import pytest
from browser import chromium_page, screenshot
from jupyter import jupyter_lab
from test_lab_jupyter import run_all

pytestmark = pytest.mark.slow

TRAIN = """import nn
from nn.keras import Dense, Sequential
X, y = nn.datasets.moons(200, noise=0.1, seed=0)
model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(16, activation="relu"),
                    Dense(1, activation="sigmoid")], seed=0)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, epochs=8, batch_size=16, verbose=0, live=True)"""
REPORT = 'print(f"FINAL={history.history[\'loss\'][-1]:.4f}")'


@pytest.fixture
def jupyter_live(tmp_path, dot_binary):
    """JupyterLab serving the training notebook."""
    with jupyter_lab(tmp_path, "live.ipynb", [TRAIN, REPORT],
                     "fit(live=True) is tested in a real JupyterLab") as url:
        yield url


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
