"""Issue 8, item 6 through the real Application: a centrally governed city reads as a city everywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest_asyncio

from models.clock import ManualClock
from tests.escalation_world import XD_GROUP, make_item, sweep
from tests.fake_telegram import FakeTelegram
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness, build_harness, make_settings
from tests.officer_world import press_on, reply_in_group
from tests.updates import TgUser

CITY_DIRECTORY = Path(__file__).parent / "data" / "city-province.yaml"
CITY_XD_GROUP = -1003100
CITY_SUPERVISORS_GROUP = -1009100
CITY_OFFICER = TgUser(id=8111, first_name="Nam", last_name="Lý")


@pytest_asyncio.fixture
async def city_harness(
    database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real application running for Thành phố Cần Thơ."""
    harness = await build_harness(
        make_settings(database_url, fake_telegram, directory_file=CITY_DIRECTORY), fake_telegram, clock
    )
    try:
        yield harness
    finally:
        await harness.close()


def everything_sent(harness: Harness) -> list[str]:
    """Every text the bot sent or edited, in any chat."""
    texts: list[str] = []
    for call in harness.fake.sent():
        for message in getattr(call, "messages", []) or []:
            texts.append(str(message.get("text") or message.get("caption") or ""))
    return texts


async def test_a_city_item_from_welcome_to_rejection_never_says_tinh(city_harness: Harness) -> None:
    harness = city_harness
    harness.fake.set_member(CITY_XD_GROUP, CITY_OFFICER.id)
    await harness.say(CITIZEN, "/start")
    welcome = harness.last_text(CITIZEN.id)
    assert "trên địa bàn thành phố Cần Thơ" in welcome
    assert "Ban Tiếp công dân thành phố Cần Thơ" in welcome

    code = await submit_item(harness, CITIZEN, category="Giao thông")
    assert code is not None
    card = next(message for message in harness.bot_messages(CITY_XD_GROUP) if code in message["text"])
    await press_on(harness, CITY_OFFICER, card, "Từ chối")
    prompt = harness.last_message(CITY_XD_GROUP)
    assert "Văn phòng UBND thành phố Cần Thơ có thể xem xét lại" in prompt["text"]
    await reply_in_group(harness, CITY_OFFICER, prompt, "Nội dung quảng cáo, không phải phản ánh.")
    assert "Văn phòng UBND thành phố Cần Thơ sẽ xem xét lại" in harness.last_text(CITY_XD_GROUP)
    assert "Văn phòng UBND thành phố Cần Thơ xem xét lại" in harness.last_text(CITIZEN.id)

    said_tinh = [message for message in everything_sent(harness) if "tỉnh" in message.lower()]
    assert said_tinh == []


async def test_when_the_directory_names_no_leaders_the_group_is_told_in_its_own_sentence(
    harness: Harness,
) -> None:
    """The test province's Department of Construction lists no leaders."""
    item = await make_item(harness, category="giao-thong", citizen_telegram_user_id=CITIZEN.id)
    harness.clock.advance(timedelta(days=3))
    await sweep(harness)
    unclaimed = [message for message in harness.fake.texts(XD_GROUP) if "vẫn chưa có cán bộ" in message]
    assert len(unclaimed) == 1 and item.code in unclaimed[0]
    assert "Danh bạ chưa có lãnh đạo của Sở Xây dựng nên bot chưa báo cáo được lãnh đạo." in unclaimed[0]
    assert "Bot đã báo cáo lãnh đạo" not in unclaimed[0]
    assert (
        "(hạn nhận xử lý: 09:00 thứ Ba, 08/12/2026)" in unclaimed[0]
    )  # a date inside a sentence, no "trước"
