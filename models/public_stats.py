"""The few aggregate figures the public web page shows, counted in SQL (GROUP BY).

The interface is two functions and two result types, so that a fuller statistics module can replace
this one later without touching the web layer:

    window_figures(session=…, calendar=…, since=…, now=…) -> WindowFigures
    overdue_now(session=…, now=…) -> int

Classification (DESIGN §14), for items received in the window:
    đúng hạn      answered (or closed after an answer) by the answer deadline
    trễ hạn       answered after the deadline
    quá hạn       still open, the answer clock running, the deadline passed
    chưa đến hạn  still open and not overdue (including items waiting for the sender)
Rejected and withdrawn items count as received but in none of the four.
The on-time rate is đúng hạn ÷ (đúng hạn + trễ hạn + quá hạn): every item whose deadline has been met or missed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import Item, ItemState
from models.working_time import WorkingCalendar

ANSWERED_STATES = (ItemState.ANSWERED, ItemState.CLOSED)
CLOCK_RUNNING_STATES = (ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.REOPENED, ItemState.DISPUTED)
OPEN_STATES = (*CLOCK_RUNNING_STATES, ItemState.AWAITING_CITIZEN)


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's items in a window, classified four ways."""

    agency_code: str
    received: int
    on_time: int
    late: int
    overdue: int
    not_due: int
    median_working_days: float | None

    @property
    def answered(self) -> int:
        """Count items answered, on time or late."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Return the share of due items answered on time, or None when nothing is due yet."""
        due = self.on_time + self.late + self.overdue
        return self.on_time / due if due else None


@dataclass(frozen=True)
class WindowFigures:
    """The province's figures for items received since an instant."""

    since: datetime
    agencies: list[AgencyFigures]

    @property
    def received(self) -> int:
        """Count items received in the window."""
        return sum(agency.received for agency in self.agencies)

    @property
    def answered(self) -> int:
        """Count items answered in the window."""
        return sum(agency.answered for agency in self.agencies)

    @property
    def overdue(self) -> int:
        """Count items of the window that are overdue now."""
        return sum(agency.overdue for agency in self.agencies)

    @property
    def on_time_rate(self) -> float | None:
        """Return the province-wide on-time rate, or None when nothing is due yet."""
        on_time = sum(agency.on_time for agency in self.agencies)
        due = on_time + sum(agency.late + agency.overdue for agency in self.agencies)
        return on_time / due if due else None


def _count(condition: object) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)  # type: ignore[arg-type]


async def window_figures(
    *, session: AsyncSession, calendar: WorkingCalendar, since: datetime, now: datetime
) -> WindowFigures:
    """Count each agency's items received in [since, now] four ways, and their median working days."""
    state = col(Item.state)
    answered = state.in_(ANSWERED_STATES)
    on_time = and_(answered, col(Item.answered_at) <= col(Item.answer_due_at))
    late = and_(answered, col(Item.answered_at) > col(Item.answer_due_at))
    overdue = and_(state.in_(CLOCK_RUNNING_STATES), col(Item.answer_due_at) < now)
    is_open = state.in_(OPEN_STATES)
    statement = (
        select(  # type: ignore[call-overload]
            Item.agency_code,
            func.count(),
            _count(on_time),
            _count(late),
            _count(overdue),
            _count(is_open),
        )
        .where(col(Item.received_at) >= since, col(Item.received_at) <= now)
        .group_by(Item.agency_code)
    )
    rows = (await session.exec(statement)).all()
    medians = await _median_working_days(session=session, calendar=calendar, since=since, now=now)
    agencies = [
        AgencyFigures(
            agency_code=str(agency_code),
            received=int(received),
            on_time=int(on_time_count),
            late=int(late_count),
            overdue=int(overdue_count),
            not_due=int(open_count) - int(overdue_count),
            median_working_days=medians.get(str(agency_code)),
        )
        for agency_code, received, on_time_count, late_count, overdue_count, open_count in rows
    ]
    agencies.sort(key=lambda agency: agency.agency_code)
    return WindowFigures(since=since, agencies=agencies)


async def _median_working_days(
    *, session: AsyncSession, calendar: WorkingCalendar, since: datetime, now: datetime
) -> dict[str, float]:
    # Working days need the province's calendar (holidays, make-up Saturdays), which SQL does not
    # have: read only the two instants of each answered item of the window and measure them here.
    statement = select(Item.agency_code, Item.received_at, Item.answered_at).where(
        col(Item.received_at) >= since,
        col(Item.received_at) <= now,
        col(Item.state).in_(ANSWERED_STATES),
        col(Item.answered_at).is_not(None),
    )
    day = calendar.working_day_length()
    durations: dict[str, list[float]] = defaultdict(list)
    for agency_code, received_at, answered_at in (await session.exec(statement)).all():
        if answered_at is None:
            continue
        durations[agency_code].append(calendar.working_time_between(received_at, answered_at) / day)
    return {agency: round(statistics.median(values), 1) for agency, values in durations.items()}


async def overdue_now(*, session: AsyncSession, now: datetime) -> int:
    """Count every item overdue now, whenever it was received."""
    statement = select(func.count()).where(
        col(Item.state).in_(CLOCK_RUNNING_STATES), col(Item.answer_due_at) < now
    )
    return int((await session.exec(statement)).one())
