"""scalar-autograd: a scalar reverse-mode autograd engine you can watch, check and train.

>>> from autograd import Value
>>> x, w = Value(2.0, label="x"), Value(-0.5, label="w")
>>> y = (x * w).tanh()
>>> y.backward()
>>> round(x.grad, 6), round(w.grad, 6)
(-0.209987, 0.839949)
"""

from ._expr import evaluate as evaluate_expression  # stepper part
from ._expr import parse as parse_expression  # stepper part
from .animation import save_backward_animation  # viz part
from .anomaly import detect_anomaly  # verify part
from .blame import check_graph  # verify part
from .compiled import BatchProgram, compile_batch, register_vectorized  # compiled batch execution
from .custom import custom_op
from .engine import Value, is_grad_enabled, no_grad
from .errors import (
    AutogradError,
    CompileError,
    ConfigError,  # nn part
    DivisionByZero,
    DomainError,
    ExpressionError,
    GradcheckError,
    GraphTooLargeError,
    GraphvizNotFound,
    HookError,
    InputTypeError,
    MissingDependency,  # nn part
    ModelFileError,
    NodeNotFound,  # stepper part
    OpDefinitionError,
    OptionError,  # viz part
)
from .functional import grad, hessian  # verify part
from .gradcheck import GradcheckReport, gradcheck, gradgradcheck  # verify part
from .graph import topo_order
from .nary import dot, logsumexp, sum  # logsumexp: compiled batch execution, phase 2
from .numeric import numeric_grad  # verify part
from .ops import OPS, Op
from .render import save_graph  # viz part
from .stepper import Stepper  # stepper part
from .textgraph import draw_text  # viz part
from .trace import BackwardStep, trace_backward
from .viz import draw_dot  # viz part

__version__ = "0.1.0"

__all__ = [
    # engine
    "Value", "sum", "dot", "custom_op", "no_grad", "is_grad_enabled", "topo_order",
    "OPS", "Op", "trace_backward", "BackwardStep",
    # errors
    "AutogradError", "CompileError", "DivisionByZero", "DomainError", "ExpressionError",
    "GradcheckError", "GraphTooLargeError", "GraphvizNotFound", "HookError",
    "InputTypeError", "ModelFileError", "OpDefinitionError",
    # nn part
    "ConfigError", "MissingDependency",
    # verify part
    "numeric_grad", "gradcheck", "gradgradcheck", "check_graph", "GradcheckReport", "grad",
    "hessian", "detect_anomaly",
    # viz part
    "draw_dot", "draw_text", "save_graph", "save_backward_animation", "OptionError",
    # stepper part
    "Stepper", "NodeNotFound", "parse_expression", "evaluate_expression",
    # compiled batch execution
    "compile_batch", "BatchProgram", "register_vectorized",
    # compiled batch execution, phase 2: a stable log-sum-exp node for softmax/cross-entropy
    "logsumexp",
]
