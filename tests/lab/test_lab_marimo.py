"""The lab in a real marimo notebook: ``marimo run`` started by the test on 127.0.0.1 with a
token (its Python from this venv), driven by headless chromium. The widget renders at frame
0, steps, and a later cell reads the frame and the input back in Python (marimo re-runs it
when the widget's value changes); moving a slider and a gradient step recompute in Python."""

from __future__ import annotations

import os
import secrets
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import chromium_page, screenshot
from child_server import child_server, free_port
from needs import require_module

pytestmark = pytest.mark.slow

NOTEBOOK = '''import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    import autograd

    lab = mo.ui.anywidget(autograd.lab("n = x1*w1 + x2*w2 + b; o = tanh(n)",
                                       x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432))
    lab
    return lab, mo


@app.cell
def _(lab, mo):
    mo.md(f"POS={lab.value['position']} X1={lab.widget.state.values()['x1']:.4f} "
          f"OUT={lab.widget.output:.4f}")
    return


if __name__ == "__main__":
    app.run()
'''


@contextmanager
def marimo_run(tmp_path: Path) -> Iterator[str]:
    """``marimo run`` on a free port of 127.0.0.1 with a random token; yields the page's URL."""
    require_module("marimo", "pip install -e .[dev]")
    (tmp_path / "lab_app.py").write_text(NOTEBOOK, encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        (tmp_path / name.lower()).mkdir()
        env[name] = str(tmp_path / name.lower())
    argv = [sys.executable, "-m", "marimo", "run", "lab_app.py", "--headless", "--host",
            "127.0.0.1", "--port", str(port), "--token-password", token, "--no-sandbox",
            "--session-ttl", "5"]
    with child_server(argv, f"http://127.0.0.1:{port}/health", "marimo",
                      log=tmp_path / "marimo.log", cwd=tmp_path, env=env):
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as refused:  # the token is asked for
            opener.open(f"http://127.0.0.1:{port}/api/status", timeout=5).read()
        assert refused.value.code == 401
        yield f"http://127.0.0.1:{port}/?access_token={token}"


def starts(locator, start: str) -> str:
    """The locator's text once it starts with ``start`` (marimo draws widgets in a shadow
    root, which locators reach and ``document.querySelector`` does not)."""
    deadline = time.monotonic() + 30
    while not (text := locator.inner_text(timeout=30_000)).startswith(start):
        assert time.monotonic() < deadline, text
        locator.page.wait_for_timeout(100)
    return text


def python_says(page, start: str) -> str:
    """The later cell's line, once it starts with ``start`` (marimo ran it again)."""
    return starts(page.get_by_text("POS="), start)


def test_the_lab_renders_and_steps_in_marimo(tmp_path, dot_binary, chromium_binary) -> None:
    with marimo_run(tmp_path) as url, chromium_page(1400, 1000) as (page, problems):
        page.goto(url)
        lab = page.locator(".ag-lab")
        lab.wait_for(timeout=60_000)
        assert lab.count() == 1 and page.locator("iframe.ag-snapshot").count() == 0
        counter = page.locator(".ag-counter")
        assert counter.inner_text() == "0 / 11"
        assert python_says(page, "POS=0") == "POS=0 X1=2.0000 OUT=0.7071"
        page.locator(".ag-next").click()
        page.locator(".ag-next").click()
        assert counter.inner_text() == "2 / 11"
        python_says(page, "POS=2")  # the frame shown reached Python
        page.fill('input[type=range][data-key="x1"]', "1")
        assert python_says(page, "POS=2 X1=1.0000") == "POS=2 X1=1.0000 OUT=0.9991"
        page.locator(".ag-last").click()
        starts(page.locator(".ag-output"), "o = 0.9991")
        page.locator(".ag-gradstep").click()  # a custom message: Python steps, the page follows
        starts(page.locator(".ag-msg"), "gradient step with lr 0.1")
        page.locator(".ag-prev").click()  # the frame moves: marimo runs the later cell again
        python_says(page, "POS=10 X1=1.0005")  # x1 -= 0.1 * dL/dx1 (-0.0051)
        screenshot(page, "lab-marimo.png")
        assert not [p for p in problems if "ag-" in p or "render" in p], problems
