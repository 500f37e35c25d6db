"""Compiled execution for a model: its per-sample program, run on whole batches.

A model's outputs and loss for one sample (:func:`nn.fit.objectives.sample_loss`) are
recorded once with :func:`autograd.compile_batch` and then run on batches of arrays: the
parameters live in the program's flat vector ``theta`` and the optimizer updates it with
its array path (:meth:`nn.optim.Optimizer.update`), the same rule as its ``Value`` path.
The program is cached on the model and compiled again when the architecture, the loss or
the dtype changes.

Parameter ``Value``s are written from ``theta`` when ``fit`` returns or stops on an error
(so ``state_dict``, ``save``, ``trace_sample`` and the scalar engine see the trained
numbers; nothing can look at them in between), and read into ``theta`` again before each
compiled ``fit``/``evaluate``/``predict`` (they may have been edited). After a compiled
``fit`` each parameter's ``.grad`` holds the gradient of the last batch's mean loss, as
after a scalar ``fit``. The model's ``threads`` (``compile(threads=...)``) sets the BLAS
threads of every compiled call; None chooses them again at the start of each call.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Value, compile_batch
from autograd.compiled.threads import resolve_threads
from autograd.errors import CompileError, ConfigError

from .objectives import sample_fn

__all__ = ["CompiledRunner", "check_threads", "runner_for"]

SampleFn = Callable[[list[Value], list[Value]], "tuple[list[Value], Value]"]


def check_threads(threads: Any, where: str) -> None:
    """Raise ``ConfigError`` for a thread count that is not None or an int >= 1, and
    ``MissingDependency`` for a count asked without threadpoolctl installed."""
    resolve_threads(threads, where)


class CompiledRunner:
    """One compiled program of a model, and the training step on its arrays."""

    def __init__(self, key: tuple, params: list[Value], fn: SampleFn, X: np.ndarray,
                 Y: np.ndarray, dtype: Any, where: str, threads: int | None = None) -> None:
        self.key, self.params = key, params
        try:
            self.program = compile_batch(fn, params, X, Y, dtype=dtype, threads=threads)
        except CompileError as e:
            raise CompileError(f"{where}: this model cannot be compiled -- {e}. Pass "
                               f"compiled=False to {where}() to run the scalar engine "
                               "sample by sample") from None
        self._opt: Any = None
        self._opt_params: list[Value] | None = None
        self._order: np.ndarray | None = None
        self.grad: np.ndarray | None = None  # the last training step's gradient
        self._grad_buffer = np.empty_like(self.program.theta)  # written by every step

    def matches(self, key: tuple, params: list[Value]) -> bool:
        """True if this program was compiled for ``key`` and exactly these parameters."""
        return self.key == key and params == self.params  # list ==: identity first, at C speed

    def begin(self) -> None:
        """Read the parameters' ``.data`` into ``theta`` (they may have been edited)."""
        self.program.sync_from_values()
        self.grad = None

    def end_fit(self) -> None:
        """Write ``.data``, and the last batch's gradient into ``.grad`` (as a scalar fit)."""
        if self.grad is None:
            self.program.sync_to_values()
            return
        for p, x, g in zip(self.program.params, self.program.theta.tolist(),
                           self.grad.tolist()):  # one pass over the Values: ~400k of them
            p.data, p.grad = x, g

    def _order_for(self, opt: Any) -> np.ndarray:
        """``order[i]``: the index in ``opt.params`` of the parameter at ``theta[i]``."""
        if opt is not self._opt or opt.params is not self._opt_params:
            index = {id(p): j for j, p in enumerate(opt.params)}
            missing = [p for p in self.program.params if id(p) not in index]
            if missing or len(index) != len(self.program.params):
                raise ConfigError("fit: the optimizer is bound to other parameters than the "
                                  "model's; compile the model again with this optimizer")
            self._order = np.fromiter((index[id(p)] for p in self.program.params), np.intp,
                                      len(self.program.params))
            self._opt, self._opt_params = opt, opt.params
        return self._order  # type: ignore[return-value]

    def train_batch(self, opt: Any, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
        """One step on the batch's mean loss (Keras'); returns that mean and the outputs."""
        program = self.program
        outs, losses = program.forward(X, Y)
        outs = np.asarray(outs, dtype=np.float64)  # a copy already: backward keeps the block
        self.grad = program.backward(1.0 / len(X), out=self._grad_buffer)
        opt.update(program.theta, self.grad, self._order_for(opt),
                   threads=program.threads or 1)  # the elementwise update shares them too
        return float(np.sum(losses, dtype=np.float64)) * (1.0 / len(X)), outs

    def score(self, X: np.ndarray, Y: np.ndarray, chunk: int,
              verbose: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample losses and outputs, ``chunk`` samples at a time."""
        losses, outs = np.empty(len(X)), np.empty((len(X), self.program.n_outputs))
        for i in range(0, len(X), chunk):
            o, loss = self.program.forward(X[i:i + chunk], Y[i:i + chunk])
            outs[i:i + chunk], losses[i:i + chunk] = o, loss
        return losses, outs

    def predict(self, X: np.ndarray, chunk: int, verbose: int = 0) -> np.ndarray:
        """Outputs only (the loss steps do not run), ``chunk`` samples at a time."""
        outs = np.empty((len(X), self.program.n_outputs))
        for i in range(0, len(X), chunk):
            outs[i:i + chunk] = self.program.forward(X[i:i + chunk])[0]
        return outs


def runner_for(model: Any, X: np.ndarray, Y: np.ndarray | None, where: str) -> CompiledRunner:
    """The model's cached runner, compiled (on ``X``, ``Y``) if there is none that fits.

    Prediction (``Y`` None) reuses a program compiled for any loss: the outputs are the
    same graph whatever the loss.
    """
    params = model.parameters()
    arch = (json.dumps(model.config(), sort_keys=True), np.dtype(model.dtype).str)
    key = (*arch, model.loss)
    threads = getattr(model, "threads", None)
    cached: CompiledRunner | None = model.__dict__.get("_runner")
    if cached is not None and cached.matches(key if Y is not None else (*arch, cached.key[2]),
                                             params):
        cached.program.threads = threads  # None: chosen again for this call
        return cached
    units = model.layers[-1].units
    if Y is None:
        Y = np.zeros((len(X), units if model.loss is not None else 0))
    runner = CompiledRunner(key, params, sample_fn(model), X, Y, model.dtype, where, threads)
    model.__dict__["_runner"] = runner
    return runner
