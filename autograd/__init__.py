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

``import autograd`` loads the engine alone, standard library only (it runs where numpy
cannot: Pyodide, a bare venv); each tool loads on first use, with numpy or graphviz if it
needs them (the stepper, gradcheck and ``draw_text`` need neither).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The engine: imported now, standard library only.
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
from .graph import topo_order
from .lab import lab  # the function; the package's modules stay importable as autograd.lab.X
from .lazy import attach
from .modes import is_grad_enabled, no_grad
from .nary import dot, logsumexp, sum
from .ops import OPS, Op
from .trace import BackwardStep, trace_backward

# The tools: imported on first use (PEP 562), with numpy or graphviz when they need them.
if TYPE_CHECKING:
    from . import exercises
    from .arrays.valuearray import np_grads, np_values
    from .check.anomaly import detect_anomaly
    from .check.backprop import BackpropReport, check_backprop
    from .check.blame import check_graph
    from .check.finite_diff import numeric_grad
    from .check.functional import grad, hessian
    from .check.gradcheck import GradcheckReport, gradcheck, gradgradcheck
    from .check.hand_grads import HandGradsReport, check_hand_grads
    from .compiled import BatchProgram, compile_batch, register_vectorized
    from .expr.parser import evaluate as evaluate_expression
    from .expr.parser import parse as parse_expression
    from .lab.live.monitor import Monitor
    from .lab.offline import save_backward_animation, save_graph
    from .step.stepper import Stepper
    from .viz.dot import draw_dot
    from .viz.save import repr_svg as repr_svg
    from .viz.text_tree import draw_text

_LAZY = {
    "np_grads": ".arrays.valuearray", "np_values": ".arrays.valuearray",
    "detect_anomaly": ".check.anomaly",
    "BackpropReport": ".check.backprop", "check_backprop": ".check.backprop",
    "check_graph": ".check.blame",
    "numeric_grad": ".check.finite_diff",
    "grad": ".check.functional", "hessian": ".check.functional",
    "GradcheckReport": ".check.gradcheck", "gradcheck": ".check.gradcheck",
    "gradgradcheck": ".check.gradcheck",
    "HandGradsReport": ".check.hand_grads", "check_hand_grads": ".check.hand_grads",
    "exercises": ".exercises:",
    "BatchProgram": ".compiled", "compile_batch": ".compiled",
    "register_vectorized": ".compiled",
    "evaluate_expression": ".expr.parser:evaluate", "parse_expression": ".expr.parser:parse",
    "Monitor": ".lab.live.monitor",
    "save_backward_animation": ".lab.offline", "save_graph": ".lab.offline",
    "Stepper": ".step.stepper",
    "draw_dot": ".viz.dot",
    "repr_svg": ".viz.save",
    "draw_text": ".viz.text_tree",
}


__getattr__, __dir__ = attach(__name__, _LAZY, globals())


def _notebook_svg(root: Value) -> str | None:
    """A Value's graph as SVG for Jupyter, or None (its text repr) without Graphviz."""
    try:
        from .viz.save import repr_svg
    except ModuleNotFoundError as err:
        if err.name != "graphviz":
            raise
        return None
    return repr_svg(root)


__version__ = "0.1.0"

# In a notebook a Value shows itself as its graph (SVG when Graphviz's `dot` is there).
set_notebook_display(_notebook_svg)

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
