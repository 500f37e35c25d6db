"""Training that turns to NaN or inf stops, and loses nothing (Keras' TerminateOnNaN,
on by default).

After each step the guard checks the loss and every parameter; the first non-finite one
undoes the step and raises :class:`~autograd.errors.NonFiniteError` naming the epoch, the
batch and the parameter, so the model is exactly as it was before the step that broke it.
A compiled step is *staged* (the optimizer writes the new parameters and state into spare
buffers, :meth:`nn.optim.Optimizer.update` with ``out=``), so undoing it is dropping the
spares and keeping it a swap: nothing is copied. Otherwise (the scalar engine, frozen
parameters, an optimizer that wraps its rule) the guard keeps a copy of the parameters
and of the optimizer's state before each step (into buffers reused from step to step).
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np

from autograd import topo_order
from autograd.compiled.verify import pick_samples
from autograd.errors import ConfigError, NonFiniteError

__all__ = ["StepGuard", "explain_overflow"]


class StepGuard:
    """Wraps one ``fit``'s steps on either engine (compiled: ``theta``; scalar: ``Value``s)."""

    def __init__(self, runner: Any, model: Any) -> None:
        self.model, self.optimizer = model, model.optimizer
        self.runner = runner
        program = self._program = getattr(runner, "program", None)
        self.params = model.parameters() if program is None else program.params
        self._staging = program is not None and len(self.optimizer.params) == len(self.params) \
            and self.optimizer.can_stage()
        if program is not None:
            runner.staging = self._staging
        self._saved: np.ndarray | None = None
        self._state: dict[str, Any] = {}

    @property
    def _theta(self) -> np.ndarray | None:
        return None if self._program is None else self._program.theta

    def _values(self) -> np.ndarray:
        if self._staging and self.runner.staged is not None:
            return self.runner.staged  # the step's result, not kept yet
        if self._theta is not None:
            return self._theta
        return np.fromiter((p.data for p in self.params), float, len(self.params))

    def before(self) -> None:
        """Keep the parameters and the optimizer state as they are now (unless the step
        is staged: then they stay untouched until it is kept)."""
        if self._staging:
            return
        values = self._values()
        if self._theta is not None and self._saved is not None \
                and self._saved.shape == values.shape and self._saved.dtype == values.dtype:
            np.copyto(self._saved, values)
        else:
            self._saved = values.copy() if self._theta is not None else values
        self.optimizer.save_state(self._state)

    def after(self, loss: float, epoch: str, batch: str, inputs: np.ndarray) -> None:
        """Raise (after restoring) if the step made the loss or a parameter non-finite."""
        values = self._values()
        blas = contextlib.nullcontext() if self._program is None else self._program.blas()
        with np.errstate(all="ignore"), blas:  # as the step's own BLAS
            total = float(np.dot(values, values))  # NaN/inf propagate: finite, all finite
        if math.isfinite(loss) and (math.isfinite(total) or np.isfinite(values).all()):
            if self._staging and self.runner.staged is not None:
                self.runner.commit(self.optimizer)
            return
        bad = np.flatnonzero(~np.isfinite(values))
        where = f"fit stopped in epoch {epoch}, batch {batch}"
        if bad.size:
            rank = {id(p): k for k, p in enumerate(self.model.parameters())}
            first = min(bad.tolist(), key=lambda i: rank.get(id(self.params[i]), i))
            name = self.params[first].label or f"#{first}"
            what = (f"the step made parameter {name!r} {float(values[first])} "
                    f"({bad.size} of {len(values)} parameters non-finite; loss {loss:g})")
        else:
            what = f"the loss is {loss:g}"
        self._restore()
        scale = float(np.max(np.abs(inputs))) if inputs.size else 0.0
        raise NonFiniteError(
            f"{where}: {what}. The parameters and the optimizer state are as they were "
            f"before this step. Largest |input| in the batch: {scale:g}; scale the inputs "
            "or lower the learning rate")

    def close(self) -> None:
        """At the end of ``fit`` (even on Ctrl-C): a step still staged is dropped, so the
        model and the optimizer are as before it; later steps run in place again."""
        if self._staging:
            self.runner.staging = False
            self.runner.staged = None
            self.optimizer.discard()

    def _restore(self) -> None:
        if self._staging:
            self.runner.discard(self.optimizer)
            return
        saved = self._saved
        if self._theta is not None:
            np.copyto(self._theta, saved)
        else:
            for p, x in zip(self.params, saved.tolist()):
                p.data = x
        self.optimizer.restore_state(self._state)


def explain_overflow(model: Any, X: np.ndarray, Y: np.ndarray, where: str) -> None:
    """After compiling in float32 failed: if a sample the compiler checks holds a value
    beyond float32's range, raise the error that says so (rather than a CompileError)."""
    from .scalar import ScalarRunner

    limit, runner = float(np.finfo(model.dtype).max), ScalarRunner(model)
    for i in [0, *pick_samples(X, Y, 3)]:
        loss = runner.sample(X[i].tolist(), Y[i].tolist())[0]
        k, node = max(enumerate(topo_order(loss)), key=lambda kn: abs(kn[1].data))
        if not abs(node.data) <= limit:
            what = node.op or "leaf"
            raise ConfigError(
                f"{where}: sample {i} overflows {model.dtype.name}: node #{k} ({what}) of its "
                f"loss graph is {node.data:g}, beyond ±{limit:.2g}; scale the inputs or "
                'compile(dtype="float64")')
