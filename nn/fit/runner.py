"""``Runner``: what the trainer asks of an engine, whichever runs the model's samples.

Two engines implement it: :class:`~nn.fit.scalar.ScalarRunner` (one graph of ``Value``s
per sample) and :class:`~nn.fit.compiled.CompiledRunner` (one recorded program run on
whole batches of arrays). The trainer, the NaN guard and the callbacks see only this.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

__all__ = ["Runner"]


class Runner(Protocol):
    """An engine that trains, scores and predicts a model batch by batch."""

    def begin(self) -> None:
        """Before a fit/evaluate/predict: read the parameters' current values."""

    def end_fit(self) -> None:
        """After a fit (or while a callback looks): the ``Value``s hold the weights."""

    def train_batch(self, opt: Any, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
        """One optimizer step on the batch's mean loss; returns that mean and the outputs."""
        ...

    def score(self, X: np.ndarray, Y: np.ndarray, chunk: int,
              verbose: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample losses and outputs, ``chunk`` samples at a time (nothing trained)."""
        ...

    def predict(self, X: np.ndarray, chunk: int, verbose: int = 0) -> np.ndarray:
        """The outputs for every row of ``X``."""
        ...
