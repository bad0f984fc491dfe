"""The figures of the daily summary to the supervisors' group (DESIGN §6, §8), read in SQL.

scheduler/daily_summary.py sends the summary once per working day; bot/views/daily_summary.py words it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.actions import Action
from models.lifecycle import OPEN_STATES, is_overdue
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
    overdue: list[Item] = field(default_factory=list)
    disputed: list[Item] = field(default_factory=list)
    flagged: list[Item] = field(default_factory=list)
    unreachable: list[Item] = field(default_factory=list)
    agencies: list[AgencyStatistics] = field(default_factory=list)


async def previous_report_at(session: AsyncSession, *, kind: str, now: datetime) -> datetime | None:
    """Return when the last report of this kind before `now` was claimed, if one was."""
    statement = select(func.max(ScheduledReport.claimed_at)).where(
        ScheduledReport.kind == kind, col(ScheduledReport.claimed_at) < now
    )
    return (await session.exec(statement)).first()


async def collect_summary(session: AsyncSession, *, since: datetime, until: datetime) -> DailySummary:
    """Count what happened since the last report and what stands open now."""
    summary = DailySummary(since=since, until=until)
    summary.received = int(
        (
            await session.exec(
                select(func.count()).where(col(Item.received_at) >= since, col(Item.received_at) < until)
            )
        ).one()
    )
    summary.answered = int(
        (
            await session.exec(
                select(func.count()).where(
                    ItemEvent.action == Action.ANSWERED, col(ItemEvent.at) >= since, col(ItemEvent.at) < until
                )
            )
        ).one()
    )
    open_items = list(
        (
            await session.exec(
                select(Item)
                .where(col(Item.state).in_([*OPEN_STATES, ItemState.ANSWERED]))
                .order_by(col(Item.id))
            )
        ).all()
    )
    summary.overdue = [item for item in open_items if is_overdue(item, until)]
    summary.disputed = [item for item in open_items if item.state is ItemState.DISPUTED]
    summary.unreachable = [item for item in open_items if item.is_citizen_unreachable]
    summary.flagged = list(
        (
            await session.exec(
                select(Item).where(col(Item.is_flagged_for_review).is_(True)).order_by(col(Item.id))
            )
        ).all()
    )
    summary.agencies = await agency_statistics(session, since=until - timedelta(days=STATISTICS_DAYS))
    return summary


async def agency_statistics(session: AsyncSession, *, since: datetime) -> list[AgencyStatistics]:
    """Return, per agency, the items it held, those it transferred out and its contested transfers."""
    items = (await session.exec(select(Item).where(col(Item.received_at) >= since))).all()
    handled: Counter[str] = Counter()
    for item in items:
        for agency_code in {item.agency_code, *item.previous_agency_codes}:
            handled[agency_code] += 1
    item_ids = [item.id for item in items if item.id is not None]
    transferred: Counter[str] = Counter()
    disputes: Counter[str] = Counter()
    if item_ids:
        events = (
            await session.exec(
                select(ItemEvent).where(
                    col(ItemEvent.item_id).in_(item_ids),
                    col(ItemEvent.action).in_([Action.TRANSFERRED, Action.TRANSFER_DISPUTED]),
                )
            )
        ).all()
        transferred_pairs = set()
        for event in events:
            from_agency = str(event.detail.get("from_agency") or event.agency_code or "")
            if event.action == Action.TRANSFERRED:
                transferred_pairs.add((event.item_id, from_agency))
            else:
                disputes[from_agency] += 1
        for _item_id, from_agency in transferred_pairs:
            transferred[from_agency] += 1
    return [
        AgencyStatistics(
            agency_code=code,
            handled=handled[code],
            transferred_out=transferred[code],
            disputes=disputes[code],
        )
        for code in sorted(handled, key=lambda code: (-transferred[code], -disputes[code], code))
    ]
