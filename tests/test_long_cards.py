"""Issue 8.4: a card with a long citizen's text stays whole and readable through every edit."""

from __future__ import annotations

from typing import Any

from models.tables import ItemState
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    ANSWER_TEXT,
    OFFICER_XD,
    XD_GROUP,
    buttons_of,
    card_of,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
)
from tests.updates import utf16_len

PARAGRAPH = (
    "Đoạn {n}: mặt đường tỉnh lộ qua tổ dân phố số {n} bị sụt lún sâu, nước đọng kéo dài; "
    "xe tải > 10 tấn & xe khách vẫn đi qua hằng ngày, người đi xe máy phải né sát lề.\n\n"
)


def long_description(length: int) -> str:
    """Return a realistic text of exactly `length` characters, with < and & that must be escaped."""
    pieces: list[str] = []
    n = 1
    while sum(map(len, pieces)) < length:
        pieces.append(PARAGRAPH.format(n=n))
        n += 1
    body = "".join(pieces)[: length - len(" HẾT.")].rstrip()
    return (body + " HẾT.").rjust(length, "-")


def full_text_parts(harness: Harness, code: str) -> list[dict[str, Any]]:
    return [
        message
        for message in harness.bot_messages(XD_GROUP)
        if message.get("text", "").startswith("📄 Toàn văn") and code in message["text"]
    ]


def assert_whole_card(card: dict[str, Any], code: str, state: str) -> None:
    text = card["text"]
    assert utf16_len(text) <= 4096 and not text.endswith("…")
    assert code in text and f"Trạng thái: {state}" in text
    assert "Toàn văn (4000 ký tự) ở tin nhắn ngay phía trên thẻ này." in text
    assert "HẾT." not in text  # the end of the long text lives in its own message, not on the card


async def test_a_4000_character_text_keeps_the_card_whole_through_claim_and_answer(harness: Harness) -> None:
    seat_everyone(harness)
    description = long_description(4000)
    code = await submit_item(harness, CITIZEN, category="Giao thông", text=description)
    assert code is not None
    parts = full_text_parts(harness, code)
    assert parts, "the long text must be posted in its own message(s)"
    assert all(utf16_len(part["text"]) <= 4096 for part in parts)
    joined = "\n".join(part["text"].split("\n\n", 1)[1] for part in parts)
    for paragraph in description.split("\n\n"):
        assert paragraph.strip() in joined  # every word of the citizen's text, in order, unescaped
    assert joined.rstrip().endswith("HẾT.")

    card = card_of(harness, XD_GROUP, code)
    assert card["message_id"] > parts[-1]["message_id"]  # the text comes first, the card after it
    assert card["reply_to_message"]["message_id"] == parts[-1]["message_id"]
    assert_whole_card(card, code, "đã tiếp nhận, chờ cơ quan nhận xử lý")
    assert "✋ Nhận xử lý" in buttons_of(card)

    await claim(harness, code)
    card = card_of(harness, XD_GROUP, code)
    assert_whole_card(card, code, "đang xử lý")
    assert "Cán bộ xử lý: Hùng Trần" in card["text"] and "✅ Trả lời" in buttons_of(card)
    assert [part["text"] for part in full_text_parts(harness, code)] == [part["text"] for part in parts]

    # A reply to the long text means the same as a reply to the card: an answer draft.
    await reply_in_group(harness, OFFICER_XD, parts[0], ANSWER_TEXT)
    preview = last_bot_message(harness, XD_GROUP)
    await press_on(harness, OFFICER_XD, preview, "Gửi trả lời")
    assert (await harness.item(code)).state is ItemState.ANSWERED
    card = card_of(harness, XD_GROUP, code)
    assert_whole_card(card, code, "đã trả lời")
    edits = [call for call in harness.fake.sent(XD_GROUP) if call.method == "editMessageText"]
    assert edits and all(utf16_len(str(call.params["text"])) <= 4096 for call in edits)


async def test_a_short_text_stays_on_the_card(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông", text=long_description(2000))
    assert code is not None
    assert full_text_parts(harness, code) == []
    card = card_of(harness, XD_GROUP, code)
    assert "HẾT." in card["text"] and "Toàn văn" not in card["text"]
