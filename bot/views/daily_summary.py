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


def _codes(items: list[Item], language: str, count: int | None = None) -> str:
    return _code_list([item.code for item in items], language, count)


def _code_list(codes: list[str], language: str, count: int | None = None) -> str:
    if not codes:
        return ""
    shown = ", ".join(codes[:MAX_CODES])
    if max(len(codes), count or 0) > MAX_CODES:
        shown += ", …"
    return text(language, "summary.codes", codes=shown)


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
        overdue=summary.overdue_count,
        disputes=summary.disputed_count,
        dispute_codes=_codes(summary.disputed, language, summary.disputed_count),
        flagged=summary.flagged_count,
        flagged_codes=_codes(summary.flagged, language, summary.flagged_count),
        unreachable=summary.unreachable_count,
        unreachable_codes=_codes(summary.unreachable, language, summary.unreachable_count),
        referred=len(summary.referred),
        referred_codes=_code_list(summary.referred, language),
        referrals_waiting=len(summary.referrals_waiting),
        waiting_codes=_code_list(summary.referrals_waiting, language),
    )
    overdue = overdue_listing(
        summary.overdue,
        directory=directory,
        calendar=calendar,
        now=summary.until,
        language=language,
        agency_counts=summary.overdue_by_agency,
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
