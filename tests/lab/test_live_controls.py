"""Throttled redraws, and pause / single step / resume / pick from another thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError
from autograd.lab.live.controls import Controls
from autograd.lab.live.monitor import Monitor
from autograd.lab.live.run_log import MAX_FRAMES, MAX_SENT_STEPS, LiveRun
from autograd.lab.live.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_throttle_keeps_the_rate_and_the_budget():
    clock = Clock()
    t = Throttle(rate=5, budget=0.1, clock=clock)
    redraws = 0
    for _ in range(1000):  # 10 s of 10 ms steps; each redraw costs 1 ms
        clock.now += 0.01
        if t.due():
            clock.now += 0.001
            t.done(0.001)
            redraws += 1
    assert 45 <= redraws <= 51  # 5 a second
    slow, clock.now, redraws = Throttle(rate=5, budget=0.1, clock=clock), 0.0, 0
    for _ in range(1000):  # the same, but each redraw costs 50 ms: the budget rules
        clock.now += 0.01
        if slow.due():
            clock.now += 0.05
            slow.done(0.05)
            redraws += 1
    assert slow.spent / clock.now <= 0.11


@pytest.mark.parametrize("bad", [0, -1, "4", True])
def test_throttle_rejects_bad_settings(bad):
    with pytest.raises(ConfigError, match="rate"):
        Throttle(rate=bad)
    with pytest.raises(ConfigError, match="budget"):
        Throttle(budget=bad if bad != 0 else 1.5)


def wait_until(predicate, what: str, tries: int = 500) -> None:
    event = threading.Event()
    for _ in range(tries):
        if predicate():
            return
        event.wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_pause_stops_the_loop_single_step_lets_one_through_and_resume_runs():
    X, labels = nn.datasets.moons(16, noise=0.1, seed=0)
    y = 2.0 * labels - 1.0
    model = nn.MLP(2, [4, 1], seed=0)
    monitor = Monitor(X, y, rate=1000.0, budget=1.0)
    done: list[int] = []
    started = threading.Event()

    def train() -> None:
        for k in range(400):
            scores = [model(x) for x in X.tolist()]
            loss = nn.hinge(scores, y.tolist())
            model.zero_grad()
            loss.backward()
            monitor.update(loss=loss, model=model, step=k)
            started.set()
            done.append(k)

    thread = threading.Thread(target=train, daemon=True)
    thread.start()
    started.wait(30)
    controls = monitor.watcher.controls
    controls.pause()
    wait_until(lambda: monitor.history.state == "paused", "the loop to pause")
    paused_at = len(done)
    threading.Event().wait(0.2)
    assert len(done) == paused_at and monitor.history.latest["step"] == paused_at
    controls.step()
    wait_until(lambda: len(done) == paused_at + 1 and monitor.history.state == "paused"
               and monitor.history.latest["step"] == paused_at + 1, "one step")
    controls.pick(3)  # picked while paused: drawn at once, by the training thread
    wait_until(lambda: monitor.history.latest["sample_index"] == 3, "the picked sample")
    assert len(done) == paused_at + 1
    controls.resume()
    thread.join(60)
    assert done == list(range(400))


def test_controls_reject_a_bad_pick_and_never_block_once_closed():
    c = Controls()
    with pytest.raises(ConfigError):
        c.pick(-1)
    c.pause()
    c.close()
    c.gate(lambda: None)  # returns at once


def test_sent_steps_are_thinned_and_frames_spread_over_the_run():
    run = LiveRun("t")
    for k in range(5 * MAX_SENT_STEPS):
        run.add_step(k, 0, {"loss": float(k)})
    rows = run.sent_steps()["rows"]
    assert len(rows) <= MAX_SENT_STEPS + 1 and rows[-1][0] == 5 * MAX_SENT_STEPS - 1
    for k in range(1, 10 * MAX_FRAMES):
        run.publish({"redraw": k})
    kept = [f["redraw"] for f in run.frames]
    assert len(kept) <= MAX_FRAMES and kept[-1] > 8 * MAX_FRAMES
    assert np.all(np.diff(kept) > 0)


def test_throttle_charges_work_outside_redraws_to_the_budget():
    clock = Clock()
    t = Throttle(rate=5, budget=0.1, clock=clock)
    clock.now = 1.0
    t.charge(1.0)  # setting the view up took 1 s: the first redraw still comes at once
    assert t.due()
    redraws = 0
    for step in range(2000):  # 20 s of 10 ms steps; redraws cost 20 ms, each epoch 10 ms
        clock.now += 0.01
        if t.due():
            clock.now += 0.02
            t.done(0.02)
            redraws += 1
        if step % 100 == 99:
            clock.now += 0.01
            t.charge(0.01)
    assert t.spent / clock.now <= 0.105  # all the live work, setup included, within budget
    assert redraws >= 30  # and once the setup is made up for, redrawing several a second


def test_a_new_sample_shape_is_laid_out_off_the_training_thread(dot_binary):
    from autograd.lab.live.source import LiveSource
    X, labels = nn.datasets.moons(8, noise=0.1, seed=0)
    y = 2.0 * labels - 1.0
    model = nn.MLP(2, [3, 1], seed=0)
    monitor = Monitor(X, y, sample_loss=lambda out, t: (1 - t * out).relu(), model=model)
    source, sent = LiveSource(monitor.watcher), []
    monitor.watcher.hosts.append(lambda run: sent.append(
        (threading.current_thread().name, source.scene(svg=False).get("svg"))))
    loss = nn.hinge([model(x) for x in X.tolist()], y.tolist())
    loss.backward()
    monitor.update(loss=loss, model=model, step=0)
    monitor.finish()  # training is over before, or while, Graphviz runs
    wait_until(lambda: any(s and s.lstrip().startswith("<svg") and "laying out" not in s
                           for _, s in sent), "the laid-out graph to reach the host", 3000)
    laid_by = [name for name, s in sent if s and "laying out" not in s and "<svg" in s[:200]]
    key = monitor.history.latest["sample"]["key"]
    assert monitor.history.layout(key) == monitor.history.layout(key, wait=False)
    assert monitor.history.layout(key).lstrip().startswith("<svg")
    assert set(laid_by) <= {"autograd-live-layout", threading.current_thread().name}
