"""Every error the project raises on purpose, in one place.

Each class also derives from the built-in exception a Python user would expect, so
``except ValueError`` keeps working::

    AutogradError
    ├── InputTypeError      (TypeError)          Value("3"), Value(True), 2 + "x"
    ├── DomainError         (ValueError)         log(-1), (-8) ** 0.5
    ├── DivisionByZero      (ZeroDivisionError)  1 / Value(0), 0 ** -1
    ├── HookError           (TypeError)          a hook returned something that is not a number
    ├── OpDefinitionError   (ValueError)         a custom op that is ill-formed or misbehaves
    ├── GradcheckError      (AssertionError)     numeric and analytic gradients disagree
    ├── BackpropError       (AssertionError)     a hand-derived gradient disagrees with autograd
    ├── ExpressionError     (ValueError)         bad text for the expression language
    ├── GraphTooLargeError  (ValueError)         a drawing past ``max_nodes``
    ├── GraphvizNotFound    (RuntimeError)       rendering SVG/PNG/PDF without ``dot``
    ├── CompileError        (ValueError)         a graph the batch compiler cannot lower
    ├── ModelFileError      (ValueError)         a model file that is corrupt or does not fit
    │   └── ModelFileNotFound (FileNotFoundError) loading a model file that does not exist
    ├── ConfigError         (ValueError)         nn: unknown name, bad setting, wrong data shape
    │   └── DatasetError                         a data file corrupt, oversized, bad labels
    │       └── DatasetNotFound (FileNotFoundError) a data set's file is not where it is looked for
    ├── MissingDependency   (ImportError)        an optional extra (scikit-learn...) not installed
    ├── NonFiniteError      (FloatingPointError) fit: a step turned the loss or a weight NaN/inf
    ├── OptionError         (ValueError)         viz: bad rankdir/color_by/collapse, file extension
    └── NodeNotFound        (LookupError)        stepper: run_to a label or Value not in the graph

Messages name the op, the offending value and the node, e.g.
``log of non-positive value -1.0 in node 'x' (log needs an input > 0)``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AutogradError",
    "BackpropError",
    "CompileError",
    "DivisionByZero",
    "DomainError",
    "ExpressionError",
    "GradcheckError",
    "GraphTooLargeError",
    "GraphvizNotFound",
    "HookError",
    "InputTypeError",
    "ModelFileError",
    "ModelFileNotFound",
    "OpDefinitionError",
    "ConfigError",
    "DatasetError",
    "DatasetNotFound",
    "MissingDependency",
    "NonFiniteError",
    "OptionError",
    "NodeNotFound",
    "describe_node",
]


class AutogradError(Exception):
    """Base class of every error this project raises deliberately."""


class InputTypeError(AutogradError, TypeError):
    """A value that is not a real number where one is required."""


class DomainError(AutogradError, ValueError):
    """An op applied outside its domain (log of a negative, complex powers)."""


class DivisionByZero(AutogradError, ZeroDivisionError):
    """Division by zero, or zero raised to a negative power."""


class HookError(AutogradError, TypeError):
    """A gradient hook returned something that is not a real number."""


class OpDefinitionError(AutogradError, ValueError):
    """A custom op that is ill-formed (bad name, wrong number of partials...)."""


class GradcheckError(AutogradError, AssertionError):
    """Analytic and numeric gradients disagree; ``.report`` holds the full table."""

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class BackpropError(AutogradError, AssertionError):
    """Hand-derived gradients disagree with autograd; ``.report`` holds the diagnosis."""

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class ExpressionError(AutogradError, ValueError):
    """Bad input to the expression language; carries the position in the text."""

    def __init__(self, message: str, text: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.position = position


class GraphTooLargeError(AutogradError, ValueError):
    """A graph with more nodes than a drawing allows."""


class GraphvizNotFound(AutogradError, RuntimeError):
    """Rendering to SVG/PNG/PDF needs Graphviz's ``dot`` binary, which is missing."""


class CompileError(AutogradError, ValueError):
    """A recorded graph the batch compiler cannot lower."""


class ModelFileError(AutogradError, ValueError):
    """A saved model that is corrupt, truncated or of another architecture."""


class ModelFileNotFound(ModelFileError, FileNotFoundError):
    """A model file that does not exist: both a ``ModelFileError`` and a ``FileNotFoundError``."""


# -- nn (networks, losses, optimizers, datasets) ----------------------------------------


class ConfigError(AutogradError, ValueError):
    """A bad setting or input shape: unknown name, out-of-range hyperparameter, mismatched
    lengths (``dot`` of 3 weights and 2 inputs)."""


class DatasetError(ConfigError):
    """A data file that is corrupt, truncated, larger than its header says (or than the
    limit), or whose labels are not the class ids they must be."""


class DatasetNotFound(DatasetError, FileNotFoundError):
    """A data set's file that is not where it is looked for; the message says where to put it."""


class MissingDependency(AutogradError, ImportError):
    """An optional package is missing; the message names the extra that installs it."""


class NonFiniteError(AutogradError, FloatingPointError):
    """A training step made the loss or a parameter NaN/inf; ``fit`` stopped and put the
    parameters back as they were before that step."""


# -- viz (drawings, rendering, animation) -------------------------------------------------


class OptionError(AutogradError, ValueError):
    """A drawing option or output file type that is not supported; lists the valid ones."""


# -- stepper ------------------------------------------------------------------------------


class NodeNotFound(AutogradError, LookupError):
    """``Stepper.run_to`` got a label or ``Value`` that is not in the graph; lists the labels."""


def describe_node(node: Any) -> str:
    """Name a node for an error message: its label, else what produced it."""
    label = getattr(node, "label", "")
    if label:
        return f"node {label!r}"
    op = getattr(node, "op", "")
    return f"unlabeled node (output of {op})" if op else "unlabeled leaf"
