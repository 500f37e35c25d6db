"""Blame: check every op node's own derivative rule, to name the op that is wrong.

``check_graph(root)`` walks ``topo_order(root)`` and, at each op node, compares the op
table's local partials (``graph.local_partials``) with central differences of that op's
own forward at that node's inputs. The first node (in topo order) that disagrees is
the culprit: its op, its inputs, and analytic vs numeric for each input.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> print(check_graph((x * x).exp()))
check_graph: all 2 op nodes agree with finite differences (eps=1e-06)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import OpDefinitionError, describe_node
from ..graph import children_of, local_partials, topo_order
from ..ops import TUPLE
from .finite_diff import check_eps, near_edge

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["NodeCheck", "GraphReport", "check_graph"]


@dataclass(frozen=True)
class NodeCheck:
    """One op node's local derivatives, analytic (the op's rule) vs numeric."""

    number: int  # index in topo_order(root)
    name: str  # label, else "#number"
    op: str
    inputs: tuple[float, ...]
    input_names: tuple[str, ...]
    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    bad: tuple[bool, ...]  # per input: disagrees
    note: str = ""  # why the node was not checked (a kink, a domain edge)

    @property
    def ok(self) -> bool:
        return not any(self.bad)

    def __str__(self) -> str:
        ins = ", ".join(f"{n}={x:.6g}" for n, x in zip(self.input_names, self.inputs))
        where = f"#{self.number}" + (f" ({self.name!r})" if self.name != f"#{self.number}" else "")
        lines = [f"op {self.op!r} at node {where} disagrees with finite differences",
                 f"  inputs: {ins}"]
        for n, a, x, bad in zip(self.input_names, self.analytic, self.numeric, self.bad):
            mark = "  <- wrong" if bad else ""
            lines.append(f"  d{self.op}/d{n}: analytic {a:.6g}, numeric {x:.6g}, "
                         f"abs err {abs(a - x):.1e}{mark}")
        return "\n".join(lines)


@dataclass
class GraphReport:
    """What ``check_graph`` found: ``.ok``, ``.first`` (the culprit) and every node."""

    nodes: list[NodeCheck] = field(default_factory=list)
    eps: float = 1e-6

    @property
    def failures(self) -> list[NodeCheck]:
        return [n for n in self.nodes if not n.ok]

    @property
    def first(self) -> NodeCheck | None:
        """The first op node, in topo order, whose rule disagrees (None if all agree)."""
        return next((n for n in self.nodes if not n.ok), None)

    @property
    def ok(self) -> bool:
        return self.first is None

    def __str__(self) -> str:
        first = self.first
        if first is None:
            skipped = sum(1 for n in self.nodes if n.note)
            extra = f", {skipped} at a kink or domain edge not checked" if skipped else ""
            return (f"check_graph: all {len(self.nodes)} op nodes agree with finite "
                    f"differences (eps={self.eps:g}){extra}")
        more = len(self.failures) - 1
        tail = f"\n({more} more op node{'s' if more > 1 else ''} disagree after it)" if more else ""
        return f"check_graph: {first}{tail}"


def check_graph(root: Value, eps: float = 1e-6, atol: float = 1e-5,
                rtol: float = 1e-3) -> GraphReport:
    """Check every op node's local partials against central differences of its forward.

    A local partial passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.
    Nodes whose first input sits at a kink or domain edge are not checked (noted).
    """
    eps = check_eps(eps, "check_graph")
    order = topo_order(root)
    number = {node: k for k, node in enumerate(order)}
    report = GraphReport(eps=eps)
    for k, node in enumerate(order):
        if node._fn is not None:
            report.nodes.append(_check_node(node, k, number, eps, atol, rtol))
    return report


def _check_node(node: Value, k: int, number: dict, eps: float, atol: float,
                rtol: float) -> NodeCheck:
    fn = node._fn
    kids = children_of(node)
    xs = [c.data for c in kids]
    names = tuple(c.label or f"#{number[c]}" for c in kids)
    try:
        _, partials = local_partials(node)
    except Exception as exc:
        raise OpDefinitionError(f"check_graph: the partials of op {fn.name!r} at node #{k} "
                                f"({describe_node(node)}) raised {type(exc).__name__}: {exc}"
                                ) from exc
    analytic = tuple(float(p) for p in partials)
    note = near_edge(fn, xs[0], xs[0] - eps, xs[0] + eps) or ""
    numeric, bad = [], []
    for j in range(len(xs)):
        num = _local_numeric(fn, xs, j, eps)
        numeric.append(num)
        a = analytic[j]
        skip = note or math.isnan(num) or not math.isfinite(a) and not math.isfinite(num)
        bad.append(not skip and not abs(a - num) <= atol + rtol * abs(num))
    name = node.label or f"#{k}"
    return NodeCheck(k, name, fn.name, tuple(xs), names, analytic, tuple(numeric),
                     tuple(bad), note)


def _local_numeric(fn, xs: list[float], j: int, eps: float) -> float:
    """Central difference of the op's own forward by input ``j`` (NaN if undefined)."""
    def at(d: float) -> float:
        moved = list(xs)
        moved[j] += d
        return fn.forward(moved) if fn.layout == TUPLE else fn.forward(*moved)

    try:
        return (at(eps) - at(-eps)) / (2.0 * eps)
    except (ArithmeticError, ValueError):
        return math.nan  # the forward is undefined next to this point (a domain edge)
