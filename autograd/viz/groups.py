"""Neurons in a drawing: which nodes belong to which ``nn`` neuron (by parameter labels),
the layer each sits in, and what one collapsed neuron box sums up; and, for graphs that
numpy code built on Values, which array each node is an entry of.

>>> by_layer({"layers.1.neurons.0": [], "neurons.2": []})
{'layers.1': {'layers.1.neurons.0': []}, '': {'neurons.2': []}}
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from ..graph import children_of

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["array_groups", "array_shape", "box_grads", "by_layer", "group_neurons",
           "neuron_owners", "param_grad", "read_outside", "summarize"]

_NEURON = re.compile(r"^((?:(.+)\.)?neurons\.\d+)\.")  # layers.0.neurons.3.w.5 -> neuron, layer


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


def group_neurons(order: list[Value], owner: dict[Value, str]) -> dict[str, list[Value]]:
    """Neuron path -> its nodes in topological order; paths in natural order (2 before 10)."""
    neurons: dict[str, list[Value]] = {}
    for node in order:
        if node in owner:
            neurons.setdefault(owner[node], []).append(node)
    return {p: neurons[p] for p in sorted(neurons, key=_natural)}


def read_outside(order: list[Value], owner: dict[Value, str]) -> set[Value]:
    """The neuron nodes some node outside their neuron reads (a neuron's outputs)."""
    return {c for n in order for c in children_of(n)
            if c in owner and owner.get(n) != owner[c]}


def by_layer(neurons: dict[str, list[Value]]) -> dict[str, dict[str, list[Value]]]:
    """The neurons grouped by the layer path before ``.neurons.<j>`` ("" for none)."""
    layers: dict[str, dict[str, list[Value]]] = {}
    for path, members in neurons.items():
        match = _NEURON.match(path + ".")
        layers.setdefault((match.group(2) or "") if match else "", {})[path] = members
    return layers


def param_grad(members: list[Value], every: bool = False) -> float:
    """The largest |grad| among a neuron's parameters (``every``: among all its nodes;
    nan if any is nan)."""
    grads = [abs(n.grad) for n in members if every or not n.op]
    return math.nan if any(g != g for g in grads) else max(grads, default=0.0)


def box_grads(order: list[Value], owner: dict[Value, str], neurons: dict[str, list[Value]],
              collapse: bool, arrays: bool = False) -> list[float]:
    """The |grad| each box of the drawing shows: one per node, or when collapsed, one per node
    outside the neurons then one per neuron (its parameters' largest |grad|; for arrays,
    its entries')."""
    if not collapse:
        return [n.grad for n in order]
    return [n.grad for n in order if n not in owner] + [param_grad(m, arrays)
                                                        for m in neurons.values()]


def summarize(members: list[Value], root: Value, outside: set[Value]) -> tuple[Value, str]:
    """A collapsed neuron box's output node and its summary line: how many parameters, its
    kind (``linear`` or the activation's symbol) and, if more than one, how many outputs."""
    inside = set(members)
    penalty: set[Value] = set()  # computed from the parameters alone (p * p for L2)
    for n in members:
        if n.op and all(c in penalty or (c in inside and not c.op) for c in children_of(n)):
            penalty.add(n)
    outs = [n for n in members if (n is root or n in outside) and n not in penalty]
    out = outs[-1] if outs else members[-1]
    kind = "linear" if out.op in ("add", "sum", "dot") else out._op
    params = [n for n in members if not n.op]
    return out, f"{len(params)} params, {kind}" + (
        f", {len(outs)} outputs" if len(outs) > 1 else "")


_ENTRY = re.compile(r"^(.+)\[\d+(?:,\d+)*\]$")  # W1[0,3] -> the array W1


def array_groups(order: list[Value]) -> dict[Value, str]:
    """Map each node to the array it is an entry of, for ``collapse="array"``.

    A leaf labelled ``W[i,j]`` belongs to ``W`` (another labelled leaf to its label); an op
    node to the group of its op and its inputs' arrays, so the entries one numpy operation
    made (``X @ W``: a ``dot`` per entry, reading ``W``) share a box; an unlabelled constant
    joins the constants of the first array that reads it.
    """
    owner: dict[Value, str] = {}
    named: dict[tuple[str, tuple[str, ...]], str] = {}
    for node in order:
        if not node.op:
            match = _ENTRY.match(node.label)
            if match or node.label:
                owner[node] = match.group(1) if match else node.label
            continue
        kids = children_of(node)
        inputs = tuple(dict.fromkeys(owner[c] for c in kids if c.op or c.label))
        name = named.setdefault((node.op, inputs), f"{node.op} #{len(named)}")
        owner[node] = name
        for c in kids:
            if c not in owner and not c.op:
                owner[c] = f"constants of {name}"
    return owner


def array_shape(members: list[Value]) -> str:
    """The shape an array's labelled entries span (``W[1,4]`` last: ``2x5``), or ""."""
    spans: list[int] = []
    for node in members:
        match = _ENTRY.match(node.label) if not node.op else None
        if match is None:
            return ""
        index = [int(i) for i in node.label[len(match.group(1)) + 1:-1].split(",")]
        if spans and len(index) != len(spans):
            return ""
        spans = [max(a, i + 1) for a, i in zip(spans or [0] * len(index), index)]
    return "x".join(map(str, spans))
