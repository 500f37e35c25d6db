"""Checking hand-derived backprop: the user's numpy gradients against the engine's.

``check_backprop`` runs the user's numpy forward on Values (:mod:`autograd.arrays`),
confirms the true gradients by finite differences (:mod:`.float_loss`), compares them with
the hand derivation (:mod:`.rows`), and names the likely mistake by replaying candidate
mistakes on the recorded graph (:mod:`.diagnose`, :mod:`.mistakes`, :mod:`.terms`).
"""

from .checker import check_backprop
from .report import BackpropReport

__all__ = ["check_backprop", "BackpropReport"]
