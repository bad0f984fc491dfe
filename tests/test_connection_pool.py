"""PostgreSQL's connection pool: a connection that sat idle is pinged before use, a busy one is not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


@asynccontextmanager
async def pooled_engine(*, ping_after_idle_seconds: float) -> AsyncIterator[AsyncEngine]:
    """An engine with one pooled connection, so every transaction reuses the same one."""
    engine = make_engine(URL, ping_after_idle_seconds=ping_after_idle_seconds, pool_size=1, max_overflow=0)
    try:
        yield engine
    finally:
        await engine.dispose()


NEVER_IDLE_ENOUGH = 3600.0  # in a test a connection never sits this long: it is never pinged
ALWAYS_IDLE = 0.0  # every connection given back counts as idle: it is pinged at each checkout


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def terminate(pid: int) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_connection_reused_at_once_is_not_pinged(pings: list[Any]) -> None:
    async with pooled_engine(ping_after_idle_seconds=NEVER_IDLE_ENOUGH) as engine:
        first = await backend_pid(engine)
        assert await backend_pid(engine) == first  # the same pooled connection
    assert pings == []


async def test_a_connection_that_sat_idle_is_pinged_and_a_dead_one_replaced(pings: list[Any]) -> None:
    async with pooled_engine(ping_after_idle_seconds=ALWAYS_IDLE) as engine:
        first = await backend_pid(engine)
        assert pings == []  # a new connection has just answered
        await terminate(first)  # as a server restart or a firewall would
        second = await backend_pid(engine)  # no error: the ping found it dead, the pool reconnected
        assert second != first
        assert len(pings) == 1
        assert await backend_pid(engine) == second
        assert len(pings) == 2


async def test_a_connection_that_dies_while_busy_fails_once_then_the_pool_recovers() -> None:
    async with pooled_engine(ping_after_idle_seconds=NEVER_IDLE_ENOUGH) as engine:
        first = await backend_pid(engine)
        await terminate(first)
        with pytest.raises(DBAPIError) as failure:
            await backend_pid(engine)
        assert failure.value.connection_invalidated  # the caller retries: webhook 503, the loops
        assert await backend_pid(engine) != first
