"""``fit``'s progress output, as a callback: a live bar on a terminal, lines in a log.

``verbose=1`` draws a tqdm bar per epoch when its stream is interactive (a terminal or
a Jupyter kernel); written to a file or a pipe, it prints exactly one line per epoch
instead, as Keras does (a bar redrawn into a log repeats its last line).
``verbose=2`` prints one line per epoch on stdout, ``verbose=0`` nothing.

>>> import io
>>> log = io.StringIO()
>>> p = ProgressLogger(1, stream=log)
>>> p.set_params({"epochs": 2, "steps": 4})
>>> for epoch in range(2):
...     p.on_epoch_begin(epoch)
...     p.on_epoch_end(epoch, {"loss": 0.25})
>>> [line.split(" - ")[0::2] for line in log.getvalue().splitlines()]
[['Epoch 1/2', 'loss: 0.2500'], ['Epoch 2/2', 'loss: 0.2500']]
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from .callbacks import Callback

__all__ = ["ProgressLogger", "format_logs", "interactive"]


def interactive(stream: Any) -> bool:
    """True for a terminal or a Jupyter kernel's output, where a bar can redraw itself."""
    isatty = getattr(stream, "isatty", None)
    try:
        if callable(isatty) and isatty():
            return True
    except ValueError:  # a closed stream
        return False
    return "ipykernel" in sys.modules and type(stream).__module__.startswith("ipykernel")


def format_logs(logs: dict[str, float]) -> str:
    """``loss: 0.1234 - accuracy: 0.9000`` in the order the logs hold them."""
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


class ProgressLogger(Callback):
    """Keras' progress output for ``verbose`` 0, 1 or 2 (``stream``: stderr for 1)."""

    reads_weights = False

    def __init__(self, verbose: int, stream: TextIO | None = None) -> None:
        super().__init__()
        self.verbose = verbose
        self._stream = stream
        self._bar: Any = None
        self._start = 0.0

    @property
    def stream(self) -> TextIO:
        """Where the bar or the lines go: stderr for ``verbose=1``, stdout for 2."""
        if self._stream is not None:
            return self._stream
        return sys.stderr if self.verbose == 1 else sys.stdout

    def _title(self, epoch: int) -> str:
        return f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}"

    def on_epoch_begin(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self._start = time.perf_counter()
        if self.verbose == 1 and interactive(self.stream):
            from tqdm import tqdm  # only where a bar is drawn

            self._bar = tqdm(total=self.params.get("steps"), desc=self._title(epoch),
                             unit="batch", leave=True, file=self.stream)

    def on_train_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(format_logs(logs or {}), refresh=False)
            self._bar.update(1)

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        text = format_logs(logs or {})
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)
            self.close()
        elif self.verbose:
            seconds = time.perf_counter() - self._start
            print(f"{self._title(epoch)} - {seconds:.2f}s - {text}", file=self.stream,
                  flush=True)

    def close(self) -> None:
        """Finish the bar, if one is drawn (also when training stops on an error)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
