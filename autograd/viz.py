"""Computation graphs as Graphviz DOT: a pure function from a graph to a ``graphviz.Digraph``.

Value boxes read ``label | data | grad``, small ellipses name the op, and node ids come
from ``topo_order`` (``n0``, ``n1``...), so the DOT text is the same run to run.
Rendering it to SVG/PNG/PDF is a separate step: :mod:`autograd.render`.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x
>>> print(draw_dot(y).source.splitlines()[4].strip())
n0 [label="{ x | data 2.0000 | grad — }"]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import graphviz

from .errors import GraphTooLargeError, InputTypeError, OptionError
from .graph import children_of, local_partials, topo_order

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["animation_dot", "draw_dot", "fmt_num", "neuron_owners"]

PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
# ColorBrewer blues, pale to dark: small to large |grad|; dark fills take white text
ZERO_FILL, BAD_FILL, HOT = "#fee8c8", "#e31a1c", "#d62728"
_WHITE_TEXT, _FONT = 4, "Helvetica,Arial,sans-serif"
_NEURON = re.compile(r"^((?:(.+)\.)?neurons\.\d+)\.")  # layers.0.neurons.3.w.5 -> neuron, layer
_RECORD_SPECIAL = re.compile(r'([\\{}|<>"])')
_RANKDIRS, _COLOR_BY, _COLLAPSE = ("LR", "TB", "RL", "BT"), (None, "grad"), (None, "neuron")


def fmt_num(x: float) -> str:
    """``%.4f`` as everywhere in the project; ``%.4e`` past 1e9 so a box stays small."""
    return f"{x:.4f}" if not math.isfinite(x) or abs(x) < 1e9 else f"{x:.4e}"


def _plain(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def neuron_owners(order: list[Value]) -> dict[Value, str]:
    """Map each node that belongs to an ``nn`` neuron to the neuron's path.

    A leaf belongs when its label is a parameter path (``layers.0.neurons.3.w.5``); an op
    node when its parameter inputs are one neuron's (``w * x``, ``dot``, ``+ b``), or when
    it is unary, or a sum of that neuron's nodes, on top of such a node (``relu``).
    """
    owner: dict[Value, str] = {}
    core: set[Value] = set()
    for node in order:
        if not node.op:
            match = _NEURON.match(node.label)
            if match:
                owner[node] = match.group(1)
            continue
        kids = children_of(node)
        params = {owner[c] for c in kids if not c.op and c in owner}
        if params:
            if len(params) == 1:
                owner[node] = params.pop()
                core.add(node)
            continue
        heads = {owner.get(c) for c in kids}
        if len(heads) != 1 or None in heads:
            continue
        if len(kids) == 1 or (node.op in ("add", "sum") and any(c in core for c in kids)):
            owner[node] = heads.pop()
    return owner


def _natural(path: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def _param_grad(members: list[Value]) -> float:
    """The largest |grad| among a neuron's parameters (nan if any is nan)."""
    grads = [abs(n.grad) for n in members if not n.op]
    return math.nan if any(g != g for g in grads) else max(grads, default=0.0)


def draw_dot(root: Value, rankdir: str = "LR", show_grad: bool = True,
             highlight: Iterable[Value | int] = (), color_by: str | None = None,
             max_nodes: int = 1000, collapse: str | None = None) -> graphviz.Digraph:
    """The graph under ``root`` as a ``graphviz.Digraph`` (``.source``, ``.pipe()``...).

    ``highlight``: Values or node numbers to emphasise; ``color_by="grad"``: shade by
    |grad| on a log scale with a legend; ``collapse="neuron"``: one box per nn neuron.
    Raises ``GraphTooLargeError`` past ``max_nodes`` boxes.
    """
    return _Drawing(root, rankdir, show_grad, highlight, color_by, collapse, max_nodes).dot


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
        self.owner = neuron_owners(order)
        self.collapse = collapse == "neuron"
        self.sideways = rankdir in ("LR", "RL")  # record braces turn the other way there
        self.show_grad, self.animate = show_grad, animate
        self.fresh = show_grad and all(node.grad == 0.0 for node in order)
        self.hot = {self._number(h) for h in highlight}
        neurons: dict[str, list[Value]] = {}
        for node in order:
            if node in self.owner:
                neurons.setdefault(self.owner[node], []).append(node)
        self.neurons = {p: neurons[p] for p in sorted(neurons, key=_natural)}  # layers.2 < .10
        outside = [n for n in order if n not in self.owner]
        self.read_outside = {c for n in order for c in children_of(n)
                             if c in self.owner and self.owner.get(n) != self.owner[c]}
        boxes = len(outside) + len(self.neurons) if self.collapse else len(order)
        if boxes > max_nodes:
            hint = "" if self.collapse else 'draw nn models with collapse="neuron" or '
            where = f" under {root.label!r}" if root.label else ""
            raise GraphTooLargeError(
                f"draw_dot: the graph{where} has {boxes:,} nodes, more than "
                f"max_nodes={max_nodes:,}; {hint}pass a larger max_nodes (e.g. max_nodes={boxes})")
        grads = [n.grad for n in (outside if self.collapse else order)]
        if self.collapse:
            grads += [_param_grad(members) for members in self.neurons.values()]
        self.scale = _Scale(grads, self.collapse) if color_by == "grad" else None
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

    def _style(self, grad: float, hot: bool, **attrs: str) -> dict[str, str]:
        if self.scale is not None:
            fill, font = self.scale.colour(grad)
            attrs.update(style="filled,dashed" if grad == 0 else "filled", fillcolor=fill)
            if font:
                attrs["fontcolor"] = font
        if hot:
            attrs.update(color=HOT, penwidth="3")
        return attrs

    def _fields(self, name: str, node: Value) -> list[str]:
        fields = [name, f"data {fmt_num(node.data)}"]
        if self.show_grad:
            fields.append("grad " + ("—" if self.fresh else fmt_num(node.grad)))
        return fields

    def _box(self, g: graphviz.Digraph, node_id: str, fields: list[str], grad: float,
             hot: bool, across: bool = True) -> None:
        """A record box; ``across=False`` stacks the fields (a collapsed neuron)."""
        text = " | ".join(_RECORD_SPECIAL.sub(r"\\\1", f) for f in fields)
        label = f"{{ {text} }}" if self.sideways == across else text
        extra = {"id": node_id} if self.animate else {}
        g.node(node_id, label, **self._style(grad, hot, **extra))

    def _value(self, g: graphviz.Digraph, node: Value, prefix: str = "") -> None:
        k = self.num[node]
        name = node.label[len(prefix):] if prefix else node.label or f"#{k}"
        self._box(g, f"n{k}", self._fields(name, node), node.grad, k in self.hot)
        if node.op:
            attrs = {"id": f"n{k}op"} if self.animate else {}
            if k in self.hot:
                attrs.update(color=HOT, penwidth="2")
            g.node(f"n{k}op", _plain(node._op), shape="ellipse", fontsize="12", height="0.3",
                   margin="0.04,0.02", **attrs)

    def _neuron(self, g: graphviz.Digraph, path: str, prefix: str) -> None:
        """One box for a whole neuron: its output's data and grad, its parameters' largest
        |grad| (what the colour shows: 0 for a dead ReLU)."""
        members = self.neurons[path]
        inside = set(members)
        penalty: set[Value] = set()  # computed from the parameters alone (p * p for L2)
        for n in members:
            if n.op and all(c in penalty or (c in inside and not c.op) for c in children_of(n)):
                penalty.add(n)
        outs = [n for n in members if (n is self.order[-1] or n in self.read_outside)
                and n not in penalty]
        out = outs[-1] if outs else members[-1]
        kind = "linear" if out.op in ("add", "sum", "dot") else out._op
        params = [n for n in members if not n.op]
        fields = self._fields(path[len(prefix):], out)
        fields.insert(1, f"{len(params)} params, {kind}" + (
            f", {len(outs)} outputs" if len(outs) > 1 else ""))
        pgrad = _param_grad(members)
        if self.show_grad:
            fields.append("max |param grad| " + ("—" if self.fresh else fmt_num(pgrad)))
        hot = any(self.num[n] in self.hot for n in inside)
        self._box(g, path, fields, pgrad, hot, across=False)

    def _emit(self) -> None:
        dot = self.dot
        for node in self.order:
            if node not in self.owner:
                self._value(dot, node)
        layers: dict[str, dict[str, list[Value]]] = {}
        for path, members in self.neurons.items():
            layers.setdefault(_NEURON.match(path + ".").group(2) or "", {})[path] = members
        for layer, neurons in layers.items():
            if layer:
                with dot.subgraph(name=f"cluster_{layer}") as lg:
                    lg.attr(label=_plain(layer), style="rounded", color="#999999")
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
                self._neuron(g, path, prefix)
                continue
            with g.subgraph(name=f"cluster_{path}") as ng:
                ng.attr(label=_plain(path[len(prefix):]), style="rounded,dashed")
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


class _Scale:
    """|grad| on a log10 scale: decades grouped into at most ``len(PALETTE)`` colours."""

    def __init__(self, grads: list[float], neurons: bool = False) -> None:
        self.neurons = neurons
        logs = [math.log10(abs(g)) for g in grads if g != 0 and math.isfinite(g)]
        self.zero = any(g == 0 for g in grads)
        self.bad = any(not math.isfinite(g) for g in grads)
        self.lo = math.floor(min(logs)) if logs else 0
        span = math.floor(max(logs)) + 1 - self.lo if logs else 0
        self.width = max(1, math.ceil(span / len(PALETTE)))
        self.buckets = math.ceil(span / self.width)

    def _index(self, bucket: int) -> int:
        top = len(PALETTE) - 1
        return top // 2 if self.buckets == 1 else round(bucket * top / (self.buckets - 1))

    def colour(self, grad: float) -> tuple[str, str]:
        """Fill and font colour for a node with this gradient."""
        if grad == 0:
            return ZERO_FILL, ""
        if not math.isfinite(grad):
            return BAD_FILL, "white"
        bucket = min(int((math.log10(abs(grad)) - self.lo) // self.width), self.buckets - 1)
        index = self._index(bucket)
        return PALETTE[index], "white" if index >= _WHITE_TEXT else ""

    def legend(self) -> str:
        """An HTML-like table: one row per colour with the |grad| range it stands for."""
        rows = ['<tr><td><b>|grad|, log scale</b></td></tr>']
        if self.neurons:
            rows.append("<tr><td>neurons: largest |param grad|</td></tr>")
        for b in reversed(range(self.buckets)):
            lo, hi = self.lo + b * self.width, self.lo + (b + 1) * self.width
            index = self._index(b)
            text = f"1e{lo} &le; |grad| &lt; 1e{hi}"
            if index >= _WHITE_TEXT:
                text = f'<font color="white">{text}</font>'
            rows.append(f'<tr><td bgcolor="{PALETTE[index]}">{text}</td></tr>')
        if self.zero:
            rows.append(f'<tr><td bgcolor="{ZERO_FILL}" style="dashed">grad = 0</td></tr>')
        if self.bad:
            rows.append(f'<tr><td bgcolor="{BAD_FILL}"><font color="white">nan / inf'
                        '</font></td></tr>')
        return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
                + "".join(rows) + "</table>>")
