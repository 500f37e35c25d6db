"""Computation graphs as Graphviz DOT: a pure function from a graph to a ``graphviz.Digraph``.

Value boxes read ``label | data | grad``, small ellipses name the op, and node ids come
from ``topo_order`` (``n0``, ``n1``...), so the DOT text is the same run to run.
Rendering it to SVG/PNG/PDF is a separate step: :mod:`autograd.viz.render`.
``collapse="neuron"`` draws one box per ``nn`` neuron, ``collapse="array"`` one per array
of a graph that numpy code built on Values (:func:`autograd.np_values`).

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x
>>> print(draw_dot(y).source.splitlines()[4].strip())
n0 [label="{ x | data 2.0000 | grad — }"]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import graphviz

from ..errors import GraphTooLargeError, InputTypeError, OptionError
from ..graph import children_of, local_partials, topo_order
from .colors import BAD_FILL as BAD_FILL
from .colors import HOT, GradScale, node_style
from .colors import PALETTE as PALETTE
from .colors import ZERO_FILL as ZERO_FILL
from .groups import (
    array_groups,
    array_shape,
    box_grads,
    by_layer,
    group_neurons,
    param_grad,
    read_outside,
    summarize,
)
from .groups import neuron_owners as neuron_owners
from .labels import fmt_num, plain, record

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["animation_dot", "draw_dot", "fmt_num", "neuron_owners"]

_FONT = "Helvetica,Arial,sans-serif"
_RANKDIRS, _COLOR_BY, _COLLAPSE = ("LR", "TB", "RL", "BT"), (None, "grad"), (None, "neuron")
_COLLAPSE += ("array",)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", show_grad: bool = True,
             highlight: Iterable[Value | int] = (), color_by: str | None = None,
             max_nodes: int = 1000, collapse: str | None = None) -> graphviz.Digraph:
    """The graph under ``root`` as a ``graphviz.Digraph`` (``.source``, ``.pipe()``...).

    ``format`` and ``rankdir`` come first, as in micrograd's notebook: ``format`` is what
    ``.render()``/``.view()`` write (``svg``, ``png``, ``pdf``...). ``highlight``: Values or
    node numbers to emphasise; ``color_by="grad"``: shade by |grad| on a log scale with a
    legend; ``collapse="neuron"``: one box per nn neuron. Raises ``GraphTooLargeError``
    past ``max_nodes`` boxes.

    >>> from autograd import Value
    >>> d = draw_dot(Value(1.0) * 2, "png", "TB")
    >>> d.format, d.graph_attr["rankdir"]
    ('png', 'TB')
    """
    if format in _RANKDIRS and rankdir == "LR":  # draw_dot(root, "TB"): rankdir came second
        format, rankdir = "svg", format
    if not isinstance(format, str) or format.lower() not in graphviz.FORMATS:
        raise OptionError(f"draw_dot: format={format!r} is not a Graphviz output format "
                          "(svg, png, pdf, ...)")
    dot = _Drawing(root, rankdir, show_grad, highlight, color_by, collapse, max_nodes).dot
    dot.format = format.lower()
    return dot


def animation_dot(root: Value, rankdir: str = "LR", max_nodes: int = 1000) -> graphviz.Digraph:
    """The drawing the HTML animation lays out: SVG ids on nodes and edges, and every
    input edge labelled with its local derivative (hidden until its step)."""
    return _Drawing(root, rankdir, True, (), None, None, max_nodes, animate=True).dot


class _Drawing:
    """One call's state: numbering, neuron grouping, colour scale, then the emitted DOT."""

    def __init__(self, root: Value, rankdir: str, show_grad: bool, highlight: Iterable[Any],
                 color_by: str | None, collapse: str | None, max_nodes: int,
                 animate: bool = False) -> None:
        if not hasattr(root, "grad") or not hasattr(root, "children"):
            raise InputTypeError(f"draw_dot expects a Value, got {root!r} ({type(root).__name__})")
        for name, value, allowed in (("rankdir", rankdir, _RANKDIRS),
                                     ("color_by", color_by, _COLOR_BY),
                                     ("collapse", collapse, _COLLAPSE)):
            if value not in allowed:
                raise OptionError(f"draw_dot: {name}={value!r} is not one of {allowed}")
        self.order = order = topo_order(root)
        self.num = {node: k for k, node in enumerate(order)}
        self.arrays = collapse == "array"
        self.owner = array_groups(order) if self.arrays else neuron_owners(order)
        self.collapse = collapse in ("neuron", "array")
        self.sideways = rankdir in ("LR", "RL")  # record braces turn the other way there
        self.show_grad, self.animate = show_grad, animate
        self.fresh = show_grad and all(node.grad == 0.0 for node in order)
        self.hot = {self._number(h) for h in highlight}
        self.neurons = group_neurons(order, self.owner)
        self.read_outside = read_outside(order, self.owner)
        grads = box_grads(order, self.owner, self.neurons, self.collapse, self.arrays)
        if (boxes := len(grads)) > max_nodes:
            hint = "" if self.collapse else 'draw nn models with collapse="neuron" or '
            where = f" under {root.label!r}" if root.label else ""
            raise GraphTooLargeError(
                f"draw_dot: the graph{where} has {boxes:,} nodes, more than "
                f"max_nodes={max_nodes:,}; {hint}pass a larger max_nodes (e.g. max_nodes={boxes})")
        neurons = self.collapse and not self.arrays
        self.scale = GradScale(grads, neurons) if color_by == "grad" else None
        self.dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": rankdir,
                                                              "fontname": _FONT},
                                    node_attr={"shape": "record", "fontsize": "11",
                                               "fontname": _FONT},
                                    edge_attr={"fontsize": "10", "fontname": _FONT})
        self._emit()

    def _number(self, item: Any) -> int:
        k = item if isinstance(item, int) else self.num.get(item)
        if k is None or not 0 <= k < len(self.order):
            raise OptionError(f"draw_dot: highlight {item!r} is not a node of this graph "
                              f"(nodes are #0..#{len(self.order) - 1})")
        return k

    def _id(self, node: Value) -> str:
        if self.collapse and node in self.owner:
            return self.owner[node]
        return f"n{self.num[node]}"

    def _fields(self, name: str, node: Value) -> list[str]:
        fields = [name, f"data {fmt_num(node.data)}"]
        if self.show_grad:
            fields.append("grad " + ("—" if self.fresh else fmt_num(node.grad)))
        return fields

    def _box(self, g: graphviz.Digraph, node_id: str, fields: list[str], grad: float,
             hot: bool, across: bool = True) -> None:
        """A record box; ``across=False`` stacks the fields (a collapsed neuron)."""
        label = record(fields, braces=self.sideways == across)
        extra = {"id": node_id} if self.animate else {}
        g.node(node_id, label, **node_style(self.scale, grad, hot, **extra))

    def _value(self, g: graphviz.Digraph, node: Value, prefix: str = "") -> None:
        k = self.num[node]
        name = node.label[len(prefix):] if prefix else node.label or f"#{k}"
        self._box(g, f"n{k}", self._fields(name, node), node.grad, k in self.hot)
        if node.op:
            attrs = {"id": f"n{k}op"} if self.animate else {}
            if k in self.hot:
                attrs.update(color=HOT, penwidth="2")
            g.node(f"n{k}op", plain(node._op), shape="ellipse", fontsize="12", height="0.3",
                   margin="0.04,0.02", **attrs)

    def _neuron(self, g: graphviz.Digraph, path: str, prefix: str) -> None:
        """One box for a whole neuron: its output's data and grad, its parameters' largest
        |grad| (what the colour shows: 0 for a dead ReLU)."""
        members = self.neurons[path]
        out, summary = summarize(members, self.order[-1], self.read_outside)
        fields = self._fields(path[len(prefix):], out)
        fields.insert(1, summary)
        pgrad = param_grad(members)
        if self.show_grad:
            fields.append("max |param grad| " + ("—" if self.fresh else fmt_num(pgrad)))
        hot = any(self.num[n] in self.hot for n in members)
        self._box(g, path, fields, pgrad, hot, across=False)

    def _array(self, g: graphviz.Digraph, path: str, prefix: str) -> None:
        """One box for an array's entries: how many, the range of their data, their
        largest |grad| (what the colour shows)."""
        members = self.neurons[path]
        hot = any(self.num[n] in self.hot for n in members)
        if len(members) == 1:
            return self._box(g, path, self._fields(path, members[0]), members[0].grad, hot)
        datas = [n.data for n in members]
        shape = array_shape(members)
        kind = f"params, {shape}" if shape else "values"
        fields = [path, f"{len(members)} {kind}",
                  f"data {fmt_num(min(datas))} .. {fmt_num(max(datas))}"]
        grad = param_grad(members, every=True)
        if self.show_grad:
            fields.append("max |grad| " + ("—" if self.fresh else fmt_num(grad)))
        self._box(g, path, fields, grad, hot, across=False)

    def _emit(self) -> None:
        dot = self.dot
        for node in self.order:
            if node not in self.owner:
                self._value(dot, node)
        for layer, neurons in by_layer(self.neurons).items():
            if layer:
                with dot.subgraph(name=f"cluster_{layer}") as lg:
                    lg.attr(label=plain(layer), style="rounded", color="#999999")
                    self._neurons(lg, neurons, f"{layer}.")
            else:
                self._neurons(dot, neurons, "")
        self._edges()
        if self.scale is not None:
            dot.node("legend", self.scale.legend(), shape="plaintext")
        if self.fresh:
            dot.attr(label="grad — : backward() has not run yet", fontsize="11")

    def _neurons(self, g: graphviz.Digraph, neurons: dict[str, list[Value]], prefix: str) -> None:
        for path, members in neurons.items():
            if self.collapse:
                (self._array if self.arrays else self._neuron)(g, path, prefix)
                continue
            with g.subgraph(name=f"cluster_{path}") as ng:
                ng.attr(label=plain(path[len(prefix):]), style="rounded,dashed")
                for node in members:
                    self._value(ng, node, f"{path}." if not node.op else "")

    def _edges(self) -> None:
        """Every input edge with its multiplicity; collapsed, the parallel edges into or out
        of a neuron box become one edge labelled ``×k``."""
        dot, owner, hot = self.dot, self.owner, self.hot
        bundles: dict[tuple[str, str], int] = {}
        for node in self.order:
            if not node.op:
                continue
            k, inner = self.num[node], self.collapse and node in owner
            kids, partials = local_partials(node) if self.animate else (children_of(node), ())
            head = owner[node] if inner else f"n{k}op"
            for i, kid in enumerate(kids):
                if inner and owner.get(kid) == owner[node]:
                    continue
                if inner or (self.collapse and kid in owner):
                    pair = (self._id(kid), head)
                    bundles[pair] = bundles.get(pair, 0) + 1
                    continue
                attrs = {"color": HOT, "penwidth": "2"} if k in hot and self.num[kid] in hot else {}
                if self.animate:
                    attrs.update(id=f"e{k}_{i}", fontcolor=HOT,
                                 label=f"∂ = {fmt_num(partials[i])}")
                dot.edge(self._id(kid), head, **attrs)
            if not inner:
                attrs = {"color": HOT, "penwidth": "2"} if k in hot else {}
                if self.animate:
                    attrs["id"] = f"e{k}"
                dot.edge(f"n{k}op", f"n{k}", **attrs)
        for (tail, head), count in bundles.items():
            dot.edge(tail, head, **({"label": f"×{count}"} if count > 1 else {}))

