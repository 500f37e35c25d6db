"""Keras' callbacks: ``EarlyStopping``, ``ModelCheckpoint``, ``LambdaCallback``,
``TerminateOnNaN``, and the ``Callback`` base class to write your own.

Pass them as ``fit(..., callbacks=[...])``; any object with ``on_epoch_end(epoch, logs)``
(or another of Keras' hooks) works too. While a hook runs, the model's weights are its
current ones, even in compiled training.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from typing import Any

from autograd.errors import ConfigError

from ..fit.callbacks import Callback, History
from .saving import check_path

__all__ = ["Callback", "EarlyStopping", "History", "LambdaCallback", "ModelCheckpoint",
           "TerminateOnNaN"]

Logs = dict[str, float] | None


def _direction(monitor: str, mode: str, where: str) -> int:
    """+1 if larger is better for ``monitor``, -1 if smaller (Keras' "auto": accuracies up)."""
    if mode not in ("auto", "min", "max"):
        raise ConfigError(f"{where}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode == "auto":
        return 1 if "acc" in monitor else -1
    return 1 if mode == "max" else -1


def _current(logs: Logs, monitor: str, where: str) -> float | None:
    value = (logs or {}).get(monitor)
    if value is None:
        warnings.warn(f"{where} monitors {monitor!r}, which is not in the logs "
                      f"(available: {', '.join(logs or {}) or 'none'})", stacklevel=3)
    return value


class EarlyStopping(Callback):
    """Stop ``fit`` once ``monitor`` has not improved by ``min_delta`` for ``patience``
    epochs; ``restore_best_weights`` puts back the weights of the best epoch at the end."""

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0) -> None:
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.sign = _direction(monitor, mode, "EarlyStopping")
        self.min_delta, self.baseline = abs(min_delta), baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch

    def _improves(self, value: float, reference: float) -> bool:
        return self.sign * (value - reference) > self.min_delta

    def on_train_begin(self, logs: Logs = None) -> None:
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = -self.sign * math.inf
        self.best_weights: Any = None

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        current = _current(logs, self.monitor, "EarlyStopping")
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(Callback):
    """Save the model to ``filepath`` (``{epoch:02d}``, ``{batch}``, ``{val_loss:.2f}`` and
    other log keys are filled in; missing folders are created) after each epoch, or every
    ``save_freq`` batches when it is an int; ``save_best_only`` keeps only improvements of
    ``monitor``; ``save_weights_only`` writes with ``save_weights`` (the same JSON file)."""

    def __init__(self, filepath: str | bytes | os.PathLike[str], monitor: str = "val_loss",
                 verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto",
                 save_freq: str | int = "epoch",
                 initial_value_threshold: float | None = None) -> None:
        super().__init__()
        self.filepath = os.fspath(check_path(filepath, "ModelCheckpoint"))
        if save_freq != "epoch" and (isinstance(save_freq, bool) or
                                     not isinstance(save_freq, int) or save_freq < 1):
            raise ConfigError(f"ModelCheckpoint: save_freq must be 'epoch' or a number of "
                              f"batches >= 1, got {save_freq!r}")
        self.save_freq = save_freq
        self.monitor, self.verbose, self.save_best_only = monitor, verbose, save_best_only
        self.save_weights_only = save_weights_only
        self.sign = _direction(monitor, mode, "ModelCheckpoint")
        start = -self.sign * math.inf
        self.best = start if initial_value_threshold is None else initial_value_threshold
        self._batches, self._epoch = 0, 0
        if save_freq != "epoch":  # a batch hook only then: it makes compiled fit sync weights
            self.on_train_batch_end = self._batch_end  # type: ignore[method-assign]

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._epoch = epoch

    def _batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batches += 1
        if self._batches % self.save_freq == 0:  # type: ignore[operator]
            self._save(self._epoch, logs, batch=batch + 1)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _save(self, epoch: int, logs: Logs, batch: int | None = None) -> None:
        try:
            path = self.filepath.format(epoch=epoch + 1, batch=batch, **(logs or {}))
        except (KeyError, IndexError, ValueError) as e:
            raise ConfigError(f"ModelCheckpoint: cannot fill in {self.filepath!r} "
                              f"({type(e).__name__}: {e}); log keys: {', '.join(logs or {})}") \
                from None
        if self.save_best_only:
            current = _current(logs, self.monitor, "ModelCheckpoint")
            if current is None or not self.sign * (current - self.best) > 0:
                return
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        folder = os.path.dirname(path)
        if folder:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as e:
                raise ConfigError(f"ModelCheckpoint: cannot create the folder {folder!r}: "
                                  f"{e.strerror}") from None
        (self.model.save_weights if self.save_weights_only else self.model.save)(path)


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda e, logs: ...)``."""

    def __init__(self, **hooks: Callable[..., Any]) -> None:
        super().__init__()
        for name, fn in hooks.items():
            if not (name.startswith("on_") and hasattr(Callback, name)) or not callable(fn):
                raise ConfigError(f"LambdaCallback: {name}= must be a function for one of "
                                  "Keras' hooks (on_epoch_end, on_train_batch_end, ...)")
            setattr(self, name, fn)


class TerminateOnNaN(Callback):
    """Keras' TerminateOnNaN. ``fit`` always stops at the first NaN/inf loss or weight,
    raising ``NonFiniteError`` with the weights of before that step, so this adds nothing."""

    reads_weights = False
