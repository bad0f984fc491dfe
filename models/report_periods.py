"""Report periods: a half-open range of local days, and the weeks and months reports are made for."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ReportPeriod:
    """A half-open interval [starts_at, ends_at) of local days: a week, a month or any range."""

    first_day: date
    end_day: date  # the day after the last day
    timezone: ZoneInfo

    def __post_init__(self) -> None:
        if self.end_day <= self.first_day:
            raise ValueError("a report period must end after it starts")

    @property
    def starts_at(self) -> datetime:
        """Return the first instant of the period."""
        return datetime.combine(self.first_day, time(0), tzinfo=self.timezone)

    @property
    def ends_at(self) -> datetime:
        """Return the first instant after the period."""
        return datetime.combine(self.end_day, time(0), tzinfo=self.timezone)

    @property
    def last_day(self) -> date:
        """Return the period's last day."""
        return self.end_day - timedelta(days=1)

    @property
    def key(self) -> str:
        """Return a stable name of the period, e.g. "2026-11-01..2026-12-01"."""
        return f"{self.first_day.isoformat()}..{self.end_day.isoformat()}"


def month_period(year: int, month: int, timezone: ZoneInfo) -> ReportPeriod:
    """Return a calendar month."""
    first = date(year, month, 1)
    return ReportPeriod(first, add_months(first, 1), timezone)


def previous_month(today: date, timezone: ZoneInfo) -> ReportPeriod:
    """Return the calendar month before the one `today` is in."""
    first = add_months(today.replace(day=1), -1)
    return month_period(first.year, first.month, timezone)


def previous_week(today: date, timezone: ZoneInfo) -> ReportPeriod:
    """Return Monday to Sunday of the week before the one `today` is in."""
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return ReportPeriod(monday, monday + timedelta(days=7), timezone)


def add_months(day: date, months: int) -> date:
    """Move a date by whole months, keeping the day where the month has it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def weeks_of(period: ReportPeriod) -> list[ReportPeriod]:
    """Split a period into weeks starting on Monday, the first and last ones cut to the period."""
    weeks = []
    start = period.first_day
    while start < period.end_day:
        monday = start - timedelta(days=start.weekday())
        end = min(monday + timedelta(days=7), period.end_day)
        weeks.append(ReportPeriod(start, end, period.timezone))
        start = end
    return weeks
