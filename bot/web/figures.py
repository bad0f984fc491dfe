"""The home page's figures and charts, computed at most once per WEB_STATS_CACHE_SECONDS whatever the traffic.

The figures ARE the supervisors' report (models.statistics.build_report) for the whole province over
the last 30 and 90 days, so the public page and the report can never disagree: same classification,
same on-time rate, same median, same ranking. The chart is the report's own chart
(bot.views.report_chart.render_chart), drawn as SVG the first time a page asks for it after the figures
were computed and kept with them until they are recomputed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services import Services
from bot.views.report_chart import render_chart
from models.db import transaction
from models.report_figures import AgencyFigures, Report
from models.report_periods import ReportPeriod
from models.statistics import build_report

PERIODS_DAYS = (30, 90)
CHART_FORMAT = "svg"


def last_days(now: datetime, days: int, timezone: ZoneInfo) -> ReportPeriod:
    """Return the `days` local days ending with today (today included, its end in the future)."""
    today = now.astimezone(timezone).date()
    return ReportPeriod(today - timedelta(days=days - 1), today + timedelta(days=1), timezone)


@dataclass(frozen=True)
class Period:
    """One period of the home page (the last 30 or 90 days): the report of that period."""

    days: int
    report: Report

    @property
    def rows(self) -> list[AgencyFigures]:
        """Return the agencies with items, ranked ones first in rank order (the report's order)."""
        return [figures for figures in self.report.agencies if figures.received]


@dataclass
class HomeFigures:
    """Everything the home page shows, when it was computed, and the charts drawn from it so far."""

    computed_at: datetime
    overdue_now: int
    periods: list[Period]
    charts: dict[tuple[int, str], bytes] = field(default_factory=dict)

    def period(self, days: int) -> Period | None:
        """Return the period of `days` days, or None if the page has no such period."""
        return next((period for period in self.periods if period.days == days), None)


class FiguresCache:
    """Hold the last computed figures; recompute when they are older than the cache period."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._figures: HomeFigures | None = None
        self._lock = asyncio.Lock()
        self._chart_lock = asyncio.Lock()
        self.computations = 0  # how many times the queries ran (the tests read it)
        self.charts_drawn = 0  # how many times a chart was drawn (the tests read it)

    async def get(self) -> HomeFigures:
        """Return fresh-enough figures, computing them once for all waiting requests."""
        settings = self._services.settings
        max_age = timedelta(seconds=settings.web_stats_cache_seconds)
        cached = self._figures
        if cached is not None and self._services.clock.now() - cached.computed_at < max_age:
            return cached
        async with self._lock:
            cached = self._figures
            now = self._services.clock.now()
            if cached is not None and now - cached.computed_at < max_age:
                return cached
            self._figures = await self._compute(now)
            return self._figures

    async def chart(self, days: int, language: str) -> bytes | None:
        """Return the report's chart of a period as SVG, drawn at most once per computation of the figures."""
        figures = await self.get()
        period = figures.period(days)
        if period is None:
            return None
        key = (days, language)
        drawn = figures.charts.get(key)
        if drawn is not None:
            return drawn
        async with self._chart_lock:  # each chart drawn once, however many pages ask for it at once
            drawn = figures.charts.get(key)
            if drawn is None:
                self.charts_drawn += 1
                drawn = await asyncio.to_thread(
                    render_chart, period.report, self._services.directory, language, CHART_FORMAT
                )
                figures.charts[key] = drawn
            return drawn

    async def _compute(self, now: datetime) -> HomeFigures:
        services = self._services
        self.computations += 1
        timezone = services.calendar.timezone
        periods: list[Period] = []
        async with transaction(services.session_factory) as session:
            for days in PERIODS_DAYS:
                report = await build_report(
                    session,
                    directory=services.directory,
                    calendar=services.calendar,
                    period=last_days(now, days, timezone),
                    now=now,
                )
                periods.append(Period(days, report))
        # Every report counts the items overdue now, whenever they were received: the same number.
        return HomeFigures(computed_at=now, overdue_now=periods[0].report.overdue_total, periods=periods)
