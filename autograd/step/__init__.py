"""Stepping through backward: a ``Stepper`` that moves one chain-rule step at a time."""

from .stepper import Stepper, gradient_table

__all__ = ["Stepper", "gradient_table"]
