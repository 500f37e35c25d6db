"""The lab's timeline: forward frames (values fill in, node by node, in topological order)
then backward frames (the root seeded, then one chain-rule step per op node).

Each frame says which node it is about, which boxes' texts change and to what
(``set``: ``[box id, field, text]``), which nodes' grads change (``grads``), which edges
light up, the sentence to show, and what predict mode asks (``ask``: the right numbers, so a
page checks an answer with no Python). The viewer applies frames 0..i to a blank drawing
to show frame i, so every number on screen is one Python wrote here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..graph import children_of
from ..trace import BackwardStep
from ..viz.labels import fmt_num
from .layout import Layout
from .sentences import forward_text

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["BLANK", "build_frames", "finite"]

BLANK = "—"  # a number not computed yet


def finite(x: float | None) -> float | None:
    """A number for JSON: None where it is not finite."""
    return float(x) if x is not None and math.isfinite(x) else None


def _forward_ask(node: Value, k: int, name: str, text: str) -> dict[str, object]:
    """Predict mode's forward question: the node's value, its formula shown up to ``= ?``."""
    shown = text.rsplit(" = ", 1)[0] if text.count(" = ") >= 2 else f"{name} = {node.op}(...)"
    return {"node": k, "name": name, "field": "data", "right": finite(node.data),
            "question": f"{shown} = ?", "answer": text}


def _backward_asks(step: BackwardStep, names: list[str],
                   num: dict[Value, int]) -> list[dict[str, object]]:
    """Predict mode's backward questions: each input's grad after this step, with the
    factors of its chain-rule term and the numbers a wrong local derivative is often taken
    from (``near``), for the diagnosis of a wrong answer."""
    near = [[f"the value of {names[num[c]]}", finite(c.data)] for c in children_of(step.node)]
    near.append([f"the value of {step.name}", finite(step.node.data)])
    asks: dict[int, dict[str, object]] = {}
    for u in step.updates:
        ask = asks.setdefault(u.number, {
            "node": u.number, "name": u.name, "field": "grad", "before": finite(u.grad_before),
            "up": finite(step.upstream), "via": step.name, "terms": [], "near": near})
        ask["right"] = finite(u.grad_after)
        ask["terms"].append({"local": finite(u.local), "rule": u.rule})  # type: ignore[union-attr]
    for ask in asks.values():
        ask["question"] = f"{ask['name']}.grad after this step = ?"
    return list(asks.values())


class _Boxes:
    """What every box shows so far, and the changes since the last frame."""

    def __init__(self, order: list[Value], layout: Layout) -> None:
        self.order, self.layout = order, layout
        self.known: set[int] = set()
        self.grads: dict[int, float] = {}
        self.shown: dict[tuple[str, str], str] = {}

    def _grad(self, k: int) -> str:
        return fmt_num(self.grads[k]) if k in self.grads else BLANK

    def texts(self, box: str) -> dict[str, str]:
        layout = self.layout
        if box in layout.neurons:
            out = layout.outputs[box]
            params = [k for k in layout.neurons[box] if not self.order[k].op]
            reached = [abs(self.grads[k]) for k in params if k in self.grads]
            worst = (float("nan") if any(g != g for g in reached) else max(reached)) \
                if reached else None
            return {"data": fmt_num(self.order[out].data) if out in self.known else BLANK,
                    "grad": self._grad(out),
                    "max |param grad|": BLANK if worst is None else fmt_num(worst)}
        k = int(box[1:])
        return {"data": fmt_num(self.order[k].data) if k in self.known else BLANK,
                "grad": self._grad(k)}

    def changes(self, nodes: Iterable[int]) -> list[list[str]]:
        out = []
        for box in dict.fromkeys(self.layout.box[k] for k in nodes):
            for name, text in self.texts(box).items():
                if self.shown.get((box, name), BLANK) != text:
                    self.shown[box, name] = text
                    out.append([box, name, text])
        return out


def _edges(layout: Layout, node: Value, k: int) -> list[str]:
    if layout.box[k] != f"n{k}":
        return []
    return [f"e{k}_{i}" for i in range(len(children_of(node)))] + [f"e{k}"]


def build_frames(order: list[Value], names: list[str], layout: Layout,
                 steps: list[BackwardStep], final: list[float]) -> list[dict[str, Any]]:
    """Every frame of the timeline, forward then backward (see the module docstring)."""
    num = {node: k for k, node in enumerate(order)}
    boxes = _Boxes(order, layout)
    ops = [k for k, node in enumerate(order) if node.op]
    leaves = [k for k, node in enumerate(order) if not node.op]
    boxes.known.update(leaves)
    frames: list[dict[str, Any]] = [{
        "phase": "forward", "node": None, "kids": leaves, "edges": [],
        "set": boxes.changes(leaves),
        "title": f"forward pass: the {len(leaves)} input{'s' if len(leaves) != 1 else ''} "
                 "hold their values",
        "text": "\n".join(forward_text(order[k], [], names[k]) for k in leaves[:12])
                + ("\n..." if len(leaves) > 12 else "")}]
    for j, k in enumerate(ops, 1):
        node = order[k]
        kids = [num[c] for c in children_of(node)]
        boxes.known.add(k)
        text = forward_text(node, [names[c] for c in kids], names[k])
        frames.append({"phase": "forward", "node": k, "kids": sorted(set(kids)),
                       "edges": _edges(layout, node, k), "set": boxes.changes([k]),
                       "title": f"forward {j} of {len(ops)}: {names[k]} ({node.op})",
                       "text": text, "ask": [_forward_ask(node, k, names[k], text)]})
    root = len(order) - 1
    seed = boxes.grads[root] = final[root]
    frames.append({"phase": "backward", "node": root, "kids": [], "edges": [],
                   "set": boxes.changes([root]),
                   "grads": [[root, fmt_num(seed), finite(seed)]],
                   "ask": [{"node": root, "name": names[root], "field": "grad",
                            "right": finite(seed), "seed": True,
                            "question": f"d{names[root]}/d{names[root]} = ?"}],
                   "title": f"backward pass: {names[root]}.grad is seeded with {fmt_num(seed)}",
                   "text": f"{names[root]}.grad = {fmt_num(seed)}  "
                           f"(d{names[root]}/d{names[root]} = 1)"})
    for step in steps:
        boxes.grads[step.number] = final[step.number]
        for u in step.updates:
            boxes.grads[u.number] = u.grad_after
        touched = [step.number, *(u.number for u in step.updates)]
        changed = {u.number: u.grad_after for u in step.updates}
        count = len(step.updates)
        frames.append({"phase": "backward", "node": step.number,
                       "kids": sorted({u.number for u in step.updates}),
                       "edges": _edges(layout, step.node, step.number),
                       "set": boxes.changes(touched),
                       "grads": [[n, fmt_num(g), finite(g)] for n, g in changed.items()],
                       "ask": _backward_asks(step, names, num),
                       "labels": [[f"e{step.number}_{i}", fmt_num(u.local)]
                                  for i, u in enumerate(step.updates)]
                       if layout.box[step.number] == f"n{step.number}" else [],
                       "title": f"backward {step.position} of {len(steps)}: {step.name} "
                                f"[{step.symbol}] sends its grad {fmt_num(step.upstream)} to "
                                f"its {count} input{'s' if count != 1 else ''}",
                       "text": "\n".join(step.explain())})
    return frames
