"""Fuse a softmax head's cross-entropy tail into one step.

``softmax`` + ``categorical_crossentropy`` records, per sample, as
``lse = logsumexp(z)``, ``d = dot(y, z)``, ``loss = lse * sum(y) - d`` and the outputs
``exp(z - lse)``: two reductions and four elementwise steps over a ``(batch, classes)``
block, each too small for anything but call overhead to matter. When nothing else reads
the intermediate columns, one :class:`SoftmaxXentStep` computes them all, and its
backward is the textbook ``(sum(y) * softmax(z) - y) * dloss``. Every node keeps its
column and its value, so the outputs, the losses and the gradient are those of the
steps it replaces (to rounding; the scalar engine is the reference).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .fuse import reads
from .steps import ColumnStep, MapStep, ReduceStep, _times_into

__all__ = ["SoftmaxXentStep", "fuse_softmax_xent"]


class SoftmaxXentStep(ColumnStep):
    """``lse``, ``dot(y, z)``, ``lse * s``, the loss, ``z - lse`` and ``exp`` in one step."""

    def __init__(self, lse: ReduceStep, dot: ReduceStep, mul: MapStep, loss: MapStep,
                 shift: MapStep, exp: MapStep, y: slice) -> None:
        k = 1 if _same(mul.targets[0][0], lse.out) else 0  # the operand that is ``sum(y)``
        self.z, self.y, self.lse, self.d = lse.targets[0][0], y, lse.out, dot.out
        self.m, self.s, self.s_first = mul.out, mul.targets[k][0], k == 0
        self.logp, self.p, self.out = shift.out, exp.out, loss.out
        self.targets = [lse.targets[0], mul.targets[k]]
        self.nodes = lse.nodes + dot.nodes + mul.nodes + loss.nodes + shift.nodes + exp.nodes

    def columns_read(self) -> np.ndarray:
        """Every column of the block the forward pass reads."""
        return np.concatenate([np.arange(c.start, c.stop) for c in (self.z, self.y, self.s)])

    def forward(self, A: np.ndarray, theta: np.ndarray) -> None:
        z, logp, p = A[:, self.z], A[:, self.logp], A[:, self.p]
        top = z.max(axis=1, keepdims=True)  # nan propagates; an infinite max is the answer
        finite = np.isfinite(top)
        shift = top if finite.all() else np.where(finite, top, 0.0)
        np.subtract(z, shift, out=logp)
        np.exp(logp, out=p)
        lse = A[:, self.lse]
        np.add(shift, np.log(p.sum(axis=1, keepdims=True)), out=lse)
        if not finite.all():
            lse[...] = np.where(finite, lse, top)
        np.subtract(z, lse, out=logp)
        np.exp(logp, out=p)
        d = A[:, self.d]
        d[:, 0] = np.einsum("ij,ij->i", A[:, self.y], z)
        s = A[:, self.s]
        np.multiply(*((s, lse) if self.s_first else (lse, s)), out=A[:, self.m])
        np.subtract(A[:, self.m], d, out=A[:, self.out])

    def backward(self, A: np.ndarray, G: np.ndarray, theta: np.ndarray,
                 gtheta: np.ndarray) -> None:
        g = G[:, self.out]  # d(loss)/d(lse * s) = 1, d(loss)/d(dot) = -1
        z_sel, z_mode = self.targets[0]
        _times_into(G, *self.targets[1], g, A[:, self.lse])  # d(lse * s)/ds = lse
        if z_mode is None:
            return
        contrib = (g * A[:, self.s]) * A[:, self.p] - g * A[:, self.y]
        if z_mode == "set":
            G[:, z_sel] = contrib
        else:
            G[:, z_sel] += contrib


def _slice(cols: np.ndarray) -> slice | None:
    cols = np.asarray(cols, dtype=np.intp).ravel()
    if cols.size and np.array_equal(cols, np.arange(cols[0], cols[0] + cols.size)):
        return slice(int(cols[0]), int(cols[0]) + cols.size)
    return None


def _same(sel: Any, cols: slice) -> bool:
    return isinstance(sel, slice) and sel == cols


def _is(step: Any, cls: type, name: str) -> bool:
    return isinstance(step, cls) and step.rule.name == name and step.value is None


def _match(i: int, steps: list[Any], readers: dict[int, set[int]], writer: dict[int, int],
           outside: set[int]) -> tuple[list[int], SoftmaxXentStep] | None:
    """The positions of a softmax cross-entropy tail starting at ``steps[i]``, and its step."""
    lse = steps[i]
    if not (isinstance(lse, ReduceStep) and lse.rule.name == "logsumexp"
            and len(lse.nodes) == 1 and lse.real.size == lse.parts[0].size):
        return None
    z = _slice(lse.parts[0])
    c = lse.out.start
    if z is None or len(readers.get(c, ())) != 2:
        return None
    at_c = [steps[j] for j in readers[c]]
    shift = next((t for t in at_c if _is(t, MapStep, "sub") and _same(t.targets[0][0], z)), None)
    other = next((t for t in at_c if t is not shift), None)
    if shift is None or other is None or not np.all(np.asarray(shift.targets[1][0]) == c):
        return None
    mul = other
    if not _is(mul, MapStep, "mul") or len(mul.nodes) != 1:
        return None
    s = [sel for sel, _ in mul.targets if not _same(sel, lse.out)]
    if len(s) != 1 or not isinstance(s[0], slice) or s[0].start in range(z.start, z.stop):
        return None
    loss_at = readers.get(mul.out.start, set())
    if len(loss_at) != 1 or mul.out.start in outside:
        return None
    loss = steps[next(iter(loss_at))]
    if not _is(loss, MapStep, "sub") or not _same(loss.targets[0][0], mul.out) \
            or len(loss.nodes) != 1:
        return None
    dot = steps[writer.get(loss.targets[1][0].start, i)] if isinstance(loss.targets[1][0], slice) \
        else None
    if not (isinstance(dot, ReduceStep) and dot.rule.name == "dot" and len(dot.nodes) == 1
            and dot.real.size == dot.parts[0].size):
        return None
    k = next((k for k in (0, 1) if _slice(dot.parts[k]) == z), None)
    if k is None or dot.targets[1 - k][1] is not None:
        return None
    y = _slice(dot.parts[1 - k])
    exp_at = {j for col in range(shift.out.start, shift.out.stop) for j in readers.get(col, ())}
    if y is None or len(exp_at) != 1:
        return None
    exp = steps[next(iter(exp_at))]
    if not _is(exp, MapStep, "exp") or not _same(exp.targets[0][0], shift.out):
        return None
    parts = [lse, dot, loss, shift, exp, mul]
    at = [steps.index(p) for p in parts]
    if len(set(at)) != len(at):
        return None
    inner = {lse.out.start, dot.out.start, *range(shift.out.start, shift.out.stop)}
    if inner & outside or readers.get(dot.out.start) != {at[2]} or any(
            readers.get(col) for col in range(exp.out.start, exp.out.stop)):
        return None
    last = max(at)
    if any(j <= last for j in readers.get(loss.out.start, ())):
        return None
    inputs = [*range(z.start, z.stop), *range(y.start, y.stop), s[0].start]
    if any(writer.get(col, -1) >= min(at) for col in inputs):
        return None
    return at, SoftmaxXentStep(lse, dot, mul, loss, shift, exp, y)


def fuse_softmax_xent(steps: list[Any], extra_reads: list[int]) -> list[Any]:
    """Replace every softmax cross-entropy tail by one :class:`SoftmaxXentStep`.

    ``extra_reads`` are columns read from outside the steps (outputs, loss): the
    intermediate columns must not be among them.
    """
    readers: dict[int, set[int]] = {}
    writer: dict[int, int] = {}
    for i, step in enumerate(steps):
        for c in np.unique(reads(getattr(step, "inner", step))).tolist():  # OnceStep
            readers.setdefault(c, set()).add(i)
        bias = getattr(step, "bias", None)  # a fused matmul writes its add's columns too
        for out in (getattr(step, "out", None), bias[0] if bias else None):
            if isinstance(out, slice):
                for c in range(out.start, out.stop):
                    writer[c] = i
    outside = set(extra_reads)
    replaced: dict[int, Any] = {}
    dropped: set[int] = set()
    for i in range(len(steps)):
        if i in dropped or i in replaced:
            continue
        found = _match(i, steps, readers, writer, outside)
        if found is None:
            continue
        at, fused = found
        replaced[max(at)] = fused
        dropped.update(j for j in at if j != max(at))
    return [replaced.get(i, s) for i, s in enumerate(steps) if i not in dropped]
