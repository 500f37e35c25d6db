"""One training sample's graph for the live view: its boxes' numbers and |grad| colours.

The graph is laid out once per shape (the lab's layout reserves room for every number),
then each redraw sends only what the boxes show: ``set`` triples ``[box id, field, text]``
in the lab's frame format, and a fill per box on the ``color_by="grad"`` log scale. Box
ids follow the lab's layout: ``n<k>`` for node ``#k``, ``u<j>`` for the ``j``-th nn
neuron when the graph is collapsed (one box per neuron).
"""

from __future__ import annotations

import hashlib
import html
from typing import TYPE_CHECKING, Any

from ...errors import AutogradError
from ...graph import topo_order
from ...viz.colors import BAD_FILL, ZERO_FILL, GradScale
from ...viz.groups import group_neurons, neuron_owners, param_grad, read_outside, summarize
from ...viz.labels import fmt_num

if TYPE_CHECKING:
    from ...engine import Value

__all__ = ["COLLAPSE_OVER", "SampleGraph"]

COLLAPSE_OVER = 80  # a sample graph with more nodes than this is drawn one box per neuron


class SampleGraph:
    """A sample's graph after its backward: box numbers, colours and a shape key."""

    def __init__(self, root: Value, collapse: bool | None = None) -> None:
        self.root = root
        self.order = order = topo_order(root)
        owner = neuron_owners(order)
        self.collapse = bool(owner) and (len(order) > COLLAPSE_OVER if collapse is None
                                         else collapse)
        self.owner = owner if self.collapse else {}
        self.neurons = group_neurons(order, self.owner)
        shape = "|".join(f"{n.op}:{n.label}" for n in order) + f"|{self.collapse}"
        self.key = hashlib.sha1(shape.encode()).hexdigest()[:12]

    def boxes(self) -> list[tuple[str, dict[str, float]]]:
        """Each box's id and the numbers it shows (data, grad, and for a neuron the
        largest |param grad|, which its colour shows)."""
        out: list[tuple[str, dict[str, float]]] = []
        for k, node in enumerate(self.order):
            if node not in self.owner:
                out.append((f"n{k}", {"data": node.data, "grad": node.grad}))
        outside = read_outside(self.order, self.owner)
        for j, members in enumerate(self.neurons.values()):
            head, _ = summarize(members, self.root, outside)  # the box's output, as drawn
            out.append((f"u{j}", {"data": head.data, "grad": head.grad,
                                  "max |param grad|": param_grad(members)}))
        return out

    def state(self) -> dict[str, Any]:
        """The JSON the page applies to the laid-out graph: texts and fills."""
        boxes = self.boxes()
        shade = [b.get("max |param grad|", b["grad"]) for _, b in boxes]
        scale = GradScale(shade, self.collapse)
        texts, fills = [], {}
        for (box, numbers), g in zip(boxes, shade):
            texts += [[box, name, fmt_num(value)] for name, value in numbers.items()]
            fills[box] = list(scale.colour(g))
        return {"key": self.key, "set": texts, "fill": fills, "loss": self.root.data,
                "legend": _legend(scale)}

    def svg(self) -> str:
        """The graph laid out by the lab (Graphviz, numbers left blank), as SVG text; an
        HTML note instead when Graphviz is missing or the graph is too large."""
        from ..layout import lay_out  # the lab's layout
        try:
            # collapsed, a layer is a row of neuron boxes: wide rather than very tall
            return lay_out(self.order, "TB" if self.collapse else "LR", self.collapse).svg
        except AutogradError as e:
            return f"<p class='error'>{html.escape(str(e))}</p>"


def _legend(scale: GradScale) -> list[list[str]]:
    """The colour scale as rows of [fill, text] for the page."""
    rows = []
    for b in reversed(range(scale.buckets)):
        lo, hi = scale.lo + b * scale.width, scale.lo + (b + 1) * scale.width
        rows.append([scale.colour(10.0 ** lo)[0], f"1e{lo} ≤ |grad| < 1e{hi}"])
    if scale.zero:
        rows.append([ZERO_FILL, "grad = 0"])
    if scale.bad:
        rows.append([BAD_FILL, "nan / inf"])
    return rows
