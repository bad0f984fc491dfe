"""The inbox under load and attack: chats run side by side, one chat in order, poison updates are parked.

Overlap and order are observed at the fake Bot API, with gates that hold calls until the test opens
them, never by timing. The timeouts below only stop a broken build from hanging the suite.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import event
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.cli import main
from bot.inbox import store_in_inbox
from bot.texts import text
from bot.webhook import READINESS_TIMEOUT_SECONDS, SECRET_HEADER, init_web_app
from models.inbox_queue import parked_updates, retry_parked, store_update
from models.tables import InboxUpdate, ItemState
from tests.constants import TEST_DIRECTORY
from tests.flows import CITIZEN, OTHER_CITIZEN
from tests.harness import Harness, send_press
from tests.officer_world import OFFICER_XD, XD_GROUP, card_of, claim, seat_everyone, submit_road_item

SECRET = "inbox-Secret_for-tests-0123456789"
PATH = "/telegram-hook"
GUARD_SECONDS = 20  # a broken build fails here instead of hanging; a working one never comes close


@pytest_asyncio.fixture
async def webhook(harness: Harness) -> AsyncIterator[TestClient[Any, Any]]:
    """A test client for the bot's web app, with a webhook secret configured."""
    harness.services.settings = harness.services.settings.model_copy(
        update={
            "webhook_url": "https://pakn.example.gov.vn" + PATH,
            "webhook_path": PATH,
            "webhook_secret": SecretStr(SECRET),
        }
    )
    client = TestClient(TestServer(init_web_app(harness.services, harness.application)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def store(harness: Harness, *updates: dict[str, Any]) -> None:
    """Store updates as the intake would, without handling them."""
    async with harness.session() as session:
        for update in updates:
            await store_update(session, update, harness.clock.now())


async def row(harness: Harness, update_id: int) -> InboxUpdate:
    async with harness.session() as session:
        found = await session.get(InboxUpdate, update_id)
        assert found is not None
        return found


async def handled(harness: Harness, update_id: int) -> None:
    """Return once the running inbox has settled an update (the caller's guard bounds the wait)."""
    settled = harness.services.outbox_wakeup  # the inbox sets it after every update it settles
    while True:
        settled.clear()
        if (await row(harness, update_id)).processed_at is not None:
            return
        await settled.wait()


def restricted_bot_membership(harness: Harness, chat_id: int) -> dict[str, Any]:
    """A my_chat_member as an older Bot API sends it: a restricted member without can_edit_tag."""
    update = harness.updates.my_chat_member_added(chat_id, OFFICER_XD)
    rights = (
        "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
        "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
        "can_add_web_page_previews can_change_info can_invite_users can_pin_messages can_manage_topics"
    )
    update["my_chat_member"]["new_chat_member"] = {
        "user": harness.updates.bot_user(),
        "status": "restricted",
        "is_member": True,
        "until_date": 0,
        **dict.fromkeys(rights.split(), True),
    }
    return update


# --- concurrency and order ------------------------------------------------------------------------


async def test_updates_of_two_chats_are_handled_at_the_same_time(harness: Harness) -> None:
    gate = harness.fake.hold("answerCallbackQuery")
    await store(
        harness,
        send_press(harness.updates, harness.services.signer, CITIZEN),
        send_press(harness.updates, harness.services.signer, OTHER_CITIZEN),
    )
    handling = asyncio.create_task(harness.runtime.inbox.process_pending())
    async with asyncio.timeout(GUARD_SECONDS):
        await gate.wait_for(2)  # both updates are in hand at once: neither waited for the other
        assert not handling.done()
        gate.open()
        assert await handling == 2


async def test_two_updates_of_one_chat_never_run_at_the_same_time(harness: Harness) -> None:
    gate = harness.fake.hold("answerCallbackQuery")
    signer = harness.services.signer
    first = send_press(harness.updates, signer, CITIZEN)
    second = send_press(harness.updates, signer, CITIZEN)
    other_chat = send_press(harness.updates, signer, OTHER_CITIZEN)
    await store(harness, first, second, other_chat)
    handling = asyncio.create_task(harness.runtime.inbox.process_pending())
    async with asyncio.timeout(GUARD_SECONDS):
        await gate.wait_for(2)  # the oldest of each chat; the later update of that chat waits
        held = {
            call["callback_query_id"] for call in gate.arrivals
        }  # two chats at once: either may come first
        assert held == {first["callback_query"]["id"], other_chat["callback_query"]["id"]}
        assert (await row(harness, second["update_id"])).processed_at is None
        gate.open()
        assert await handling == 3
    second_arrival = f"arrived answerCallbackQuery {second['callback_query']['id']}"
    assert harness.fake.journal.index(second_arrival) > harness.fake.journal.index("opened")
    assert (await row(harness, second["update_id"])).attempts == 1


async def test_a_ten_second_bot_api_never_holds_up_a_citizens_update(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    seat_everyone(harness)
    code = await submit_road_item(harness)
    gate = harness.fake.hold("getChatMember", "answerCallbackQuery")  # Telegram takes "10 s" to answer
    card = card_of(harness, XD_GROUP, code)
    claim_button = next(
        button["callback_data"]
        for line in card["reply_markup"]["inline_keyboard"]
        for button in line
        if "Nhận xử lý" in button["text"]
    )
    claim_press = harness.updates.callback(OFFICER_XD, chat_id=XD_GROUP, message=card, data=claim_button)
    await store(harness, claim_press)
    loop = asyncio.create_task(harness.runtime.run_inbox_loop())
    try:
        async with asyncio.timeout(GUARD_SECONDS):
            await gate.wait_for(1)  # the officer's authorisation waits on Telegram
            citizen_update = harness.updates.private_command(OTHER_CITIZEN, "start")
            answer = await webhook.post(
                PATH, data=json.dumps(citizen_update), headers={SECRET_HEADER: SECRET}
            )
            assert answer.status == 200  # stored and acknowledged while Telegram is still silent
            await handled(harness, citizen_update["update_id"])  # handled while the claim still waits
            assert (await harness.item(code)).state is ItemState.RECEIVED
            gate.open()
            await handled(harness, claim_press["update_id"])
    finally:
        harness.runtime.stop()
        await loop
    assert (await harness.item(code)).claimed_by_telegram_user_id == OFFICER_XD.id
    assert [call.method for call in harness.fake.sent(method="getChatMember")] == ["getChatMember"]


async def test_no_bot_api_call_of_a_handler_happens_inside_a_transaction(harness: Harness) -> None:
    open_transactions: set[int] = set()
    engine = harness.services.engine.sync_engine
    event.listen(engine, "begin", lambda connection: open_transactions.add(id(connection)))
    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda connection: open_transactions.discard(id(connection)))
    seen: list[tuple[str, int]] = []
    harness.fake.observer = lambda method: seen.append((method, len(open_transactions)))
    seat_everyone(harness)
    code = await submit_road_item(harness)
    await claim(harness, code)  # getChatMember for the officer, then the press is answered
    await harness.feed(send_press(harness.updates, harness.services.signer, CITIZEN))  # a stale "Gửi"
    from_handlers = [
        (method, count) for method, count in seen if method in {"answerCallbackQuery", "getChatMember"}
    ]
    assert {method for method, _ in from_handlers} == {"answerCallbackQuery", "getChatMember"}
    assert all(count == 0 for _, count in from_handlers), from_handlers


# --- poison updates -----------------------------------------------------------------------------------


async def test_arrivals_beyond_a_passs_limit_start_the_next_pass_at_once(harness: Harness) -> None:
    # The runner sleeps up to a second between passes unless woken; an arrival left over by a full
    # pass must not wait out that second.
    updates = [harness.updates.private_command(CITIZEN, "help") for _ in range(3)]
    assert await store_in_inbox(harness.services, updates) == 3
    assert await harness.runtime.inbox.process_pending(limit=2) == 2
    assert harness.services.inbox_wakeup.is_set(), "the loop would sleep with an update waiting"
    assert await harness.runtime.inbox.process_pending(limit=2) == 1
    assert not harness.services.inbox_wakeup.is_set()


async def test_an_update_ptb_cannot_parse_is_parked_and_polling_goes_on(harness: Harness) -> None:
    poison = restricted_bot_membership(harness, XD_GROUP)
    harness.fake.push_update(poison)
    harness.fake.push_update(harness.updates.private_command(CITIZEN, "start"))
    runtime = harness.runtime
    polling = asyncio.create_task(runtime.run_polling())
    inbox = asyncio.create_task(runtime.run_inbox_loop())
    try:
        async with asyncio.timeout(GUARD_SECONDS):
            await harness.fake.wait_until(
                lambda: len(harness.fake.confirmed_update_ids) == 2, within=GUARD_SECONDS
            )
            await handled(harness, poison["update_id"] + 1)
    finally:
        runtime.stop()
        await asyncio.gather(polling, inbox)
    parked = await row(harness, poison["update_id"])
    assert parked.failed_at is not None and "ChatMemberRestricted" in (parked.last_error or "")
    assert parked.attempts == 1  # parsing fails the same way every time: parked at once
    await harness.deliver()
    assert harness.fake.texts(CITIZEN.id)  # the citizen behind it was answered


async def test_a_webhook_update_ptb_rejects_gets_200_and_is_parked(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    poison = restricted_bot_membership(harness, XD_GROUP)
    answer = await webhook.post(PATH, data=json.dumps(poison), headers={SECRET_HEADER: SECRET})
    assert answer.status == 200  # Telegram must not send it again and again
    follow_up = harness.updates.group_command(XD_GROUP, OFFICER_XD, "agency")
    await store(harness, follow_up)
    assert await harness.runtime.inbox.process_pending() == 2
    assert (await row(harness, poison["update_id"])).failed_at is not None
    handled = await row(harness, follow_up["update_id"])
    assert handled.failed_at is None and handled.processed_at is not None


async def test_a_failing_handler_is_retried_then_parked_without_blocking_its_chat(harness: Harness) -> None:
    calls: list[int] = []

    async def explode(update: Update, _: object) -> None:
        calls.append(update.update_id)
        raise RuntimeError("the handler broke")

    harness.application.add_handler(MessageHandler(filters.Regex("^boom$"), explode), group=-1)
    poison = harness.updates.private_text(CITIZEN, "boom")
    behind = harness.updates.private_command(CITIZEN, "start")
    await store(harness, poison, behind)
    assert await harness.runtime.inbox.process_pending() == 2
    settings = harness.services.settings
    assert calls == [poison["update_id"]] * settings.update_max_attempts
    parked = await row(harness, poison["update_id"])
    assert parked.failed_at is not None and parked.attempts == settings.update_max_attempts
    assert "the handler broke" in (parked.last_error or "")
    handled = await row(harness, behind["update_id"])
    assert handled.processed_at is not None and handled.failed_at is None
    await harness.deliver()
    assert text("vi", "error.internal") in harness.fake.texts(CITIZEN.id)

    async with harness.session() as session:
        assert [found.update_id for found in await parked_updates(session)] == [poison["update_id"]]
        assert await retry_parked(session, poison["update_id"])
        assert not await retry_parked(session, behind["update_id"])  # only parked updates go back
    harness.application.remove_handler(harness.application.handlers[-1][0], group=-1)
    assert await harness.runtime.inbox.process_pending() == 1
    retried = await row(harness, poison["update_id"])
    assert retried.failed_at is None and retried.processed_at is not None


def test_pakn_inbox_failed_lists_and_retry_requeues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "pakn.sqlite3"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("DIRECTORY_FILE", str(TEST_DIRECTORY))
    assert main(["inbox", "failed"]) == 0
    assert "No parked updates." in capsys.readouterr().out
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO inboxupdate (update_id, chat_id, payload, received_at, processed_at, attempts,"
            " last_error, failed_at) VALUES (77, 5001, '{}', '2026-12-07 02:00:00', '2026-12-07 02:00:01',"
            " 3, 'RuntimeError: the handler broke', '2026-12-07 02:00:01')"
        )
    assert main(["inbox", "failed"]) == 0
    listing = capsys.readouterr().out
    assert "77" in listing and "RuntimeError: the handler broke" in listing
    assert main(["inbox", "retry", "77"]) == 0
    assert main(["inbox", "retry", "78"]) == 2
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT processed_at, failed_at, attempts FROM inboxupdate WHERE update_id = 77"
        ).fetchone() == (None, None, 0)


# --- the webhook's edges ----------------------------------------------------------------------------


async def test_a_secret_header_that_is_not_utf8_gets_403_and_writes_nothing(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    body = json.dumps(harness.updates.private_command(CITIZEN, "start")).encode()
    server = webhook.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: \xff\xfe" + SECRET.encode() + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] == b"403"
    async with harness.session() as session:
        assert await session.get(InboxUpdate, json.loads(body)["update_id"]) is None


async def test_readyz_answers_in_time_while_another_process_holds_the_sqlite_write_lock(
    harness: Harness, webhook: TestClient[Any, Any], backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's single write lock only")
    path = harness.services.settings.database_url.removeprefix("sqlite+aiosqlite:///")
    other_process = sqlite3.connect(path, isolation_level=None)
    try:
        other_process.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long sweep elsewhere would
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            answer = await webhook.get("/readyz")
        assert answer.status == 200
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
