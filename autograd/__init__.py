"""scalar-autograd: a scalar reverse-mode autograd engine you can watch, check and train.

>>> from autograd import Value
>>> x, w = Value(2.0, label="x"), Value(-0.5, label="w")
>>> y = (x * w).tanh()
>>> y.backward()
>>> round(x.grad, 6), round(w.grad, 6)
(-0.209987, 0.839949)

The core (the op table, ``Value``, the one walk, backward) sits at the top of this
package; the tools that read its graphs live in ``check/``, ``viz/``, ``step/``,
``expr/``, ``compiled/`` and ``cli/`` (``docs/architecture.md`` draws the layers);
``arrays/`` runs numpy code on arrays of Values.
"""

from . import exercises
from .arrays import np_grads, np_values
from .check import (
    BackpropReport,
    GradcheckReport,
    HandGradsReport,
    check_backprop,
    check_graph,
    check_hand_grads,
    detect_anomaly,
    grad,
    gradcheck,
    gradgradcheck,
    hessian,
    numeric_grad,
)
from .compiled import BatchProgram, compile_batch, register_vectorized
from .custom import custom_op
from .engine import Value, set_notebook_display
from .errors import (
    AutogradError,
    BackpropError,
    CompileError,
    ConfigError,
    DatasetError,
    DatasetNotFound,
    DivisionByZero,
    DomainError,
    ExpressionError,
    GradcheckError,
    GraphTooLargeError,
    GraphvizNotFound,
    HookError,
    InputTypeError,
    MissingDependency,
    ModelFileError,
    ModelFileNotFound,
    NodeNotFound,
    NonFiniteError,
    OpDefinitionError,
    OptionError,
)
from .expr import evaluate as evaluate_expression
from .expr import parse as parse_expression
from .graph import topo_order
from .lab import lab  # the function; the package's modules stay importable as autograd.lab.X
from .lab.live import Monitor
from .lab.offline import save_backward_animation, save_graph
from .modes import is_grad_enabled, no_grad
from .nary import dot, logsumexp, sum
from .ops import OPS, Op
from .step import Stepper
from .trace import BackwardStep, trace_backward
from .viz import draw_dot, draw_text, repr_svg

__version__ = "0.1.0"

# In a notebook a Value shows itself as its graph (SVG when Graphviz's `dot` is there).
set_notebook_display(repr_svg)

__all__ = [
    # the engine: values, ops, the one walk, backward
    "Value", "sum", "dot", "logsumexp", "custom_op", "no_grad", "is_grad_enabled",
    "topo_order", "OPS", "Op", "trace_backward", "BackwardStep",
    # checking gradients
    "numeric_grad", "gradcheck", "gradgradcheck", "check_graph", "GradcheckReport", "grad",
    "hessian", "detect_anomaly",
    # drawing graphs
    "draw_dot", "draw_text", "save_graph", "save_backward_animation",
    # stepping through backward, and the expression language
    "Stepper", "parse_expression", "evaluate_expression",
    # compiled batch execution
    "compile_batch", "BatchProgram", "register_vectorized",
    # numpy code on Values, and checking hand-derived backprop
    "np_values", "np_grads", "check_backprop", "BackpropReport", "BackpropError",
    # the lecture's manual backprop, checked, and exercises after the lecture
    "check_hand_grads", "HandGradsReport", "exercises",
    # the backprop lab (notebook widget; the page and server live in autograd.lab)
    "lab",
    # watching a training loop live (autograd.lab.live)
    "Monitor",
    # errors
    "AutogradError", "CompileError", "ConfigError", "DivisionByZero", "DomainError",
    "ExpressionError", "GradcheckError", "GraphTooLargeError", "GraphvizNotFound",
    "HookError", "InputTypeError", "MissingDependency", "ModelFileError", "NodeNotFound",
    "OpDefinitionError", "OptionError",
    "ModelFileNotFound", "DatasetError", "DatasetNotFound",
    "NonFiniteError",
]
