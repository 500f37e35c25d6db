"""The lab's state model: one graph, and every number the viewer shows, computed in Python.

``LabState(root)`` lays the graph out once (or takes ``layout=``, one made before for the
same structure, where there is no Graphviz), then computes the *scene*: a JSON-ready dict
with the SVG, the forward and backward frames, an inspector record per node, the
editable leaves and the last check. Live hosts (the notebook widget, the local server, the
classroom site) call ``set_leaves``, ``gradient_step`` and ``check``; each recomputes the
forward pass on the same graph (through the op table's forwards, so the layout never
changes), a fresh backward, and the scene. The lab changes leaves' ``.data`` (and,
through them, every op node's) and leaves every ``.grad`` as it found it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import AutogradError, InputTypeError, NodeNotFound, OptionError
from ..graph import topo_order
from ..trace import node_name, trace_backward
from ..viz.groups import neuron_owners
from ..viz.labels import fmt_num
from .forward import recompute
from .frames import build_frames
from .gradient_check import check_leaves
from .inspector import inspect_nodes
from .layout import Layout, lay_out
from .neuron_inspector import inspect_neurons
from .panels import panels_of
from .scene import Scene
from .sentences import short_name
from .user_numbers import checked, learning_rate

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["LabState"]

ACTIONS = ("set_leaves", "gradient_step", "check")
COLLAPSE_OVER = 120  # nn graphs with more nodes than this open collapsed, one box per neuron


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _keys(order: list[Value], names: list[str]) -> dict[str, int]:
    """A unique key per leaf: its name, or ``name#k`` when the name is shared."""
    counts: dict[str, int] = {}
    for k, node in enumerate(order):
        if not node.op:
            counts[names[k]] = counts.get(names[k], 0) + 1
    return {(names[k] if counts[names[k]] == 1 else f"{names[k]}#{k}"): k
            for k, node in enumerate(order) if not node.op}


class LabState:
    """One graph in the lab: its layout (once) and its scene (after every change)."""

    def __init__(self, root: Value, title: str | None = None, rankdir: str = "LR",
                 collapse: bool | None = None, max_nodes: int = 1000, lr: float = 0.1,
                 params: Sequence[Value] | None = None, live: bool = True,
                 expr: str | None = None, layout: Layout | None = None) -> None:
        if not hasattr(root, "grad") or not hasattr(root, "children"):
            raise InputTypeError(f"the lab expects a Value, got {root!r} ({type(root).__name__})")
        self.root = root
        self.order = order = topo_order(root)
        self.names = [node_name(node, k) for k, node in enumerate(order)]
        self.keys = _keys(order, self.names)
        self.num = {node: k for k, node in enumerate(order)}
        auto = collapse is None
        if collapse is None:
            collapse = len(order) > COLLAPSE_OVER and bool(neuron_owners(order))
        self.layout = layout if layout is not None else \
            lay_out(order, rankdir, collapse, max_nodes, auto_collapse=auto)
        self.title = title or f"{self.names[-1]}: forward and backward, step by step"
        self.live = live
        self.expr = expr  # the expression text the graph was built from, if it was
        self.lr = lr  # checked: finite, in (0, MAX_LR]
        self.trainable = set(self._trainable(params))
        self.message = self.layout.note
        self.report: dict[str, Any] | None = None
        self.version = 0
        self._compute()

    @classmethod
    def from_expression(cls, text: str, values: Mapping[str, Any], **options: Any) -> LabState:
        """The lab of an expression with its inputs' ``values``, numbers people give: each a
        finite number (else ``OptionError`` naming it) for a variable the expression uses
        (as on the command line); ``options`` (``rankdir``, ``lr``...) as for a graph."""
        from ..expr import parse
        from ..expr.names import read_bindings

        expr = parse(text)
        numbers: dict[str, Any] = {}
        for name, value in read_bindings(values).items():
            if name not in expr.variables:
                uses = ", ".join(expr.variables) or "no variables"
                raise OptionError(f"lab: {name!r} is not a variable of {expr.text!r}; it uses "
                                  f"{uses}")
            numbers[name] = value if hasattr(value, "grad") else checked(name, value)
        return cls(expr.evaluate(numbers), **{"title": expr.text, **options}, expr=expr.text)

    @property
    def lr(self) -> float:
        """The gradient step's learning rate: a finite number in (0, ``MAX_LR``]."""
        return self._lr

    @lr.setter
    def lr(self, value: Any) -> None:
        self._lr = learning_rate(value, "lab: lr")

    def _trainable(self, params: Sequence[Value] | None) -> list[int]:
        """What a gradient step moves: ``params``; else an nn model's parameters (leaves
        labelled by their path), else every input."""
        if params is not None:
            return [self._number(p) for p in params]
        owned = neuron_owners(self.order)
        found = [k for k in self.keys.values() if self.order[k] in owned]
        return found or list(self.keys.values())

    # -- reading ---------------------------------------------------------------------------

    def _number(self, item: Value | str) -> int:
        if isinstance(item, str):
            if item in self.keys:
                return self.keys[item]
            raise NodeNotFound(f"lab: no input is named {item!r}; inputs: "
                               f"{', '.join(self.keys) or '(none)'}")
        k = self.num.get(item)
        if k is None or self.order[k].op:
            raise NodeNotFound(f"lab: {item!r} is not an input (leaf) of this graph")
        return k

    def values(self) -> dict[str, float]:
        """Every input's current value, by key."""
        return {key: self.order[k].data for key, k in self.keys.items()}

    def grads(self) -> dict[str, float]:
        """Every input's gradient (a fresh backward from zero), by key."""
        return {key: self.final[k] for key, k in self.keys.items()}

    @property
    def output(self) -> float:
        return self.root.data

    # -- computing -------------------------------------------------------------------------

    def _compute(self) -> None:
        order = self.order
        saved = [node.grad for node in order]
        try:
            for node in order:
                node.grad = 0.0
            steps = list(trace_backward(self.root))
            self.final = [float(node.grad) for node in order]
        finally:
            for node, grad in zip(order, saved):
                node.grad = grad
        ops = sum(1 for node in order if node.op)
        seed_frame = ops + 1
        step_frame = {step.number: seed_frame + step.position for step in steps}
        self.frames = build_frames(order, self.names, self.layout, steps, self.final)
        self.inspector = inspect_nodes(order, self.names, self.final, step_frame, seed_frame)
        for box, record in inspect_neurons(order, self.layout, self.final, step_frame).items():
            self.inspector[self.layout.outputs[box]]["neuron"] = record
        self.forward_frames = seed_frame
        self.version += 1

    def scene(self, svg: bool = True) -> Scene:
        """Everything the viewer draws, as JSON-ready data (``svg=False``: numbers only).
        Gradients are in the frames only, so a page shows each from the frame computing it."""
        root = len(self.order) - 1
        out = Scene(
            version=self.version, title=self.title, live=self.live,
            frames=self.frames, inspector=self.inspector,  # type: ignore[typeddict-item]
            forward=self.forward_frames, boxes=self.layout.box,
            neurons=self.layout.names, outputs=self.layout.outputs, root=root,
            output={"name": self.names[root], "data": fmt_num(self.root.data)},
            leaves=[{"key": key, "short": short_name(key), "number": k,
                     "value": _finite(self.order[k].data), "text": fmt_num(self.order[k].data),
                     "train": k in self.trainable} for key, k in self.keys.items()],
            lr=self.lr, message=self.message, panels=panels_of(self))
        if self.expr is not None:
            out["expr"] = self.expr
        if svg:
            out["svg"] = self.layout.svg
        return out

    def panel_check(self) -> dict[str, Any] | None:
        """The gradient check table's data (``panel_check.js`` draws it), once checked."""
        if self.report is None:
            return None
        rows = [{**row, "short": short_name(row["name"])} for row in self.report["rows"]]
        return {**self.report, "rows": rows}

    # -- live actions ----------------------------------------------------------------------

    def set_leaves(self, values: Mapping[str, Any]) -> None:
        """Give inputs new values (by key) and recompute; a value that breaks an op (log of
        a negative) is refused, every input put back, and the message kept for the page."""
        numbers = {self._number(key): checked(f"lab: value of {key!r}", v)
                   for key, v in values.items()}
        self._apply(numbers, "set " + ", ".join(f"{self.names[k]} = {fmt_num(x)}"
                                                for k, x in numbers.items()))

    def gradient_step(self, lr: float | None = None) -> None:
        """One step of gradient descent on the trainable inputs: ``x -= lr * dL/dx``."""
        if lr is not None:
            self.lr = lr
        moved = {k: self.order[k].data - self.lr * self.final[k] for k in sorted(self.trainable)}
        if not all(math.isfinite(x) for x in moved.values()):
            self.message = (f"refused: gradient step with lr {self.lr:g}: an input would "
                            "leave the finite numbers; try a smaller lr")
            self.version += 1
            return
        before = self.root.data
        self._apply(moved, f"gradient step with lr {self.lr:g}")
        if not self.message.startswith("refused"):
            self.message = (f"gradient step with lr {self.lr:g}: {self.names[-1]} "
                            f"{fmt_num(before)} -> {fmt_num(self.root.data)}")

    def act(self, action: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one action a page asked for (``set_leaves``, ``gradient_step``, ``check``)
        and return the new scene without its SVG (the layout never changes)."""
        args = args if isinstance(args, Mapping) else {}
        if action == "set_leaves":
            values = args.get("values")
            if not isinstance(values, Mapping):
                raise InputTypeError(f"lab: set_leaves needs values as a mapping of input "
                                     f"names to numbers, got {values!r}")
            self.set_leaves(values)
        elif action == "gradient_step":
            self.gradient_step(args.get("lr"))
        elif action == "check":
            self.check()
        else:
            raise OptionError(f"lab: unknown action {action!r}; expected one of "
                              f"{', '.join(ACTIONS)}")
        return self.scene(svg=False)

    def check(self) -> dict[str, Any]:
        """Gradient check per input (finite differences on this graph), with the blame
        line naming the first op whose rule is wrong; kept for the page."""
        self.report = check_leaves(self.order, self.keys, self.final)
        self.version += 1
        return self.report

    def _apply(self, numbers: dict[int, float], what: str) -> None:
        old = {k: self.order[k].data for k in numbers}
        finite = [math.isfinite(node.data) for node in self.order]
        try:
            for k, x in numbers.items():
                self.order[k].data = x
            recompute(self.order)
            for k, node in enumerate(self.order):
                if finite[k] and not math.isfinite(node.data):
                    raise OptionError(f"{self.names[k]} would be {node.data}; the lab keeps "
                                      "every value finite")
        except (AutogradError, ArithmeticError, ValueError) as err:
            for k, x in old.items():
                self.order[k].data = x
            recompute(self.order)
            self.message = f"refused: {what}: {err}"
            self.version += 1
            return
        self.message = what
        self.report = None
        self._compute()
