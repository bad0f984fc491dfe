"""A private update handled on arrival: on PostgreSQL one statement stores it, counts it and loads its sender.

The rules are those of the inbox, the flood control and the conversation; these tests check that the
statement keeps them, on both databases (SQLite keeps the separate statements).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.context import UnitOfWork
from bot.inbox import store_in_inbox
from models.inbox_queue import private_sender_of
from models.outbox import Outbox
from models.private_arrival import PrivateArrival
from models.tables import Citizen, ConversationDraft, Item, Throttle
from models.throttling import Scope
from tests.constants import TRIAGE_GROUP
from tests.flows import CITIZEN, OTHER_CITIZEN, VALID_TEXT, submit_item
from tests.harness import Harness
from tests.updates import UpdateFactory


async def counted(harness: Harness, telegram_user_id: int) -> int:
    async with harness.session() as session:
        row = await session.get(Throttle, (Scope.PRIVATE_MESSAGES.value, telegram_user_id))
        return 0 if row is None else row.count


def test_only_an_update_from_a_private_chat_with_its_sender_has_a_private_sender() -> None:
    updates = UpdateFactory()
    assert private_sender_of(updates.private_text(CITIZEN, "xin chào")) == CITIZEN.id
    assert private_sender_of(updates.edited_private_text(CITIZEN, "xin chào")) == CITIZEN.id
    assert private_sender_of(updates.group_text(TRIAGE_GROUP, CITIZEN, "xin chào")) is None
    card = {"message_id": 7, "date": 0, "chat": {"id": CITIZEN.id, "type": "private"}, "text": "…"}
    press = updates.callback(CITIZEN, chat_id=CITIZEN.id, message=card, data="x")
    assert private_sender_of(press) == CITIZEN.id
    group_card = {"message_id": 7, "date": 0, "chat": {"id": TRIAGE_GROUP, "type": "supergroup"}, "text": "…"}
    assert (
        private_sender_of(updates.callback(CITIZEN, chat_id=TRIAGE_GROUP, message=group_card, data="x"))
        is None
    )
    inline = copy.deepcopy(press)
    del inline["callback_query"]["message"]  # a press on an inline message: no chat to order by
    assert private_sender_of(inline) is None
    forged = updates.private_text(CITIZEN, "xin chào")
    forged["message"]["from"]["id"] = OTHER_CITIZEN.id  # a private chat is always its user's
    assert private_sender_of(forged) is None
    assert private_sender_of({"update_id": 1}) is None


def test_the_senders_records_are_handed_out_once_and_only_to_the_sender() -> None:
    now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    citizen = Citizen(telegram_user_id=CITIZEN.id, language="vi", display_name=None, first_seen_at=now)
    arrival = PrivateArrival(
        sender_id=CITIZEN.id, is_stored=True, is_counted=True, citizen=citizen, draft=None
    )
    session: Any = None  # never used: handing out the records is bookkeeping only
    unit = UnitOfWork(session=session, now=now, outbox=Outbox(session, now), private_arrival=arrival)
    assert unit.take_sender_records(OTHER_CITIZEN.id) is None
    assert unit.take_sender_records(CITIZEN.id) == (citizen, None)
    assert unit.take_sender_records(CITIZEN.id) is None  # a second lookup queries the database


async def test_a_whole_submission_handled_on_arrival_counts_every_update_once(harness: Harness) -> None:
    harness.on_arrival = True
    inbox = harness.runtime.inbox
    arrivals: list[bool] = []
    handle_arrival = inbox.handle_arrival

    async def recorded(payload: dict[str, Any]) -> bool:
        arrivals.append(await handle_arrival(payload))
        return arrivals[-1]

    inbox.handle_arrival = recorded  # type: ignore[method-assign]
    code = await submit_item(harness, CITIZEN, category="Môi trường", text=VALID_TEXT, photo=True)
    assert code is not None
    async with harness.session() as session:
        item = (await session.exec(select(Item).where(Item.code == code))).one()
        assert item.citizen_telegram_user_id == CITIZEN.id
        assert await session.get(ConversationDraft, CITIZEN.id) is None  # the draft became the item
    assert len(arrivals) >= 8 and all(arrivals)  # every update was handled on arrival
    assert await counted(harness, CITIZEN.id) == len(arrivals)


async def test_an_arrival_behind_a_pending_update_is_neither_stored_as_handled_nor_counted(
    harness: Harness,
) -> None:
    await harness.say(CITIZEN, "/start")
    before = await counted(harness, CITIZEN.id)
    waiting = harness.updates.private_command(CITIZEN, "/help")
    assert await store_in_inbox(harness.services, [waiting]) == 1  # pending: the loop has not taken it
    arrival = harness.updates.private_command(CITIZEN, "/start")
    assert await harness.runtime.inbox.handle_arrival(arrival) is False  # stored as pending behind it
    assert await counted(harness, CITIZEN.id) == before  # a rolled-back count is no count
    await harness.runtime.inbox.process_pending()
    await harness.runtime.inbox.finish_handled_on_arrival()
    assert await counted(harness, CITIZEN.id) == before + 2  # each counted once, by the loop


async def test_a_first_contact_on_arrival_creates_the_citizen(harness: Harness) -> None:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    engine = harness.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert await harness.runtime.inbox.handle_arrival(harness.updates.private_command(CITIZEN, "/new"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    await harness.deliver()
    assert "Bước 1/7" in harness.last_text(CITIZEN.id)
    async with harness.session() as session:
        assert await session.get(Citizen, CITIZEN.id) is not None
    assert await counted(harness, CITIZEN.id) == 1  # no counter yet: counted in full by the flood control
    if not harness.services.settings.is_sqlite:
        assert statements[0].startswith("WITH arrived AS")


@pytest.mark.parametrize("minutes", [0, 2])
async def test_a_new_window_is_counted_in_full_after_the_arrival_tried(
    harness: Harness, minutes: int
) -> None:
    harness.on_arrival = True
    await harness.say(CITIZEN, "/start")
    harness.clock.advance(timedelta(minutes=minutes))  # 2: the minute's window is over
    await harness.say(CITIZEN, "/help")
    assert await counted(harness, CITIZEN.id) == (2 if minutes == 0 else 1)
