"""Steps: the three kinds of vectorized operation a compiled program is made of.

Every batch-varying node owns a column of the block ``A`` (shape ``(batch, columns)``);
a step reads its operands from earlier columns, writes its group's outputs into one
contiguous run of columns, and in reverse adds its local partials times the upstream
gradient (``G``, same shape as ``A``) into its operands' columns -- the chain rule of
``backward.py``, one group at a time:

* :class:`MapStep` -- same op, same depth, elementwise over ``(batch, group)`` blocks;
* :class:`ReduceStep` -- ``sum``/``dot`` nodes gathered into ``(batch, group, n)``;
* :class:`MatmulStep` -- ``dot`` nodes sharing their input list, with parameter
  weights: ``X @ W.T``, and ``W`` a (strided) view of the flat parameter vector; the
  ``+ b`` of a dense layer joins it when :mod:`autograd.compiled.fuse` finds one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..errors import CompileError
from .rules import VRule
from .threads import matmul_into

__all__ = ["MapStep", "MatmulStep", "ReduceStep", "pack_parameters", "selector"]


def selector(idx: np.ndarray, live: range) -> tuple[Any, str | None]:
    """Column selector for ``idx`` (a slice when contiguous) and how gradients reach it.

    The mode is ``"add"`` when the columns are distinct, ``"at"`` when some repeat (added
    with ``np.add.at``), None when none of them needs a gradient (inputs, targets,
    constants: outside ``live``). :mod:`autograd.compiled.writes` may turn ``"add"`` into
    ``"set"`` where the step is the columns' only writer (no zeros to add to).
    """
    idx = np.asarray(idx, dtype=np.intp).ravel()
    needed = bool(((idx >= live.start) & (idx < live.stop)).any())
    if idx.size and np.array_equal(idx, np.arange(idx[0], idx[0] + idx.size)):
        return slice(int(idx[0]), int(idx[0]) + idx.size), ("add" if needed else None)
    distinct = np.unique(idx).size == idx.size
    return idx, (("add" if distinct else "at") if needed else None)


def _scatter(G: np.ndarray, sel: Any, mode: str | None, contrib: Any) -> None:
    if mode is None:
        return
    if mode == "set":  # the only contribution these columns get
        G[:, sel] = contrib
    elif mode == "add":
        G[:, sel] += contrib
    else:  # a column read twice by the group (a + a): accumulate every use
        np.add.at(G, (slice(None), sel), contrib)


def _times_into(G: np.ndarray, sel: Any, mode: str | None, gout: np.ndarray, p: Any) -> None:
    """Add (or set) ``gout * p`` into the columns ``sel``, without a temporary when it can."""
    if mode is None:
        return
    if type(p) is float and p in (1.0, -1.0):  # exact, like g * 1.0 in the scalar engine
        if mode != "set" or not isinstance(sel, slice):
            _scatter(G, sel, mode, gout if p == 1.0 else -gout)
        elif p == 1.0:
            np.copyto(G[:, sel], gout)
        else:
            np.negative(gout, out=G[:, sel])
        return
    if mode == "set" and isinstance(sel, slice):
        np.multiply(gout, p, out=G[:, sel])
    else:
        _scatter(G, sel, mode, gout * p)


class ColumnStep:
    """What backward writes and reads for a step over block columns: ``targets`` holds one
    (column selector, write mode) per operand, ``out`` the step's own columns."""

    targets: list[tuple[Any, str | None]]
    out: slice

    def grad_targets(self) -> list[tuple[Any, str | None]]:
        """Where backward writes: one (column selector, mode) per operand."""
        return self.targets

    def set_mode(self, i: int, mode: str) -> None:
        """Change how backward writes into operand ``i``'s columns."""
        self.targets[i] = (self.targets[i][0], mode)

    def grad_read(self) -> slice:
        """The gradient columns backward reads (its output's)."""
        return self.out


class MapStep(ColumnStep):
    """One elementwise op over a group: ``A[:, out] = rule(A[:, arg_0], A[:, arg_1]...)``."""

    def __init__(self, rule: VRule, value: Any, args: list[np.ndarray], out: slice,
                 nodes: list[int], live: range, check: Any = None,
                 names: list[list[str]] | None = None):
        self.rule, self.value, self.out, self.nodes = rule, value, out, nodes
        self.targets = [selector(a, live) for a in args]
        self.check, self.names = check, names

    def forward(self, A: np.ndarray, theta: np.ndarray) -> None:
        args = [A[:, s] for s, _ in self.targets]
        if self.rule.bad is not None:
            mask = self.rule.bad(args, self.value)
            if mask.any():
                self._domain_error(args, mask)
        if self.rule.into is not None and self.value is None:  # no temporary block
            self.rule.into(*args, out=A[:, self.out])
        else:
            A[:, self.out] = self.rule.forward(args, self.value)

    def backward(self, A: np.ndarray, G: np.ndarray, theta: np.ndarray,
                 gtheta: np.ndarray) -> None:
        gout = G[:, self.out]
        args = [A[:, s] for s, _ in self.targets]
        parts = self.rule.partials(args, A[:, self.out], self.value)
        if len(parts) != len(args):
            raise CompileError(f"vectorized rule of {self.rule.name!r} returned {len(parts)} "
                               f"partials for {len(args)} inputs")
        for (sel, mode), p in zip(self.targets, parts):
            _times_into(G, sel, mode, gout, p)

    def _domain_error(self, args: list[np.ndarray], mask: np.ndarray) -> None:
        sample, j = (int(i) for i in np.argwhere(mask)[0])
        xs = [float(a[sample, j]) for a in args]
        bad = self.check(*xs) if self.check is not None else None
        node = f"node #{self.nodes[j]}"
        if bad is None:
            raise CompileError(f"{self.rule.name}: input {xs} outside its domain at {node}, "
                               f"sample {sample} of the batch")
        cls, index, message = bad
        where = self.names[j][index] if self.names else node
        raise cls(message.replace("{node}", where) + f" (compiled {node}, sample {sample} "
                  "of the batch)")


class ReduceStep(ColumnStep):
    """``sum`` or ``dot`` nodes gathered into ``(batch, group, n)``, padded with a 0 column."""

    def __init__(self, rule: VRule, value: Any, parts: list[np.ndarray], real: np.ndarray,
                 out: slice, nodes: list[int], live: range):
        self.rule, self.value, self.out, self.nodes = rule, value, out, nodes
        self.parts = parts  # one (group, n) column-index array per part
        self.real = np.flatnonzero(real.ravel())  # positions that are not padding
        self.targets = [selector(p.ravel()[self.real], live) for p in parts]

    def forward(self, A: np.ndarray, theta: np.ndarray) -> None:
        args = [A[:, p] for p in self.parts]
        A[:, self.out] = self.rule.forward(args, self.value)

    def backward(self, A: np.ndarray, G: np.ndarray, theta: np.ndarray,
                 gtheta: np.ndarray) -> None:
        gout = G[:, self.out][:, :, None]
        args = [A[:, p] for p in self.parts]
        partials = self.rule.partials(args, A[:, self.out], self.value)
        batch, shape = len(A), self.parts[0].shape
        for p, (sel, mode) in zip(partials, self.targets):
            if mode is None:
                continue
            contrib = np.broadcast_to(gout * p, (batch, *shape)).reshape(batch, -1)
            _scatter(G, sel, mode, contrib[:, self.real])


class MatmulStep:
    """``dot`` nodes that share one input list ``X`` and whose weights are parameters."""

    def __init__(self, xcols: np.ndarray, widx: np.ndarray, out: slice, nodes: list[int],
                 live: range):
        self.out, self.nodes = out, nodes
        self.x = selector(xcols, live)
        self.bias: tuple[slice, Any, bool] | None = None  # (output, theta selector, unique)
        self.threads: int | None = None  # a large product's parts (the program's threads)
        self.set_weights(widx)

    def grad_targets(self) -> list[tuple[Any, str | None]]:
        """Where backward writes into the block: the input columns (parameters go to
        ``gtheta``)."""
        return [self.x]

    def set_mode(self, i: int, mode: str) -> None:
        """Change how backward writes into the input columns."""
        self.x = (self.x[0], mode)

    def grad_read(self) -> slice:
        """The gradient columns backward reads: the bias add's when fused, else its own."""
        return self.out if self.bias is None else self.bias[0]

    def set_weights(self, widx: np.ndarray, owner: bool = False) -> None:
        """Where ``W`` lives in ``theta``; ``owner``: no other step shares its parameters."""
        self.widx, self.owner = widx, owner
        g, n = widx.shape
        self.view = None  # (start, row stride) when W is a strided block of theta
        if widx.size:
            start = int(widx[0, 0])
            stride = int(widx[1, 0] - start) if g > 1 else n
            grid = start + stride * np.arange(g)[:, None] + np.arange(n)[None, :]
            if stride >= n and np.array_equal(widx, grid):
                self.view = (start, stride)
        self.w_unique = self.view is not None or np.unique(widx).size == widx.size

    def assigned_gradient(self) -> slice | None:
        """The block of ``gtheta`` that ``backward`` writes whole (not adds to), if any."""
        if self.view is None or not self.owner or self.view[1] != self.widx.shape[1]:
            return None
        return slice(self.view[0], self.view[0] + self.widx.size)

    def weights(self, theta: np.ndarray) -> np.ndarray:
        """``W`` as a ``(group, n)`` array: a view into ``theta`` when the layout allows."""
        if self.view is None:
            return theta[self.widx]
        (g, n), (start, stride) = self.widx.shape, self.view
        if stride == n:
            return theta[start:start + g * n].reshape(g, n)
        isz = theta.itemsize
        return as_strided(theta[start:], shape=(g, n), strides=(stride * isz, isz))

    def forward(self, A: np.ndarray, theta: np.ndarray) -> None:
        matmul_into(A[:, self.x[0]], self.weights(theta).T, A[:, self.out], self.threads)
        if self.bias is not None:  # the layer's ``dot + b`` nodes, b a row of theta
            np.add(A[:, self.out], theta[self.bias[1]], out=A[:, self.bias[0]])

    def backward(self, A: np.ndarray, G: np.ndarray, theta: np.ndarray,
                 gtheta: np.ndarray) -> None:
        if self.bias is None:
            gout = G[:, self.out]
        else:  # d(dot + b)/d(dot) = d(dot + b)/db = 1: the sum's gradient serves both
            out, b, unique = self.bias
            gout = G[:, out]
            if unique:
                gtheta[b] += gout.sum(axis=0)
            else:
                np.add.at(gtheta, b, gout.sum(axis=0))
        X = A[:, self.x[0]]
        if self.assigned_gradient() is not None:
            matmul_into(gout.T, X, self.weights(gtheta), self.threads)  # into its own block
        elif self.view is not None:
            self.weights(gtheta)[...] += gout.T @ X  # (group, n): sum over the batch
        elif self.w_unique:
            gtheta[self.widx] += gout.T @ X
        else:
            np.add.at(gtheta, self.widx, gout.T @ X)
        sel, mode = self.x
        if mode == "set" and isinstance(sel, slice):  # the only writer: no temporary
            matmul_into(gout, self.weights(theta), G[:, sel], self.threads)
        elif mode is not None:  # not for a first layer: inputs need no gradient
            _scatter(G, sel, mode, gout @ self.weights(theta))


def pack_parameters(steps: list[Any], param_idx: np.ndarray, n_params: int) -> np.ndarray:
    """Order ``theta`` so each matmul's weights are one contiguous row-major block.

    Returns the order (new position -> given position) and renumbers the steps and
    ``param_idx`` in place. Weights used by one matmul only are packed first, each
    block owned by its step; every other parameter follows in the given order.
    """
    matmuls = [s for s in steps if isinstance(s, MatmulStep)]
    uses = np.zeros(n_params, dtype=np.intp)
    for s in matmuls:
        np.add.at(uses, s.widx.ravel(), 1)
    blocks, taken, owners = [], np.zeros(n_params, dtype=bool), set()
    for s in matmuls:
        flat = s.widx.ravel()
        if (uses[flat] == 1).all():
            blocks.append(flat)
            taken[flat] = True
            owners.add(id(s))
    order = np.concatenate(blocks + [np.flatnonzero(~taken)]).astype(np.intp)
    new_of_old = np.empty(n_params, dtype=np.intp)
    new_of_old[order] = np.arange(n_params)
    for s in matmuls:
        s.set_weights(new_of_old[s.widx], owner=id(s) in owners)
    param_idx[:] = new_of_old[param_idx]
    return order
