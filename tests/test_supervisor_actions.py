"""Supervisors acting on an escalation card: urge, reassign, extend once, flag for review; /overdue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.views.escalation_cards import ESCALATION_CARD, escalation_card
from models.outbox import Outbox
from models.tables import Citizen, Item, ItemState
from tests.constants import HANOI
from tests.flows import CITIZEN, OTHER_CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    NNMT_GROUP,
    OFFICER_PDP,
    OFFICER_XD,
    OUTSIDER,
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
from tests.updates import TgUser

OTHER_SUPERVISOR = TgUser(id=8902, first_name="Nga", last_name="Phan")
# Submitted Monday 07/12/2026 09:00, due Monday 21/12/2026 17:00; twenty days later it is Sunday
# 27/12/2026: four working days overdue.
TWENTY_DAYS = timedelta(days=20)


async def post_escalation_card(harness: Harness, code: str) -> dict[str, Any]:
    """Queue the escalation card as the scheduler's sweep would, deliver it, and return it."""
    item = await harness.item(code)
    services = harness.services
    now = harness.clock.now()
    async with harness.session() as session:
        Outbox(session, now).send(
            SUPERVISORS_GROUP,
            escalation_card(
                item,
                directory=services.directory,
                calendar=services.calendar,
                signer=services.signer,
                now=now,
                language="vi",
            ),
            item_id=item.id,
            purpose=ESCALATION_CARD,
        )
    await harness.deliver()
    return last_bot_message(harness, SUPERVISORS_GROUP)


async def overdue_road_item(harness: Harness, *, claimed: bool = True) -> tuple[str, dict[str, Any]]:
    """Submit a road item (Department of Construction), let it run four working days late, post its card."""
    seat_everyone(harness)
    harness.fake.set_member(SUPERVISORS_GROUP, OTHER_SUPERVISOR.id)
    code = await submit_road_item(harness)
    if claimed:
        await claim(harness, code)
    harness.clock.advance(TWENTY_DAYS)
    return code, await post_escalation_card(harness, code)


def is_force_reply(harness: Harness, message: dict[str, Any]) -> bool:
    """Tell whether the bot sent a message as a selective ForceReply prompt."""
    chat_id = message["chat"]["id"]
    for call in harness.fake.sent(chat_id, "sendMessage"):
        if call.messages[0]["message_id"] == message["message_id"]:
            markup = call.params.get("reply_markup") or {}
            return markup.get("force_reply") is True and bool(markup.get("selective"))
    return False


async def events_of(harness: Harness, code: str) -> list[Any]:
    """Return the item's events."""
    item = await harness.item(code)
    assert item.id is not None
    return await harness.events(item.id)


# --- the card -----------------------------------------------------------------------------------------


async def test_the_escalation_card_shows_the_overdue_item_and_the_four_actions(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    body = card["text"]
    assert f"QUÁ HẠN 4 NGÀY LÀM VIỆC – {code}" in body
    for fact in (
        "Phản ánh",
        "Giao thông",
        "Sở Xây dựng",
        "09:00 thứ Hai, 07/12/2026",
        "trước 17:00 thứ Hai, 21/12/2026",
        "Hùng Trần",
        "liên lạc được qua bot",
        "sụt lún",
    ):
        assert fact in body, fact
    assert buttons_of(card) == ["📣 Đôn đốc", "🔀 Giao cơ quan khác", "📅 Gia hạn", "🚩 Xem xét trách nhiệm"]


async def test_the_card_says_when_nobody_claimed_it_and_the_citizen_cannot_be_reached(
    harness: Harness,
) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    async with harness.session() as session:
        item = await session.get(Item, (await harness.item(code)).id)
        assert item is not None
        item.is_citizen_unreachable = True
        item.text = "Đường hỏng. " * 200
        session.add(item)
    harness.clock.advance(TWENTY_DAYS)
    card = await post_escalation_card(harness, code)
    assert "chưa có cán bộ nhận xử lý" in card["text"]
    assert "không liên lạc được qua bot" in card["text"]
    assert card["text"].count("Đường hỏng.") < 60 and "…" in card["text"]  # shortened to about 600 characters


# --- urge ---------------------------------------------------------------------------------------------


async def test_urging_replies_under_the_item_card_in_the_agency_group(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    xd_card = card_of(harness, XD_GROUP, code)
    await press_on(harness, SUPERVISOR, card, "Đôn đốc")

    urging = last_bot_message(harness, XD_GROUP)
    assert "Văn phòng UBND tỉnh Thử Nghiệm đôn đốc" in urging["text"]
    assert code in urging["text"] and "17:00 thứ Hai, 21/12/2026" in urging["text"]
    assert "Bình" not in urging["text"]  # the office speaks, not the person
    assert urging["reply_to_message"]["message_id"] == xd_card["message_id"]
    assert "Đã đôn đốc Sở Xây dựng" in harness.last_text(SUPERVISORS_GROUP)
    urged = (await events_of(harness, code))[-1]
    assert (urged.action, urged.actor_telegram_user_id, urged.detail["urged_agency"]) == (
        "urged",
        SUPERVISOR.id,
        "SO-XD",
    )
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.agency_code == "SO-XD"

    # a second press straight away is a slip: refused politely, nothing sent to the agency
    sent_before = len(harness.fake.texts(XD_GROUP))
    await press_on(harness, OTHER_SUPERVISOR, card, "Đôn đốc")
    assert "vừa được đôn đốc" in alerts(harness)[-1]
    assert len(harness.fake.texts(XD_GROUP)) == sent_before
    refused = (await events_of(harness, code))[-1]
    assert (refused.action, refused.reason) == ("refused", "urged_recently")


async def test_an_agency_waiting_for_the_citizen_is_not_urged(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    question = await start_prompt(harness, code, "Hỏi thêm")
    await reply_in_group(harness, OFFICER_XD, question, "Xin cho biết đoạn đường sụt lún dài bao nhiêu mét?")
    assert (await harness.item(code)).state is ItemState.AWAITING_CITIZEN
    sent_to_agency = len(harness.fake.texts(XD_GROUP))
    await press_on(harness, SUPERVISOR, card, "Đôn đốc")
    assert "chờ người gửi bổ sung" in alerts(harness)[-1]
    assert len(harness.fake.texts(XD_GROUP)) == sent_to_agency
    assert [event.action for event in await events_of(harness, code)][-1] == "refused"


# --- reassign -----------------------------------------------------------------------------------------


async def test_reassigning_gives_the_item_to_another_agency_without_restarting_the_clock(
    harness: Harness,
) -> None:
    code, card = await overdue_road_item(harness)
    before = await harness.item(code)
    xd_card_before = card_of(harness, XD_GROUP, code)
    await press_on(harness, SUPERVISOR, card, "Giao cơ quan khác")
    chooser = last_bot_message(harness, SUPERVISORS_GROUP)
    assert "giao hồ sơ" in chooser["text"] and code in chooser["text"]
    assert "Sở Xây dựng" not in buttons_of(chooser)  # not to the agency that has it
    await press_on(harness, SUPERVISOR, chooser, "Phan Đình Phùng")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    assert is_force_reply(harness, prompt)
    assert "lý do giao hồ sơ" in prompt["text"]
    await reply_in_group(harness, SUPERVISOR, prompt, "Tuyến đường nội phường do UBND phường quản lý.")

    item = await harness.item(code)
    assert item.agency_code == "UBND-PDP" and item.previous_agency_codes == ["SO-XD"]
    assert item.transfer_count == 0
    assert item.state is ItemState.RECEIVED and item.claimed_by_telegram_user_id is None
    assert (item.answer_due_at, item.claim_due_at, item.transfer_window_ends_at) == (
        before.answer_due_at,
        before.claim_due_at,
        before.transfer_window_ends_at,
    )
    new_card = card_of(harness, PDP_GROUP, code)
    assert "Nhận xử lý" in " ".join(buttons_of(new_card))
    note = last_bot_message(harness, PDP_GROUP)
    assert note["reply_to_message"]["message_id"] == new_card["message_id"]
    assert "Tuyến đường nội phường" in note["text"] and "Sở Xây dựng" in note["text"]
    assert "trước 17:00 thứ Hai, 21/12/2026" in note["text"]
    old_card = card_of(harness, XD_GROUP, code)
    assert buttons_of(old_card) == [] and "đã giao hồ sơ cho UBND phường Phan Đình Phùng" in old_card["text"]
    assert "UBND phường Phan Đình Phùng" in harness.last_text(CITIZEN.id)
    assert "Đã giao hồ sơ" in harness.last_text(SUPERVISORS_GROUP)
    reassigned = (await events_of(harness, code))[-1]
    assert (reassigned.action, reassigned.actor_telegram_user_id, reassigned.reason) == (
        "reassigned",
        SUPERVISOR.id,
        "Tuyến đường nội phường do UBND phường quản lý.",
    )

    # the old agency's buttons no longer act; the new agency claims the item
    await press_on(harness, OFFICER_XD, xd_card_before, "Cập nhật tiến độ")
    assert "cơ quan khác phụ trách" in alerts(harness)[-1]
    await claim(harness, code, OFFICER_PDP, PDP_GROUP)
    item = await harness.item(code)
    assert item.state is ItemState.IN_PROGRESS and item.claimed_by_telegram_user_id == OFFICER_PDP.id


async def test_reassigning_by_typing_part_of_the_agency_name(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Giao cơ quan khác")
    chooser = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, chooser, "nong nghiep")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    assert "Sở Nông nghiệp và Môi trường" in prompt["text"]
    await reply_in_group(harness, SUPERVISOR, prompt, "Sạt lở ven đường thuộc lĩnh vực đất đai.")
    assert (await harness.item(code)).agency_code == "SO-NNMT"
    assert code in card_of(harness, NNMT_GROUP, code)["text"]


async def test_only_the_supervisor_who_started_may_finish_and_the_same_agency_is_refused(
    harness: Harness,
) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Giao cơ quan khác")
    chooser = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, OTHER_SUPERVISOR, chooser, "Phan Đình Phùng")
    assert "cán bộ khác bắt đầu" in alerts(harness)[-1]
    await press_on(harness, SUPERVISOR, chooser, "Phan Đình Phùng")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, OTHER_SUPERVISOR, prompt, "Lý do của người khác.")
    assert "cán bộ khác bắt đầu" in harness.last_text(SUPERVISORS_GROUP)
    assert (await harness.item(code)).agency_code == "SO-XD"
    refused = [event for event in await events_of(harness, code) if event.action == "refused"]
    assert [event.reason for event in refused] == ["not_your_prompt", "not_your_prompt"]


# --- extend -------------------------------------------------------------------------------------------


async def test_extending_once_apologises_to_the_citizen_with_the_new_date(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Gia hạn")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    assert is_force_reply(harness, prompt)
    assert "trước 17:00 thứ Ba, 05/01/2027" in prompt["text"]  # ten working days after the deadline
    await reply_in_group(harness, SUPERVISOR, prompt, "31/12/2026 - Cần khảo sát lại hiện trường sau mưa lũ.")

    item = await harness.item(code)
    assert item.answer_due_at == datetime(2026, 12, 31, 17, 0, tzinfo=HANOI)
    assert item.extension_count == 1
    apology = harness.last_text(CITIZEN.id)
    assert "xin lỗi" in apology and "Sở Xây dựng" in apology
    assert "Cần khảo sát lại hiện trường sau mưa lũ." in apology
    assert "trước 17:00 thứ Năm, 31/12/2026" in apology
    told = last_bot_message(harness, XD_GROUP)
    assert "gia hạn" in told["text"] and "đến 17:00 thứ Năm, 31/12/2026" in told["text"]
    assert told["reply_to_message"]["message_id"] == card_of(harness, XD_GROUP, code)["message_id"]
    assert "31/12/2026" in card_of(harness, XD_GROUP, code)["text"]  # the card shows the new deadline
    assert "Đã gia hạn hồ sơ" in harness.last_text(SUPERVISORS_GROUP)
    extended = (await events_of(harness, code))[-1]
    assert (extended.action, extended.actor_telegram_user_id, extended.reason) == (
        "extended",
        SUPERVISOR.id,
        "Cần khảo sát lại hiện trường sau mưa lũ.",
    )

    # a second extension is refused at the button: no prompt, nothing changes
    messages_before = len(harness.bot_messages(SUPERVISORS_GROUP))
    await press_on(harness, OTHER_SUPERVISOR, card, "Gia hạn")
    assert "không gia hạn lần thứ hai" in alerts(harness)[-1]
    assert len(harness.bot_messages(SUPERVISORS_GROUP)) == messages_before
    item = await harness.item(code)
    assert item.extension_count == 1 and item.answer_due_at == datetime(2026, 12, 31, 17, 0, tzinfo=HANOI)
    refused = (await events_of(harness, code))[-1]
    assert (refused.action, refused.reason) == ("refused", "extension_used")


async def test_a_second_extension_through_a_still_open_prompt_is_refused(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Gia hạn")
    first_prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await press_on(harness, OTHER_SUPERVISOR, card, "Gia hạn")
    second_prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, first_prompt, "28/12/2026 - Chờ kết quả kiểm định.")
    await reply_in_group(harness, OTHER_SUPERVISOR, second_prompt, "05/01/2027 - Thêm thời gian.")
    assert "không gia hạn lần thứ hai" in harness.last_text(SUPERVISORS_GROUP)
    item = await harness.item(code)
    assert item.extension_count == 1 and item.answer_due_at == datetime(2026, 12, 28, 17, 0, tzinfo=HANOI)


async def test_a_late_or_unreadable_date_is_refused_and_the_prompt_stays_open(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Gia hạn")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, prompt, "06/01/2027 - Cần thêm thời gian.")
    assert "quá xa" in harness.last_text(SUPERVISORS_GROUP)
    assert "17:00 thứ Ba, 05/01/2027" in harness.last_text(SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, prompt, "tuần sau nhé")
    assert "Chưa đọc được ngày hẹn mới" in harness.last_text(SUPERVISORS_GROUP)
    await reply_in_group(harness, SUPERVISOR, prompt, "30/12/2026")
    assert "lý do" in harness.last_text(SUPERVISORS_GROUP).lower()
    item = await harness.item(code)
    assert item.extension_count == 0 and item.answer_due_at == datetime(2026, 12, 21, 17, 0, tzinfo=HANOI)
    assert "xin lỗi" not in harness.last_text(CITIZEN.id)

    await reply_in_group(harness, SUPERVISOR, prompt, "05/01/2027 10:00 – Chờ ý kiến của Sở Tài chính.")
    item = await harness.item(code)
    assert item.answer_due_at == datetime(2027, 1, 5, 10, 0, tzinfo=HANOI)
    reasons = [event.reason for event in await events_of(harness, code) if event.action == "refused"]
    assert reasons == ["extension_too_long", "reason_required"]


async def test_the_apology_is_in_the_citizen_s_language(harness: Harness) -> None:
    _, card = await overdue_road_item(harness)
    async with harness.session() as session:
        citizen = await session.get(Citizen, CITIZEN.id)
        assert citizen is not None
        citizen.language = "en"
        session.add(citizen)
    await press_on(harness, SUPERVISOR, card, "Gia hạn")
    await reply_in_group(
        harness, SUPERVISOR, last_bot_message(harness, SUPERVISORS_GROUP), "31/12/2026 - Site survey."
    )
    apology = harness.last_text(CITIZEN.id)
    assert "apologises" in apology and "before 17:00 Thursday, 31/12/2026" in apology
    assert "Department of Construction" in apology


# --- flag for review ----------------------------------------------------------------------------------


async def test_flagging_for_review_records_the_reason_and_lists_the_item(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Xem xét trách nhiệm")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    assert is_force_reply(harness, prompt)
    await reply_in_group(harness, SUPERVISOR, prompt, "Quá hạn 4 ngày, không cập nhật tiến độ.")
    item = await harness.item(code)
    assert item.is_flagged_for_review and item.state is ItemState.IN_PROGRESS
    assert "Đã đề nghị xem xét trách nhiệm" in harness.last_text(SUPERVISORS_GROUP)
    flagged = (await events_of(harness, code))[-1]
    assert (flagged.action, flagged.actor_telegram_user_id, flagged.reason) == (
        "flagged_for_review",
        SUPERVISOR.id,
        "Quá hạn 4 ngày, không cập nhật tiến độ.",
    )
    assert "xem xét trách nhiệm" not in harness.last_text(CITIZEN.id)  # internal to the province

    await press_on(harness, SUPERVISOR, card, "Xem xét trách nhiệm")
    assert "đã được đề nghị xem xét trách nhiệm rồi" in alerts(harness)[-1]

    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/overdue")
    listing, flagged_list = harness.fake.texts(SUPERVISORS_GROUP)[-2:]
    assert f"{code} – Giao thông – quá hạn 4 ngày làm việc 🚩" in listing
    assert "Hồ sơ đề nghị xem xét trách nhiệm: 1" in flagged_list and code in flagged_list


# --- refusals -----------------------------------------------------------------------------------------


async def test_actions_on_a_closed_item_are_refused_politely(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await answer_item(harness, code)
    await harness.press(CITIZEN, CITIZEN.id, "Hài lòng")
    assert (await harness.item(code)).state is ItemState.CLOSED
    sent_to_agency = len(harness.fake.texts(XD_GROUP))
    for label in ("Đôn đốc", "Giao cơ quan khác", "Gia hạn"):
        await press_on(harness, SUPERVISOR, card, label)
        assert "hiện đã kết thúc" in alerts(harness)[-1] and "không còn phù hợp" in alerts(harness)[-1]
    assert len(harness.fake.texts(XD_GROUP)) == sent_to_agency
    item = await harness.item(code)
    assert item.state is ItemState.CLOSED and item.extension_count == 0 and item.agency_code == "SO-XD"
    refused = [event for event in await events_of(harness, code) if event.action == "refused"]
    assert [(event.detail["attempted"], event.reason) for event in refused] == [
        ("urge", "wrong_state"),
        ("reassign", "wrong_state"),
        ("extend", "wrong_state"),
    ]


async def test_a_non_member_in_the_supervisors_group_cannot_act(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    for label in ("Đôn đốc", "Gia hạn", "Xem xét trách nhiệm"):
        await press_on(harness, OUTSIDER, card, label)
        assert "Chỉ thành viên" in alerts(harness)[-1]
    assert all("đôn đốc" not in text for text in harness.fake.texts(XD_GROUP))
    item = await harness.item(code)
    assert item.extension_count == 0 and not item.is_flagged_for_review
    refused = [event for event in await events_of(harness, code) if event.action == "refused"]
    assert [event.reason for event in refused] == ["not_authorised:not_member"] * 3
    assert refused[0].actor_telegram_user_id == OUTSIDER.id


async def test_a_press_forged_from_the_agency_group_is_refused(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    xd_card = card_of(harness, XD_GROUP, code)
    urge_data = next(
        button["callback_data"]
        for row in card["reply_markup"]["inline_keyboard"]
        for button in row
        if "Đôn đốc" in button["text"]
    )
    sent_to_agency = len(harness.fake.texts(XD_GROUP))
    await harness.feed(
        harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=xd_card, data=urge_data)
    )
    assert "nhóm giám sát" in alerts(harness)[-1]
    assert len(harness.fake.texts(XD_GROUP)) == sent_to_agency
    refused = (await events_of(harness, code))[-1]
    assert (refused.action, refused.reason, refused.detail["chat_id"]) == (
        "refused",
        "not_authorised:not_supervisors_group",
        XD_GROUP,
    )

    tampered = urge_data.replace("|urge|", "|flag|")
    await harness.feed(
        harness.updates.callback(SUPERVISOR, chat_id=SUPERVISORS_GROUP, message=card, data=tampered)
    )
    assert alerts(harness)[-1] == "Nút bấm không hợp lệ."
    assert not (await harness.item(code)).is_flagged_for_review


async def test_a_reply_to_a_supervisor_prompt_from_a_non_member_is_refused(harness: Harness) -> None:
    code, card = await overdue_road_item(harness)
    await press_on(harness, SUPERVISOR, card, "Xem xét trách nhiệm")
    prompt = last_bot_message(harness, SUPERVISORS_GROUP)
    await reply_in_group(harness, OUTSIDER, prompt, "Tôi cũng muốn đề nghị.")
    assert "Chỉ thành viên" in harness.last_text(SUPERVISORS_GROUP)
    assert not (await harness.item(code)).is_flagged_for_review


# --- /overdue -----------------------------------------------------------------------------------------


async def test_overdue_lists_items_by_agency_with_the_most_overdue_agency_first(harness: Harness) -> None:
    seat_everyone(harness)
    road_codes = [
        await submit_road_item(harness),
        await submit_road_item(harness, OTHER_CITIZEN),
        await submit_item(
            harness, CITIZEN, category="Giao thông", text="Đèn tín hiệu ngã tư chợ hỏng cả tuần nay."
        ),
    ]
    land_code = await submit_item(
        harness, CITIZEN, category="Đất đai", text="Hộ bên cạnh lấn chiếm lối đi chung của khu dân cư."
    )
    harness.clock.advance(timedelta(days=1))  # Tuesday: this land item is one working day younger
    younger_land_code = await submit_item(
        harness, OTHER_CITIZEN, category="Đất đai", text="Rác thải đổ trộm ven sông, bốc mùi hôi thối."
    )
    harness.clock.advance(timedelta(days=16, hours=1))  # Thursday 24/12/2026 10:00
    fresh_code = await submit_item(
        harness, OTHER_CITIZEN, category="Giao thông", text="Cây đổ chắn ngang đường liên xã sau cơn bão."
    )
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/overdue")
    listing = harness.last_text(SUPERVISORS_GROUP)
    assert "Hồ sơ quá hạn trả lời: 5" in listing
    # three late items before two, although "Nông nghiệp" comes first alphabetically
    assert listing.index("Sở Xây dựng – 3 hồ sơ") < listing.index("Sở Nông nghiệp và Môi trường – 2 hồ sơ")
    for code in road_codes:
        assert f"{code} – Giao thông – quá hạn 2 ngày làm việc" in listing
    assert listing.index(f"{land_code} – Đất đai – quá hạn 2 ngày làm việc") < listing.index(
        f"{younger_land_code} – Đất đai – quá hạn 1 ngày làm việc"
    )
    assert fresh_code is not None and fresh_code not in listing
    assert len(harness.fake.texts(SUPERVISORS_GROUP)) == 1  # nothing is flagged: no second message


async def test_overdue_with_nothing_late_and_outside_the_supervisors_group(harness: Harness) -> None:
    seat_everyone(harness)
    await submit_road_item(harness)
    await harness.say_in_group(SUPERVISORS_GROUP, SUPERVISOR, "/overdue")
    assert "Không có hồ sơ nào quá hạn" in harness.last_text(SUPERVISORS_GROUP)
    harness.clock.advance(TWENTY_DAYS)
    await harness.say_in_group(XD_GROUP, OFFICER_XD, "/overdue")
    assert "chỉ dùng được trong nhóm giám sát" in harness.last_text(XD_GROUP)
    await harness.say_in_group(SUPERVISORS_GROUP, OUTSIDER, "/overdue")
    assert "chỉ dùng được trong nhóm giám sát" in harness.last_text(SUPERVISORS_GROUP)
    await harness.say(CITIZEN, "/overdue")
    assert "chỉ dùng được trong nhóm giám sát" in harness.last_text(CITIZEN.id)
