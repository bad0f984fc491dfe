"""The daily summary to the supervisors' group at 08:00 on working days (DESIGN §6, §8).

The cron trigger fires Monday to Saturday; the job itself asks the calendar, so make-up Saturdays
get a summary and public holidays do not. A (kind, date) row claimed in the database makes it go
out once per day, however many instances run and however often the job fires.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import Services
from bot.texts import text
from bot.views.dates import format_date_heading, format_datetime
from bot.views.escalation_cards import overdue_listing
from bot.views.render import agency_name
from models.actions import Action
from models.claims import claim_report
from models.db import transaction
from models.items import chat_of_supervisors
from models.lifecycle import OPEN_STATES, is_overdue
from models.outbox import Message, Outbox
from models.tables import Item, ItemEvent, ItemState, ScheduledReport

logger = logging.getLogger(__name__)

REPORT_KIND = "daily_summary"
STATISTICS_DAYS = 30  # the window of the per-agency transfer and dispute statistics
MAX_CODES = 15  # codes listed after a count; the rest are in /overdue and the control slips


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


async def run_daily_summary(services: Services, *, now: datetime | None = None) -> bool:
    """Send today's summary if today is a working day and no instance has sent it; tell whether sent."""
    now = now or services.clock.now()
    calendar = services.calendar
    today = now.astimezone(calendar.timezone).date()
    if not calendar.is_working_day(today):
        return False
    async with transaction(services.session_factory) as session:
        chat_id = await chat_of_supervisors(session, services.directory)
        if chat_id is None:
            logger.error("The daily summary has nowhere to go: the supervisors' group is not bound")
            return False
        since = await _previous_report_at(session, now) or now - timedelta(days=1)
        if not await claim_report(session, kind=REPORT_KIND, period=today.isoformat(), now=now):
            return False
        summary = await collect_summary(session, since=since, until=now)
        Outbox(session, now).send(chat_id, Message(render_summary(summary, services)))
    services.outbox_wakeup.set()
    logger.info("Daily summary for %s queued", today.isoformat())
    return True


async def _previous_report_at(session: AsyncSession, now: datetime) -> datetime | None:
    statement = select(func.max(ScheduledReport.claimed_at)).where(
        ScheduledReport.kind == REPORT_KIND, col(ScheduledReport.claimed_at) < now
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


def _codes(items: list[Item], language: str) -> str:
    if not items:
        return ""
    codes = ", ".join(item.code for item in items[:MAX_CODES])
    if len(items) > MAX_CODES:
        codes += ", …"
    return text(language, "summary.codes", codes=codes)


def render_summary(summary: DailySummary, services: Services) -> str:
    """Render the daily summary for the supervisors' group."""
    language = services.settings.default_language
    directory = services.directory
    header = text(
        language,
        "summary.header",
        date=format_date_heading(summary.until, language),
        since=format_datetime(summary.since, language),
        until=format_datetime(summary.until, language),
        received=summary.received,
        answered=summary.answered,
        overdue=len(summary.overdue),
        disputes=len(summary.disputed),
        dispute_codes=_codes(summary.disputed, language),
        flagged=len(summary.flagged),
        flagged_codes=_codes(summary.flagged, language),
        unreachable=len(summary.unreachable),
        unreachable_codes=_codes(summary.unreachable, language),
    )
    overdue = overdue_listing(
        summary.overdue, directory=directory, calendar=services.calendar, now=summary.until, language=language
    )
    agency_lines = [text(language, "summary.agencies", days=STATISTICS_DAYS)]
    agency_lines += [
        text(
            language,
            "summary.agency_line",
            agency=escape(agency_name(directory, statistics.agency_code, language)),
            handled=statistics.handled,
            transferred=statistics.transferred_out,
            share=statistics.transferred_share_percent,
            disputes=statistics.disputes,
        )
        for statistics in summary.agencies
    ] or [text(language, "summary.no_agencies", days=STATISTICS_DAYS)]
    return "\n\n".join([header, overdue, "\n".join(agency_lines)])
