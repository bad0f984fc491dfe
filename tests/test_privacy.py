"""Personal data (PDP Law 91/2025/QH15): /mydata shows it, deletion removes it, consent is kept, logs are masked."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from bot.logging_privacy import PersonalDataFilter, mask_personal_data
from models.tables import Citizen, ConversationDraft, InboxUpdate, ItemEvent, OutboxMessage
from tests.constants import NNMT_GROUP
from tests.flows import CITIZEN, OTHER_CITIZEN, submit_item
from tests.harness import Harness


async def test_consent_is_stored_with_its_time_and_wording(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai", share_phone="0912345678")
    item = await harness.item(code)
    assert item.contact_phone == "0912345678"
    assert item.contact_consent_at == harness.clock.now()
    assert item.contact_consent_wording and "đồng ý" in item.contact_consent_wording.lower()


async def test_mydata_shows_what_is_stored(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai", share_phone="0912345678")
    await harness.say(CITIZEN, "/mydata")
    shown = harness.last_text(CITIZEN.id)
    assert str(CITIZEN.id) in shown and "Tiếng Việt" in shown
    assert code in shown and "đã tiếp nhận" in shown.lower()
    assert "0912345678" in shown and "đồng ý cung cấp lúc 09:00" in shown
    harness.find_button(CITIZEN.id, "Xoá dữ liệu cá nhân")


async def test_mydata_for_a_stranger_stores_nothing(harness: Harness) -> None:
    await harness.say(OTHER_CITIZEN, "/mydata")
    assert "không lưu dữ liệu cá nhân nào" in harness.last_text(OTHER_CITIZEN.id)
    async with harness.session() as session:
        assert await session.get(Citizen, OTHER_CITIZEN.id) is None


async def test_deleting_personal_data_keeps_the_anonymised_item_and_its_history(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai", share_phone="0912345678")
    await harness.say(CITIZEN, "/new")  # a draft in progress
    await harness.say(CITIZEN, "/mydata")
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu cá nhân")
    assert "Việc xoá không thể hoàn tác" in harness.last_text(CITIZEN.id)
    item = await harness.item(code)
    assert item.contact_phone == "0912345678"  # asking is not deleting
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu")
    assert "1 hồ sơ đã được ẩn danh" in harness.last_text(CITIZEN.id)

    item = await harness.item(code)
    assert item.contact_phone is None and item.contact_name is None
    assert item.citizen_telegram_user_id is None
    assert item.location_latitude is None
    assert item.text and item.state.value == "received"  # the item itself stays
    assert item.contact_consent_at is not None  # the lawful basis of what the agency saw stays on record
    events = await harness.events(item.id)  # type: ignore[arg-type]
    assert [event.action for event in events] == ["submitted", "personal_data_erased"]
    assert all(event.actor_telegram_user_id is None for event in events)
    async with harness.session() as session:
        assert await session.get(Citizen, CITIZEN.id) is None
        assert await session.get(ConversationDraft, CITIZEN.id) is None
        stored = (await session.exec(select(InboxUpdate).where(InboxUpdate.chat_id == CITIZEN.id))).all()
        assert not stored  # handled raw updates keep only their update_id, and no chat
        for row in (await session.exec(select(OutboxMessage))).all():
            assert "0912345678" not in str(row.payload) or row.status.value == "pending"
        assert (
            await session.exec(select(ItemEvent).where(ItemEvent.actor_telegram_user_id == CITIZEN.id))
        ).first() is None
    # The card in the agency group no longer shows the phone number.
    card = next(
        message for message in harness.bot_messages(NNMT_GROUP) if code in (message.get("text") or "")
    )
    assert "0912345678" not in card["text"]
    # /status still works for anyone with the code, but the citizen is no longer its owner.
    await harness.say(CITIZEN, f"/status {code}")
    assert "Sở Nông nghiệp" not in harness.last_text(CITIZEN.id)


async def test_keeping_the_data_changes_nothing(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai", share_phone="0912345678")
    await harness.say(CITIZEN, "/mydata")
    await harness.press(CITIZEN, CITIZEN.id, "Xoá dữ liệu cá nhân")
    await harness.press(CITIZEN, CITIZEN.id, "Không xoá")
    assert "giữ nguyên" in harness.last_text(CITIZEN.id)
    item = await harness.item(code)
    assert item.contact_phone == "0912345678" and item.citizen_telegram_user_id == CITIZEN.id


async def test_a_forged_erase_button_is_refused(harness: Harness) -> None:
    code = await submit_item(harness, CITIZEN, category="Đất đai", share_phone="0912345678")
    await harness.say(CITIZEN, "/mydata")
    message, data = harness.find_button(CITIZEN.id, "Xoá dữ liệu cá nhân")
    forged = data.replace("pd|ask|", "pd|erase|")
    assert forged != data
    await harness.feed(harness.updates.callback(CITIZEN, chat_id=CITIZEN.id, message=message, data=forged))
    item = await harness.item(code)
    assert item.contact_phone == "0912345678"


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ("Liên hệ 0912345678 ngay", "0912345678"),
        ("gọi +84 912 345 678", "912 345 678"),
        ("User(first_name='Lan', id=5001, last_name='Nguyễn')", "Lan"),
        ('{"first_name": "Minh", "username": "minh_tn"}', "minh_tn"),
        (
            "POST https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
            "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        ),
    ],
)
def test_logs_mask_phone_numbers_names_and_the_token(line: str, hidden: str) -> None:
    masked = mask_personal_data(line)
    assert hidden not in masked


def test_the_log_filter_masks_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("pakn.privacy-test")
    caplog.handler.addFilter(PersonalDataFilter())
    try:
        raise ValueError("contact_name='Trần Văn An' phone 0987654321")
    except ValueError:
        logger.exception("Update from %s failed", "0912345678")
    assert "0912345678" not in caplog.text and "0987654321" not in caplog.text
    assert "Trần Văn An" not in caplog.text
    assert "*******678" in caplog.text


async def test_handled_raw_updates_are_purged_after_the_retention(harness: Harness) -> None:
    from datetime import timedelta

    await harness.say(CITIZEN, "/start")
    harness.clock.advance(timedelta(hours=73))
    async with harness.session() as session:
        from models.inbox_queue import store_update

        await store_update(session, harness.updates.private_command(CITIZEN, "help"), harness.clock.now())
    inbox = harness.runtime.inbox
    assert await inbox.purge_processed(older_than=harness.clock.now() - timedelta(hours=72)) == 1
    async with harness.session() as session:
        remaining = (await session.exec(select(InboxUpdate))).all()
    assert len(remaining) == 1 and remaining[0].processed_at is None  # waiting updates are never purged
