"""The record of a training run: every step's logs, every epoch's, and the frames drawn.

``LiveRun`` is what the live page reads (``snapshot``) and what ``save_html`` writes.
Steps are kept in full and thinned only when sent; frames (the boundary, the layer
numbers and the sample's graph at one moment) are kept one per epoch, or for loops
without epochs thinned to at most ``MAX_FRAMES`` spread over the run.

>>> run = LiveRun("demo")
>>> run.add_step(0, 0, {"loss": 1.5}); run.add_step(1, 0, {"loss": 1.25})
>>> run.snapshot()["steps"]
{'keys': ['loss'], 'rows': [[0, 0, 1.5], [1, 0, 1.25]]}
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable
from typing import Any

from .sample import SampleGraph

__all__ = ["MAX_FRAMES", "MAX_SENT_STEPS", "LiveRun", "finite"]

MAX_FRAMES = 60
MAX_SENT_STEPS = 1500


def finite(data: Any) -> Any:
    """``data`` with every NaN or infinity replaced by None (JSON has neither)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list):
        return [finite(v) for v in data]
    return data


def _number(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


class LiveRun:
    """Steps, epochs, frames and the latest panels of one run (thread-safe reads)."""

    def __init__(self, title: str, points: dict[str, Any] | None = None) -> None:
        self.title = title
        self.points = points
        self.keys: list[str] = []
        self.steps: list[list[Any]] = []
        self.epochs: list[dict[str, float | None]] = []
        self.frames: list[dict[str, Any]] = []
        self.shapes: dict[str, SampleGraph] = {}  # sample graph shape key -> one such graph
        self._layouts: dict[str, str] = {}  # shape key -> its SVG
        self._laying: dict[str, threading.Event] = {}  # shape key -> set once laid out
        self.on_layout: Callable[[str], None] | None = None
        self.before_save: Callable[[], None] | None = None  # brings the frames up to date
        self.latest: dict[str, Any] | None = None
        self.version = 0
        self.state = "running"  # running | paused | finished
        self.by_epoch = False  # True: keep one frame per epoch (fit), else thinned redraws
        self._lock = threading.Lock()
        self._thin = 1  # without epochs: keep every _thin-th frame

    def add_step(self, step: int, epoch: int, logs: dict[str, Any]) -> None:
        """One training step's logs (numbers; NaN/inf kept as gaps)."""
        self.keys += [key for key in logs if key not in self.keys]
        self.steps.append([step, epoch] + [_number(logs.get(k)) for k in self.keys])

    def add_epoch(self, epoch: int, step: int, logs: dict[str, Any]) -> None:
        """One epoch's logs (train and validation), ended at training step ``step``."""
        self.epochs.append({"epoch": epoch, "step": step,
                            **{k: _number(v) for k, v in logs.items()}})

    def publish(self, panels: dict[str, Any], frame: bool = False, clean: bool = False
                ) -> None:
        """The latest panels. ``frame=True`` keeps them for the saved run (an epoch's end);
        a run without epochs keeps a thinned share of its redraws instead. ``clean``: the
        numbers are JSON-ready already (panels published before)."""
        if not clean:  # the boundary's numbers are finite already (and many)
            panels = {k: v if k == "boundary" else finite(v) for k, v in panels.items()}
        with self._lock:
            self.latest = panels
            self.version += 1
            if frame:
                self.frames.append(panels)
            elif not self.by_epoch:
                self._keep(panels)

    def _keep(self, panels: dict[str, Any]) -> None:
        """Frames of a loop without epochs: every ``_thin``-th redraw, thinned as they pile up."""
        if panels.get("redraw", 0) % self._thin:
            return
        self.frames.append(panels)
        if len(self.frames) > MAX_FRAMES:
            self.frames = self.frames[::2]
            self._thin *= 2

    def add_shape(self, graph: SampleGraph) -> None:
        """Remember a sample graph of a new shape and lay it out in a background thread
        (Graphviz takes a fraction of a second: the training loop never waits for it);
        ``on_layout(key)``, if set, runs in that thread once the layout is ready."""
        with self._lock:
            if graph.key in self.shapes:
                return
            self.shapes[graph.key] = graph
            self._laying[graph.key] = threading.Event()
        threading.Thread(target=self._lay_out, args=(graph.key, graph), daemon=True,
                         name="autograd-live-layout").start()

    def _lay_out(self, key: str, graph: SampleGraph) -> None:
        try:
            svg = graph.svg()  # Graphviz problems come back as an HTML note
        except Exception as e:  # anything else: shown, never a page waiting forever
            svg = f"<p class='error'>{html.escape(f'{type(e).__name__}: {e}')}</p>"
        with self._lock:
            self._layouts[key] = svg
            self._laying.pop(key).set()
        if self.on_layout is not None:
            self.on_layout(key)

    def layout(self, key: str, wait: bool = True) -> str | None:
        """The SVG of a sample graph shape (Graphviz runs once per shape); None for an
        unknown key, or with ``wait=False`` while it is still being laid out."""
        with self._lock:
            if key in self._layouts:
                return self._layouts[key]
            ready = self._laying.get(key)
        if ready is None or not wait:
            return None
        ready.wait()
        with self._lock:
            return self._layouts[key]

    def sent_steps(self) -> dict[str, Any]:
        """The step rows to draw: all of them, or an even thinning plus the last."""
        rows = self.steps
        if len(rows) > MAX_SENT_STEPS:
            every = math.ceil(len(rows) / MAX_SENT_STEPS)
            rows = rows[::every] + ([rows[-1]] if (len(rows) - 1) % every else [])
        width = 2 + len(self.keys)
        return {"keys": list(self.keys),
                "rows": [r + [None] * (width - len(r)) for r in rows]}

    def save_html(self, path: Any) -> Any:
        """Write the run as one self-contained HTML file: curves, boundary frames and the
        sample's graph per frame (one per epoch for ``fit``). Returns the path."""
        from .export import save_run_html  # export reads this record: imported when used
        if self.before_save is not None:
            self.before_save()
        return save_run_html(self, path)

    def snapshot(self) -> dict[str, Any]:
        """Everything the live page shows now, JSON-ready (sample graph layouts apart:
        ``layout(key)`` gives each)."""
        with self._lock:
            latest, version = self.latest, self.version
        return {"title": self.title, "version": version, "state": self.state,
                "points": self.points, "steps": self.sent_steps(), "epochs": list(self.epochs),
                "panels": latest}
