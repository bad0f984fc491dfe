"""Officers handling items in their group, end to end through the real Application and a fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models.tables import Consultation, ItemState
from tests.flows import CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    ANSWER_TEXT,
    NNMT_GROUP,
    OFFICER_NNMT,
    OFFICER_VP,
    OFFICER_XD,
    OTHER_OFFICER_XD,
    OUTSIDER,
    SUPERVISOR,
    SUPERVISORS_GROUP,
    TRIAGE_GROUP,
    XD_GROUP,
    alerts,
    buttons_of,
    card_of,
    choose_agency,
    claim,
    last_bot_message,
    press_on,
    reply_in_group,
    seat_everyone,
    start_prompt,
    submit_road_item,
    transfer_item,
)


async def test_claim_names_the_officer_on_the_card_and_stops_the_claim_clock(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS
    assert item.claimed_by_telegram_user_id == OFFICER_XD.id
    assert item.claimed_by_name == "Hùng Trần"
    assert item.claimed_at == harness.clock.now()
    card = card_of(harness, XD_GROUP, code)
    assert "Cán bộ xử lý: Hùng Trần" in card["text"]
    assert "✅ Trả lời" in buttons_of(card) and "✋ Nhận xử lý" not in buttons_of(card)
    events = await harness.events(item.id)  # type: ignore[arg-type]
    claimed = events[-1]
    assert claimed.action == "claimed"
    assert (claimed.actor_telegram_user_id, claimed.actor_name, claimed.agency_code) == (
        OFFICER_XD.id,
        "Hùng Trần",
        "SO-XD",
    )
    assert (claimed.state_before, claimed.state_after) == (ItemState.RECEIVED, ItemState.IN_PROGRESS)


async def test_question_reaches_the_citizen_and_the_reply_comes_back_under_the_card(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    due_before = (await harness.item(code)).answer_due_at
    prompt = await start_prompt(harness, code, "Hỏi thêm")
    assert "trả lời tin nhắn này" in prompt["text"]
    sent = [
        call
        for call in harness.fake.sent(XD_GROUP, "sendMessage")
        if call.messages[0]["message_id"] == prompt["message_id"]
    ]
    assert (
        sent[0].params["reply_markup"]["force_reply"] is True and sent[0].params["reply_markup"]["selective"]
    )
    await reply_in_group(
        harness, OFFICER_XD, prompt, "Xin cho biết đoạn đường sụt lún dài khoảng bao nhiêu mét?"
    )
    question = last_bot_message(harness, CITIZEN.id)
    assert "Sở Xây dựng" in question["text"] and "bao nhiêu mét" in question["text"]
    assert "Hùng" not in question["text"]
    item = await harness.item(code)
    assert item.state is ItemState.AWAITING_CITIZEN and item.awaiting_citizen_since == harness.clock.now()

    harness.clock.advance(timedelta(hours=2))  # Monday 09:00 → 11:00: two working hours of waiting
    await harness.say(CITIZEN, "Khoảng 15 mét, ngay trước cổng trường.", reply_to=question)
    relayed = last_bot_message(harness, XD_GROUP)
    assert "Khoảng 15 mét" in relayed["text"] and code in relayed["text"]
    assert relayed["reply_to_message"]["message_id"] == card_of(harness, XD_GROUP, code)["message_id"]
    assert str(CITIZEN.id) not in relayed["text"] and "Lan" not in relayed["text"]
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.awaiting_citizen_since is None
    assert due_before is not None and item.answer_due_at is not None
    # due Monday 21/12 17:00 + 2 working hours → Tuesday 22/12 09:30
    assert item.answer_due_at - due_before > timedelta(hours=2)
    assert item.answer_due_at.astimezone(due_before.tzinfo).isoformat().startswith("2026-12-22T02:30")
    assert "đã bổ sung" in harness.last_text(CITIZEN.id) or "Đã chuyển" in harness.last_text(CITIZEN.id)


async def test_consultation_card_gets_its_own_deadline_and_the_position_returns_to_the_lead(
    harness: Harness,
) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    prompt = await choose_agency(harness, code, "Xin ý kiến phối hợp", "Sở Nông nghiệp")
    assert "Sở Nông nghiệp và Môi trường" in prompt["text"]
    await reply_in_group(
        harness, OFFICER_XD, prompt, "Đề nghị cho biết khu đất cạnh đường có thuộc quy hoạch không?"
    )
    consultation_card = card_of(harness, NNMT_GROUP, code)
    assert "XIN Ý KIẾN PHỐI HỢP" in consultation_card["text"]
    # Monday 07/12 + 5 working days → Monday 14/12, 17:00
    assert "trước 17:00 thứ Hai, 14/12/2026" in consultation_card["text"]
    item = await harness.item(code)
    assert item.agency_code == "SO-XD" and item.state is ItemState.IN_PROGRESS  # responsibility stays
    async with harness.session() as session:
        consultation = (await session.exec(select(Consultation))).one()
    assert consultation.to_agency_code == "SO-NNMT" and consultation.answered_at is None

    await reply_in_group(harness, OFFICER_NNMT, consultation_card, "Đang xem xét.")
    assert "quá ngắn" in harness.last_text(NNMT_GROUP)  # a position is needed, not a holding reply
    position = "Khu đất thuộc quy hoạch hành lang an toàn giao thông theo Quyết định 123/QĐ-UBND năm 2024."
    await reply_in_group(harness, OFFICER_NNMT, consultation_card, position)
    relayed = last_bot_message(harness, XD_GROUP)
    assert position in relayed["text"] and "Sở Nông nghiệp và Môi trường" in relayed["text"]
    assert relayed["reply_to_message"]["message_id"] == card_of(harness, XD_GROUP, code)["message_id"]
    async with harness.session() as session:
        consultation = (await session.exec(select(Consultation))).one()
    assert consultation.answer == position and consultation.answered_by_telegram_user_id == OFFICER_NNMT.id
    actions = [event.action for event in await harness.events(item.id)]  # type: ignore[arg-type]
    assert actions[-2:] == ["refused", "consultation_answered"] or actions[-1] == "consultation_answered"


async def test_consultation_reply_from_the_lead_agency_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    prompt = await choose_agency(harness, code, "Xin ý kiến phối hợp", "Sở Nông nghiệp")
    await reply_in_group(harness, OFFICER_XD, prompt, "Xin ý kiến về quy hoạch khu đất cạnh đường.")
    card = card_of(harness, NNMT_GROUP, code)
    await reply_in_group(
        harness, OUTSIDER, card, "Khu đất này không thuộc quy hoạch nào cả, đề nghị xử lý ngay."
    )
    assert "Chỉ thành viên" in harness.last_text(NNMT_GROUP)
    async with harness.session() as session:
        assert (await session.exec(select(Consultation))).one().answered_at is None


async def test_transfer_moves_the_item_without_restarting_the_clock(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    before = await harness.item(code)
    harness.clock.advance(timedelta(hours=3))
    await transfer_item(
        harness, code, "Nông nghiệp", reason="Khu vực sụt lún do sạt lở đất, thuộc lĩnh vực đất đai."
    )
    item = await harness.item(code)
    assert item.agency_code == "SO-NNMT" and item.state is ItemState.RECEIVED
    assert item.transfer_count == 1 and item.previous_agency_codes == ["SO-XD"]
    assert (item.answer_due_at, item.claim_due_at, item.transfer_window_ends_at) == (
        before.answer_due_at,
        before.claim_due_at,
        before.transfer_window_ends_at,
    )
    old_card = card_of(harness, XD_GROUP, code)
    assert "Đã chuyển đến Sở Nông nghiệp và Môi trường" in old_card["text"] and buttons_of(old_card) == []
    new_card = card_of(harness, NNMT_GROUP, code)
    assert "Nhận xử lý" in " ".join(buttons_of(new_card))
    assert "Sở Nông nghiệp và Môi trường" in harness.last_text(CITIZEN.id)
    assert "21/12/2026" in harness.last_text(CITIZEN.id)
    transferred = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert transferred.action == "transferred" and transferred.reason and "sạt lở" in transferred.reason
    assert transferred.agency_code == "SO-XD"


async def test_transfer_outside_the_window_is_refused(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    harness.clock.advance(timedelta(days=3))  # Thursday: the 2-working-day window ended Wednesday 17:00
    await press_on(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), "Không thuộc thẩm quyền")
    assert "hết thời hạn chuyển" in alerts(harness)[-1]
    item = await harness.item(code)
    assert item.agency_code == "SO-XD" and item.transfer_count == 0
    assert (await harness.events(item.id))[-1].reason == "transfer_window_closed"  # type: ignore[arg-type]


async def test_agency_can_be_typed_instead_of_paged(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    chooser = await start_prompt(harness, code, "Không thuộc thẩm quyền")
    await reply_in_group(harness, OFFICER_XD, chooser, "phan dinh phung")
    prompt = last_bot_message(harness, XD_GROUP)
    assert "UBND phường Phan Đình Phùng" in prompt["text"] and "lý do" in prompt["text"]
    await reply_in_group(harness, OFFICER_XD, prompt, "Trật tự vỉa hè thuộc phường quản lý.")
    assert (await harness.item(code)).agency_code == "UBND-PDP"


async def test_progress_update_goes_to_the_citizen_and_the_clock_keeps_running(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    before = await harness.item(code)
    prompt = await start_prompt(harness, code, "Cập nhật tiến độ")
    await reply_in_group(
        harness, OFFICER_XD, prompt, "Đã giao đơn vị thi công khảo sát, dự kiến sửa trong tuần."
    )
    notice = harness.last_text(CITIZEN.id)
    assert "Sở Xây dựng" in notice and "khảo sát" in notice and "Hùng" not in notice
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.answer_due_at == before.answer_due_at
    assert (await harness.events(item.id))[-1].action == "progress_update"  # type: ignore[arg-type]


async def test_holding_phrase_is_refused_as_an_answer_and_can_go_as_progress(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    citizen_messages = len(harness.fake.texts(CITIZEN.id))
    holding = "Kính gửi ông bà, cơ quan đã tiếp nhận phản ánh, đang xem xét và sẽ trả lời sau. Trân trọng."
    await reply_in_group(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), holding)
    preview = last_bot_message(harness, XD_GROUP)
    assert "Xem trước" in preview["text"]
    await press_on(harness, OFFICER_XD, preview, "Gửi trả lời")
    assert "lời hẹn" in harness.last_text(XD_GROUP)
    assert len(harness.fake.texts(CITIZEN.id)) == citizen_messages  # nothing reached the citizen
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.answered_at is None
    refused = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert (refused.action, refused.reason) == ("refused", "no_substance")

    await press_on(harness, OFFICER_XD, harness.fake.message_dict(XD_GROUP, preview["message_id"]), "tiến độ")
    assert "đang xem xét" in harness.last_text(CITIZEN.id)
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS
    assert (await harness.events(item.id))[-1].action == "progress_update"  # type: ignore[arg-type]


async def test_answer_with_attachment_reaches_the_citizen_with_rating_buttons(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    await reply_in_group(harness, OFFICER_XD, card_of(harness, XD_GROUP, code), ANSWER_TEXT)
    preview = last_bot_message(harness, XD_GROUP)
    photo = harness.updates.private_photo(OFFICER_XD, file_id="official-letter")["message"]
    photo_update = harness.updates.group_text(XD_GROUP, OFFICER_XD, "x", reply_to=preview)
    photo_update["message"].pop("text")
    photo_update["message"]["photo"] = photo["photo"]
    await harness.feed(photo_update)
    assert "Đã thêm tệp" in harness.last_text(XD_GROUP)
    await press_on(
        harness, OFFICER_XD, harness.fake.message_dict(XD_GROUP, preview["message_id"]), "Gửi trả lời"
    )
    item = await harness.item(code)
    assert item.state is ItemState.ANSWERED and item.answered_at == harness.clock.now()
    texts = harness.fake.texts(CITIZEN.id)
    assert any(ANSWER_TEXT in text and "Sở Xây dựng" in text for text in texts)
    assert not any("Hùng" in text for text in texts)
    assert any(
        call.params.get("photo") == "official-letter" for call in harness.fake.sent(CITIZEN.id, "sendPhoto")
    )
    harness.find_button(CITIZEN.id, "Hài lòng")
    harness.find_button(CITIZEN.id, "Chưa hài lòng")
    card = card_of(harness, XD_GROUP, code)
    assert "đã trả lời" in card["text"] and buttons_of(card) == []


async def test_reject_tells_the_citizen_and_asks_supervisors_to_review(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    prompt = await start_prompt(harness, code, "Từ chối")
    await reply_in_group(harness, OFFICER_XD, prompt, "Nội dung quảng cáo, không phải phản ánh.")
    item = await harness.item(code)
    assert item.state is ItemState.REJECTED
    assert "quảng cáo" in harness.last_text(CITIZEN.id) and "Sở Xây dựng" in harness.last_text(CITIZEN.id)
    review = last_bot_message(harness, SUPERVISORS_GROUP)
    assert code in review["text"] and "quảng cáo" in review["text"]
    assert "↩️ Khôi phục hồ sơ" in buttons_of(review)

    await press_on(harness, SUPERVISOR, review, "Khôi phục")
    item = await harness.item(code)
    assert item.state is ItemState.RECEIVED
    assert "Nhận xử lý" in " ".join(buttons_of(card_of(harness, XD_GROUP, code)))
    assert "Đã khôi phục" in harness.fake.message_dict(SUPERVISORS_GROUP, review["message_id"])["text"]
    assert "tiếp tục xử lý" in harness.last_text(CITIZEN.id)
    reversed_event = (await harness.events(item.id))[-1]  # type: ignore[arg-type]
    assert (reversed_event.action, reversed_event.actor_telegram_user_id) == (
        "rejection_reversed",
        SUPERVISOR.id,
    )


async def test_history_is_shown_in_the_agency_group_but_not_elsewhere(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    await harness.say_in_group(XD_GROUP, OTHER_OFFICER_XD, f"/history {code}")
    trail = harness.last_text(XD_GROUP)
    assert (
        "Lịch sử hồ sơ" in trail and "gửi hồ sơ" in trail and "Hùng Trần (Sở Xây dựng): nhận xử lý" in trail
    )
    assert "Lan" not in trail and str(CITIZEN.id) not in trail
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, f"/history {code}")
    assert "Lịch sử hồ sơ" in harness.last_text(SUPERVISORS_GROUP)
    await harness.say_in_group(NNMT_GROUP, OFFICER_NNMT, f"/history {code}")
    assert "chỉ xem được" in harness.last_text(NNMT_GROUP)


async def test_card_shown_in_triage_for_an_agency_without_group_can_only_be_routed(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_item(harness, CITIZEN, category="Y tế")
    assert code is not None
    card = card_of(harness, TRIAGE_GROUP, code)
    assert buttons_of(card) == ["↪️ Không thuộc thẩm quyền"]
    await reply_in_group(harness, OFFICER_VP, card, ANSWER_TEXT)
    assert "chỉ chuyển hồ sơ" in harness.last_text(TRIAGE_GROUP)
    await transfer_item(
        harness,
        code,
        "Xây dựng",
        reason="Sụt lún mặt đường, thuộc Sở Xây dựng.",
        officer=OFFICER_VP,
        chat_id=TRIAGE_GROUP,
    )
    item = await harness.item(code)
    assert item.agency_code == "SO-XD" and item.transfer_count == 0  # routing is not the item's one transfer
    assert (await harness.events(item.id))[-1].action == "routed"  # type: ignore[arg-type]
    await transfer_item(harness, code, "Nông nghiệp", reason="Thuộc lĩnh vực đất đai.")
    item = await harness.item(code)
    assert item.agency_code == "SO-NNMT" and item.transfer_count == 1


async def test_only_the_officer_who_opened_a_prompt_may_finish_it(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)
    prompt = await start_prompt(harness, code, "Cập nhật tiến độ")
    await reply_in_group(harness, OTHER_OFFICER_XD, prompt, "Đã giao đơn vị thi công khảo sát hiện trường.")
    assert "cán bộ khác bắt đầu" in harness.last_text(XD_GROUP)
    item = await harness.item(code)
    assert (await harness.events(item.id))[-1].reason == "not_your_prompt"  # type: ignore[arg-type]
