"""Drawing graphs: DOT text, a text tree for terminals, rendering.

Drawing is a pure function to DOT text (:mod:`.dot`); turning DOT into SVG/PNG/PDF with
Graphviz is a separate step (:mod:`.render`) that explains how to install ``dot``. Each
name loads on first use: the text tree needs only the standard library, DOT the
``graphviz`` package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attach

if TYPE_CHECKING:
    from .dot import draw_dot
    from .save import repr_svg, save_drawing
    from .text_tree import draw_text

__all__ = ["draw_dot", "draw_text", "save_drawing", "repr_svg"]

_LAZY = {
    "draw_dot": ".dot",
    "repr_svg": ".save", "save_drawing": ".save",
    "draw_text": ".text_tree",
}


__getattr__, __dir__ = attach(__name__, _LAZY, globals())
