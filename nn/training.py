"""Training for the Keras-style ``Sequential``: ``fit``, ``evaluate``, ``predict``.

Each batch: zero the gradients, build one graph per sample (``trace_sample``), average
the losses (as Keras does), one ``backward``, one optimizer step. The per-sample loss is
in :mod:`nn.objectives`; a compiled batch executor plugs in at ``_batch_loss``.
"""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
from tqdm import tqdm

import autograd
from autograd import Value
from autograd.errors import ConfigError

from .objectives import LOSSES, as_table, check_targets, correct, sample_loss

__all__ = ["History", "Trainer"]


class History:
    """What ``fit`` returns: ``history`` maps loss, accuracy, val_loss... to per-epoch lists."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


class Trainer:
    """``fit``, ``evaluate``, ``predict`` and ``trace_sample`` for ``Sequential``."""

    # -- data ------------------------------------------------------------------------------

    def _inputs(self, X: Any, where: str) -> list[list[float]]:
        arr = as_table(X, where)
        if arr.ndim != 2 or len(arr) == 0:
            hint = " (wrap a single sample in a list: [x])" if arr.ndim == 1 else ""
            raise ConfigError(f"{where}: X must be 2-D (samples, features), got shape "
                              f"{arr.shape}{hint}")
        if not self.built:
            self.build(arr.shape[1])
        width = self.layers[0].input_dim
        if arr.shape[1] != width:
            raise ConfigError(f"{where}: X has {arr.shape[1]} features per sample, the model "
                              f"expects {width} (input_shape=({width},))")
        bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
        if bad.size:
            raise ConfigError(f"{where}: X row {bad[0]} holds NaN or inf")
        return arr.tolist()

    def _targets(self, y: Any, n: int, where: str) -> list[Any]:
        return check_targets(self._kind(where), self.layers[-1].units, y, n, where)

    def _kind(self, where: str) -> str:
        if self.loss is None:
            raise ConfigError(f"{where}: call compile(optimizer, loss, metrics) first")
        return LOSSES[self.loss]

    # -- the per-sample and per-batch computation ------------------------------------------

    def _sample(self, row: list[float], target: Any,
                labels: bool = False) -> tuple[Value, list[float]]:
        """One sample's loss graph and its output numbers: the unit a batch is made of."""
        xs = [Value(x, f"x{i}") for i, x in enumerate(row)] if labels else [Value(x) for x in row]
        return sample_loss(LOSSES[self.loss], self.layers[-1].activation, self._logits(xs), target)

    def trace_sample(self, x: Any, y: Any) -> Value:
        """The loss of one sample ``(x, y)`` as a graph, to step through or draw.

        Inputs are labelled ``x0, x1, ...``, the output ``loss``, parameters by path.
        """
        rows = self._inputs([x], "trace_sample")
        loss = self._sample(rows[0], self._targets([y], 1, "trace_sample")[0], labels=True)[0]
        loss.label = "loss"
        return loss

    def _batch_loss(self, rows: list[list[float]], targets: list[Any]) -> tuple[Value, float]:
        """Mean loss of a batch (one graph per sample, summed) and its number correct."""
        kind, losses, hits = LOSSES[self.loss], [], 0.0
        for row, target in zip(rows, targets):
            loss, outs = self._sample(row, target)
            losses.append(loss)
            hits += correct(kind, outs, target)
        return autograd.sum(losses) * (1.0 / len(losses)), hits

    # -- the Keras verbs -------------------------------------------------------------------

    def fit(self, X: Any, y: Any, epochs: int = 1, batch_size: int = 32,
            validation_data: tuple[Any, Any] | None = None, verbose: int = 1,
            shuffle: bool = True, seed: int | None = None, compiled: bool = False) -> History:
        """Train for ``epochs`` passes over ``(X, y)`` in shuffled mini-batches."""
        _scalar_only(compiled, "fit")
        rows = self._inputs(X, "fit")
        targets = self._targets(y, len(rows), "fit")
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ConfigError("fit: validation_data must be a pair (X_val, y_val)")
            vrows = self._inputs(validation_data[0], "fit validation_data")
            val = (vrows, self._targets(validation_data[1], len(vrows), "fit validation_data"))
        for name, v, low in (("epochs", epochs, 0), ("batch_size", batch_size, 1)):
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ConfigError(f"fit: {name} must be an int >= {low}, got {v!r}")
        _check_verbose(verbose, "fit")
        if self.optimizer is None:
            raise ConfigError("fit: call compile(optimizer, loss, metrics) first")
        opt, rng = self.optimizer, random.Random(seed) if seed is not None else self._rng
        history = History()
        for epoch in range(epochs):
            start, order = time.perf_counter(), list(range(len(rows)))
            if shuffle:
                rng.shuffle(order)
            batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
            bar = tqdm(total=len(batches), desc=f"Epoch {epoch + 1}/{epochs}", unit="batch",
                       disable=verbose != 1, leave=True)
            total, hits, seen = 0.0, 0.0, 0
            for batch in batches:
                opt.zero_grad()
                loss, got = self._batch_loss([rows[i] for i in batch], [targets[i] for i in batch])
                loss.backward()
                opt.step()
                total, hits, seen = total + loss.data * len(batch), hits + got, seen + len(batch)
                bar.set_postfix_str(self._logline(total / seen, hits / seen), refresh=False)
                bar.update(1)
            logs = {"loss": total / seen}
            if self.metrics:
                logs["accuracy"] = hits / seen
            if val is not None:
                vloss, vacc = self._score(*val, 0)
                logs["val_loss"] = vloss
                if self.metrics:
                    logs["val_accuracy"] = vacc
            history.epoch.append(epoch)
            for key, value in logs.items():
                history.history.setdefault(key, []).append(value)
            text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
            bar.set_postfix_str(text)
            bar.close()
            if verbose == 2:
                print(f"Epoch {epoch + 1}/{epochs} - {time.perf_counter() - start:.1f}s - {text}")
        return history

    def _logline(self, loss: float, acc: float) -> str:
        return f"loss: {loss:.4f}" + (f" - accuracy: {acc:.4f}" if self.metrics else "")

    def _score(self, rows: list[list[float]], targets: list[Any],
               verbose: int) -> tuple[float, float]:
        kind, total, hits = LOSSES[self.loss], 0.0, 0.0
        with autograd.no_grad():
            for row, target in tqdm(list(zip(rows, targets)), desc="evaluate", unit="sample",
                                    disable=verbose != 1, leave=False):
                loss, outs = self._sample(row, target)
                total += loss.data
                hits += correct(kind, outs, target)
        return total / len(rows), hits / len(rows)

    def evaluate(self, X: Any, y: Any, batch_size: int = 32, verbose: int = 0,
                 compiled: bool = False) -> float | list[float]:
        """Mean loss on ``(X, y)``, and accuracy when compiled with metrics: ``[loss, acc]``."""
        _scalar_only(compiled, "evaluate")
        _check_verbose(verbose, "evaluate")
        self._kind("evaluate")
        rows = self._inputs(X, "evaluate")
        loss, acc = self._score(rows, self._targets(y, len(rows), "evaluate"), verbose)
        return [loss, acc] if self.metrics else loss

    def predict(self, X: Any, batch_size: int = 32, verbose: int = 0,
                compiled: bool = False) -> np.ndarray:
        """Outputs (after the last activation) as an array of shape (samples, units)."""
        _scalar_only(compiled, "predict")
        _check_verbose(verbose, "predict")
        rows = self._inputs(X, "predict")
        out = np.empty((len(rows), self.layers[-1].units))
        with autograd.no_grad():
            for i, row in enumerate(tqdm(rows, desc="predict", unit="sample",
                                         disable=verbose != 1, leave=False)):
                out[i] = [v.data for v in self(row)]
        return out


def _check_verbose(verbose: Any, where: str) -> None:
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ConfigError(f"{where}: verbose must be 0 (silent), 1 (progress bar) or 2 "
                          f"(one line per epoch), got {verbose!r}")


def _scalar_only(compiled: bool, where: str) -> None:
    """The hook where compiled batch execution plugs in; for now the scalar path only."""
    if compiled:
        raise NotImplementedError(f"{where}(compiled=True): compiled batch execution is not "
                                  "available yet; use compiled=False")
