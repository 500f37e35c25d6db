"""Saving a drawing to a file by its extension, and showing it in a notebook.

Both draw with :func:`~autograd.viz.draw_dot` and render with Graphviz (:mod:`.render`).
``autograd.save_graph`` adds ``.html``, the lab's page, above this (:mod:`autograd.lab.offline`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GraphTooLargeError, OptionError
from .dot import draw_dot
from .render import FORMATS, render, write_atomic

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["repr_svg", "save_drawing"]


def save_drawing(root: Value, path: str | os.PathLike[str], **draw_kwargs: Any) -> Path:
    """Save the drawing of the graph under ``root``; the extension picks the format.

    ``.svg .png .pdf`` are rendered by Graphviz's ``dot``; ``.dot`` is the DOT text (no
    binary needed). ``draw_kwargs`` go to :func:`autograd.viz.draw_dot`.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS or suffix == ".html":
        raise OptionError(f"save_graph: cannot tell the format of {os.fspath(path)!r}: "
                          f"the extension must be one of {', '.join(FORMATS)}")
    source = draw_dot(root, **draw_kwargs).source
    data = source.encode("utf-8") if suffix == ".dot" else render(source, suffix[1:])
    return write_atomic(path, data)


def repr_svg(root: Value, **draw_kwargs: Any) -> str | None:
    """The graph as SVG text for Jupyter, or None (so it falls back to text) when ``dot``
    is missing or the graph is too large to draw."""
    if shutil.which("dot") is None:
        return None
    try:
        return render(draw_dot(root, **draw_kwargs).source, "svg").decode("utf-8")
    except GraphTooLargeError:
        return None
