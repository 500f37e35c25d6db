"""``check_backprop``: a hand-derived numpy backward pass against autograd, diagnosed.

The user's numpy forward (``loss_fn``) runs once on arrays of Values, which gives the
true gradients and the graph; finite differences of the same ``loss_fn`` on numbers
confirm them. The user's gradients (``grad_fn``, or the step a training function takes)
are then compared per parameter, and each wrong one gets the simplest exact explanation
(:mod:`.diagnose`): a flipped sign, a factor 2 or 1/N, a transpose, an activation
derivative applied in the wrong place, a dropped term.

>>> import numpy as np
>>> X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]); y = np.array([[1.0], [0.0], [2.0]])
>>> def loss(theta, X, y):
...     return np.mean((X @ theta - y) ** 2)
>>> def grads(theta, X, y):  # the sign is wrong: this is -gradient / 2
...     return X.T @ (y - X @ theta) / len(X)
>>> report = check_backprop(loss, grads, [np.zeros((2, 1))], X, y)
>>> report.ok, report["theta"].kinds, report.descends
(False, ('sign', 'factor'), False)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ...arrays import np_values, recording
from ...errors import BackpropError, InputTypeError
from ..finite_diff import check_eps
from ..gradcheck import check_tols
from .args import (
    as_loss,
    call_user,
    data_counts,
    data_names,
    describe_data,
    grad_arrays,
    param_arrays,
    private_data,
    scalar_loss,
)
from .float_loss import descent, finite_differences
from .mistake_kinds import search_cost, variants
from .mistakes import Graph
from .report import BackpropReport
from .rows import compare

__all__ = ["check_backprop"]

SEARCH_LIMIT = 800_000  # node visits the mistake search may take (each mistake: a backward)


def check_backprop(loss_fn: Callable[..., Any], grad_fn: Callable[..., Any], params: Any,
                   *data: Any, update: str = "-=", lr: float | None = None, step: bool = False,
                   names: Sequence[str] | None = None, atol: float = 1e-6, rtol: float = 1e-4,
                   eps: float = 1e-6, max_fd: int = 200, seed: int = 0,
                   raise_on_failure: bool = False) -> BackpropReport:
    """Check hand-derived gradients of ``loss_fn(*params, *data)`` and say what is wrong.

    ``grad_fn(*params, *data)`` returns one gradient per parameter (a list, or a dict by
    name), to be applied as ``params {update} lr * grads`` (``update`` is ``"-="`` or
    ``"+="``). With ``step=True`` it is a training step instead: it returns the updated
    parameters (or updates them in place) with learning rate ``lr``. ``params`` is a list
    of arrays or a dict by name. A gradient passes when it is within ``atol + rtol * |true|``
    entry by entry; ``max_fd`` entries (seeded sample) are confirmed by central differences.
    Raises ``BackpropError`` with the report if it fails and ``raise_on_failure`` is set.
    """
    names, arrays = param_arrays(params, names, loss_fn)  # float copies
    data = private_data(data)  # the user's functions may change these, never the caller's
    atol, rtol = check_tols(atol, rtol, "check_backprop")
    eps = check_eps(eps, "check_backprop")
    if update not in ("-=", "+="):
        raise InputTypeError(f"check_backprop: update must be '-=' or '+=', got {update!r}")
    if lr is not None and not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise InputTypeError(f"check_backprop: lr must be a positive number, got {lr!r}")
    if step and lr is None:
        raise InputTypeError("check_backprop: step=True needs the step's learning rate lr=")
    arg_names = names + data_names(loss_fn, len(names), len(data))
    graph = _graph(loss_fn, names, arrays, data, arg_names)  # the truth, and the tape
    true = graph.gradients()
    loss = scalar_loss(call_user(loss_fn, "loss_fn", [*arrays, *data], arg_names))
    notes = [] if math.isclose(loss, graph.loss.data, rel_tol=1e-9, abs_tol=1e-12) else [
        f"note: loss_fn gives {loss:.6g} on numbers but {graph.loss.data:.6g} on Values"]
    if not graph.tape:
        notes.append("note: no numpy function saw the arrays of Values (a plain array's "
                     "method such as X.dot(theta) runs numpy's own loop): the gradients are "
                     "right, but misplaced derivatives cannot be searched; write X @ theta")
    yours, sign = _yours(grad_fn, arrays, data, arg_names, names, step, lr, update)
    fd = finite_differences(loss_fn, arrays, data, true, eps, max_fd, seed)
    counts = data_counts(loss_fn, len(names), data)
    rows, search = _rows(graph, true, yours, sign, names, arrays, fd, counts, atol, rtol)
    k = _subset(data) if search.skipped and any(_unexplained(r) for r in rows) else None
    while k:  # search the first k samples instead, as many as the budget allows
        sub = tuple(d[:k] for d in data)
        small = _graph(loss_fn, names, arrays, sub, arg_names)
        if search_cost(small) > SEARCH_LIMIT:
            k = k // 2 if k > 2 else None
            continue
        mine, _ = _yours(grad_fn, arrays, sub, arg_names, names, step, lr, update)
        found, search = _rows(small, small.gradients(), mine, sign, names, arrays, fd,
                              data_counts(loss_fn, len(names), sub), atol, rtol)
        rows = [_adopt(r, f, k) if _unexplained(r) and f.diagnosis.variant and
                abs(f.factor - 1.0) < 1e-3 else r for r, f in zip(rows, found)]
        notes.append(f"note: misplaced derivatives and dropped terms were searched on the "
                     f"first {k} samples (the whole batch's graph has {graph.size:,} nodes)")
        break
    if search.skipped:
        notes.append(f"note: the search for misplaced derivatives and dropped terms was "
                     f"skipped: the graph has {graph.size:,} nodes (try a smaller batch)")
    slope, after = descent(loss_fn, arrays, data, true, yours, sign, lr)
    report = BackpropReport(
        rows, dict(zip(names, true)), dict(zip(names, yours)), loss, graph.loss, update, lr,
        step, slope, after, describe_data(loss_fn, len(names), data), atol, rtol, eps, notes)
    if sign_of(update, step) < 0:
        notes.append("note: with `+=`, grad_fn must return the negative gradient")
    if step:
        notes.append("note: yours = the gradient the training step implies, "
                     "(old params - new params) / lr")
    if raise_on_failure and not report.ok:
        raise BackpropError(str(report), report)
    return report


def _rows(graph: Graph, true: list[np.ndarray], yours: list[np.ndarray], sign: float,
          names: list[str], arrays: list[np.ndarray], fd: list[tuple[float, int, str]],
          counts: dict[str, int], atol: float, rtol: float) -> tuple[list[Any], _Search]:
    """Every parameter's row; a mistake that explains some parameters exactly then beats
    a coincidental factor on the others."""
    search = _Search(graph)

    def row(k: int, preferred: tuple[Any, ...] = ()) -> Any:
        return compare(k, names[k], arrays[k], true[k], yours[k], sign, fd[k], search, counts,
                       atol, rtol, preferred)

    rows = [row(k) for k in range(len(names))]
    found = tuple(dict.fromkeys(r.diagnosis.variant for r in rows if r.diagnosis.variant))
    rows = [row(k, found) if found and r.kinds and set(r.kinds) <= {"sign", "factor"} else r
            for k, r in enumerate(rows)]
    return rows, search


def _unexplained(row: Any) -> bool:
    return not row.ok and ("unknown" in row.kinds or row.diagnosis.short.startswith("off by"))


def _subset(data: tuple[Any, ...]) -> int | None:
    """How many leading samples to search first (at most 16), if every data argument is an
    array with the same number of samples (None otherwise)."""
    if not data or not all(isinstance(d, np.ndarray) and d.ndim for d in data):
        return None
    n = data[0].shape[0]
    if any(d.shape[0] != n for d in data) or n <= 2:
        return None
    return min(n - 1, 16)


def _adopt(row: Any, found: Any, k: int) -> Any:
    """The whole batch's row with the diagnosis found on its first ``k`` samples."""
    d = found.diagnosis
    return replace(row, diagnosis=replace(d, detail=f"{d.detail} (found on the first {k} "
                                          "samples)"))


def sign_of(update: str, step: bool) -> float:
    """-1 when the user's gradients are added (``+=``), so they are minus the gradient."""
    return -1.0 if update == "+=" and not step else 1.0


def _graph(loss_fn: Callable[..., Any], names: list[str], arrays: list[np.ndarray],
           data: tuple[Any, ...], arg_names: list[str]) -> Graph:
    """Run ``loss_fn`` on Values (recording its array operations)."""
    leaves = [np_values(a, label=n) for n, a in zip(names, arrays)]
    data_ids = {id(d): n for n, d in zip(arg_names[len(names):], data)}
    with recording(data_ids) as tape:
        out = call_user(loss_fn, "loss_fn", [*leaves, *data], arg_names)
    return Graph(as_loss(out), [p.view(np.ndarray) for p in leaves], tape)


def _yours(grad_fn: Callable[..., Any], arrays: list[np.ndarray], data: tuple[Any, ...],
           arg_names: list[str], names: list[str], step: bool, lr: float | None, update: str
           ) -> tuple[list[np.ndarray | None], float]:
    """The user's gradients as given (``sign`` turns them into ``-=`` gradients), or for a
    training step the gradient it implies, ``(old - new) / lr``."""
    copies = [a.copy() for a in arrays]
    fname = "the training step" if step else "grad_fn"
    out = call_user(grad_fn, "grad_fn", [*copies, *data], arg_names)
    if not step:
        return grad_arrays(out, names, fname), sign_of(update, step)
    new = copies if out is None else grad_arrays(out, names, fname)
    implied: list[np.ndarray | None] = []
    for old, moved in zip(arrays, new):
        try:
            implied.append((old - moved) / lr)
        except ValueError:  # a step whose result does not broadcast with the parameter
            implied.append(moved * np.nan)
    return implied, 1.0


class _Search:
    """The mistake variants of the graph, made one at a time as a diagnosis asks for them,
    kept for the next parameter, within a budget of node visits."""

    def __init__(self, graph: Graph) -> None:
        self.graph, self.made = graph, []
        self.pending: Iterator[Any] | None = None
        self.skipped = False

    def __call__(self) -> Iterator[Any]:
        if self.pending is None:
            self.skipped = search_cost(self.graph) > SEARCH_LIMIT
            self.pending = iter(()) if self.skipped else variants(self.graph)
        yield from self.made
        for variant in self.pending:
            self.made.append(variant)
            yield variant
