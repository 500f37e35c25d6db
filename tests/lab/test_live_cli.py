"""``autograd lab --train moons`` and ``python -m demos.moons --live``: the live demo served
on 127.0.0.1 behind its token; training waits for its page; Ctrl-C stops it cleanly, also
while paused; a bad pick gets a clear 400."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
pytestmark = pytest.mark.slow


def launch(args: list[str], cwd: Path) -> tuple[subprocess.Popen, list[str], str, str]:
    """Start the live demo; read up to its "waiting for the page" line. Returns the process,
    the lines so far, the server's base URL and its token."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line)
        if "waiting for the page" in line:
            break
    text = "".join(lines)
    url = re.search(r"(http://127\.0\.0\.1:\d+/)\?token=(\S+)", text)
    assert url and "step" not in text.split("waiting")[0].split("\n")[-1], text
    return proc, lines, url.group(1), url.group(2)


def open_page(base: str, token: str) -> threading.Thread:
    """What a browser tab does first: open the event stream (and keep reading it)."""
    def read() -> None:
        try:
            with OPENER.open(f"{base}api/events?token={token}", timeout=60) as events:
                for _ in events:
                    pass
        except OSError:
            pass
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


def act(base: str, token: str, action: str, args: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}api/action", data=json.dumps({"action": action, "args": args or {}}).encode(),
        headers={"X-Lab-Token": token, "Content-Type": "application/json"})
    try:
        with OPENER.open(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_lab_train_waits_for_its_page_serves_the_view_and_stops_on_ctrl_c(tmp_path, dot_binary):
    proc, lines, base, token = launch(["-m", "autograd", "lab", "--train", "moons",
                                       "--no-browser"], tmp_path)
    try:
        assert not any(line.startswith("step") for line in lines)  # nothing trained yet
        open_page(base, token)
        for line in proc.stdout:
            lines.append(line)
            if "training done" in line:
                break
        text = "".join(lines)
        assert "step  99" in text, text
        with pytest.raises(urllib.error.HTTPError) as denied:
            OPENER.open(base + "api/state?token=wrong", timeout=30)
        assert denied.value.code == 403
        scene = json.loads(OPENER.open(f"{base}api/state?token={token}", timeout=30).read())
        live = scene["panels"]["live"]
        assert live["state"] == "finished" and live["step"] == 99
        assert len(live["steps"]["rows"]) == 100 and live["boundary"]["kind"] == "score"
        assert scene["svg"].lstrip().startswith("<svg") and scene["stepper"] is False
        status, body = act(base, token, "pick", {"index": 100})
        assert status == 400 and "pick index must be in [0, 100)" in body["error"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        assert "Traceback" not in proc.stdout.read()
    finally:
        stop(proc)


def test_ctrl_c_while_paused_stops_with_one_line(tmp_path, dot_binary):
    proc, lines, base, token = launch(["-m", "demos.moons", "--live", "--no-browser",
                                       "--steps", "5000", "--out", str(tmp_path)], ROOT)
    try:
        open_page(base, token)
        for line in proc.stdout:
            if line.startswith("step"):
                break
        assert act(base, token, "pause")[0] == 200
        status, body = act(base, token, "pick", {"index": -1})
        assert status == 400 and "pick index must be in [0, 100)" in body["error"]
        proc.send_signal(signal.SIGINT)
        out = proc.communicate(timeout=30)[0]
        assert proc.returncode == 130 and "stopped (Ctrl-C)" in out
        assert "Traceback" not in out and "Error" not in out, out
    finally:
        stop(proc)


def test_the_live_demo_says_how_to_get_the_lab_when_it_is_missing(tmp_path):
    blocker = tmp_path / "sitecustomize.py"  # starlette cannot be imported in this run
    blocker.write_text("import sys\nsys.modules['starlette'] = None\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, "-m", "demos.moons", "--live", "--out",
                           str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert "pip install 'scalar-autograd[lab]'" in done.stdout
