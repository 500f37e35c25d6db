"""``save_backward_animation``: the graph's forward and backward passes as one offline page.

The page is the lab's viewer (:mod:`autograd.lab`) with every frame precomputed: values
filling in node by node, then one chain-rule step per op node, with the inspector, the
local rules and pan/zoom; only the live parts (sliders, gradient steps, check) are off.
The graph is laid out once by ``dot -Tsvg``; no network, no CDN.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .render import find_dot

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["save_backward_animation"]


def save_backward_animation(root: Value, path: str | os.PathLike[str], rankdir: str = "LR",
                            max_nodes: int = 1000, collapse: bool | None = None) -> Path:
    """Write one HTML file that steps through ``root``'s forward and backward pass, offline.

    Frame 0 shows the inputs; each forward frame computes one op node; then the root is
    seeded and each backward frame is one chain-rule step (the node highlighted, its input
    edges labelled with their local derivatives, the step's text and local rule beside
    the graph). Prev/next buttons, a slider, arrow keys and play; click a node for its
    chain-rule sum. Backward runs from zero gradients (hooks run) and every ``.grad`` is
    left as it was. ``collapse=True`` draws one box per ``nn`` neuron (the default for
    large nn graphs). Needs Graphviz's ``dot`` for the layout (else ``GraphvizNotFound``).
    """
    # The page is the lab's viewer; the import sits here so that drawing a graph never
    # loads the lab's modules.
    from ..lab.page import save_lab_html
    from ..lab.state import LabState

    find_dot("lay out the backward animation")
    state = LabState(root, rankdir=rankdir, collapse=collapse, max_nodes=max_nodes, live=False)
    return save_lab_html(state, path)
