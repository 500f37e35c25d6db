"""``BackpropReport``: a hand derivation against autograd, one aligned row per parameter.

Each row gives the parameter's shape and the shape of the user's gradient, the worst
absolute and relative error, the status and the diagnosis; below the table, a sentence
per wrong parameter with its worst entries, then whether the update descends, then the
verdict (as :class:`~autograd.check.gradcheck.GradcheckReport` ends with one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .diagnose import Diagnosis

__all__ = ["BackpropReport", "BackpropRow", "shape_text"]

OK, FAIL = "ok", "FAIL"


def shape_text(shape: tuple[int, ...] | None) -> str:
    """``(2, 5)`` as ``2x5``, ``()`` as ``scalar``, None as ``-``."""
    if shape is None:
        return "-"
    return "x".join(map(str, shape)) if shape else "scalar"


@dataclass
class BackpropRow:
    """One parameter: shapes, errors, status, diagnosis and worst entries."""

    name: str
    shape: tuple[int, ...]
    your_shape: tuple[int, ...] | None
    max_abs: float
    max_rel: float
    status: str  # "ok" or "FAIL"
    diagnosis: Diagnosis
    worst: list[tuple[str, float, float]] = field(default_factory=list)  # entry, yours, right
    fd_err: float = math.nan  # worst |finite difference - autograd| on the checked entries
    fd_checked: int = 0
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.diagnosis.kinds

    @property
    def kind(self) -> str:
        return self.diagnosis.kind

    @property
    def factor(self) -> float:
        return self.diagnosis.factor


@dataclass
class BackpropReport:
    """Every parameter's row, ``.ok``, whether the update descends, and the graph.

    ``report["W1"]`` is W1's row; ``true_grads`` and ``your_grads`` hold the arrays
    compared; ``graph`` is the loss as a ``Value``, to draw or step through.
    """

    rows: list[BackpropRow]
    true_grads: dict[str, np.ndarray]
    your_grads: dict[str, np.ndarray | None]
    loss: float
    graph: Any = None
    update: str = "-="
    lr: float | None = None
    step: bool = False
    slope: float | None = None  # sum of <true grad, step direction>: > 0 descends
    loss_after: float | None = None
    data: str = ""
    atol: float = 1e-6
    rtol: float = 1e-4
    eps: float = 1e-6
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> BackpropRow:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no parameter {name!r}; the parameters are "
                       f"{', '.join(r.name for r in self.rows)}")

    @property
    def failures(self) -> list[BackpropRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def descends(self) -> bool | None:
        """Whether one update step goes downhill (first order), None if it cannot run."""
        return None if self.slope is None else self.slope > 0

    def step_line(self) -> str:
        """Whether the update (or the training step) descends, in the user's terms."""
        what = "the training step" if self.step else f"the update `params {self.update} lr * " \
            "grads`"
        if self.slope is None:
            return f"{what} cannot run: a gradient's shape does not broadcast to its parameter"
        after = ""
        if self.loss_after is not None:
            after = f"; loss {self.loss:.6g} -> {self.loss_after:.6g} at lr={self.lr:g}"
        if self.slope > 0:
            overshoot = self.loss_after is not None and self.loss_after > self.loss
            how = "descends for small steps, but this lr overshoots" if overshoot else "descends"
            return f"{what} {how} (first-order change -lr * {self.slope:.3g}){after}"
        if self.slope == 0:
            return f"{what} does not move the loss (first-order change 0){after}"
        return f"{what} CLIMBS the loss (first-order change +lr * {-self.slope:.3g}){after}"

    def verdict(self) -> str:
        """The one-line summary that ends the table."""
        n = len(self.rows)
        if not self.failures:
            worst = max((r.max_abs for r in self.rows if not math.isnan(r.max_abs)), default=0)
            return f"ok: {n} of {n} parameters match autograd (worst abs err {worst:.1e})"
        parts = "; ".join(f"{r.name}: {r.diagnosis.short}" for r in self.failures)
        return f"FAILED: {len(self.failures)} of {n} parameters disagree ({parts})"

    def __str__(self) -> str:
        head = ["", "name", "shape", "yours", "max abs err", "max rel err", "status",
                "diagnosis"]
        body = [["✗" if not r.ok else " ", r.name, shape_text(r.shape), shape_text(r.your_shape),
                 f"{r.max_abs:.1e}", f"{r.max_rel:.1e}", r.status, r.diagnosis.short or "-"]
                for r in self.rows]
        widths = [max(len(row[c]) for row in [head, *body]) for c in range(len(head))]
        n = len(self.rows)
        lines = [f"check_backprop: {n} parameter{'s' * (n != 1)}"
                 + (f", data {self.data}" if self.data else "")
                 + f"; atol={self.atol:g}, rtol={self.rtol:g}"]
        checked = sum(r.fd_checked for r in self.rows)
        total = sum(math.prod(r.shape) for r in self.rows)
        fd = max((r.fd_err for r in self.rows if r.fd_checked), default=0.0)
        doubt = any("finite differences disagree" in r.note for r in self.rows)
        lines.append(f"true gradients: autograd on Values, "
                     f"{'NOT confirmed' if doubt else 'confirmed'} by finite differences "
                     f"({checked} of {total} entries, eps={self.eps:g}, max diff {fd:.1e})")
        for row in [head, *body]:
            lines.append(" " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        same: dict[str, list[str]] = {}  # one line for parameters with the same diagnosis
        for r in self.failures:
            if r.diagnosis.detail:
                same.setdefault(r.diagnosis.detail, []).append(r.name)
        lines += [f"{', '.join(who)}: {detail}" for detail, who in same.items()]
        for r in self.failures:
            if r.worst and r.max_abs > self.atol + self.rtol * max(abs(t) for _, _, t in r.worst):
                lines.append(f"  worst {r.name}: " + "; ".join(
                    f"{e} yours {y:.6g}, right {t:.6g}" for e, y, t in r.worst))
        lines += [f"{r.name}: {r.note}" for r in self.rows if r.note]
        lines += self.notes
        lines.append(self.step_line())
        lines.append(self.verdict())
        return "\n".join(lines)
