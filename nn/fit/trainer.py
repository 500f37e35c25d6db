"""Training for the Keras-style ``Sequential``: ``fit``, ``evaluate``, ``predict``.

Two engines run the same per-sample computation (:func:`nn.fit.objectives.sample_loss`):

* compiled (the default): recorded once, run on whole batches of arrays
  (:mod:`nn.fit.compiled`) -- for training on real data;
* scalar (``compiled=False``): one graph per sample, the batch's mean loss (as Keras),
  one ``backward``, one optimizer step -- slow, but every node is there to see.

Both give the same numbers, to rounding. Everything ``fit`` is given is checked first
(:mod:`nn.fit.inputs`); every step is guarded against NaN/inf (:mod:`nn.fit.guard`); progress,
history and the user's callbacks are all callbacks (:mod:`nn.fit.callbacks`).
``trace_sample(x, y)`` builds one sample's loss graph with the scalar engine, to step
through or draw, whichever engine trained the model.
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import CompileError, ConfigError, NonFiniteError

from .callbacks import CallbackList, History
from .compiled import runner_for
from .guard import StepGuard, explain_overflow
from .inputs import DataChecks, check_flag, check_int, check_verbose, split_validation
from .objectives import loss_kind, metric_sums
from .progress import ProgressLogger, format_logs, interactive
from .runner import Runner
from .scalar import ScalarRunner

__all__ = ["History", "Trainer"]

class Trainer(DataChecks):
    """``fit``, ``evaluate``, ``predict`` and ``trace_sample`` for ``Sequential``."""

    noise_size: int  # random numbers per sample in training (the model's layers say)
    _check_optimizer: Any  # the model's check that compile bound the optimizer
    weights_and_trainable: Any  # the model's weights and its trainable ones, listed once
    _metric_fns: dict[str, Any]  # metrics computed by a function (compile), by name

    @property
    def program(self) -> Any:
        """The compiled ``BatchProgram`` that compiled fit/evaluate/predict run (None before)."""
        runner = self.__dict__.get("_runner")
        return None if runner is None else runner.program

    # -- the engines --------------------------------------------------------------------

    def _engine(self, compiled: bool, X: np.ndarray, Y: np.ndarray | None, where: str,
                noise: np.random.Generator | None = None,
                params: list[Any] | None = None) -> Runner:
        """The compiled runner (cached, parameters read in) or a scalar one; ``noise``
        draws the random inputs (dropout masks) of training batches; ``params``: the
        model's weights when the caller has listed them."""
        try:
            runner = runner_for(self, X, Y, where, params) if compiled else ScalarRunner(self)
        except CompileError:
            if Y is not None and self.dtype != np.float64:
                explain_overflow(self, X, Y, where)
            raise
        runner.begin(noise)
        return runner

    def trace_sample(self, x: Any, y: Any) -> Value:
        """The loss of one sample ``(x, y)`` as a graph, to step through or draw.

        Inputs are labelled ``x0, x1, ...``, targets ``y0, y1, ...`` (a class label is a
        one-hot row), the output ``loss``, parameters by their path.
        """
        rows = self._inputs([x], "trace_sample")
        targets = self._targets([y], 1, "trace_sample")
        loss = ScalarRunner(self).sample(rows[0].tolist(), targets[0].tolist(), labels=True)[0]
        loss.label = "loss"
        return loss

    def _score(self, runner: Runner, X: np.ndarray, Y: np.ndarray, batch_size: int,
               verbose: int = 0) -> dict[str, float]:
        """The mean loss and metrics on ``(X, Y)``, keyed as Keras logs them."""
        losses, outs = runner.score(X, Y, batch_size, verbose)
        sums = metric_sums(self.metrics, loss_kind(self.loss), outs, Y, self._metric_fns)
        return {"loss": float(np.sum(losses)) / len(X), **{k: v / len(X) for k, v in sums.items()}}

    @contextlib.contextmanager
    def _weights_in_values(self, runner: Runner, needed: bool) -> Iterator[None]:
        """While callbacks that may read or set the weights run, the ``Value``s hold them."""
        if not needed:
            yield
            return
        runner.end_fit()
        yield
        runner.begin()

    # -- the Keras verbs -------------------------------------------------------------------

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: int | str = 1, callbacks: Any = None, validation_split: float = 0.0,
            validation_data: tuple[Any, Any] | None = None, shuffle: bool = True,
            initial_epoch: int = 0, seed: int | None = None, compiled: bool = True,
            live: Any = False, **old: Any) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in shuffled mini-batches (Keras' order
        and defaults: ``batch_size=None`` is 32).

        ``compiled=True`` runs the compiled program on whole batches; ``compiled=False``
        builds one scalar graph per sample (same numbers, far slower). Either way, after
        ``fit`` every parameter's ``.data`` holds the trained value and its ``.grad`` the
        gradient of the last batch's mean loss. A step that makes the loss or a parameter
        NaN/inf stops training with ``NonFiniteError`` (its ``history``: the finished
        epochs), the model as before that step.
        Hooks registered on parameters run only on the scalar path. Layers that draw random
        numbers in training (``Dropout``) get them from a generator seeded from ``seed``
        (else the model's), the same on both paths.
        ``live=True`` shows the training live (a notebook widget, else a browser tab; see
        :mod:`autograd.lab.live`) and keeps the run for ``history.save_html(path)``.
        """
        y_given = y
        epochs = _old_epochs(old, epochs)
        compiled = check_flag(compiled, "compiled", "fit")
        shuffle = check_flag(shuffle, "shuffle", "fit")
        X, Y = self._data(x, y, compiled, "fit")
        val = None
        if validation_data is not None:  # as in Keras, it overrides validation_split
            val = self._validation(validation_data, compiled)
        elif validation_split:
            X, Y, *held_out = split_validation(X, Y, validation_split, "fit")
            val = (held_out[0], held_out[1])
        batch_size = 32 if batch_size is None else check_int(batch_size, "batch_size", "fit", 1)
        epochs = check_int(epochs, "epochs", "fit", 0)
        initial_epoch = check_int(initial_epoch, "initial_epoch", "fit", 0)
        verbose = check_verbose(verbose, "fit")
        weights, trainable = self.weights_and_trainable()
        self._check_optimizer("fit", trainable)
        history, progress = History(), ProgressLogger(verbose)
        watch = []
        if live:
            from autograd.lab.live.callback import live_callback

            watch.append(live_callback(live, X, y_given))
        steps = -(-len(X) // batch_size)
        hooks = CallbackList(callbacks, self, {"epochs": epochs, "steps": steps,
                                               "verbose": verbose},
                             first=[progress], last=[*watch, history])
        self.history, self.stop_training = history, False
        if epochs <= initial_epoch:
            return history
        rng = random.Random(seed) if seed is not None else self._rng
        noise = np.random.default_rng(rng.getrandbits(64)) if self.noise_size else None
        runner = self._engine(compiled, X, Y, "fit", noise, weights)
        logs: dict[str, float] = {}
        finished, guard = False, None
        try:
            with self._weights_in_values(runner, hooks.reads_weights("on_train_begin")):
                hooks.call("on_train_begin", {})
            guard = StepGuard(runner, self)
            for epoch in range(initial_epoch, epochs):
                order = list(range(len(X)))
                if shuffle:
                    rng.shuffle(order)
                batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
                logs = self._epoch(runner, guard, hooks, X, Y, batches, epoch, epochs)
                if val is not None:
                    hooks.call("on_test_begin", {})
                    scores = self._score(runner, *val, batch_size)
                    hooks.call("on_test_end", scores)
                    logs.update({f"val_{k}": v for k, v in scores.items()})
                with self._weights_in_values(runner, hooks.reads_weights("on_epoch_end")):
                    hooks.call("on_epoch_end", epoch, logs)
                if self.stop_training:
                    break
            finished = True
        except NonFiniteError as e:
            e.history = history  # type: ignore[attr-defined]  # the epochs that did finish
            raise
        finally:
            progress.close()
            if guard is not None:
                guard.close()
            runner.end_fit()  # the compiled engine writes theta into the Values
            if not finished:  # stopped by an error or Ctrl-C: the live view's server stops too
                for view in watch:
                    view.close()
        hooks.call("on_train_end", logs)
        history.live = watch[0].history if watch else None
        return history

    def _validation(self, data: Any, compiled: bool) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ConfigError("fit: validation_data must be a pair (X_val, y_val)")
        return self._data(data[0], data[1], compiled, "fit validation_data")

    def _epoch(self, runner: Runner, guard: StepGuard, hooks: CallbackList, X: np.ndarray,
               Y: np.ndarray, batches: list[list[int]], epoch: int,
               epochs: int) -> dict[str, float]:
        """One pass over the batches; returns the epoch's mean loss and metrics."""
        with self._weights_in_values(runner, hooks.reads_weights("on_epoch_begin")):
            hooks.call("on_epoch_begin", epoch, {})
        kind, seen, total = loss_kind(self.loss), 0, 0.0
        sums = dict.fromkeys(self.metrics, 0.0)
        sync_begin = hooks.reads_weights("on_train_batch_begin")
        sync_end = hooks.reads_weights("on_train_batch_end")
        logs: dict[str, float] = {}
        for b, batch in enumerate(batches):
            with self._weights_in_values(runner, sync_begin):
                hooks.call("on_train_batch_begin", b, {})
            xb, yb = X[batch], Y[batch]  # gathered once for the step, guard and metrics
            guard.before()
            with np.errstate(all="ignore"):  # a non-finite step is reported by the guard
                loss, outs = runner.train_batch(self.optimizer, xb, yb)
            guard.after(loss, f"{epoch + 1}/{epochs}", f"{b + 1}/{len(batches)}", xb)
            total, seen = total + loss * len(batch), seen + len(batch)
            for key, value in metric_sums(self.metrics, kind, outs, yb,
                                          self._metric_fns).items():
                sums[key] += value
            logs = {"loss": total / seen, **{k: v / seen for k, v in sums.items()}}
            with self._weights_in_values(runner, sync_end):
                hooks.call("on_train_batch_end", b, logs)
        return logs

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: int | str = 0, return_dict: bool = False,
                 compiled: bool = True) -> float | list[float] | dict[str, float]:
        """Mean loss on ``(x, y)``, with the metrics when compiled with some:
        ``[loss, accuracy, ...]`` (a dict with ``return_dict=True``)."""
        verbose = check_verbose(verbose, "evaluate")
        compiled = check_flag(compiled, "compiled", "evaluate")
        self._kind("evaluate")
        X, Y = self._data(x, y, compiled, "evaluate")
        chunk = 32 if batch_size is None else check_int(batch_size, "batch_size", "evaluate", 1)
        start = time.perf_counter()
        scores = self._score(self._engine(compiled, X, Y, "evaluate"), X, Y, chunk,
                             _bar(verbose))
        if verbose:  # Keras' closing line: the numbers, once
            print(f"evaluate - {len(X)} samples - {time.perf_counter() - start:.2f}s - "
                  f"{format_logs(scores)}", file=sys.stderr if verbose == 1 else sys.stdout)
        if return_dict:
            return scores
        return list(scores.values()) if self.metrics else scores["loss"]

    def predict(self, x: Any, batch_size: int | None = None, verbose: int | str = 0,
                compiled: bool = True) -> np.ndarray:
        """Outputs (after the last activation) as an array of shape (samples, units)."""
        verbose = check_verbose(verbose, "predict")
        compiled = check_flag(compiled, "compiled", "predict")
        X = self._inputs(x, "predict", self.dtype if compiled else np.float64)
        chunk = 32 if batch_size is None else check_int(batch_size, "batch_size", "predict", 1)
        return self._engine(compiled, X, None, "predict").predict(X, chunk, _bar(verbose))


def _old_epochs(old: dict[str, Any], epochs: int) -> int:
    """Keras 1's ``nb_epoch=`` as ``epochs=``, with a DeprecationWarning; other unknown
    arguments are refused by name."""
    if "nb_epoch" in old:
        warnings.warn("fit(nb_epoch=) is Keras 1's name: use fit(epochs=)", DeprecationWarning,
                      stacklevel=3)
        epochs = old.pop("nb_epoch")
    if old:
        raise ConfigError(f"fit: unknown argument(s) {', '.join(sorted(old))}")
    return epochs


def _bar(verbose: int) -> int:
    """1 (a sample-by-sample bar on the scalar engine) only where a bar can redraw itself."""
    return 1 if verbose == 1 and interactive(sys.stderr) else 0
