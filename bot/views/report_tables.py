"""Render a report (models.statistics.Report) as tables: a CSV file and an XLSX workbook.

Both take their columns from the same definitions, one list per table. openpyxl is imported when a
workbook is written, not at start-up.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from bot.texts import text
from bot.views.render import agency_name, category_name
from bot.views.reports import (
    report_subtitle,
    report_title,
    working_days,
)
from models.directory import Directory
from models.report_figures import AgencyFigures, Report
from models.report_periods import add_months

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


HEADER_ROW = 4  # rows 1-2: title and period; row 3 left empty; the table starts here


DATE_FORMAT = "dd/mm/yyyy hh:mm"


PERCENT_FORMAT = "0.0%"


DAYS_FORMAT = "0.0"


Column = tuple[str, Callable[[Any], Any], str | None]  # header key, value, number format


def _province_kind(directory: Directory, language: str) -> str:
    """Return the province's kind as a row label says it: "tỉnh" or "thành phố" (English: province, city)."""
    kind = directory.province.kind
    if language == "vi":
        return kind
    return "city" if kind == "thành phố" else "province"


def _agency_label(report: Report, directory: Directory, language: str) -> Callable[[AgencyFigures], str]:
    """Name an agency's row; the row without an agency is the province's, or the total of the scope."""

    def name(figures: AgencyFigures) -> str:
        if not figures.agency_code:
            if report.is_whole_province:
                return text(
                    language, "report.province_row", province_kind=_province_kind(directory, language)
                )
            return text(language, "report.scope_total")
        return agency_name(directory, figures.agency_code, language)

    return name


def _agency_columns(report: Report, directory: Directory, language: str) -> list[Column]:
    return [
        ("rank", lambda f: f.rank, None),
        ("agency_code", lambda f: f.agency_code or None, None),
        ("agency", _agency_label(report, directory, language), None),
        ("received", lambda f: f.received, None),
        ("on_time", lambda f: f.counts.on_time, None),
        ("late", lambda f: f.counts.late, None),
        ("not_yet_due", lambda f: f.counts.not_yet_due, None),
        ("overdue", lambda f: f.counts.overdue, None),
        ("on_time_rate", lambda f: f.counts.on_time_rate, PERCENT_FORMAT),
        ("median_days", lambda f: working_days(f.working_time.median_seconds, report), DAYS_FORMAT),
        ("p90_days", lambda f: working_days(f.working_time.p90_seconds, report), DAYS_FORMAT),
        ("transferred_out", lambda f: f.transferred_out, None),
        ("transferred_share", lambda f: f.transferred_share, PERCENT_FORMAT),
        ("disputes_raised", lambda f: f.disputes_raised, None),
        ("disputes_lost", lambda f: f.disputes_lost, None),
        ("rejections", lambda f: f.rejections, None),
        ("rejections_reversed", lambda f: f.rejections_reversed, None),
        ("consultations_asked", lambda f: f.consultations_asked, None),
        ("extensions", lambda f: f.extensions, None),
        ("reopened", lambda f: f.reopened, None),
        ("rated", lambda f: f.rated, None),
        ("satisfaction_rate", lambda f: f.satisfaction_rate, PERCENT_FORMAT),
        ("unreachable", lambda f: f.unreachable, None),
    ]


def _officer_columns(report: Report, directory: Directory, language: str) -> list[Column]:
    return [
        ("agency", lambda o: agency_name(directory, o.agency_code, language), None),
        ("officer", lambda o: o.name, None),
        ("officer_received", lambda o: o.received, None),
        ("on_time", lambda o: o.counts.on_time, None),
        ("late", lambda o: o.counts.late, None),
        ("not_yet_due", lambda o: o.counts.not_yet_due, None),
        ("overdue", lambda o: o.counts.overdue, None),
        ("on_time_rate", lambda o: o.counts.on_time_rate, PERCENT_FORMAT),
        ("median_days", lambda o: working_days(o.working_time.median_seconds, report), DAYS_FORMAT),
        ("p90_days", lambda o: working_days(o.working_time.p90_seconds, report), DAYS_FORMAT),
    ]


def _local_naive(at: datetime, report: Report) -> datetime:
    return at.astimezone(report.period.timezone).replace(tzinfo=None)  # Excel has no time zones


def _overdue_columns(report: Report, directory: Directory, language: str) -> list[Column]:
    localities = {locality.code: locality.full_name for locality in directory.localities}
    return [
        ("code", lambda row: row.code, None),
        ("agency", lambda row: agency_name(directory, row.agency_code, language), None),
        ("category", lambda row: category_name(directory, row.category_code, language), None),
        ("locality", lambda row: localities.get(row.locality_code or "", row.locality_code), None),
        ("received_at", lambda row: _local_naive(row.received_at, report), DATE_FORMAT),
        ("answer_due_at", lambda row: _local_naive(row.answer_due_at, report), DATE_FORMAT),
        ("days_overdue", lambda row: row.working_days_overdue, None),
        ("officer_handling", lambda row: row.officer_name, None),
    ]


def _transfer_columns(report: Report, directory: Directory, language: str) -> list[Column]:
    return [
        ("agency", _agency_label(report, directory, language), None),
        ("handled", lambda f: f.handled, None),
        ("transferred_out", lambda f: f.transferred_out, None),
        ("transferred_share", lambda f: f.transferred_share, PERCENT_FORMAT),
        ("disputes_raised", lambda f: f.disputes_raised, None),
        ("disputes_lost", lambda f: f.disputes_lost, None),
        ("rejections", lambda f: f.rejections, None),
        ("rejections_reversed", lambda f: f.rejections_reversed, None),
    ]


def _consultation_columns(report: Report, directory: Directory, language: str) -> list[Column]:
    return [
        ("agency", _agency_label(report, directory, language), None),
        ("consultations_asked", lambda f: f.consultations_asked, None),
        ("consultations_on_time", lambda f: f.consultations_on_time, None),
        ("consultations_late", lambda f: f.consultations_late, None),
        ("consultations_open", lambda f: f.consultations_open, None),
    ]


def _agency_rows(report: Report) -> list[AgencyFigures]:
    return [*report.agencies, report.province]


def render_csv(report: Report, directory: Directory, language: str) -> bytes:
    """Render the per-agency table as CSV (UTF-8 with a byte order mark, so Excel reads the diacritics)."""
    columns = _agency_columns(report, directory, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([text(language, f"report.col.{key}") for key, _, _ in columns])
    for figures in _agency_rows(report):
        writer.writerow(["" if value is None else value for value in (get(figures) for _, get, _ in columns)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_workbook(report: Report, directory: Directory, language: str) -> bytes:
    """Render the five-sheet workbook a provincial office files."""
    from openpyxl import Workbook

    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    sheets: list[tuple[str, list[Column], Sequence[Any]]] = [
        ("agencies", _agency_columns(report, directory, language), _agency_rows(report)),
        ("officers", _officer_columns(report, directory, language), report.officers),
        ("overdue", _overdue_columns(report, directory, language), report.overdue_items),
        ("transfers", _transfer_columns(report, directory, language), _agency_rows(report)),
        ("consultations", _consultation_columns(report, directory, language), _agency_rows(report)),
    ]
    for key, columns, rows in sheets:
        sheet = workbook.create_sheet(text(language, f"report.sheet.{key}"))
        last_row = _write_table(sheet, report, directory, language, columns, rows)
        if key == "agencies":
            _write_often_overdue(sheet, report, directory, language, last_row + 2)
        if key == "overdue" and report.is_overdue_list_cut:
            sheet.cell(row=last_row + 2, column=1).value = text(
                language, "report.overdue_cut", shown=len(report.overdue_items), total=report.overdue_total
            )
    generated = _local_naive(report.generated_at, report)
    workbook.properties.created = generated
    workbook.properties.modified = generated
    workbook.properties.creator = "pakn-bot"
    workbook.properties.title = report_title(report, directory, language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_table(
    sheet: Any,
    report: Report,
    directory: Directory,
    language: str,
    columns: list[Column],
    rows: Sequence[Any],
) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=1).value = report_title(report, directory, language)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1).value = report_subtitle(report, language)
    sheet.cell(row=2, column=1).font = Font(italic=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    widths = []
    for index, (key, _, _) in enumerate(columns, start=1):
        header = text(language, f"report.col.{key}")
        cell = sheet.cell(row=HEADER_ROW, column=index)
        cell.value = header
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        widths.append(min(max(10, len(header) // 2 + 2), 40))
    row_number = HEADER_ROW
    for row in rows:
        row_number += 1
        for index, (_, get, number_format) in enumerate(columns, start=1):
            value = get(row)
            cell = sheet.cell(row=row_number, column=index)
            cell.value = value
            if number_format and value is not None:
                cell.number_format = number_format
            if isinstance(value, str):
                widths[index - 1] = min(max(widths[index - 1], len(value) + 2), 50)
            elif isinstance(value, datetime):
                widths[index - 1] = max(widths[index - 1], 17)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(row_number, HEADER_ROW)}"
    return row_number


def _write_often_overdue(sheet: Any, report: Report, directory: Directory, language: str, start: int) -> None:
    from openpyxl.styles import Font

    if not report.often_overdue:
        return
    header = text(
        language,
        "report.often_header",
        periods=report.often_overdue_periods,
        window=report.often_overdue_window,
    )
    sheet.cell(row=start, column=1).value = re.sub(r"<[^>]+>", "", header)
    sheet.cell(row=start, column=1).font = Font(bold=True)
    labels = [
        text(language, "report.col.agency"),
        text(language, "report.col.leaders"),
        *_month_end_labels(report, language),
    ]
    for index, label in enumerate(labels, start=1):
        sheet.cell(row=start + 1, column=index).value = label
        sheet.cell(row=start + 1, column=index).font = Font(bold=True)
    for offset, entry in enumerate(report.often_overdue, start=2):
        values: list[Any] = [
            agency_name(directory, entry.agency_code, language),
            ", ".join(entry.leader_names) or text(language, "report.often_no_leaders"),
            *entry.overdue_at_month_ends,
        ]
        for index, value in enumerate(values, start=1):
            sheet.cell(row=start + offset, column=index).value = value


def _month_end_labels(report: Report, language: str) -> list[str]:
    """Name the instants of the often-overdue counts: "cuối tháng 09/2026" for 00:00 on 01/10, else the date."""
    local = report.as_of.astimezone(report.period.timezone)
    labels = []
    for back in reversed(range(report.often_overdue_window)):
        day = add_months(local.date(), -back)
        if local.day == 1 and local.time() == time(0):
            labels.append(text(language, "report.col.month_end", month=f"{day - timedelta(days=1):%m/%Y}"))
        else:
            labels.append(text(language, "report.col.overdue_at", date=f"{day:%d/%m/%Y}"))
    return labels
