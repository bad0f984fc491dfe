"""Helpers for the public site and Open311 tests: a live test server and an Open311 channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func
from sqlmodel import select

from bot.web.app import init_public_app
from models.api_keys import create_api_key
from models.tables import Item, OutboxMessage
from tests.harness import Harness

API = "/open311/v2"
ROAD_TEXT = "Ổ gà lớn trên đường Hoàng Văn Thụ gần ngã tư, nhiều xe máy bị ngã vào buổi tối."


@asynccontextmanager
async def site_client(harness: Harness, **setting_overrides: Any) -> AsyncIterator[TestClient[Any, Any]]:
    """Serve the public app of the harness's services on a real local port."""
    if setting_overrides:
        harness.services.settings = harness.services.settings.model_copy(update=setting_overrides)
    client = TestClient(TestServer(init_public_app(harness.services), host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def issue_key(harness: Harness, name: str = "cong-thong-tin") -> str:
    """Create a channel's API key and return it in plain text."""
    async with harness.session() as session:
        _key, plaintext = await create_api_key(session=session, name=name, now=harness.clock.now())
    return plaintext


async def post_request(
    client: TestClient[Any, Any], api_key: str | None, fmt: str = "json", **fields: str
) -> Any:
    """POST requests.{fmt} as a channel would, form-encoded."""
    form = {"service_code": "giao-thong", "description": ROAD_TEXT, **fields}
    if api_key is not None:
        form["api_key"] = api_key
    return await client.post(f"{API}/requests.{fmt}", data=form)


async def counts(harness: Harness) -> tuple[int, int]:
    """Count items and outbox messages."""
    async with harness.session() as session:
        items = int((await session.exec(select(func.count()).select_from(Item))).one())
        outbox = int((await session.exec(select(func.count()).select_from(OutboxMessage))).one())
    return items, outbox
