"""Gradient checks for your own tests: every parameter of a model, or a sample of them.

``check_model_gradients(model, loss_fn)`` compares what ``backward()`` puts in each
parameter's ``.grad`` with central differences of the loss, perturbing the parameter's
``.data`` in place (and restoring it). Rows are named by parameter path, and the
report is the same ``GradcheckReport`` that ``gradcheck`` prints::

    from autograd.testing import check_model_gradients

    def test_my_model_gradients():
        model = MLP(2, [4, 1], seed=0)
        check_model_gradients(model, lambda: mse(model(x), y))  # raises on a mismatch
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..engine import Value
from ..errors import InputTypeError
from .blame import check_graph
from .finite_diff import apply, check_eps
from .gradcheck import GradcheckReport, check_tols, finish, make_row, probe

__all__ = ["check_model_gradients"]


def _parameters(model: Any) -> list[tuple[str, Value]]:
    if not hasattr(model, "named_parameters"):
        raise InputTypeError(f"check_model_gradients: the model must have named_parameters(), "
                             f"got {type(model).__name__}")
    params = list(model.named_parameters())
    for item in params:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Value)):
            raise InputTypeError(f"check_model_gradients: named_parameters() must give "
                                 f"(name, Value) pairs, got {item!r}")
    if not params:
        raise InputTypeError("check_model_gradients: the model has no parameters")
    return params


def check_model_gradients(model: Any, loss_fn: Callable[[], Value], max_params: int = 200,
                          seed: int = 0, eps: float = 1e-6, atol: float = 1e-5,
                          rtol: float = 1e-3, raise_on_failure: bool = True,
                          per_node: bool = False) -> GradcheckReport:
    """Check d loss / d p for the model's parameters (a seeded sample of ``max_params``).

    ``loss_fn()`` builds the loss ``Value`` from the parameters' current data. Every
    parameter's ``.grad`` is zeroed and then holds the analytic gradient afterwards;
    ``.data`` is restored exactly. Kinks (a relu input at 0) are reported, not failed.
    Raises ``GradcheckError`` with the table on failure unless ``raise_on_failure=False``.
    """
    eps = check_eps(eps, "check_model_gradients")
    atol, rtol = check_tols(atol, rtol, "check_model_gradients")
    if not isinstance(max_params, int) or isinstance(max_params, bool) or max_params < 1:
        raise InputTypeError(f"check_model_gradients: max_params must be an int >= 1, "
                             f"got {max_params!r}")
    params = _parameters(model)
    for _, p in params:
        p.grad = 0.0
    loss = apply(loss_fn, [], "check_model_gradients", "loss_fn")
    loss.backward()
    picked = range(len(params))
    extra = ""
    if len(params) > max_params:
        picked = sorted(random.Random(seed).sample(picked, max_params))
        extra = f"sampled {max_params} of {len(params):,} parameters, seed={seed}"
    rows = []
    for k in picked:
        name, p = params[k]
        x = p.data

        def evaluate(d: float, p: Value = p, x: float = x) -> tuple[Value, list[float]]:
            p.data = x + d
            try:
                root = apply(loss_fn, [], "check_model_gradients", "loss_fn")
            finally:
                p.data = x
            return root, [root.data]

        (numeric,), flag, note = probe(evaluate, loss, eps)
        rows.append(make_row(name, x, p.grad, numeric, atol, rtol, flag, note))
    report = GradcheckReport(rows, title="check_model_gradients", unit="parameters", eps=eps,
                             atol=atol, rtol=rtol, extra=extra)
    if per_node or report.failures:
        report.blame = check_graph(loss, eps, atol, rtol)
    return finish(report, raise_on_failure)
