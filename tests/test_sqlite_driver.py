"""SQLite through aiosqlite: each statement is one trip to the database thread, and behaves as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import make_engine
from models.sqlite_driver import DRIVER


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT UNIQUE)"))
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every function aiosqlite runs on its database thread."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_sqlite_urls_use_the_one_trip_driver(engine: AsyncEngine) -> None:
    assert engine.dialect.name == "sqlite"
    assert engine.dialect.driver == DRIVER


async def test_a_statement_is_one_trip_to_the_database_thread(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))  # the connection is checked out and begun
        trips.clear()
        rows = (await connection.execute(text("SELECT id, body FROM note WHERE id > :id"), {"id": 0})).all()
        assert rows == []
        assert trips == ["_run"]  # stock aiosqlite makes four: cursor, execute, fetchall, close
        await connection.rollback()


async def test_results_row_counts_and_row_ids_are_as_sqlalchemy_expects(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO note (body) VALUES ('phản ánh')"))
        assert inserted.lastrowid == 1 and inserted.rowcount == 1
        returned = await connection.execute(
            text("INSERT INTO note (body) VALUES ('kiến nghị') RETURNING id, body")
        )
        assert returned.all() == [(2, "kiến nghị")]
        many = await connection.execute(
            text("INSERT INTO note (body) VALUES (:body)"), [{"body": "một"}, {"body": "hai"}]
        )
        assert many.rowcount == 2
        changed = await connection.execute(text("UPDATE note SET body = body || '!' WHERE id <= 2"))
        assert changed.rowcount == 2
        bodies = (await connection.execute(text("SELECT body FROM note ORDER BY id"))).scalars().all()
        assert bodies == ["phản ánh!", "kiến nghị!", "một", "hai"]


async def test_errors_are_the_same_and_roll_back(engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO note (body) VALUES ('trùng')"))
            await connection.execute(text("INSERT INTO note (body) VALUES ('trùng')"))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM note"))).scalar() == 0


async def test_returning_a_committed_connection_to_the_pool_makes_no_rollback_trip(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO note (body) VALUES ('một')"))
    # the pool rolls back every connection it takes back; after the commit there is nothing to undo
    assert trips == ["_run", "_run", "_end"]  # BEGIN IMMEDIATE, the insert, the commit


async def test_a_connection_given_back_mid_transaction_is_still_rolled_back(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO note (body) VALUES ('hai')"))
        trips.clear()
    assert trips == ["_end"]  # the rollback of the open transaction
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM note"))).scalar() == 0
