"""One training sample's graph for the live view: its boxes' numbers and |grad| colours.

The graph is laid out once per shape (the lab's layout reserves room for every number),
then each redraw sends only what the boxes show: ``set`` triples ``[box id, field, text]``
in the lab's frame format, and a fill per box on the ``color_by="grad"`` log scale. Box
ids follow the lab's layout: ``n<k>`` for node ``#k``, ``u<j>`` for the ``j``-th nn
neuron when the graph is collapsed (one box per neuron). What does not change between
redraws (which node belongs to which neuron, each neuron's output) is worked out once
per shape, by node position, and kept in a cache the caller passes.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import AutogradError
from ...graph import topo_order
from ...node import children_of
from ...viz.colors import BAD_FILL, ZERO_FILL, GradScale
from ...viz.groups import group_neurons, neuron_owners, read_outside, summarize
from ...viz.labels import fmt_num

if TYPE_CHECKING:
    from ...engine import Value

__all__ = ["LAYING_OUT", "WAITING", "COLLAPSE_OVER", "SampleGraph", "Shape"]

# What the sample's box shows before its graph exists, and while Graphviz lays it out.
WAITING = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 60"><text x="10" y="34" '
           'font-size="14" fill="#666">the sample graph appears after the first step</text>'
           '</svg>')
LAYING_OUT = WAITING.replace("the sample graph appears after the first step",
                             "laying out the sample graph...")

COLLAPSE_OVER = 80  # a sample graph with more nodes than this is drawn one box per neuron


@dataclass(frozen=True)
class Shape:
    """A sample graph's drawing, by node position: the loose boxes' nodes and, per neuron
    box, its output node and its parameters."""

    key: str
    collapse: bool
    owned: frozenset[int]  # positions inside a neuron box
    loose: tuple[int, ...]  # positions drawn as their own box, in order
    neurons: tuple[tuple[int, tuple[int, ...]], ...]  # (output, parameters) per neuron box



def _signature(order: list[Value]) -> str:
    """Ops, labels and wiring of a graph in topological order: equal for equal shapes."""
    where = {id(n): k for k, n in enumerate(order)}
    return "|".join(f"{n.op}:{n.label}:" + ",".join(str(where[id(c)]) for c in children_of(n))
                    for n in order)


def _shape(order: list[Value], root: Value, signature: str, collapse: bool | None) -> Shape:
    owner = neuron_owners(order)
    collapse = bool(owner) and (len(order) > COLLAPSE_OVER if collapse is None else collapse)
    owner = owner if collapse else {}
    where = {id(n): k for k, n in enumerate(order)}
    outside = read_outside(order, owner)
    neurons = []
    for members in group_neurons(order, owner).values():
        head, _ = summarize(members, root, outside)  # the box's output, as drawn
        neurons.append((where[id(head)], tuple(where[id(n)] for n in members if not n.op)))
    owned = frozenset(where[id(n)] for n in owner)
    key = hashlib.sha1(f"{signature}|{collapse}".encode()).hexdigest()[:12]
    return Shape(key, collapse, owned, tuple(k for k in range(len(order)) if k not in owned),
                 tuple(neurons))


class SampleGraph:
    """A sample's graph after its backward: box numbers, colours and a shape key.

    ``shapes`` (a dict kept between redraws: signature and collapse choice -> Shape)
    saves regrouping a graph of a known shape."""

    def __init__(self, root: Value, collapse: bool | None = None,
                 shapes: dict[Any, Shape] | None = None) -> None:
        self.root = root
        self.order = order = topo_order(root)
        signature = _signature(order)
        cache: dict[Any, Shape] = {} if shapes is None else shapes
        shape = cache.get((signature, collapse))
        if shape is None:
            shape = cache[(signature, collapse)] = _shape(order, root, signature, collapse)
        self.shape = shape
        self.collapse, self.key = shape.collapse, shape.key

    def boxes(self) -> list[tuple[str, dict[str, float]]]:
        """Each box's id and the numbers it shows (data, grad, and for a neuron the
        largest |param grad|, which its colour shows)."""
        order = self.order
        out: list[tuple[str, dict[str, float]]] = [
            (f"n{k}", {"data": order[k].data, "grad": order[k].grad}) for k in self.shape.loose]
        for j, (head, params) in enumerate(self.shape.neurons):
            grads = [abs(order[k].grad) for k in params]
            top = float("nan") if any(g != g for g in grads) else max(grads, default=0.0)
            out.append((f"u{j}", {"data": order[head].data, "grad": order[head].grad,
                                  "max |param grad|": top}))
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
            # left to right, a layer is a column of neuron boxes: the page opens at a
            # readable size on the inputs and the first layer, and Fit shows it whole
            return lay_out(self.order, "LR", self.collapse).svg
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
