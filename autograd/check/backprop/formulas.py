"""The derivative formulas learners write, and the activations their numpy code spells.

A mistake is often a right formula in the wrong place: ``a * (1 - a)`` (the sigmoid's
derivative from its output) applied to an array no sigmoid produced, or evaluated on the
input ``z`` instead of ``a``. These tables list the formulas the mistake search tries.

>>> activation_name(("negative", "exp", "add", "divide")), activation_name(("exp", "log"))
('sigmoid', 'np.exp then np.log')
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["FORMULAS", "REPLACEMENTS", "activation_name"]


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


# derivative formulas a user may write, evaluated on one array's numbers, and whose they are
FORMULAS: list[tuple[str, str, Callable[[np.ndarray], np.ndarray]]] = [
    ("the sigmoid derivative a*(1-a)", "sigmoid", lambda a: a * (1.0 - a)),
    ("the tanh derivative 1-a**2", "tanh", lambda a: 1.0 - a * a),
    ("sigmoid'(a) = sigmoid(a)*(1-sigmoid(a))", "sigmoid",
     lambda a: _sigmoid(a) * (1.0 - _sigmoid(a))),
    ("the relu derivative (a > 0)", "relu", lambda a: (a > 0).astype(float)),
]

# what a chain's derivative may be replaced by: (formula, evaluated on, factor)
REPLACEMENTS: list[tuple[str | None, str, Callable[[np.ndarray], np.ndarray]]] = [
    (None, "output", np.ones_like),
    ("the sigmoid derivative a*(1-a)", "output", FORMULAS[0][2]),
    ("the tanh derivative 1-a**2", "output", FORMULAS[1][2]),
    ("the sigmoid derivative a*(1-a)", "input", FORMULAS[0][2]),
    ("sigmoid'(a)", "input", FORMULAS[2][2]),
    ("the relu derivative (a > 0)", "input", FORMULAS[3][2]),
]

_ACTIVATIONS = {("negative", "exp", "add", "divide"): "sigmoid",
                ("negative", "exp", "add", "true_divide"): "sigmoid",
                ("expit",): "sigmoid", ("tanh",): "tanh", ("maximum",): "relu"}


def activation_name(ops: tuple[str, ...]) -> str:
    """What a chain of element-wise ops computes: ``sigmoid`` for ``1/(1+np.exp(-z))``."""
    return _ACTIVATIONS.get(ops, " then ".join(f"np.{op}" for op in ops))
