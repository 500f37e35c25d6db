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
                 Y: np.ndarray, dtype: Any, where: str, threads: int | None = None,
                 model: Any = None) -> None:
        self.key, self.params = key, params
        self.model = model
        self.noise_size = 0 if model is None else model.noise_size
        self.noise: np.random.Generator | None = None  # draws the masks of training batches
        try:
            self.program = compile_batch(fn, params, self._with_noise(X, None), Y,
                                         dtype=dtype, threads=threads)
        except CompileError as e:
            raise CompileError(f"{where}: this model cannot be compiled -- {e}. Pass "
                               f"compiled=False to {where}() to run the scalar engine "
                               "sample by sample") from None
        self._opt: Any = None
        self._opt_params: list[Value] | None = None
        self._order: np.ndarray | None = None
        self._subset: np.ndarray | None = None  # theta's trainable entries (None: all)
        self.grad: np.ndarray | None = None  # the last training step's gradient
        self._grad_buffer = np.empty_like(self.program.theta)  # written by every step
        self.staging = False  # set by the NaN guard: steps are staged, then kept or dropped
        self.staged: np.ndarray | None = None  # a staged step's new theta
        self._spare: np.ndarray | None = None  # the buffer the next staged step writes

    def matches(self, key: tuple, params: list[Value]) -> bool:
        """True if this program was compiled for ``key`` and exactly these parameters."""
        return self.key == key and params == self.params  # list ==: identity first, at C speed

    def begin(self, noise: np.random.Generator | None = None) -> None:
        """Read the parameters' ``.data`` into ``theta`` (they may have been edited);
        ``noise`` (fit's generator) draws the random inputs of training batches."""
        self.program.sync_from_values()
        self.grad = None
        if noise is not None:
            self.noise = noise

    def _with_noise(self, X: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        """``X`` and, after its columns, the layers' random numbers: drawn by ``rng`` for a
        training batch, ones (every unit kept, unscaled) to score or predict."""
        if not self.noise_size:
            return X
        noise = self.model.draw_noise(rng, len(X)) if rng is not None \
            else np.ones((len(X), self.noise_size))
        return np.hstack([X, noise.astype(X.dtype, copy=False)])

    def end_fit(self) -> None:
        """Write ``.data``, and the last batch's gradient into ``.grad`` (as a scalar fit)."""
        self.program.sync_to_values(self.grad)

    def _order_for(self, opt: Any) -> np.ndarray:
        """``order[i]``: the index in ``opt.params`` of the ``i``-th trainable parameter of
        ``theta`` (the optimizer holds the trainable ones; frozen ones stay as they are)."""
        if opt is not self._opt or opt.params is not self._opt_params:
            index = {id(p): j for j, p in enumerate(opt.params)}
            at = [i for i, p in enumerate(self.program.params) if id(p) in index]
            if len(at) != len(index):
                raise ConfigError("fit: the optimizer is bound to other parameters than the "
                                  "model's; compile the model again with this optimizer")
            params = self.program.params
            self._order = np.fromiter((index[id(params[i])] for i in at), np.intp, len(at))
            self._subset = None if len(at) == len(params) else np.array(at, dtype=np.intp)
            self._opt, self._opt_params = opt, opt.params
        return self._order  # type: ignore[return-value]

    def train_batch(self, opt: Any, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
        """One step on the batch's mean loss (Keras'); returns that mean and the outputs."""
        program = self.program
        outs, losses = program.forward(self._with_noise(X, self.noise), Y)
        outs = np.asarray(outs, dtype=np.float64)  # a copy already: backward keeps the block
        self.grad = program.backward(1.0 / len(X), out=self._grad_buffer)
        order = self._order_for(opt)
        threads = program.threads or 1  # the elementwise update shares them too
        if self._subset is None and self.staging and opt.can_stage():
            spare = self._spare
            if spare is None or spare.shape != program.theta.shape \
                    or spare.dtype != program.theta.dtype:
                spare = self._spare = np.empty_like(program.theta)
            opt.update(program.theta, self.grad, order, threads=threads, out=spare)
            self.staged = spare
        elif self._subset is None:
            opt.update(program.theta, self.grad, order, threads=threads)
        else:
            theta = program.theta[self._subset]
            opt.update(theta, self.grad[self._subset], order, threads=threads)
            program.theta[self._subset] = theta
        return float(np.sum(losses, dtype=np.float64)) * (1.0 / len(X)), outs

    def commit(self, opt: Any) -> None:
        """Keep the staged step: its theta becomes the program's, its state the optimizer's."""
        self._spare, self.program.theta = self.program.theta, self.staged
        self.staged = None
        opt.commit()

    def discard(self, opt: Any) -> None:
        """Drop the staged step: theta and the optimizer's state are as before it."""
        self.staged = None
        opt.discard()

    def score(self, X: np.ndarray, Y: np.ndarray, chunk: int,
              verbose: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample losses and outputs, ``chunk`` samples at a time."""
        losses, outs = np.empty(len(X)), np.empty((len(X), self.program.n_outputs))
        for i in range(0, len(X), chunk):
            o, loss = self.program.forward(self._with_noise(X[i:i + chunk], None), Y[i:i + chunk])
            outs[i:i + chunk], losses[i:i + chunk] = o, loss
        return losses, outs

    def predict(self, X: np.ndarray, chunk: int, verbose: int = 0) -> np.ndarray:
        """Outputs only (the loss steps do not run), ``chunk`` samples at a time."""
        outs = np.empty((len(X), self.program.n_outputs))
        for i in range(0, len(X), chunk):
            outs[i:i + chunk] = self.program.forward(self._with_noise(X[i:i + chunk], None))[0]
        return outs


def runner_for(model: Any, X: np.ndarray, Y: np.ndarray | None, where: str,
               params: list[Value] | None = None) -> CompiledRunner:
    """The model's cached runner, compiled (on ``X``, ``Y``) if there is none that fits;
    ``params``: the model's parameters, when the caller has listed them.

    Prediction (``Y`` None) reuses a program compiled for any loss: the outputs are the
    same graph whatever the loss.
    """
    if params is None:
        params = model.parameters()
    arch = (json.dumps(model.config(), sort_keys=True), np.dtype(model.dtype).str)
    key = (*arch, model.loss)
    threads = getattr(model, "threads", None)
    cached: CompiledRunner | None = model.__dict__.get("_runner")
    if cached is not None and cached.matches(key if Y is not None else (*arch, cached.key[2]),
                                             params):
        cached.program.threads = threads  # None: chosen again for this call
        return cached
    if Y is None:
        Y = np.zeros((len(X), model.output_size if model.loss is not None else 0))
    runner = CompiledRunner(key, params, sample_fn(model), X, Y, model.dtype, where, threads,
                            model)
    model.__dict__["_runner"] = runner
    return runner
