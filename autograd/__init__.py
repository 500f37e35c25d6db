"""scalar-autograd: a scalar reverse-mode autograd engine you can watch, check and train.

>>> from autograd import Value
>>> x, w = Value(2.0, label="x"), Value(-3.0, label="w")
>>> y = (x * w).tanh()
>>> y.backward()
>>> round(x.grad, 6)
-0.029598
"""

from .engine import Value, custom_op, dot, is_grad_enabled, no_grad, sum
from .errors import (
    AutogradError,
    CompileError,
    DivisionByZero,
    DomainError,
    ExpressionError,
    GradcheckError,
    GraphTooLargeError,
    GraphvizNotFound,
    HookError,
    InputTypeError,
    ModelFileError,
    OpDefinitionError,
)
from .graph import topo_order
from .ops import OPS, Op

__version__ = "0.1.0"

__all__ = [
    # engine
    "Value", "sum", "dot", "custom_op", "no_grad", "is_grad_enabled", "topo_order",
    "OPS", "Op",
    # errors
    "AutogradError", "CompileError", "DivisionByZero", "DomainError", "ExpressionError",
    "GradcheckError", "GraphTooLargeError", "GraphvizNotFound", "HookError",
    "InputTypeError", "ModelFileError", "OpDefinitionError",
]
