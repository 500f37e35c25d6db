"""The sentences the lab shows: a node's forward computation and its local rule, written
with the graph's names and then with numbers (Python computes and formats every one).

>>> from autograd import Value
>>> n = Value(0.8814, label="n")
>>> o = n.tanh()
>>> o.label = "o"
>>> forward_text(o, ["n"], "o")
'o = tanh(n) = tanh(0.8814) = 0.7071'
>>> local_rule_lines(o, ["n"], "o")
['do/dn = 1 - o**2 = 1 - 0.7071**2 = 0.5000']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..graph import children_of, local_partials
from ..rule_text import rule_names, rule_template, rule_text
from ..viz.labels import fmt_num

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["forward_text", "is_number", "local_rule_lines", "number"]

_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "powv": "**"}
_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_SHOWN = 3  # inputs written out for a wide node before "..."


def number(x: float) -> str:
    """A number as the lab writes it inside a formula: four decimals, negatives in
    parentheses so ``(-3.0000)**2`` reads right."""
    text = fmt_num(x)
    return f"({text})" if text.startswith("-") else text


def _apply(node: Value, args: Sequence[str]) -> str:
    """The op applied to ``args`` (names or numbers) as the viewer writes it."""
    op = node._fn
    if op.name in _INFIX and len(args) == 2:
        return f"{args[0]} {_INFIX[op.name]} {args[1]}"
    if op.name == "neg":
        return f"-{args[0]}"
    if op.name == "pow":
        return f"{args[0]}**{op.value:g}"
    shown = list(args)
    if len(shown) > 2 * _SHOWN:
        shown = shown[:_SHOWN] + ["..."] + shown[-1:]
    extra = ""
    if op.param and op.value is not None and op.name != "sum":
        extra = f", {op.value:g}"
    elif op.name == "sum" and op.value:
        extra = f", start={op.value:g}"
    return f"{op.name}({', '.join(shown)}{extra})"


def forward_text(node: Value, input_names: Sequence[str], name: str) -> str:
    """``#2 = x1 * w1 = 2.0000 * (-3.0000) = -6.0000``; a leaf: ``x1 = 2.0000``."""
    if node._fn is None:
        return f"{name} = {fmt_num(node.data)}"
    kids = children_of(node)
    with_names = _apply(node, input_names)
    with_numbers = _apply(node, [number(c.data) for c in kids])
    return f"{name} = {with_names} = {with_numbers} = {fmt_num(node.data)}"


def _numbers_in(node: Value, index: int, count: int, template: str) -> str:
    kids = children_of(node)
    names = rule_names(node, index, count)

    def put(match: re.Match[str]) -> str:
        what = names.get(match.group(0))
        if what is None:
            return match.group(0)
        if what == "out":
            return number(node.data)
        return number(kids[what].data) if isinstance(what, int) else f"{what:g}"

    return _NAME.sub(put, template)


def local_rule_lines(node: Value, input_names: Sequence[str], name: str) -> list[str]:
    """Per input: ``do/dn = 1 - o**2 = 1 - 0.7071**2 = 0.5000`` (the rule in names, in
    numbers, and the partial the op table computes). Identical lines are kept once."""
    if node._fn is None:
        return []
    kids, partials = local_partials(node)
    lines: list[str] = []
    for i, local in enumerate(partials):
        head = f"d{name}/d{input_names[i]}"
        template = rule_template(node._fn, i, len(kids))
        if template is None:
            line = f"{head} = {fmt_num(float(local))}  (no rule text for op {node.op!r})"
        else:
            text = rule_text(node, i, input_names, name)
            filled = _numbers_in(node, i, len(kids), template)
            value = fmt_num(float(local))
            parts = [head, text]
            if not is_number(filled.strip("()")):
                parts.append(filled)  # a formula: show it with its numbers put in
            if not is_number(text):
                parts.append(value)
            line = " = ".join(parts)
        if line not in lines:
            lines.append(line)
    return lines


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain number (``1``, ``-1``, ``0.5``)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
