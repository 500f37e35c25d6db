"""The scalar engine for ``Sequential``: one graph of ``Value``s per sample.

A batch is the mean of its samples' loss graphs (as Keras averages), one ``backward``,
one optimizer step. Slow, but every node is there to step through, draw and check; it
runs the same per-sample function (:func:`nn.fit.objectives.sample_fn`) as the compiled
engine in :mod:`nn.fit.compiled`, and has the same interface.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd
from autograd import Value

from .objectives import sample_fn

__all__ = ["ScalarRunner"]


class ScalarRunner:
    """Train, score and predict sample by sample on the scalar engine."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.fn = sample_fn(model)
        self.units = model.output_size
        self.noise: np.random.Generator | None = None  # draws the masks of training batches
        self.params = model.parameters()

    def begin(self, noise: np.random.Generator | None = None) -> None:
        """Nothing to read: the parameters are the Values themselves; ``noise`` (fit's
        generator) draws the random inputs of training batches."""
        if noise is not None:
            self.noise = noise

    def end_fit(self) -> None:
        """Nothing to write back."""

    def sample(self, x: list[float], t: list[float],
               labels: bool = False) -> tuple[Value, list[Value]]:
        """One sample's loss graph and output Values; inputs and targets are leaves (a
        training sample's ``x`` ends with its random numbers, e.g. dropout masks)."""
        if labels:
            xs = [Value(v, f"x{i}") for i, v in enumerate(x)]
            ys = [Value(v, f"y{j}") for j, v in enumerate(t)]
        else:
            xs, ys = [Value(v) for v in x], [Value(v) for v in t]
        outs, loss = self.fn(xs, ys)
        return loss, outs

    def batch_loss(self, X: np.ndarray, Y: np.ndarray) -> tuple[Value, np.ndarray]:
        """Mean loss of a batch (one graph per sample, summed) and the outputs' numbers;
        in training, each sample's random numbers are drawn as the compiled engine does."""
        if self.noise is not None and self.model.noise_size:
            X = np.hstack([X, self.model.draw_noise(self.noise, len(X))])
        losses, outs = [], np.empty((len(X), self.units))
        for i, (x, t) in enumerate(zip(X.tolist(), Y.tolist())):
            loss, out = self.sample(x, t)
            losses.append(loss)
            outs[i] = [v.data for v in out]
        return autograd.sum(losses) * (1.0 / len(losses)), outs

    def train_batch(self, opt: Any, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
        """One step on the batch's mean loss; returns that mean and the outputs."""
        for p in self.params:  # frozen ones too: their .grad is this batch's, as compiled
            p.grad = 0.0
        loss, outs = self.batch_loss(X, Y)
        loss.backward()
        opt.step()
        return loss.data, outs

    def score(self, X: np.ndarray, Y: np.ndarray, chunk: int,
              verbose: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample losses and outputs, no graph kept."""
        from tqdm import tqdm  # the bar, when verbose=1

        losses, outs = np.empty(len(X)), np.empty((len(X), self.units))
        rows = tqdm(list(zip(X.tolist(), Y.tolist())), desc="evaluate", unit="sample",
                    disable=verbose != 1, leave=False)
        with autograd.no_grad():
            for i, (x, t) in enumerate(rows):
                loss, out = self.sample(x, t)
                losses[i], outs[i] = loss.data, [v.data for v in out]
        return losses, outs

    def predict(self, X: np.ndarray, chunk: int, verbose: int = 0) -> np.ndarray:
        """The model's outputs for every row of ``X``."""
        from tqdm import tqdm

        out = np.empty((len(X), self.units))
        with autograd.no_grad():
            for i, row in enumerate(tqdm(X.tolist(), desc="predict", unit="sample",
                                         disable=verbose != 1, leave=False)):
                out[i] = [v.data for v in self.model(row)]
        return out
