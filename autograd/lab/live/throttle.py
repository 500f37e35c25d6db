"""When to redraw: at most ``rate`` times a second, and never more than ``budget`` of the time.

Every piece of live work counts against the budget: a redraw that took ``c`` seconds is
followed by at least ``c / budget`` seconds of training, and so is work done outside a
redraw (setting the view up, keeping an epoch's frame), reported with ``charge``. So
the live view slows training by at most about ``budget`` however large the model; on
a small model it redraws ``rate`` times a second.

>>> clock = iter([0.0, 0.1, 0.3, 0.35, 1.0, 1.1, 1.2, 1.5, 1.7]).__next__
>>> t = Throttle(rate=4, budget=0.1, clock=clock)
>>> t.due()          # t = 0.0: the first redraw is always due
True
>>> t.done(0.05)     # t = 0.1: it took 0.05 s, so the next starts 0.5 s after it
>>> t.due(), t.due()  # t = 0.3, 0.35: too soon
(False, False)
>>> t.due()          # t = 1.0
True
>>> t.done(0.01)     # t = 1.1: cheap, so the rate rules: next at 1.34
>>> t.charge(0.02)   # t = 1.2: other live work pushes it 0.2 s later, to 1.54
>>> t.due(), t.due()  # t = 1.5, 1.7
(False, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ...errors import ConfigError

__all__ = ["Throttle"]


class Throttle:
    """Decides whether a redraw is due; ``done(cost)`` after each redraw, ``charge(cost)``
    after any other live work."""

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
        self._debt = 0.0  # work charged before the first redraw, repaid after it

    def due(self) -> bool:
        """True when the next redraw may happen now."""
        return self.clock() >= self.next

    def done(self, cost: float) -> None:
        """A redraw just ended; it took ``cost`` seconds."""
        now = self.clock()
        self.redraws += 1
        self.spent += cost
        owed, self._debt = cost + self._debt, 0.0
        self.next = now + max(self.interval - cost, owed / self.budget - cost)

    def charge(self, cost: float) -> None:
        """Live work outside a redraw took ``cost`` seconds: the next redraw waits for
        training to make up for it (the first redraw never waits)."""
        self.spent += cost
        if not self.redraws:
            self._debt += cost
            return
        self.next = max(self.next, self.clock()) + cost / self.budget
