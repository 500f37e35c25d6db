"""``check_hand_grads``: the micrograd lecture's manual backprop, checked node by node.

The learner sets ``.grad`` on every node by hand (``o.grad = 1.0; n.grad = 0.5; ...``).
Each node's gradient should be the chain-rule sum over its uses, computed here from the
learner's *own* gradients of the nodes that use it, so one mistake is named once and does
not cascade; a gradient equal to the true one is right too. Numbers agree to 4 significant
digits, as the lab's predict mode checks them. Nothing here writes a ``.grad``.

>>> from autograd import Value
>>> a = Value(3.0, label="a")
>>> b = a + a
>>> b.label = "b"
>>> b.grad, a.grad = 1.0, 1.0     # the lecture's bug: a is used twice
>>> report = check_hand_grads(b)
>>> report.wrong
['a']
>>> report["a"].kind
'accumulate'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputTypeError
from ..graph import local_partials, topo_order
from ..node import Node
from ..real import as_real
from ..rule_text import rule_text
from ..trace import node_name
from .hand_mistakes import HandGrad, Term, diagnose, same_to_4

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["HandGradsReport", "check_hand_grads"]


@dataclass(frozen=True)
class HandGradsReport:
    """Every checked node, and the wrong ones with their diagnosis (``report["w1"]``).

    ``.ok``: every hand-set gradient is right; ``.wrong``: the wrong nodes' names (label,
    else ``#k``) in topological order; ``str(report)`` explains each.
    """

    checked: tuple[str, ...]
    mistakes: tuple[HandGrad, ...]

    @property
    def ok(self) -> bool:
        return not self.mistakes

    @property
    def wrong(self) -> list[str]:
        return [m.name for m in self.mistakes]

    def __getitem__(self, name: str) -> HandGrad:
        for m in self.mistakes:
            if m.name == name:
                return m
        if name in self.checked:
            raise KeyError(f"{name!r} is right (only wrong nodes have a diagnosis)")
        raise KeyError(f"no node named {name!r}; checked: {', '.join(self.checked)}")

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        n = len(self.checked)
        if self.ok:
            return f"all {n} hand-set gradients are right"
        head = (f"{len(self.mistakes)} of {n} hand-set gradients are wrong: "
                f"{', '.join(self.wrong)}")
        return "\n".join([head, *map(str, self.mistakes)])


def _near(user: Node, kids: tuple[Node, ...],
          names: dict[Node, str]) -> tuple[tuple[str, float], ...]:
    near = [(f"the value of {names[c]}", c.data) for c in dict.fromkeys(kids)]
    near.append((f"the value of {names[user]}", user.data))
    return tuple(near)


def check_hand_grads(root: Value) -> HandGradsReport:
    """Check the gradients set by hand on every node of ``root``'s graph (see the module).

    A node is right when its ``.grad`` equals the chain-rule sum over its uses from the
    learner's own gradients of those uses, or the true gradient. The root's should be 1.
    Unlabeled leaves with ``.grad`` 0 are constants (``x * 2``) and are not checked.
    """
    if not isinstance(root, Node):
        hint = ("; build the graph with `from autograd import Value` (micrograd's code runs "
                "on it unchanged)" if hasattr(root, "_prev") else "")
        raise InputTypeError(f"check_hand_grads() expects the output Value, got {root!r} "
                             f"({type(root).__name__}){hint}")
    order = topo_order(root)
    names = {node: node_name(node, k) for k, node in enumerate(order)}
    yours = {node: as_real(node.grad, f"check_hand_grads: {names[node]}.grad") for node in order}
    uses: dict[Node, list[Term]] = {node: [] for node in order}
    true: dict[Node, float] = dict.fromkeys(order, 0.0)
    true[root] = 1.0
    for user in reversed(order):
        if user._fn is None:
            continue
        kids, partials = local_partials(user)
        near = _near(user, kids, names)
        kid_names = [names[c] for c in kids]
        for i, (child, local) in enumerate(zip(kids, partials)):
            local = float(local)
            rule = rule_text(user, i, kid_names, names[user]) if user._fn.rule else ""
            uses[child].append(Term(names[user], yours[user], local, rule, near))
            true[child] += true[user] * local
    checked, mistakes = [], []
    for k, node in enumerate(order):
        mine = yours[node]
        if not node.label and node._fn is None and mine == 0 and node is not root:
            continue  # a constant nobody set
        checked.append(names[node])
        terms = tuple(uses[node])
        expected = 1.0 if node is root else math.fsum(t.value for t in terms)
        truth = 1.0 if node is root else true[node]
        unset = mine == 0 and not same_to_4(0.0, truth)  # even where its upstream is 0 too
        if not unset and (same_to_4(mine, expected) or same_to_4(mine, truth)):
            continue
        mistakes.append(diagnose(HandGrad(names[node], k, mine, expected, truth, terms, "",
                                          "")))
    return HandGradsReport(tuple(checked), tuple(mistakes))

