"""``Monitor``: the live view for a hand-written, micrograd-style training loop.

Call ``monitor.update(loss=loss, model=model, step=k)`` once per step, after
``loss.backward()``; it records the loss (and any other numbers given as keywords) and,
a few times a second, redraws the panels: loss curve, decision boundary for 2-D inputs,
per-layer gradient norms and dead units, and one sample's graph built by the model's
own forward. ``sample_loss(output, target)`` makes that graph the sample's loss;
without it the graph ends at the model's output. The sample shown first is the one with
the largest loss (``sample=i`` chooses; the page can pick another).

>>> import numpy as np
>>> from autograd import Value
>>> class Line:                         # any model with parameters() and a forward
...     def __init__(self): self.w, self.b = Value(0.5), Value(0.0)
...     def parameters(self): return [self.w, self.b]
...     def __call__(self, x): return self.w * x[0] + self.b
>>> X, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
>>> model, monitor = Line(), Monitor(X, y, sample_loss=lambda out, t: (out - t) ** 2)
>>> for k in range(3):
...     loss = sum((model(x) - t) ** 2 for x, t in zip(X.tolist(), y))
...     for p in model.parameters(): p.grad = 0.0
...     loss.backward()
...     monitor.update(loss=loss, model=model, step=k)
...     for p in model.parameters(): p.data -= 0.05 * p.grad
>>> len(monitor.history.steps), monitor.history.latest["layers"][0]["name"]
(3, 'model')
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ...engine import Value
from ...errors import ConfigError, InputTypeError
from .params import ValueSource
from .run_log import LiveRun
from .watch import Watcher

__all__ = ["Monitor"]


def _number(value: Any, name: str) -> float:
    if isinstance(value, Value):
        return value.data
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise InputTypeError(f"Monitor.update: {name} must be a number or a Value, got "
                         f"{value!r} ({type(value).__name__})")


class Monitor:
    """Live view of a hand-written loop (see the module docstring)."""

    def __init__(self, X: Any = None, y: Any = None, sample_loss: Any = None,
                 title: str = "training", rate: float = 4.0, budget: float = 0.1,
                 sample: int | None = None, model: Any = None) -> None:
        self.X = None if X is None else np.asarray(X, dtype=np.float64)
        self.y = None if y is None else np.asarray(y, dtype=np.float64)
        if sample_loss is not None and not callable(sample_loss):
            raise ConfigError(f"Monitor: sample_loss must be a function (output, target) -> "
                              f"loss, got {sample_loss!r}")
        if self.X is not None and self.y is not None and len(self.y) != len(self.X):
            raise ConfigError(f"Monitor: y has {len(self.y)} samples, X has {len(self.X)}")
        self.sample_loss = sample_loss
        self._options = {"title": title, "rate": rate, "budget": budget, "sample": sample}
        self.watcher: Watcher | None = None
        self._source = ValueSource()
        self._steps = 0
        self._servers: list[Any] = []
        if model is not None:
            self._start(model)

    @property
    def history(self) -> LiveRun:
        """The run so far: steps, frames; ``history.save_html(path)`` writes it."""
        if self.watcher is None:
            raise ConfigError("Monitor: nothing recorded yet; call update(loss=..., "
                              "model=...) once per training step")
        return self.watcher.run

    def _graph(self, model: Any) -> Any:
        def build(i: int) -> Value:
            row = self.X[i].tolist()
            out = model(row)
            if isinstance(out, (list, tuple)):
                out = out[0] if len(out) == 1 else out
            if self.sample_loss is not None and self.y is not None:
                target = self.y[i].tolist()
                return self.sample_loss(out, target)
            if not isinstance(out, Value):
                raise InputTypeError("Monitor: the model has several outputs; give "
                                     "sample_loss=(outputs, target) -> loss to draw one graph")
            return out
        return build

    def update(self, loss: Any = None, model: Any = None, step: int | None = None,
               epoch: int = 0, **metrics: Any) -> None:
        """Record one step (call after ``loss.backward()``); redraw if it is time."""
        if self.watcher is None:
            if model is None:
                raise ConfigError("Monitor.update: pass model= on the first call")
            self._start(model)
        logs = {} if loss is None else {"loss": _number(loss, "loss")}
        logs.update({k: _number(v, k) for k, v in metrics.items()})
        step = self._steps if step is None else step
        self._steps = step + 1
        self.watcher.after_step(step, epoch, logs, self._source)

    def _start(self, model: Any) -> None:
        self.watcher = Watcher(model, self.X, self.y, self._graph(model), **self._options,
                               worst_first=self.sample_loss is not None)

    def _started(self, where: str) -> Watcher:
        if self.watcher is None:
            raise ConfigError(f"Monitor.{where}: the model is not known yet; pass model= to "
                              "Monitor(...) or call update(model=...) first")
        return self.watcher

    def serve(self, open_browser: bool | None = None, quiet: bool = False,
              wait: bool = True) -> Any:
        """Show the live view in a browser tab: the lab's local server on 127.0.0.1 with a
        random token, from a background thread. With ``wait`` (the default) it returns once
        the page is open, so the run starts under the learner's eyes. Returns the server:
        ``.url``, and ``.close()`` (or ``monitor.close()``) stops it."""
        from .hosts import serve
        server = serve(self._started("serve"), open_browser, quiet, wait=wait)
        self._servers.append(server)
        return server

    def close(self) -> None:
        """Stop every server ``serve()`` started (threads end, ports are freed)."""
        while self._servers:
            self._servers.pop().close()

    def widget(self) -> Any:
        """The live view as a notebook widget (display it, then train)."""
        from .hosts import widget
        return widget(self._started("widget"))

    def finish(self) -> None:
        """The loop is over: draw the final state; the page stays as it is."""
        if self.watcher is not None:
            self.watcher.finish(self._source)

    def save_html(self, path: Any) -> Any:
        """Write the run as one self-contained HTML file (see ``LiveRun.save_html``), up to
        the last step recorded."""
        return self.history.save_html(path)
