"""/report: the accountability report in the supervisors' group (every agency) or an agency's group (its own).

/report                         → last month
/report tuần                    → last week (Monday to Sunday)
/report 2026-11 | 11/2026       → that month
/report 2026-11-01 2026-11-15   → from the first day to the end of the second day
─────────────────────────────────────────────────────────────────────────────────────────
authorise (supervisors' group, or an officer in the agency's own group) → parse the period →
queue the summary, the chart (photo) and the workbook (document) through the outbox
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import PaknContext
from bot.report_files import queue_report
from bot.texts import text
from handlers.authorization import Denied, authorise_officer, authorise_supervisor
from handlers.common import command_argument
from models.items import SUPERVISORS_KEY, agency_of_chat
from models.outbox import Message
from models.report_periods import ReportPeriod, month_period, previous_month, previous_week

logger = logging.getLogger(__name__)

WEEK_WORDS = frozenset({"tuần", "tuan", "week", "tuầntrước", "tuần-trước"})
MONTH_PATTERNS = (re.compile(r"^(\d{4})-(\d{1,2})$"), re.compile(r"^(\d{1,2})/(\d{4})$"))
DAY_PATTERNS = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"))
MAX_PERIOD_DAYS = 366


def _day(word: str) -> date | None:
    for index, pattern in enumerate(DAY_PATTERNS):
        match = pattern.match(word)
        if match:
            numbers = [int(group) for group in match.groups()]
            year, month, day = numbers if index == 0 else (numbers[2], numbers[1], numbers[0])
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def parse_report_period(argument: str, *, today: date, timezone: ZoneInfo) -> ReportPeriod | None:
    """Read /report's argument as a period, or None when it cannot be one (or is empty, ends in the future…)."""
    words = argument.lower().split()
    if not words:
        return previous_month(today, timezone)
    if len(words) == 1 and words[0] in WEEK_WORDS:
        return previous_week(today, timezone)
    if len(words) == 1:
        for index, pattern in enumerate(MONTH_PATTERNS):
            match = pattern.match(words[0])
            if match:
                first, second = (int(group) for group in match.groups())
                year, month = (first, second) if index == 0 else (second, first)
                if not 1 <= month <= 12 or date(year, month, 1) > today:
                    return None
                return month_period(year, month, timezone)
        day = _day(words[0])
        if day is None or day > today:
            return None
        return ReportPeriod(day, date.fromordinal(day.toordinal() + 1), timezone)
    if len(words) == 2:
        first_day, last_day = _day(words[0]), _day(words[1])
        if first_day is None or last_day is None or last_day < first_day or first_day > today:
            return None
        if (last_day - first_day).days >= MAX_PERIOD_DAYS:
            return None
        return ReportPeriod(first_day, date.fromordinal(last_day.toordinal() + 1), timezone)
    return None


async def asked_for_report(update: Update, context: PaknContext) -> None:
    """Queue the report for this group's audience, or say politely why not."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    services = context.services
    language = services.settings.default_language
    owner = await agency_of_chat(context.session, services.directory, chat.id)
    scope: tuple[str, ...] | None
    if owner == SUPERVISORS_KEY:
        authorisation = await authorise_supervisor(context, update)
        scope = None
    elif owner is not None:
        authorisation = await authorise_officer(context, update, agency_code=owner)
        scope = (owner,)
    else:
        context.outbox.send(
            chat.id, Message(text(language, "report.not_here"), reply_to_message_id=message.message_id)
        )
        return
    if isinstance(authorisation, Denied):
        context.outbox.send(
            chat.id,
            Message(
                text(language, f"auth.{authorisation.reason.value}"), reply_to_message_id=message.message_id
            ),
        )
        return
    calendar = services.calendar
    today = context.now.astimezone(calendar.timezone).date()
    period = parse_report_period(command_argument(update), today=today, timezone=calendar.timezone)
    if period is None:
        context.outbox.send(
            chat.id, Message(text(language, "report.usage"), reply_to_message_id=message.message_id)
        )
        return
    await queue_report(
        session=context.session,
        outbox=context.outbox,
        services=services,
        chat_id=chat.id,
        period=period,
        now=context.now,
        agency_codes=scope,
        language=language,
        reply_to_message_id=message.message_id,
    )
    logger.info("Report %s for %s queued to chat %s", period.key, owner, chat.id)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add /report for groups."""
    application.add_handler(CommandHandler("report", asked_for_report, filters=filters.ChatType.GROUPS))
