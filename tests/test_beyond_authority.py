"""'Vượt thẩm quyền': an officer reports a matter up; the supervisors assign, answer or send it back.

End to end through the real Application and the fake Bot API, on both databases.
"""

from __future__ import annotations

from typing import Any

from bot.views.buttons import ReferralOutcome, ReferralPress
from models.actions import Action
from models.tables import ItemState
from tests.flows import CITIZEN
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_NNMT,
    OFFICER_XD,
    OTHER_OFFICER_XD,
    PDP_GROUP,
    SUPERVISOR,
    SUPERVISORS_GROUP,
    XD_GROUP,
    alerts,
    answer_item,
    buttons_of,
    card_of,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
    start_prompt,
    submit_road_item,
)

BUTTON = "Vượt thẩm quyền"
REFERRAL_TEXT = (
    "Cần UBND tỉnh quyết định điều chỉnh quy hoạch tuyến đường theo Quyết định 1234/QĐ-UBND; "
    "việc điều chỉnh quy hoạch thuộc thẩm quyền của UBND tỉnh, Sở không có quyền quyết định."
)
PROVINCE_ANSWER = (
    "UBND tỉnh đã giao Sở Giao thông vận tải lập phương án điều chỉnh quy hoạch trước ngày 30/01/2027 "
    "theo Quyết định số 55/QĐ-UBND ngày 10/12/2026."
)


async def refer_up(harness: Harness) -> tuple[str, dict[str, Any]]:
    """Submit and claim a road item, refer it up, and return its code and the supervisors' card."""
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    prompt = await start_prompt(harness, code, BUTTON)
    assert "trả lời tin nhắn này" in prompt["text"] and code in prompt["text"]
    await reply_in_group(harness, OFFICER_XD, prompt, REFERRAL_TEXT)
    return code, last_bot_message(harness, SUPERVISORS_GROUP)


async def actions_of(harness: Harness, code: str) -> list[str]:
    item = await harness.item(code)
    return [event.action for event in await harness.events(item.id)]  # type: ignore[arg-type]


async def test_the_button_shows_only_on_a_claimed_item(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    assert not any(BUTTON in label for label in buttons_of(card_of(harness, XD_GROUP, code)))
    await claim(harness, code)
    assert any(BUTTON in label for label in buttons_of(card_of(harness, XD_GROUP, code)))


async def test_referring_up_keeps_the_item_and_puts_a_card_before_the_supervisors(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    before = await harness.item(code)
    code, card = await refer_up_claimed(harness, code)
    item = await harness.item(code)
    assert (item.state, item.agency_code, item.answer_due_at) == (
        ItemState.IN_PROGRESS,
        "SO-XD",
        before.answer_due_at,
    )
    assert item.claimed_by_telegram_user_id == OFFICER_XD.id
    assert "ĐỀ NGHỊ CẤP TRÊN" in card["text"] and code in card["text"] and "1234/QĐ-UBND" in card["text"]
    assert len(buttons_of(card)) == 3
    assert "Đã đề nghị" in harness.last_text(XD_GROUP)
    events = await harness.events(item.id)  # type: ignore[arg-type]
    assert (events[-1].action, events[-1].reason) == (Action.REFERRED_UP, REFERRAL_TEXT)
    await harness.say_in_group(XD_GROUP, OFFICER_XD, f"/history {code}")
    assert "đề nghị cấp trên giải quyết" in harness.last_text(XD_GROUP)


async def refer_up_claimed(harness: Harness, code: str) -> tuple[str, dict[str, Any]]:
    prompt = await start_prompt(harness, code, BUTTON)
    await reply_in_group(harness, OFFICER_XD, prompt, REFERRAL_TEXT)
    return code, last_bot_message(harness, SUPERVISORS_GROUP)


async def test_a_referral_without_substance_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    cards_before = len(harness.bot_messages(SUPERVISORS_GROUP))
    prompt = await start_prompt(harness, code, BUTTON)
    await reply_in_group(harness, OFFICER_XD, prompt, "Đề nghị cấp trên xem xét.")
    assert "Chưa gửi" in harness.last_text(XD_GROUP) or "quá ngắn" in harness.last_text(XD_GROUP)
    assert len(harness.bot_messages(SUPERVISORS_GROUP)) == cards_before
    assert Action.REFERRED_UP not in await actions_of(harness, code)


async def test_only_the_officer_who_started_may_finish_and_outsiders_may_not_press(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    await press_on(harness, OFFICER_NNMT, card_of(harness, XD_GROUP, code), BUTTON)
    assert Action.REFUSED in await actions_of(harness, code)
    prompt = await start_prompt(harness, code, BUTTON)
    await reply_in_group(harness, OTHER_OFFICER_XD, prompt, REFERRAL_TEXT)
    assert Action.REFERRED_UP not in await actions_of(harness, code)


async def test_assigning_another_agency_reassigns_and_closes_the_card(harness: Harness) -> None:
    code, card = await refer_up(harness)
    await press_on(harness, SUPERVISOR, card, "Giao cơ quan khác")
    chooser = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, SUPERVISOR, chooser, "Phan Đình Phùng")
    item = await harness.item(code)
    assert item.agency_code == "UBND-PDP" and item.state is ItemState.RECEIVED
    assert item.claimed_by_telegram_user_id is None and item.transfer_count == 0
    assert "Nhận xử lý" in " ".join(buttons_of(card_of(harness, PDP_GROUP, code)))
    assert "UBND phường Phan Đình Phùng" in harness.last_text(CITIZEN.id)
    decided = harness.fake.message_dict(SUPERVISORS_GROUP, card["message_id"])
    assert buttons_of(decided) == [] and "Đã giao" in decided["text"]
    assert (await actions_of(harness, code))[-1] == Action.REASSIGNED
    await press_on(harness, SUPERVISOR, card, "Trả lại")  # the old buttons no longer act
    assert (await actions_of(harness, code))[-1] == Action.REFUSED


async def test_answering_on_the_provinces_behalf_answers_the_citizen(harness: Harness) -> None:
    code, card = await refer_up(harness)
    await press_on(harness, SUPERVISOR, card, "Trả lời thay mặt")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, prompt, "Đã xem.")  # no substance: refused
    assert (await harness.item(code)).state is ItemState.IN_PROGRESS
    await reply_in_group(harness, SUPERVISOR, prompt, PROVINCE_ANSWER)
    item = await harness.item(code)
    assert item.state is ItemState.ANSWERED
    citizen_texts = [message.get("text", "") for message in harness.bot_messages(CITIZEN.id)]
    assert any("55/QĐ-UBND" in body and "thay mặt" in body for body in citizen_texts)
    assert "55/QĐ-UBND" in harness.last_text(XD_GROUP)  # the agency is told under its card
    events = await harness.events(item.id)  # type: ignore[arg-type]
    answered = [event for event in events if event.action == Action.ANSWERED][-1]
    assert answered.actor_telegram_user_id == SUPERVISOR.id and answered.detail["on_behalf_of_province"]


async def test_sending_back_posts_the_directive_under_the_agency_card(harness: Harness) -> None:
    code, card = await refer_up(harness)
    await press_on(harness, SUPERVISOR, card, "Trả lại")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    directive = "Sở chủ trì, phối hợp UBND phường khảo sát và đề xuất phương án trước 20/12/2026."
    await reply_in_group(harness, SUPERVISOR, prompt, directive)
    item = await harness.item(code)
    assert (item.state, item.agency_code) == (ItemState.IN_PROGRESS, "SO-XD")
    note = last_bot_message(harness, XD_GROUP)
    assert directive in note["text"]
    assert note["reply_to_message"]["message_id"] == card_of(harness, XD_GROUP, code)["message_id"]
    assert (await actions_of(harness, code))[-1] == Action.REFERRAL_SENT_BACK
    await harness.say_in_group(XD_GROUP, OFFICER_XD, f"/history {code}")
    assert "trả lại hồ sơ kèm chỉ đạo" in harness.last_text(XD_GROUP)


async def test_officers_and_forged_presses_cannot_decide_a_referral(harness: Harness) -> None:
    code, card = await refer_up(harness)
    item = await harness.item(code)
    await press_on(harness, OFFICER_NNMT, card, "Trả lại")
    assert (await actions_of(harness, code))[-1] == Action.REFUSED
    forged = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"].rsplit("|", 1)[0] + "|AAAAAAAAAAA"
    await harness.feed(
        harness.updates.callback(SUPERVISOR, chat_id=SUPERVISORS_GROUP, message=card, data=forged)
    )
    assert "không hợp lệ" in alerts(harness)[-1]
    other_event = harness.services.signer.pack(ReferralPress(ReferralOutcome.SEND_BACK, item.id or 0, 1))
    await harness.feed(
        harness.updates.callback(SUPERVISOR, chat_id=SUPERVISORS_GROUP, message=card, data=other_event)
    )
    assert "không hợp lệ" in alerts(harness)[-1]
    assert (await harness.item(code)).state is ItemState.IN_PROGRESS


async def test_a_referral_the_item_has_outgrown_is_refused(harness: Harness) -> None:
    code, card = await refer_up(harness)
    await answer_item(harness, code)  # the agency answered meanwhile
    assert (await harness.item(code)).state is ItemState.ANSWERED
    await press_on(harness, SUPERVISOR, card, "Trả lại")
    assert "không còn phù hợp" in alerts(harness)[-1]
    item = await harness.item(code)
    refused = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert (refused.action, refused.reason) == (Action.REFUSED, "referral_outdated")
