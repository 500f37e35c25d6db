"""``BatchProgram``: run a lowered per-sample program forward and backward over batches.

Parameters live in one flat vector ``theta`` (float64; float32 on request, for speed),
so an optimizer can update them with a few array operations. ``theta[i]`` is
``program.params[i]``: each dense layer's weights packed first as one contiguous block,
then the rest in the order given. ``sync_to_values()`` writes them back into the
``Value``s, ``sync_from_values()`` reads them again. ``threads`` is the number of threads
its large matrix products are split over, BLAS itself at one (:mod:`autograd.compiled.threads`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

import numpy as np

from ..engine import Value
from ..errors import CompileError
from .lower import Plan
from .steps import MatmulStep
from .threads import blas_threads, resolve_threads
from .writes import plan_writes

__all__ = ["BatchProgram"]


def as_batch(data: object, width: int, what: str) -> np.ndarray:
    """``data`` as a float ``(batch, width)`` array (float32 kept, anything else float64);
    a 1-D array is one column."""
    arr = data if isinstance(data, np.ndarray) and data.dtype == np.float32 else \
        np.asarray(data, dtype=np.float64)
    if arr.ndim == 1 and width == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise CompileError(f"{what} must have shape (batch, {width}), got {arr.shape}")
    return arr


_RUN = 2048  # parameters written back at a time


class BatchProgram:
    """A per-sample function compiled for batches (build it with ``compile_batch``).

    ``forward(X, Y)`` gives outputs ``(batch, n_outputs)`` and per-sample losses
    ``(batch,)``; ``backward()`` then gives the gradient of the summed loss by every
    parameter as a flat array aligned with ``params`` and ``theta``.
    """

    def __init__(self, plan: Plan, params: Sequence[Value], dtype: object = np.float64,
                 threads: int | None = None) -> None:
        self.plan = plan
        given = list(params)
        self.params = [given[i] for i in plan.param_order]  # theta[i] is params[i]
        self.dtype = np.dtype(dtype)
        self.theta = np.empty(len(self.params), dtype=self.dtype)
        self.n_inputs, self.n_targets = plan.n_inputs, plan.n_targets
        self.n_outputs = len(plan.output_cols)
        self._A: np.ndarray | None = None
        self._G: np.ndarray | None = None
        live = range(plan.n_inputs + plan.n_targets, plan.const_cols.start)
        param_cols = np.arange(plan.n_columns)[plan.param_cols]
        self._zero, self._seed_set = plan_writes(plan.loss_steps, plan.n_columns, live,
                                                 plan.loss_col,
                                                 param_cols)
        unassigned = np.ones(len(self.params), dtype=bool)  # gtheta entries to zero first
        for step in plan.loss_steps:  # steps outside the loss leave their gradient 0
            block = getattr(step, "assigned_gradient", lambda: None)()
            if block is not None:
                unassigned[block] = False
        self._unassigned = np.flatnonzero(unassigned)
        self._has_loss = False
        self.threads = threads
        self._written: tuple[list[float], np.ndarray] | None = None  # the last sync_to_values
        self.sync_from_values()

    def __repr__(self) -> str:
        c = self.plan.counts
        return (f"BatchProgram({self.n_inputs} inputs, {self.n_targets} targets, "
                f"{self.n_outputs} outputs, {len(self.params)} parameters; "
                f"{c['op nodes']} op nodes in {c['steps']} steps, {c['matmuls']} matmuls)")

    @property
    def threads(self) -> int | None:
        """Threads the large products are split over, BLAS at one thread each (None: BLAS's
        own count and no split, without threadpoolctl).

        Assign an int to choose, or None for one per core the load average leaves idle
        (chosen at the assignment); BLAS's own setting is restored after every call.
        """
        return self._threads

    @threads.setter
    def threads(self, threads: int | None) -> None:
        self._threads = resolve_threads(threads, "BatchProgram.threads")
        for step in self.plan.steps:
            if isinstance(step, MatmulStep):
                step.threads = self._threads

    def blas(self) -> AbstractContextManager[None]:
        """A context running its block as the program's calls run: BLAS at one thread when
        the program splits its own work (restored after); unchanged without threadpoolctl."""
        return blas_threads(None if self._threads is None else 1)

    # -- parameters ----------------------------------------------------------------------

    def sync_from_values(self) -> None:
        """Read every parameter's ``.data`` into ``theta`` (after editing the Values)."""
        now = [p.data for p in self.params]
        written = self._written
        if written is not None and now == written[0]:  # what sync_to_values wrote (the
            np.copyto(self.theta, written[1])  # same floats: compared by identity first)
        else:
            self.theta[:] = np.array(now, dtype=self.dtype)  # rounded to float32 if so compiled

    def sync_to_values(self, grad: np.ndarray | None = None) -> None:
        """Write ``theta`` into every parameter's ``.data`` (after training on arrays), and
        ``grad`` (aligned with ``theta``) into every ``.grad`` when given."""
        self._written = None  # its floats go as the Values let go of them
        xs: list[float] = []
        params, theta = self.params, self.theta
        for i in range(0, len(params), _RUN):  # floats made a run at a time reuse the
            run = theta[i:i + _RUN].tolist()  # memory of those they replace: ~1/3 faster
            if grad is None:
                for p, x in zip(params[i:i + _RUN], run):
                    p.data = x
            else:
                for p, x, g in zip(params[i:i + _RUN], run, grad[i:i + _RUN].tolist()):
                    p.data, p.grad = x, g
            xs += run
        self._written = (xs, theta.copy())  # a later read of the same floats is a copy

    def add_to_grads(self, grad: np.ndarray) -> None:
        """Add a flat gradient into each parameter's ``.grad`` (accumulating, like backward)."""
        for p, g in zip(self.params, np.asarray(grad).tolist()):
            p.grad += g

    # -- running -------------------------------------------------------------------------

    def forward(self, X: object, Y: object = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Outputs ``(batch, n_outputs)`` and per-sample losses ``(batch,)`` for a batch.

        Without ``Y`` only the steps the outputs need run (prediction) and the losses are
        None. The block of values is kept for a following ``backward()``.
        """
        plan = self.plan
        X = as_batch(X, self.n_inputs, "X")
        batch = len(X)
        A = self._A
        if A is None or A.shape[0] != batch:
            # column-major: a step's run of columns is one contiguous stretch of memory
            A = self._A = np.empty((batch, plan.n_columns), dtype=self.dtype, order="F")
        A[:, :self.n_inputs] = X
        targets = slice(self.n_inputs, self.n_inputs + self.n_targets)
        if Y is None:
            if plan.outputs_read_targets:
                raise CompileError("the outputs read the targets: pass Y to forward()")
            A[:, targets] = 0.0
        else:
            Y = as_batch(Y, self.n_targets, "Y")
            if len(Y) != batch:
                raise CompileError(f"X has {batch} samples but Y has {len(Y)}")
            A[:, targets] = Y
        if plan.param_idx.size:
            A[:, plan.param_cols] = self.theta[plan.param_idx]
        A[:, plan.const_cols] = plan.const_vals
        theta = self.theta
        with np.errstate(all="ignore"), self.blas():
            for step in plan.steps if Y is not None else plan.output_steps:
                step.forward(A, theta)
        self._has_loss = Y is not None
        losses = A[:, plan.loss_col].copy() if Y is not None else None
        return A[:, plan.output_cols], losses

    def backward(self, grad: float | np.ndarray = 1.0, to_values: bool = False,
                 out: np.ndarray | None = None) -> np.ndarray:
        """Gradient of ``sum(grad * losses)`` of the last forward, by every parameter.

        ``grad`` scales each sample's loss (``1 / batch`` gives the mean's gradient).
        Returns a flat array aligned with ``theta`` (``out``, when given: an array like
        ``theta`` to write it into, reused from step to step); ``to_values=True`` also
        adds it into each parameter's ``.grad``, accumulating as ``Value.backward()`` does.
        """
        if self._A is None or not self._has_loss:
            raise CompileError("backward() needs a forward(X, Y) with targets first")
        plan, A, G = self.plan, self._A, self._G
        if G is None or G.shape != A.shape:
            G = self._G = np.zeros_like(A)
        else:  # reused: only the columns some step adds to need zeros again
            for run in self._zero:
                G[:, run] = 0.0
        seed = np.asarray(grad, dtype=np.float64)
        if seed.ndim and seed.shape != (len(A),):
            raise CompileError(f"backward grad must be a number or shape ({len(A)},), "
                               f"got {seed.shape}")
        if self._seed_set:
            G[:, plan.loss_col] = seed
        else:
            G[:, plan.loss_col] += seed
        if out is None:
            gtheta = np.empty_like(self.theta)
        elif out.shape != self.theta.shape or out.dtype != self.theta.dtype:
            raise CompileError(f"backward out must be a {self.theta.dtype} array of shape "
                               f"{self.theta.shape}, got {out.dtype} {out.shape}")
        else:
            gtheta = out
        gtheta[self._unassigned] = 0.0  # the rest is written whole by its matmul
        theta = self.theta
        with np.errstate(all="ignore"), self.blas():
            for step in plan.loss_steps:
                step.backward(A, G, theta, gtheta)
        if plan.param_idx.size:
            np.add.at(gtheta, plan.param_idx, G[:, plan.param_cols].sum(axis=0))
        if to_values:
            self.add_to_grads(gtheta)
        return gtheta

    def loss_and_grad(self, X: object, Y: object,
                      grad: float | np.ndarray = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample losses and the flat gradient of ``sum(grad * losses)``: one training step."""
        _, losses = self.forward(X, Y)
        return losses, self.backward(grad)
