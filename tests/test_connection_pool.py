"""PostgreSQL's connection pool: a connection that sat idle is pinged before use, a busy one is not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import make_engine
from tests.constants import POSTGRES_ADMIN_DSN, POSTGRES_AVAILABLE

pytestmark = pytest.mark.skipif(not POSTGRES_AVAILABLE, reason="no PostgreSQL server at 127.0.0.1:5432")
URL = POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://")


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every ping the pool sends."""
    sent: list[Any] = []
    ping = PGDialect_asyncpg.do_ping

    def counted(dialect: Any, dbapi_connection: Any) -> bool:
        sent.append(dbapi_connection)
        return bool(ping(dialect, dbapi_connection))

    monkeypatch.setattr(PGDialect_asyncpg, "do_ping", counted)
    return sent


def engine_with(idle_seconds: float) -> AsyncEngine:
    return make_engine(URL, ping_after_idle_seconds=idle_seconds, pool_size=1, max_overflow=0)


@pytest.fixture
async def busy_engine() -> AsyncIterator[AsyncEngine]:
    engine = engine_with(3600)  # never idle long enough in a test: never pinged
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def idle_engine() -> AsyncIterator[AsyncEngine]:
    engine = engine_with(0)  # every connection given back counts as idle: always pinged
    try:
        yield engine
    finally:
        await engine.dispose()


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def terminate(pid: int) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_connection_reused_at_once_is_not_pinged(busy_engine: AsyncEngine, pings: list[Any]) -> None:
    first = await backend_pid(busy_engine)
    assert await backend_pid(busy_engine) == first  # the same pooled connection
    assert pings == []


async def test_a_connection_that_sat_idle_is_pinged_and_a_dead_one_replaced(
    idle_engine: AsyncEngine, pings: list[Any]
) -> None:
    first = await backend_pid(idle_engine)
    assert pings == []  # a new connection has just answered
    await terminate(first)  # as a server restart or a firewall would
    second = await backend_pid(idle_engine)  # no error: the ping found it dead, the pool reconnected
    assert second != first
    assert len(pings) == 1
    assert await backend_pid(idle_engine) == second
    assert len(pings) == 2


async def test_a_connection_that_dies_while_busy_fails_once_then_the_pool_recovers(
    busy_engine: AsyncEngine,
) -> None:
    first = await backend_pid(busy_engine)
    await terminate(first)
    with pytest.raises(DBAPIError) as failure:
        await backend_pid(busy_engine)
    assert failure.value.connection_invalidated  # the caller retries: webhook 503, inbox and outbox loops
    assert await backend_pid(busy_engine) != first
