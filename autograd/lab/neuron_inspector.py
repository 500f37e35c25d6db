"""What the inspector shows for one collapsed ``nn`` neuron box: its ``w·x + b``, its
activation's local rule, and its chain-rule sum, with the numbers of this graph.

    n = w·x + b = 0.3000·0.5000 + (-0.2000)·1.0000 + 0.1000 = 0.0500
    o = relu(n) = relu(0.0500) = 0.0500
    do/dn = (1 if n > 0 else 0) = 1.0000
    dL/dn = dL/do · do/dn = 2.0000 · 1.0000 = 2.0000
    dL/dw_i = dL/dn · x_i: w.0 1.0000, w.1 2.0000;  dL/db = dL/dn = 2.0000
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..graph import children_of, local_partials
from ..viz.labels import fmt_num
from .layout import Layout
from .sentences import local_rule_lines, number

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["inspect_neurons"]

_SHOWN = 4  # weights written out before "..."
_PARAM = re.compile(r"\.(w\.\d+|b)$")


def _weights(members: list[int], order: list[Value]) -> list[tuple[int, float]]:
    """Each weight's node and the input it multiplies (its consumer's local derivative)."""
    inside = set(members)
    out = []
    for k in members:
        node = order[k]
        if node.op or not re.search(r"\.w\.\d+$", node.label):
            continue
        for t in members:
            consumer = order[t]
            if t in inside and consumer.op and node in children_of(consumer):
                kids, partials = local_partials(consumer)
                out.append((k, float(partials[kids.index(node)])))
                break
    return out


def _terms(pairs: list[str]) -> str:
    return " + ".join(pairs[:_SHOWN]) + (" + ..." if len(pairs) > _SHOWN else "")


def _record(box: str, layout: Layout, order: list[Value], final: list[float],
            step_frame: dict[int, int]) -> dict[str, Any]:
    members = layout.neurons[box]
    out = layout.outputs[box]
    top = order[out]
    kids = children_of(top)
    num = {order[k]: k for k in members}
    act = len(kids) == 1 and kids[0] in num
    pre = num[kids[0]] if act else out
    weights = _weights(members, order)
    bias = next((k for k in members if not order[k].op and order[k].label.endswith(".b")), None)
    products = [f"{number(order[w].data)}·{number(x)}" for w, x in weights]
    if bias is not None:
        products.append(number(order[bias].data))
    shown = f"{_terms(products)} = " if products else ""
    lines = [f"n = w·x + b = {shown}{fmt_num(order[pre].data)}"]
    rules = [f"dn/dw_i = x_i,  dn/db = 1  ({len(weights)} weights)"]
    grads: list[str] = []
    if act:
        lines.append(f"o = {top.op}(n) = {top.op}({fmt_num(order[pre].data)}) = "
                     f"{fmt_num(top.data)}")
        rules[:0] = local_rule_lines(top, ["n"], "o")
        local = float(local_partials(top)[1][0])
        grads.append(f"dL/dn = dL/do · do/dn = {number(final[out])} · {number(local)} = "
                     f"{fmt_num(final[pre])}")
    short = [f"{_PARAM.search(order[w].label).group(1)} {fmt_num(final[w])}"  # type: ignore[union-attr]
             for w, _ in weights]
    grads.append("dL/dw_i = dL/dn · x_i: " + ", ".join(short[:_SHOWN])
                 + (", ..." if len(short) > _SHOWN else ""))
    if bias is not None:
        grads.append(f"dL/db = dL/dn = {fmt_num(final[bias])}")
    steps = [step_frame[k] for k in members if k in step_frame]
    return {"box": box, "path": layout.names[box], "forward": lines, "rules": rules,
            "grads": grads, "grad_frame": max(steps) if steps else None}


def inspect_neurons(order: list[Value], layout: Layout, final: list[float],
                    step_frame: dict[int, int]) -> dict[str, dict[str, Any]]:
    """One record per collapsed neuron box, by box id."""
    return {box: _record(box, layout, order, final, step_frame) for box in layout.neurons}
