"""Training for the Keras-style ``Sequential``: ``fit``, ``evaluate``, ``predict``.

Two engines run the same per-sample computation (:func:`nn.objectives.sample_loss`):

* compiled (the default): recorded once, run on whole batches of arrays
  (:mod:`nn.compiled`) -- for training on real data;
* scalar (``compiled=False``): one graph per sample, the batch's mean loss (as Keras),
  one ``backward``, one optimizer step -- slow, but every node is there to see.

Both give the same numbers, to rounding. ``trace_sample(x, y)`` builds one sample's loss
graph with the scalar engine, to step through or draw, whichever engine trained the model.
"""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
from tqdm import tqdm

from autograd import Value
from autograd.errors import ConfigError

from .compiled import Runner, runner_for
from .objectives import LOSSES, as_table, check_targets, hits
from .scalar import ScalarRunner

__all__ = ["History", "Trainer"]


class History:
    """What ``fit`` returns: ``history`` maps loss, accuracy, val_loss... to per-epoch lists."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.live: Any = None  # the recorded run, when fit ran with live=...

    def save_html(self, path: Any) -> Any:
        """Write the run (curves, boundary frames, the sample's graph per epoch) as one
        self-contained HTML file; needs ``fit(..., live=True)`` (or ``live="quiet"``)."""
        if self.live is None:
            raise ConfigError("save_html: this fit recorded no frames; pass live=True (or "
                              'live="quiet" to record without showing) to fit')
        return self.live.save_html(path)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


class Trainer:
    """``fit``, ``evaluate``, ``predict`` and ``trace_sample`` for ``Sequential``."""

    # -- data ------------------------------------------------------------------------------

    def _inputs(self, X: Any, where: str) -> np.ndarray:
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
        return np.ascontiguousarray(arr)

    def _targets(self, y: Any, n: int, where: str) -> np.ndarray:
        return check_targets(self._kind(where), self.layers[-1].units, y, n, where)

    def _kind(self, where: str) -> str:
        if self.loss is None:
            raise ConfigError(f"{where}: call compile(optimizer, loss, metrics) first")
        return LOSSES[self.loss]

    @property
    def program(self) -> Any:
        """The compiled ``BatchProgram`` that compiled fit/evaluate/predict run (None before)."""
        runner = self.__dict__.get("_runner")
        return None if runner is None else runner.program

    # -- the engines --------------------------------------------------------------------

    def _engine(self, compiled: bool, X: np.ndarray, Y: np.ndarray | None,
                where: str) -> Runner | ScalarRunner:
        """The compiled runner (cached, parameters read in) or a scalar one."""
        runner = runner_for(self, X, Y, where) if compiled else ScalarRunner(self)
        runner.begin()
        return runner

    def trace_sample(self, x: Any, y: Any) -> Value:
        """The loss of one sample ``(x, y)`` as a graph, to step through or draw.

        Inputs are labelled ``x0, x1, ...``, targets ``y0, y1, ...`` (a class label is a
        one-hot row), the output ``loss``, parameters by their path.
        """
        rows = self._inputs([x], "trace_sample")
        targets = self._targets([y], 1, "trace_sample")
        loss = ScalarRunner(self).sample(rows[0].tolist(), targets[0].tolist(), labels=True)[0]
        loss.label = "loss"
        return loss

    def _score(self, runner: Runner | ScalarRunner, X: np.ndarray, Y: np.ndarray,
               batch_size: int, verbose: int) -> tuple[float, float]:
        losses, outs = runner.score(X, Y, batch_size, verbose)
        return float(np.sum(losses)) / len(X), hits(LOSSES[self.loss], outs, Y) / len(X)

    # -- the Keras verbs -------------------------------------------------------------------

    def fit(self, X: Any, y: Any, epochs: int = 1, batch_size: int = 32,
            validation_data: tuple[Any, Any] | None = None, verbose: int = 1,
            shuffle: bool = True, seed: int | None = None, compiled: bool = True,
            live: Any = False) -> History:
        """Train for ``epochs`` passes over ``(X, y)`` in shuffled mini-batches.

        ``compiled=True`` runs the compiled program on whole batches; ``compiled=False``
        builds one scalar graph per sample (same numbers, far slower). Either way, after
        ``fit`` every parameter's ``.data`` holds the trained value and its ``.grad`` the
        gradient of the last batch's mean loss. Hooks registered on parameters run only
        on the scalar path: the compiled program computes gradients as arrays.
        ``live=True`` shows the training live (a notebook widget, else a browser tab; see
        :mod:`autograd.lab.live`) and keeps the run for ``history.save_html(path)``.
        """
        y_given = y
        X = self._inputs(X, "fit")
        Y = self._targets(y, len(X), "fit")
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ConfigError("fit: validation_data must be a pair (X_val, y_val)")
            Xv = self._inputs(validation_data[0], "fit validation_data")
            val = (Xv, self._targets(validation_data[1], len(Xv), "fit validation_data"))
        for name, v, low in (("epochs", epochs, 0), ("batch_size", batch_size, 1)):
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ConfigError(f"fit: {name} must be an int >= {low}, got {v!r}")
        _check_verbose(verbose, "fit")
        if self.optimizer is None:
            raise ConfigError("fit: call compile(optimizer, loss, metrics) first")
        rng = random.Random(seed) if seed is not None else self._rng
        history = History()
        if not epochs:
            return history
        runner = self._engine(compiled, X, Y, "fit")
        callbacks = []
        if live:
            from autograd.lab.live.callback import live_callback
            callbacks.append(live_callback(live, X, y_given))
        for cb in callbacks:
            cb.set_model(self)
            cb.on_train_begin()
        try:
            for epoch in range(epochs):
                self._epoch(runner, X, Y, val, rng, shuffle, batch_size, epoch, epochs,
                            verbose, history, callbacks)
        finally:
            runner.end_fit()  # the compiled engine writes theta into the Values
        for cb in callbacks:
            cb.on_train_end()
        history.live = callbacks[0].history if callbacks else None
        return history

    def _epoch(self, runner: Runner | ScalarRunner, X: np.ndarray, Y: np.ndarray, val: Any,
               rng: random.Random, shuffle: bool, batch_size: int, epoch: int, epochs: int,
               verbose: int, history: History, callbacks: list[Any] = ()) -> None:
        start, order = time.perf_counter(), list(range(len(X)))
        if shuffle:
            rng.shuffle(order)
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        bar = tqdm(total=len(batches), desc=f"Epoch {epoch + 1}/{epochs}", unit="batch",
                   disable=verbose != 1, leave=True)
        kind, total, got, seen = LOSSES[self.loss], 0.0, 0.0, 0
        for i, batch in enumerate(batches):
            loss, outs = runner.train_batch(self.optimizer, X[batch], Y[batch])
            total, seen = total + loss * len(batch), seen + len(batch)
            got += hits(kind, outs, Y[batch])
            bar.set_postfix_str(self._logline(total / seen, got / seen), refresh=False)
            bar.update(1)
            for cb in callbacks:  # Keras' batch logs: the epoch's running means
                cb.on_batch_end(i, {
                    "loss": total / seen, **({"accuracy": got / seen} if self.metrics else {})})
        logs = {"loss": total / seen}
        if self.metrics:
            logs["accuracy"] = got / seen
        if val is not None:
            vloss, vacc = self._score(runner, *val, batch_size, 0)
            logs["val_loss"] = vloss
            if self.metrics:
                logs["val_accuracy"] = vacc
        history.epoch.append(epoch)
        for key, value in logs.items():
            history.history.setdefault(key, []).append(value)
        text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
        bar.set_postfix_str(text)
        bar.close()
        for cb in callbacks:
            cb.on_epoch_end(epoch, dict(logs))
        if verbose == 2:
            print(f"Epoch {epoch + 1}/{epochs} - {time.perf_counter() - start:.2f}s - {text}")

    def _logline(self, loss: float, acc: float) -> str:
        return f"loss: {loss:.4f}" + (f" - accuracy: {acc:.4f}" if self.metrics else "")

    def evaluate(self, X: Any, y: Any, batch_size: int = 32, verbose: int = 0,
                 compiled: bool = True) -> float | list[float]:
        """Mean loss on ``(X, y)``, and accuracy when compiled with metrics: ``[loss, acc]``."""
        _check_verbose(verbose, "evaluate")
        self._kind("evaluate")
        X = self._inputs(X, "evaluate")
        Y = self._targets(y, len(X), "evaluate")
        runner = self._engine(compiled, X, Y, "evaluate")
        loss, acc = self._score(runner, X, Y, _positive(batch_size, "evaluate"), verbose)
        return [loss, acc] if self.metrics else loss

    def predict(self, X: Any, batch_size: int = 32, verbose: int = 0,
                compiled: bool = True) -> np.ndarray:
        """Outputs (after the last activation) as an array of shape (samples, units)."""
        _check_verbose(verbose, "predict")
        X = self._inputs(X, "predict")
        chunk = _positive(batch_size, "predict")
        return self._engine(compiled, X, None, "predict").predict(X, chunk, verbose)


def _check_verbose(verbose: Any, where: str) -> None:
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ConfigError(f"{where}: verbose must be 0 (silent), 1 (progress bar) or 2 "
                          f"(one line per epoch), got {verbose!r}")


def _positive(n: Any, where: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ConfigError(f"{where}: batch_size must be an int >= 1, got {n!r}")
    return n
