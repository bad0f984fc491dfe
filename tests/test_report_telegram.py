"""/report in the groups and the scheduled weekly and monthly reports, through the real Application."""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.application import build_services
from handlers.supervisor_reports import parse_report_period
from models.outbox import Outbox
from models.report_periods import ReportPeriod, month_period
from models.tables import OutboxFile, OutboxMessage, OutboxStatus
from scheduler.periodic_reports import MONTHLY_KIND, WEEKLY_KIND, reports_due, run_periodic_reports
from tests.harness import Harness
from tests.officer_world import (
    NNMT_GROUP,
    OFFICER_NNMT,
    OFFICER_XD,
    SUPERVISOR,
    SUPERVISORS_GROUP,
    seat_everyone,
)
from tests.report_world import HANOI, build_november, local
from tests.updates import TgUser

STRANGER = TgUser(id=8999, first_name="Người", last_name="Lạ")
UNBOUND_GROUP = -1007777


def sends(harness: Harness, chat_id: int) -> list[str]:
    """Return the send methods called successfully for a chat, in order."""
    return [call.method for call in harness.fake.sent(chat_id) if call.method.startswith("send")]


def uploads(harness: Harness, chat_id: int) -> list[tuple[str, dict[str, object]]]:
    """Return the photos and documents sent to a chat with what was uploaded."""
    return [
        (call.method, call.params.get("photo") or call.params.get("document"))  # type: ignore[misc]
        for call in harness.fake.sent(chat_id)
        if call.method in ("sendPhoto", "sendDocument")
    ]


async def stored_workbook(harness: Harness, chat_id: int):  # type: ignore[no-untyped-def]
    """Open the last workbook queued to a chat, from the bytes the outbox stored."""
    async with harness.session() as session:
        rows = (
            await session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == chat_id, OutboxMessage.method == "send_file")
                .order_by(col(OutboxMessage.id))
            )
        ).all()
        document = [row for row in rows if row.payload["media_type"] == "document"][-1]
        stored = await session.get(OutboxFile, document.payload["file_ref"])
        assert stored is not None
        return load_workbook(io.BytesIO(stored.content)), stored


async def test_report_in_the_supervisors_group_sends_summary_chart_and_workbook(harness: Harness) -> None:
    """Last month by default: the summary, then the PNG as a photo, then the XLSX as a document."""
    await build_november(harness)
    seat_everyone(harness)
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/report")
    assert sends(harness, SUPERVISORS_GROUP) == ["sendMessage", "sendPhoto", "sendDocument"]
    summary = harness.last_text(SUPERVISORS_GROUP)
    texts = harness.fake.texts(SUPERVISORS_GROUP)
    assert texts[0].startswith("📊 BÁO CÁO THÁNG 11/2026\nTỉnh Thử Nghiệm")
    assert "Sở Nông nghiệp và Môi trường – số hồ sơ quá hạn cuối mỗi tháng: 1, 1, 2" in texts[0]
    assert "THÁNG 11/2026" in summary  # the caption of the document
    sent = uploads(harness, SUPERVISORS_GROUP)
    workbook, stored = await stored_workbook(harness, SUPERVISORS_GROUP)
    assert stored.file_name == "bao-cao-test-2026-11-01-2026-11-30.xlsx"
    assert (sent[1][1]["file_name"], sent[1][1]["size"]) == (stored.file_name, stored.size)  # type: ignore[index]
    assert workbook["Tổng hợp theo cơ quan"]["C5"].value == "Sở Xây dựng"
    assert int(sent[0][1]["size"]) > 10_000  # type: ignore[index, call-overload]


async def test_an_agency_group_gets_only_its_own_report(harness: Harness) -> None:
    """An officer's /report in the agency's group covers that agency alone."""
    await build_november(harness)
    seat_everyone(harness)
    await harness.say_in_group(NNMT_GROUP, OFFICER_NNMT, "/report 2026-11")
    summary = harness.fake.texts(NNMT_GROUP)[0]
    assert "BÁO CÁO THÁNG 11/2026\nSở Nông nghiệp và Môi trường" in summary
    assert "Tiếp nhận: 3" in summary and "Sở Xây dựng" not in summary
    workbook, _ = await stored_workbook(harness, NNMT_GROUP)
    agencies = workbook["Tổng hợp theo cơ quan"]
    assert [agencies.cell(row=row, column=3).value for row in (5, 6)] == [
        "Sở Nông nghiệp và Môi trường",
        "Tổng cộng",
    ]
    assert sends(harness, NNMT_GROUP) == [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
    ]


async def test_who_may_ask_for_a_report(harness: Harness) -> None:
    """Non-members, another agency's officer, an unbound group and bad periods get a polite answer only."""
    await build_november(harness)
    seat_everyone(harness)
    await harness.say_in_group(SUPERVISORS_GROUP, STRANGER, "/report")
    assert (
        harness.last_text(SUPERVISORS_GROUP)
        == "Chỉ thành viên của nhóm cơ quan mới được thao tác trên hồ sơ này."
    )
    await harness.say_in_group(NNMT_GROUP, OFFICER_XD, "/report")  # a member of SO-XD's group only
    assert "Chỉ thành viên" in harness.last_text(NNMT_GROUP)
    await harness.say_in_group(UNBOUND_GROUP, SUPERVISOR, "/report")
    assert harness.last_text(UNBOUND_GROUP).startswith("Lệnh /report dùng trong nhóm giám sát")
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/report 2026-13")
    assert harness.last_text(SUPERVISORS_GROUP).startswith("Chưa hiểu kỳ báo cáo.")
    for chat_id in (SUPERVISORS_GROUP, NNMT_GROUP, UNBOUND_GROUP):
        assert not [
            call for call in harness.fake.sent(chat_id) if call.method in ("sendPhoto", "sendDocument")
        ]


async def test_files_survive_429_and_5xx_and_go_out_once(harness: Harness) -> None:
    """Telegram refuses the uploads with 429, then 500: the stored bytes go out later, each once."""
    await build_november(harness)
    seat_everyone(harness)
    # the limiter's pauses follow the test's clock instead of the machine's, so nothing sleeps
    harness.runtime.delivery.limiter.monotonic = lambda: harness.clock.now().timestamp()
    harness.fake.inject_faults(rate_429=1.0, retry_after=30, methods={"sendPhoto", "sendDocument"})
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/report tuần")
    assert sends(harness, SUPERVISORS_GROUP) == ["sendMessage"]
    assert len(await harness.pending_outbox()) == 2
    harness.fake.inject_faults(rate_500=1.0, methods={"sendPhoto", "sendDocument"})
    harness.clock.advance(timedelta(seconds=31))
    await harness.deliver()
    assert len(await harness.pending_outbox()) == 2
    harness.fake.clear_faults()
    await harness.deliver_everything()
    assert sends(harness, SUPERVISORS_GROUP) == ["sendMessage", "sendPhoto", "sendDocument"]
    assert "TUẦN 30/11/2026 – 06/12/2026" in harness.last_text(SUPERVISORS_GROUP)
    async with harness.session() as session:
        statement = select(OutboxMessage).where(OutboxMessage.method == "send_file")
        rows = (await session.exec(statement.order_by(col(OutboxMessage.id)))).all()
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    # the photo met the 429 and the 500; the workbook waited behind it, in order, and went at once
    assert [row.attempts for row in rows] == [3, 1]


async def test_weekly_and_monthly_reports_go_once_with_two_schedulers(harness: Harness) -> None:
    """Two instances at 08:00 on Monday 04/01/2027 (1/1 is a holiday): one weekly and one monthly report."""
    other = build_services(harness.services.settings, clock=harness.clock)
    try:
        harness.clock.set(local(12, 8, 8))  # Tuesday: nothing is due
        assert await run_periodic_reports(harness.services) == []
        harness.clock.set(local(12, 28, 8).replace(year=2026) + timedelta(days=7))  # Monday 04/01/2027
        first, second = await asyncio.gather(
            run_periodic_reports(harness.services), run_periodic_reports(other)
        )
        assert sorted(due.kind for due in first + second) == [MONTHLY_KIND, WEEKLY_KIND]
        harness.clock.advance(timedelta(hours=1))  # a misfired re-run the same morning
        assert await run_periodic_reports(other) == []
    finally:
        await other.engine.dispose()
    await harness.deliver_everything()
    assert sends(harness, SUPERVISORS_GROUP) == ["sendMessage", "sendPhoto", "sendDocument"] * 2
    texts = [text for text in harness.fake.texts(SUPERVISORS_GROUP) if text.startswith("📊")]
    assert sorted(text.split("\n")[0] for text in texts) == [
        "📊 BÁO CÁO THÁNG 12/2026",
        "📊 BÁO CÁO TUẦN 28/12/2026 – 03/01/2027",
    ]


def test_which_reports_fall_due_on_which_day(harness: Harness) -> None:
    """First working day of the week and of the month, holidays and weekends skipped."""
    calendar = harness.services.calendar

    def kinds(day: date) -> list[str]:
        return [due.kind for due in reports_due(calendar, day)]

    assert kinds(date(2026, 12, 7)) == [WEEKLY_KIND]  # Monday
    assert kinds(date(2026, 12, 1)) == [MONTHLY_KIND]  # Tuesday, first day of December
    assert kinds(date(2026, 12, 8)) == []
    assert kinds(date(2027, 1, 1)) == []  # New Year's Day
    assert kinds(date(2027, 1, 4)) == [WEEKLY_KIND, MONTHLY_KIND]
    # 31/8 (substituted day off), 1/9 and 2/9 (National Day): Thursday 3/9 is the first working day
    assert kinds(date(2026, 8, 31)) == [] and kinds(date(2026, 9, 2)) == []
    assert kinds(date(2026, 9, 3)) == [WEEKLY_KIND, MONTHLY_KIND]
    due = reports_due(calendar, date(2026, 9, 3))
    assert [item.period for item in due] == [
        ReportPeriod(date(2026, 8, 24), date(2026, 8, 31), HANOI),
        month_period(2026, 8, HANOI),
    ]


def test_report_arguments() -> None:
    """Empty, tuần, a month two ways, a day, a range (inclusive); nonsense and the future are refused."""
    today = date(2026, 12, 7)

    def parse(argument: str) -> ReportPeriod | None:
        return parse_report_period(argument, today=today, timezone=HANOI)

    assert parse("") == month_period(2026, 11, HANOI)
    assert parse("tuần") == parse("TUAN") == ReportPeriod(date(2026, 11, 30), date(2026, 12, 7), HANOI)
    assert parse("2026-11") == parse("11/2026") == month_period(2026, 11, HANOI)
    assert parse("2026-11-01 2026-11-15") == ReportPeriod(date(2026, 11, 1), date(2026, 11, 16), HANOI)
    assert parse("01/11/2026 15/11/2026") == parse("2026-11-01 2026-11-15")
    assert parse("2026-12-07") == ReportPeriod(date(2026, 12, 7), date(2026, 12, 8), HANOI)
    for bad in (
        "2026-13",
        "2027-01",
        "2026-11-15 2026-11-01",
        "2026-02-30",
        "hôm qua",
        "a b c",
        "2024-01-01 2026-01-01",
    ):
        assert parse(bad) is None, bad


async def test_an_upload_over_the_limit_is_refused_and_a_lost_file_is_not_retried(harness: Harness) -> None:
    """Telegram's 10 MB photo limit is checked when queueing; a row whose bytes are gone is undeliverable."""
    async with harness.session() as session:
        outbox = Outbox(session, harness.clock.now())
        with pytest.raises(ValueError):
            await outbox.send_file(
                SUPERVISORS_GROUP,
                media_type="photo",
                file_name="x.png",
                content_type="image/png",
                content=b"0" * (10 * 1024 * 1024 + 1),
            )
        await outbox.send_file(
            SUPERVISORS_GROUP, media_type="document", file_name="a.xlsx", content_type="x", content=b"PK"
        )
    async with harness.session() as session:
        row = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == SUPERVISORS_GROUP))
        ).one()
        row.payload = {**row.payload, "file_ref": 10**9}  # its stored bytes are gone
        session.add(row)
    await harness.deliver()
    async with harness.session() as session:
        stored = await session.get(OutboxMessage, row.id)
    assert stored is not None and stored.status is OutboxStatus.UNDELIVERABLE
    assert "no stored file" in (stored.last_error or "")
    assert sends(harness, SUPERVISORS_GROUP) == []


async def test_generated_files_are_deleted_after_their_retention_once_nothing_uploads_them(
    harness: Harness,
) -> None:
    """A sent report file goes after a week; a file a pending message still uploads stays."""

    async def queue(name: str) -> int:
        async with harness.session() as session:
            row = await Outbox(session, harness.clock.now()).send_file(
                SUPERVISORS_GROUP, media_type="document", file_name=name, content_type="x", content=b"PK"
            )
            return int(row.payload["file_ref"])

    async def stored_files() -> set[int]:
        async with harness.session() as session:
            return {file.id for file in (await session.exec(select(OutboxFile))).all() if file.id}

    sent_file = await queue("sent.xlsx")
    await harness.deliver()
    waiting_file = await queue("waiting.xlsx")
    await harness.runtime.purge_generated_files(harness.clock.now())
    assert await stored_files() == {sent_file, waiting_file}  # both younger than a week

    harness.clock.advance(timedelta(days=8))
    await harness.runtime.purge_generated_files(harness.clock.now())
    assert await stored_files() == {waiting_file}
    await harness.deliver()
    assert len(sends(harness, SUPERVISORS_GROUP)) == 2  # the waiting file still went out
