"""``gradcheck``: backward's gradients against finite differences, as a readable table.

One row per input: its value, the analytic gradient (the op-table rules, via
``autograd.grad``), the numeric one (central differences), the errors and a status.
A finite difference that straddles a kink (relu/abs at 0) or touches a domain edge
(log/sqrt near 0) cannot be trusted: such rows say "not differentiable here" instead
of failing. When a row fails, the report also names the first op whose own rule
disagrees with its forward (``check_graph``), so a wrong custom op is pointed at.

>>> print(gradcheck(lambda x, y: (x * y).tanh(), [0.5, -1.0]))  # doctest: +ELLIPSIS
gradcheck: 2 inputs, eps=1e-06, atol=1e-05, rtol=0.001
    name  value  analytic   numeric    abs err  rel err  status
    x0    0.5    -0.786448  -0.786448  ...  ok
    x1    -1     0.393224   0.393224   ...  ok
ok: 2 of 2 inputs agree (worst abs err ...)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..errors import DomainError, GradcheckError
from ..real import as_real
from .blame import GraphReport, check_graph
from .finite_diff import apply, as_inputs, check_eps, crossed, leaves
from .finite_diff import names as row_names
from .functional import grad

__all__ = ["GradcheckReport", "GradcheckRow", "gradcheck", "gradgradcheck"]

OK, FAIL, NOT_DIFF = "ok", "FAIL", "not differentiable here"
_MARK = {OK: " ", FAIL: "✗", NOT_DIFF: "~"}


@dataclass(frozen=True)
class GradcheckRow:
    """One checked derivative: analytic vs numeric, and the verdict."""

    name: str
    value: float | None
    analytic: float
    numeric: float
    abs_err: float
    rel_err: float
    status: str  # "ok", "FAIL" or "not differentiable here"
    note: str = ""  # why a row is not differentiable here


@dataclass
class GradcheckReport:
    """Every row, ``.ok``, and (when computed) ``.blame``: the per-op check of the graph."""

    rows: list[GradcheckRow]
    title: str = "gradcheck"
    unit: str = "inputs"
    eps: float = 1e-6
    atol: float = 1e-5
    rtol: float = 1e-3
    blame: GraphReport | None = None
    extra: str = ""  # e.g. "sampled 200 of 1,000 parameters"

    @property
    def failures(self) -> list[GradcheckRow]:
        return [r for r in self.rows if r.status == FAIL]

    @property
    def ok(self) -> bool:
        return not self.failures and (self.blame is None or self.blame.ok)

    def verdict(self) -> str:
        """The one-line summary that ends the table."""
        fails, n = self.failures, len(self.rows)
        skipped = sum(r.status == NOT_DIFF for r in self.rows)
        nd = f", {skipped} not differentiable here (not checked)" if skipped else ""
        culprit = self.blame.first if self.blame is not None else None
        op = f"; first wrong op: {culprit.op!r} at node #{culprit.number}" if culprit else ""
        if fails:
            worst = max(fails, key=lambda r: (not math.isnan(r.abs_err), r.abs_err))
            return (f"FAILED: {len(fails)} of {n} {self.unit} disagree (worst: {worst.name}, "
                    f"abs err {worst.abs_err:.1e}){op}")
        if culprit:
            return f"FAILED: {n - skipped} of {n} {self.unit} agree{nd}, but op {culprit.op!r} " \
                   f"at node #{culprit.number} has a wrong derivative rule"
        checked = [r.abs_err for r in self.rows if r.status == OK]
        if not checked:
            return f"ok: nothing to check, {skipped} of {n} {self.unit} not differentiable here"
        return f"ok: {n - skipped} of {n} {self.unit} agree (worst abs err {max(checked):.1e}){nd}"

    def __str__(self) -> str:
        head = ["", "name", "value", "analytic", "numeric", "abs err", "rel err", "status"]
        body = [[_MARK[r.status], r.name, "" if r.value is None else f"{r.value + 0.0:.6g}",
                 f"{r.analytic + 0.0:.6g}", f"{r.numeric + 0.0:.6g}", f"{r.abs_err:.1e}",
                 f"{r.rel_err:.1e}", r.status] for r in self.rows]
        widths = [max(len(row[c]) for row in [head, *body]) for c in range(len(head))]
        unit = self.unit[:-1] if len(self.rows) == 1 else self.unit  # "1 input"
        lines = [f"{self.title}: {len(self.rows)} {unit}, eps={self.eps:g}, "
                 f"atol={self.atol:g}, rtol={self.rtol:g}" + (f" ({self.extra})" if self.extra
                                                               else "")]
        for row in [head, *body]:
            lines.append(" " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        lines += [f"   ~ {r.name}: {r.note}" for r in self.rows if r.note]
        if self.blame is not None:
            lines.append(f"blame: {str(self.blame).removeprefix('check_graph: ')}")
        lines.append(self.verdict())
        return "\n".join(lines)


def make_row(name: str, value: float | None, analytic: float, numeric: float, atol: float,
             rtol: float, flag: str = "", note: str = "") -> GradcheckRow:
    """A row with its errors and status; ``flag`` is from ``probe``: "kink" rows are never
    failures, "branch" and "undefined" rows only excuse a disagreement."""
    abs_err = abs(analytic - numeric)
    scale = max(abs(analytic), abs(numeric))
    rel_err = abs_err / scale if scale else (0.0 if abs_err == 0 else abs_err)
    agree = abs_err <= atol + rtol * abs(numeric) or analytic == numeric
    if flag == "kink" or (flag and not agree):
        return GradcheckRow(name, value, analytic, numeric, abs_err, rel_err, NOT_DIFF, note)
    return GradcheckRow(name, value, analytic, numeric, abs_err, rel_err,
                        OK if agree else FAIL)


def probe(evaluate: Callable[[float], tuple[Value, list[float]]], base: Value, eps: float,
          n: int = 1) -> tuple[list[float], str, str]:
    """Central differences of the quantities ``evaluate(d)`` returns at a shift ``d``.

    Returns the differences, a flag ("kink", "branch", "undefined" or "") and a note.
    """
    try:
        plus, hi = evaluate(eps)
        minus, lo = evaluate(-eps)
    except (ArithmeticError, ValueError) as exc:  # a domain error, or f not finite there
        note = f"f is undefined next to this point ({type(exc).__name__}: {exc})"
        return [math.nan] * n, "undefined", note
    diffs = [(h - lo_) / (2.0 * eps) for h, lo_ in zip(hi, lo)]
    hit = crossed(base, plus, minus)
    return diffs, *(hit or ("", ""))


def check_tols(atol: Any, rtol: Any, where: str) -> tuple[float, float]:
    """``atol`` and ``rtol`` as non-negative finite floats, or a clear error."""
    a, r = as_real(atol, f"{where}: atol"), as_real(rtol, f"{where}: rtol")
    if not (a >= 0 and r >= 0 and math.isfinite(a) and math.isfinite(r)):
        raise DomainError(f"{where}: atol and rtol must be >= 0 and finite, got {atol!r}, {rtol!r}")
    return a, r


def finish(report: GradcheckReport, raise_on_failure: bool) -> GradcheckReport:
    """Raise ``GradcheckError`` (message: the whole table) if asked and the check failed."""
    if raise_on_failure and not report.ok:
        raise GradcheckError(str(report), report)
    return report


def gradcheck(f: Callable[..., Value], xs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_on_failure: bool = True,
              per_node: bool = False, names: Sequence[str] | None = None) -> GradcheckReport:
    """Compare ``f``'s gradients from the op rules with central differences, per input.

    A row passes when ``|analytic - numeric| <= atol + rtol * |numeric|``. With
    ``per_node=True`` every op node's own rule is checked too (``check_graph``); that
    blame is also added whenever a row fails. Raises ``GradcheckError`` carrying the
    report on failure unless ``raise_on_failure=False``.
    """
    inputs = as_inputs(xs, "gradcheck")
    eps = check_eps(eps, "gradcheck")
    atol, rtol = check_tols(atol, rtol, "gradcheck")
    labels = row_names(inputs, names)
    inputs = [(x, name) for (x, _), name in zip(inputs, labels)]  # leaves carry row names
    args = leaves(inputs)
    out = apply(f, args, "gradcheck")
    analytic = grad(out, args)
    rows = []
    for i, (x, _) in enumerate(inputs):
        def evaluate(d: float, i: int = i) -> tuple[Value, list[float]]:
            root = apply(f, leaves(inputs, i, d), "gradcheck")
            return root, [root.data]

        (numeric,), flag, note = probe(evaluate, out, eps)
        rows.append(make_row(labels[i], x, analytic[i], numeric, atol, rtol, flag, note))
    report = GradcheckReport(rows, eps=eps, atol=atol, rtol=rtol)
    if per_node or report.failures:
        report.blame = check_graph(out, eps, atol, rtol)
    return finish(report, raise_on_failure)


def gradgradcheck(f: Callable[..., Value], xs: Sequence[Any], eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, raise_on_failure: bool = True,
                  names: Sequence[str] | None = None) -> GradcheckReport:
    """Second order: ``d/dx_j (df/dx_i)`` from ``grad(..., create_graph=True)`` against
    central differences of the analytic first derivatives; one row per pair (i, j)."""
    inputs = as_inputs(xs, "gradgradcheck")
    eps = check_eps(eps, "gradgradcheck")
    atol, rtol = check_tols(atol, rtol, "gradgradcheck")
    labels = row_names(inputs, names)
    inputs = [(x, name) for (x, _), name in zip(inputs, labels)]
    args = leaves(inputs)
    out = apply(f, args, "gradgradcheck")
    first = grad(out, args, create_graph=True)
    analytic = [grad(g, args) for g in first]
    columns = []
    for j in range(len(inputs)):
        def evaluate(d: float, j: int = j) -> tuple[Value, list[float]]:
            moved = leaves(inputs, j, d)
            root = apply(f, moved, "gradgradcheck")
            return root, grad(root, moved)

        columns.append(probe(evaluate, out, eps, len(inputs)))
    rows = []
    for i in range(len(inputs)):
        for j, (diffs, flag, note) in enumerate(columns):
            name = f"d2f/d{labels[i]}d{labels[j]}"
            rows.append(make_row(name, None, analytic[i][j], diffs[i], atol, rtol, flag, note))
    report = GradcheckReport(rows, title="gradgradcheck", unit="second derivatives",
                             eps=eps, atol=atol, rtol=rtol)
    return finish(report, raise_on_failure)

