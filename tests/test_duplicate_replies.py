"""A reply to a copy of a bot message that the product never registered (a resend after a lost answer)."""

from __future__ import annotations

import copy
from datetime import timedelta

from tests.harness import Harness
from tests.officer_world import (
    ANSWER_TEXT,
    OFFICER_XD,
    XD_GROUP,
    card_of,
    claim,
    last_bot_message,
    reply_in_group,
    seat_everyone,
    submit_road_item,
)


async def submit_with_a_lost_card_answer(harness: Harness) -> tuple[str, dict[str, object]]:
    """Submit an item whose card reaches the group twice; return its code and the unregistered copy."""
    seat_everyone(harness)
    harness.fake.lose_answers("sendMessage", 1, chat_id=XD_GROUP)
    code = await submit_road_item(harness)
    await harness.deliver_everything()
    lost = next(call for call in harness.fake.calls if call.outcome == "lost_answer")
    copies = [text for text in harness.fake.texts(XD_GROUP) if code in text]
    assert len(copies) == 2  # Telegram took the first call, the bot never heard, and sent it once more
    return code, harness.fake.message_dict(XD_GROUP, lost.messages[0]["message_id"])


async def test_a_reply_to_a_copy_of_the_card_counts_as_a_reply_to_the_card(harness: Harness) -> None:
    code, unregistered = await submit_with_a_lost_card_answer(harness)
    await claim(harness, code)
    assert card_of(harness, XD_GROUP, code)["message_id"] != unregistered["message_id"]
    await reply_in_group(harness, OFFICER_XD, unregistered, ANSWER_TEXT)
    preview = last_bot_message(harness, XD_GROUP)
    assert "Xem trước" in preview["text"] and "hiện trường" in preview["text"]


async def test_a_reply_to_an_unknown_copy_points_to_the_live_card(harness: Harness) -> None:
    code, unregistered = await submit_with_a_lost_card_answer(harness)
    stale = copy.deepcopy(unregistered)
    stale["message_id"] = 9000  # a copy from long after its card was sent: it cannot be matched
    stale["date"] = int((harness.clock.now() + timedelta(hours=2)).timestamp())
    harness.fake.remember_message(stale)
    await reply_in_group(harness, OFFICER_XD, stale, ANSWER_TEXT)
    pointer = last_bot_message(harness, XD_GROUP)
    assert "thẻ mới nhất" in pointer["text"] and code in pointer["text"]
    live_card = card_of(harness, XD_GROUP, code)
    assert pointer["reply_to_message"]["message_id"] == live_card["message_id"]
    assert "Xem trước" not in pointer["text"]


async def test_a_reply_to_a_bot_message_about_nothing_known_is_left_alone(harness: Harness) -> None:
    seat_everyone(harness)
    stranger = {
        "message_id": 9100,
        "date": int(harness.clock.now().timestamp()),
        "chat": {"id": XD_GROUP, "type": "supergroup", "title": "Nhóm"},
        "from": harness.updates.bot_user(),
        "text": "Chào cả nhóm",
    }
    harness.fake.remember_message(stranger)
    before = len(harness.fake.calls)
    await reply_in_group(harness, OFFICER_XD, stranger, "Chào bot")
    assert [call.method for call in harness.fake.calls[before:]] == []
