"""A command's EXPR and NAME=NUMBER arguments read into an expression, its graph and the
input values, refusing names that are unknown or given twice."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Value
from ..errors import ExpressionError
from ..expr.names import unicode_note
from ..expr.parser import Expression, parse, parse_assignment

__all__ = ["read_inputs"]


def read_inputs(text: str,
                assignments: Sequence[str]) -> tuple[Expression, Value, dict[str, float]]:
    """Parse EXPR and the NAME=NUMBER list; evaluate; refuse unknown or repeated names."""
    expr = parse(text)
    values: dict[str, float] = {}
    for item in assignments:
        name, number = parse_assignment(item)
        if name in values:
            raise ExpressionError(f"variable {name!r} is given twice; expected one NAME=NUMBER "
                                  "per variable")
        if name not in expr.variables:
            uses = ", ".join(expr.variables) or "no variables"
            raise ExpressionError(f"variable {name!r}{unicode_note(name)} is not used by the "
                                  f"expression; it uses {uses}")
        values[name] = number
    return expr, expr.evaluate(values), values
