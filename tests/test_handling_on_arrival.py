"""Handling on arrival: a webhook update whose chat is idle is handled in the transaction that stores it.

It is a shortcut of the inbox, never a second set of rules: whenever the chat has something waiting or
running, or the handler fails, the update is stored as pending and the inbox loop takes it in order.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import event
from sqlmodel import col, select

from bot.inbox import MAX_WRITERS_AHEAD, InboxTicket
from bot.webhook import SECRET_HEADER, init_web_app
from models.tables import InboxUpdate
from tests.flows import CITIZEN
from tests.harness import Harness, ready_to_send

SECRET = "s3cr3t-Token_for-tests-0123456789"
PATH = "/telegram-hook"
HEADERS = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}


@pytest_asyncio.fixture
async def webhook(harness: Harness) -> AsyncIterator[TestClient[Any, Any]]:
    """The web app as `pakn run` serves it: with the instance's inbox, so idle chats are handled at once."""
    harness.services.settings = harness.services.settings.model_copy(
        update={"webhook_path": PATH, "webhook_secret": SecretStr(SECRET)}
    )
    client = TestClient(
        TestServer(init_web_app(harness.services, harness.application, harness.runtime.inbox))
    )
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def post(webhook: TestClient[Any, Any], update: dict[str, Any]) -> int:
    response = await webhook.post(PATH, data=json.dumps(update), headers=HEADERS)
    return response.status


async def inbox_rows(harness: Harness) -> dict[int, InboxUpdate]:
    async with harness.session() as session:
        rows = (await session.exec(select(InboxUpdate).order_by(col(InboxUpdate.update_id)))).all()
    return {row.update_id: row for row in rows}


async def test_an_idle_chats_update_is_handled_before_the_200_and_its_press_answered(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    assert await post(webhook, press) == 200
    # No inbox pass ran: the item was created in the transaction that stored the update.
    items = await harness.items()
    assert len(items) == 1
    row = (await inbox_rows(harness))[press["update_id"]]
    assert row.processed_at is not None and row.failed_at is None
    assert row.payload == {"update_id": press["update_id"]}  # the texts are not kept once handled
    assert not harness.services.inbox_wakeup.is_set()  # nothing was left for the loop
    await harness.runtime.inbox.finish_handled_on_arrival()
    assert harness.fake.sent(method="answerCallbackQuery"), "the press is answered after the commit"
    await harness.deliver()
    assert items[0].code in harness.last_text(CITIZEN.id)

    assert await post(webhook, press) == 200  # Telegram redelivers: recognised, not handled twice
    assert await harness.runtime.inbox.process_pending() == 0
    assert len(await harness.items()) == 1


async def test_an_update_behind_a_pending_one_of_its_chat_waits_its_turn(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    earlier = harness.updates.private_command(CITIZEN, "help")
    earlier["update_id"] = press["update_id"] - 1
    async with harness.session() as session:  # stored by another instance, not handled yet
        session.add(
            InboxUpdate(
                update_id=earlier["update_id"],
                chat_id=CITIZEN.id,
                payload=earlier,
                received_at=harness.clock.now(),
            )
        )
    assert await post(webhook, press) == 200
    rows = await inbox_rows(harness)
    assert rows[press["update_id"]].processed_at is None, "stored as pending, not handled ahead"
    assert await harness.items() == []
    # The loop takes the older one first; the press waits for it (the claim checks), then goes.
    settled = await harness.runtime.inbox.process_pending()
    settled += await harness.runtime.inbox.process_pending()
    assert settled == 2
    assert all(row.processed_at is not None for row in (await inbox_rows(harness)).values())
    assert len(await harness.items()) == 1


async def test_an_update_of_a_busy_chat_is_queued_not_run_beside_it(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    processor = harness.application.update_processor
    release = asyncio.Event()
    started = asyncio.Event()

    async def busy() -> None:
        started.set()
        await release.wait()

    holder = asyncio.ensure_future(processor.process_update(InboxTicket(0, CITIZEN.id), busy()))
    await started.wait()
    try:  # waiting for the chat here would never end: the webhook must store the update and answer
        assert await asyncio.wait_for(post(webhook, press), timeout=30) == 200
        assert (await inbox_rows(harness))[press["update_id"]].processed_at is None
        assert await harness.items() == []
        assert harness.services.inbox_wakeup.is_set()
    finally:
        release.set()
        await holder
    assert await harness.runtime.inbox.process_pending() == 1
    assert len(await harness.items()) == 1


async def hold_the_write_gate(
    harness: Harness, writers: int
) -> tuple[asyncio.Event, list[asyncio.Future[None]]]:
    """Have `writers` ordinary SQLite writers hold the write gate or wait for it until released."""
    gate = harness.services.sqlite_writes
    release = asyncio.Event()

    async def writer() -> None:
        async with gate.ordinary():
            await release.wait()

    holders = [asyncio.ensure_future(writer()) for _ in range(writers)]
    await asyncio.sleep(0)  # one turn of the loop: each takes its place at the gate
    assert gate.writers() == writers
    return release, holders


async def post_while_writers_hold_the_gate(
    harness: Harness, webhook: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch, writers: int
) -> dict[str, Any]:
    """Post a press while `writers` writers are at the write gate; release them once the inbox decided."""
    press = await ready_to_send(harness, CITIZEN)
    inbox = harness.runtime.inbox
    decided = asyncio.Event()
    decide = inbox._can_handle_at_once

    def deciding(ticket: InboxTicket) -> bool:
        decided.set()
        return decide(ticket)

    monkeypatch.setattr(inbox, "_can_handle_at_once", deciding)
    release, holders = await hold_the_write_gate(harness, writers)
    posted = asyncio.ensure_future(post(webhook, press))
    await asyncio.wait_for(decided.wait(), timeout=30)  # decided while they are at the gate
    release.set()
    await asyncio.gather(*holders)
    assert await posted == 200
    return press


async def test_on_sqlite_an_update_behind_a_few_writers_is_still_handled_on_arrival(
    harness: Harness, webhook: TestClient[Any, Any], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's write gate only")
    press = await post_while_writers_hold_the_gate(harness, webhook, monkeypatch, MAX_WRITERS_AHEAD - 1)
    assert (await inbox_rows(harness))[press["update_id"]].processed_at is not None
    assert len(await harness.items()) == 1, "handled in turn behind them, before the 200"


async def test_on_sqlite_an_update_behind_many_writers_is_stored_for_the_loop(
    harness: Harness, webhook: TestClient[Any, Any], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's write gate only")
    press = await post_while_writers_hold_the_gate(harness, webhook, monkeypatch, MAX_WRITERS_AHEAD)
    assert (await inbox_rows(harness))[press["update_id"]].processed_at is None, "stored, ahead of them"
    assert await harness.items() == []
    assert await harness.runtime.inbox.process_pending() == 1
    assert len(await harness.items()) == 1


async def test_a_failing_handler_leaves_the_update_pending_for_the_loop(
    harness: Harness, webhook: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    application = harness.application
    original = application.process_update
    failures = [RuntimeError("a bug that the next attempt does not hit")]

    async def flaky(update: object) -> None:
        if failures:
            raise failures.pop()
        await original(update)

    monkeypatch.setattr(application, "process_update", flaky)
    assert await post(webhook, press) == 200  # stored: Telegram must not retry, nothing is lost
    row = (await inbox_rows(harness))[press["update_id"]]
    assert (
        row.processed_at is None and row.payload["callback_query"]["data"] == press["callback_query"]["data"]
    )
    assert await harness.items() == []  # the failed attempt was rolled back whole
    assert await harness.runtime.inbox.process_pending() == 1
    assert len(await harness.items()) == 1


async def test_a_step_handled_on_arrival_is_one_transaction_of_five_statements(harness: Harness) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, CITIZEN.id, "Phản ánh")
    message, data = harness.find_button(CITIZEN.id, "Cá nhân")
    press = harness.updates.callback(CITIZEN, chat_id=CITIZEN.id, message=message, data=data)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    engine = harness.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert await harness.runtime.inbox.handle_arrival(press) is True
    finally:
        event.remove(engine, "before_cursor_execute", count)
    await harness.deliver()
    assert "Bước 3/7" in harness.last_text(CITIZEN.id)  # the category question
    work = [statement for statement in statements if not statement.startswith(("BEGIN", "SAVEPOINT"))]
    # stored as handled (1), the flood counter (1), the citizen with the draft (1), the draft's step (1),
    # the next question (1): no claim, no second transaction, no read-back of the update.
    assert len(work) == 5, work
    assert work[1].startswith("UPDATE throttle SET count=(throttle.count +"), work[1]
    assert sum(statement.startswith("BEGIN") for statement in statements) <= 1
