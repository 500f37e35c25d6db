"""The exercises, in the micrograd lecture's order: one row each (adding one is a module
with its row and a line here; the notebook, the checks and the CLI follow)."""

from __future__ import annotations

from ..errors import OptionError
from . import ex_layer, ex_local, ex_neuron, ex_op, ex_slope
from .exercise import Exercise

__all__ = ["EXERCISES", "get"]

EXERCISES: tuple[Exercise, ...] = (
    ex_slope.EXERCISE,  # a derivative by finite differences
    ex_local.EXERCISE,  # each op's local derivative
    ex_neuron.EXERCISE,  # the neuron's manual backprop (check_hand_grads)
    ex_op.EXERCISE,  # an op with its backward (gradcheck and blame)
    ex_layer.EXERCISE,  # a numpy layer derived by hand (check_backprop)
)


def get(name: str) -> Exercise:
    """The exercise called ``name``, else an ``OptionError`` (a ValueError) listing them."""
    for ex in EXERCISES:
        if ex.name == name:
            return ex
    raise OptionError(f"no exercise {name!r}; expected one of: "
                      f"{', '.join(e.name for e in EXERCISES)}")
