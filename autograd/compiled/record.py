"""Record: run a per-sample function once on placeholder leaves and read back its program.

The function builds an ordinary scalar graph; :func:`record` walks it with
``topo_order`` and writes one *signature* entry per node, children before parents:

* a leaf is ``("x", i)`` (input ``i``), ``("y", j)`` (target ``j``), ``("p", k)``
  (parameter ``k``) or ``("c", hex)`` (a constant, baked into the program);
* an op node is ``(op name, bound parameter, (child numbers...))``.

Two recordings of the same function on different samples must have equal signatures;
when they differ, the graph's structure depends on the input values and
:func:`first_difference` says where.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..errors import CompileError, describe_node
from ..graph import children_of, topo_order
from ..modes import is_grad_enabled

__all__ = ["Recording", "first_difference", "record", "describe"]

SampleFn = Callable[[list[Value], list[Value]], "tuple[Sequence[Value], Value]"]


@dataclass
class Recording:
    """One sample's graph: its nodes in topological order and their signature."""

    order: list[Value]
    sig: list[tuple]
    outputs: list[int]  # node numbers of the outputs
    loss: int  # node number of the loss
    n_loss: int  # nodes 0..n_loss-1 are topo_order(loss): the loss's ancestors


def _result(result: Any) -> tuple[list[Value], Value]:
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise CompileError(
            f"the per-sample function must return (outputs, loss), got {type(result).__name__}")
    outputs, loss = result
    outputs = [outputs] if isinstance(outputs, Value) else list(outputs)
    for k, v in enumerate(outputs + [loss]):
        if not isinstance(v, Value):
            what = "loss" if k == len(outputs) else f"output {k}"
            raise CompileError(
                f"the per-sample function's {what} must be a Value, got {v!r} "
                f"({type(v).__name__})")
    return outputs, loss


def record(fn: SampleFn, param_sig: dict[Value, tuple], x: Sequence[float],
           y: Sequence[float]) -> Recording:
    """Call ``fn`` on leaves holding sample ``(x, y)`` and read the graph it builds.

    ``param_sig`` maps each parameter to its signature entry ``("p", position)``.
    """
    if not is_grad_enabled():
        raise CompileError("recording needs gradients enabled: compile outside no_grad()")
    xs = [Value(float(v), label=f"x[{i}]") for i, v in enumerate(x)]
    ys = [Value(float(v), label=f"y[{j}]") for j, v in enumerate(y)]
    outputs, loss = _result(fn(xs, ys))
    order = topo_order(loss)
    n_loss = len(order)
    index = dict(zip(order, range(n_loss)))
    for out in outputs:
        if out not in index:  # an output the loss does not read: add the rest of its graph
            _extend(order, index, out)
    role = {v: ("x", i) for i, v in enumerate(xs)}
    role.update({v: ("y", j) for j, v in enumerate(ys)})
    sig: list[tuple] = []
    append, get, param, other = sig.append, index.__getitem__, param_sig.get, role.get
    for node in order:
        op = node._fn
        if op is not None:
            append((op.name, op.value, tuple(map(get, children_of(node)))))
        else:
            append(param(node) or other(node) or ("c", float(node.data).hex()))
    return Recording(order, sig, [index[o] for o in outputs], index[loss], n_loss)


def _extend(order: list[Value], index: dict[Value, int], root: Value) -> None:
    """Append ``root``'s nodes not yet in ``index``, children first (as ``topo_order``),
    without walking again the (large) part already recorded."""
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in index:
            continue
        if expanded:
            index[node] = len(order)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children_of(node)) if c not in index)


def describe(rec: Recording, k: int) -> str:
    """Node ``#k`` of a recording in words: number, op or leaf kind, label."""
    entry, node = rec.sig[k], rec.order[k]
    kind = entry[0] if len(entry) == 2 else ""  # a leaf's role; op entries have 3 fields
    if kind == "x":
        return f"#{k} (input {entry[1]})"
    if kind == "y":
        return f"#{k} (target {entry[1]})"
    if kind == "p":
        return f"#{k} (parameter, {describe_node(node)})"
    if kind == "c":
        return f"#{k} (constant {float.fromhex(entry[1])!r})"
    name, value, children = entry
    param = "" if value is None else f"[{value:g}]"
    shown = ", ".join(f"#{c}" for c in children[:4])
    more = f", ... {len(children)} inputs" if len(children) > 4 else ""
    return f"#{k} ({name}{param} of {shown}{more}; {describe_node(node)})"


def first_difference(a: Recording, b: Recording) -> int | None:
    """The first node number where two recordings differ, or None if they agree."""
    if a.sig == b.sig and a.outputs == b.outputs and a.loss == b.loss:
        return None
    for k, (ea, eb) in enumerate(zip(a.sig, b.sig)):
        if ea != eb:
            return k
    return min(len(a.sig), len(b.sig))
