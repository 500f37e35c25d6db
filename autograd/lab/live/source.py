"""The live view as a lab *source*: a scene for the lab's viewer, and the page's actions.

The scene is the lab viewer's (see :mod:`autograd.lab`): the chosen sample's graph, laid
out once by the lab and filled with this redraw's numbers as a single frame, plus one
``live`` panel holding the curves, the boundary, the layer bars and the controls' state
(drawn by ``static/live.js``). Actions: ``pause``, ``resume``, ``step``, ``pick``
(``{"index": i}``). The training thread alone touches the model; an action only asks.
"""

from __future__ import annotations

import threading
from typing import Any

from ...errors import OptionError
from ...viz.labels import fmt_num
from ..panels import panels_of
from ..user_numbers import checked_index
from .sample import LAYING_OUT, WAITING
from .watch import Watcher

__all__ = ["ACTIONS", "LiveSource"]

ACTIONS = ("pause", "resume", "step", "pick")


class LiveSource:
    """What the lab's server or widget shows for one training run."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.title = watcher.run.title
        self._acts = 0
        self._layouts = 0  # layouts sent so far (each one counts in the version)
        self._lock = threading.Lock()
        self._sent_key: Any = None  # the layout last sent: a key, or ("laying", key)
        self._live: dict[str, Any] | None = None

    def scene(self, svg: bool = True) -> dict[str, Any]:
        """The viewer's scene now; ``svg=False`` leaves the layout out unless its shape
        changed since the last scene sent."""
        with self._lock:  # the training thread and the layout's may both ask
            return self._scene(svg)

    def _scene(self, svg: bool) -> dict[str, Any]:
        run = self.watcher.run
        snap = run.snapshot()
        panels = snap["panels"] or {}
        sample = panels.get("sample") or {}
        key = sample.get("key")
        worst = " (the largest loss)" if sample.get("worst") else ""
        text = (f"sample #{sample['index']}{worst}: loss {fmt_num(sample['loss'])}" if key
                else sample.get("error", "waiting for the first step"))
        frame = {"phase": "forward", "node": None, "kids": [], "edges": [],
                 "set": sample.get("set", []),
                 "title": text, "text": "boxes: |grad| of this sample's own backward; "
                 "click a data point to pick another sample"}
        live = {**snap, "panels": None, **{k: v for k, v in panels.items() if k != "sample"},
                "sample": {k: v for k, v in sample.items() if k != "set"},
                "actions": list(ACTIONS)}
        self._live = live
        scene: dict[str, Any] = {
            "version": snap["version"] + self._acts + self._layouts, "title": self.title,
            "live": False,
            "frames": [frame], "inspector": [], "forward": 1, "boxes": {}, "neurons": {},
            "outputs": {}, "root": 0, "output": {}, "leaves": [], "lr": 0.0, "message": "",
            "panels": panels_of(self),
            "stepper": False}  # one frame: the live panel's buttons step training instead
        if svg or key != self._sent_key:
            sent = self._sent_key
            laid = run.layout(key, wait=svg) if key else None
            if key and laid is None:  # laid out off the training thread: a later scene has it
                if self._sent_key != ("laying", key):
                    scene["svg"], self._sent_key = LAYING_OUT, ("laying", key)
            else:
                scene["svg"], self._sent_key = laid or WAITING, key
            if self._sent_key != sent:  # a new layout is news even when no number moved:
                self._layouts += 1  # a newer version, so no page skips it as seen
                scene["version"] += 1
        return scene

    def panel_live(self) -> dict[str, Any] | None:
        """The live panel's data (``static/live.js`` draws it): curves, boundary, layers."""
        return self._live

    def _index(self, index: Any) -> int:
        """A picked sample: a whole number in range, else a clear error for the page."""
        X = self.watcher.X
        if X is None or self.watcher.sample_graph is None:
            raise OptionError("live: this run draws no sample graph, so there is nothing "
                              "to pick")
        return checked_index("live: pick index", index, len(X))

    def act(self, action: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        """Pause, resume, single step or pick a sample; returns the scene."""
        controls, args = self.watcher.controls, args or {}
        if action == "pause":
            controls.pause()
        elif action == "resume":
            controls.resume()
        elif action == "step":
            controls.step()
        elif action == "pick":
            controls.pick(self._index(args.get("index")))
            if self.watcher.finished:  # no training loop to draw it: the model is free now
                self.watcher.redraw_pick()
        else:
            raise OptionError(f"live: unknown action {action!r}; expected one of "
                              f"{', '.join(ACTIONS)}")
        self._acts += 1
        return self.scene(svg=False)
