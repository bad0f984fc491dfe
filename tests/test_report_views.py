"""The report as a supervisor opens it: the workbook read back cell by cell, the chart, the texts."""

from __future__ import annotations

import csv
import io
import struct
import warnings
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from bot.views.report_chart import render_chart
from bot.views.report_tables import PERCENT_FORMAT, render_csv, render_workbook
from bot.views.reports import period_title, plain_text, summary_text
from models.report_periods import ReportPeriod, month_period
from tests.harness import Harness
from tests.report_world import HANOI, build_november
from tests.test_report_statistics import november_report

TITLE = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ – Tỉnh Thử Nghiệm"
SUBTITLE = (
    "Kỳ báo cáo: Chủ nhật, 01/11/2026 – thứ Hai, 30/11/2026. Số liệu tính đến 00:00 thứ Ba, 01/12/2026. "
    "Lập lúc 09:00 thứ Hai, 07/12/2026."
)
D = 8 * 3600  # seconds in a working day


def table(sheet: Any) -> list[tuple[Any, ...]]:
    """Return the rows from the header down to the last row of the table."""
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    end = next((index for index, row in enumerate(rows) if all(value is None for value in row)), len(rows))
    return [tuple(row) for row in rows[:end]]


def approx_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Round floats so golden rows compare exactly."""
    return [tuple(round(value, 6) if isinstance(value, float) else value for value in row) for row in rows]


async def test_the_workbook_holds_every_golden_figure(harness: Harness) -> None:
    """Five sheets with Vietnamese names, title rows, frozen headers, filters, formats and every cell."""
    world = await build_november(harness)
    report = await november_report(harness)
    workbook = load_workbook(io.BytesIO(render_workbook(report, harness.services.directory, "vi")))
    assert workbook.sheetnames == [
        "Tổng hợp theo cơ quan",
        "Theo cán bộ",
        "Hồ sơ quá hạn",
        "Chuyển và tranh chấp",
        "Phối hợp",
    ]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == TITLE and sheet["A1"].font.bold
        assert sheet["A2"].value == SUBTITLE
        assert sheet.freeze_panes == "A5"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A4:")
        assert all(sheet.column_dimensions[letter].width >= 10 for letter in "ABC")

    agencies = workbook["Tổng hợp theo cơ quan"]
    assert approx_rows(table(agencies)) == [
        (
            "Xếp hạng",
            "Mã cơ quan",
            "Cơ quan",
            "Tiếp nhận",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa đến hạn",
            "Quá hạn",
            "Tỷ lệ đúng hạn",
            "Thời gian trả lời trung vị (ngày làm việc)",
            "Thời gian trả lời 90% (ngày làm việc)",
            "Chuyển đi",
            "Tỷ lệ chuyển đi",
            "Tranh chấp phát sinh",
            "Tranh chấp bị quyết định bất lợi",
            "Từ chối",
            "Từ chối bị hủy",
            "Được xin ý kiến phối hợp",
            "Gia hạn",
            "Mở lại do không hài lòng",
            "Lượt đánh giá",
            "Tỷ lệ hài lòng",
            "Người dân không liên lạc được",
        ),
        (
            1,
            "SO-XD",
            "Sở Xây dựng",
            6,
            3,
            1,
            1,
            1,
            0.6,
            182700 / D,
            334260 / D,
            0,
            0,
            1,
            1,
            0,
            0,
            1,
            0,
            1,
            2,
            0.5,
            1,
        ),
        (None, "SO-YT", "Sở Y tế", 1, 1, 0, 0, 0, 1, 137 / 8, 137 / 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, None, 0),
        (
            None,
            "SO-NNMT",
            "Sở Nông nghiệp và Môi trường",
            3,
            1,
            0,
            1,
            1,
            0.5,
            3,
            3,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            None,
            0,
        ),
        (
            None,
            "UBND-PDP",
            "UBND phường Phan Đình Phùng",
            0,
            0,
            0,
            0,
            0,
            None,
            None,
            None,
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            None,
            0,
        ),
        (
            None,
            "UBND-TC",
            "UBND xã Tân Cương",
            0,
            0,
            0,
            0,
            0,
            None,
            None,
            None,
            0,
            None,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            None,
            0,
        ),
        (
            None,
            "VP",
            "Văn phòng UBND tỉnh",
            1,
            0,
            0,
            0,
            1,
            0,
            None,
            None,
            1,
            0.5,
            0,
            0,
            1,
            1,
            0,
            0,
            0,
            0,
            None,
            0,
        ),
        (
            None,
            None,
            "Toàn tỉnh",
            11,
            5,
            1,
            2,
            3,
            round(5 / 9, 6),
            round(197100 / D, 6),
            round(419400 / D, 6),
            2,
            round(2 / 13, 6),
            1,
            1,
            1,
            1,
            1,
            1,
            1,
            2,
            0.5,
            1,
        ),
    ]
    assert agencies["I5"].number_format == PERCENT_FORMAT and agencies["V5"].number_format == PERCENT_FORMAT
    assert agencies["J5"].number_format == "0.0"
    often = [tuple(row) for row in agencies.iter_rows(min_row=13, values_only=True)]
    assert often[0][0].startswith("⚠️ Cơ quan thường xuyên có hồ sơ quá hạn")
    assert often[1][:5] == (
        "Cơ quan",
        "Thủ trưởng",
        "Quá hạn cuối tháng 09/2026",
        "Quá hạn cuối tháng 10/2026",
        "Quá hạn cuối tháng 11/2026",
    )
    assert often[2][:5] == ("Sở Nông nghiệp và Môi trường", "Giám đốc Sở NNMT", 1, 1, 2)

    assert approx_rows(table(workbook["Theo cán bộ"])) == [
        (
            "Cơ quan",
            "Cán bộ",
            "Hồ sơ nhận xử lý",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa đến hạn",
            "Quá hạn",
            "Tỷ lệ đúng hạn",
            "Thời gian trả lời trung vị (ngày làm việc)",
            "Thời gian trả lời 90% (ngày làm việc)",
        ),
        ("Sở Nông nghiệp và Môi trường", "Đỗ Minh", 2, 1, 0, 0, 1, 0.5, 3, 3),
        ("Sở Xây dựng", "Trần Hùng", 3, 2, 0, 0, 1, round(2 / 3, 6), 1.5, 1.9),
        ("Sở Xây dựng", "Lê Lan", 2, 1, 1, 0, 0, 0.5, round(326700 / D, 6), round(341820 / D, 6)),
        ("Sở Y tế", "Phạm Thu", 1, 1, 0, 0, 0, 1, 137 / 8, 137 / 8),
    ]

    overdue = workbook["Hồ sơ quá hạn"]
    assert table(overdue) == [
        (
            "Mã hồ sơ",
            "Cơ quan",
            "Lĩnh vực",
            "Địa bàn",
            "Ngày tiếp nhận",
            "Hạn trả lời",
            "Số ngày làm việc quá hạn",
            "Cán bộ xử lý",
        ),
        (
            world.codes["L"],
            "Sở Nông nghiệp và Môi trường",
            "Đất đai",
            None,
            datetime(2026, 9, 15, 9),
            datetime(2026, 9, 29, 17),
            43,
            None,
        ),
        (
            world.codes["H"],
            "Văn phòng UBND tỉnh",
            "Khác",
            None,
            datetime(2026, 11, 4, 9),
            datetime(2026, 11, 18, 17),
            7,
            None,
        ),
        (
            world.codes["F"],
            "Sở Nông nghiệp và Môi trường",
            "Đất đai",
            None,
            datetime(2026, 11, 9, 9),
            datetime(2026, 11, 23, 17),
            4,
            "Đỗ Minh",
        ),
        (
            world.codes["K"],
            "Sở Xây dựng",
            "Giao thông",
            None,
            datetime(2026, 11, 13, 9),
            datetime(2026, 11, 30, 17),
            0,
            "Trần Hùng",
        ),
    ]
    assert overdue["E5"].number_format == overdue["F5"].number_format == "dd/mm/yyyy hh:mm"

    assert approx_rows(table(workbook["Chuyển và tranh chấp"])) == [
        (
            "Cơ quan",
            "Hồ sơ đã giữ",
            "Chuyển đi",
            "Tỷ lệ chuyển đi",
            "Tranh chấp phát sinh",
            "Tranh chấp bị quyết định bất lợi",
            "Từ chối",
            "Từ chối bị hủy",
        ),
        ("Sở Xây dựng", 6, 0, 0, 1, 1, 0, 0),
        ("Sở Y tế", 1, 0, 0, 0, 0, 0, 0),
        ("Sở Nông nghiệp và Môi trường", 3, 0, 0, 0, 0, 0, 0),
        ("UBND phường Phan Đình Phùng", 1, 1, 1, 0, 0, 0, 0),
        ("UBND xã Tân Cương", 0, 0, None, 0, 0, 0, 0),
        ("Văn phòng UBND tỉnh", 2, 1, 0.5, 0, 0, 1, 1),
        ("Toàn tỉnh", 13, 2, round(2 / 13, 6), 1, 1, 1, 1),
    ]

    assert table(workbook["Phối hợp"]) == [
        (
            "Cơ quan",
            "Được xin ý kiến phối hợp",
            "Trả lời phối hợp đúng hạn",
            "Trả lời phối hợp trễ hạn",
            "Chưa trả lời phối hợp",
        ),
        ("Sở Xây dựng", 1, 1, 0, 0),
        ("Sở Y tế", 0, 0, 0, 0),
        ("Sở Nông nghiệp và Môi trường", 0, 0, 0, 0),
        ("UBND phường Phan Đình Phùng", 0, 0, 0, 0),
        ("UBND xã Tân Cương", 0, 0, 0, 0),
        ("Văn phòng UBND tỉnh", 0, 0, 0, 0),
        ("Toàn tỉnh", 1, 1, 0, 0),
    ]


async def test_the_summary_names_the_ranking_and_the_heads_of_agencies_often_overdue(
    harness: Harness,
) -> None:
    """The Telegram summary: figures, the ranking with the minimum, the often-overdue section."""
    await build_november(harness)
    report = await november_report(harness)
    directory = harness.services.directory
    summary = summary_text(report, directory, "vi")
    assert summary.startswith("📊 <b>BÁO CÁO THÁNG 11/2026</b>\n<b>Tỉnh Thử Nghiệm</b>")
    assert "• Đúng hạn: 5 · Trễ hạn: 1 · Quá hạn: 3 · Chưa đến hạn: 2" in summary
    assert "• Tỷ lệ đúng hạn: 55,6%" in summary
    assert "trung vị 6,8, 90% trong 14,6" in summary
    assert "1. Sở Xây dựng – 60,0% đúng hạn, quá hạn 1" in summary
    assert "Chưa xếp hạng (dưới 5 hồ sơ): Sở Y tế, Sở Nông nghiệp và Môi trường" in summary
    assert (
        "• Sở Nông nghiệp và Môi trường – số hồ sơ quá hạn cuối mỗi tháng: 1, 1, 2 – Thủ trưởng: Giám đốc Sở NNMT"
        in summary
    )
    english = summary_text(report, directory, "en")
    assert "• On-time rate: 55.6%" in english and "Head: Giám đốc Sở NNMT" in english
    assert "<b>" not in plain_text(report, directory, "vi")
    rows = list(csv.reader(io.StringIO(render_csv(report, directory, "vi").decode("utf-8-sig"))))
    assert rows[0][:4] == ["Xếp hạng", "Mã cơ quan", "Cơ quan", "Tiếp nhận"]
    assert rows[1][:8] == ["1", "SO-XD", "Sở Xây dựng", "6", "3", "1", "1", "1"]
    assert rows[-1][2:4] == ["Toàn tỉnh", "11"]


async def test_the_chart_is_a_phone_sized_png_with_every_vietnamese_glyph(harness: Harness) -> None:
    """1080 px wide, tall enough for every agency, drawn without a single missing glyph, same bytes twice."""
    await build_november(harness)
    report = await november_report(harness)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(report, harness.services.directory, "vi")
    assert not [warning for warning in caught if "missing from" in str(warning.message)]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1080 and 900 <= height <= 2000
    assert png == render_chart(report, harness.services.directory, "vi")


def test_period_titles() -> None:
    """A month, a week from Monday, any other range."""
    assert period_title(month_period(2026, 11, HANOI), "vi") == "THÁNG 11/2026"
    week = ReportPeriod(datetime(2026, 11, 30).date(), datetime(2026, 12, 7).date(), HANOI)
    assert period_title(week, "vi") == "TUẦN 30/11/2026 – 06/12/2026"
    custom = ReportPeriod(datetime(2026, 11, 1).date(), datetime(2026, 11, 16).date(), HANOI)
    assert period_title(custom, "vi") == "TỪ 01/11/2026 ĐẾN 15/11/2026"
