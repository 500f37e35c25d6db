"""Each op's local rule as text, written in the names a graph shows (``do/dn = 1 - o**2``).

An op-table row holds its rule in generic names (:attr:`autograd.ops.Op.rule`): ``x`` for
a unary op's input, ``a`` and ``b`` for a binary op's, ``out`` for the output, ``x_i`` /
``w_i`` for the inputs of a variadic op, the parameter's name (``n`` for pow). Here they
are replaced by the node's own names, so the stepper and the lab print the rule of *this*
node. The numbers always come from the row's ``partials``; the text only explains them.

>>> from autograd import Value
>>> x = Value(0.5, label="n")
>>> o = x.tanh()
>>> o.label = "o"
>>> rule_text(o, 0, ["n"], "o")
'1 - o**2'
>>> rule_names(o, 0, 1)["x"]
0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .node import children_of

if TYPE_CHECKING:
    from .node import Node
    from .ops import Op

__all__ = ["rule_names", "rule_template", "rule_text"]

_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_PARAM_ALIAS = {"exponent": "n"}  # pow's rule reads n * x**(n - 1)


def rule_template(op: Op, index: int, count: int) -> str | None:
    """The row's formula for input ``index`` of ``count``, in generic names (None if the op
    has no rule text)."""
    rule = op.rule
    if not rule:
        return None
    if op.arity is None:  # any number of inputs: one formula, or two halves (dot)
        return rule[0] if len(rule) == 1 else rule[0 if index < count // 2 else 1]
    return rule[index] if index < len(rule) else None


def rule_names(node: Node, index: int, count: int) -> dict[str, int | str | float]:
    """What each generic name of the rule for input ``index`` stands for: an input's
    position (int), ``"out"`` for the node itself, or the bound parameter's value."""
    op = node._fn
    names: dict[str, int | str | float] = {"out": "out"}
    if op.value is not None and op.param:
        names[op.param] = names[_PARAM_ALIAS.get(op.param, op.param)] = op.value
    if op.rule_args:
        names.update({arg: i for i, arg in enumerate(op.rule_args)})
    elif op.arity is None:
        half = count // 2
        if op.name == "dot":
            w, x = (index, index + half) if index < half else (index - half, index)
            names.update(w_i=w, x_i=x)
        else:
            names["x_i"] = index
    elif count == 1:
        names["x"] = 0
    else:
        names.update(a=0, b=1)
    return names


def rule_text(node: Node, index: int, input_names: Sequence[str], out_name: str) -> str:
    """The rule of ``node``'s input ``index`` with the graph's names put in ("" if none)."""
    op = node._fn
    if op is None:
        return ""
    count = len(children_of(node))
    template = rule_template(op, index, count)
    if template is None:
        return ""
    names = rule_names(node, index, count)

    def put(match: re.Match[str]) -> str:
        word = match.group(0)
        if word not in names:
            return word
        what = names[word]
        if what == "out":
            return out_name
        if isinstance(what, int):
            return input_names[what]
        return f"{what:g}"

    return _NAME.sub(put, template)
