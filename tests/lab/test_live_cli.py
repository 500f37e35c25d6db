"""``autograd lab --train moons``: the live demo served on 127.0.0.1 behind its token."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_lab_train_serves_the_live_view_and_stops_on_ctrl_c(tmp_path, dot_binary):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "-m", "autograd", "lab", "--train", "moons",
                             "--no-browser"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "training done" in line:
                break
        text = "".join(lines)
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=(\S+)", text)
        assert url and "step  99" in text, text
        base, token = url.group(0).split("?")[0], url.group(1)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as denied:
            opener.open(base + "api/state?token=wrong", timeout=30)
        assert denied.value.code == 403
        scene = json.loads(opener.open(f"{base}api/state?token={token}", timeout=30).read())
        live = scene["panels"]["live"]
        assert live["state"] == "finished" and live["step"] == 99
        assert len(live["steps"]["rows"]) == 100 and live["boundary"]["kind"] == "score"
        assert scene["svg"].lstrip().startswith("<svg")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
