"""The public home page shows exactly the supervisors' report of its periods (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date

from bot.views.report_chart import render_chart
from bot.views.reports import format_rate, working_days
from bot.web.app import SITE_KEY
from models.report_figures import Report
from models.report_periods import ReportPeriod
from models.statistics import build_report
from tests.harness import Harness
from tests.report_world import HANOI, build_november, local
from tests.web_world import site_client

PAGE_NOW = local(12, 7, 10)  # Monday 07/12/2026: the last 30 days are 08/11–07/12, the last 90 09/09–07/12
PERIODS = {
    30: ReportPeriod(date(2026, 11, 8), date(2026, 12, 8), HANOI),
    90: ReportPeriod(date(2026, 9, 9), date(2026, 12, 8), HANOI),
}


async def report_of(harness: Harness, period: ReportPeriod) -> Report:
    """Build the report a supervisor would get for the period, at the page's instant."""
    async with harness.session() as session:
        return await build_report(
            session,
            directory=harness.services.directory,
            calendar=harness.services.calendar,
            period=period,
            now=PAGE_NOW,
        )


def section(html: str, days: int) -> str:
    """Return the home page's section of one period."""
    found = re.search(rf'<section class="period" aria-labelledby="period-{days}">(.*?)</section>', html, re.S)
    assert found is not None, days
    return found.group(1)


def shown_figures(part: str) -> list[str]:
    """Return the four figures of a period: received, answered, on-time rate, overdue."""
    return re.findall(r"<dd>([^<]*)</dd>", part)


def shown_rows(part: str) -> list[list[str]]:
    """Return the agency table's rows: rank, agency, then every number cell."""
    table = part.split('<table class="agencies">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<th scope=\"row\">([^<]*)</th>(.*?)</tr>", table, re.S)
    return [[rank, name, *re.findall(r'<td class="number">([^<]*)</td>', rest)] for rank, name, rest in rows]


def expected_rows(report: Report, harness: Harness) -> list[list[str]]:
    """Write the report's agency rows the way the page must show them (Vietnamese)."""
    directory = harness.services.directory
    rows = []
    for figures in report.agencies:
        if not figures.received:
            continue
        days = working_days(figures.working_time.median_seconds, report)
        rows.append(
            [
                "chưa xếp hạng" if figures.rank is None else str(figures.rank),
                directory.agencies_by_code[figures.agency_code].display_name("vi"),
                str(figures.received),
                str(figures.counts.on_time),
                str(figures.counts.late),
                str(figures.counts.overdue),
                str(figures.counts.not_yet_due),
                format_rate(figures.counts.on_time_rate, "vi"),
                "—" if days is None else f"{days:.1f}".replace(".", ","),
            ]
        )
    return rows


async def test_the_home_figures_are_the_reports_figures_for_the_same_period(harness: Harness) -> None:
    await build_november(harness)
    harness.clock.set(PAGE_NOW)
    async with site_client(harness) as client:
        response = await client.get("/")
        html = await response.text()
        charts = {days: await (await client.get(f"/bieu-do.svg?days={days}")).read() for days in PERIODS}
        cache = client.server.app[SITE_KEY].figures
        assert cache.computations == 1
    for days, period in PERIODS.items():
        report = await report_of(harness, period)
        assert report.province.received > 0, days
        if days == 90:
            assert any(row.rank for row in report.agencies) and any(not row.rank for row in report.agencies)
        part = section(html, days)
        counts = report.province.counts
        assert shown_figures(part) == [
            str(report.province.received),
            str(counts.answered),
            format_rate(counts.on_time_rate, "vi"),
            str(counts.overdue),
        ], days
        assert shown_rows(part) == expected_rows(report, harness), days
        assert f"có từ {report.min_items} hồ sơ trở lên" in part
        # the chart is the report's chart of the same period, byte for byte
        assert charts[days] == render_chart(report, harness.services.directory, "vi", "svg")
        assert render_chart(report, harness.services.directory, "vi").startswith(b"\x89PNG")
        overdue_now = report.overdue_total
    shown_overdue = re.search(r'<strong class="figure">(\d+)</strong>', html)
    assert shown_overdue is not None and int(shown_overdue.group(1)) == overdue_now
