"""Issue 8, item 2 through the real Application: padded holding replies cannot close an item."""

from __future__ import annotations

import pytest

from models.tables import ItemState
from tests.flows import CITIZEN
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_XD,
    XD_GROUP,
    card_of,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
    submit_road_item,
)


@pytest.mark.parametrize(
    "holding",
    [
        "Kính gửi ông/bà, Sở Xây dựng đã tiếp nhận phản ánh của ông/bà và sẽ xem xét, giải quyết theo quy định "
        "trong thời gian sớm nhất. Trân trọng cảm ơn.",
        "Sở Xây dựng xin cảm ơn ông bà đã phản ánh. Sở đã ghi nhận và sẽ chỉ đạo kiểm tra, xử lý theo quy định.",
    ],
)
async def test_a_padded_holding_reply_is_refused_and_the_officer_is_told_what_is_missing(
    harness: Harness, holding: str
) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    citizen_messages = len(harness.fake.texts(CITIZEN.id))
    await reply_in_group(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), holding)
    await press_on(harness, OFFICER_XD, last_bot_message(harness, XD_GROUP), "Gửi trả lời")

    explanation = harness.last_text(XD_GROUP)
    assert "chưa được gửi" in explanation
    for missing in ("kết quả hoặc quyết định", "ngày thực hiện", "số hiệu văn bản", "việc người gửi cần làm"):
        assert missing in explanation
    assert len(harness.fake.texts(CITIZEN.id)) == citizen_messages
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.answered_at is None


async def test_a_short_answer_with_a_result_and_a_date_closes_the_item(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    answer = "Đã sửa xong đèn đường ngày 03/12, đề nghị ông/bà kiểm tra lại."
    await reply_in_group(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), answer)
    await press_on(harness, OFFICER_XD, last_bot_message(harness, XD_GROUP), "Gửi trả lời")

    assert "đề nghị ông/bà kiểm tra lại" in harness.last_text(CITIZEN.id) or any(
        "đề nghị ông/bà kiểm tra lại" in message for message in harness.fake.texts(CITIZEN.id)
    )
    item = await harness.item(code)
    assert item.state is ItemState.ANSWERED
