"""The lab's "check": each input's gradient against central differences of this very graph,
and the blame line (``check_graph``) naming the first op whose local rule is wrong.

The differences re-run the forward pass on the built graph with one input moved by
``±eps``, so the check needs no function to call, works for any graph the lab shows, and
puts every ``.data`` back afterwards.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..check.blame import check_graph
from ..check.finite_diff import near_edge
from ..check.gradcheck import GradcheckReport, make_row
from ..graph import children_of
from .forward import recompute

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["check_leaves"]


def _shifted(order: list[Value], k: int, d: float) -> list[float] | None:
    """Every node's data with input ``k`` moved by ``d`` (None where the graph is undefined)."""
    base = order[k].data
    try:
        order[k].data = base + d
        recompute(order)
        return [node.data for node in order]
    except (ArithmeticError, ValueError):
        return None
    finally:
        order[k].data = base
        recompute(order)


def check_leaves(order: list[Value], keys: dict[str, int], final: list[float],
                 eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> dict[str, Any]:
    """The check as the page shows it: one row per input, the blame, the verdict."""
    num = {node: j for j, node in enumerate(order)}
    first_input = {j: num[children_of(n)[0]] for j, n in enumerate(order) if n._fn is not None}
    rows = []
    for key, k in keys.items():
        hi, lo = _shifted(order, k, eps), _shifted(order, k, -eps)
        if hi is None or lo is None:
            note = "the graph is undefined next to this point"
            rows.append(make_row(key, order[k].data, final[k], math.nan, atol, rtol,
                                 "undefined", note))
            continue
        numeric = (hi[-1] - lo[-1]) / (2.0 * eps)
        flag, note = "", ""
        for j, c in first_input.items():
            fn = order[j]._fn
            why = near_edge(fn, order[c].data, lo[c], hi[c]) if fn.kinks else None
            if why:
                flag, note = "kink", f"{fn.name} at node #{j}: {why}"
                break
        rows.append(make_row(key, order[k].data, final[k], numeric, atol, rtol, flag, note))
    report = GradcheckReport(rows, title="check", eps=eps, atol=atol, rtol=rtol)
    report.blame = check_graph(order[-1], eps, atol, rtol)
    blame = report.blame.first
    return {
        "ok": report.ok, "text": str(report), "verdict": report.verdict(),
        "blame": "" if blame is None else str(blame),
        "rows": [{"name": r.name, "value": f"{r.value:.6g}", "analytic": f"{r.analytic:.6g}",
                  "numeric": f"{r.numeric:.6g}", "abs_err": f"{r.abs_err:.1e}",
                  "status": r.status} for r in rows],
    }
