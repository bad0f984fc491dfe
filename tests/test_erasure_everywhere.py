"""After /mydata erasure no column of any table holds the citizen's id, phone, username, name or typed data.

The citizen goes through everything that stores something: a submission with a shared phone and personal
data typed into the text, an officer's question and the citizen's answer, an addition, a "not satisfied"
rating with a comment, officers pressing the card (raw group updates carry the card with the phone).
Then the whole database, as reflected from the server, is searched.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from tests.flows import submit_item
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_XD,
    XD_GROUP,
    answer_item,
    card_of,
    claim,
    last_bot_message,
    reply_in_group,
    seat_everyone,
    start_prompt,
)
from tests.updates import TgUser

CITIZEN = TgUser(id=987654321, first_name="Xuyến", last_name="Đặng", username="xuyen_dang88")
SHARED_PHONE = "0912345678"
TYPED_PHONE = "0977 111 222"
TYPED_EMAIL = "xuyen.dang88@example.com"
TYPED_ID_NUMBER = "001088012345"
TEXT = (
    "Đoạn đường trước số nhà 12 bị sụt lún từ tuần trước, xe máy đi qua rất nguy hiểm. "
    f"Tôi là Xuyến, gọi {TYPED_PHONE} hoặc e-mail {TYPED_EMAIL}, CCCD {TYPED_ID_NUMBER}."
)
NEEDLES = (
    str(CITIZEN.id),
    SHARED_PHONE,
    TYPED_PHONE,
    TYPED_PHONE.replace(" ", ""),
    TYPED_EMAIL,
    TYPED_ID_NUMBER,
    "xuyen_dang88",
    "Xuyến",
    "Đặng",
)


def _as_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _find_everywhere(connection: Connection) -> list[tuple[str, str, str]]:
    """Return (table, column, needle) for every stored value that contains a needle."""
    metadata = MetaData()
    metadata.reflect(connection)
    found = []
    assert "outboxmessage" in metadata.tables and "inboxupdate" in metadata.tables
    for table in metadata.sorted_tables:
        for row in connection.execute(select(table)).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                stored = _as_text(value)
                found.extend((table.name, column, needle) for needle in NEEDLES if needle in stored)
    return found


async def search_every_table(harness: Harness) -> list[tuple[str, str, str]]:
    """Search every column of every table in the bot's database for the citizen."""
    async with harness.services.engine.connect() as connection:
        return await connection.run_sync(_find_everywhere)


async def live_through_everything(harness: Harness) -> str:
    """Walk one citizen through each flow that stores something about them; return the item's code."""
    seat_everyone(harness)
    code = await submit_item(harness, CITIZEN, category="Giao thông", text=TEXT, share_phone=SHARED_PHONE)
    assert code is not None
    await claim(harness, code)
    prompt = await start_prompt(harness, code, "Hỏi thêm")
    await reply_in_group(
        harness, OFFICER_XD, prompt, "Xin cho biết đoạn đường sụt lún dài khoảng bao nhiêu mét?"
    )
    question = last_bot_message(harness, CITIZEN.id)
    await harness.say(
        CITIZEN, f"Khoảng 15 mét. Số khác của tôi: {TYPED_PHONE}, {TYPED_EMAIL}.", reply_to=question
    )
    await harness.say(CITIZEN, f"/add {code} Thêm: CCCD {TYPED_ID_NUMBER}, gọi {TYPED_PHONE} sau 17 giờ.")
    await answer_item(harness, code)
    await harness.press(CITIZEN, CITIZEN.id, "Chưa hài lòng")
    await harness.say(
        CITIZEN,
        f"Chưa vá xong. Liên hệ {TYPED_EMAIL} hoặc {SHARED_PHONE}.",
        reply_to=last_bot_message(harness, CITIZEN.id),
    )
    await harness.deliver_everything()
    return code


async def test_erasure_leaves_no_trace_of_the_citizen_in_any_table(harness: Harness) -> None:
    code = await live_through_everything(harness)
    before = await search_every_table(harness)
    # the search can fail: before erasure the citizen is all over the database
    assert {table for table, _, _ in before} >= {"item", "itemevent", "outboxmessage", "citizen"}

    await harness.say(CITIZEN, "/mydata")
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu")
    await harness.deliver_everything()
    confirmation = harness.last_text(CITIZEN.id)
    assert "đã được ẩn danh" in confirmation and "cũng đã được che" in confirmation

    assert await search_every_table(harness) == []
    item = await harness.item(code)
    assert "sụt lún" in item.text and "***" in item.text  # the petition itself stays, masked
    assert "sụt lún" in card_of(harness, XD_GROUP, code)["text"]
    assert TYPED_EMAIL not in card_of(harness, XD_GROUP, code)["text"]  # the card was refreshed, masked


async def test_the_confirmation_is_forgotten_only_once_delivered(harness: Harness) -> None:
    """The confirmation is forgotten only once it is delivered: a failed first try keeps it queued."""
    await live_through_everything(harness)
    await harness.say(CITIZEN, "/mydata")
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu cá nhân")
    harness.fake.inject_faults(rate_500=1.0)
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu")
    assert [row.chat_id for row in await harness.pending_outbox()] == [CITIZEN.id]
    assert all(row.item_id is None for row in await harness.pending_outbox())  # unlinked at once
    harness.fake.clear_faults()
    await harness.deliver_everything()
    assert "đã được ẩn danh" in harness.last_text(CITIZEN.id)
    assert await search_every_table(harness) == []
