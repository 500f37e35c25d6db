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

import inspect
import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Value
from autograd.compiled.threads import run_split
from autograd.errors import ConfigError, InputTypeError

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]

SPLIT_MIN = 1 << 16  # parameters: below this an update is too short to share out


def check_number(where: str, name: str, value: Any, low: float = 0.0, high: float = math.inf,
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

    _state: tuple[str, ...] = ()  # per-parameter arrays, aligned with ``_order``

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
            if not isinstance(p, Value):
                raise InputTypeError(f"{where}: parameters must be Values, got {p!r}")
        if len(set(params)) != len(params):
            raise ConfigError(f"{where}: a parameter appears more than once")
        self.params = params
        self._reset()

    def _reset(self) -> None:
        """Forget the per-parameter state (momentum buffers, moment estimates)."""
        for name in self._state:
            setattr(self, name, None)
        self._order: np.ndarray | None = None  # state[i] belongs to params[_order[i]]

    def _align(self, order: np.ndarray | None, dtype: Any) -> None:
        """Permute (and cast) the state so entry ``i`` belongs to ``params[order[i]]``."""
        old = self._order
        same = order is old or (order is not None and old is not None
                                and np.array_equal(order, old))
        for name in self._state:
            s = getattr(self, name)
            if s is None or (same and s.dtype == dtype):
                continue
            if not same:
                if old is not None:  # back to parameter order first
                    s, unordered = np.empty_like(s), s
                    s[old] = unordered
                if order is not None:
                    s = s[order]
            setattr(self, name, s.astype(dtype, copy=False))
        self._order = order

    def _zeros(self, name: str, like: np.ndarray) -> np.ndarray:
        """The state array ``name``, created as zeros on first use."""
        s = getattr(self, name)
        if s is None:
            s = np.zeros_like(like)
            setattr(self, name, s)
        return s

    def _tmp(self, like: np.ndarray) -> np.ndarray:
        """A scratch array shaped like ``like``, kept between steps (no allocation per step)."""
        tmp = self.__dict__.get("_scratch")
        if tmp is None or tmp.shape != like.shape or tmp.dtype != like.dtype:
            tmp = self.__dict__["_scratch"] = np.empty_like(like)
        return tmp

    def save_state(self, into: dict[str, Any] | None = None) -> dict[str, Any]:
        """A copy of the per-parameter state and the step count, so a step can be undone.

        Arrays already in ``into`` (an earlier snapshot) are overwritten in place, so
        taking one before every step allocates nothing.
        """
        saved = {} if into is None else into
        for name in self._state:
            s, buf = getattr(self, name), saved.get(name)
            if s is None or buf is None or buf.shape != s.shape or buf.dtype != s.dtype:
                saved[name] = None if s is None else s.copy()
            else:
                np.copyto(buf, s)
        saved["_order"], saved["t"] = self._order, getattr(self, "t", None)
        return saved

    def restore_state(self, saved: dict[str, Any]) -> None:
        """Go back to a ``save_state`` snapshot (the snapshot stays usable)."""
        for name in self._state:
            setattr(self, name, None if saved[name] is None else saved[name].copy())
        self._order = saved["_order"]
        if saved["t"] is not None:
            self.t = saved["t"]

    def get_config(self) -> dict[str, Any]:
        """The class name and constructor settings (``lr``, ``betas``...), JSON-ready."""
        cls = next(c for c in type(self).__mro__ if c.__module__ == __name__)
        names = [n for n in inspect.signature(cls.__init__).parameters if n not in
                 ("self", "params")]
        config = {n: getattr(self, n) for n in names}
        return {"class": cls.__name__,
                "config": {n: list(v) if isinstance(v, tuple) else v for n, v in config.items()}}

    @property
    def lr(self) -> float:
        """The learning rate; may be changed between steps (a schedule)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_number(type(self).__name__, "lr", value)

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
        self._align(None, x.dtype)
        self._update(x, g)
        for p, v in zip(params, x.tolist()):
            p.data = v

    def update(self, theta: np.ndarray, grad: np.ndarray, order: np.ndarray | None = None,
               threads: int = 1, out: np.ndarray | None = None) -> None:
        """The same step on flat arrays, in place: ``theta[i]`` is ``params[order[i]]``.

        For compiled training (``BatchProgram.theta`` and its gradient); no ``Value`` is
        read or written. ``order=None`` means the order of ``params``. ``threads > 1``
        splits a large update into that many slices updated at once (numpy lets go of
        the GIL inside each array operation); the numbers are the same.

        ``out`` (an array like ``theta``; see :meth:`can_stage`) *stages* the step:
        ``theta`` and the state are only read, the new parameters go into ``out`` and the
        new state into spare arrays, until :meth:`commit` makes that state current or
        :meth:`discard` forgets it. A step that turns out non-finite is undone for free,
        with no copy of anything taken before it.
        """
        if len(theta) != len(self.params) or len(grad) != len(theta) \
                or (out is not None and out.shape != theta.shape):
            raise ConfigError(f"{type(self).__name__}.update: {len(theta)} parameters and "
                              f"{len(grad)} gradients for {len(self.params)} bound parameters")
        self._align(order, theta.dtype)
        if out is not None:
            if not self.can_stage():
                raise ConfigError(f"{type(self).__name__}.update: out= needs the base "
                                  "class's _update (this optimizer wraps it)")
            self._stage(theta)
        self._split = threads  # read by _update, whatever a subclass wraps around it
        try:
            self._update(theta, grad) if out is None else self._apply(out, grad, theta)
        finally:
            self._split = 1

    def can_stage(self) -> bool:
        """True if ``update(..., out=)`` can stage a step: the rule is the base class's."""
        return type(self)._update is Optimizer._update

    def _stage(self, like: np.ndarray) -> None:
        """Point the state at spare arrays for the staged step to write; the current ones
        (and the step count) are kept in ``_staged`` first, so ``discard`` always works."""
        spare: dict[str, np.ndarray] = self.__dict__.setdefault("_spare", {})
        current = {name: self._zeros(name, like) for name in self._needs()}
        for name, s in current.items():
            buf = spare.get(name)
            if buf is None or buf.shape != s.shape or buf.dtype != s.dtype:
                spare[name] = np.empty_like(s)
        self._staged = (getattr(self, "t", None), current)
        for name in current:
            setattr(self, name, spare[name])  # the rule writes here; commit keeps it

    def commit(self) -> None:
        """Make the staged step's state current (its parameters are the caller's ``out``)."""
        self._spare.update(self.__dict__.pop("_staged")[1])  # the next step writes over it

    def discard(self) -> None:
        """Forget the staged step, if any: the state (and step count) are as before it."""
        if "_staged" not in self.__dict__:
            return
        t, current = self.__dict__.pop("_staged")
        for name, old in current.items():
            setattr(self, name, old)
        if t is not None:
            self.t = t

    def _update(self, x: np.ndarray, g: np.ndarray) -> None:
        """Update ``x`` in place from the gradient ``g`` (one rule for both paths)."""
        self._apply(x, g, x)

    def _apply(self, x: np.ndarray, g: np.ndarray, x0: np.ndarray) -> None:
        """Write into ``x`` the step from ``x0`` (the same array, for an update in place);
        a staged step's state sources are in ``_staged``."""
        k = self._scalars()
        state = [self._zeros(name, x) for name in self._needs()]
        staged = self.__dict__.get("_staged")
        state0 = state if staged is None else [staged[1][name] for name in self._needs()]
        tmp = self._tmp(x)
        threads = self.__dict__.get("_split", 1)
        if threads <= 1 or x.size < SPLIT_MIN:
            self._rule(x, g, state, tmp, k, x0, state0)
            return
        run_split(lambda s: self._rule(x[s], g[s], [a[s] for a in state], tmp[s], k, x0[s],
                                       [a[s] for a in state0]), x.size, threads)

    def _needs(self) -> tuple[str, ...]:
        """The state arrays this configuration updates (each made zeros on first use)."""
        return self._state

    def _scalars(self) -> Any:
        """The numbers one step's rule shares across its slices (Adam: the step count's)."""
        return None

    def _rule(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: Any, x0: np.ndarray, state0: list[np.ndarray]) -> None:
        """The update rule: on whole arrays or on any slice of them, with the matching
        slices of ``state`` (in ``_needs()`` order) and of a scratch array. It reads the
        parameters from ``x0`` and the state from ``state0`` and writes them into ``x`` and
        ``state``: the same arrays for an update in place, others for a staged step (so
        the first operation on each reads the source and every later one the result)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr:g})"


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

    def _needs(self) -> tuple[str, ...]:
        return ("_buf",) if self.momentum else ()

    def _rule(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: Any, x0: np.ndarray, state0: list[np.ndarray]) -> None:
        d = g + self.weight_decay * x0 if self.weight_decay else g
        if self.momentum:
            (buf,) = state  # zeros at first: momentum * 0 + d is PyTorch's first buf = d
            np.multiply(state0[0], self.momentum, out=buf)
            buf += d
            d = d + self.momentum * buf if self.nesterov else buf
        np.multiply(d, self.lr, out=tmp)
        np.subtract(x0, tmp, out=x)


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

    def _needs(self) -> tuple[str, ...]:
        return ("_v", "_buf") if self.momentum else ("_v",)

    def _rule(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: Any, x0: np.ndarray, state0: list[np.ndarray]) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * x0
        v = state[0]
        np.multiply(g, 1.0 - self.alpha, out=tmp)
        tmp *= g
        np.multiply(state0[0], self.alpha, out=v)
        v += tmp  # alpha * v + (1 - alpha) * g * g
        np.sqrt(v, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)  # the step g / (sqrt(v) + eps)
        if self.momentum:
            buf = state[1]
            np.multiply(state0[1], self.momentum, out=buf)
            buf += tmp
            np.multiply(buf, self.lr, out=tmp)
        else:
            tmp *= self.lr
        np.subtract(x0, tmp, out=x)


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

    def _needs(self) -> tuple[str, ...]:
        return ("_m", "_v")

    def _scalars(self) -> tuple[float, float]:
        """One more step: its step size and the square root of ``v``'s bias correction."""
        b1, b2 = self.betas
        self.t += 1
        return self.lr / (1.0 - b1**self.t), math.sqrt(1.0 - b2**self.t)

    def _rule(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: Any, x0: np.ndarray, state0: list[np.ndarray]) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * x0
        self._adam(x, g, state, tmp, k, x0, state0)

    def _adam(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: tuple[float, float], x0: np.ndarray, state0: list[np.ndarray]) -> None:
        """The moment estimates and the bias-corrected step from ``g``, applied to ``x0``
        into ``x``."""
        b1, b2 = self.betas
        (m, v), (step_size, correction) = state, k
        np.multiply(g, 1.0 - b1, out=tmp)
        np.multiply(state0[0], b1, out=m)
        m += tmp
        np.multiply(g, 1.0 - b2, out=tmp)
        tmp *= g
        np.multiply(state0[1], b2, out=v)
        v += tmp
        np.sqrt(v, out=tmp)  # m_hat / (sqrt(v_hat) + eps) is, over c = sqrt(v)'s correction,
        tmp += self.eps * correction  # m / ((sqrt(v) + eps * c) / c): one pass fewer
        np.divide(m, tmp, out=tmp)
        tmp *= step_size * correction
        np.subtract(x0, tmp, out=x)


class AdamW(Adam):
    """Adam with decoupled weight decay, PyTorch's rule: ``p *= 1 - lr*wd``, then Adam's
    step on the gradient alone (the decay does not pass through the moment estimates).

    Keras' defaults: ``weight_decay=0.004``, ``eps=1e-7``.
    """

    def __init__(self, params: Iterable[Value] | Any = None, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-7,
                 weight_decay: float = 0.004) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def _rule(self, x: np.ndarray, g: np.ndarray, state: list[np.ndarray], tmp: np.ndarray,
              k: Any, x0: np.ndarray, state0: list[np.ndarray]) -> None:
        if self.weight_decay:
            np.multiply(x0, 1.0 - self.lr * self.weight_decay, out=x)
            x0 = x  # the decayed parameters are the step's source
        self._adam(x, g, state, tmp, k, x0, state0)
