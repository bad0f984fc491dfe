"""Accountability statistics for a period and a set of agencies (DESIGN §6, §14), aggregated in SQL.

Every figure is a GROUP BY over the period's rows, so memory follows the number of agencies and
officers, never the number of items. Working time needs the calendar, which SQL does not know: it is
computed once per item by the domain when the item is answered (`Item.answer_working_seconds`, the
time waiting for the citizen left out), so the median and 90th percentile are SQL too. Only the list
of overdue items, capped at `OVERDUE_LIST_LIMIT` rows, gets per-item calendar arithmetic (the working
days overdue), which is bounded by the cap.

Definitions (all at `as_of`, the end of the period or now if the period has not ended):
- the items counted are those **received** in [from, to), for the agency that holds them; transfers
  happen inside the transfer window, long before the answer deadline, so the holder is the agency
  that held the item when it was answered or when its deadline passed;
- **đúng hạn**: answered by `as_of`, at or before its answer deadline (extended by the paused time
  and by an approved extension); **trễ hạn**: answered by `as_of`, after it;
- **quá hạn**: not answered by `as_of` and the deadline passed while the clock ran (an item waiting
  for the citizen is overdue only if it was already overdue when the question was asked);
  **chưa đến hạn**: the other open items. Rejected and withdrawn items are in neither;
- **on-time rate**: đúng hạn / (đúng hạn + trễ hạn + quá hạn): sitting on an item never helps;
- transfers, disputes, rejections, extensions, reopenings and ratings are the events of the period,
  counted against the agency that acted (a transfer against the agency that transferred);
- a dispute is **lost** by the agency the supervisors made responsible when it had tried to pass
  the item on (it raised the dispute, or it had transferred the item earlier).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
)
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.directory import Directory
from models.lifecycle import OPEN_STATES
from models.report_figures import (
    AgencyFigures,
    DeadlineCounts,
    OfficerFigures,
    OftenOverdueAgency,
    OverdueItem,
    Report,
    WeekFigures,
)
from models.report_percentiles import working_time_percentiles
from models.report_periods import ReportPeriod, add_months, weeks_of
from models.tables import Consultation, Item, ItemEvent, ItemState
from models.working_time import WorkingCalendar

OVERDUE_LIST_LIMIT = 2000  # rows of the "Hồ sơ quá hạn" sheet; the count above it is always exact
ANSWERED_STATES = (ItemState.ANSWERED, ItemState.CLOSED)
EVENTS_BY_ACTING_AGENCY = (
    "transferred",
    "transfer_disputed",
    "rejected",
    "reopened_not_satisfied",
    "rated_satisfied",
)
EVENTS_BY_HOLDING_AGENCY = ("extended", "rejection_reversed")


# --- SQL building blocks ----------------------------------------------------------------------------


def _answered_by(at: datetime) -> ColumnElement[bool]:
    return and_(
        col(Item.state).in_(ANSWERED_STATES),
        col(Item.answered_at).is_not(None),
        col(Item.answered_at) <= at,
    )


def _open_at(at: datetime) -> ColumnElement[bool]:
    """An item still waiting for an answer at `at` (as far as the stored state tells)."""
    return or_(
        col(Item.state).in_(OPEN_STATES),
        and_(col(Item.state).in_(ANSWERED_STATES), col(Item.answered_at) > at),
        and_(col(Item.state) == ItemState.WITHDRAWN, col(Item.closed_at) > at),
    )


def _overdue_at(at: datetime) -> ColumnElement[bool]:
    paused_in_time = and_(
        col(Item.state) == ItemState.AWAITING_CITIZEN,
        col(Item.awaiting_citizen_since).is_not(None),
        col(Item.answer_due_at) >= col(Item.awaiting_citizen_since),
    )
    return and_(_open_at(at), col(Item.answer_due_at) < at, not_(paused_in_time))


def _count_when(condition: ColumnElement[bool]) -> Any:
    return func.count().filter(condition)  # COUNT(*) FILTER (WHERE …): PostgreSQL, SQLite 3.30+


STATUS_FIELDS = ("on_time", "late", "not_yet_due", "overdue")


def _deadline_status(as_of: datetime) -> Any:
    """One CASE per row: 0 đúng hạn, 1 trễ hạn, 2 chưa đến hạn, 3 quá hạn, NULL for neither (rejected…).

    CASE stops at the first true branch, so each row is judged once instead of once per count.
    """
    answered = _answered_by(as_of)
    return case(
        (and_(answered, col(Item.answered_at) <= col(Item.answer_due_at)), 0),
        (answered, 1),
        (_overdue_at(as_of), 3),
        (_open_at(as_of), 2),
        else_=None,
    )


def select(*columns: Any) -> Any:
    """Start an aggregate query; its rows are plain tuples (loosely typed: SQLModel's stubs want tables)."""
    return core_select(*columns)


async def _rows(session: AsyncSession, statement: Any) -> list[Any]:
    """Run an aggregate query (SQLAlchemy Core: its rows are tuples, not table objects)."""
    return list((await session.exec(statement)).all())


def _in_period(column: Any, period: ReportPeriod) -> ColumnElement[bool]:
    return and_(column >= period.starts_at, column < period.ends_at)


def _cohort(period: ReportPeriod, agency_codes: tuple[str, ...] | None) -> list[ColumnElement[bool]]:
    """The items received in the period, of the scope's agencies (None: every agency, no filter)."""
    received = _in_period(col(Item.received_at), period)
    return [received] if agency_codes is None else [received, col(Item.agency_code).in_(agency_codes)]


def _week_bucket(weeks: list[ReportPeriod]) -> Any:
    return case(
        *((col(Item.received_at) < week.ends_at, index) for index, week in enumerate(weeks)),
        else_=len(weeks),
    )


# --- the report --------------------------------------------------------------------------------------


async def build_report(
    session: AsyncSession,
    *,
    directory: Directory,
    calendar: WorkingCalendar,
    period: ReportPeriod,
    now: datetime,
    agency_codes: tuple[str, ...] | None = None,
) -> Report:
    """Aggregate every figure of a report for a period and a set of agencies (all of them by default)."""
    all_codes = tuple(agency.code for agency in directory.agencies)
    scope = all_codes if agency_codes is None else tuple(code for code in all_codes if code in agency_codes)
    as_of = min(period.ends_at, now)
    settings = directory.reports
    agencies = {code: AgencyFigures(code) for code in scope}
    province = AgencyFigures("")
    officers: dict[tuple[str, int], OfficerFigures] = {}
    is_whole_province = scope == all_codes
    filter_codes = None if is_whole_province else scope  # no per-row agency test for the whole province
    cohort = _cohort(period, filter_codes)
    weeks = weeks_of(period)
    week_counts = [DeadlineCounts() for _ in weeks]

    officer_id = col(Item.claimed_by_telegram_user_id)
    bucket = _week_bucket(weeks)
    status = _deadline_status(as_of)
    unreachable = col(Item.is_citizen_unreachable)
    rows = await _rows(
        session,
        select(
            Item.agency_code,
            officer_id,
            bucket,
            status,
            unreachable,
            func.max(Item.claimed_by_name),
            func.count(),
        )
        .where(*cohort)
        .group_by(col(Item.agency_code), officer_id, bucket, status, unreachable),
    )
    for agency_code, telegram_user_id, week, state, is_unreachable, name, count in rows:
        received = int(count)
        counts = DeadlineCounts()
        if state is not None:
            setattr(counts, STATUS_FIELDS[int(state)], received)
        figures = agencies.get(agency_code)
        if figures is None:
            continue  # an agency no longer in the directory
        figures.received += received
        figures.counts.add(counts)
        if is_unreachable:
            figures.unreachable += received
        if int(week) < len(weeks):
            week_counts[int(week)].add(counts)
        if telegram_user_id is not None:
            officer = officers.get((agency_code, int(telegram_user_id)))
            if officer is None:
                officer = OfficerFigures(agency_code, int(telegram_user_id), name or "?")
                officers[(agency_code, int(telegram_user_id))] = officer
            officer.received += received
            officer.counts.add(counts)

    times = await working_time_percentiles(session, filters=[*cohort, _answered_by(as_of)])
    for (agency_code, telegram_user_id), figures_of_time in times.items():
        if agency_code is None:
            province.working_time = figures_of_time
        elif telegram_user_id is None:
            if agency_code in agencies:
                agencies[agency_code].working_time = figures_of_time
        elif (agency_code, int(telegram_user_id)) in officers:
            officers[(agency_code, int(telegram_user_id))].working_time = figures_of_time

    await _add_event_counts(session, agencies, period, scope)
    await _add_lost_disputes(session, agencies, period, scope)
    await _add_consultations(session, agencies, period, scope, as_of)

    for figures in agencies.values():
        province.received += figures.received
        province.counts.add(figures.counts)
        for name in (
            "transferred_out",
            "disputes_raised",
            "disputes_lost",
            "rejections",
            "rejections_reversed",
            "consultations_asked",
            "consultations_on_time",
            "consultations_late",
            "consultations_open",
            "extensions",
            "reopened",
            "rated",
            "satisfied",
            "unreachable",
        ):
            setattr(province, name, getattr(province, name) + getattr(figures, name))

    overdue_total, overdue_items = await _overdue_list(session, filter_codes, as_of, calendar)
    return Report(
        period=period,
        as_of=as_of,
        generated_at=now,
        agency_codes=scope,
        is_whole_province=is_whole_province,
        province=province,
        agencies=rank_agencies(list(agencies.values()), min_items=settings.report_min_items),
        officers=sorted(
            officers.values(),
            key=lambda officer: (officer.agency_code, -(officer.counts.on_time_rate or 0), officer.name),
        ),
        overdue_items=overdue_items,
        overdue_total=overdue_total,
        weeks=[WeekFigures(week, counts) for week, counts in zip(weeks, week_counts, strict=True)],
        often_overdue=await often_overdue_agencies(session, directory=directory, scope=scope, as_of=as_of),
        min_items=settings.report_min_items,
        often_overdue_periods=settings.often_overdue_periods,
        often_overdue_window=settings.often_overdue_window,
        working_day_seconds=calendar.working_day_length().total_seconds(),
    )


def rank_agencies(agencies: list[AgencyFigures], *, min_items: int) -> list[AgencyFigures]:
    """Rank agencies with enough items by on-time rate, then fewest overdue; list the rest after."""

    def order(figures: AgencyFigures) -> tuple[float, int, str]:
        return (-(figures.counts.on_time_rate or 0.0), figures.counts.overdue, figures.agency_code)

    ranked = sorted((a for a in agencies if a.received >= min_items), key=order)
    for position, figures in enumerate(ranked, start=1):
        figures.rank = position
    unranked = sorted((a for a in agencies if a.received < min_items), key=order)
    for figures in unranked:
        figures.rank = None
    return ranked + unranked


async def _add_event_counts(
    session: AsyncSession, agencies: dict[str, AgencyFigures], period: ReportPeriod, scope: tuple[str, ...]
) -> None:
    # An event records the agency it was done for: the acting officer's agency, or the item's agency
    # for the citizen's rating. Supervisors' events (extension, reversal) record the supervisors, so
    # only those few are joined to their items.
    in_period = _in_period(col(ItemEvent.at), period)
    by_event = (
        select(col(ItemEvent.agency_code), col(ItemEvent.action), func.count())
        .where(col(ItemEvent.action).in_(EVENTS_BY_ACTING_AGENCY), in_period)
        .group_by(col(ItemEvent.agency_code), col(ItemEvent.action))
    )
    by_item = (
        select(col(Item.agency_code), col(ItemEvent.action), func.count())
        .join(Item, col(Item.id) == col(ItemEvent.item_id))
        .where(col(ItemEvent.action).in_(EVENTS_BY_HOLDING_AGENCY), in_period)
        .group_by(col(Item.agency_code), col(ItemEvent.action))
    )
    fields = {
        "transferred": "transferred_out",
        "transfer_disputed": "disputes_raised",
        "rejected": "rejections",
        "rejection_reversed": "rejections_reversed",
        "extended": "extensions",
        "reopened_not_satisfied": "reopened",
        "rated_satisfied": "satisfied",
    }
    for code, action, count in [*await _rows(session, by_event), *await _rows(session, by_item)]:
        figures = agencies.get(code)
        if figures is None:
            continue
        setattr(figures, fields[action], getattr(figures, fields[action]) + int(count))
        if action in ("rated_satisfied", "reopened_not_satisfied"):
            figures.rated += int(count)


async def _add_lost_disputes(
    session: AsyncSession, agencies: dict[str, AgencyFigures], period: ReportPeriod, scope: tuple[str, ...]
) -> None:
    decided = ItemEvent.detail["decided_agency"].as_string()
    raised_by = ItemEvent.detail["from_agency"].as_string()
    earlier = aliased(ItemEvent)
    had_transferred = exists(
        select(literal(1)).where(
            col(earlier.item_id) == col(ItemEvent.item_id),
            col(earlier.action) == "transferred",
            col(earlier.agency_code) == decided,
            col(earlier.id) < col(ItemEvent.id),
        )
    )
    statement = (
        select(decided, func.count())
        .where(col(ItemEvent.action) == "dispute_decided", _in_period(col(ItemEvent.at), period))
        .where(or_(decided == raised_by, had_transferred))
        .group_by(decided)
    )
    for code, count in await _rows(session, statement):
        if code in agencies:
            agencies[code].disputes_lost += int(count)


async def _add_consultations(
    session: AsyncSession,
    agencies: dict[str, AgencyFigures],
    period: ReportPeriod,
    scope: tuple[str, ...],
    as_of: datetime,
) -> None:
    answered = and_(col(Consultation.answered_at).is_not(None), col(Consultation.answered_at) <= as_of)
    statement = (
        select(
            Consultation.to_agency_code,
            func.count(),
            _count_when(and_(answered, col(Consultation.answered_at) <= col(Consultation.due_at))),
            _count_when(and_(answered, col(Consultation.answered_at) > col(Consultation.due_at))),
            _count_when(not_(answered)),
        )
        .where(_in_period(col(Consultation.asked_at), period), col(Consultation.to_agency_code).in_(scope))
        .group_by(col(Consultation.to_agency_code))
    )
    for code, asked, on_time, late, still_open in await _rows(session, statement):
        figures = agencies[code]
        figures.consultations_asked = int(asked)
        figures.consultations_on_time = int(on_time)
        figures.consultations_late = int(late)
        figures.consultations_open = int(still_open)


async def _overdue_list(
    session: AsyncSession, filter_codes: tuple[str, ...] | None, as_of: datetime, calendar: WorkingCalendar
) -> tuple[int, list[OverdueItem]]:
    """Return how many items are overdue at `as_of` (whenever received) and the oldest deadlines first."""
    filters = [_overdue_at(as_of), col(Item.received_at) < as_of]
    if filter_codes is not None:
        filters.append(col(Item.agency_code).in_(filter_codes))
    total = int((await _rows(session, select(func.count()).where(*filters)))[0][0])
    statement = (
        select(
            Item.code,
            Item.agency_code,
            Item.category_code,
            Item.locality_code,
            Item.received_at,
            Item.answer_due_at,
            Item.claimed_by_name,
        )
        .where(*filters)
        .order_by(col(Item.answer_due_at), col(Item.id))
        .limit(OVERDUE_LIST_LIMIT)
    )
    day_seconds = calendar.working_day_length().total_seconds()
    meter = _WorkingTimeMeter(calendar)
    listed = []
    for code, agency_code, category, locality, received_at, due_at, officer in await _rows(
        session, statement
    ):
        days = int(meter.seconds_between(due_at, as_of) // day_seconds)
        listed.append(OverdueItem(code, agency_code, category, locality, received_at, due_at, days, officer))
    return total, listed


class _WorkingTimeMeter:
    """Working time between instants, each day's working periods worked out once (for long lists)."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self._calendar = calendar
        self._days: dict[date, list[tuple[datetime, datetime]]] = {}

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        periods = self._days.get(day)
        if periods is None:
            zone = self._calendar.timezone
            periods = (
                [
                    (datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone))
                    for start, end in self._calendar.periods
                ]
                if self._calendar.is_working_day(day)
                else []
            )
            self._days[day] = periods
        return periods

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Return the working seconds in [start, end], as WorkingCalendar.working_time_between does."""
        if end <= start:
            return 0.0
        zone = self._calendar.timezone
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        total = 0.0
        while day <= last:
            for period_start, period_end in self._periods(day):
                overlap = (min(period_end, end) - max(period_start, start)).total_seconds()
                if overlap > 0:
                    total += overlap
            day += timedelta(days=1)
        return total


async def often_overdue_agencies(
    session: AsyncSession, *, directory: Directory, scope: tuple[str, ...], as_of: datetime
) -> list[OftenOverdueAgency]:
    """Return the agencies overdue at the end of at least N of the last M months, with their heads."""
    settings = directory.reports
    timezone = ZoneInfo(directory.province.timezone)
    local_day = as_of.astimezone(timezone).date()
    ends = [
        datetime.combine(add_months(local_day, -back), as_of.astimezone(timezone).timetz())
        for back in reversed(range(settings.often_overdue_window))
    ]
    columns = [_count_when(and_(col(Item.received_at) < end, _overdue_at(end))) for end in ends]
    statement = (
        select(Item.agency_code, *columns)
        .where(col(Item.received_at) < as_of)
        .where(*([] if set(scope) >= set(directory.agencies_by_code) else [col(Item.agency_code).in_(scope)]))
        .group_by(col(Item.agency_code))
    )
    named = []
    for row in await _rows(session, statement):
        counts = tuple(int(value) for value in row[1:])
        if sum(1 for count in counts if count > 0) >= settings.often_overdue_periods:
            agency = directory.agencies_by_code.get(row[0])
            leaders = tuple(leader.name for leader in agency.leaders) if agency else ()
            named.append(OftenOverdueAgency(row[0], counts, leaders))
    return sorted(named, key=lambda entry: (-sum(entry.overdue_at_month_ends), entry.agency_code))
