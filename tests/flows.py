"""Reusable journeys through the bot, written the way a person would click through them."""

from __future__ import annotations

import re

from models.descriptions import FRAGMENT_MIN_CHARS

# The usual actors are re-exported: many tests import them from here.
from tests.constants import CITIZEN, OTHER_CITIZEN  # noqa: F401
from tests.harness import Harness
from tests.updates import TgUser

VALID_TEXT = "Đoạn đường trước số nhà 12 bị sụt lún từ tuần trước, xe máy đi qua rất nguy hiểm."
CODE_PATTERN = re.compile(r"\b((?:PA|KN)-[0-9A-Z]{6})\b")


async def submit_item(
    harness: Harness,
    citizen: TgUser,
    *,
    category: str,
    kind: str = "Phản ánh",
    text: str = VALID_TEXT,
    locality_query: str | None = None,
    locality_button: str | None = None,
    locality_unknown: bool = False,
    business: tuple[str, str] | None = None,
    photo: bool = False,
    share_phone: str | None = None,
    stop_before_contact: bool = False,
    stop_at_summary: bool = False,
    expect_code: bool = True,
) -> str | None:
    """Walk the submit conversation with buttons and return the tracking code from the receipt."""
    chat = citizen.id
    await harness.say(citizen, "/new")
    await harness.press(citizen, chat, kind)
    if business:
        await harness.press(citizen, chat, "Doanh nghiệp")
        await harness.say(citizen, business[0])
        await harness.say(citizen, business[1])
    else:
        await harness.press(citizen, chat, "Cá nhân")
    await harness.press(citizen, chat, category)
    if locality_query and locality_button:
        await harness.say(citizen, locality_query)
        await harness.press(citizen, chat, locality_button)
    else:
        await harness.say(citizen, "Không rõ địa bàn")
    await harness.say(citizen, text)
    if len(text) >= FRAGMENT_MIN_CHARS:  # a long message may be the first part of a split paste
        await harness.press(citizen, chat, "Xong phần nội dung")
    if photo:
        await harness.feed(harness.updates.private_photo(citizen))
        await harness.press(citizen, chat, "Xong")
    else:
        await harness.press(citizen, chat, "Bỏ qua")
    if stop_before_contact:
        return None
    if share_phone:
        await harness.feed(harness.updates.private_contact(citizen, share_phone))
    else:
        await harness.say(citizen, "Bỏ qua")
    if stop_at_summary:
        return None
    await harness.press(citizen, chat, "Gửi")
    match = CODE_PATTERN.search(harness.last_text(chat))
    if not expect_code:
        return None if match is None or "Mã hồ sơ" not in harness.last_text(chat) else match.group(1)
    assert match is not None, harness.last_text(chat)
    assert "Mã hồ sơ" in harness.last_text(chat) or "Tracking code" in harness.last_text(chat)
    return match.group(1)
