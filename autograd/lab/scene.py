"""The lab's data, declared once: the *scene* a source computes, and the *model* keys a host
keeps (anywidget's model; the static page's and the server page's small models mirror it).

``static/viewer_base.js`` restates these keys as JSDoc typedefs (``Scene``, ``Frame``,
``LabModel``); a test reads both and checks they agree. Every number a page shows is in a
scene; everything a page's state is (the frame shown, predict mode, the score) is a model key,
so a host that can store keys (a notebook, a URL, marimo) can restore a page exactly.
A page's URL keeps them in its hash (a lesson link: ``static/viewer_link.js``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypedDict

from ..errors import OptionError

__all__ = ["CONTROLS", "Frame", "LabModel", "Scene", "Source", "controls", "initial_model",
           "new_score"]

# The groups of controls a page can hide (``hide``; a lesson link's ``hide=``), each with
# what it is; ``static/viewer_link.js`` lists the same names.
CONTROLS = {"inputs": "the inputs' sliders, learning rate, gradient step and check",
            "predict": "the Predict switch", "stepper": "the frame buttons and slider",
            "inspector": "the inspector", "zoom": "the zoom buttons", "legend": "the legend",
            "share": "the Share button"}


class _FrameKeys(TypedDict):
    phase: str  # "forward" or "backward"
    node: int | None  # the node this frame is about
    kids: list[int]  # its inputs (forward) or the inputs it sends grads to (backward)
    edges: list[str]  # edge ids that light up
    set: list[list[str]]  # [box id, field, text]: what the drawing's boxes now show
    title: str
    text: str


class Frame(_FrameKeys, total=False):
    """One step of the timeline; the viewer shows frame i as frames 0..i applied in turn."""

    labels: list[list[str]]  # [edge id, text]: local derivatives written on edges
    grads: list[list[Any]]  # [node, text, value]: grads that change at this frame
    ask: list[dict[str, Any]]  # predict mode: what the learner types for this frame
    near: list[list[Any]]  # predict mode: [what, value] a wrong local derivative may come from
    panels: dict[str, Any]  # panel data that changes with the frame (a saved run)


class _SceneKeys(TypedDict):
    version: int  # grows with every change, so a page takes each scene once
    title: str
    live: bool  # whether a Python process answers actions
    frames: list[Frame]
    forward: int  # frames before this index are the forward pass
    inspector: list[dict[str, Any]]  # one record per node, index = node number
    boxes: dict[int, str]  # node number -> the id of its box in the SVG
    neurons: dict[str, str]  # neuron box id -> its parameter path
    outputs: dict[str, int]  # neuron box id -> its output node
    root: int  # the output's node number
    output: dict[str, Any]  # the output's name, value and grad texts
    leaves: list[dict[str, Any]]  # the inputs a page can change
    lr: float
    message: str
    panels: dict[str, Any]  # panel name -> its data (see lab/panels.py)


class Scene(_SceneKeys, total=False):
    """Everything a viewer draws; JSON-ready."""

    svg: str  # the layout; only when it is new
    overview: bool  # open the whole drawing however small
    stepper: bool  # False: no frame controls (a live training view steps training instead)
    expr: str  # the expression the graph was built from, when it was (a lesson link names it)


class LabModel(TypedDict):
    """The keys of a page's model (the notebook widget's traits have these names)."""

    svg: str  # the layout, once
    scene: Scene  # the numbers (without its svg)
    position: int  # the frame shown
    values: dict[str, float]  # each input's value; a page sets it to move an input
    lr: float  # the gradient step's learning rate
    quiz: bool  # predict mode: the learner types each value and gradient
    score: dict[str, int]  # predict mode's tally: right, wrong, reached, missed
    hide: list[str]  # the groups of controls not shown (names in CONTROLS)


class Source(Protocol):
    """What a host shows: a title, a scene, and actions that change it (:class:`LabState`
    for a graph; a live training view)."""

    title: str

    def scene(self, svg: bool = True) -> Any: ...

    def act(self, action: str, args: dict[str, Any] | None = None) -> Any: ...


def controls(hide: Iterable[str] | str | None) -> list[str]:
    """The groups of controls to hide, checked (a comma-separated text is read too)."""
    names = [n.strip() for n in hide.split(",") if n.strip()] if isinstance(hide, str) \
        else list(hide or ())
    for name in names:
        if name not in CONTROLS:
            raise OptionError(f"hide: unknown control group {name!r}; expected some of "
                              f"{', '.join(CONTROLS)}")
    return list(dict.fromkeys(names))


def initial_model(scene: dict[str, Any], quiz: bool = False,
                  hide: Iterable[str] | str | None = None) -> LabModel:
    """A page's first model: the scene's layout and numbers, at frame 0, nothing answered,
    the ``hide`` groups of controls hidden."""
    numbers = {k: v for k, v in scene.items() if k != "svg"}
    values = {leaf["key"]: leaf["value"] for leaf in scene.get("leaves", [])
              if leaf.get("value") is not None}
    return LabModel(svg=scene.get("svg", ""), scene=numbers,  # type: ignore[typeddict-item]
                    position=0, values=values, lr=float(scene.get("lr", 0.1)),
                    quiz=bool(quiz), score=new_score(), hide=controls(hide))


def new_score() -> dict[str, int]:
    """Predict mode's tally before the first answer (``missed``: the frame last missed)."""
    return {"right": 0, "wrong": 0, "reached": 0, "missed": -1}
