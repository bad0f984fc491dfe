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

import bot.inbox as inbox_module
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

    async def in_its_turn() -> None:
        ticket = InboxTicket(0, CITIZEN.id)
        async with processor.turn(ticket):
            await processor.process_update(ticket, busy())

    holder = asyncio.ensure_future(in_its_turn())
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


async def occupy_every_worker(harness: Harness) -> tuple[asyncio.Event, list[asyncio.Future[None]]]:
    """Have updates of other chats hold every worker until released."""
    processor = harness.application.update_processor
    release = asyncio.Event()
    started: list[asyncio.Event] = []

    def holding(started_event: asyncio.Event) -> Any:
        async def hold() -> None:
            started_event.set()
            await release.wait()

        return hold()

    holders = []
    for number in range(processor.max_concurrent_updates):
        started.append(asyncio.Event())
        ticket = InboxTicket(10_000 + number, -1_000_000 - number)  # each of its own group chat
        holders.append(asyncio.ensure_future(processor.process_update(ticket, holding(started[-1]))))
    await asyncio.gather(*(event.wait() for event in started))
    assert processor.current_concurrent_updates == processor.max_concurrent_updates
    return release, holders


async def test_an_arrival_waits_for_a_busy_worker_and_is_handled_in_one_transaction(
    harness: Harness, webhook: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    inbox = harness.runtime.inbox
    monkeypatch.setattr(inbox, "_arrival_worker_wait", 3600.0)  # as on PostgreSQL, with no deadline
    processor = harness.application.update_processor
    process_within = processor.process_within
    asked = asyncio.Event()

    async def asking(update: Any, work: Any, *, seconds: float) -> bool:
        asked.set()
        return await process_within(update, work, seconds=seconds)

    monkeypatch.setattr(processor, "process_within", asking)
    release, holders = await occupy_every_worker(harness)
    posted = asyncio.ensure_future(post(webhook, press))
    await asked.wait()
    for _ in range(20):
        await asyncio.sleep(0)
    assert not posted.done(), "it waits for a worker, in its chat's turn"
    assert not processor.is_idle(CITIZEN.id)
    release.set()
    await asyncio.gather(*holders)
    assert await posted == 200
    row = (await inbox_rows(harness))[press["update_id"]]
    assert row.processed_at is not None, "handled on arrival once a worker was free, not stored"
    assert len(await harness.items()) == 1
    assert not harness.services.inbox_wakeup.is_set()  # nothing was left for the loop


async def test_an_arrival_that_finds_no_free_worker_in_time_is_stored_for_the_loop(
    harness: Harness, webhook: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    monkeypatch.setattr(harness.runtime.inbox, "_arrival_worker_wait", 0.0)  # as on SQLite
    release, holders = await occupy_every_worker(harness)
    try:
        assert await asyncio.wait_for(post(webhook, press), timeout=30) == 200
        assert (await inbox_rows(harness))[press["update_id"]].processed_at is None
        assert await harness.items() == []
    finally:
        release.set()
        await asyncio.gather(*holders)
    assert await harness.runtime.inbox.process_pending() == 1
    assert len(await harness.items()) == 1


async def test_an_arrival_given_up_is_stored_before_a_later_update_of_its_chat_can_start(
    harness: Harness, webhook: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.say(CITIZEN, "/new")
    await harness.deliver()
    message, data = harness.find_button(CITIZEN.id, "Phản ánh")
    first = harness.updates.callback(CITIZEN, chat_id=CITIZEN.id, message=message, data=data)
    later = harness.updates.private_text(CITIZEN, "Xin chào")
    processor = harness.application.update_processor
    process_within = processor.process_within
    waiting = asyncio.Event()
    give_up = asyncio.Event()
    calls = 0

    async def no_worker_in_time_for_the_first(update: Any, work: Any, *, seconds: float) -> bool:
        nonlocal calls
        calls += 1
        if calls > 1:
            return await process_within(update, work, seconds=seconds)
        waiting.set()
        await give_up.wait()
        return False

    monkeypatch.setattr(processor, "process_within", no_worker_in_time_for_the_first)
    handled: list[int] = []
    application = harness.application
    process_update = application.process_update

    async def recording(update: Any) -> None:
        handled.append(update.update_id)
        await process_update(update)

    monkeypatch.setattr(application, "process_update", recording)
    store_in_inbox = inbox_module.store_in_inbox
    storing_first = asyncio.Event()
    stored_first = asyncio.Event()

    async def slow_for_the_first(services: Any, payloads: list[dict[str, Any]]) -> int:
        if payloads[0]["update_id"] == first["update_id"]:
            storing_first.set()
            await stored_first.wait()
        return await store_in_inbox(services, payloads)

    monkeypatch.setattr(inbox_module, "store_in_inbox", slow_for_the_first)
    posted_first = asyncio.ensure_future(post(webhook, first))
    await waiting.wait()
    assert await post(webhook, later) == 200  # its chat is busy: stored for the loop
    loop_pass = asyncio.ensure_future(harness.runtime.inbox.process_pending())

    async def let_the_loop_try() -> None:
        for _ in range(200):  # every chance to overtake the first update
            await asyncio.sleep(0)

    await let_the_loop_try()
    give_up.set()  # no worker in time: the first update is stored for the loop
    await storing_first.wait()
    await let_the_loop_try()
    assert handled == [], "nothing of the chat starts before the first update is stored"
    stored_first.set()
    assert await posted_first == 200
    await loop_pass
    while await harness.runtime.inbox.process_pending():
        pass
    assert handled == [first["update_id"], later["update_id"]]
    rows = await inbox_rows(harness)
    assert rows[first["update_id"]].processed_at is not None
    assert rows[later["update_id"]].processed_at is not None


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


async def test_a_step_handled_on_arrival_is_one_short_transaction(
    harness: Harness,
) -> None:
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
    if harness.services.settings.is_sqlite:
        assert len(work) == 5, work
        assert work[1].startswith("UPDATE throttle SET count=(throttle.count +"), work[1]
    else:  # the first three are one statement (models/private_arrival.py)
        assert len(work) == 3, work
        assert work[0].startswith("WITH arrived AS") and "UPDATE throttle SET count" in work[0], work[0]
        assert not [statement for statement in work[1:] if "throttle" in statement or "citizen" in statement]
    assert sum(statement.startswith("BEGIN") for statement in statements) <= 1
