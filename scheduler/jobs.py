"""Every scheduled job, registered in one place (APScheduler 3.11, AsyncIOScheduler).

Jobs are thin sweeps over the database: their state lives in the database, never in the job store
(which is the in-memory default), so a restart loses nothing. Every job has an explicit id,
`coalesce=True` (runs missed while the process was busy or down collapse into one) and
`max_instances=1`. The misfire grace times are deliberate:

- escalation sweep and auto-close: a missed run is simply dropped, because the next run finds every
  step or item that fell due in the meantime (the database is the queue);
- daily summary: up to 4 hours late is still worth sending (the bot restarted at 09:30); later than
  that the day's summary is skipped rather than sent in the afternoon;
- weekly and monthly reports: the same 4 hours, on the first working day of the week or month.

The outbox is delivered continuously by the runner's own loop (bot/runner.py), so it has no job here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from telegram import Bot

from bot.services import Services
from scheduler.auto_close import run_auto_close
from scheduler.daily_summary import run_daily_summary
from scheduler.escalation import run_escalation_sweep
from scheduler.periodic_reports import run_periodic_reports

logger = logging.getLogger(__name__)

ESCALATION_SWEEP_JOB = "escalation_sweep"
AUTO_CLOSE_JOB = "auto_close"
DAILY_SUMMARY_JOB = "daily_summary"
PERIODIC_REPORTS_JOB = "periodic_reports"
DAILY_SUMMARY_GRACE = timedelta(hours=4)


def _guarded(
    name: str, run: Callable[[Services], Awaitable[Any]], services: Services
) -> Callable[[], Awaitable[None]]:
    """Wrap a job so that a failure is logged with its traceback and the next run still happens."""

    async def job() -> None:
        try:
            await run(services)
        except Exception:
            logger.exception("Scheduled job %s failed; it runs again at its next time", name)

    job.__name__ = name
    return job


def build_scheduler(services: Services, bot: Bot | None = None) -> AsyncIOScheduler:
    """Create the scheduler with every job registered (not started)."""
    settings = services.settings
    timezone = services.calendar.timezone
    scheduler = AsyncIOScheduler(timezone=timezone)
    common: dict[str, Any] = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    sweep_seconds = settings.escalation_sweep_seconds
    scheduler.add_job(
        _guarded(ESCALATION_SWEEP_JOB, run_escalation_sweep, services),
        IntervalTrigger(seconds=sweep_seconds, timezone=timezone),
        id=ESCALATION_SWEEP_JOB,
        name="Escalation ladder sweep",
        misfire_grace_time=sweep_seconds,
        next_run_time=services.clock.now(),  # catch up at once after a restart
        **common,
    )
    auto_close_seconds = settings.auto_close_sweep_seconds
    scheduler.add_job(
        _guarded(AUTO_CLOSE_JOB, run_auto_close, services),
        IntervalTrigger(seconds=auto_close_seconds, timezone=timezone),
        id=AUTO_CLOSE_JOB,
        name="Close answered items left unrated",
        misfire_grace_time=auto_close_seconds,
        **common,
    )
    at = settings.daily_summary_time
    scheduler.add_job(
        _guarded(DAILY_SUMMARY_JOB, run_daily_summary, services),
        # Saturdays too: the job checks the calendar, so make-up Saturdays count and holidays do not.
        CronTrigger(day_of_week="mon-sat", hour=at.hour, minute=at.minute, timezone=timezone),
        id=DAILY_SUMMARY_JOB,
        name="Daily summary to the supervisors",
        misfire_grace_time=int(DAILY_SUMMARY_GRACE.total_seconds()),
        **common,
    )
    report_at = settings.periodic_report_time
    scheduler.add_job(
        _guarded(PERIODIC_REPORTS_JOB, run_periodic_reports, services),
        CronTrigger(day_of_week="mon-sat", hour=report_at.hour, minute=report_at.minute, timezone=timezone),
        id=PERIODIC_REPORTS_JOB,
        name="Weekly and monthly reports to the supervisors",
        misfire_grace_time=int(DAILY_SUMMARY_GRACE.total_seconds()),
        **common,
    )
    return scheduler
