"""A finished run as one self-contained HTML file: curves, boundary frames, the sample's
graph per frame, in the lab's viewer (its slider, keys and play walk the frames).

Everything is inline (the lab's front-end module and CSS, the data): no network. The
sample's graph is laid out once by Graphviz; each frame fills in its numbers and carries
its own part of the live panel (the step it shows, that step's boundary), the panel
drawing the curves up to that step.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from ...viz.labels import fmt_num
from ...viz.render import write_atomic
from ..page import page
from ..scene import initial_model
from .sample import WAITING

__all__ = ["RunRecord", "run_page", "save_run_html"]


class RunRecord(Protocol):
    """What a page is made from: a run's record (``run_log.LiveRun`` is one)."""

    title: str
    keys: list[str]
    frames: list[dict[str, Any]]
    latest: dict[str, Any] | None

    def snapshot(self) -> dict[str, Any]: ...

    def sent_steps(self) -> dict[str, Any]: ...

    def layout(self, key: str) -> str | None: ...


def _frame(panels: dict[str, Any], key: str | None) -> dict[str, Any]:
    sample = panels.get("sample") or {}
    same = key is not None and sample.get("key") == key
    where = f"epoch {panels.get('epoch', 0) + 1}, step {panels.get('step', 0)}"
    title = (f"{where}: sample #{sample['index']}, loss {fmt_num(sample['loss'])}" if same
             else where)
    return {"phase": "forward", "node": None, "kids": [], "edges": [],
            "set": sample.get("set", []) if same else [],
            "title": title, "text": "boxes: |grad| of this sample's own backward"}


def run_page(run: RunRecord) -> str:
    """The HTML text of the saved run."""
    snap = run.snapshot()
    frames = list(run.frames) or ([run.latest] if run.latest else [])
    last = frames[-1] if frames else {}
    key = (last.get("sample") or {}).get("key")
    panels = [{k: v for k, v in f.items() if k != "sample"} |
              {"sample": {k: v for k, v in (f.get("sample") or {}).items() if k != "set"}}
              for f in frames]
    steps = {"keys": list(run.keys), "rows": run.sent_steps()["rows"]}
    shown = [_frame(f, key) | {"panels": {"live": p}} for f, p in zip(frames, panels)]
    scene = {"version": 0, "title": run.title, "live": False,
             "frames": shown or [_frame({}, None)],
             "inspector": [], "forward": 1, "boxes": {}, "neurons": {}, "outputs": {},
             "root": 0, "output": {}, "leaves": [], "lr": 0.0, "message": "",
             "svg": (run.layout(key) if key else None) or WAITING, "overview": True,
             "panels": {"live": {"state": "saved", "steps": steps, "epochs": snap["epochs"],
                                 "points": snap["points"], **(panels[-1] if panels else {})}}}
    model = initial_model(scene)
    model["position"] = len(scene["frames"]) - 1  # a finished run opens at its end
    return page(run.title, {"model": model})


def save_run_html(run: RunRecord, path: str | os.PathLike[str]) -> Path:
    """Write the saved run to ``path`` (atomically); returns the path."""
    return write_atomic(path, run_page(run).encode("utf-8"))
