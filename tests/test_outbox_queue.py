"""Queued messages are written in one INSERT, seen by the transaction's own queries, and lost with it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from models.outbox import Message, Outbox
from models.tables import OutboxMessage, OutboxStatus
from tests.constants import CITIZEN, XD_GROUP
from tests.harness import Harness


@contextmanager
def outbox_inserts(harness: Harness) -> Iterator[list[int]]:
    """Record, per INSERT into the outbox, how many rows it wrote."""
    engine = harness.services.engine.sync_engine
    rows_per_insert: list[int] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOXMESSAGE"):
            rows_per_insert.append(len(parameters) if many else 1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield rows_per_insert
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def stored_texts(harness: Harness) -> list[str]:
    async with harness.session() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all()  # type: ignore[arg-type]
    return [row.payload["text"] for row in rows]


async def test_the_messages_of_a_transaction_are_written_in_one_insert_when_it_commits(
    harness: Harness,
) -> None:
    with outbox_inserts(harness) as rows_per_insert:
        async with harness.session() as session:
            outbox = Outbox(session, harness.clock.now())
            outbox.send(CITIZEN.id, Message("Một"))
            outbox.send(CITIZEN.id, Message("Hai"))
            outbox.send(XD_GROUP, Message("Ba"))
            assert rows_per_insert == []  # nothing written yet: nothing has asked
    assert rows_per_insert == [3]
    assert await stored_texts(harness) == ["Một", "Hai", "Ba"]
    assert {row.chat_id for row in outbox.queued} == {CITIZEN.id, XD_GROUP}
    pending = await harness.pending_outbox()
    assert all(row.status is OutboxStatus.PENDING and row.attempts == 0 for row in pending)
    assert all(row.available_at == harness.clock.now() for row in pending)


async def test_a_query_in_the_same_transaction_sees_the_messages_queued_before_it(harness: Harness) -> None:
    async with harness.session() as session:
        outbox = Outbox(session, harness.clock.now())
        outbox.send(CITIZEN.id, Message("Đã xếp hàng"))
        seen = (await session.exec(select(OutboxMessage))).all()
        assert [row.payload["text"] for row in seen] == ["Đã xếp hàng"]
        outbox.send(CITIZEN.id, Message("Sau truy vấn"))
    assert await stored_texts(harness) == ["Đã xếp hàng", "Sau truy vấn"]


async def test_a_rolled_back_transaction_leaves_no_message_and_the_session_starts_clean(
    harness: Harness,
) -> None:
    session = harness.services.session_factory()
    try:
        with pytest.raises(RuntimeError):
            async with session.begin():
                Outbox(session, harness.clock.now()).send(CITIZEN.id, Message("Không gửi"))
                raise RuntimeError("the handler failed")
        async with session.begin():
            Outbox(session, harness.clock.now()).send(CITIZEN.id, Message("Gửi"))
    finally:
        await session.close()
    assert await stored_texts(harness) == ["Gửi"]


async def test_a_session_closed_without_a_commit_forgets_its_messages_when_it_is_used_again(
    harness: Harness,
) -> None:
    session = harness.services.session_factory()
    try:
        await session.connection()  # a transaction begins, as it does on a first statement
        Outbox(session, harness.clock.now()).send(CITIZEN.id, Message("Bỏ dở"))
        await session.close()  # rolled back, never committed
        async with session.begin():
            Outbox(session, harness.clock.now()).send(CITIZEN.id, Message("Mới"))
    finally:
        await session.close()
    assert await stored_texts(harness) == ["Mới"]
