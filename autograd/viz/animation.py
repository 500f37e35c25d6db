"""``save_backward_animation``: the backward pass as one self-contained HTML page.

The graph is laid out once by ``dot -Tsvg``; each frame is a compact JSON record (the
step's node, its inputs, the chain-rule text and the gradients it changes) that a small
script applies to that one SVG. No network, no CDN: the file works offline, and a
300-node graph stays a few hundred kilobytes.
"""

from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..graph import topo_order
from ..trace import BackwardStep, node_name, trace_backward
from .dot import animation_dot, fmt_num
from .render import find_dot, render, write_atomic

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["save_backward_animation"]

_SLOT = re.compile(r"\{\{(TITLE|SVG|DATA)\}\}")


def _step_frame(step: BackwardStep, total: int) -> dict[str, Any]:
    k = step.number
    count = len(step.updates)
    return {
        "node": k,
        "kids": sorted({u.number for u in step.updates}),
        "edges": [f"e{k}_{i}" for i in range(count)] + [f"e{k}"],
        "set": [[k, fmt_num(step.node.grad)]] + [[u.number, fmt_num(u.grad_after)]
                                                 for u in step.updates],
        "title": f"step {step.position} of {total}: {step.name} [{step.symbol}] sends "
                 f"its grad {fmt_num(step.upstream)} to its {count} "
                 f"input{'s' if count != 1 else ''}",
        "text": str(step),
    }


def _trace(root: Value, rankdir: str, max_nodes: int) -> tuple[list[dict[str, Any]], str]:
    """The frames, and the DOT layout drawn with the final gradients (so every box is wide
    enough for its text), from a fresh backward; every ``.grad`` is restored after."""
    order = topo_order(root)
    saved = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        steps = list(trace_backward(root))  # seeds the root, runs hooks, fills every .grad
        k = len(order) - 1
        name = node_name(root, k)
        seed = fmt_num(root.grad)
        frames = [{"node": k, "kids": [], "edges": [], "set": [[k, seed]],
                   "title": f"start: {name}.grad is seeded with {seed}",
                   "text": f"{name}.grad = {seed}  (d{name}/d{name} = 1)"}]
        frames.extend(_step_frame(step, len(steps)) for step in steps)
        return frames, animation_dot(root, rankdir, max_nodes).source
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def save_backward_animation(root: Value, path: str | os.PathLike[str], rankdir: str = "LR",
                            max_nodes: int = 1000) -> Path:
    """Write one HTML file that steps through ``root``'s backward pass, offline.

    Frame 0 seeds the root; each next frame is one chain-rule step: the node highlighted,
    its input edges labelled with their local derivatives, the step's text beside the
    graph. Prev/next buttons, a slider, arrow keys and play. The animation runs backward
    from zero gradients (hooks run) and leaves every ``.grad`` as it was. Needs
    Graphviz's ``dot`` for the layout (else ``GraphvizNotFound``).
    """
    find_dot("lay out the backward animation")
    frames, source = _trace(root, rankdir, max_nodes)
    svg = render(source, "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: inline SVG
    title = f"Backward pass of {root.label or 'the output'} ({len(frames) - 1} steps)"
    payload = {"frames": frames, "count": frames[0]["node"] + 1}  # the root is the last node
    data = (json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    template = resources.files("autograd.viz").joinpath("animation_template.html")
    page = template.read_text(encoding="utf-8")
    slots = {"TITLE": html.escape(title), "SVG": svg, "DATA": data}
    page = _SLOT.sub(lambda m: slots[m.group(1)], page)
    return write_atomic(path, page.encode("utf-8"))
