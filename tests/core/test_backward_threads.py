"""Threads running ``backward()`` on graphs that share parameters: every contribution to
a shared ``.grad`` lands (walks take turns), with the interpreter switching threads every
0.1 ms as the adversarial run had it."""

from __future__ import annotations

import sys
import threading

import pytest

from autograd import Value


@pytest.fixture
def fast_switching():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    yield
    sys.setswitchinterval(old)


def _run(scale: float, ws: list[Value], shared: Value, start: threading.Barrier,
         errors: list[BaseException]) -> None:
    try:
        start.wait()
        acc = shared * scale
        for w in ws:
            acc = acc + w * scale
        acc.backward()
    except BaseException as err:  # reported by the test, not lost in the thread
        errors.append(err)


def test_no_gradient_is_lost_when_threads_share_parameters(fast_switching):
    lost = []
    for trial in range(100):
        ws = [Value(0.1 * (k % 5 + 1), label=f"w{k}") for k in range(120)]
        shared = sum((w * w for w in ws), Value(0.0))  # an interior node both graphs use
        errors: list[BaseException] = []
        start = threading.Barrier(3)
        threads = [threading.Thread(target=_run, args=(s, ws, shared, start, errors))
                   for s in (1.0, 2.0, 3.0)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        # d/dw of sum_s s*(shared + sum w) = sum_s s*(2w + 1) = 6*(2w + 1)
        if any(abs(w.grad - 6.0 * (2 * w.data + 1)) > 1e-9 for w in ws):
            lost.append(trial)
    assert lost == []
