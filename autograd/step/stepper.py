"""``Stepper``: walk through backward one chain-rule step at a time, forwards and back.

The steps are computed once, up front, by consuming ``trace_backward`` (the same walk and
the same op-table partials as ``backward``); the stepper then only *writes* ``.grad``
values it recorded, so ``back()`` restores every gradient bit for bit and ``finish()``
leaves exactly what ``root.backward()`` leaves. ``backward()`` itself is never called.

>>> from autograd import Value
>>> x, w = Value(2.0, label="x"), Value(-3.0, label="w")
>>> y = x * w
>>> y.label = "y"
>>> s = Stepper(y)
>>> s, y.grad, x.grad
(Stepper(position=0/1, current=None), 1.0, 0.0)
>>> print(s.step())
x.grad += y.grad * dy/dx = 1.0000 * -3.0000 = -3.0000  -> -3.0000
w.grad += y.grad * dy/dw = 1.0000 * 2.0000 = 2.0000  -> 2.0000
>>> s.back().name, x.grad
('y', 0.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import AutogradError, NodeNotFound
from ..graph import topo_order
from ..real import as_real
from ..trace import BackwardStep, fmt, node_name, this_pass_only, trace_backward

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["Stepper", "gradient_table"]

Change = tuple["Value", float, float]  # node, grad before the step, grad after it


def gradient_table(order: list[Value], current: BackwardStep | None = None) -> str:
    """One row per node in ``order``: ``#k``, label, op, data, grad (4 decimals).

    With ``current``, its node is marked ``>`` and the inputs it just updated ``*``.
    """
    marks: dict[Value, str] = {}
    if current is not None:
        marks = {u.child: "*" for u in current.updates}
        marks[current.node] = ">"
    rows = [("", "#k", "label", "op", "data", "grad")]
    for k, node in enumerate(order):
        rows.append((marks.get(node, ""), f"#{k}", node.label, node.op,
                     fmt(node.data), fmt(node.grad)))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    lines = []
    for row in rows:
        left = [cell.ljust(w) for cell, w in zip(row[:4], widths)]
        right = [cell.rjust(w) for cell, w in zip(row[4:], widths[4:])]
        lines.append("  ".join(left + right).rstrip())
    return "\n".join(lines)


class Stepper:
    """Backward as a sequence of steps you can apply and undo; ``.grad`` follows along.

    At position 0 the root is seeded (``root.grad`` = its old value + ``grad``) and every
    other ``.grad`` is as it was. Each ``step()`` applies one op node's share of the
    chain rule. Hooks run once, when the stepper is made. ``step()`` at the end and
    ``back()`` at the start do nothing and return None.
    """

    def __init__(self, root: Value, grad: float = 1.0) -> None:
        seed = as_real(grad, "Stepper(grad=...)")
        self.root = root
        self._seed = seed
        self._order = order = topo_order(root)
        before = [node.grad for node in order]
        hooked = [node for node in order if node._meta is not None and node._meta.hooks]
        seeded = before[-1] + seed  # what trace_backward seeds, the same sum
        current = dict(zip(order, before))
        current[root] = seeded
        self._steps: list[BackwardStep] = []
        self._changes: list[tuple[Change, ...]] = []
        try:
            for step in trace_backward(root, seed):
                touched = dict.fromkeys([step.node, *(u.child for u in step.updates), *hooked])
                self._changes.append(_record(touched, current))
                self._steps.append(step)
            tail = _record(hooked, current)  # hooks of leaves run after the last step
        finally:
            for node, g in zip(order, before):
                node.grad = g
        if self._changes:
            merged = {node: (node, b, a) for node, b, a in self._changes[-1]}
            for node, b, a in tail:
                merged[node] = (node, merged[node][1] if node in merged else b, a)
            self._changes[-1] = tuple(merged.values())
            self._start = before[:-1] + [seeded]
        else:
            self._start = [current[node] for node in order]
        self._position = 0
        self.reset()

    # -- where we are ----------------------------------------------------------------------

    @property
    def position(self) -> int:
        """How many steps are applied (0 = root seeded, ``total`` = backward complete)."""
        return self._position

    @property
    def total(self) -> int:
        """The number of steps: one per op node."""
        return len(self._steps)

    @property
    def current(self) -> BackwardStep | None:
        """The last applied step; None at position 0."""
        return self._steps[self._position - 1] if self._position else None

    @property
    def steps(self) -> list[BackwardStep]:
        """Every step applied so far, in order."""
        return self._steps[:self._position]

    # -- moving ----------------------------------------------------------------------------

    def goto(self, position: int) -> BackwardStep | None:
        """Apply or undo steps until ``position`` steps are applied; return ``current``."""
        if type(position) is not int or not 0 <= position <= self.total:
            raise NodeNotFound(f"goto: position must be an int from 0 to {self.total}, "
                               f"got {position!r}")
        changes = self._changes
        while self._position < position:
            for node, _, after in changes[self._position]:
                node.grad = after
            self._position += 1
        while self._position > position:
            self._position -= 1
            for node, before, _ in changes[self._position]:
                node.grad = before
        return self.current

    def step(self) -> BackwardStep | None:
        """Apply the next step and return it; None (and no change) when at the end."""
        return self.goto(self._position + 1) if self._position < self.total else None

    def back(self) -> BackwardStep | None:
        """Undo the last applied step and return it; None (and no change) at position 0."""
        if not self._position:
            return None
        undone = self.current
        self.goto(self._position - 1)
        return undone

    def finish(self) -> BackwardStep | None:
        """Apply every remaining step: ``.grad`` is now what ``root.backward()`` gives."""
        return self.goto(self.total)

    def reset(self) -> None:
        """Back to position 0: the root seeded, every other ``.grad`` as it was before."""
        for node, g in zip(self._order, self._start):
            node.grad = g
        self._position = 0

    def run_to(self, target: str | Value) -> BackwardStep | None:
        """Go to the step of the node with this label (or this ``Value``) and return it.

        For a leaf (which has no step of its own) go to the step that completes its
        gradient. A label shared by several nodes means the next such step from here.
        """
        by_value = not isinstance(target, str)
        nodes = [n for n in self._order if (n is target if by_value else n.label == target)]
        if not nodes:
            labels = sorted({n.label for n in self._order if n.label})
            what = "that Value is not in this graph" if by_value else \
                f"no node is labelled {target!r}"
            raise NodeNotFound(f"run_to: {what}; labels in the graph: "
                               f"{', '.join(labels) or '(none: pass the Value itself)'}")
        wanted = set(nodes)
        hits = [k for k, s in enumerate(self._steps, 1) if s.node in wanted]
        if not hits:  # leaves: the step that completes their gradient
            last = {u.child: k for k, s in enumerate(self._steps, 1) for u in s.updates}
            hits = [last[n] for n in nodes if n in last]
        if not hits:
            return self.goto(0)  # the root itself, a leaf: seeded at position 0
        later = [k for k in sorted(hits) if k > self._position]
        return self.goto(later[0] if later else min(hits))

    # -- showing ---------------------------------------------------------------------------

    def table(self) -> str:
        """All gradients as of now, one row per node (``>`` current node, ``*`` updated)."""
        return gradient_table(self._order, self.current)

    def graph(self, **kwargs: Any) -> Any:
        """The graph drawing as of this step, current node and its inputs highlighted."""
        from ..viz.dot import draw_dot

        step = self.current
        default = (self.root,) if step is None else (step.node, *(u.child for u in step.updates))
        kwargs.setdefault("highlight", default)
        return draw_dot(self.root, **kwargs)

    def _repr_svg_(self) -> str | None:
        """Jupyter shows the stepper as its current graph (None without Graphviz)."""
        try:
            return self.graph().pipe(format="svg", encoding="utf-8")
        except (ImportError, OSError, RuntimeError, AutogradError):
            return None

    def __repr__(self) -> str:
        step = self.current
        name = None if step is None else step.name
        return f"Stepper(position={self._position}/{self.total}, current={name!r})"

    def explain(self) -> str:
        """The header, then per input of the current step its local rule and chain-rule line:
        ``do/dn = 1 - o**2 = 0.5000`` above ``n.grad += o.grad * do/dn = ...``."""
        step = self.current
        return "\n".join([self.header()] + ([] if step is None else
                                            ["  " + line for line in step.explain()]))

    def header(self, step: BackwardStep | None = None) -> str:
        """``step 3/7: n (add)`` for a step (the current one by default).

        When earlier ``backward()`` calls left gradients behind, it says so: the steps
        then multiply this pass's ``upstream``, while ``.grad`` also holds the earlier sum.
        """
        step = self.current if step is None else step
        if step is None:
            root = node_name(self.root, len(self._order) - 1)
            seeded = self._start[-1]
            if this_pass_only(seeded, self._seed):
                return f"step 0/{self.total}: {root}.grad = {fmt(seeded)} (seed)"
            return (f"step 0/{self.total}: {root} seeded with {fmt(self._seed)} (this pass); "
                    f"{root}.grad = {fmt(seeded)} includes {fmt(seeded - self._seed)} from "
                    "earlier backward calls")
        head = f"step {step.position}/{self.total}: {step.name} ({step.op})"
        if this_pass_only(step.grad, step.upstream):
            return head
        return (f"{head}  [upstream = {fmt(step.upstream)} from this pass; {step.name}.grad = "
                f"{fmt(step.grad)} includes earlier backward calls]")

def _record(nodes: Any, current: dict[Value, float]) -> tuple[Change, ...]:
    """Each node's grad before (from ``current``) and now; ``current`` moves to now."""
    out = []
    for node in nodes:
        now = node.grad
        out.append((node, current[node], now))
        current[node] = now
    return tuple(out)
