"""The lab server under attack, on a real uvicorn server on 127.0.0.1: Host and Origin
checks, security headers and the page's content security policy, body and JSON limits,
slow clients, a page that stops reading its events, a long action, and shutdown."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import re
import socket
import threading
import time
import tracemalloc
from html.parser import HTMLParser
from typing import Any

import pytest

from autograd.lab import lab_state
from autograd.lab.guard import body_limits, serving
from autograd.lab.server import LabServer

NEURON = "n = x1*w1 + x2*w2 + b; o = tanh(n)"


class Slow:
    """A source whose ``slow`` action runs until released: a long action."""

    title = "slow"

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.version = 0

    def scene(self, svg: bool = True) -> dict[str, Any]:
        return {"version": self.version, "title": self.title, "payload": "x" * 10_000}

    def act(self, action: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        self.started.set()
        self.release.wait(30)
        self.version += 1
        return self.scene(False)


@pytest.fixture
def served(request):
    """A running LabServer on the neuron (or on ``request.param``'s source)."""
    source = getattr(request, "param", None) or lab_state(
        NEURON, x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432)
    server = LabServer(source).start(open_browser=False, quiet=True)
    deadline = time.monotonic() + 20
    while call(server, "GET", "/api/state")[0] != 200:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield server
    server.close()
    assert not server.thread.is_alive()


def call(server: LabServer, method: str, path: str, headers: dict[str, str] | None = None,
         body: bytes | None = None, token: bool = True) -> tuple[int, dict[str, str], bytes]:
    """One request over a fresh connection; the token goes in the header unless told not."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    given = {"X-Lab-Token": server.token} if token else {}
    try:
        conn.request(method, path, body=body, headers={**given, **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, \
            response.read()
    finally:
        conn.close()


def action(server: LabServer, payload: bytes) -> tuple[int, dict[str, Any]]:
    status, _, body = call(server, "POST", "/api/action",
                           {"Content-Type": "application/json"}, payload)
    return status, json.loads(body)


def raw(server: LabServer, data: bytes, wait: float = 15) -> bytes:
    """Send bytes on a raw connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_only_this_machine_by_name_and_only_its_own_page_by_origin(served) -> None:
    port = served.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert call(served, "GET", "/api/state", {"Host": host})[0] == 200, host
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example",
                 f"user@127.0.0.1:{port}", f"127.0.0.1:{port}/x", "127.0.0.1:port"):
        status, headers, body = call(served, "GET", "/api/state", {"Host": host})
        assert status == 403 and "is not this machine" in json.loads(body)["error"], host
        assert headers["x-frame-options"] == "DENY"  # refusals carry the headers too
    own = f"http://127.0.0.1:{port}"
    assert call(served, "GET", "/api/state", {"Origin": own})[0] == 200
    for origin in ("http://evil.example", "null", f"https://127.0.0.1:{port}",
                   f"http://127.0.0.1:{port + 1}", f"http://localhost:{port}"):
        status, _, body = call(served, "POST", "/api/action", {"Origin": origin},
                               b'{"action": "check"}')
        assert status == 403 and "refused" in json.loads(body)["error"], origin
    assert call(served, "GET", "/api/state", {"Sec-Fetch-Site": "cross-site",
                                             "Sec-Fetch-Mode": "cors"})[0] == 403
    assert call(served, "GET", "/api/state", token=False)[0] == 403  # the token still counts


class _Inline(HTMLParser):
    """The text of each executable inline script and each style, as the browser hashes it."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("type") or ""
        if tag == "script" and "json" not in kind and "src" not in dict(attrs):
            self._into = self.scripts
        elif tag == "style":
            self._into = self.styles
        if self._into is not None:
            self._into.append("")

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._into = None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_security_headers_and_a_policy_that_allows_only_the_pages_own_code(served) -> None:
    status, headers, body = call(served, "GET", f"/?token={served.token}", token=False)
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"]
                  .split(";"))
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in headers["content-security-policy"]
    page = _Inline()
    page.feed(body.decode())
    assert page.scripts and page.styles
    assert policy["script-src"].split() == ["'self'", *dict.fromkeys(map(_hash, page.scripts))]
    assert policy["style-src"].split() == ["'self'", *dict.fromkeys(map(_hash, page.styles))]
    _, headers, _ = call(served, "GET", "/api/state")
    assert headers["content-security-policy"].startswith("default-src 'none'")


def test_bodies_too_large_too_deep_or_not_finite_get_a_4xx_and_change_nothing(served) -> None:
    state = served.source
    before = state.values()
    head = (f"POST /api/action HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lab-Token: {served.token}\r\n"
            "Content-Type: application/json\r\n")
    answer = raw(served, (head + "Content-Length: 50000000\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 413") and b"at most 1,048,576" in answer
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)  # no length given: counted as it comes
    answer = raw(served, (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + chunk * 20)
    assert answer.startswith(b"HTTP/1.1 413")
    for payload, words in [
            (b"[" * 100_000 + b"]" * 100_000, "nested 100000 deep"),
            (b'{"action": "gradient_step", "args": {"lr": NaN}}', "holds NaN"),
            (b'{"action": "gradient_step", "args": {"lr": Infinity}}', "holds Infinity"),
            (b'{"action": "gradient_step", "args": {"lr": 1e999}}', "too large"),
            (b'{"action": "gradient_step", "args": {"lr": "nan"}}', "real number"),
            (b'{"action": "gradient_step", "args": {"lr": -1}}', "lr must be a finite number"),
            (b'{"action": "set_leaves", "args": {"values": {"x1": 1e999}}}', "too large"),
            (b'{"action": "set_leaves", "args": {"values": {"x1": true}}}', "real number"),
            (b"\xff\xfe", "must be JSON")]:
        status, body = action(served, payload)
        assert status == 400 and words in body["error"], (payload[:60], body)
    status, body = action(served, b'{"action": "set_leaves", "args": {"values": '
                                  b'{"x1": 1e300, "w1": 1e300}}}')  # x1*w1 overflows
    assert status == 200 and body["message"].startswith("refused: set x1 = ")
    assert "the lab keeps every value finite" in body["message"]
    assert state.values() == before and state.lr == 0.1
    assert call(served, "GET", "/api/state")[0] == 200  # every page still answers


def test_slow_clients_are_timed_out(served, monkeypatch) -> None:
    monkeypatch.setattr(serving, "HEADER_TIMEOUT", 0.5)
    monkeypatch.setattr(body_limits, "BODY_TIMEOUT", 0.5)
    start = time.monotonic()
    assert raw(served, b"GET / HTTP/1.1\r\nHost: 127.0", wait=10) == b""  # headers never end
    assert raw(served, b"", wait=10) == b""  # says nothing at all
    answer = raw(served, (f"POST /api/action HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lab-Token: "
                          f"{served.token}\r\nContent-Length: 100\r\n\r\n{{").encode(), wait=10)
    assert answer.startswith(b"HTTP/1.1 408")  # the body never ends
    assert time.monotonic() - start < 8  # not the 10 s of the socket's own timeout
    assert call(served, "GET", "/api/state")[0] == 200


@pytest.mark.parametrize("served", [Slow()], indirect=True)
def test_a_page_that_stops_reading_holds_one_scene_and_a_long_action_blocks_nobody(
        served, caplog) -> None:
    uvicorn_log = logging.getLogger("uvicorn.error")  # it does not propagate to the root
    uvicorn_log.addHandler(caplog.handler)
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect(("127.0.0.1", served.port))
    stuck.sendall(f"GET /api/events?token={served.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .encode())  # ... and never reads
    deadline = time.monotonic() + 10
    while not served.slots:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for k in range(2000):  # 2,000 scenes of 10 KB: 20 MB if they were queued
            served.publish({"version": k, "payload": "x" * 10_000})
        time.sleep(1.0)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    box = next(iter(served.slots))
    assert box.pending <= 1 and box.dropped > 1000
    assert grown < 2_000_000, grown

    answers: list[Any] = []

    def slow_action() -> None:
        try:
            answers.append(action(served, b'{"action": "slow"}'))
        except (http.client.HTTPException, OSError) as err:  # cut at shutdown
            answers.append(err)

    worker = threading.Thread(target=slow_action)
    worker.start()
    assert served.source.started.wait(10)
    start = time.monotonic()
    assert call(served, "GET", "/api/state", token=False)[0] == 403
    assert call(served, "GET", "/api/state", {"Host": "evil.example"})[0] == 403
    assert action(served, b"[" * 50 + b"]" * 50)[0] == 400
    assert time.monotonic() - start < 5  # answered while the action runs
    start = time.monotonic()
    served.close()  # stopping does not wait for the action, nor for the stuck page
    assert time.monotonic() - start < 5 and not served.thread.is_alive()
    assert served.source.started.is_set() and not served.source.release.is_set()
    served.source.release.set()
    worker.join(10)
    assert answers == [(503, {"error": "503: the lab server is stopping"})]
    stuck.close()
    uvicorn_log.removeHandler(caplog.handler)
    logged = [r for r in caplog.records if r.name.startswith("uvicorn")
              and r.levelno >= logging.WARNING]
    assert not logged, [r.getMessage() for r in logged]  # no "Cancel 2 tasks", no traceback


def test_every_way_in_refuses_a_learning_rate_that_is_not_a_finite_positive_number() -> None:
    state = lab_state(NEURON, x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432)
    before = state.values()
    for lr in (float("nan"), float("inf"), -0.1, 0.0, 1e7):
        with pytest.raises(ValueError, match=r"lab: lr must be a finite number in \(0, 1e\+06\]"):
            state.gradient_step(lr)
        with pytest.raises(ValueError, match="lr"):
            lab_state(state.root, lr=lr)
        with pytest.raises(ValueError, match="lr"):
            state.lr = lr
    with pytest.raises(TypeError, match="real number"):
        state.gradient_step("0.1")
    assert state.values() == before and state.lr == 0.1


def test_the_widget_shows_a_refused_learning_rate_and_keeps_the_values() -> None:
    pytest.importorskip("anywidget")
    import autograd

    widget = autograd.lab(NEURON, x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432)
    before = widget.state.values()
    widget._on_message(widget, {"action": "gradient_step", "args": {"lr": float("nan")}}, [])
    assert widget.scene["message"].startswith("refused: lab: lr must be a finite number")
    widget.lr = float("inf")  # the page's lr box
    assert widget.lr == 0.1 and widget.state.lr == 0.1
    assert widget.scene["message"].startswith("refused: lab: lr")
    assert widget.state.values() == before


@pytest.mark.parametrize("lr", ["nan", "inf", "-1", "0", "abc"])
def test_the_command_line_refuses_a_bad_learning_rate_with_exit_2(lr, capsys) -> None:
    from autograd.cli import main

    assert main(["lab", "o = x*2", "x=1", f"--lr={lr}", "--no-browser"]) == 2
    assert re.search(r"argument --lr: the learning rate must be a (finite )?number",
                     capsys.readouterr().err)
