"""The injected clock: production reads the system time, tests move a fake one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current instant."""

    def now(self) -> datetime:
        """Return the current aware instant."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; used by tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        """Return the instant the clock was last set to."""
        return self._now

    def set(self, at: datetime) -> None:
        """Move the clock to an instant (never backwards)."""
        if at < self._now:
            raise ValueError("time does not run backwards")
        self._now = at

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward and return the new instant."""
        self.set(self._now + delta)
        return self._now
