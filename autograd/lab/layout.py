"""The lab's drawing: the graph laid out once by Graphviz, with ids the viewer can address.

Value boxes stack their fields (name, ``data``, ``grad``) so a graph stays narrow enough to
fit a 1280x720 window with readable text; op nodes are small ellipses; every input edge
has the id ``e<k>_<i>`` (input ``i`` of node ``#k``) and the op-to-value edge ``e<k>``.
The boxes are laid out with the widest numbers they may show (``-0000.0000``), so the
numbers can change (sliders, gradient steps) without a new layout. With
``collapse=True`` each ``nn`` neuron is one box (``draw_dot(collapse="neuron")``'s
grouping), its id ``u<j>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import graphviz

from ..errors import GraphTooLargeError
from ..graph import children_of
from ..viz.groups import by_layer, group_neurons, neuron_owners, summarize
from ..viz.labels import plain, record
from ..viz.render import find_dot, render

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["FONT_SIZE", "Layout", "lay_out"]

FONT_SIZE = 12  # graph units; the viewer never shows it below 11 px
_FONT = "Helvetica,Arial,sans-serif"
_WIDE = "-000.0000"  # the width reserved for a number
_EDGE = "-00.0000"  # the width reserved for an edge label
_NEURON_FIELDS = ("data", "grad", "max |param grad|")


@dataclass
class Layout:
    """The SVG and how graph nodes map onto its boxes."""

    svg: str
    box: dict[int, str]  # node number -> id of the box that shows it
    neurons: dict[str, list[int]] = field(default_factory=dict)  # box id -> member numbers
    outputs: dict[str, int] = field(default_factory=dict)  # neuron box id -> its output node
    names: dict[str, str] = field(default_factory=dict)  # neuron box id -> its path
    rankdir: str = "LR"


def _name(node: Value, k: int) -> str:
    return node.label or f"#{k}"


def lay_out(order: list[Value], rankdir: str = "LR", collapse: bool = False,
            max_nodes: int = 1000) -> Layout:
    """Lay the graph out with ``dot`` (once) and return the SVG with addressable ids."""
    find_dot("lay out the lab viewer")
    num = {node: k for k, node in enumerate(order)}
    owner = neuron_owners(order) if collapse else {}
    neurons = group_neurons(order, owner)
    boxes = len(order) - len(owner) + len(neurons)
    if boxes > max_nodes:
        hint = "" if collapse else "pass collapse=True (one box per nn neuron) or "
        raise GraphTooLargeError(f"the graph has {boxes:,} boxes, more than max_nodes="
                                 f"{max_nodes:,}; {hint}a larger max_nodes")
    sideways = rankdir in ("LR", "RL")
    many = neurons and boxes > 24  # dense layer-to-layer wiring: straight lines stay compact
    dot = graphviz.Digraph(graph_attr={"rankdir": rankdir, "fontname": _FONT,
                                       "ranksep": ("2.0" if many else "1.0") if neurons
                                       else "0.3", "nodesep": "0.18", "pad": "0.1",
                                       **({"splines": "line"} if many else {})},
                           node_attr={"shape": "record", "fontsize": str(FONT_SIZE),
                                      "fontname": _FONT, "margin": "0.06,0.02", "height": "0.2"},
                           edge_attr={"fontsize": str(FONT_SIZE - 1), "fontname": _FONT,
                                      "arrowsize": "0.6"})
    layout = Layout("", {}, rankdir=rankdir)
    ids: dict[str, str] = {}
    for j, (path, members) in enumerate(neurons.items()):
        ids[path] = f"u{j}"
        layout.neurons[f"u{j}"] = [num[n] for n in members]
        layout.names[f"u{j}"] = path
    for node in order:
        k = num[node]
        if node in owner:
            layout.box[k] = ids[owner[node]]
            continue
        layout.box[k] = f"n{k}"
        fields = [_name(node, k), f"data {_WIDE}", f"grad {_WIDE}"]
        dot.node(f"n{k}", record(fields, braces=not sideways), id=f"n{k}")
        if node.op:
            dot.node(f"n{k}op", plain(node._op), id=f"n{k}op", shape="ellipse",
                     fontsize=str(FONT_SIZE), height="0.28", width="0.3", margin="0.03,0.01")
    root = order[-1]
    outside = {c for n in order for c in children_of(n) if c in owner and owner.get(n) != owner[c]}
    for layer, group in by_layer(neurons).items():
        target = dot.subgraph(name=f"cluster_{layer}") if layer else None
        with target if target is not None else _Same(dot) as g:
            if layer:
                g.attr(label=plain(layer), style="rounded", color="#999999",
                       fontsize=str(FONT_SIZE))
            for path, members in group.items():
                out, summary = summarize(members, root, outside)
                box = ids[path]
                layout.outputs[box] = num[out]
                name = path[len(layer) + 1:] if layer else path
                fields = [name, summary] + [f"{f} {_WIDE}" for f in _NEURON_FIELDS]
                g.node(box, record(fields, braces=not sideways), id=box)
    _edges(dot, order, num, owner, ids)
    svg = render(dot.source, "svg").decode("utf-8")
    layout.svg = svg[svg.index("<svg"):]
    return layout


class _Same:
    """``with`` on the graph itself, where a layer's subgraph is not wanted."""

    def __init__(self, g: graphviz.Digraph) -> None:
        self.g = g

    def __enter__(self) -> graphviz.Digraph:
        return self.g

    def __exit__(self, *exc: object) -> None:
        return None


def _edges(dot: graphviz.Digraph, order: list[Value], num: dict, owner: dict,
           ids: dict[str, str]) -> None:
    """Input edges (each with its id), op-to-value edges, and collapsed bundles."""
    bundles: dict[tuple[str, str], int] = {}
    for node in order:
        if not node.op:
            continue
        k = num[node]
        inner = node in owner
        head = ids[owner[node]] if inner else f"n{k}op"
        for i, kid in enumerate(children_of(node)):
            if inner and owner.get(kid) == owner[node]:
                continue
            tail = ids[owner[kid]] if kid in owner else f"n{num[kid]}"
            if inner or kid in owner:
                bundles[(tail, head)] = bundles.get((tail, head), 0) + 1
                continue
            dot.edge(tail, head, id=f"e{k}_{i}", label=_EDGE)
        if not inner:
            dot.edge(f"n{k}op", f"n{k}", id=f"e{k}")
    for (tail, head), count in bundles.items():
        dot.edge(tail, head, **({"label": f"×{count}"} if count > 1 else {}))
