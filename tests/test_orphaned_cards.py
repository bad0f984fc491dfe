"""Issue 8.1: items parked in triage (or never posted) before their agency binds a group reach that group."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import card_placement
from models.actions import Action
from models.agencies import create_bind_code
from models.items import history_of
from models.submission import Submission, create_item
from models.tables import ItemKind, ItemState
from tests.flows import CITIZEN, OTHER_CITIZEN, submit_item
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_VP,
    TRIAGE_GROUP,
    buttons_of,
    card_of,
    claim,
    last_bot_message,
    press_on,
    seat_everyone,
    start_prompt,
)
from tests.updates import TgUser

ADMIN = TgUser(id=8001, first_name="Hùng", last_name="Trần")
HEALTH_OFFICER = TgUser(id=8501, first_name="Nga", last_name="Bùi")
HEALTH_GROUP = -1006000
NEW_TRIAGE_GROUP = -1001500
MOVED_NOTE = "Hồ sơ đã được gửi sang nhóm Telegram vừa gắn của"


async def bind(harness: Harness, agency_code: str, chat_id: int) -> None:
    async with harness.session() as session:
        bind_code = await create_bind_code(
            session=session,
            directory=harness.services.directory,
            agency_code=agency_code,
            now=harness.clock.now(),
            valid_for=timedelta(minutes=30),
        )
    await harness.say_in_group(chat_id, ADMIN, f"/bind {bind_code.code}")


async def item_never_posted(harness: Harness, text: str) -> str:
    """Save an item without posting its card, as when neither its agency nor triage had a group."""
    services = harness.services
    async with harness.session() as session:
        item, _ = await create_item(
            session=session,
            submission=Submission(
                citizen_telegram_user_id=OTHER_CITIZEN.id,
                kind=ItemKind.FEEDBACK,
                category_code="y-te",
                text=text,
            ),
            directory=services.directory,
            calendar=services.calendar,
            now=harness.clock.now(),
        )
        return item.code


async def test_binding_moves_the_triage_card_to_the_new_group_and_closes_it_in_triage(
    harness: Harness,
) -> None:
    seat_everyone(harness)
    harness.fake.set_member(HEALTH_GROUP, HEALTH_OFFICER.id)
    parked = await submit_item(harness, CITIZEN, category="Y tế")
    assert parked is not None
    assert buttons_of(card_of(harness, TRIAGE_GROUP, parked)) == ["↪️ Không thuộc thẩm quyền"]
    never_posted = await item_never_posted(harness, "Trạm y tế phường đóng cửa cả tuần, không có ai trực.")

    await bind(harness, "SO-YT", HEALTH_GROUP)

    for code in (parked, never_posted):
        card = card_of(harness, HEALTH_GROUP, code)
        assert "✋ Nhận xử lý" in buttons_of(card) and "chưa có nhóm Telegram" not in card["text"]
    assert "2 hồ sơ đang mở" in harness.last_text(HEALTH_GROUP)
    triage_card = card_of(harness, TRIAGE_GROUP, parked)
    assert MOVED_NOTE + " Sở Y tế" in triage_card["text"] and buttons_of(triage_card) == []
    for code in (parked, never_posted):  # the move is in each item's history
        item = await harness.item(code)
        async with harness.session() as session:
            actions = [event.action for event in await history_of(session, item.id or 0)]
        assert actions.count(Action.CARD_MOVED_TO_NEW_GROUP) == 1
    await claim(harness, parked, officer=HEALTH_OFFICER, chat_id=HEALTH_GROUP)
    assert (await harness.item(parked)).state is ItemState.IN_PROGRESS
    # Nothing is posted twice: the group already shows every card it should.
    before = len(harness.fake.texts(HEALTH_GROUP))
    async with harness.session() as session:
        batches = [
            batch
            async for batch in card_placement.orphaned_cards(
                session, agency_codes=["SO-YT"], chat_id=HEALTH_GROUP, card_purpose="card"
            )
        ]
    assert batches == [] and len(harness.fake.texts(HEALTH_GROUP)) == before


async def test_rebinding_triage_moves_its_own_and_stand_in_cards_in_batches(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(card_placement, "ORPHAN_BATCH_SIZE", 2)  # page through several batches
    seat_everyone(harness)
    stand_ins = [
        await submit_item(
            harness, CITIZEN, category="Y tế", text=f"Bệnh viện huyện thiếu thuốc lần {n}, xin xem xét."
        )
        for n in range(3)
    ]
    triage_own = await submit_item(
        harness, CITIZEN, category="Trật tự đô thị", text="Đề nghị dẹp quán lấn chiếm vỉa hè ở ngã tư chợ."
    )
    await bind(harness, "VP", NEW_TRIAGE_GROUP)
    for code in [*stand_ins, triage_own]:
        assert code is not None
        assert code in card_of(harness, NEW_TRIAGE_GROUP, code)["text"]
        old = card_of(harness, TRIAGE_GROUP, code)
        assert MOVED_NOTE + " Văn phòng UBND tỉnh" in old["text"] and buttons_of(old) == []
    assert "4 hồ sơ đang mở" in harness.last_text(NEW_TRIAGE_GROUP)
    # The stand-in cards are still stand-ins: the new triage group may only route them.
    assert buttons_of(card_of(harness, NEW_TRIAGE_GROUP, stand_ins[0]))[0] == "↪️ Không thuộc thẩm quyền"


async def test_the_triage_chooser_offers_the_items_own_agency_and_keeps_it(harness: Harness) -> None:
    seat_everyone(harness)
    code = await submit_item(harness, CITIZEN, category="Y tế")
    assert code is not None
    chooser = await start_prompt(harness, code, "Không thuộc thẩm quyền", OFFICER_VP, TRIAGE_GROUP)
    labels = buttons_of(chooser)
    assert labels[0] == "📌 Sở Y tế (đúng cơ quan, giữ nguyên)" and "Sở Xây dựng" in labels
    await press_on(harness, OFFICER_VP, chooser, "Sở Y tế")
    kept = harness.fake.message_dict(TRIAGE_GROUP, chooser["message_id"])
    assert "vẫn thuộc Sở Y tế" in kept["text"] and "pakn agency bind-code SO-YT" in kept["text"]
    item = await harness.item(code)
    assert (item.agency_code, item.transfer_count, item.state) == ("SO-YT", 0, ItemState.RECEIVED)
    assert last_bot_message(harness, TRIAGE_GROUP)["message_id"] == chooser["message_id"]  # no prompt follows
