"""The safe expression language: ``"n = x*w + b; o = tanh(n)"`` to a graph, never ``eval``.

Text is parsed with ``ast`` into a whitelist of node kinds (:mod:`.compile`), within the
caps of :mod:`.limits`; every refusal is one line with a column (:mod:`.errors`).
"""

from .messages import format_error
from .parser import Expression, evaluate, parse, parse_assignment

__all__ = ["Expression", "parse", "evaluate", "parse_assignment", "format_error"]
