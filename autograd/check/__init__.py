"""Checking gradients: finite differences, gradcheck tables, per-op blame, higher order.

Everything here reads a graph the core built and compares it with numbers computed
another way; nothing here changes how gradients are computed. ``gradcheck`` (standard
library only) loads with the package; the rest on first use (``check_backprop`` needs numpy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attach

# Imported now, as the function: importing the module `gradcheck` later would otherwise
# leave the module, not the function, under the name `autograd.check.gradcheck`.
from .gradcheck import GradcheckReport, gradcheck, gradgradcheck

if TYPE_CHECKING:
    from .anomaly import detect_anomaly
    from .backprop import BackpropReport, check_backprop
    from .blame import GraphReport, check_graph
    from .finite_diff import numeric_grad
    from .functional import grad, hessian
    from .hand_grads import HandGradsReport, check_hand_grads
    from .model_check import check_model_gradients

__all__ = [
    "numeric_grad", "gradcheck", "gradgradcheck", "GradcheckReport", "check_graph",
    "GraphReport", "grad", "hessian", "detect_anomaly", "check_model_gradients",
    "check_backprop", "BackpropReport", "check_hand_grads", "HandGradsReport",
]

_LAZY = {
    "detect_anomaly": ".anomaly",
    "BackpropReport": ".backprop", "check_backprop": ".backprop",
    "GraphReport": ".blame", "check_graph": ".blame",
    "numeric_grad": ".finite_diff",
    "grad": ".functional", "hessian": ".functional",
    "check_model_gradients": ".model_check",
    "HandGradsReport": ".hand_grads", "check_hand_grads": ".hand_grads",
}


__getattr__, __dir__ = attach(__name__, _LAZY, globals())
