"""Pause, resume, single step and sample picking, from the page to the training loop.

The page (any thread) calls ``pause``, ``resume``, ``step`` and ``pick``; the training
loop calls ``gate`` once per step, which returns at once while running and blocks while
paused, until resume or a single step. Picks are handled inside ``gate`` by the training
thread itself (the model is never touched from another thread), also while paused.

>>> c = Controls()
>>> c.pause(); c.step(); c.gate(lambda: None)   # one step lets exactly one through
>>> c.paused, c.pending_pick()
(True, None)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ...errors import ConfigError

__all__ = ["Controls"]


class Controls:
    """The pause state and pending requests, shared by the page and the training loop."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.paused = False
        self._steps = 0
        self._pick: int | None = None
        self.closed = False

    def pause(self) -> None:
        """Stop at the next step."""
        with self._cond:
            self.paused, self._steps = True, 0
            self._cond.notify_all()

    def resume(self) -> None:
        """Run freely again."""
        with self._cond:
            self.paused, self._steps = False, 0
            self._cond.notify_all()

    def step(self) -> None:
        """While paused, let one training step through (then stay paused)."""
        with self._cond:
            self.paused = True
            self._steps += 1
            self._cond.notify_all()

    def pick(self, index: int) -> None:
        """Show sample ``index``'s graph from the next redraw on."""
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ConfigError(f"live: a sample index must be an int >= 0, got {index!r}")
        with self._cond:
            self._pick = index
            self._cond.notify_all()

    def close(self) -> None:
        """Training ended: never block again."""
        with self._cond:
            self.closed, self.paused = True, False
            self._cond.notify_all()

    def reopen(self) -> None:
        """A new training run on the same view: pausing blocks again."""
        with self._cond:
            self.closed = False

    def idle(self) -> bool:
        """True when nothing waits for the training loop (no pause, step or pick): read
        without the lock, so a request made just now shows at the next step."""
        return not self.paused and self._pick is None

    def pending_pick(self) -> int | None:
        """The sample picked since the last call, if any (and forget it)."""
        with self._cond:
            pick, self._pick = self._pick, None
            return pick

    def gate(self, on_pick: Callable[[], None], on_pause: Callable[[], None] | None = None
             ) -> None:
        """Called by the training loop before each step: wait while paused.

        ``on_pick`` runs (in this thread) when a sample is picked while waiting;
        ``on_pause`` once when the loop starts waiting.
        """
        with self._cond:
            if not self.paused or self.closed:
                return
            if self._steps:
                self._steps -= 1
                return
        if on_pause is not None:
            on_pause()
        while True:
            with self._cond:
                if self._pick is None and self.paused and not self._steps and not self.closed:
                    self._cond.wait(0.2)  # wake now and then so Ctrl-C gets through
                if self._pick is None:
                    if not self.paused or self.closed:
                        return
                    if self._steps:
                        self._steps -= 1
                        return
                    continue
            on_pick()
