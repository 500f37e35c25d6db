"""``save_backward_animation``: the graph's forward and backward passes as one offline page.

The page is the lab's viewer (:mod:`autograd.lab`) with every frame precomputed: values
filling in node by node, then one chain-rule step per op node, with the inspector, the
local rules and pan/zoom; only the live parts (sliders, gradient steps, check) are off.
The graph is laid out once by ``dot -Tsvg``; no network, no CDN.

The lab sits above the drawings, so this module cannot import it: the lab hands its page
writer over with :func:`set_page_writer` when ``autograd`` is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AutogradError
from .render import find_dot

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["save_backward_animation", "set_page_writer"]

PageWriter = Callable[..., Path]
_writer: PageWriter | None = None


def set_page_writer(writer: PageWriter) -> None:
    """Install the function that writes the viewer page: ``writer(root, path, rankdir=,
    max_nodes=, collapse=)`` (the lab does this)."""
    global _writer
    _writer = writer


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
    if _writer is None:  # only when autograd.viz is loaded without the autograd package
        raise AutogradError("save_backward_animation: the viewer page comes from autograd.lab; "
                            "import autograd (or autograd.lab) first")
    return _writer(root, path, rankdir=rankdir, max_nodes=max_nodes, collapse=collapse)
