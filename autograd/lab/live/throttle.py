"""When to redraw: at most ``rate`` times a second, and never more than ``budget`` of the time.

A redraw that took ``c`` seconds is followed by at least ``c / budget`` seconds of
training, so the live view slows training by at most about ``budget`` however large the
model; on a small model it redraws ``rate`` times a second.

>>> clock = iter([0.0, 0.1, 0.3, 0.35, 1.0]).__next__
>>> t = Throttle(rate=4, budget=0.1, clock=clock)
>>> t.due()          # t = 0.0: the first redraw is always due
True
>>> t.done(0.05)     # t = 0.1: it took 0.05 s, so the next starts 0.5 s after it
>>> t.due(), t.due()  # t = 0.3, 0.35: too soon
(False, False)
>>> t.due()          # t = 1.0
True
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ...errors import ConfigError

__all__ = ["Throttle"]


class Throttle:
    """Decides whether a redraw is due; ``done(cost)`` after each redraw."""

    def __init__(self, rate: float = 4.0, budget: float = 0.1,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not rate > 0:
            raise ConfigError(f"live: rate must be a number of redraws per second > 0, "
                              f"got {rate!r}")
        if not isinstance(budget, (int, float)) or isinstance(budget, bool) or \
                not 0 < budget <= 1:
            raise ConfigError(f"live: budget must be a share of the time in (0, 1], "
                              f"got {budget!r}")
        self.interval, self.budget, self.clock = 1.0 / rate, float(budget), clock
        self.next = -float("inf")
        self.redraws = 0
        self.spent = 0.0

    def due(self) -> bool:
        """True when the next redraw may happen now."""
        return self.clock() >= self.next

    def done(self, cost: float) -> None:
        """A redraw just ended; it took ``cost`` seconds."""
        now = self.clock()
        self.redraws += 1
        self.spent += cost
        self.next = now + max(self.interval, cost / self.budget) - cost
