"""The citizen following up in the private chat: adding information, rating the answer, withdrawing."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.tables import Attachment, ItemState, Rating
from tests.flows import CITIZEN, OTHER_CITIZEN
from tests.harness import Harness
from tests.officer_world import (
    SUPERVISORS_GROUP,
    XD_GROUP,
    alerts,
    answer_item,
    buttons_of,
    card_of,
    claim,
    last_bot_message,
    press_on,
    seat_everyone,
    submit_road_item,
)


async def answered_item(harness: Harness) -> str:
    """Submit, claim and answer a road item."""
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    await answer_item(harness, code)
    return code


async def test_satisfied_closes_the_item(harness: Harness) -> None:
    code = await answered_item(harness)
    await harness.press(CITIZEN, CITIZEN.id, "Hài lòng")
    item = await harness.item(code)
    assert item.state is ItemState.CLOSED and item.rating is Rating.SATISFIED
    assert item.closed_at == harness.clock.now()
    assert "Cảm ơn" in harness.last_text(CITIZEN.id)
    assert "hài lòng" in harness.last_text(XD_GROUP)


async def test_not_satisfied_reopens_for_the_same_agency_with_a_new_deadline(harness: Harness) -> None:
    code = await answered_item(harness)
    harness.clock.advance(timedelta(days=1))  # Tuesday 08/12 09:00
    await harness.press(CITIZEN, CITIZEN.id, "Chưa hài lòng")
    item = await harness.item(code)
    assert item.state is ItemState.REOPENED and item.rating is Rating.NOT_SATISFIED
    assert item.agency_code == "SO-XD" and item.claimed_by_telegram_user_id is None
    # ten working days after Tuesday 08/12 → Tuesday 22/12 17:00
    assert "trước 17:00 thứ Ba, 22/12/2026" in harness.fake.texts(CITIZEN.id)[-2]
    alert = last_bot_message(harness, SUPERVISORS_GROUP)
    assert "chưa hài lòng" in alert["text"] and code in alert["text"] and "Sở Xây dựng" in alert["text"]
    assert "Nhận xử lý" in " ".join(buttons_of(card_of(harness, XD_GROUP, code)))
    assert "trả lời (reply) tin nhắn này" in harness.last_text(CITIZEN.id)

    comment_question = last_bot_message(harness, CITIZEN.id)
    await harness.say(CITIZEN, "Đường vẫn chưa được vá, ổ gà còn nguyên.", reply_to=comment_question)
    assert "ổ gà còn nguyên" in harness.last_text(XD_GROUP)
    assert "ổ gà còn nguyên" in harness.last_text(SUPERVISORS_GROUP)
    events = await harness.events(item.id)  # type: ignore[arg-type]
    assert [event.action for event in events[-2:]] == ["reopened_not_satisfied", "rating_comment"]

    # the same agency handles it again and may answer again
    await claim(harness, code)
    await answer_item(harness, code)
    assert (await harness.item(code)).state is ItemState.ANSWERED


async def test_rating_twice_is_refused(harness: Harness) -> None:
    code = await answered_item(harness)
    rating_question = last_bot_message(harness, CITIZEN.id)
    await press_on(harness, CITIZEN, rating_question, "Hài lòng")
    assert "Bạn đã đánh giá" in harness.fake.message_dict(CITIZEN.id, rating_question["message_id"])["text"]
    await press_on(harness, CITIZEN, rating_question, "Chưa hài lòng")  # the old buttons, pressed again
    assert "đã được đánh giá" in alerts(harness)[-1]
    assert (await harness.item(code)).state is ItemState.CLOSED


async def test_add_command_relays_information_to_the_group(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await harness.say(CITIZEN, f"/add {code} Đã có thêm một xe máy bị ngã tại đây sáng nay.")
    relayed = last_bot_message(harness, XD_GROUP)
    assert (
        "xe máy bị ngã" in relayed["text"]
        and relayed["reply_to_message"]["message_id"] == card_of(harness, XD_GROUP, code)["message_id"]
    )
    assert "Đã chuyển" in harness.last_text(CITIZEN.id)
    item = await harness.item(code)
    assert item.state is ItemState.RECEIVED
    assert (await harness.events(item.id))[-1].action == "citizen_added_information"  # type: ignore[arg-type]


async def test_reply_to_the_receipt_with_a_photo_adds_it(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    receipt = next(m for m in harness.bot_messages(CITIZEN.id) if "Mã hồ sơ" in m.get("text", ""))
    photo = harness.updates.private_photo(CITIZEN, file_id="more-evidence", caption="Ảnh chụp sáng nay")
    photo["message"]["reply_to_message"] = receipt
    await harness.feed(photo)
    assert any(
        call.params.get("photo") == "more-evidence" for call in harness.fake.sent(XD_GROUP, "sendPhoto")
    )
    item = await harness.item(code)
    async with harness.session() as session:
        files = (await session.exec(select(Attachment).where(Attachment.item_id == item.id))).all()
    assert [file.file_id for file in files] == ["more-evidence"]


async def test_someone_elses_code_is_unknown_to_add_and_withdraw(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await harness.say(OTHER_CITIZEN, f"/add {code} Thông tin giả mạo chen vào hồ sơ người khác.")
    assert "Không tìm thấy" in harness.last_text(OTHER_CITIZEN.id)
    await harness.say(OTHER_CITIZEN, f"/withdraw {code}")
    assert "Không tìm thấy" in harness.last_text(OTHER_CITIZEN.id)
    item = await harness.item(code)
    assert item.state is ItemState.RECEIVED
    assert [event.action for event in await harness.events(item.id)] == ["submitted"]  # type: ignore[arg-type]


async def test_withdraw_asks_for_confirmation_and_tells_the_agency(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await harness.say(CITIZEN, f"/withdraw {code}")
    assert "chắc chắn" in harness.last_text(CITIZEN.id)
    await harness.press(CITIZEN, CITIZEN.id, "Không rút")
    assert (await harness.item(code)).state is ItemState.RECEIVED
    await harness.say(CITIZEN, f"/withdraw {code}")
    await harness.press(CITIZEN, CITIZEN.id, "Rút hồ sơ")
    item = await harness.item(code)
    assert item.state is ItemState.WITHDRAWN and item.closed_at == harness.clock.now()
    assert "rút hồ sơ" in harness.last_text(XD_GROUP)
    card = card_of(harness, XD_GROUP, code)
    assert "đã rút" in card["text"] and buttons_of(card) == []
    await harness.say(CITIZEN, f"/withdraw {code}")
    assert "không còn đang xử lý" in harness.last_text(CITIZEN.id)
