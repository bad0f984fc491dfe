"""Weekly and monthly reports to the supervisors' group (DESIGN §14), each sent once per period.

The job runs at the configured time (08:00) Monday to Saturday and asks the calendar whether today is
the first working day of the week (for last week's report) or of the month (for last month's). A
(kind, period) row claimed in the database, in the same transaction as the queued messages and
files, makes each report go out once however many instances run and however often the job fires.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.report_files import queue_report
from bot.services import Services
from models.claims import claim_report
from models.db import transaction
from models.items import chat_of_supervisors
from models.outbox import Outbox
from models.report_periods import ReportPeriod, previous_month, previous_week
from models.working_time import WorkingCalendar

logger = logging.getLogger(__name__)

WEEKLY_KIND = "weekly_report"
MONTHLY_KIND = "monthly_report"


@dataclass(frozen=True)
class DueReport:
    """A periodic report that falls due today."""

    kind: str
    period: ReportPeriod


def is_first_working_day_since(calendar: WorkingCalendar, today: date, start: date) -> bool:
    """Tell whether `today` works and no day from `start` until yesterday did."""
    if not calendar.is_working_day(today):
        return False
    day = start
    while day < today:
        if calendar.is_working_day(day):
            return False
        day += timedelta(days=1)
    return True


def reports_due(calendar: WorkingCalendar, today: date) -> list[DueReport]:
    """Return the reports that go out today: last week's on the week's first working day, and so on."""
    due = []
    monday = today - timedelta(days=today.weekday())
    if is_first_working_day_since(calendar, today, monday):
        due.append(DueReport(WEEKLY_KIND, previous_week(today, calendar.timezone)))
    if is_first_working_day_since(calendar, today, today.replace(day=1)):
        due.append(DueReport(MONTHLY_KIND, previous_month(today, calendar.timezone)))
    return due


async def run_periodic_reports(services: Services, *, now: datetime | None = None) -> list[DueReport]:
    """Queue every report due today that no instance has sent yet; return those queued here."""
    now = now or services.clock.now()
    calendar = services.calendar
    today = now.astimezone(calendar.timezone).date()
    sent: list[DueReport] = []
    for due in reports_due(calendar, today):
        async with transaction(services.session_factory) as session:
            chat_id = await chat_of_supervisors(session, services.directory)
            if chat_id is None:
                logger.error("The %s has nowhere to go: the supervisors' group is not bound", due.kind)
                return sent
            if not await claim_report(session, kind=due.kind, period=due.period.key, now=now):
                continue
            await queue_report(
                session=session,
                outbox=Outbox(session, now),
                services=services,
                chat_id=chat_id,
                period=due.period,
                now=now,
                language=services.settings.default_language,
            )
        sent.append(due)
        services.outbox_wakeup.set()
        logger.info("The %s for %s is queued", due.kind, due.period.key)
    return sent
