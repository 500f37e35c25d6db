"""The live view's engine: record each step, and now and then redraw every panel.

``Watcher`` is shared by the ``Monitor`` of hand-written loops and the ``fit`` callback.
Each step costs an append; a redraw (when the throttle allows, or on request) computes
the per-layer gradient norms and activity, the decision boundary over a grid (2-D
inputs) and the chosen sample's graph after its own backward, then tells the hosts.
Parameter gradients are left exactly as the training loop had them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ...engine import Value
from ...errors import AutogradError, ConfigError
from ...modes import no_grad
from ..user_numbers import checked_index
from .boundary import Grid, boundary_frame, threshold_for
from .controls import Controls
from .model_layers import layer_groups
from .probe import Probe
from .run_log import LiveRun
from .sample import SampleGraph
from .stats import activity
from .throttle import Throttle

__all__ = ["MAX_PROBE", "Watcher"]

MAX_PROBE = 256  # data points whose activations give the dead / saturated shares
MAX_POINTS = 1000  # data points drawn under the boundary
MAX_SCAN, SCAN_SECONDS = 1000, 0.2  # samples searched for the largest loss, and for how long


def _points(X: np.ndarray | None, y: Any) -> dict[str, Any] | None:
    if X is None or X.ndim != 2 or X.shape[1] != 2:
        return None
    n = min(len(X), MAX_POINTS)
    labels = None if y is None else np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    if labels is not None and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)[:, None]  # one-hot rows -> class
    return {"xy": np.round(X[:n], 4).tolist(),
            "label": None if labels is None else labels[:n, 0].tolist()}


class Watcher:
    """Steps in, panels out; ``sample_graph(i)`` builds sample ``i``'s graph (a Value)."""

    def __init__(self, model: Any, X: Any = None, y: Any = None,
                 sample_graph: Callable[[int], Value] | None = None, title: str = "training",
                 rate: float = 4.0, budget: float = 0.1, sample: int | None = None,
                 worst_first: bool = True) -> None:
        start = time.perf_counter()
        self.model = model
        self.X = None if X is None else np.asarray(X, dtype=np.float64)
        if self.X is not None and (self.X.ndim != 2 or not len(self.X)):
            raise ConfigError(f"live: X must be a 2-D table of samples, got shape {self.X.shape}")
        self.sample_graph = sample_graph
        self.throttle = Throttle(rate, budget)
        self.controls = Controls()
        if sample is not None:
            size = len(self.X) if self.X is not None else 0
            sample = checked_index("live: sample", sample, size) if size else sample
        self.sample = sample
        # no sample chosen: show the one with the largest loss now, at every redraw, until
        # the page picks one (a sample the model already fits has all gradients 0)
        self.follow_worst = worst_first and sample is None
        self.run = LiveRun(title, _points(self.X, y))
        self.hosts: list[Callable[[LiveRun], None]] = []
        self.probe = None if self.X is None else Probe(model, self.X[:MAX_PROBE])
        self.groups = self.probe.groups if self.probe else layer_groups(model)
        self.grid = None
        if self.probe is not None and self.X.shape[1] == 2:
            self.grid = Grid.around(self.X, size=48 if self.probe.compiled else 24)
        last = self.groups[-1].activation if self.groups else None
        self.threshold = threshold_for(y, last)
        self.step = self.epoch = 0
        self.redraws = 0
        self.last_error = ""
        self._final: Any = None
        self._last: Any = None  # the training loop's parameter source at the latest step
        self._shapes: dict[Any, Any] = {}  # sample graph shapes seen, for SampleGraph
        self.run.on_layout = self._laid_out
        self.run.before_save = self.catch_up
        self.throttle.charge(time.perf_counter() - start)  # setting up counts too

    # -- the training loop's side ---------------------------------------------------------

    def after_step(self, step: int, epoch: int, logs: dict[str, Any], source: Any) -> None:
        """Record one step; redraw if due or asked; wait here while paused."""
        self.step, self.epoch, self._last = step, epoch, source
        self.run.add_step(step, epoch, logs)
        if self.controls.idle():  # nothing asked: the cheap path of almost every step
            if self.throttle.due():
                self.redraw(source)
            return
        picked = self._take_pick()
        if picked or self.throttle.due():
            self.redraw(source)
        self._gate(source)

    def after_epoch(self, epoch: int, logs: dict[str, Any], source: Any) -> None:
        """Record an epoch's logs and keep its frame for the saved run."""
        self.epoch = epoch
        self.run.add_epoch(epoch, self.step, logs)
        if self.throttle.due() or self.run.latest is None:
            self.redraw(source, frame=True)
        else:  # a quick epoch: keep the last redraw (under a second old) as its frame
            start = time.perf_counter()
            self.run.publish({**self.run.latest, "epoch": epoch, "step": self.step},
                             frame=True, clean=True)
            self.throttle.charge(time.perf_counter() - start)

    def finish(self, source: Any) -> None:
        """Training ended: a last redraw, and never block again."""
        self.run.state = "finished"
        self._final = source
        self.redraw(source, frame=not self._drawn(self.step))
        self.controls.close()

    def catch_up(self) -> None:
        """Draw the latest step if the last redraw is older (before saving the run), so
        a saved run ends where training did."""
        if self._last is not None and not self._drawn(self.step):
            self.redraw(self._last, frame=True)

    def _drawn(self, step: int) -> bool:
        frames = self.run.frames
        return bool(frames) and frames[-1].get("step") == step

    @property
    def finished(self) -> bool:
        """True once training ended (picks are then drawn by whoever asks)."""
        return self._final is not None

    def redraw_pick(self) -> None:
        """After training: draw a picked sample at once, in the caller's thread."""
        if self._final is not None and self._take_pick():
            self.redraw(self._final)

    def _gate(self, source: Any) -> None:
        def pause() -> None:
            self.run.state = "paused"
            self.redraw(source)

        def pick() -> None:
            self._take_pick()
            self.redraw(source)

        self.controls.gate(pick, pause)
        if self.run.state == "paused":
            self.run.state = "running"

    def _take_pick(self) -> bool:
        pick = self.controls.pending_pick()
        if pick is None or self.X is None or pick >= len(self.X):
            return False
        self.sample = pick
        self.follow_worst = False
        return True

    def _laid_out(self, key: str) -> None:
        """A sample graph's layout is ready (in the thread that laid it out): hosts that
        showed a placeholder get it now, even when training has ended meanwhile."""
        for host in list(self.hosts):
            host(self.run)

    # -- drawing --------------------------------------------------------------------------

    def redraw(self, source: Any, frame: bool = False) -> None:
        """Compute every panel now and tell the hosts."""
        start = time.perf_counter()
        self.redraws += 1
        panels: dict[str, Any] = {"step": self.step, "epoch": self.epoch,
                                  "redraw": self.redraws, "sample_index": self.sample}
        groups = self.groups
        norms = source.grad_norms(groups)
        layers = [{"name": g.name, "activation": g.activation, "units": g.units,
                   "grad_norm": n} for g, n in zip(groups, norms)]
        if self.probe is not None:
            source.load(self.probe)
            self._activity(layers)
            if self.grid is not None:
                outs = self.probe.run(self.grid.points())[-1]
                panels["boundary"] = boundary_frame(self.grid, outs, self.threshold)
        panels["layers"] = layers
        panels["sample"] = self._sample(source)
        self.run.publish(panels, frame)
        for host in list(self.hosts):
            host(self.run)
        self.throttle.done(time.perf_counter() - start)  # the hosts' encoding counts too

    def _worst(self) -> int:
        """The sample with the largest loss now (the first ``MAX_SCAN``, for at most
        ``SCAN_SECONDS``): its graph has gradients worth watching."""
        losses: list[float] = []
        start = time.perf_counter()
        try:
            with no_grad():
                for i in range(min(len(self.X), MAX_SCAN)):
                    loss = self.sample_graph(i).data
                    losses.append(loss if math.isfinite(loss) else -math.inf)
                    if time.perf_counter() - start > SCAN_SECONDS:
                        break
        except (AutogradError, ArithmeticError, ValueError, TypeError):
            pass
        return max(range(len(losses)), key=losses.__getitem__) if losses else 0

    def _activity(self, layers: list[dict[str, Any]]) -> None:
        if not self.probe.layered:
            return
        acts = self.probe.run(self.X[:MAX_PROBE])
        for row, group, a in zip(layers, self.probe.groups, acts):
            row.update(activity(a, group.activation) or {})

    def _sample(self, source: Any) -> dict[str, Any] | None:
        """The chosen sample's graph after its own backward; every parameter's ``.grad``
        is put back as the training loop left it."""
        if self.sample_graph is None or self.X is None:
            return None
        source.write_values()
        if self.follow_worst:
            self.sample = self._worst()
        elif self.sample is None:
            self.sample = 0
        params = self.probe.params if self.probe else []
        saved = [p.grad for p in params]
        try:
            for p in params:
                p.grad = 0.0
            root = self.sample_graph(self.sample)
            root.backward()
            graph = SampleGraph(root, shapes=self._shapes)
            state = graph.state()
            self.run.add_shape(graph)
        except AutogradError as e:  # a NaN sample, a graph too large to draw...
            self.last_error = str(e)
            return {"error": str(e)}
        finally:
            for p, g in zip(params, saved):
                p.grad = g
        state["index"] = self.sample
        state["worst"] = self.follow_worst
        return state

