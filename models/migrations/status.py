"""Tell whether a database is at the newest migration."""

from __future__ import annotations

import asyncio

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from models.db import make_engine
from models.migrations import alembic_config


def is_at_head(database_url: str) -> bool:
    """Return True when every migration has been applied (synchronous; call it in a thread)."""
    heads = set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())

    def current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async def read() -> set[str]:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(current)
        finally:
            await engine.dispose()

    return asyncio.run(read()) == heads
