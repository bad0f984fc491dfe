"""The figures of the daily summary to the supervisors' group (DESIGN §6, §8), read in SQL.

scheduler/daily_summary.py sends the summary once per working day; bot/views/daily_summary.py words it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import HANDLED_BY_AGENCY_STATES, OPEN_STATES
from models.supervision import overdue_counts, overdue_items
from models.tables import Item, ItemEvent, ItemState, ScheduledReport

STATISTICS_DAYS = 30  # the window of the per-agency transfer and dispute statistics


@dataclass
class AgencyStatistics:
    """How often an agency passed items on or had a transfer contested (DESIGN §6)."""

    agency_code: str
    handled: int = 0
    transferred_out: int = 0
    disputes: int = 0

    @property
    def transferred_share_percent(self) -> int:
        """Return the share of the agency's items it transferred out, in whole percent."""
        return round(100 * self.transferred_out / self.handled) if self.handled else 0


@dataclass
class DailySummary:
    """The figures of one day's report."""

    since: datetime
    until: datetime
    received: int = 0
    answered: int = 0
    overdue: list[Item] = field(default_factory=list)  # the most overdue first, at most MAX_LISTED
    overdue_count: int = 0
    overdue_by_agency: dict[str, int] = field(default_factory=dict)
    disputed: list[Item] = field(default_factory=list)
    disputed_count: int = 0
    flagged: list[Item] = field(default_factory=list)
    flagged_count: int = 0
    unreachable: list[Item] = field(default_factory=list)
    unreachable_count: int = 0
    referred: list[str] = field(default_factory=list)  # codes reported up as beyond authority in the period
    referrals_waiting: list[str] = field(default_factory=list)  # codes the supervisors have not decided on
    agencies: list[AgencyStatistics] = field(default_factory=list)


async def previous_report_at(session: AsyncSession, *, kind: str, now: datetime) -> datetime | None:
    """Return when the last report of this kind before `now` was claimed, if one was."""
    statement = select(func.max(ScheduledReport.claimed_at)).where(
        ScheduledReport.kind == kind, col(ScheduledReport.claimed_at) < now
    )
    return (await session.exec(statement)).first()


MAX_LISTED = 500  # items loaded per list: the summary names a few codes and counts the rest


async def _count(session: AsyncSession, *conditions: Any) -> int:
    return int((await session.exec(select(func.count()).select_from(Item).where(*conditions))).one())


async def _items(session: AsyncSession, *conditions: Any, order: Any = None) -> list[Item]:
    statement = select(Item).where(*conditions).order_by(order if order is not None else col(Item.id))
    return list((await session.exec(statement.limit(MAX_LISTED))).all())


async def collect_summary(session: AsyncSession, *, since: datetime, until: datetime) -> DailySummary:
    """Count what happened since the last report and what stands open now, in bounded SQL.

    Every figure is a count in the database; the lists behind them load at most MAX_LISTED items each,
    so a province with 100k open items gets its summary as fast as a small one.
    """
    summary = DailySummary(since=since, until=until)
    summary.received = await _count(session, col(Item.received_at) >= since, col(Item.received_at) < until)
    summary.answered = int(
        (
            await session.exec(
                select(func.count()).where(
                    ItemEvent.action == Action.ANSWERED, col(ItemEvent.at) >= since, col(ItemEvent.at) < until
                )
            )
        ).one()
    )
    summary.overdue_by_agency = await overdue_counts(session, now=until)
    summary.overdue_count = sum(summary.overdue_by_agency.values())
    summary.overdue = await overdue_items(session, now=until, limit=MAX_LISTED)
    disputed = (Item.state == ItemState.DISPUTED,)
    summary.disputed_count = await _count(session, *disputed)
    summary.disputed = await _items(session, *disputed)
    unreachable = (
        col(Item.state).in_([*OPEN_STATES, ItemState.ANSWERED]),
        col(Item.is_citizen_unreachable).is_(True),
    )
    summary.unreachable_count = await _count(session, *unreachable)
    summary.unreachable = await _items(session, *unreachable)
    flagged = (col(Item.is_flagged_for_review).is_(True),)
    summary.flagged_count = await _count(session, *flagged)
    summary.flagged = await _items(session, *flagged)
    summary.referred = await referred_up_since(session, since=since, until=until)
    summary.referrals_waiting = await referrals_waiting(session)
    summary.agencies = await agency_statistics(session, since=until - timedelta(days=STATISTICS_DAYS))
    return summary


async def referred_up_since(session: AsyncSession, *, since: datetime, until: datetime) -> list[str]:
    """Return the codes of the items an agency reported up as beyond its authority in the period."""
    statement = (
        select(Item.code)
        .join(ItemEvent, col(ItemEvent.item_id) == col(Item.id))
        .where(ItemEvent.action == Action.REFERRED_UP, col(ItemEvent.at) >= since, col(ItemEvent.at) < until)
        .order_by(col(ItemEvent.id))
        .limit(MAX_LISTED)
    )
    return list(dict.fromkeys((await session.exec(statement)).all()))


async def referrals_waiting(session: AsyncSession) -> list[str]:
    """Return the codes of referred items the supervisors have not decided on yet.

    A referral is decided once the item left the referring agency (assigned elsewhere), is no longer
    with an agency (answered on the province's behalf, closed…), or was sent back with a directive.
    """
    decision = aliased(ItemEvent)
    sent_back_later = (
        select(decision.id)
        .where(
            decision.item_id == ItemEvent.item_id,
            decision.action == Action.REFERRAL_SENT_BACK,
            col(decision.id) > col(ItemEvent.id),
        )
        .exists()
    )
    statement = (
        select(Item.code)
        .join(ItemEvent, col(ItemEvent.item_id) == col(Item.id))
        .where(
            ItemEvent.action == Action.REFERRED_UP,
            col(Item.state).in_(HANDLED_BY_AGENCY_STATES),
            col(Item.agency_code) == col(ItemEvent.agency_code),
            ~sent_back_later,
        )
        .order_by(col(ItemEvent.id))
        .limit(MAX_LISTED)
    )
    return list(dict.fromkeys((await session.exec(statement)).all()))


async def agency_statistics(session: AsyncSession, *, since: datetime) -> list[AgencyStatistics]:
    """Return, per agency, the items it held, those it transferred out and its contested transfers.

    The items of the window are read as (agency, previous agencies) pairs only, and their events are
    found by a join on the same window: no statement binds a parameter per item.
    """
    handled: Counter[str] = Counter()
    holders = select(Item.agency_code, Item.previous_agency_codes).where(col(Item.received_at) >= since)
    for agency_code, previous in (await session.exec(holders)).all():
        for code in {agency_code, *(previous or [])}:
            handled[code] += 1
    events = (
        select(ItemEvent.item_id, ItemEvent.action, ItemEvent.agency_code, ItemEvent.detail)
        .join(Item, col(Item.id) == col(ItemEvent.item_id))
        .where(
            col(Item.received_at) >= since,
            col(ItemEvent.action).in_([Action.TRANSFERRED, Action.TRANSFER_DISPUTED]),
        )
    )
    transferred_pairs: set[tuple[int, str]] = set()
    disputes: Counter[str] = Counter()
    for item_id, action, event_agency, detail in (await session.exec(events)).all():
        from_agency = str((detail or {}).get("from_agency") or event_agency or "")
        if action == Action.TRANSFERRED:
            transferred_pairs.add((item_id, from_agency))
        else:
            disputes[from_agency] += 1
    transferred: Counter[str] = Counter(from_agency for _item_id, from_agency in transferred_pairs)
    return [
        AgencyStatistics(
            agency_code=code,
            handled=handled[code],
            transferred_out=transferred[code],
            disputes=disputes[code],
        )
        for code in sorted(handled, key=lambda code: (-transferred[code], -disputes[code], code))
    ]
