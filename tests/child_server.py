"""A real server the test starts as a child process on 127.0.0.1 (JupyterLab, marimo,
``python -m http.server``): a free port, then the child running until the test is done."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def child_server(argv: Sequence[str], ready: str, what: str, *, log: Path | None = None,
                 timeout: float = 60, **popen: Any) -> Iterator[subprocess.Popen]:
    """Start ``argv`` (its output into ``log``, else dropped), wait until ``ready`` (a URL)
    answers, yield the child, and stop it after; fails with the log if it dies or stays
    silent for ``timeout`` seconds."""
    out = log.open("w") if log else subprocess.DEVNULL
    child = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT, **popen)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                opener.open(ready, timeout=5).read()
                break
            except (OSError, urllib.error.URLError):
                said = log.read_text() if log else ""
                assert child.poll() is None, f"{what} stopped:\n{said}"
                assert time.monotonic() < deadline, f"{what} did not start:\n{said}"
                time.sleep(0.3)
        yield child
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
        if log:
            out.close()
