"""Gradient checks for your own test suite: ``from autograd.testing import check_model_gradients``.

The checks themselves live in :mod:`autograd.check`; this module is their stable home
for tests, as ``numpy.testing`` is for numpy's.
"""

from .check.model_check import check_model_gradients

__all__ = ["check_model_gradients"]
