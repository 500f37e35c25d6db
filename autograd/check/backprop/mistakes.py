"""What the gradient would be under each classic backprop mistake, computed on the graph.

The forward pass ran on Values with a tape of its array operations, so each mistake can
be replayed exactly: backward with hooks that change the gradient at one array. An
activation derivative applied where none belongs multiplies an array's gradient by,
say, ``a * (1 - a)``; a missing or wrong derivative replaces the chain from ``z`` to
``a = sigmoid(z)``; a dropped term zeroes one term of the loss. ``diagnose`` compares
the user's gradient with each variant. Which mistakes exist, and in what order they are
tried, is the table in :mod:`.mistake_kinds`; this module replays them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ...arrays import Record
from ...backward import propagate
from ...engine import Value
from ...graph import topo_order
from .formulas import FORMULAS, REPLACEMENTS, activation_name
from .terms import describe, drop, keep_only, term_tree

__all__ = ["Graph", "Replayed", "dropped", "kept_only", "misapplied", "replaced"]

Hooks = dict[Value, Callable[[float], Any]]
Replayed = Iterator[tuple[str, list[np.ndarray]]]  # (the mistake as a clause, its gradients)


class Graph:
    """The loss graph with its parameters and tape: true gradients and their variants."""

    def __init__(self, loss: Value, params: list[np.ndarray], tape: list[Record]) -> None:
        self.loss, self.params, self.tape = loss, params, tape
        self.order = topo_order(loss)
        self.leaves = {v for p in params for v in p.flat}

    @property
    def size(self) -> int:
        return len(self.order)

    def gradients(self, hooks: Hooks | None = None) -> list[np.ndarray]:
        """d loss / d parameter, one float array per parameter, backward run with ``hooks``."""
        handles = [node.register_hook(fn) for node, fn in (hooks or {}).items()]
        try:
            grads = propagate(self.order, self.loss, 1.0)
        finally:
            for handle in handles:
                handle.remove()
        return [np.array([float(grads.get(v, 0.0)) for v in p.flat]).reshape(p.shape)
                for p in self.params]

    def _links(self) -> tuple[dict[Value, Record], set[Record]]:
        """Which record made each node, and the records an element-wise record reads."""
        producer: dict[Value, Record] = {}
        for rec in self.tape:
            for v in rec.out.flat:
                producer.setdefault(v, rec)
        continued = set()
        for rec in self.tape:
            if rec.link is not None and rec.link.size:
                prev = producer.get(rec.link.flat[0])
                if prev is not None and _same(prev.out, rec.link):
                    continued.add(prev)
        return producer, continued

    def arrays(self) -> list[Record]:
        """The arrays a derivative formula is applied to: what a layer computes (products,
        sums, activation outputs), not the steps inside ``1/(1+np.exp(-z))``; each made of
        new nodes (``np.max`` returns entries of its input), nearest the loss first."""
        _, continued = self._links()
        made: set[Value] = set()
        chosen = []
        for rec in self.tape:
            nodes = [v for v in rec.out.flat if type(v) is Value]
            inner = rec.link is not None and rec in continued
            if rec.out.ndim and nodes and not inner and not any(v in made for v in nodes):
                chosen.append(rec)
            made.update(nodes)
        return chosen[::-1]

    def chains(self) -> list[tuple[np.ndarray, list[Record]]]:
        """(input array, records) for every run of element-wise records, by the record it
        ends at: an activation's whole output, or a part of a longer run (``np.tanh`` in
        ``np.tanh(z) - t``, whose derivative a hand derivation often leaves out), nearest
        the loss first."""
        producer, _ = self._links()
        chains = []
        for rec in reversed(self.tape):
            if rec.link is None or not rec.link.size:
                continue
            chain = [rec]
            while len(chain) <= 6:
                chains.append((chain[0].link, list(chain)))
                prev = producer.get(chain[0].link.flat[0])
                if prev is None or prev.link is None or not _same(prev.out, chain[0].link):
                    break
                chain.insert(0, prev)
        return chains

    def terms(self) -> dict[Value, Value]:
        """The loss's terms, each mapped to the term it is part of (:mod:`.terms`)."""
        return term_tree(self.loss, self.leaves)


# -- the replays: each yields (the mistake as a clause, the gradients it would give), the
# arrays nearest the loss first. The table in .mistake_kinds names them and their cost.


def misapplied(graph: Graph) -> Replayed:
    """An activation's derivative multiplied in where none belongs (or counted twice)."""
    ends: dict[Record, set[str]] = {}
    for _, chain in graph.chains():
        ends.setdefault(chain[-1], set()).add(activation_name(tuple(r.name for r in chain)))
    for rec in graph.arrays():
        a = _numbers(rec.out)
        for formula, act, phi in FORMULAS:
            factor = phi(a)
            if np.all(factor == 1.0):
                continue  # changes nothing
            why = (f": the {act} derivative counted twice" if act in ends.get(rec, ())
                   else f", but the forward pass applies no {act} there")
            yield (f"multiplies by {formula} with a = {rec}{why}",
                   graph.gradients(_scale(rec.out, factor)))


def replaced(graph: Graph) -> Replayed:
    """An element-wise chain's derivative left out, or replaced by another formula."""
    for z, chain in graph.chains():
        out = chain[-1].out
        where = f"{activation_name(tuple(r.name for r in chain))} at {chain[-1]}"
        for formula, source, phi in REPLACEMENTS:
            factor = phi(_numbers(z if source == "input" else out))
            text = (f"leaves out the derivative of the {where}" if formula is None else
                    f"uses {formula} with a = its {source} as the derivative of the {where}")
            yield text, graph.gradients(_replace(z, out, factor))


def dropped(graph: Graph) -> Replayed:
    """A term of the loss whose gradient is left out."""
    for term in graph.terms():
        yield (f"leaves out the gradient of the loss term {describe(term, graph.tape)}",
               graph.gradients(drop(term)))


def kept_only(graph: Graph) -> Replayed:
    """Only one term of the loss differentiated (the others left out)."""
    tree = graph.terms()
    for term, parent in tree.items():
        siblings = sum(p is parent for p in tree.values())
        if parent is not graph.loss or siblings > 2:  # else: leaving out its sibling
            yield (f"keeps only the gradient of the loss term {describe(term, graph.tape)}",
                   graph.gradients(keep_only(term, tree)))


def _numbers(arr: np.ndarray) -> np.ndarray:
    return np.array([float(v) for v in arr.flat]).reshape(arr.shape)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and all(x is y for x, y in zip(a.flat, b.flat))


def _scale(arr: np.ndarray, factor: np.ndarray) -> Hooks:
    """Hooks multiplying each entry's gradient by its factor."""
    return {v: (lambda g, f=float(f): g * f) for v, f in zip(arr.flat, factor.flat)
            if type(v) is Value}


def _replace(z: np.ndarray, a: np.ndarray, factor: np.ndarray) -> Hooks:
    """Hooks making d loss / d z_i = (d loss / d a_i) * factor_i: the chain's own
    derivative replaced by ``factor``."""
    seen: dict[int, float] = {}
    hooks: Hooks = {}
    for i, v in enumerate(a.flat):
        if type(v) is not Value:
            continue

        def capture(g: float, i: int = i) -> None:
            seen[i] = g
        hooks[v] = capture
    for i, (v, f) in enumerate(zip(z.flat, factor.flat)):
        if type(v) is Value and v not in hooks:
            hooks[v] = lambda g, i=i, f=float(f): seen.get(i, 0.0) * f
    return hooks
