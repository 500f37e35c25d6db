"""Optimizers with PyTorch's signatures and update rules and Keras' default values.

``step()`` reads every parameter's ``.grad`` and writes its ``.data``, nothing else: no
graph is built. The arithmetic runs on numpy vectors, so big models step quickly.
``update(theta, grad, order)`` is the same rule on flat arrays, in place, for compiled
training: one update function serves both paths, and the state (momentum, moment
estimates, step count) carries over when a model switches between them.

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
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from .optimizer import Optimizer, check_number

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]


class SGD(Optimizer):
    """Gradient descent, PyTorch's rule: ``d = g + wd*p; buf = momentum*buf + d; p -= lr*buf``."""

    _state = ("_buf",)

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.01,
                 momentum: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(params, lr)
        self.momentum = check_number("SGD", "momentum", momentum)
        self.weight_decay = check_number("SGD", "weight_decay", weight_decay)
        if nesterov and self.momentum == 0:
            raise ConfigError("SGD: nesterov=True needs a momentum > 0")
        self.nesterov = bool(nesterov)

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        d = g + self.weight_decay * x if self.weight_decay else g
        if self.momentum:
            if self._buf is None:
                buf = self._buf = d.copy()
            else:
                buf = self._buf
                buf *= self.momentum
                buf += d
            d = d + self.momentum * buf if self.nesterov else buf
        tmp = np.multiply(d, self.lr, out=self._tmp(x))
        x -= tmp


class RMSprop(Optimizer):
    """PyTorch's rule: ``v = alpha*v + (1-alpha)*g**2; p -= lr * g / (sqrt(v) + eps)``."""

    _state = ("_v", "_buf")

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 alpha: float = 0.9, eps: float = 1e-7, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.alpha = check_number("RMSprop", "alpha", alpha, 0.0, 1.0, high_open=True)
        self.eps = check_number("RMSprop", "eps", eps)
        self.momentum = check_number("RMSprop", "momentum", momentum)
        self.weight_decay = check_number("RMSprop", "weight_decay", weight_decay)

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * x
        v, tmp = self._zeros("_v", x), self._tmp(x)
        v *= self.alpha
        np.multiply(g, 1.0 - self.alpha, out=tmp)
        tmp *= g
        v += tmp  # alpha * v + (1 - alpha) * g * g
        np.sqrt(v, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)  # the step g / (sqrt(v) + eps)
        if self.momentum:
            buf = self._zeros("_buf", x)
            buf *= self.momentum
            buf += tmp
            tmp[...] = buf
        tmp *= self.lr
        x -= tmp


class Adam(Optimizer):
    """PyTorch's rule with bias correction: ``p -= lr * m_hat / (sqrt(v_hat) + eps)``."""

    _state = ("_m", "_v")

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-7,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        where = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ConfigError(f"{where}: betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (check_number(where, "betas[0]", betas[0], 0.0, 1.0, high_open=True),
                      check_number(where, "betas[1]", betas[1], 0.0, 1.0, high_open=True))
        self.eps = check_number(where, "eps", eps)
        self.weight_decay = check_number(where, "weight_decay", weight_decay)

    def _reset(self) -> None:
        super()._reset()
        self.t = 0  # steps taken, for the bias correction

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * x
        self._adam(x, g)

    def _adam(self, x: np.ndarray, g: np.ndarray) -> None:
        """The moment estimates and the bias-corrected step from ``g``, applied to ``x``."""
        b1, b2 = self.betas
        self.t += 1
        m, v, tmp = self._zeros("_m", x), self._zeros("_v", x), self._tmp(x)
        m *= b1
        np.multiply(g, 1.0 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, 1.0 - b2, out=tmp)
        tmp *= g
        v += tmp
        step_size = self.lr / (1.0 - b1**self.t)
        np.sqrt(v, out=tmp)
        tmp /= math.sqrt(1.0 - b2**self.t)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)  # m_hat / (sqrt(v_hat) + eps), up to step_size
        tmp *= step_size
        x -= tmp


class AdamW(Adam):
    """Adam with decoupled weight decay, PyTorch's rule: ``p *= 1 - lr*wd``, then Adam's
    step on the gradient alone (the decay does not pass through the moment estimates).

    Keras' defaults: ``weight_decay=0.004``, ``eps=1e-7``.
    """

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-7,
                 weight_decay: float = 0.004) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            x *= 1.0 - self.lr * self.weight_decay
        self._adam(x, g)
