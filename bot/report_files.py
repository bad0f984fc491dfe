"""Make a report and queue it to a chat: the summary, then the chart as a photo and the workbook as a file.

The files are rendered once and stored with their outbox rows (models.outbox.Outbox.send_file), in
the same transaction as whatever asked for the report, so a retry after a 429 or a 5xx uploads the
very same bytes and nothing is lost between the request and the delivery.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import Services
from bot.views.dates import format_date
from bot.views.report_chart import PNG_CONTENT_TYPE, render_chart
from bot.views.report_tables import XLSX_CONTENT_TYPE, render_workbook
from bot.views.reports import file_stem, period_title, summary_text
from models.outbox import Message, Outbox
from models.report_figures import Report
from models.report_periods import ReportPeriod
from models.statistics import build_report


@dataclass(frozen=True)
class RenderedReport:
    """A report's three parts, ready to queue."""

    summary: str
    chart: bytes
    workbook: bytes
    stem: str
    caption: str


async def render_report(report: Report, services: Services, language: str) -> RenderedReport:
    """Render the summary, the chart and the workbook (the drawing runs off the event loop)."""
    directory = services.directory
    chart, workbook = await asyncio.gather(
        asyncio.to_thread(render_chart, report, directory, language),
        asyncio.to_thread(render_workbook, report, directory, language),
    )
    caption = f"{period_title(report.period, language)} · {format_date(report.generated_at, language)}"
    return RenderedReport(
        summary=summary_text(report, directory, language),
        chart=chart,
        workbook=workbook,
        stem=file_stem(report, directory),
        caption=caption,
    )


async def queue_report(
    *,
    session: AsyncSession,
    outbox: Outbox,
    services: Services,
    chat_id: int,
    period: ReportPeriod,
    now: datetime,
    agency_codes: tuple[str, ...] | None = None,
    language: str = "vi",
    reply_to_message_id: int | None = None,
) -> Report:
    """Build a report for a period and scope and queue its summary, chart and workbook to a chat."""
    report = await build_report(
        session,
        directory=services.directory,
        calendar=services.calendar,
        period=period,
        now=now,
        agency_codes=agency_codes,
    )
    rendered = await render_report(report, services, language)
    outbox.send(chat_id, Message(rendered.summary, reply_to_message_id=reply_to_message_id))
    await outbox.send_file(
        chat_id,
        media_type="photo",
        file_name=f"{rendered.stem}.png",
        content_type=PNG_CONTENT_TYPE,
        content=rendered.chart,
        caption=rendered.caption,
    )
    await outbox.send_file(
        chat_id,
        media_type="document",
        file_name=f"{rendered.stem}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        content=rendered.workbook,
        caption=rendered.caption,
    )
    return report
