"""The lab's page as a file: ``save_backward_animation``, and ``save_graph`` by extension.

The page is the lab's viewer (:mod:`autograd.lab`) with every frame precomputed: values
filling in node by node, then one chain-rule step per op node, with the inspector, the
local rules and pan/zoom; only the live parts (sliders, gradient steps, check) are off.
The graph is laid out once by ``dot -Tsvg``; no network, no CDN. ``save_graph`` is the one
door to every format: the drawings come from :mod:`autograd.viz`, ``.html`` is this page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OptionError
from ..viz.render import FORMATS, find_dot
from ..viz.save import save_drawing
from .page import save_lab_html
from .state import LabState

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["save_backward_animation", "save_graph"]


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
    find_dot("lay out the backward animation")
    state = LabState(root, rankdir=rankdir, collapse=collapse, max_nodes=max_nodes, live=False)
    return save_lab_html(state, path)


def save_graph(root: Value, path: str | os.PathLike[str], **draw_kwargs: Any) -> Path:
    """Save the graph under ``root``; the extension picks the format.

    ``.svg .png .pdf`` are rendered by Graphviz's ``dot``; ``.dot`` is the DOT text (no
    binary needed); ``.html`` is the step-by-step backward animation. ``draw_kwargs``
    go to :func:`autograd.viz.draw_dot` (or the animation, for ``.html``).
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OptionError(f"save_graph: cannot tell the format of {os.fspath(path)!r}: "
                          f"the extension must be one of {', '.join(FORMATS)}")
    if suffix == ".html":
        return save_backward_animation(root, path, **draw_kwargs)
    return save_drawing(root, path, **draw_kwargs)
