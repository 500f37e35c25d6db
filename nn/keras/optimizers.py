"""Keras' optimizers by Keras' names: ``learning_rate``, ``beta_1``, ``epsilon``, ``rho``...

Each is the :mod:`nn.optim` optimizer of the same name (PyTorch's update rule, Keras'
defaults) with Keras' constructor, ready for ``model.compile(optimizer=...)``. As in
Keras, ``weight_decay`` is decoupled: each step first scales every weight by
``1 - learning_rate * weight_decay``.

>>> opt = Adam(learning_rate=0.01, beta_1=0.8)
>>> opt.learning_rate, opt.betas
(0.01, (0.8, 0.999))
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd.errors import ConfigError

from .. import optim
from ..optim import check_number

__all__ = ["OPTIMIZERS", "SGD", "Adam", "AdamW", "RMSprop", "optimizer_classes"]

# Keras settings that would change the arithmetic in ways these optimizers do not do
_UNSUPPORTED = ("clipnorm", "clipvalue", "global_clipnorm", "use_ema", "loss_scale_factor",
                "gradient_accumulation_steps")
_IGNORED = ("name", "ema_momentum", "ema_overwrite_frequency", "jit_compile")


class _Keras:
    """Keras' spelling over an ``nn.optim`` optimizer, and Keras' decoupled weight decay."""

    lr: float
    _decay = 0.0
    _time_decay = 0.0  # Keras 2's decay: the rate is lr / (1 + decay * iterations)
    _iterations = 0
    _keras_config: dict[str, Any]

    def _setup(self, where: str, settings: dict[str, Any], extra: dict[str, Any]) -> float:
        """Check Keras-only arguments; returns the learning rate (``lr=`` is Keras 2's)."""
        lr = extra.pop("lr", None)
        if lr is not None:
            warnings.warn(f"{where}: lr= is Keras 2's spelling; use learning_rate=",
                          DeprecationWarning, stacklevel=3)
        decay = extra.pop("decay", None)
        if decay is not None:
            self._time_decay = check_number(where, "decay", decay)
            settings["decay"] = decay
            warnings.warn(f"{where}: decay= is Keras 2's spelling (Keras 3 removed it for "
                          "learning-rate schedules); here it still divides the rate by "
                          "1 + decay * iterations, as Keras 2 did", DeprecationWarning,
                          stacklevel=3)
        for key in list(extra):
            if key in _IGNORED:
                extra.pop(key)
            elif key in _UNSUPPORTED and extra[key] not in (None, False):
                raise ConfigError(f"{where}: {key} is not supported")
            elif key in _UNSUPPORTED:
                extra.pop(key)
        if extra:
            raise ConfigError(f"{where}: unknown argument(s) {', '.join(sorted(extra))}")
        if lr is not None:
            settings["learning_rate"] = lr
        self._keras_config = settings
        return settings["learning_rate"]

    @property
    def learning_rate(self) -> float:
        """Keras' name for ``lr``; may be changed between steps."""
        return self.lr

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.lr = value

    def _set_decay(self, where: str, weight_decay: Any) -> None:
        if weight_decay is not None:
            self._decay = check_number(where, "weight_decay", weight_decay)

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        base = self.lr
        if self._time_decay:
            self.lr = base / (1.0 + self._time_decay * self._iterations)
        try:
            if self._decay:
                x *= 1.0 - self.lr * self._decay
            super()._update(x, g)  # type: ignore[misc]
        finally:
            self.lr = base
        self._iterations += 1

    def get_config(self) -> dict[str, Any]:
        """Keras' constructor settings (what ``load_model`` rebuilds the optimizer from)."""
        return {"class": f"keras.{type(self).__name__}", "config": dict(self._keras_config)}


class SGD(_Keras, optim.SGD):
    """``SGD(learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None)``."""

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float | None = None,
                 **kwargs: Any) -> None:
        lr = self._setup("SGD", {"learning_rate": learning_rate, "momentum": momentum,
                                 "nesterov": nesterov, "weight_decay": weight_decay}, kwargs)
        super().__init__(None, lr=lr, momentum=momentum, nesterov=nesterov)
        self._set_decay("SGD", weight_decay)


class RMSprop(_Keras, optim.RMSprop):
    """``RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07)``."""

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False,
                 weight_decay: float | None = None, **kwargs: Any) -> None:
        if centered:
            raise ConfigError("RMSprop: centered=True is not supported")
        lr = self._setup("RMSprop", {"learning_rate": learning_rate, "rho": rho,
                                     "momentum": momentum, "epsilon": epsilon,
                                     "weight_decay": weight_decay}, kwargs)
        super().__init__(None, lr=lr, alpha=rho, eps=epsilon, momentum=momentum)
        self._set_decay("RMSprop", weight_decay)


class Adam(_Keras, optim.Adam):
    """``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07)``."""

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False,
                 weight_decay: float | None = None, **kwargs: Any) -> None:
        if amsgrad:
            raise ConfigError("Adam: amsgrad=True is not supported")
        lr = self._setup("Adam", {"learning_rate": learning_rate, "beta_1": beta_1,
                                  "beta_2": beta_2, "epsilon": epsilon,
                                  "weight_decay": weight_decay}, kwargs)
        super().__init__(None, lr=lr, betas=(beta_1, beta_2), eps=epsilon)
        self._set_decay("Adam", weight_decay)


class AdamW(_Keras, optim.AdamW):
    """``AdamW(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
    epsilon=1e-07)``."""

    def __init__(self, learning_rate: float = 0.001, weight_decay: float = 0.004,
                 beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, **kwargs: Any) -> None:
        if amsgrad:
            raise ConfigError("AdamW: amsgrad=True is not supported")
        lr = self._setup("AdamW", {"learning_rate": learning_rate,
                                   "weight_decay": weight_decay, "beta_1": beta_1,
                                   "beta_2": beta_2, "epsilon": epsilon}, kwargs)
        super().__init__(None, lr=lr, betas=(beta_1, beta_2), eps=epsilon,
                         weight_decay=weight_decay)


# The one table of optimizer names: what ``compile(optimizer="adam")`` makes.
OPTIMIZERS: dict[str, type[optim.Optimizer]] = {"sgd": optim.SGD, "adam": optim.Adam,
                                                "rmsprop": optim.RMSprop, "adamw": optim.AdamW}


def optimizer_classes() -> dict[str, type[optim.Optimizer]]:
    """The classes a model file may name, by ``get_config()``'s ``class``: ``nn.optim``'s
    by their names, Keras' spelling of them as ``keras.<Name>``."""
    table: dict[str, type[optim.Optimizer]] = {c.__name__: c for c in OPTIMIZERS.values()}
    table.update({f"keras.{c.__name__}": c for c in (SGD, RMSprop, Adam, AdamW)})
    return table
