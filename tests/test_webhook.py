"""Webhook intake: the secret is checked, bad bodies are refused, an update is committed before the 200."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import func
from sqlmodel import select

from bot.application import build_application
from bot.inbox import ALLOWED_UPDATES
from bot.webhook import SECRET_HEADER, init_web_app, start_webhook_server
from models.db import make_engine, make_session_factory
from models.tables import InboxUpdate, Item
from tests.flows import CITIZEN
from tests.harness import Harness, ready_to_send
from tests.updates import UpdateFactory

SECRET = "s3cr3t-Token_for-tests-0123456789"
PATH = "/telegram-hook"


@pytest_asyncio.fixture
async def webhook(harness: Harness) -> AsyncIterator[TestClient[Any, Any]]:
    """A test client for the bot's web app, with a webhook secret configured."""
    harness.services.settings = harness.services.settings.model_copy(
        update={
            "webhook_url": "https://pakn.example.gov.vn" + PATH,
            "webhook_path": PATH,
            "webhook_secret": SecretStr(SECRET),
            "webhook_max_body_bytes": 10_000,
        }
    )
    client = TestClient(TestServer(init_web_app(harness.services, harness.application)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def stored_updates(harness: Harness) -> int:
    async with harness.session() as session:
        return int((await session.exec(select(func.count()).select_from(InboxUpdate))).one())


def start_update(update_id: int) -> dict[str, Any]:
    payload = UpdateFactory().private_command(CITIZEN, "start")
    payload["update_id"] = update_id
    return payload


async def test_a_missing_or_wrong_secret_gets_403_and_writes_nothing(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    body = json.dumps(start_update(1))
    missing = await webhook.post(PATH, data=body)
    wrong = await webhook.post(PATH, data=body, headers={SECRET_HEADER: SECRET[:-1] + "x"})
    longer = await webhook.post(PATH, data=body, headers={SECRET_HEADER: SECRET + "x"})
    assert (missing.status, wrong.status, longer.status) == (403, 403, 403)
    assert await stored_updates(harness) == 0
    assert not harness.services.inbox_wakeup.is_set()


async def test_an_update_is_committed_before_the_200_and_handled_once(
    harness: Harness, webhook: TestClient[Any, Any]
) -> None:
    press = await ready_to_send(harness, CITIZEN)
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    first = await webhook.post(PATH, data=json.dumps(press), headers=headers)
    assert first.status == 200
    assert await stored_updates(harness) == 1  # committed: a crash now loses nothing
    assert harness.services.inbox_wakeup.is_set()
    redelivered = await webhook.post(PATH, data=json.dumps(press), headers=headers)
    assert redelivered.status == 200  # Telegram must stop retrying, but nothing is stored twice
    assert await stored_updates(harness) == 1
    await harness.runtime.inbox.process_pending()
    await harness.runtime.inbox.process_pending()
    assert len(await harness.items()) == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2, 3]", 400),
        (b'{"message": {}}', 400),
        (b'{"update_id": "12"}', 400),
        (b'{"update_id": true}', 400),
        (b'{"update_id": -5}', 400),
        (b'{"update_id": 99999999999999999999999}', 400),
        (b'{"update_id": 1, "x": NaN}', 400),
        (b'{"update_id": 1, "x": "\\ud800"}', 400),
        (b"\xff\xfe{}", 400),
        (b"[" * 50_00 + b"]" * 50_00, 400),
        (b"", 400),
    ],
)
async def test_malformed_bodies_get_400_and_write_nothing(
    harness: Harness, webhook: TestClient[Any, Any], body: bytes, status: int
) -> None:
    response = await webhook.post(PATH, data=body, headers={SECRET_HEADER: SECRET})
    assert response.status == status
    assert await stored_updates(harness) == 0


async def test_oversized_bodies_get_413(harness: Harness, webhook: TestClient[Any, Any]) -> None:
    update = start_update(7)
    update["message"]["text"] = "x" * 20_000
    response = await webhook.post(PATH, data=json.dumps(update), headers={SECRET_HEADER: SECRET})
    assert response.status == 413

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(30):
            yield b" " * 1000  # no Content-Length: the limit holds while reading

    chunked = await webhook.post(PATH, data=chunks(), headers={SECRET_HEADER: SECRET})
    assert chunked.status == 413
    assert await stored_updates(harness) == 0
    assert (await webhook.get("/healthz")).status == 200  # and the server is still there


async def test_only_post_is_served_on_the_webhook_path(webhook: TestClient[Any, Any]) -> None:
    assert (await webhook.get(PATH)).status == 405
    assert (await webhook.post("/other", data=b"{}")).status == 404


async def test_health_and_readiness(harness: Harness, webhook: TestClient[Any, Any]) -> None:
    assert (await webhook.get("/healthz")).status == 200
    ready = await webhook.get("/readyz")
    assert ready.status == 200 and (await ready.json())["bot"] == harness.fake.bot_username


async def test_not_ready_without_a_database_or_before_the_bot_is_initialised(harness: Harness) -> None:
    settings = harness.services.settings.model_copy(update={"webhook_secret": SecretStr(SECRET)})
    engine = make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/nowhere")
    broken = replace(
        harness.services, settings=settings, engine=engine, session_factory=make_session_factory(engine)
    )
    client = TestClient(TestServer(init_web_app(broken, harness.application)))
    await client.start_server()
    try:
        assert (await client.get("/readyz")).status == 503
        assert (await client.get("/healthz")).status == 200
        update = json.dumps(start_update(3))
        # The database is down: 503 tells Telegram to keep the update and try again.
        assert (await client.post("/telegram", data=update, headers={SECRET_HEADER: SECRET})).status == 503
    finally:
        await client.close()
        await engine.dispose()
    fresh = build_application(harness.services)  # not initialised: getMe not called yet
    client = TestClient(TestServer(init_web_app(harness.services, fresh)))
    await client.start_server()
    try:
        assert (await client.get("/readyz")).status == 503
    finally:
        await client.close()


async def test_start_webhook_server_sets_the_webhook_with_the_secret_and_serves(harness: Harness) -> None:
    harness.services.settings = harness.services.settings.model_copy(
        update={
            "webhook_url": "https://pakn.example.gov.vn/telegram",
            "webhook_secret": SecretStr(SECRET),
            "webhook_listen": "127.0.0.1",
            "webhook_port": 0,
        }
    )
    runner = await start_webhook_server(harness.services, harness.application)
    try:
        webhook = harness.fake.webhook
        assert webhook is not None
        assert webhook["url"] == "https://pakn.example.gov.vn/telegram"
        assert webhook["secret_token"] == SECRET
        assert webhook["allowed_updates"] == ALLOWED_UPDATES
        host, port = runner.addresses[0][:2]
        async with aiohttp.ClientSession() as http:
            url = f"http://{host}:{port}/telegram"
            async with http.post(url, json=start_update(11), headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200
            async with http.post(url, json=start_update(12)) as response:
                assert response.status == 403
        assert await stored_updates(harness) == 1
    finally:
        await runner.cleanup()
    async with harness.session() as session:
        assert (await session.exec(select(Item))).first() is None
