"""The daily summary to the supervisors' group at 08:00 on working days (DESIGN §6, §8).

The cron trigger fires Monday to Saturday; the job itself asks the calendar, so make-up Saturdays
get a summary and public holidays do not. A (kind, date) row claimed in the database makes it go
out once per day, however many instances run and however often the job fires.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.services import Services
from bot.views.daily_summary import render_summary
from models.claims import claim_report
from models.db import transaction
from models.items import chat_of_supervisors
from models.outbox import Message, Outbox
from models.summary import collect_summary, previous_report_at

logger = logging.getLogger(__name__)

REPORT_KIND = "daily_summary"


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
        since = await previous_report_at(session, kind=REPORT_KIND, now=now) or now - timedelta(days=1)
        if not await claim_report(session, kind=REPORT_KIND, period=today.isoformat(), now=now):
            return False
        summary = await collect_summary(session, since=since, until=now)
        text = render_summary(
            summary,
            directory=services.directory,
            calendar=calendar,
            language=services.settings.default_language,
        )
        Outbox(session, now).send(chat_id, Message(text))
    services.outbox_wakeup.set()
    logger.info("Daily summary for %s queued", today.isoformat())
    return True
