"""The live page in headless chromium: a short moons training served by ``python -m
demos.moons --live``, then the saved run opened from its file. Screenshots go to
``tests/artifacts/``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from browser import wait_until

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.slow


@pytest.fixture
def live_demo(tmp_path, dot_binary):
    """The moons demo, live, long enough to watch; yields (url, output folder, process)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "-m", "demos.moons", "--live", "--steps", "4000",
                             "--out", str(tmp_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url, lines = None, []
    for line in proc.stdout:
        lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        if found:
            url = found.group(0)
            break
    assert url, "".join(lines)
    yield url, tmp_path, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _step(page) -> int:
    return int(page.locator(".lv-step").get_attribute("data-step"))


def _graph_texts(page) -> str:
    return page.evaluate("() => Array.from(document.querySelectorAll('.ag-graph svg g.node "
                         "text')).map(t => t.textContent).join('|')")


def test_watch_moons_learn_pause_step_and_pick(live_demo, chromium_binary):
    from playwright.sync_api import sync_playwright

    url, _, _ = live_demo
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        wait_until(page, "() => Number(document.querySelector('.lv-step')"
                               "?.getAttribute('data-step')) >= 3", timeout=60_000)
        first = page.locator(".ag-side > .ag-title").first.text_content()
        worst = re.search(r"sample #\d+ \(the largest loss\): loss (\S+)", first)
        assert worst and float(worst.group(1)) > 0, first  # a sample with gradients to see
        assert not page.locator(".ag-stepper").is_visible()  # no "forward 0/0" bar
        first_points = int(page.locator("svg.lv-loss").get_attribute("data-points"))
        first_image = page.locator("canvas.lv-boundary").screenshot()
        page.screenshot(path=str(ARTIFACTS / "live_start.png"))
        start = _step(page)
        wait_until(page, f"() => Number(document.querySelector('.lv-step')"
                               f".getAttribute('data-step')) >= {start + 25}", timeout=60_000)
        assert int(page.locator("svg.lv-loss").get_attribute("data-points")) > first_points
        assert page.locator("canvas.lv-boundary").screenshot() != first_image
        page.screenshot(path=str(ARTIFACTS / "live_running.png"))

        page.click(".lv-pause")
        page.wait_for_selector(".lv-state.lv-paused", timeout=30_000)
        paused = _step(page)
        page.wait_for_timeout(1500)
        assert _step(page) == paused  # the step counter stands still
        page.click(".lv-stepbtn")
        wait_until(page, f"() => Number(document.querySelector('.lv-step')"
                               f".getAttribute('data-step')) === {paused + 1}", timeout=30_000)
        page.wait_for_timeout(800)
        assert _step(page) == paused + 1 and page.locator(".lv-state").text_content() == "paused"

        before = _graph_texts(page)
        x, y = page.evaluate("""() => {
            const ui = document.querySelector('[data-panel="live"]')._lv;
            const r = ui.canvas.getBoundingClientRect(), q = ui.map(ui.points[37]);
            return [r.left + q[0] * r.width / ui.canvas.width,
                    r.top + q[1] * r.height / ui.canvas.height]; }""")
        page.mouse.click(x, y)
        wait_until(page, "() => document.querySelector('.ag-side > .ag-title')"
                               ".textContent.includes('sample #37')", timeout=90_000)
        assert _graph_texts(page) != before  # the chosen sample's graph shows its numbers
        assert _step(page) == paused + 1  # picking while paused trains nothing
        page.screenshot(path=str(ARTIFACTS / "live_picked.png"))
        page.click(".lv-resume")
        page.wait_for_selector(".lv-state.lv-running", timeout=30_000)
        browser.close()
    assert not errors, errors


def test_the_saved_run_replays_offline(tmp_path, dot_binary, chromium_binary):
    from playwright.sync_api import sync_playwright

    import nn
    from autograd.lab.live import Monitor

    X, labels = nn.datasets.moons(40, noise=0.1, seed=0)
    y = 2.0 * labels - 1.0
    model = nn.MLP(2, [8, 1], seed=0)
    monitor = Monitor(X, y, sample_loss=lambda out, t: nn.hinge([out], [t]), model=model,
                      rate=1000.0, budget=1.0)
    opt = nn.SGD(model.parameters(), lr=0.5)
    for k in range(30):
        loss = nn.hinge([model(x) for x in X.tolist()], y.tolist())
        opt.zero_grad()
        loss.backward()
        monitor.update(loss=loss, model=model, step=k)
        opt.step()
    monitor.finish()
    path = monitor.save_html(tmp_path / "run.html")
    text = path.read_text(encoding="utf-8")
    assert "src=\"http" not in text and "href=\"http" not in text
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_binary, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("http*://**", lambda route: route.abort())  # prove it needs no network
        page.goto(path.as_uri())
        page.wait_for_selector("canvas.lv-boundary")
        last = page.locator("canvas.lv-boundary").screenshot()
        assert _step(page) == 29
        page.keyboard.press("Home")
        assert _step(page) < 29
        assert page.locator("canvas.lv-boundary").screenshot() != last
        assert int(page.locator("svg.lv-loss").get_attribute("data-points")) < 30
        browser.close()
    assert not errors, errors
