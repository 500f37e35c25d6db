"""The mistakes ``check_backprop`` knows, one row each, as the op table holds the ops.

A row names the word a diagnosis lists (``report["W1"].kinds``), the report's short
label and what the mistake is. Mistakes found by fitting a factor or a transpose need
nothing more; those replayed on the graph add ``replay`` (yielding, per place it could
happen, the mistake as a clause and the gradients it would give) and ``passes`` (the
backward passes that takes: the search's cost). Adding a mistake is adding a row here
and its replay in :mod:`.mistakes`; the diagnosis tries the replays in table order.

>>> [m.name for m in MISTAKES if m.replay is not None]
['misapplied', 'replaced', 'dropped', 'kept_only']
>>> KINDS["dropped"].label
'dropped term'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .formulas import FORMULAS, REPLACEMENTS
from .mistakes import Graph, Replayed, dropped, kept_only, misapplied, replaced

__all__ = ["KINDS", "MISTAKES", "Mistake", "Variant", "search_cost", "variants"]


@dataclass(frozen=True)
class Mistake:
    """One mistake a hand-derived gradient can make."""

    name: str  # the row's own name
    kind: str  # the word a diagnosis lists
    label: str  # the report's short label
    doc: str  # what the mistake is
    replay: Callable[[Graph], Replayed] | None = None  # its gradients, replayed on the graph
    passes: Callable[[Graph], int] | None = None  # backward passes the replay takes
    can_zero: bool = False  # its replay may leave a gradient all zeros


MISTAKES: tuple[Mistake, ...] = (
    Mistake("sign", "sign", "sign flipped", "yours = -1 x the true gradient"),
    Mistake("factor", "factor", "factor", "yours = c x the true gradient: 2, 1/2, the batch "
            "size N and their products by name, any other c by its value"),
    Mistake("transposed", "transposed", "transposed", "yours is the true gradient transposed"),
    Mistake("misapplied", "derivative", "misplaced derivative",
            "an activation's derivative multiplied in where the forward pass has none, or "
            "counted twice", misapplied, lambda g: len(FORMULAS) * len(g.arrays())),
    Mistake("replaced", "derivative", "misplaced derivative",
            "an element-wise chain's derivative left out, or replaced by another formula",
            replaced, lambda g: len(REPLACEMENTS) * len(g.chains())),
    Mistake("dropped", "dropped", "dropped term", "a term of the loss left out",
            dropped, lambda g: len(g.terms()), can_zero=True),
    Mistake("kept_only", "dropped", "dropped term", "only one term of the loss kept",
            kept_only, lambda g: len(g.terms())),
    Mistake("zero", "zero", "all zero", "yours is all zeros, the true gradient is not"),
    Mistake("unused", "unused", "unused", "the loss does not depend on the parameter"),
    Mistake("shape", "shape", "shape", "yours has another shape than the parameter"),
    Mistake("unknown", "unknown", "no simple pattern", "no row of this table explains it"),
)
KINDS = {m.kind: m for m in MISTAKES}  # the first row of each kind


@dataclass(eq=False)
class Variant:
    """The gradients (one array per parameter) that one mistake would give."""

    mistake: Mistake
    text: str  # what the mistake is, as a clause: "multiplies by ... at ..."
    grads: list[np.ndarray]

    @property
    def kind(self) -> str:
        return self.mistake.kind


def variants(graph: Graph) -> Iterator[Variant]:
    """Every replayed mistake this graph allows, in table order."""
    for mistake in MISTAKES:
        if mistake.replay is not None:
            for text, grads in mistake.replay(graph):
                yield Variant(mistake, text, grads)


def search_cost(graph: Graph) -> int:
    """How many node visits the whole search takes (each variant is one backward)."""
    return sum(m.passes(graph) for m in MISTAKES if m.passes is not None) * graph.size
