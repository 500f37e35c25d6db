"""What the lab's inspector shows for one node: its op, data and grad, how it was computed,
its op's local rule, and its gradient as the full chain-rule sum over its consumers.

``dL/da = dL/dt1 * dt1/da + dL/dt2 * dt2/da = 0.5000 * 2.0000 + 0.5000 * 3.0000 = 2.5000``
(L is the output). Each term also names the backward frame that adds it, and each record
the frames where its value and its whole gradient appear, so the viewer shows no number
before the frame that computes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..graph import children_of, local_partials
from ..rule_text import rule_text
from ..viz.labels import fmt_num
from .sentences import forward_text, is_number, local_rule_lines, number

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["inspect_nodes"]


def inspect_nodes(order: list[Value], names: list[str], final: list[float],
                  step_frame: dict[int, int], seed_frame: int) -> list[dict[str, Any]]:
    """One inspector record per node, in topological order (index = node number).

    ``data_frame``: the forward frame that computes its value; ``grad_frame``: the backward
    frame after which its gradient is whole; ``back``: the frame of its own backward step."""
    num = {node: k for k, node in enumerate(order)}
    consumers: list[list[tuple[int, int, float]]] = [[] for _ in order]  # (t, input, local)
    for t, node in enumerate(order):
        if node.op:
            kids, partials = local_partials(node)
            for i, (kid, local) in enumerate(zip(kids, partials)):
                consumers[num[kid]].append((t, i, float(local)))
    inputs = [[num[c] for c in children_of(node)] for node in order]
    out = []
    forward_frame, j = {}, 0
    for k, node in enumerate(order):
        if node.op:
            j += 1
        forward_frame[k] = j if node.op else 0
    for k, node in enumerate(order):
        kids = inputs[k]
        kid_names = [names[c] for c in kids]
        record: dict[str, Any] = {
            "name": names[k], "number": k, "op": node.op or "leaf",
            "symbol": node._op, "data": fmt_num(node.data), "grad": fmt_num(final[k]),
            "forward": forward_text(node, kid_names, names[k]),
            "rules": local_rule_lines(node, kid_names, names[k]),
            "inputs": kids, "consumers": sorted({t for t, _, _ in consumers[k]}),
            "data_frame": forward_frame[k], "back": step_frame.get(k),
        }
        record.update(_chain_sum(k, order, inputs, names, final, consumers[k], step_frame,
                                 seed_frame))
        out.append(record)
    return out


def _chain_sum(k: int, order: list[Value], inputs: list[list[int]], names: list[str],
               final: list[float], terms: list[tuple[int, int, float]],
               step_frame: dict[int, int], seed_frame: int) -> dict[str, Any]:
    root = len(order) - 1
    name, out_name = names[k], names[root]
    head = f"dL/d{name}"
    if k == root:
        return {"sum": [f"{head} = 1  (L = {out_name}, the output: the seed)"],
                "terms": [{"text": "seed", "up": fmt_num(final[k]), "frame": seed_frame}],
                "grad_frame": seed_frame}
    if not terms:
        return {"sum": [f"{head} = 0  (no path to the output)"], "terms": [],
                "grad_frame": seed_frame}
    symbols, numbers, items = [], [], []
    for t, i, local in terms:
        tn = names[t]
        symbols.append(f"dL/d{tn} * d{tn}/d{name}")
        numbers.append(f"{number(final[t])} * {number(local)}")
        rule = rule_text(order[t], i, [names[c] for c in inputs[t]], tn)
        shown = f" = {rule}" if rule else ""
        if not is_number(rule):
            shown += f" = {fmt_num(local)}"
        items.append({"text": f"d{tn}/d{name}{shown}", "up": f"dL/d{tn} = {fmt_num(final[t])}",
                      "frame": step_frame[t], "via": t})
    total = sum(final[t] * local for t, _, local in terms)
    lines = [f"{head} = " + " + ".join(symbols), "= " + " + ".join(numbers),
             f"= {fmt_num(total)}"]
    if any(t == root for t, _, _ in terms):
        lines.append(f"(L = {out_name}, the output)")
    return {"sum": lines, "terms": items, "grad_frame": max(i["frame"] for i in items)}

