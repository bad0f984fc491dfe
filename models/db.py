"""Engine and session factories for SQLite (default) and PostgreSQL (production)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel.ext.asyncio.session import AsyncSession

from models import sqlite_driver

SessionFactory = async_sessionmaker[AsyncSession]


class UtcDateTime(TypeDecorator[datetime]):
    """Store instants as UTC and always hand back timezone-aware values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware instant")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


READ_ONLY = "pakn_read_only"  # execution option: on SQLite, begin deferred and never wait for the write lock
PING_AFTER_IDLE_SECONDS = 5.0  # a pooled PostgreSQL connection idle this long is pinged before use
_IDLE_SINCE = "pakn_idle_since"  # in a pooled connection's info: when it was last given back


def make_engine(
    database_url: str,
    *,
    sqlite_busy_timeout_seconds: float = 30.0,
    ping_after_idle_seconds: float = PING_AFTER_IDLE_SECONDS,
    **engine_options: Any,
) -> AsyncEngine:
    """Create the async engine; on SQLite every transaction takes the write lock up front."""
    # SQL errors and SQL logging never show the bound values: they hold citizens' texts and ids.
    engine_options.setdefault("hide_parameters", True)
    if database_url.startswith("sqlite"):
        engine_options.setdefault("connect_args", {})
        engine_options["connect_args"].setdefault("timeout", sqlite_busy_timeout_seconds)
        url = make_url(database_url)
        if url.drivername == "sqlite+aiosqlite":  # the same driver, one trip per statement
            sqlite_driver.register()
            url = url.set(drivername=f"sqlite+{sqlite_driver.DRIVER}")
        engine = create_async_engine(url, **engine_options)
        _take_sqlite_write_lock_on_begin(engine, busy_timeout_ms=int(sqlite_busy_timeout_seconds * 1000))
        return engine
    engine = create_async_engine(database_url, **engine_options)
    if not engine_options.get("pool_pre_ping"):
        _ping_connections_that_sat_idle(engine, idle_seconds=ping_after_idle_seconds)
    return engine


def _ping_connections_that_sat_idle(engine: AsyncEngine, *, idle_seconds: float) -> None:
    # A restarted server, a failover or a firewall leaves dead connections in the pool; a ping
    # finds them before a transaction does. SQLAlchemy's `pool_pre_ping` pings at every checkout,
    # which on asyncpg is three round trips (BEGIN, ";", ROLLBACK), about a third of a short
    # transaction's. A connection given back moments ago is as alive as a ping would show, so only
    # one that sat idle is pinged. Should a connection die while busy anyway, the statement fails
    # as a disconnect, SQLAlchemy drops the pool's connections, and the work is retried: Telegram
    # resends a webhook update that got no 200, and the inbox and outbox loops try again.
    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)  # none on a new connection: it has just answered
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another, up to three times.
            raise DisconnectionError(f"a pooled connection did not answer a ping: {error}") from error


def _take_sqlite_write_lock_on_begin(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling begins lazily and deferred, which turns concurrent
    # writers into "database is locked" errors. BEGIN IMMEDIATE queues writers on the busy timeout.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A probe that only reads begins deferred: in WAL mode a reader never waits for a writer.
        is_read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if is_read_only else "BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Create the session factory every unit of work uses."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(session_factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """Open a session, commit when the block succeeds, roll back when it raises."""
    async with session_factory() as session, session.begin():
        yield session


def dialect_name(session: AsyncSession) -> str:
    """Return "sqlite" or "postgresql" for the session's database."""
    bind = session.bind
    if bind is None:
        raise RuntimeError("the session is not bound to an engine")
    return bind.dialect.name


def utc_now() -> datetime:
    """Return the current instant in UTC (production clock only; code takes `now` parameters)."""
    return datetime.now(UTC)
