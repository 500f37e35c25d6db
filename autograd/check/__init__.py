"""Checking gradients: finite differences, gradcheck tables, per-op blame, higher order.

Everything here reads a graph the core built and compares it with numbers computed
another way; nothing here changes how gradients are computed.
"""

from .anomaly import detect_anomaly
from .backprop import BackpropReport, check_backprop
from .blame import GraphReport, check_graph
from .finite_diff import numeric_grad
from .functional import grad, hessian
from .gradcheck import GradcheckReport, gradcheck, gradgradcheck
from .hand_grads import HandGradsReport, check_hand_grads
from .model_check import check_model_gradients

__all__ = [
    "numeric_grad", "gradcheck", "gradgradcheck", "GradcheckReport", "check_graph",
    "GraphReport", "grad", "hessian", "detect_anomaly", "check_model_gradients",
    "check_backprop", "BackpropReport", "check_hand_grads", "HandGradsReport",
]
