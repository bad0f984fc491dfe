"""Issue 8: a split paste is joined or refused whole, stickers are named, the hourly limit is told at /new."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest_asyncio

from models.clock import ManualClock
from models.descriptions import DescriptionOutcome, finish_description, take_description_part
from models.tables import ConversationDraft
from tests.constants import MONDAY_MORNING
from tests.fake_telegram import FakeTelegram
from tests.flows import CITIZEN, VALID_TEXT, submit_item
from tests.harness import Harness, build_harness, make_settings, ready_draft, send_press

SENTENCE = "Nước thải từ khu chế biến chảy thẳng ra mương thoát nước chung của tổ dân phố số {n}. "


def long_text(length: int, start: int = 1) -> str:
    """Return a realistic Vietnamese text of exactly `length` characters."""
    pieces: list[str] = []
    n = start
    while sum(map(len, pieces)) < length:
        pieces.append(SENTENCE.format(n=n))
        n += 1
    text = "".join(pieces)[:length]
    return text[:-1] + "." if text[-1].isspace() else text


async def reach_description(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Môi trường")
    await harness.say(CITIZEN, "Không rõ địa bàn")
    assert "Bước 5/7" in harness.last_text(CITIZEN.id)
    assert "nhiều tin nhắn" in harness.last_text(CITIZEN.id)  # the prompt explains the joining


async def draft_of(harness: Harness) -> ConversationDraft | None:
    async with harness.session() as session:
        return await session.get(ConversationDraft, CITIZEN.id)


async def test_a_paste_split_by_telegram_is_joined_and_the_limit_applies_to_the_whole(
    harness: Harness,
) -> None:
    await reach_description(harness)
    first, second = long_text(4090), long_text(1500, start=200)
    await harness.say(CITIZEN, first)
    notice = harness.last_text(CITIZEN.id)
    assert "4090/8000" in notice and "gửi tiếp" in notice
    draft = await draft_of(harness)
    assert draft is not None and draft.step == "description" and draft.data.text is None
    harness.clock.advance(timedelta(seconds=1))
    await harness.say(CITIZEN, second)
    assert "Bước 6/7" in harness.last_text(CITIZEN.id)
    draft = await draft_of(harness)
    assert draft is not None and draft.data.text == first + "\n" + second
    assert draft.data.description_parts is None
    await harness.press(CITIZEN, CITIZEN.id, "Bỏ qua")
    await harness.say(CITIZEN, "Bỏ qua")
    await harness.press(CITIZEN, CITIZEN.id, "Gửi")
    (item,) = await harness.items()
    assert item.text == first + "\n" + second


async def test_a_too_long_paste_is_refused_whole_and_no_fragment_is_taken(harness: Harness) -> None:
    await reach_description(harness)
    parts = [long_text(4090), long_text(4090, start=100), long_text(900, start=300)]
    await harness.say(CITIZEN, parts[0])
    harness.clock.advance(timedelta(seconds=1))
    await harness.say(CITIZEN, parts[1])
    refusal = harness.last_text(CITIZEN.id)
    assert "8181 ký tự" in refusal and "vượt quá 8000" in refusal and "các phần còn lại" in refusal
    harness.clock.advance(timedelta(seconds=1))
    sent_before = len(harness.fake.texts(CITIZEN.id))
    await harness.say(CITIZEN, parts[2])  # the tail of the same paste: never a description on its own
    assert len(harness.fake.texts(CITIZEN.id)) == sent_before
    draft = await draft_of(harness)
    assert draft is not None and draft.step == "description" and draft.data.text is None
    harness.clock.advance(timedelta(minutes=2))  # the citizen shortened it and sends it again
    await harness.say(CITIZEN, VALID_TEXT)
    assert "Bước 6/7" in harness.last_text(CITIZEN.id)
    draft = await draft_of(harness)
    assert draft is not None and draft.data.text == VALID_TEXT


async def test_one_long_message_is_taken_when_the_citizen_says_it_is_all(harness: Harness) -> None:
    await reach_description(harness)
    text = long_text(3800)
    await harness.say(CITIZEN, text)
    await harness.press(CITIZEN, CITIZEN.id, "Xong phần nội dung")
    assert "Bước 6/7" in harness.last_text(CITIZEN.id)
    draft = await draft_of(harness)
    assert draft is not None and draft.data.text == text


async def test_a_sticker_at_the_description_step_gets_the_sticker_notice(harness: Harness) -> None:
    await reach_description(harness)
    await harness.feed(harness.updates.private_sticker(CITIZEN))
    notice = harness.last_text(CITIZEN.id)
    assert "nhãn dán" in notice and "ký tự" not in notice
    draft = await draft_of(harness)
    assert draft is not None and draft.step == "description"
    await harness.say(CITIZEN, VALID_TEXT)
    assert "Bước 6/7" in harness.last_text(CITIZEN.id)


async def test_a_photo_without_text_at_the_description_step_asks_for_text(harness: Harness) -> None:
    await reach_description(harness)
    await harness.feed(harness.updates.private_photo(CITIZEN))
    assert "gõ nội dung bằng chữ" in harness.last_text(CITIZEN.id)
    draft = await draft_of(harness)
    assert draft is not None and draft.step == "description"


@pytest_asyncio.fixture
async def two_an_hour(
    database_url: str, fake_telegram: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The real bot with a limit of two items an hour."""
    settings = make_settings(database_url, fake_telegram, submissions_per_hour=2)
    h = await build_harness(settings, fake_telegram, clock)
    try:
        yield h
    finally:
        await h.close()


async def test_the_hourly_limit_is_told_at_new_with_the_time_to_come_back(two_an_hour: Harness) -> None:
    harness = two_an_hour
    await submit_item(harness, CITIZEN, category="Giao thông")  # 09:00
    harness.clock.advance(timedelta(minutes=10))
    await submit_item(harness, CITIZEN, category="Y tế", text=long_text(200))  # 09:10
    harness.clock.advance(timedelta(minutes=5))
    await harness.say(CITIZEN, "/new")
    notice = harness.last_text(CITIZEN.id)
    assert "2 hồ sơ trong một giờ qua" in notice and "từ 10:00 thứ Hai, 07/12/2026" in notice
    assert await draft_of(harness) is None  # no step is shown, nothing to fill in for nothing
    harness.clock.advance(timedelta(minutes=45))  # 10:00: the 09:00 item has left the hour
    await harness.say(CITIZEN, "/new")
    assert "Bước 1/7" in harness.last_text(CITIZEN.id)


async def test_the_hourly_limit_is_checked_again_at_send_and_keeps_the_draft(two_an_hour: Harness) -> None:
    harness = two_an_hour
    await submit_item(harness, CITIZEN, category="Giao thông")
    harness.clock.advance(timedelta(minutes=20))
    await submit_item(harness, CITIZEN, category="Y tế", text=long_text(200))
    async with harness.session() as session:  # a draft already at the summary (started earlier)
        session.add(
            ready_draft(CITIZEN.id, category_code="khac", text=long_text(300), now=harness.clock.now())
        )
    await harness.feed(send_press(harness.updates, harness.services.signer, CITIZEN))
    notice = harness.last_text(CITIZEN.id)
    assert "từ 10:00 thứ Hai, 07/12/2026" in notice and "vẫn được giữ" in notice
    assert len(await harness.items()) == 2
    assert await draft_of(harness) is not None


def test_a_refused_paste_stops_swallowing_once_its_parts_stop_coming() -> None:
    start = MONDAY_MORNING
    window = timedelta(seconds=10)
    limits = {"window": window, "minimum": 20, "maximum": 8000}
    first = take_description_part(None, "a " * 2100, now=start, **limits)
    assert first.outcome is DescriptionOutcome.COLLECTING
    second = take_description_part(first.pending, "b " * 2100, now=start + timedelta(seconds=1), **limits)
    assert second.outcome is DescriptionOutcome.TOO_LONG and second.pending is not None
    tail = take_description_part(second.pending, "c " * 2100, now=start + timedelta(seconds=9), **limits)
    assert tail.outcome is DescriptionOutcome.IGNORED  # the window slides with each part
    later = take_description_part(tail.pending, VALID_TEXT, now=start + timedelta(seconds=30), **limits)
    assert later.outcome is DescriptionOutcome.ACCEPTED and later.text == VALID_TEXT


def test_done_without_parts_asks_again_and_a_short_paste_is_too_short() -> None:
    assert finish_description(None, minimum=20, maximum=8000).outcome is DescriptionOutcome.NOTHING
    step = take_description_part(
        None, "ngắn", now=MONDAY_MORNING, window=timedelta(seconds=10), minimum=20, maximum=8000
    )
    assert step.outcome is DescriptionOutcome.TOO_SHORT and step.pending is None
