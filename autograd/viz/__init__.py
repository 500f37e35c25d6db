"""Drawing graphs: DOT text, a text tree for terminals, rendering, the backward replay.

Drawing is a pure function to DOT text (:mod:`.dot`); turning DOT into SVG/PNG/PDF with
Graphviz is a separate step (:mod:`.render`) that explains how to install ``dot``.
"""

from .animation import save_backward_animation
from .dot import draw_dot
from .save import repr_svg, save_graph
from .text import draw_text

__all__ = ["draw_dot", "draw_text", "save_graph", "save_backward_animation", "repr_svg"]
