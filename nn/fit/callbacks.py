"""Callbacks: what ``fit`` tells the outside world, Keras' way.

``fit`` calls each hook a callback has: ``on_train_begin/end(logs)``,
``on_epoch_begin/end(epoch, logs)``, ``on_train_batch_begin/end(batch, logs)``. A callback
is a :class:`Callback` subclass (its ``model`` and ``params`` are set) or any object with
some of these methods. The progress output and the returned :class:`History` are
callbacks too, so anything that watches training (a live view, a logger) is one more.

>>> class Losses(Callback):
...     def on_epoch_end(self, epoch, logs=None):
...         print(epoch, sorted(logs))
>>> hooks = CallbackList([Losses()], model=None, params={"epochs": 1})
>>> hooks.call("on_epoch_end", 0, {"loss": 0.5})
0 ['loss']
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from autograd.errors import ConfigError

__all__ = ["HOOKS", "Callback", "CallbackList", "History", "Logs"]

HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end")


class Callback:
    """Base class with every hook doing nothing; ``self.model`` is the model being fit."""

    reads_weights = True  # the hooks may look at or change the parameters (see CallbackList)

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        """After the last epoch (the parameters hold the trained values)."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        """Before epoch ``epoch`` (counted from 0)."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        """After epoch ``epoch``: ``logs`` holds loss, metrics and val_ entries."""

    def on_train_batch_begin(self, batch: int, logs: dict[str, float] | None = None) -> None:
        """Before batch ``batch`` of the epoch."""

    def on_train_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        """After batch ``batch``: ``logs`` holds the epoch's running means so far."""

    def on_test_begin(self, logs: dict[str, float] | None = None) -> None:
        """Before scoring the validation data."""

    def on_test_end(self, logs: dict[str, float] | None = None) -> None:
        """After scoring the validation data."""


class Logs(dict):  # type: ignore[type-arg]
    """``History.history``: metric name -> per-epoch values; Keras 2's ``acc`` and
    ``val_acc`` still read ``accuracy`` and ``val_accuracy``, with a DeprecationWarning."""

    OLD = {"acc": "accuracy", "val_acc": "val_accuracy"}

    def __missing__(self, key: Any) -> Any:
        new = self.OLD.get(key) if isinstance(key, str) else None
        if new is None or new not in self:
            raise KeyError(key)
        warnings.warn(f"history.history[{key!r}] is Keras 2's name: use "
                      f"history.history[{new!r}]", DeprecationWarning, stacklevel=2)
        return self[new]

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


class History(Callback):
    """What ``fit`` returns: ``history`` maps loss, accuracy, val_loss... to per-epoch lists."""

    reads_weights = False

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = Logs()
        self.epoch: list[int] = []
        self.live: Any = None  # the recorded run, when fit ran with live=...

    def save_html(self, path: Any) -> Any:
        """Write the run (curves, boundary frames, the sample's graph per epoch) as one
        self-contained HTML file; needs ``fit(..., live=True)`` (or ``live="quiet"``)."""
        if self.live is None:
            raise ConfigError("save_html: this fit recorded no frames; pass live=True (or "
                              'live="quiet" to record without showing) to fit')
        return self.live.save_html(path)

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


def _defines(callback: Any, hook: str) -> bool:
    """True if ``callback`` does something on ``hook`` (not the base class's no-op)."""
    fn = getattr(callback, hook, None)
    return callable(fn) and getattr(fn, "__func__", None) is not getattr(Callback, hook, None)


class CallbackList:
    """The callbacks of one ``fit``, checked once, each hook called on those that have it."""

    def __init__(self, callbacks: Any, model: Any, params: dict[str, Any],
                 first: Sequence[Any] = (), last: Sequence[Any] = ()) -> None:
        """``callbacks``: the user's list, checked; ``first``/``last``: the built-in ones
        (progress output, history) that run before and after them."""
        if callbacks is None:
            callbacks = []
        if isinstance(callbacks, (str, bytes)) or not hasattr(callbacks, "__iter__") \
                or any(callable(getattr(callbacks, hook, None)) for hook in HOOKS):
            raise ConfigError(f"fit: callbacks must be a list of callbacks, got {callbacks!r}")
        users = list(callbacks)
        for i, cb in enumerate(users):
            if isinstance(cb, type):
                raise ConfigError(f"fit: callbacks[{i}] is the class {cb.__name__}; pass an "
                                  f"instance: {cb.__name__}()")
            if not any(callable(getattr(cb, hook, None)) for hook in HOOKS):
                raise ConfigError(f"fit: callbacks[{i}] ({cb!r}) has none of the callback "
                                  f"methods ({', '.join(HOOKS)})")
        self.callbacks = [*first, *users, *last]
        for cb in self.callbacks:
            if callable(getattr(cb, "set_model", None)):
                cb.set_model(model)
            if callable(getattr(cb, "set_params", None)):
                cb.set_params(params)
        self._users = {hook: [cb for cb in self.callbacks if _defines(cb, hook)]
                       for hook in HOOKS}

    def reads_weights(self, hook: str) -> bool:
        """True if a callback on ``hook`` may read or write the parameters, so they must be
        current in the ``Value``s when it runs (compiled training keeps them in an array)."""
        return any(getattr(cb, "reads_weights", True) for cb in self._users[hook])

    def call(self, hook: str, *args: Any) -> None:
        """Call ``hook`` on every callback that defines it, in list order."""
        for cb in self._users[hook]:
            getattr(cb, hook)(*args)
