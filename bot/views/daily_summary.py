"""The daily summary's text for the supervisors' group (DESIGN §6, §8); its figures come from models/summary.py."""

from __future__ import annotations

from html import escape

from bot.texts import text
from bot.views.dates import format_date_heading, format_datetime
from bot.views.escalation_cards import overdue_listing
from bot.views.render import agency_name
from models.directory import Directory
from models.summary import STATISTICS_DAYS, DailySummary
from models.tables import Item
from models.working_time import WorkingCalendar

MAX_CODES = 15  # codes listed after a count; the rest are in /overdue and the control slips


def _codes(items: list[Item], language: str) -> str:
    if not items:
        return ""
    codes = ", ".join(item.code for item in items[:MAX_CODES])
    if len(items) > MAX_CODES:
        codes += ", …"
    return text(language, "summary.codes", codes=codes)


def render_summary(
    summary: DailySummary, *, directory: Directory, calendar: WorkingCalendar, language: str
) -> str:
    """Render the daily summary for the supervisors' group."""
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
        summary.overdue, directory=directory, calendar=calendar, now=summary.until, language=language
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
