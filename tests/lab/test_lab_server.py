"""``autograd lab EXPR VARS`` as a subprocess: 127.0.0.1 only, a token on every request
(403 without it), a slider change in chromium updates the output and every input's grad
to what Python computes, and Ctrl-C (SIGINT) stops it cleanly. Also the server in-process:
actions, errors, and scenes pushed to open pages as server-sent events."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from browser import chromium_page, field_text, screenshot, wait_until

import autograd
from autograd import topo_order
from autograd.lab import lab_state
from autograd.lab.server import LabServer

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1: no proxy
NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
ARGS = ["x1=2", "x2=0", "w1=-3", "w2=1", "b=6.8813735870195432"]


def get(url: str, token: str | None = None, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"X-Lab-Token": token} if token else {}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture
def lab_process(dot_binary):
    """``autograd lab`` running in a subprocess, and the URL it printed."""
    child = subprocess.Popen([sys.executable, "-m", "autograd", "lab", NEURON, *ARGS,
                              "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
            url = found.group(0) if found else None
        assert url, f"no URL printed; stderr: {child.stderr.read() if child.poll() else ''}"
        yield child, url
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)


@pytest.mark.slow
def test_the_lab_command_serves_a_live_page(lab_process, chromium_binary) -> None:
    child, url = lab_process
    parts = urlsplit(url)
    base, token = f"{parts.scheme}://{parts.netloc}", parts.query.removeprefix("token=")
    assert parts.hostname == "127.0.0.1"
    assert get(base + "/")[0] == 403
    assert get(base + "/?token=not-the-token")[0] == 403
    assert get(base + "/api/state")[0] == 403
    assert get(base + "/api/action", data=b'{"action": "check"}')[0] == 403
    assert get(base + "/api/state", token="wrong")[0] == 403
    assert get(base + "/api/state", token=token)[0] == 200
    with chromium_page(1280, 720) as (page, problems):
        page.goto(url)
        page.wait_for_selector(".ag-output")
        assert page.inner_text(".ag-counter") == "0 / 11"  # opens at the start: no answer shown
        assert page.inner_text(".ag-output") == "o = — (grad —)"
        assert all(t.endswith("grad —") for t in page.locator(".ag-leafgrad").all_inner_texts())
        page.keyboard.press("End")  # the whole timeline, deliberately
        assert page.inner_text(".ag-output").startswith("o = 0.7071")
        page.fill('input[type=range][data-key="x1"]', "1")
        wait_until(page, "document.querySelector('.ag-output').textContent"
                               ".indexOf('o = 0.7071') < 0", 15_000)
        status, body = get(base + "/api/state", token=token)
        scene = json.loads(body)
        values = {leaf["key"]: leaf["value"] for leaf in scene["leaves"]}
        assert values["x1"] == pytest.approx(1.0)
        rebuilt = autograd.evaluate_expression(NEURON, **values)
        rebuilt.backward()
        grads = {n.label: n.grad for n in topo_order(rebuilt) if n.label}
        wait_until(page, f"document.querySelector('.ag-output').textContent"
                               f".startsWith('o = {rebuilt.data:.4f}')", 15_000)
        for key in values:
            row = page.inner_text(f'.ag-leaf[data-key="{key}"] .ag-leafgrad')
            assert row.endswith(f"grad {grads[key]:.4f}"), (key, row)
        assert field_text(page, "n0", "grad") == f"{grads['x1']:.4f}"  # the drawing follows
        assert field_text(page, "n9", "data") == f"{rebuilt.data:.4f}"
        page.click(".ag-checkbtn")
        page.wait_for_selector(".ag-verdict")
        assert page.inner_text(".ag-verdict").startswith("ok: 5 of 5 inputs agree")
        page.click(".ag-gradstep")
        wait_until(page, "document.querySelector('.ag-msg').textContent"
                               ".startsWith('gradient step')", 15_000)
        stepped = {leaf["key"]: leaf["value"]
                   for leaf in json.loads(get(base + "/api/state", token=token)[1])["leaves"]}
        page.fill('input[type=range][data-key="x2"]', "0.5")  # one input moves; the rest stay
        wait_until(page, "document.querySelector('.ag-msg').textContent"
                               ".startsWith('set x2')", 15_000)
        now = {leaf["key"]: leaf["value"]
               for leaf in json.loads(get(base + "/api/state", token=token)[1])["leaves"]}
        assert now == {**stepped, "x2": 0.5}
        screenshot(page, "lab-server.png")
    assert problems == []
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=20)
    assert child.returncode == 0, err
    assert "autograd lab: stopped" in out and "Traceback" not in err


def test_the_server_in_process(dot_binary) -> None:
    state = lab_state(NEURON, x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432)
    server = LabServer(state)
    thread = threading.Thread(target=server.run, kwargs={"open_browser": False, "quiet": True})
    thread.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        deadline = time.monotonic() + 20
        while get(base + "/api/state", token=server.token)[0] != 200:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        status, body = get(base + "/api/action", server.token, b"not json")
        assert status == 400 and "must be JSON" in json.loads(body)["error"]
        status, body = get(base + "/api/action", server.token, b'{"action": "rm -rf"}')
        assert status == 400 and "unknown action" in json.loads(body)["error"]
        status, body = get(base + "/api/action", server.token,
                           b'{"action": "set_leaves", "args": {"values": {"x1": "2"}}}')
        assert status == 400 and "real number" in json.loads(body)["error"]
        received: list[str] = []

        def listen() -> None:
            request = urllib.request.Request(base + f"/api/events?token={server.token}")
            with OPENER.open(request, timeout=10) as response:
                for raw in response:
                    line = raw.decode()
                    if line.startswith("data: "):
                        received.append(line[6:])
                        return

        listener = threading.Thread(target=listen)
        listener.start()
        time.sleep(0.5)
        status, body = get(base + "/api/action", server.token,
                           b'{"action": "set_leaves", "args": {"values": {"x1": 1.5}}}')
        assert status == 200
        listener.join(10)
        assert received and json.loads(received[0])["version"] == json.loads(body)["version"]
        assert json.loads(body)["leaves"][0]["value"] == 1.5 and state.values()["x1"] == 1.5
    finally:
        server.stop()
        thread.join(10)
    assert not thread.is_alive()


def test_the_server_needs_its_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "starlette", None)
    with pytest.raises(autograd.MissingDependency, match=r"pip install scalar-autograd\[lab\]"):
        LabServer(object())
