"""What supervisors may do with an overdue item (DESIGN §7, §8 step 4), as pure rules on an `Item`.

Urge the agency, reassign the item to another agency (the clock never restarts), extend the answer
deadline once (Circular 01/2018/TT-VPCP, Form 04: an apology and a new date), or flag the item for a
review of responsibility. Each rule refuses with `Refused` and changes nothing, or changes the item
and returns the event to save. The queries at the bottom feed /overdue and the reports.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.directory import Directory
from models.handover import reassign as move_to_agency
from models.lifecycle import (
    ANSWER_CLOCK_STATES,
    HANDLED_BY_AGENCY_STATES,
    OPEN_STATES,
    Actor,
    Change,
    RefusalReason,
    Refused,
    is_overdue,
    record,
    require_state,
)
from models.tables import Item, ItemState
from models.working_time import WorkingCalendar

# The agency is urged about work it is doing: not while it waits for the citizen, nor on a dispute.
URGE_STATES = (ItemState.RECEIVED, ItemState.IN_PROGRESS, ItemState.REOPENED)
REASSIGN_STATES = tuple(HANDLED_BY_AGENCY_STATES)
EXTEND_STATES = tuple(OPEN_STATES)
MAX_EXTENSIONS = 1  # Circular 01/2018/TT-VPCP and DESIGN §7: at most one extension
URGE_INTERVAL = timedelta(hours=1)  # a second press soon after the first is a slip, not a new urging


def _required(text: str | None, reason: RefusalReason) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Refused(reason)
    return cleaned


def working_days_overdue(item: Item, *, now: datetime, calendar: WorkingCalendar) -> int:
    """Return the whole working days the item's answer is overdue at `now` (0 when it is not)."""
    if item.answer_due_at is None or now <= item.answer_due_at:
        return 0
    return int(calendar.working_time_between(item.answer_due_at, now) / calendar.working_day_length())


def latest_working_instant(calendar: WorkingCalendar, at: datetime) -> datetime:
    """Return `at` if it is working time, else the last working instant before it (a deadline never grows)."""
    local = at.astimezone(calendar.timezone)
    day = local.date()
    for _ in range(3660):  # the calendar itself refuses configurations with years of days off
        if calendar.is_working_day(day):
            for start, end in reversed(calendar.periods):
                period_start = datetime.combine(day, start, tzinfo=calendar.timezone)
                period_end = datetime.combine(day, end, tzinfo=calendar.timezone)
                if period_start <= local:
                    return min(local, period_end)
        day -= timedelta(days=1)
    raise ValueError(f"no working day before {at}")


def latest_extension(item: Item, *, directory: Directory, calendar: WorkingCalendar) -> datetime | None:
    """Return the latest new deadline an extension may set: no longer than the original answer time."""
    if item.answer_due_at is None:
        return None
    category = directory.categories_by_code.get(item.category_code)
    return calendar.end_of_working_days(item.answer_due_at, directory.answer_days_for(category))


def check_urge(item: Item, *, now: datetime, last_urged_at: datetime | None = None) -> None:
    """Refuse an urging that makes no sense now: the agency is not working on it, or was just urged."""
    require_state(item, *URGE_STATES)
    if last_urged_at is not None and now - last_urged_at < URGE_INTERVAL:
        raise Refused(RefusalReason.URGED_RECENTLY, urged_at=last_urged_at)


def urge(
    item: Item, *, actor: Actor, now: datetime, note: str | None = None, last_urged_at: datetime | None = None
) -> Change:
    """Record that a supervisor urged the responsible agency (đôn đốc); nothing else changes."""
    check_urge(item, now=now, last_urged_at=last_urged_at)
    return record(
        item,
        action=Action.URGED,
        actor=actor,
        now=now,
        reason=(note or "").strip() or None,
        detail={
            "urged_agency": item.agency_code,
            "answer_due_at": item.answer_due_at.isoformat() if item.answer_due_at else None,
        },
    )


def check_reassign(item: Item) -> None:
    """Refuse to start a reassignment of an item its agency no longer handles."""
    require_state(item, *REASSIGN_STATES)


def reassign(
    item: Item, *, actor: Actor, now: datetime, to_agency_code: str, reason: str, directory: Directory
) -> Change:
    """Give the item to another agency by the supervisors' decision; the deadlines do not change.

    It is not the item's one transfer: the province decides, and that decision is final for the
    item. The claim is cleared so that an officer of the new agency claims it.
    """
    check_reassign(item)
    reason = _required(reason, RefusalReason.REASON_REQUIRED)
    if to_agency_code not in directory.agencies_by_code:
        raise Refused(RefusalReason.UNKNOWN_AGENCY, agency=to_agency_code)
    if to_agency_code == item.agency_code:
        raise Refused(RefusalReason.SAME_AGENCY)
    item.responsibility_decided_at = now
    return move_to_agency(
        item,
        to_agency_code,
        actor,
        reason,
        now=now,
        action=Action.REASSIGNED,
        new_state=ItemState.AWAITING_CITIZEN
        if item.state is ItemState.AWAITING_CITIZEN
        else ItemState.RECEIVED,
        detail={"to_agency": to_agency_code, "counts_as_transfer": False},
    )


def check_extend(item: Item) -> None:
    """Refuse to start an extension of an item that is finished or was already extended."""
    require_state(item, *EXTEND_STATES)
    if item.extension_count >= MAX_EXTENSIONS:
        raise Refused(RefusalReason.EXTENSION_USED)


def extend(
    item: Item,
    *,
    actor: Actor,
    now: datetime,
    new_due_at: datetime,
    reason: str,
    directory: Directory,
    calendar: WorkingCalendar,
) -> Change:
    """Set a new answer deadline, once per item, no longer than the original answer time allows."""
    check_extend(item)
    reason = _required(reason, RefusalReason.REASON_REQUIRED)
    latest = latest_extension(item, directory=directory, calendar=calendar)
    if item.answer_due_at is None or latest is None:
        raise Refused(RefusalReason.WRONG_STATE, state=item.state.value)
    new_due_at = latest_working_instant(calendar, new_due_at)
    earliest = max(item.answer_due_at, now)
    if new_due_at <= earliest:
        raise Refused(RefusalReason.EXTENSION_TOO_EARLY, earliest=earliest, latest=latest)
    if new_due_at > latest:
        raise Refused(RefusalReason.EXTENSION_TOO_LONG, latest=latest)
    previous_due_at = item.answer_due_at
    item.answer_due_at = new_due_at
    item.extension_count += 1
    return record(
        item,
        action=Action.EXTENDED,
        actor=actor,
        now=now,
        reason=reason,
        detail={"previous_due_at": previous_due_at.isoformat(), "new_due_at": new_due_at.isoformat()},
    )


def check_flag(item: Item) -> None:
    """Refuse to flag an item twice."""
    if item.is_flagged_for_review:
        raise Refused(RefusalReason.ALREADY_FLAGGED)


def flag_for_review(item: Item, *, actor: Actor, now: datetime, reason: str) -> Change:
    """Flag the item for a review of responsibility (in any state: lateness stays on the record)."""
    check_flag(item)
    reason = _required(reason, RefusalReason.REASON_REQUIRED)
    item.is_flagged_for_review = True
    return record(item, action=Action.FLAGGED_FOR_REVIEW, actor=actor, now=now, reason=reason)


# --- queries for /overdue and the reports -----------------------------------------------------------


OVERDUE_LISTED = 500  # overdue items loaded for a listing: it names the most overdue and counts the rest


async def overdue_items(session: AsyncSession, *, now: datetime, limit: int = OVERDUE_LISTED) -> list[Item]:
    """Return the most overdue items (answer deadline passed while their clock runs), oldest deadline first."""
    statement = (
        select(Item)
        .where(col(Item.state).in_(ANSWER_CLOCK_STATES), col(Item.answer_due_at) < now)
        .order_by(col(Item.answer_due_at), col(Item.id))
        .limit(limit)
    )
    return [item for item in (await session.exec(statement)).all() if is_overdue(item, now)]


async def overdue_counts(session: AsyncSession, *, now: datetime) -> dict[str, int]:
    """Return how many items are overdue now, per agency, counted in the database."""
    statement = (
        select(Item.agency_code, func.count())
        .where(col(Item.state).in_(ANSWER_CLOCK_STATES), col(Item.answer_due_at) < now)
        .group_by(col(Item.agency_code))
    )
    return {agency_code: int(count) for agency_code, count in (await session.exec(statement)).all()}


async def flagged_items(session: AsyncSession) -> list[Item]:
    """Return the items flagged for a review of responsibility, newest first."""
    statement = (
        select(Item).where(col(Item.is_flagged_for_review).is_(True)).order_by(col(Item.updated_at).desc())
    )
    return list((await session.exec(statement)).all())
