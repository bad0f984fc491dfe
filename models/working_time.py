"""Working-time calendar for Vietnamese public agencies: which instants count towards a deadline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = ["WorkingCalendar"]

VIETNAM_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
MONDAY_TO_FRIDAY: frozenset[int] = frozenset({0, 1, 2, 3, 4})

# A configuration with no working days at all would make every search run forever; ten years of
# consecutive days off can only be a configuration error.
MAX_CONSECUTIVE_DAYS_OFF = 3660

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _vietnamese_public_holidays(year: int) -> frozenset[date]:
    """Return the Vietnamese public holidays of one year, observed and substituted days included."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _require_aware(value: datetime, name: str) -> None:
    """Refuse a naive datetime, whose instant is ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _require_plain_date(value: date, name: str) -> None:
    """Refuse a datetime where a calendar date is expected, since it never equals a date."""
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date, not a datetime; convert it to local time first")


@dataclass(frozen=True)
class WorkingCalendar:
    """Hold an agency's working days and hours, with public holidays, province days off and make-up days."""

    # Rules every method follows:
    # - Datetimes in must be timezone-aware (any zone); datetimes out are in `timezone`.
    # - A working period includes both its start and its end, so 11:30 and 17:00 are working instants.
    # - A make-up working day works even on a weekend or a public holiday; a date cannot be both a
    #   province day off and a make-up working day.
    # - Public holidays come from the `holidays` package, which already moves holidays that fall on a
    #   weekend to a weekday (observed days) and includes government-announced substituted days off.

    timezone: ZoneInfo = VIETNAM_TIMEZONE
    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    extra_days_off: frozenset[date] = frozenset()
    makeup_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        """Normalise collections to immutable types and reject inconsistent configurations."""
        # Callers building a calendar from settings often pass lists or sets; freezing them keeps the
        # calendar hashable and safe to share.
        object.__setattr__(self, "periods", tuple((start, end) for start, end in self.periods))
        object.__setattr__(self, "working_weekdays", frozenset(self.working_weekdays))
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))
        object.__setattr__(self, "makeup_working_days", frozenset(self.makeup_working_days))

        if not self.periods:
            raise ValueError("a working calendar needs at least one working period per day")
        previous_end: time | None = None
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working periods are local wall-clock times and must be naive")
            if start >= end:
                raise ValueError(f"working period {start}-{end} must start before it ends")
            if previous_end is not None and start < previous_end:
                raise ValueError("working periods must be in order and must not overlap")
            previous_end = end
        if not self.working_weekdays <= frozenset(range(7)):
            raise ValueError("working weekdays must be between 0 (Monday) and 6 (Sunday)")
        for day in self.extra_days_off | self.makeup_working_days:
            _require_plain_date(day, "a configured day")
        conflicting = self.extra_days_off & self.makeup_working_days
        if conflicting:
            listed = ", ".join(day.isoformat() for day in sorted(conflicting))
            raise ValueError(f"dates cannot be both a day off and a make-up working day: {listed}")

    def is_public_holiday(self, day: date) -> bool:
        """Tell whether a date is a Vietnamese public holiday, including observed and substituted days."""
        _require_plain_date(day, "day")
        return day in _vietnamese_public_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        """Tell whether the agency works on a date."""
        _require_plain_date(day, "day")
        if day in self.makeup_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return day.weekday() in self.working_weekdays and not self.is_public_holiday(day)

    def is_working_instant(self, at: datetime) -> bool:
        """Tell whether an instant lies within a working period, both ends included."""
        _require_aware(at, "at")
        instant = at.astimezone(UTC)
        return any(start <= instant <= end for start, end in self._working_intervals(self._local_date(at)))

    def working_day_length(self) -> timedelta:
        """Return the nominal working time of one working day."""
        anchor = date(2000, 1, 1)
        return sum(
            (datetime.combine(anchor, end) - datetime.combine(anchor, start) for start, end in self.periods),
            timedelta(0),
        )

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return the instant at which `duration` of working time has elapsed since `start`."""
        # Counting begins at `start`, or at the next period start when `start` is outside working time.
        # A result exactly on a period end stays there (Monday 07:30 + 8h is Monday 17:00), so a zero
        # duration returns `start` itself when it is a working instant, else the next working instant.
        _require_aware(start, "start")
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        cursor = start.astimezone(UTC)
        remaining = duration
        for day in self._working_days_from(self._local_date(start)):
            for period_start, period_end in self._working_intervals(day):
                if cursor > period_end:
                    continue
                begin = max(cursor, period_start)
                available = period_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(self.timezone)
                remaining -= available
                cursor = period_end
        raise AssertionError("unreachable: the working day search never ends")  # pragma: no cover

    def end_of_working_days(self, start: datetime, days: int) -> datetime:
        """Return the end of the last period of the `days`-th working day after the local date of `start`."""
        # This sets "within N working days" deadlines: the day of receipt itself never counts. With
        # `days == 0` it is the end of that day when it is a working day, else of the next working day.
        _require_aware(start, "start")
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        day = self._local_date(start)
        if days == 0:
            if not self.is_working_day(day):
                day = self.next_working_day(day)
        else:
            for _ in range(days):
                day = self.next_working_day(day)
        return self._local_instant(day, self.periods[-1][1]).astimezone(self.timezone)

    def working_time_between(
        self,
        start: datetime,
        end: datetime,
        paused: Sequence[tuple[datetime, datetime]] = (),
    ) -> timedelta:
        """Return the working time in [start, end] that falls outside every paused interval."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        for pause_start, pause_end in paused:
            _require_aware(pause_start, "a pause start")
            _require_aware(pause_end, "a pause end")
            if pause_end < pause_start:
                raise ValueError(f"a pause cannot end before it starts: {pause_start} > {pause_end}")
        lower = start.astimezone(UTC)
        upper = end.astimezone(UTC)
        if upper <= lower:
            return timedelta(0)
        total = self._working_time_within(lower, upper)
        clipped = (
            (max(pause_start.astimezone(UTC), lower), min(pause_end.astimezone(UTC), upper))
            for pause_start, pause_end in paused
        )
        for pause_start, pause_end in _merge_intervals(clipped):
            total -= self._working_time_within(pause_start, pause_end)
        return total

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after a date."""
        _require_plain_date(day, "day")
        return next(self._working_days_from(day + ONE_DAY))

    def _working_days_from(self, day: date) -> Iterator[date]:
        """Yield the working days from a date onwards, the date itself included."""
        days_off = 0
        while True:
            if self.is_working_day(day):
                days_off = 0
                yield day
            else:
                days_off += 1
                if days_off > MAX_CONSECUTIVE_DAYS_OFF:
                    raise ValueError(f"no working day in the {MAX_CONSECUTIVE_DAYS_OFF} days before {day}")
            day += ONE_DAY

    def _working_time_within(self, lower: datetime, upper: datetime) -> timedelta:
        """Return the working time between two UTC instants, assuming lower <= upper."""
        total = timedelta(0)
        day = self._local_date(lower)
        last_day = self._local_date(upper)
        while day <= last_day:
            for period_start, period_end in self._working_intervals(day):
                overlap = min(period_end, upper) - max(period_start, lower)
                if overlap > timedelta(0):
                    total += overlap
            day += ONE_DAY
        return total

    def _working_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """Return the working periods of a date as UTC instants, or none on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (self._local_instant(day, start), self._local_instant(day, end)) for start, end in self.periods
        ]

    def _local_instant(self, day: date, at: time) -> datetime:
        """Return the UTC instant of a local wall-clock time on a date."""
        return datetime.combine(day, at, tzinfo=self.timezone).astimezone(UTC)

    def _local_date(self, at: datetime) -> date:
        """Return the calendar date of an instant in the calendar's timezone."""
        return at.astimezone(self.timezone).date()


def _merge_intervals(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Merge overlapping intervals into disjoint ones, dropping empty ones."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(interval for interval in intervals if interval[0] < interval[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
