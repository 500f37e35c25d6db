"""Drawing graphs: DOT text, a text tree for terminals, rendering.

Drawing is a pure function to DOT text (:mod:`.dot`); turning DOT into SVG/PNG/PDF with
Graphviz is a separate step (:mod:`.render`) that explains how to install ``dot``.
"""

from .dot import draw_dot
from .save import repr_svg, save_drawing
from .text_tree import draw_text

__all__ = ["draw_dot", "draw_text", "save_drawing", "repr_svg"]
