"""``LiveCallback``: the live view of a Keras-style ``fit``, as one training callback.

``fit(..., live=True)`` adds it; ``fit(..., callbacks=[LiveCallback(X, y)])`` does the
same by hand. It follows Keras' callback protocol (``set_model``, ``on_train_begin``,
``on_batch_end``, ``on_epoch_end``, ``on_train_end``). Compiled training keeps its
speed: its parameters and gradient are read from the program's arrays, and only when
redrawing is the chosen sample traced on the scalar path (``model.trace_sample``).
"""

from __future__ import annotations

from typing import Any

from ...engine import Value
from ...errors import ConfigError
from .params import ArraySource, ValueSource
from .run_log import LiveRun
from .watch import Watcher

__all__ = ["HOSTS", "LiveCallback", "live_callback"]

HOSTS = ("auto", "browser", "notebook", "quiet")  # where fit(live=...) shows the view


class LiveCallback:
    """Records ``fit``'s batches and epochs and redraws the live panels a few times a second.

    It reads the compiled program's own arrays, so fit need not copy the weights into the
    ``Value``s for it after every batch.
    """

    reads_weights = False

    def __init__(self, X: Any = None, y: Any = None, title: str | None = None,
                 rate: float = 4.0, budget: float = 0.1, sample: int | None = None,
                 show: str = "quiet", wait: bool = True) -> None:
        if show not in HOSTS:
            raise ConfigError(f"live: show must be one of {', '.join(HOSTS)}, got {show!r}")
        self.X, self.y = X, y
        self.show = show
        self.wait = wait  # a browser tab: training starts once the page is open
        self.widget: Any = None
        self.server: Any = None
        self._options = {"rate": rate, "budget": budget, "sample": sample}
        self.title = title
        self.model: Any = None
        self.watcher: Watcher | None = None
        self.hosts: list[Any] = []
        self._source: Any = None
        self._stale: Any = None
        self._step = 0

    def set_model(self, model: Any) -> None:
        """Keras' hook: the model being trained."""
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        """Keras' hook: fit's settings (unused)."""

    @property
    def history(self) -> LiveRun:
        """The run recorded so far (``save_html(path)`` writes it)."""
        if self.watcher is None:
            raise ConfigError("LiveCallback: no training recorded yet")
        return self.watcher.run

    def _graph(self, i: int) -> Value:
        return self.model.trace_sample(self.X[i], self.y[i])

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self.model is None:
            raise ConfigError("LiveCallback: set_model(model) before training")
        if self.watcher is None:
            title = self.title or f"{getattr(self.model, 'name', 'model')}: fit"
            graph = self._graph if self.X is not None and self.y is not None and \
                hasattr(self.model, "trace_sample") else None
            self.watcher = Watcher(self.model, self.X, self.y, graph, title,
                                   **self._options)
            self.watcher.hosts.extend(self.hosts)
            self._host()
        self.watcher.run.state = "running"
        self.watcher.run.by_epoch = True
        self.watcher.controls.reopen()
        self._source = None
        runner = self.model.__dict__.get("_runner")
        self._stale = None if runner is None else runner.grad

    def _host(self) -> None:
        """Show the view where asked: a notebook widget (displayed now) or a browser tab."""
        from .hosts import in_notebook, serve, widget
        show = self.show
        if show == "auto":
            show = "notebook" if in_notebook() else "browser"
        if show == "notebook":
            from IPython.display import display
            self.widget = widget(self.watcher)
            display(self.widget)
        elif show == "browser":
            self.server = serve(self.watcher, wait=self.wait)

    def _current(self) -> Any:
        """Where this fit keeps the parameters: the compiled program, else the Values.

        A compiled fit writes a fresh gradient array after every batch; a scalar fit
        leaves the cached program's (if any) as it was."""
        if self._source is None:
            runner = self.model.__dict__.get("_runner")
            if runner is not None and runner.grad is not None and runner.grad is not self._stale:
                self._source = ArraySource(runner.program, lambda: runner.grad)
            else:
                self._source = ValueSource()
        return self._source

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.watcher.after_step(self._step, self.watcher.epoch, dict(logs or {}),
                                self._current())
        self._step += 1

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.on_batch_end(batch, logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.watcher.epoch = epoch

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.watcher.after_epoch(epoch, dict(logs or {}), self._current())

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.watcher is not None:
            self.watcher.finish(self._current())
        self.close()

    def close(self) -> None:
        """Stop the browser tab's server this callback started (fit's end does it): its
        thread ends and its port is freed; the page keeps the last scene it got."""
        server, self.server = self.server, None
        if server is not None:
            server.close()


def live_callback(live: Any, X: Any, y: Any) -> LiveCallback:
    """The callback ``fit(..., live=...)`` adds: ``live=True`` shows the view in the
    notebook when run in one, else in a browser tab; or name the host (``"browser"``,
    ``"notebook"``, ``"quiet"``: record only, for ``history.save_html``)."""
    if live is True:
        live = "auto"
    if not isinstance(live, str) or live not in HOSTS:
        raise ConfigError(f"fit: live must be True, False or one of {', '.join(HOSTS)}, "
                          f"got {live!r}")
    return LiveCallback(X, y, show=live)
