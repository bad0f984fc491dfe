"""Hostile free text and what leaks from errors and logs: control characters, SQL parameters, DEBUG logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text as sql_text
from sqlmodel import select
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import PaknContext
from bot.logging_privacy import install_log_masking
from models.personal_text import mask_personal_text
from models.tables import InboxUpdate, ItemEvent
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import claim, seat_everyone, submit_road_item

HOSTILE_TEXT = "Cống\x00 thoát nước\x07 bị tắc\x1b[31m, nước tràn\x7f vào nhà\u0085 dân từ sáng nay."


async def test_control_characters_never_reach_the_database(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Môi trường", text=HOSTILE_TEXT)
    item = await harness.item(code)
    assert item.text == "Cống  thoát nước  bị tắc [31m, nước tràn  vào nhà  dân từ sáng nay."
    await harness.say(CITIZEN, f"/add {code} Thêm\x00 ảnh\x08 sau")
    async with harness.session() as session:
        events = (await session.exec(select(ItemEvent).where(ItemEvent.item_id == item.id))).all()
        added = [event for event in events if event.action == "citizen_added_information"]
        failed = (await session.exec(select(InboxUpdate).where(InboxUpdate.last_error.is_not(None)))).all()  # type: ignore[union-attr]
    assert added and added[0].detail["text"] == "Thêm  ảnh  sau"
    assert failed == []


async def test_a_failing_update_stores_and_logs_no_sql_parameters(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_handler(update: Update, context: PaknContext) -> None:
        message = update.effective_message
        assert message is not None
        # a statement that fails on both databases, with the citizen's words as its parameter
        await context.session.exec(
            sql_text("INSERT INTO citizen (telegram_user_id, language) VALUES (NULL, :words)"),  # type: ignore[call-overload]
            params={"words": message.text},
        )

    harness.application.add_handler(MessageHandler(filters.Regex("BROKEN"), broken_handler), group=-5)
    install_log_masking()
    await harness.say(CITIZEN, "BROKEN mật khẩu-bí-mật-42 gọi 0912345678")
    async with harness.session() as session:
        row = (await session.exec(select(InboxUpdate).where(InboxUpdate.last_error.is_not(None)))).one()  # type: ignore[union-attr]
    assert row.last_error and "Error" in row.last_error
    assert "hide_parameters" in row.last_error  # the database error is kept, without its parameters
    for stored in (row.last_error, caplog.text):
        assert "mật khẩu-bí-mật-42" not in stored and "0912345678" not in stored


async def test_debug_logs_hold_no_free_text_phone_or_sql_parameters(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_masking()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements and their parameters
    try:
        await submit_item(
            harness,
            CITIZEN,
            category="Đất đai",
            text="Hàng xóm lấn chiếm lối đi chung, tôi là Lan, e-mail lan.nguyen@example.com.",
            share_phone="0912345678",
        )
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    assert any("INSERT INTO item" in record.getMessage() for record in caplog.records)
    logged = caplog.text
    for secret in ("lấn chiếm lối đi", "lan.nguyen@example.com", "0912345678", "Nguyễn"):
        assert secret not in logged, secret


async def test_a_handled_raw_update_keeps_only_its_id(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)  # the press carries the card, and the card shows the item text
    async with harness.session() as session:
        rows = (await session.exec(select(InboxUpdate))).all()
    assert rows and all(row.processed_at is not None for row in rows)
    kept: list[dict[str, Any]] = [row.payload for row in rows]
    assert kept == [{"update_id": row.update_id} for row in rows]
    assert all(row.chat_id is None for row in rows)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("CCCD 001088012345.", "CCCD ***."),
        ("CMND 123 456 789, cấp năm 2010", "CMND ***, cấp năm 2010"),
        ("số 001 088 012 345", "số ***"),
        ("gọi 0977 111 222 nhé", "gọi *** nhé"),
        ("gọi +84 912 345 678", "gọi ***"),
        ("thư cho lan.nguyen@example.com.vn nhé", "thư cho *** nhé"),
        # amounts, areas, dates and times stay: they are the petition's substance
        ("bồi thường 1.000.000.000 đồng cho 2.500,5 m2", "bồi thường 1.000.000.000 đồng cho 2.500,5 m2"),
        ("ngày 03/12/2026 lúc 17:00", "ngày 03/12/2026 lúc 17:00"),
    ],
)
def test_erasure_masks_typed_personal_data_but_not_the_substance(typed: str, kept: str) -> None:
    assert mask_personal_text(typed) == kept


def test_known_names_are_masked_as_whole_words_only() -> None:
    assert mask_personal_text("Tôi là Lan, ở gần Lanh Hồ", ["Lan"]) == "Tôi là ***, ở gần Lanh Hồ"
