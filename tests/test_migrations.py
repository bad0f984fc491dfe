"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from models.db import make_engine
from models.migrations import upgrade_to_head
from models.migrations.status import is_at_head
from tests.constants import POSTGRES_ADMIN_DSN, POSTGRES_AVAILABLE


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


async def _assert_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()


def test_sqlite_migrations_match_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrated.sqlite3'}"
    assert not is_at_head(url)
    upgrade_to_head(url)
    assert is_at_head(url)
    asyncio.run(_assert_matches_models(url))
    upgrade_to_head(url)  # running it again is harmless


@pytest.mark.skipif(not POSTGRES_AVAILABLE, reason="no PostgreSQL server at 127.0.0.1:5432")
def test_postgresql_migrations_match_models() -> None:
    name = f"pakn_migrate_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_DSN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade_to_head(url)
        assert is_at_head(url)
        asyncio.run(_assert_matches_models(url))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
