"""The lab's drawing: the graph laid out once by Graphviz, with ids the viewer can address.

Value boxes stack their fields (name, ``data``, ``grad``) so a graph stays narrow enough to
fit a 1280x720 window with readable text; op nodes are small ellipses; every input edge
has the id ``e<k>_<i>`` (input ``i`` of node ``#k``) and the op-to-value edge ``e<k>``.
The boxes are laid out with the widest numbers they may show (``-0000.0000``), so the
numbers can change (sliders, gradient steps) without a new layout. With
``collapse=True`` each ``nn`` neuron is one box (``draw_dot(collapse="neuron")``'s
grouping), its id ``u<j>``. A layout is plain data (:meth:`Layout.to_json`), so a page
with no Graphviz (the classroom site, in Pyodide) reuses one made here: moving inputs
never changes the graph's structure. The ``graphviz`` package loads only to lay out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import GraphTooLargeError
from ..graph import children_of
from ..viz.groups import by_layer, group_neurons, neuron_owners, summarize
from ..viz.labels import plain, record
from ..viz.render import find_dot, render

if TYPE_CHECKING:
    import graphviz

    from ..engine import Value

__all__ = ["FONT_SIZE", "GRAPHVIZ_BUDGET", "GRAPHVIZ_SECONDS", "Layout", "lay_out"]

# Graphviz's nodes and edges (DOT statements) laid out in a few seconds: measured on a
# shared 2-core machine, 3,600 take about 2.4 s of CPU and the time grows faster than the
# size (7,000: about 10 s), so past this the lab collapses or refuses instead.
GRAPHVIZ_BUDGET = 4000
STRAIGHT_DISCOUNT = 4  # straight edges (collapsed nn graphs) cost far less: 9,700 took 1.2 s
GRAPHVIZ_SECONDS = 20.0  # and dot is stopped after this long, whatever the graph

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
    note: str = ""  # what the lab did to lay it out (collapsed it), for the page

    def to_json(self, svg: bool = True) -> dict[str, Any]:
        """The layout as JSON-ready data (``svg=False``: the maps only)."""
        data = asdict(self)
        if not svg:
            data["svg"] = ""
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        """A layout back from :meth:`to_json` (JSON's text keys made node numbers again)."""
        return cls(svg=data.get("svg", ""), box={int(k): v for k, v in data["box"].items()},
                   neurons={k: [int(n) for n in v] for k, v in data["neurons"].items()},
                   outputs={k: int(v) for k, v in data["outputs"].items()},
                   names=dict(data["names"]), rankdir=data["rankdir"], note=data["note"])


def _name(node: Value, k: int) -> str:
    return node.label or f"#{k}"


def lay_out(order: list[Value], rankdir: str = "LR", collapse: bool = False,
            max_nodes: int = 1000, auto_collapse: bool = False) -> Layout:
    """Lay the graph out with ``dot`` (once) and return the SVG with addressable ids.

    A graph past ``max_nodes`` boxes, or past what Graphviz lays out in a few seconds
    (``GRAPHVIZ_BUDGET`` nodes and edges, however large ``max_nodes`` is), is collapsed to
    one box per nn neuron when ``auto_collapse`` allows and that fits (``Layout.note``
    says so), else refused with ``GraphTooLargeError`` saying which limit and what to do.
    Graphviz itself is stopped after ``GRAPHVIZ_SECONDS``.
    """
    find_dot("lay out the lab viewer")
    note = ""
    dot, layout, boxes, items = _build(order, rankdir, collapse)
    if (boxes > max_nodes or items > GRAPHVIZ_BUDGET) and not collapse and auto_collapse \
            and neuron_owners(order):
        collapse = True
        dot, layout, small, items = _build(order, rankdir, True)
        note = (f"collapsed to one box per nn neuron: {boxes:,} boxes are more than "
                + (f"max_nodes={max_nodes:,}" if boxes > max_nodes else
                   "Graphviz lays out in a few seconds") + " (pass collapse=False to expand)")
        boxes = small
    nn_graph = not collapse and bool(neuron_owners(order))
    if items > GRAPHVIZ_BUDGET:
        hint = ("pass collapse=True (one box per nn neuron), or draw a smaller part of it"
                if nn_graph else "draw a smaller part of it (one sample, a smaller model)")
        raise GraphTooLargeError(f"the graph is too large to lay out in a few seconds: "
                                 f"{boxes:,} boxes and their edges cost {items:,}, the lab "
                                 f"lays out at most {GRAPHVIZ_BUDGET:,} (whatever max_nodes "
                                 f"says); {hint}")
    if boxes > max_nodes:
        hint = "pass collapse=True (one box per nn neuron) or " if nn_graph else ""
        raise GraphTooLargeError(f"the graph has {boxes:,} boxes, more than max_nodes="
                                 f"{max_nodes:,}; {hint}a larger max_nodes (it still fits "
                                 "what Graphviz lays out in a few seconds)")
    try:
        svg = render(dot.source, "svg", timeout=GRAPHVIZ_SECONDS).decode("utf-8")
    except TimeoutError:
        raise GraphTooLargeError(f"Graphviz did not lay out the graph ({boxes:,} boxes) within "
                                 f"{GRAPHVIZ_SECONDS:g} s and was stopped; pass "
                                 "collapse=True or draw a smaller part of it") from None
    layout.svg = svg[svg.index("<svg"):]
    layout.note = note
    return layout


def _build(order: list[Value], rankdir: str, collapse: bool
           ) -> tuple[graphviz.Digraph, Layout, int, int]:
    """The DOT graph and the layout's maps; its boxes, and its cost to lay out: Graphviz
    nodes + edges (with straight edges, a quarter of that)."""
    import graphviz

    num = {node: k for k, node in enumerate(order)}
    owner = neuron_owners(order) if collapse else {}
    neurons = group_neurons(order, owner)
    boxes = len(order) - len(owner) + len(neurons)
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
    return dot, layout, boxes, len(dot.body) // (STRAIGHT_DISCOUNT if many else 1)


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
