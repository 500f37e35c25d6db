"""Lower: levelize a recording and group its nodes into vectorized steps.

A node's depth is 1 + the largest depth of its children (leaves: 0). Nodes of the same
depth never read each other, so all nodes sharing (depth, op, bound parameter) become
one step. ``dot`` nodes whose weights are all parameters and whose input lists are the
same become one matrix product (a dense layer is one ``MatmulStep``), and the remaining
``sum``/``dot`` nodes one padded gather-and-reduce per (depth, op, start).

Columns of the batch block: inputs, targets, op nodes (one contiguous run per step),
then the leaves that steps read as columns (parameters, broadcast from the flat vector,
and constants; constants of equal value share one column, so ``dot(w, x + [1.0])``
layers still fuse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import CompileError, describe_node
from ..graph import children_of
from .fuse import fuse_bias_adds
from .hoist import hoist_invariant_steps
from .record import Recording, describe
from .rules import RULES
from .steps import MapStep, MatmulStep, ReduceStep, pack_parameters
from .xent import fuse_softmax_xent

__all__ = ["Plan", "lower"]


@dataclass
class Plan:
    """What a program runs: steps over a column block, and where everything lives."""

    n_inputs: int
    n_targets: int
    n_columns: int
    steps: list[Any]
    loss_steps: list[Any]  # steps the loss depends on, in backward (reverse) order
    output_steps: list[Any]  # steps the outputs depend on, in forward order
    output_cols: np.ndarray
    loss_col: int
    param_cols: Any  # parameter columns broadcast from theta (a slice when contiguous)
    param_idx: np.ndarray  # their theta positions
    const_cols: slice
    const_vals: np.ndarray
    node_col: list[int]  # column of every recorded node, -1 for none
    outputs_read_targets: bool
    param_order: np.ndarray  # theta position -> position in the given parameter list
    counts: dict[str, int] = field(default_factory=dict)


def _depths(sig: list[tuple]) -> list[int]:
    depth = [0] * len(sig)
    get = depth.__getitem__
    for k, entry in enumerate(sig):
        if len(entry) == 3:
            children = entry[2]
            depth[k] = 1 + max(map(get, children)) if children else 1
    return depth


def _halves(children: tuple, is_param: list[bool]) -> tuple[tuple, tuple] | None:
    """A dot node's (parameter weights, inputs), either way round; None if neither half fits."""
    n = len(children) // 2
    w, x = children[:n], children[n:]
    if n and all(map(is_param.__getitem__, w)):
        return w, x
    if n and all(map(is_param.__getitem__, x)):
        return x, w
    return None


def _group_key(rec: Recording, k: int, depth: int, is_param: list[bool],
               canon: list[int]) -> tuple:
    name, value, children = rec.sig[k]
    if name == "dot":
        halves = _halves(children, is_param)
        if halves is not None:
            return ("mm", tuple(map(canon.__getitem__, halves[1])))
        return ("reduce", depth, name, None)
    if name == "sum":
        return ("reduce", depth, name, value)
    rule = RULES.get(name)
    if rule is not None and rule.parts:  # logsumexp: padding with 0 would change it, so
        return ("reduce", depth, name, value, len(children))  # one group per input count
    if name not in RULES:
        raise CompileError(
            f"op {name!r} at node {describe(rec, k)} has no vectorized rule: register one with "
            f"autograd.register_vectorized({name!r}, forward, partials)")
    return ("map", depth, name, value, len(children))


def lower(rec: Recording, n_inputs: int, n_targets: int, n_params: int) -> Plan:
    """Group the recorded nodes into steps and lay out the columns they use."""
    sig = rec.sig
    canon = list(range(len(sig)))
    first_const: dict[str, int] = {}
    for k, entry in enumerate(sig):
        if entry[0] == "c" and len(entry) == 2:
            canon[k] = first_const.setdefault(entry[1], k)
    is_param = [len(e) == 2 and e[0] == "p" for e in sig]
    depth = _depths(sig)
    groups: dict[tuple, list[int]] = {}
    for k, entry in enumerate(sig):
        if len(entry) == 3:
            groups.setdefault(_group_key(rec, k, depth[k], is_param, canon), []).append(k)
    ordered = sorted(groups.items(), key=lambda kv: (depth[kv[1][0]], kv[1][0]))

    node_col = [-1] * len(sig)
    for k, entry in enumerate(sig):
        if entry[0] == "x" and len(entry) == 2:
            node_col[k] = entry[1]
        elif entry[0] == "y" and len(entry) == 2:
            node_col[k] = n_inputs + entry[1]
    col = n_inputs + n_targets
    for _, nodes in ordered:
        for k in nodes:
            node_col[k] = col
            col += 1

    # leaves read as columns: step operands, matmul inputs, outputs and loss
    wanted: dict[int, None] = {}
    for key, nodes in ordered:
        for k in ([nodes[0]] if key[0] == "mm" else nodes):
            children = sig[k][2]
            if key[0] == "mm":
                children = _halves(children, is_param)[1]
            for c in children:
                if node_col[c] < 0:
                    wanted[canon[c]] = None
    for k in rec.outputs + [rec.loss]:
        if node_col[k] < 0:
            wanted[canon[k]] = None
    params = [k for k in wanted if sig[k][0] == "p"]
    consts = [k for k in wanted if sig[k][0] == "c"]
    param_cols = slice(col, col + len(params))
    zero_col = col + len(params)  # a 0.0 column, for padding ragged reductions
    const_cols = slice(zero_col, zero_col + 1 + len(consts))
    for k in params + [None] + consts:
        if k is not None:
            node_col[k] = col
        col += 1
    for k in range(len(sig)):
        if node_col[k] < 0 and node_col[canon[k]] >= 0:
            node_col[k] = node_col[canon[k]]

    live = range(n_inputs + n_targets, zero_col)  # columns that need gradients
    steps = [_step(rec, key, nodes, node_col, zero_col, is_param, live)
             for key, nodes in ordered]
    param_idx = np.array([sig[k][1] for k in params], dtype=np.intp)
    order = pack_parameters(steps, param_idx, n_params)
    steps, param_sel, param_idx = fuse_bias_adds(
        steps, param_cols, param_idx, [node_col[k] for k in rec.outputs + [rec.loss]])
    steps = hoist_invariant_steps(steps, np.arange(param_cols.start, const_cols.stop))
    steps = fuse_softmax_xent(steps, [node_col[k] for k in rec.outputs + [rec.loss]])
    need = _needed_for_outputs(rec)
    output_steps = [s for s in steps if any(need[k] for k in s.nodes)]
    counts = {"nodes": len(sig), "op nodes": sum(len(n) for _, n in ordered),
              "steps": len(steps),
              "matmuls": sum(isinstance(s, MatmulStep) for s in steps)}
    return Plan(
        n_inputs, n_targets, col, steps,
        [s for s in reversed(steps) if s.nodes[0] < rec.n_loss], output_steps,
        np.array([node_col[k] for k in rec.outputs], dtype=np.intp), node_col[rec.loss],
        param_sel, param_idx, const_cols,
        np.array([0.0] + [float.fromhex(sig[k][1]) for k in consts]), node_col,
        any(need[k] and sig[k][0] == "y" and len(sig[k]) == 2 for k in range(len(sig))),
        order, counts)


def _needed_for_outputs(rec: Recording) -> bytearray:
    need = bytearray(len(rec.sig))
    for k in rec.outputs:
        need[k] = 1
    for k in range(len(rec.sig) - 1, -1, -1):
        entry = rec.sig[k]
        if need[k] and len(entry) == 3:
            for c in entry[2]:
                need[c] = 1
    return need


def _step(rec: Recording, key: tuple, nodes: list[int], node_col: list[int],
          zero_col: int, is_param: list[bool], live: range) -> Any:
    sig = rec.sig
    start = node_col[nodes[0]]
    out = slice(start, start + len(nodes))
    if key[0] == "mm":
        rows = []
        for k in nodes:
            w = _halves(sig[k][2], is_param)[0]
            rows.append([sig[c][1] for c in w])
        xcols = np.array([node_col[c] for c in key[1]], dtype=np.intp)
        return MatmulStep(xcols, np.array(rows, dtype=np.intp).reshape(len(nodes), -1),
                          out, nodes, live)
    if key[0] == "reduce":
        name, value = key[2], key[3]
        n_parts = RULES[name].parts
        width = max(len(sig[k][2]) for k in nodes) // n_parts
        parts = [np.full((len(nodes), width), zero_col, dtype=np.intp) for _ in range(n_parts)]
        real = np.zeros((len(nodes), width), dtype=bool)
        for row, k in enumerate(nodes):
            children = sig[k][2]
            n = len(children) // n_parts
            real[row, :n] = True
            for p in range(n_parts):
                parts[p][row, :n] = [node_col[c] for c in children[p * n:(p + 1) * n]]
        return ReduceStep(RULES[name], value, parts, real, out, nodes, live)
    name, value, arity = key[2], key[3], key[4]
    rule = RULES[name]
    args = [np.array([node_col[sig[k][2][i]] for k in nodes], dtype=np.intp)
            for i in range(arity)]
    check = names = None
    if rule.bad is not None:  # remember how to word a domain error, not the graph
        check = rec.order[nodes[0]]._fn.check
        names = [[describe_node(c) for c in children_of(rec.order[k])] for k in nodes]
    return MapStep(rule, value, args, out, nodes, live, check, names)
