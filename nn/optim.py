"""Optimizers with PyTorch's signatures and update rules and Keras' default values.

``step()`` reads every parameter's ``.grad`` and writes its ``.data``, nothing else: no
graph is built. The arithmetic runs on numpy vectors, so big models step quickly.

>>> from autograd import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).backward()      # dw = 2
>>> opt.step()
>>> round(w.data, 4), w.grad
(0.8, 2.0)
>>> opt.zero_grad(); w.grad
0.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError, InputTypeError

__all__ = ["SGD", "Adam", "Optimizer", "RMSprop"]


def _check(where: str, name: str, value: Any, low: float = 0.0, high: float = math.inf,
           high_open: bool = False) -> float:
    """``value`` as a float if ``low <= value <= high`` (or ``< high``), else a ConfigError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{where}: {name} must be a number, got {value!r}")
    x = float(value)
    if not (low <= x and (x < high if high_open else x <= high)):
        bound = f"< {high:g}" if high_open else (f"<= {high:g}" if high != math.inf else "")
        raise ConfigError(f"{where}: {name} must be >= {low:g}{' and ' + bound if bound else ''}, "
                          f"got {value!r}")
    return x


class Optimizer:
    """Holds the parameters and the learning rate; subclasses give the update rule."""

    def __init__(self, params: Iterable[Value] | Any, lr: float) -> None:
        self.params: list[Value] = []
        self.lr = lr
        if params is not None:
            self.bind(params)
        else:
            self._reset()

    def bind(self, params: Iterable[Value] | Any) -> None:
        """Set the parameters to update (a list of Values or a Module); resets the state.

        ``Adam(params=None, lr=0.01)`` makes an optimizer for ``Sequential.compile``, which
        binds it to the model's parameters.
        """
        if hasattr(params, "parameters") and callable(params.parameters):
            params = params.parameters()  # a Module is accepted as well
        where = type(self).__name__
        if isinstance(params, Value) or not hasattr(params, "__iter__"):
            raise InputTypeError(f"{where}: params must be a list of Values, got {params!r}")
        params = list(params)
        if not params:
            raise ConfigError(f"{where}: got an empty parameter list")
        for p in params:
            if type(p) is not Value:
                raise InputTypeError(f"{where}: parameters must be Values, got {p!r}")
        if len(set(params)) != len(params):
            raise ConfigError(f"{where}: a parameter appears more than once")
        self.params = params
        self._reset()

    def _reset(self) -> None:
        """Forget the per-parameter state (momentum buffers, moment estimates)."""

    @property
    def lr(self) -> float:
        """The learning rate; may be changed between steps (a schedule)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _check(type(self).__name__, "lr", value)

    def zero_grad(self) -> None:
        """Reset every parameter's ``.grad`` to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Apply one update from the current ``.grad``s to every parameter's ``.data``."""
        params = self.params
        if not params:
            raise ConfigError(f"{type(self).__name__}.step: no parameters; pass params or bind()")
        n = len(params)
        x = np.fromiter((p.data for p in params), float, n)
        g = np.fromiter((p.grad for p in params), float, n)
        for p, v in zip(params, self._update(x, g).tolist()):
            p.data = v

    def _update(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr:g})"


class SGD(Optimizer):
    """Gradient descent, PyTorch's rule: ``d = g + wd*p; buf = momentum*buf + d; p -= lr*buf``."""

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.01,
                 momentum: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(params, lr)
        self.momentum = _check("SGD", "momentum", momentum)
        self.weight_decay = _check("SGD", "weight_decay", weight_decay)
        if nesterov and self.momentum == 0:
            raise ConfigError("SGD: nesterov=True needs a momentum > 0")
        self.nesterov = bool(nesterov)

    def _reset(self) -> None:
        self._buf: np.ndarray | None = None

    def _update(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        d = g + self.weight_decay * x if self.weight_decay else g
        if self.momentum:
            buf = d.copy() if self._buf is None else self.momentum * self._buf + d
            self._buf = buf
            d = d + self.momentum * buf if self.nesterov else buf
        return x - self.lr * d


class RMSprop(Optimizer):
    """PyTorch's rule: ``v = alpha*v + (1-alpha)*g**2; p -= lr * g / (sqrt(v) + eps)``."""

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 alpha: float = 0.9, eps: float = 1e-7, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.alpha = _check("RMSprop", "alpha", alpha, 0.0, 1.0, high_open=True)
        self.eps = _check("RMSprop", "eps", eps)
        self.momentum = _check("RMSprop", "momentum", momentum)
        self.weight_decay = _check("RMSprop", "weight_decay", weight_decay)

    def _reset(self) -> None:
        self._v = np.zeros(len(self.params))
        self._buf = np.zeros(len(self.params))

    def _update(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        if self.weight_decay:
            g = g + self.weight_decay * x
        self._v = self.alpha * self._v + (1.0 - self.alpha) * g * g
        step = g / (np.sqrt(self._v) + self.eps)
        if self.momentum:
            self._buf = self.momentum * self._buf + step
            step = self._buf
        return x - self.lr * step


class Adam(Optimizer):
    """PyTorch's rule with bias correction: ``p -= lr * m_hat / (sqrt(v_hat) + eps)``."""

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-7,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ConfigError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check("Adam", "betas[0]", betas[0], 0.0, 1.0, high_open=True),
                      _check("Adam", "betas[1]", betas[1], 0.0, 1.0, high_open=True))
        self.eps = _check("Adam", "eps", eps)
        self.weight_decay = _check("Adam", "weight_decay", weight_decay)

    def _reset(self) -> None:
        self._m = np.zeros(len(self.params))
        self._v = np.zeros(len(self.params))
        self.t = 0  # steps taken, for the bias correction

    def _update(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        b1, b2 = self.betas
        self.t += 1
        if self.weight_decay:
            g = g + self.weight_decay * x
        self._m = b1 * self._m + (1.0 - b1) * g
        self._v = b2 * self._v + (1.0 - b2) * g * g
        step_size = self.lr / (1.0 - b1**self.t)
        denom = np.sqrt(self._v) / math.sqrt(1.0 - b2**self.t) + self.eps
        return x - step_size * (self._m / denom)
