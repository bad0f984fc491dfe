"""The citizen's submit conversation, end to end through the real Application and a fake Bot API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from models.tables import ConversationDraft, ItemState, OutboxMessage
from tests.flows import (
    CITIZEN,
    OTHER_CITIZEN,
    VALID_TEXT,
    submit_item,
)
from tests.harness import Harness

NNMT_GROUP = -1002000
XD_GROUP = -1003000
PDP_GROUP = -1004000
TRIAGE_GROUP = -1001000


async def test_start_explains_scope_and_points_complaints_elsewhere(harness: Harness) -> None:
    await harness.say(CITIZEN, "/start")
    welcome = harness.last_text(CITIZEN.id)
    assert "phản ánh, kiến nghị" in welcome
    assert "Không tiếp nhận khiếu nại, tố cáo" in welcome
    assert "Ban Tiếp công dân" in welcome
    harness.find_button(CITIZEN.id, "Gửi phản ánh")


async def test_whole_conversation_ends_with_card_in_the_right_group(harness: Harness) -> None:
    code = await submit_item(
        harness,
        CITIZEN,
        category="Đất đai",
        locality_query="phan dinh phung",
        locality_button="Phan Đình Phùng",
        photo=True,
        share_phone="0912345678",
    )
    receipt = harness.last_text(CITIZEN.id)
    assert code in receipt
    # Received Monday 07/12/2026 09:00; ten working days after that day ends Monday 21/12/2026 at 17:00.
    assert "trước 17:00 thứ Hai, 21/12/2026" in receipt
    assert "Sở Nông nghiệp và Môi trường" in receipt

    card = harness.fake.texts(NNMT_GROUP)[0]
    assert code in card and "PHẢN ÁNH" in card
    assert "Đất đai" in card and "Phường Phan Đình Phùng" in card
    assert VALID_TEXT in card
    assert "0912345678" in card  # consent was given
    assert str(CITIZEN.id) not in card and CITIZEN.first_name not in card
    assert any(call.method == "sendPhoto" for call in harness.fake.sent(NNMT_GROUP))
    harness.find_button(NNMT_GROUP, "Nhận xử lý")

    item = await harness.item(code)
    assert item.state is ItemState.RECEIVED
    assert item.agency_code == "SO-NNMT"
    assert item.contact_consent_at is not None and item.contact_consent_wording
    events = await harness.events(item.id)  # type: ignore[arg-type]
    assert [event.action for event in events] == ["submitted"]
    assert events[0].actor_telegram_user_id == CITIZEN.id
    async with harness.session() as session:
        assert await session.get(ConversationDraft, CITIZEN.id) is None


async def test_phone_is_hidden_without_consent(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    card = harness.fake.texts(XD_GROUP)[0]
    assert code in card
    assert "không cung cấp" in card
    item = await harness.item(code)
    assert item.contact_phone is None and item.contact_consent_at is None


async def test_locality_route_goes_to_the_ward(harness: Harness) -> None:
    code = await submit_item(
        harness,
        CITIZEN,
        category="Trật tự đô thị",
        locality_query="PHAN ĐÌNH PHÙNG",
        locality_button="Phan Đình Phùng",
    )
    assert code in harness.fake.texts(PDP_GROUP)[0]


async def test_unknown_locality_goes_to_triage_with_a_note(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Trật tự đô thị", locality_unknown=True)
    card = harness.fake.texts(TRIAGE_GROUP)[0]
    assert code in card and "phân loại" in card
    assert (await harness.item(code)).agency_code == "VP"


async def test_agency_without_group_sends_card_to_triage(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    code = await submit_item(harness, CITIZEN, category="Y tế")
    card = harness.fake.texts(TRIAGE_GROUP)[0]
    assert code in card and "Sở Y tế chưa có nhóm Telegram" in card
    assert (await harness.item(code)).agency_code == "SO-YT"  # responsibility stays with the competent agency
    assert "has no bound group" in caplog.text


async def test_cancel_at_any_step_drops_the_draft(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.say(CITIZEN, "/cancel")
    assert "Đã huỷ" in harness.last_text(CITIZEN.id)
    async with harness.session() as session:
        assert await session.get(ConversationDraft, CITIZEN.id) is None
    assert await harness.items() == []


async def test_restart_mid_conversation_continues_where_the_citizen_was(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Đất đai")

    # A new process: a new Application on the same database.
    from tests.harness import build_harness

    restarted = await build_harness(harness.services.settings, harness.fake, harness.clock)
    restarted.updates = harness.updates
    try:
        await restarted.say(CITIZEN, "tan cuong")
        await restarted.press(CITIZEN, CITIZEN.id, "Tân Cương")
        assert "Bước 5/7" in restarted.last_text(CITIZEN.id)
    finally:
        await restarted.close()


async def test_description_limits_are_explained(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Kiến nghị")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Giao thông")
    await harness.say(CITIZEN, "Không rõ địa bàn")
    await harness.say(CITIZEN, "ngắn quá")
    assert "hơi ngắn" in harness.last_text(CITIZEN.id)
    await harness.say(CITIZEN, "x" * 8001)
    assert "vượt quá 8000" in harness.last_text(CITIZEN.id)
    harness.clock.advance(timedelta(minutes=1))  # a new text, not the rest of the refused paste
    await harness.say(CITIZEN, VALID_TEXT)
    assert "Bước 6/7" in harness.last_text(CITIZEN.id)


async def test_business_sender_with_tax_code(harness: Harness) -> None:
    code = await submit_item(
        harness, CITIZEN, category="Giao thông", business=("Công ty TNHH Thành Đạt", "4600123459")
    )
    card = harness.fake.texts(XD_GROUP)[0]
    assert "Công ty TNHH Thành Đạt" in card and "4600123459" in card
    assert code in card


async def test_bad_tax_code_is_explained(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Doanh nghiệp")
    await harness.say(CITIZEN, "Công ty A")
    await harness.say(CITIZEN, "12345")
    assert "Mã số thuế chưa đúng" in harness.last_text(CITIZEN.id)


async def test_someone_elses_phone_number_is_refused(harness: Harness) -> None:
    await submit_item(harness, CITIZEN, category="Giao thông", stop_before_contact=True)
    await harness.feed(harness.updates.private_contact(CITIZEN, "0987654321", own=False))
    assert "số điện thoại của chính bạn" in harness.last_text(CITIZEN.id)


async def test_edit_from_summary_returns_to_summary(harness: Harness) -> None:
    await submit_item(harness, CITIZEN, category="Giao thông", stop_at_summary=True)
    await harness.press(CITIZEN, CITIZEN.id, "Sửa")
    await harness.press(CITIZEN, CITIZEN.id, "Lĩnh vực")
    await harness.press(CITIZEN, CITIZEN.id, "Đất đai")
    summary = harness.last_text(CITIZEN.id)
    assert "kiểm tra lại" in summary and "Đất đai" in summary


async def test_category_pages(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    await harness.press(CITIZEN, CITIZEN.id, "Cá nhân")
    assert "trang 1/2" in harness.last_text(CITIZEN.id)
    await harness.press(CITIZEN, CITIZEN.id, "▶️")
    assert "trang 2/2" in harness.last_text(CITIZEN.id)
    await harness.press(CITIZEN, CITIZEN.id, "Khác")
    assert "Bước 4/7" in harness.last_text(CITIZEN.id)


async def test_status_owner_sees_deadline_others_only_state(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    await harness.say(CITIZEN, f"/status {code.lower().replace('-', ' ')}")
    own = harness.last_text(CITIZEN.id)
    assert "Sở Xây dựng" in own and "21/12/2026" in own
    await harness.say(OTHER_CITIZEN, f"/status {code}")
    other = harness.last_text(OTHER_CITIZEN.id)
    assert code in other and "chờ cơ quan nhận xử lý" in other
    assert "Sở Xây dựng" not in other and "21/12/2026" not in other
    await harness.say(OTHER_CITIZEN, "/status PA-ZZZZZZ")
    assert "Không tìm thấy" in harness.last_text(OTHER_CITIZEN.id)


async def test_my_lists_own_items(harness: Harness) -> None:
    first = await submit_item(harness, CITIZEN, category="Giao thông")
    second = await submit_item(harness, CITIZEN, category="Đất đai", text=VALID_TEXT + " (lần hai)")
    await submit_item(harness, OTHER_CITIZEN, category="Đất đai")
    await harness.say(CITIZEN, "/my")
    listing = harness.last_text(CITIZEN.id)
    assert first in listing and second in listing
    assert listing.index(second) < listing.index(first)
    assert len(re.findall(r"(PA|KN)-[0-9A-Z]{6}", listing)) == 2


async def test_english_on_request(harness: Harness) -> None:
    await harness.say(CITIZEN, "/language")
    assert "Switched to English" in harness.fake.texts(CITIZEN.id)[-2]
    await harness.say(CITIZEN, "/new")
    assert "Step 1/7" in harness.last_text(CITIZEN.id)


async def test_duplicate_text_shows_the_existing_code(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Giao thông")
    again = await submit_item(harness, CITIZEN, category="Giao thông", expect_code=False)
    assert again is None
    assert code in harness.last_text(CITIZEN.id) and "trùng" in harness.last_text(CITIZEN.id)
    assert len(await harness.items()) == 1


async def test_hourly_submission_limit(harness: Harness) -> None:
    for number in range(5):
        await submit_item(harness, CITIZEN, category="Giao thông", text=f"{VALID_TEXT} số {number}")
    await harness.say(CITIZEN, "/new")  # refused before the first step, not after the seventh
    assert "từ 10:00 thứ Hai, 07/12/2026" in harness.last_text(CITIZEN.id)
    assert len(await harness.items()) == 5
    harness.clock.advance(timedelta(hours=1, minutes=1))
    await submit_item(harness, CITIZEN, category="Giao thông", text=VALID_TEXT + " số 6")
    assert len(await harness.items()) == 6


async def test_card_and_item_commit_together(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai")
    item = await harness.item(code)
    async with harness.session() as session:
        from sqlmodel import select

        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.item_id == item.id))).all()
    assert any(row.chat_id == NNMT_GROUP and row.purpose == "card" for row in rows)
