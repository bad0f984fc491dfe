"""The home page's figures, computed at most once per WEB_STATS_CACHE_SECONDS whatever the traffic."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import Services
from models.db import transaction
from models.public_stats import AgencyFigures, WindowFigures, overdue_now, window_figures

PERIODS_DAYS = (30, 90)


@dataclass(frozen=True)
class RankedAgency:
    """An agency's row in the public table: its figures and its rank, if it has enough items."""

    figures: AgencyFigures
    rank: int | None


@dataclass(frozen=True)
class Period:
    """One period of the home page (the last 30 or 90 days)."""

    days: int
    figures: WindowFigures
    rows: list[RankedAgency]


@dataclass(frozen=True)
class HomeFigures:
    """Everything the home page shows, and when it was computed."""

    computed_at: datetime
    overdue_now: int
    periods: list[Period]


def rank_agencies(figures: WindowFigures, minimum: int) -> list[RankedAgency]:
    """Rank agencies with at least `minimum` items by on-time rate, then speed; list the rest after."""
    eligible = [a for a in figures.agencies if a.received >= minimum and a.on_time_rate is not None]
    eligible.sort(
        key=lambda a: (-(a.on_time_rate or 0.0), a.median_working_days or 0.0, -a.received, a.agency_code)
    )
    ranked = [RankedAgency(agency, rank) for rank, agency in enumerate(eligible, start=1)]
    others = sorted(
        (a for a in figures.agencies if a not in eligible), key=lambda a: (-a.received, a.agency_code)
    )
    return ranked + [RankedAgency(agency, None) for agency in others]


class FiguresCache:
    """Hold the last computed figures; recompute when they are older than the cache period."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._figures: HomeFigures | None = None
        self._lock = asyncio.Lock()
        self.computations = 0  # how many times the queries ran (the tests read it)

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

    async def _compute(self, now: datetime) -> HomeFigures:
        services = self._services
        self.computations += 1
        periods: list[Period] = []
        async with transaction(services.session_factory) as session:
            for days in PERIODS_DAYS:
                figures = await window_figures(
                    session=session, calendar=services.calendar, since=now - timedelta(days=days), now=now
                )
                periods.append(
                    Period(days, figures, rank_agencies(figures, services.settings.web_ranking_min_items))
                )
            overdue = await overdue_now(session=session, now=now)
        return HomeFigures(computed_at=now, overdue_now=overdue, periods=periods)
